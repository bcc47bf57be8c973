"""Battles as a player sees them: the odds shown are the odds played, defenders' advantages, retreat and capture."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from anabasis.ai.registry import make_agent
from anabasis.engine import (
    Attack,
    GameState,
    Hold,
    Odds,
    Status,
    World,
    initial_state,
    legal_orders,
    preview_combat,
    step,
    why_illegal,
)
from anabasis.engine.game import Game
from anabasis.engine.report import _MOVES, Battle

WorldOf = Callable[..., World]

# The Chelyabinsk group on its trains within a week's run of Omsk, held by a Red garrison of 2,000.
AT_OMSK = ("units[cz_chel].entrained=true", "rules.train_km_per_day=250")


def odds(state: GameState, attackers: list[str], station: str) -> Odds:
    w = state.world
    return preview_combat(state, [w.unit_index[u] for u in attackers], w.station_index[station])


def battle(state: GameState, orders: dict[str, list[Attack | Hold]], seed: int) -> tuple[GameState, Battle]:
    after, report = step(state, orders, np.random.default_rng(seed))
    [fought] = report.battles
    return after, fought


def won_battle(state: GameState, orders: dict[str, list[Attack | Hold]]) -> tuple[GameState, Battle]:
    """The first of a few seeds in which the attacker wins (the odds are overwhelming)."""
    for seed in range(20):
        after, fought = battle(state, orders, seed)
        if fought.attacker_won:
            return after, fought
    raise AssertionError("the attacker never won")


def at(state: GameState, unit: str) -> str:
    w = state.world
    return w.station_ids[int(state.station[w.unit_index[unit]])]


@pytest.mark.parametrize("men", [1500, 6000])
def test_the_odds_shown_are_the_odds_played(mini_world: WorldOf, men: int) -> None:
    state, _ = initial_state(mini_world(*AT_OMSK, f"units[cz_chel].men={men}"))
    shown = odds(state, ["cz_chel"], "omsk")
    games = 240
    wins = 0
    for seed in range(games):
        _, fought = battle(state, {"legion": [Attack("cz_chel", "omsk")]}, seed)
        assert fought.chance == pytest.approx(shown.chance, abs=1e-4)
        wins += fought.attacker_won
    sigma = (shown.chance * (1 - shown.chance) / games) ** 0.5
    assert abs(wins / games - shown.chance) < 4 * sigma


def test_better_odds_win_more_often(mini_world: WorldOf) -> None:
    rates = []
    for men in (1500, 6000):
        state, _ = initial_state(mini_world(*AT_OMSK, f"units[cz_chel].men={men}"))
        fights = [battle(state, {"legion": [Attack("cz_chel", "omsk")]}, seed)[1] for seed in range(100)]
        rates.append(sum(f.attacker_won for f in fights) / len(fights))
    assert rates[1] > rates[0] + 0.3


def test_fortification_helps_the_defender(mini_world: WorldOf) -> None:
    open_ground = odds(initial_state(mini_world(*AT_OMSK))[0], ["cz_chel"], "omsk")
    fortress = odds(initial_state(mini_world(*AT_OMSK, "stations[omsk].fortification=3"))[0], ["cz_chel"], "omsk")
    assert fortress.attack == open_ground.attack
    assert fortress.defence > open_ground.defence
    assert fortress.chance < open_ground.chance


def test_winter_slows_every_attack(mini_world: WorldOf) -> None:
    summer = odds(initial_state(mini_world(*AT_OMSK))[0], ["cz_chel"], "omsk")
    winter = odds(initial_state(mini_world(*AT_OMSK, "rules.winter_months=[5]"))[0], ["cz_chel"], "omsk")
    assert winter.defence == summer.defence
    assert winter.attack < summer.attack and winter.chance < summer.chance


def test_a_garrison_that_stood_a_week_has_dug_in(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world(*AT_OMSK))
    fresh = odds(state, ["cz_chel"], "omsk")
    later, _ = step(state, {}, np.random.default_rng(0))
    dug_in = odds(later, ["cz_chel"], "omsk")
    assert dug_in.attack == fresh.attack
    assert dug_in.defence > fresh.defence and dug_in.chance < fresh.chance
    _, fought = battle(later, {"legion": [Attack("cz_chel", "omsk")]}, 0)
    assert fought.defence == pytest.approx(dug_in.defence, abs=0.1)


def test_an_order_to_hold_does_not_dig_in_before_the_week_is_out(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world(*AT_OMSK))
    fresh = odds(state, ["cz_chel"], "omsk")
    _, fought = battle(state, {"legion": [Attack("cz_chel", "omsk")], "reds": [Hold("red_omsk")]}, 0)
    assert fought.defence == pytest.approx(fresh.defence, abs=0.1)


def test_men_caught_on_trains_defend_badly(mini_world: WorldOf) -> None:
    # The Penza Red Guards attack the Legion's Penza group in Penza station, on its trains or off them.
    on_trains = initial_state(mini_world())[0]
    off_trains = initial_state(mini_world("units[cz_penza].entrained=false"))[0]
    caught, ready = (odds(s, ["red_penza"], "penza") for s in (on_trains, off_trains))
    assert caught.defenders == ready.defenders == ("cz_penza",)
    assert caught.defence < ready.defence and caught.chance > ready.chance
    _, fought = battle(on_trains, {"reds": [Attack("red_penza", "penza")]}, 0)
    assert fought.defence == pytest.approx(caught.defence, abs=0.1)


def test_a_beaten_defender_retreats_and_the_station_changes_hands(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world(*AT_OMSK, "units[cz_chel].men=40000"))
    after, fought = won_battle(state, {"legion": [Attack("cz_chel", "omsk")]})
    assert fought.retreats == (("red_omsk", "baikal"),) and fought.destroyed == ()
    assert at(after, "red_omsk") == "baikal" and at(after, "cz_chel") == "omsk"
    w = after.world
    assert w.faction_ids[int(after.control[w.station_index["omsk"]])] == "legion"
    red = w.unit_index["red_omsk"]
    assert after.cohesion[red] < state.cohesion[red]
    assert int(after.men[red]) == 2000 - fought.defender_losses


def test_a_beaten_defender_with_nowhere_to_go_is_destroyed(mini_world: WorldOf) -> None:
    # The Legion also stands at Baikal, the only other way out of Omsk.
    state, _ = initial_state(mini_world(*AT_OMSK, "units[cz_chel].men=40000", "units[cz_vlad].station=baikal"))
    after, fought = won_battle(state, {"legion": [Attack("cz_chel", "omsk")]})
    assert fought.retreats == () and fought.destroyed == ("red_omsk",)
    w = after.world
    red = w.unit_index["red_omsk"]
    assert after.status[red] == Status.DESTROYED and int(after.men[red]) == 0
    assert fought.defender_losses == 2000
    assert int(after.casualties[w.faction_index["reds"]]) == 2000


def test_an_unopposed_attack_takes_the_station_without_loss(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world(*AT_OMSK, "units[red_omsk].station=penza"))
    after, fought = battle(state, {"legion": [Attack("cz_chel", "omsk")]}, 0)
    assert fought.attacker_won and fought.defenders == ()
    assert fought.attacker_losses == fought.defender_losses == 0
    w = after.world
    assert w.faction_ids[int(after.control[w.station_index["omsk"]])] == "legion"
    assert at(after, "cz_chel") == "omsk"


def test_taking_a_depot_rearms_the_legion(mini_world: WorldOf) -> None:
    # Half armed after the disarmament terms, the Chelyabinsk group takes the Omsk arsenal.
    state, _ = initial_state(mini_world(*AT_OMSK, "units[red_omsk].station=penza", "units[cz_chel].arms=0.5"))
    after, _ = battle(state, {"legion": [Attack("cz_chel", "omsk")]}, 0)
    u = after.world.unit_index["cz_chel"]
    assert after.arms[u] == pytest.approx(0.5 + after.world.rules.capture_arms)
    assert odds(after, ["cz_chel"], "penza").attack > odds(state, ["cz_chel"], "penza").attack


def test_the_americans_will_not_attack_the_reds(mini_world: WorldOf) -> None:
    # The 27th Infantry and the Chelyabinsk group both on trains at Ufa, a week's run from Red Samara.
    w = mini_world(
        "units[us_27].station=ufa",
        "units[us_27].entrained=true",
        "units[cz_chel].station=ufa",
        "units[cz_chel].entrained=true",
    )
    state, _ = initial_state(w)
    reason = why_illegal(state, "allies", Attack("us_27", "samara"))
    assert reason == "the Americans will not attack the Reds"
    assert Attack("us_27", "samara") not in legal_orders(state, "allies")
    assert why_illegal(state, "legion", Attack("cz_chel", "samara")) is None

    after, report = step(state, {"allies": [Attack("us_27", "samara")]}, np.random.default_rng(0))
    assert [(r.order, r.reason) for r in report.refused] == [("attack us_27 samara", reason)]
    assert report.battles == [] and at(after, "us_27") == "ufa"


def test_a_unit_driven_off_cannot_then_attack_from_its_old_place(fixture_world: WorldOf) -> None:
    # The B group attacks C; in the same week the Red army storms B (fought first) and drives it back to E.
    state, _ = initial_state(fixture_world("engine_crossroads.yaml"))
    orders = {"legion": [Attack("cz_b", "c")], "reds": [Attack("red_a", "b")]}
    after, report = step(state, orders, np.random.default_rng(0))
    assert report.battles[0].station == "b" and report.battles[0].retreats == (("cz_b", "e"),)
    assert at(after, "cz_b") == "e"
    assert [b.station for b in report.battles] == ["b"]


def test_a_weeks_battles_and_journeys_are_counted_as_told(campaign_world: World) -> None:
    # A batch counts each week's battles without telling them; the count is the number of records the report tells.
    game = Game(campaign_world, 7)
    commanders = {f: make_agent("ai", f, 2) for f in campaign_world.faction_ids}
    counted = told = 0
    while not game.state.ended and game.turn < 60:
        report = game.play({f: a.orders(game.state, f, game.agent_rng(f)) for f, a in commanders.items()})
        count = report.battle_count
        assert count == len(report.battles) == report.battle_count
        assert _MOVES.count(report) == len(report.moves)
        counted, told = counted + count, told + len(report.battles)
    assert counted == told > 0
