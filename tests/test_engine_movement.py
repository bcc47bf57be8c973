"""Rail movement as a player sees it: trains stopped by the enemy, lines full of prisoner trains, blown bridges."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from anabasis.engine import (
    Blow,
    Entrain,
    GameState,
    Move,
    Order,
    Repair,
    World,
    initial_state,
    legal_orders,
    step,
    why_illegal,
)
from anabasis.engine.report import Moved, Report

WorldOf = Callable[..., World]

# Omsk starts empty; the 1st Red Army arrives there in the second week, behind a Legion train bound for Baikal.
OMSK_RETAKEN = (
    "stations[omsk].held_by=null",
    "units[red_omsk].station=penza",
    "units[red_army].station=omsk",
    "units[red_army].arrives=1918-05-20",
    "units[cz_chel].entrained=true",
)
# Two Legion echelons of five trains each at Syzran, which the Legion holds with Samara beyond the Volga bridge.
VOLGA_CROSSING = (
    "stations[syzran].held_by=legion",
    "stations[samara].held_by=legion",
    "units[red_syzran].station=penza",
    "units[red_samara].station=penza",
    "units[cz_penza].station=syzran",
    "units[cz_penza].men=5000",
    "units[cz_chel].station=syzran",
    "units[cz_chel].men=5000",
    "units[cz_chel].entrained=true",
)


def play(state: GameState, orders: Mapping[str, Sequence[Order]], seed: int = 0) -> tuple[GameState, Report]:
    return step(state, orders, np.random.default_rng(seed))


def moved(report: Report, unit: str) -> Moved:
    [move] = [m for m in report.moves if m.unit == unit]
    return move


def where(state: GameState, unit: str) -> str:
    w = state.world
    u = w.unit_index[unit]
    if state.station[u] >= 0:
        return w.station_ids[int(state.station[u])]
    return w.segment_name(int(state.segment[u]))


def test_a_train_goes_by_rail_as_far_as_a_week_allows(mini_world: WorldOf) -> None:
    w = mini_world(*OMSK_RETAKEN)
    state, _ = initial_state(w)
    state, report = play(state, {"legion": [Move("cz_chel", "baikal")]})
    week = w.rules.train_km_per_day * 7
    assert moved(report, "cz_chel").km == week
    assert where(state, "cz_chel") == "chelyabinsk-omsk"


def test_men_on_foot_march_a_fraction_of_a_trains_week(mini_world: WorldOf) -> None:
    w = mini_world(*OMSK_RETAKEN, "units[cz_chel].entrained=false")
    state, _ = initial_state(w)
    state, report = play(state, {"legion": [Move("cz_chel", "ufa")]})
    assert moved(report, "cz_chel").km == w.rules.march_km_per_day * 7 < w.rules.train_km_per_day * 7
    assert where(state, "cz_chel") == "ufa-chelyabinsk"


def test_a_train_stops_before_a_station_the_enemy_took_and_says_why(mini_world: WorldOf) -> None:
    w = mini_world(*OMSK_RETAKEN)
    state, _ = initial_state(w)
    state, _ = play(state, {"legion": [Move("cz_chel", "baikal")]})
    state, report = play(state, {})
    move = moved(report, "cz_chel")
    assert "Omsk" in move.stopped
    assert where(state, "cz_chel") in ("chelyabinsk", "chelyabinsk-omsk")
    # It keeps its destination and waits: a week later it is still short of Omsk, with the same reason.
    state, report = play(state, {})
    assert "Omsk" in moved(report, "cz_chel").stopped
    assert where(state, "cz_chel") in ("chelyabinsk", "chelyabinsk-omsk")


def test_a_train_with_no_way_on_names_who_stood_in_it_as_the_week_began(mini_world: WorldOf) -> None:
    w = mini_world(*OMSK_RETAKEN, "units[red_army].arrives=null")
    state, _ = initial_state(w)
    state.goal[w.unit_index["cz_chel"]] = w.station_index["baikal"]  # bound for Baikal since an earlier week
    state.touch()
    # The Red Army leaves Omsk in the very week the train finds it in the way: the train was stopped by the Reds.
    state, report = play(state, {"reds": [Move("red_army", "baikal")]})
    assert moved(report, "cz_chel").stopped == "Omsk is occupied by the Reds"
    assert where(state, "cz_chel") == "chelyabinsk"
    assert where(state, "red_army") != "omsk"


def test_an_order_through_an_enemy_station_is_refused_with_the_station_named(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world())
    reason = why_illegal(state, "legion", Move("cz_chel", "baikal"))
    assert reason is not None and "Omsk" in reason
    assert Move("cz_chel", "baikal") not in legal_orders(state, "legion")


def test_prisoner_trains_leave_room_for_only_one_of_two_echelons(mini_world: WorldOf) -> None:
    # Syzran-Samara takes 2 trains a day; the prisoner-of-war trains take 1 of them until July.
    state, _ = initial_state(mini_world(*VOLGA_CROSSING))
    orders = {"legion": [Move("cz_chel", "samara"), Move("cz_penza", "samara")]}
    for seed in range(4):
        after, report = play(state, orders, seed)
        places = sorted(where(after, u) for u in ("cz_chel", "cz_penza"))
        assert places == ["samara", "syzran"]
        [stuck] = [m for m in report.moves if m.end == "syzran"]
        assert "Syzran-Samara is full" in stuck.stopped


def test_without_prisoner_trains_both_echelons_cross(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world(*VOLGA_CROSSING, "traffic=[]"))
    after, report = play(state, {"legion": [Move("cz_chel", "samara"), Move("cz_penza", "samara")]})
    assert [where(after, u) for u in ("cz_chel", "cz_penza")] == ["samara", "samara"]
    assert all(not m.stopped for m in report.moves)


def test_a_blown_bridge_cannot_be_crossed_until_repaired(mini_world: WorldOf) -> None:
    w = mini_world(*VOLGA_CROSSING)
    state, _ = initial_state(w)
    state, report = play(state, {"legion": [Blow("cz_penza", "syzran-samara")]})
    [blown] = [h for h in report.happenings if h.kind == "blown"]
    repair_weeks = int(w.seg_repair_weeks[w.segment_index["syzran-samara"]])
    assert blown.subject == "syzran-samara" and f"{repair_weeks} weeks to repair" in blown.text

    reason = why_illegal(state, "legion", Move("cz_chel", "samara"))
    assert reason is not None and "cut" in reason and f"{repair_weeks} weeks" in reason
    assert not any(isinstance(o, Move) and o.to == "samara" for o in legal_orders(state, "legion"))
    state, report = play(state, {"legion": [Move("cz_chel", "samara")]})
    assert [r.order for r in report.refused] == ["move cz_chel samara"]
    assert where(state, "cz_chel") == "syzran"

    # Each repair order takes a week off the work left; two units on it go twice as fast.
    left = repair_weeks
    while left > 0:
        state, report = play(
            state, {"legion": [Repair("cz_chel", "syzran-samara"), Repair("cz_penza", "syzran-samara")]}
        )
        left = max(0, left - 2 * w.rules.repair_per_week)
        assert [h.text for h in report.happenings if h.kind == "repair"][-1] == f"{left} weeks left"
    assert why_illegal(state, "legion", Repair("cz_chel", "syzran-samara")) == "syzran-samara is not damaged"
    state, report = play(state, {"legion": [Move("cz_chel", "samara")]})
    assert where(state, "cz_chel") == "samara"


def test_only_a_bridge_or_tunnel_can_be_blown(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world(*VOLGA_CROSSING))
    assert why_illegal(state, "legion", Blow("cz_penza", "penza-syzran")) == (
        "there is no bridge or tunnel to blow on penza-syzran"
    )


def test_the_japanese_refuse_to_go_west_of_baikal(mini_world: WorldOf) -> None:
    w = mini_world()
    state, _ = initial_state(w)
    reason = why_illegal(state, "allies", Move("jp_12", "baikal"))
    assert reason is not None and "Japanese" in reason and "east of Lake Baikal" in reason
    assert why_illegal(state, "allies", Move("jp_12", "chita")) is None
    targets = {o.to for o in legal_orders(state, "allies", unit="jp_12") if isinstance(o, Move)}
    assert targets == {"chita"}

    after, report = play(state, {"allies": [Move("jp_12", "baikal")]})
    assert [(r.order, r.reason) for r in report.refused] == [("move jp_12 baikal", reason)]
    assert where(after, "jp_12") == "vladivostok"


def test_trains_through_a_neutral_station_take_double_room_on_the_line(mini_world: WorldOf) -> None:
    # Two Legion echelons of two trains each leave Vladivostok for White Chita on a line of one train a day.
    base = (
        "units[cz_vlad].men=2000",
        "units[cz_vlad].entrained=true",
        "units[cz_chel].station=vladivostok",
        "units[cz_chel].men=2000",
        "units[cz_chel].entrained=true",
        "segments[chita-vladivostok].trains_per_day=1",
    )
    neutral = "relations[4]={factions: [legion, whites], stance: neutral, source: {doc: history, note: test}}"
    orders = {"legion": [Move("cz_vlad", "chita"), Move("cz_chel", "chita")]}
    allied_state, _ = initial_state(mini_world(*base))
    _, report = play(allied_state, orders)
    assert all(not m.stopped for m in report.moves) and len(report.moves) == 2
    neutral_state, _ = initial_state(mini_world(*base, neutral))
    after, report = play(neutral_state, orders)
    assert sorted(m.stopped for m in report.moves) == ["", "the line Vladivostok-Chita is full this week"]
    assert sorted(where(after, u) for u in ("cz_vlad", "cz_chel")) == ["chita-vladivostok", "vladivostok"]


def test_a_japanese_unit_left_west_of_baikal_may_only_come_back_east(mini_world: WorldOf) -> None:
    w = mini_world("units[jp_12].station=baikal", "stations[omsk].held_by=null", "units[red_omsk].station=penza")
    state, _ = initial_state(w)
    targets = {o.to for o in legal_orders(state, "allies", unit="jp_12") if isinstance(o, Move)}
    assert targets == {"chita", "vladivostok"}
    reason = why_illegal(state, "allies", Move("jp_12", "omsk"))
    assert reason is not None and "east of Lake Baikal" in reason
    after, _ = play(state, {"allies": [Move("jp_12", "chita")]})
    assert where(after, "jp_12") in ("baikal-chita", "chita")


def test_a_column_whose_march_ends_exactly_at_a_station_stands_there(mini_world: WorldOf) -> None:
    # Ufa is exactly one week's march (140 km) from Chelyabinsk; the column is bound for Samara beyond it.
    w = mini_world(
        "stations[samara].held_by=legion", "units[red_samara].station=penza", "segments[ufa-chelyabinsk].km=140"
    )
    state, _ = initial_state(w)
    state, report = play(state, {"legion": [Move("cz_chel", "samara")]})
    assert moved(report, "cz_chel").km == 140
    assert where(state, "cz_chel") == "ufa"
    assert why_illegal(state, "legion", Entrain("cz_chel")) is None


def test_a_journey_names_each_station_reached_on_the_way(mini_world: WorldOf) -> None:
    w = mini_world(*VOLGA_CROSSING)
    state, _ = initial_state(w)
    state, report = play(state, {"legion": [Move("cz_chel", "chelyabinsk")]})
    move = moved(report, "cz_chel")  # 700 km a week: over the Volga to Samara (135), Ufa (590), then on the line
    assert (move.start, move.via, move.km) == ("syzran", ("samara", "ufa"), 700.0)
    assert move.end == "ufa-chelyabinsk@110km" == f"{where(state, 'cz_chel')}@110km"
    state, report = play(state, {})
    assert moved(report, "cz_chel").via == ("chelyabinsk",)


def test_a_weeks_journeys_read_the_same_pickled_or_not(mini_world: WorldOf) -> None:
    """The journeys are told when first read, and a report sent to another process reads the same."""
    w = mini_world(*OMSK_RETAKEN)
    state, _ = initial_state(w)
    _, report = play(state, {"legion": [Move("cz_chel", "baikal")]})
    sent = pickle.loads(pickle.dumps(report))
    assert sent.moves == report.moves
    assert [m.unit for m in sent.moves] == ["cz_chel"]
    assert sent == report and sent.to_dict() == report.to_dict()
