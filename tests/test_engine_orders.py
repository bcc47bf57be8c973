"""Orders: their text reads back, the legal ones are exactly those the rules accept, and the rest get a reason."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from anabasis.engine import (
    Answer,
    Attack,
    Blow,
    Destroy,
    Detrain,
    Entrain,
    Evacuate,
    GameState,
    Hold,
    Move,
    Order,
    OrderSyntaxError,
    Repair,
    Status,
    World,
    initial_state,
    legal_orders,
    step,
    why_illegal,
)
from anabasis.engine.game import Game
from anabasis.engine.legal import refusals
from anabasis.engine.orders import ORDER_KINDS, UnitOrder
from anabasis.engine.passage import (
    ATTACK,
    BLOW,
    DESTROY,
    DETRAIN,
    ENTRAIN,
    EVACUATE,
    HOLD,
    MOVE,
    REPAIR,
    encode,
    order_of,
    verdicts,
)

ACTIVE = Status.ACTIVE

WorldOf = Callable[..., World]
PlayRandom = Callable[..., Game]

ids = st.from_regex(r"[a-z][a-z0-9_]{0,24}", fullmatch=True)
segments = st.builds(lambda a, b: f"{a}-{b}", ids, ids)
orders = st.one_of(
    st.builds(Move, ids, ids),
    st.builds(Entrain, ids),
    st.builds(Detrain, ids),
    st.builds(Attack, ids, ids),
    st.builds(Hold, ids),
    st.builds(Blow, ids, segments),
    st.builds(Repair, ids, segments),
    st.builds(Evacuate, ids),
    st.builds(Destroy, ids, ids),
    st.builds(Answer, ids, ids),
)

# What a player must never read in a reason: Python reprs, numpy types, raw containers, internal indices.
KINDS = ", ".join(ORDER_KINDS)  # as a refusal lists them
UNREADABLE = re.compile(r"np\.|array\(|dtype|int64|float64|<\w|Order\.parse|\bNone\b|\bTrue\b|\bFalse\b|[\[\]{}]|-1\b")


@given(orders)
def test_an_orders_text_reads_back_as_the_same_order(order: Order) -> None:
    assert Order.parse(str(order)) == order
    assert Order.parse(f"  {str(order).upper().split()[0]} {' '.join(str(order).split()[1:])}  ") == order


@given(orders)
def test_an_orders_repr_pastes_back_as_code(order: Order) -> None:
    assert eval(repr(order), {"Order": Order}) == order


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "an empty order"),
        ("march cz_chel omsk", "'march' is not an order; orders are: move, entrain"),
        ("move cz_chel", "move takes 2 word(s) after it"),
        ("hold cz_chel now", "hold takes 1 word(s) after it"),
    ],
)
def test_text_that_is_not_an_order_says_what_orders_look_like(text: str, message: str) -> None:
    with pytest.raises(OrderSyntaxError) as caught:
        Order.parse(text)
    assert isinstance(caught.value, ValueError) and message in str(caught.value)


def candidates(state: GameState, units: list[str] | None = None) -> Iterator[Order]:
    """Every order of every kind for `units` (all, and one that does not exist, by default) to every station,
    segment and stockpile, and the answers to every decision, with some that name nothing."""
    w = state.world
    segs = [*sorted(w.segment_names), "penza-atlantis"]
    for unit in [*w.unit_ids, "ghost"] if units is None else units:
        yield from (Hold(unit), Entrain(unit), Detrain(unit), Evacuate(unit))
        for station in [*w.station_ids, "atlantis"]:
            yield from (Move(unit, station), Attack(unit, station))
        for seg in segs:
            yield from (Blow(unit, seg), Repair(unit, seg))
        for stockpile in [*w.stockpile_ids, "gold"]:
            yield Destroy(unit, stockpile)
    for event in w.events:
        for option in [*(o[0] for o in event.options), "maybe"]:
            yield Answer(event.id, option)
    yield Answer("armistice", "sign")


def mini_states(mini_world: WorldOf, play_random: PlayRandom) -> Iterator[GameState]:
    """Positions of the fixture from random games: the opening, mid-game, and late."""
    w = mini_world()
    for seed, turns in ((0, 0), (1, 1), (2, 6), (3, 15), (4, 30)):
        yield play_random(w, seed, turns).state


def test_the_legal_orders_are_exactly_those_the_rules_accept(mini_world: WorldOf, play_random: PlayRandom) -> None:
    for state in mini_states(mini_world, play_random):
        for faction in state.world.faction_ids:
            legal = legal_orders(state, faction)
            listed = list(legal)
            assert len(set(listed)) == len(listed) == legal.count()
            accepted = [o for o in candidates(state) if why_illegal(state, faction, o) is None]
            assert sorted(map(str, listed)) == sorted(map(str, accepted))
            assert all(o in legal for o in listed)


def test_an_order_the_ai_makes_from_a_row_is_judged_as_the_same_order_typed(
    mini_world: WorldOf, play_random: PlayRandom
) -> None:
    """The planner's orders come from the world's order book, whose rows the turn takes without reading the orders
    again: each must be the order its row says, judged exactly as the same order typed by a player."""
    state = play_random(mini_world(), 2, 6).state
    w = state.world
    targets = {MOVE: w.n_stations, ATTACK: w.n_stations, BLOW: len(w.segment_names), REPAIR: len(w.segment_names)}
    targets[DESTROY] = len(w.stockpile_ids)
    for faction in range(w.n_factions):
        for kind in (MOVE, ENTRAIN, DETRAIN, ATTACK, HOLD, BLOW, REPAIR, EVACUATE, DESTROY):
            rows = [(kind, u, t) for u in range(w.n_units) for t in range(targets.get(kind, 0)) or [-1]]
            made = [order_of(w, *row) for row in rows]
            typed = [Order.parse(str(order)) for order in made]
            assert [order_of(w, *row) for row in rows] == made  # one order per row, made once
            assert all(order_of(w, *row) is order for row, order in zip(rows, made, strict=True))
            assert [(k, u, t) for _, k, u, t, _ in encode(w, [(faction, made)]).tolist()] == rows
            assert np.array_equal(encode(w, [(faction, made)]), encode(w, [(faction, typed)]))
            assert np.array_equal(
                verdicts(state, encode(w, [(faction, made)])), verdicts(state, encode(w, [(faction, typed)]))
            )


def test_a_units_legal_orders_are_its_share_of_the_factions(mini_world: WorldOf, play_random: PlayRandom) -> None:
    state = play_random(mini_world(), 5, 4).state
    w = state.world
    everything = [o for o in legal_orders(state, "legion") if not isinstance(o, Answer)]
    by_unit = [o for u in w.unit_ids for o in legal_orders(state, "legion", unit=u)]
    assert sorted(map(str, by_unit)) == sorted(map(str, everything))
    assert list(legal_orders(state, "legion", unit="red_penza")) == []
    assert Hold("cz_chel") not in legal_orders(state, "legion", unit="cz_vlad")


def test_every_refusal_reads_as_words_with_names(mini_world: WorldOf, play_random: PlayRandom) -> None:
    for state in mini_states(mini_world, play_random):
        w = state.world
        for faction in w.faction_ids:
            for order in candidates(state):
                reason = why_illegal(state, faction, order)
                if reason is None:
                    continue
                assert reason.strip() and not UNREADABLE.search(reason), (str(order), reason)
                unit = getattr(order, "unit", None)
                if unit in w.unit_index:
                    # The unit or the place it is told about is named the way the player sees it.
                    names = {w.unit_names[w.unit_index[unit]], *w.station_names, *w.stockpile_names}
                    names |= set(w.segment_names)
                    names |= {f"the {c}" for c in w.contingent_names}
                    names |= {f"'{word}'" for word in str(order).split()[1:]}  # what names nothing is quoted
                    assert any(name in reason for name in names), (str(order), reason)


@pytest.mark.parametrize(
    ("faction", "order", "reason"),
    [
        ("legion", Hold("ghost"), "there is no unit 'ghost'"),
        ("legion", Hold("red_penza"), "Penza Red Guards is not yours: it serves the Reds"),
        ("reds", Hold("red_army"), "1st Red Army has not arrived yet (due 1918-08-26)"),
        ("whites", Hold("whites_omsk"), "Omsk underground is held in reserve until an event brings it in"),
        ("legion", Move("cz_chel", "atlantis"), "there is no station 'atlantis'"),
        ("legion", Move("cz_chel", "chelyabinsk"), "Chelyabinsk group is already at Chelyabinsk"),
        ("legion", Move("cz_chel", "samara"), "Samara is held by the enemy: attack it instead"),
        (
            "legion",
            Attack("cz_vlad", "vladivostok"),
            "the Czechoslovak Legion and the Allies are allies: Vladivostok cannot be attacked",
        ),
        ("legion", Attack("cz_chel", "penza"), "Penza is not next to Chelyabinsk group along an open line"),
        ("legion", Attack("cz_chel", "omsk"), "Omsk is 798 km away and men on foot cover 140 km a week: entrain first"),
        ("legion", Entrain("cz_penza"), "Penza group is already on its trains"),
        ("legion", Detrain("cz_chel"), "Chelyabinsk group is not on trains"),
        ("legion", Blow("cz_chel", "syzran-samara"), "Chelyabinsk group is not at either end of syzran-samara"),
        ("legion", Destroy("cz_vlad", "gold"), "there is no stockpile 'gold'"),
        ("legion", Destroy("cz_chel", "vlad_stores"), "Vladivostok war stores is not where Chelyabinsk group stands"),
        ("legion", Answer("demand", "fight"), "no decision of yours is waiting on 'demand'"),
        ("legion", UnitOrder("cz_chel"), f"a bare UnitOrder to 'cz_chel' is not an order; orders are: {KINDS}"),
        ("legion", Order(), f"a bare Order is not an order; orders are: {KINDS}"),
        ("legion", "move cz_chel samara", f"'move cz_chel samara' is not an order; orders are: {KINDS}"),
    ],
)
def test_a_refusal_says_what_is_wrong(mini_world: WorldOf, faction: str, order: Order, reason: str) -> None:
    state = Game(mini_world(), 0).state
    assert why_illegal(state, faction, order) == reason


def test_a_unit_takes_one_order_a_week_and_a_decision_one_answer(mini_world: WorldOf) -> None:
    game = Game(mini_world(), 0)
    game.play({})
    report = game.play(
        {
            "legion": [
                Answer("demand", "disarm"),
                Answer("demand", "fight"),
                Move("cz_chel", "ufa"),
                Hold("cz_chel"),
            ]
        }
    )
    assert [(r.order, r.reason) for r in report.refused] == [
        ("answer demand fight", "that decision is already answered this turn"),
        ("hold cz_chel", "Chelyabinsk group already has an order this turn"),
    ]
    assert ("decision", "demand", "disarm (legion)") in [(h.kind, h.subject, h.text) for h in report.happenings]
    assert [m.unit for m in report.moves if m.unit == "cz_chel"] == ["cz_chel"]


def test_a_train_too_far_to_attack_is_not_told_to_entrain(mini_world: WorldOf) -> None:
    state = Game(mini_world("units[cz_chel].entrained=true"), 0).state
    reason = why_illegal(state, "legion", Attack("cz_chel", "omsk"))
    assert reason is not None and "798 km" in reason
    assert "on foot" not in reason and "entrain first" not in reason


def test_the_legal_orders_in_the_campaign_are_exactly_those_accepted(
    campaign_world: World, play_random: PlayRandom
) -> None:
    w = campaign_world
    for seed, turns in ((0, 0), (1, 12), (2, 40)):
        state = play_random(w, seed, turns).state
        for faction in w.faction_ids:
            f = w.faction_index[faction]
            mine = [w.unit_ids[u] for u in range(w.n_units) if w.unit_faction[u] == f and state.status[u] == ACTIVE]
            listed = sorted(map(str, legal_orders(state, faction)))
            assert listed, faction
            accepted = [o for o in candidates(state, mine) if why_illegal(state, faction, o) is None]
            assert listed == sorted(map(str, accepted))


def test_a_train_out_on_the_line_cannot_be_sent_through_the_enemy_station_ahead(mini_world: WorldOf) -> None:
    # The Legion's echelon is bound east through Omsk, which it holds; a week out, the Reds retake Omsk.
    w = mini_world("units[cz_chel].entrained=true", "stations[omsk].held_by=legion", "units[red_omsk].station=penza")
    state, _ = initial_state(w)
    state, _ = step(state, {"legion": [Move("cz_chel", "baikal")]}, np.random.default_rng(0))
    u = w.unit_index["cz_chel"]
    assert state.segment[u] == w.segment_index["chelyabinsk-omsk"]
    state.control[w.station_index["omsk"]] = w.faction_index["reds"]
    state.touch()
    reason = why_illegal(state, "legion", Move("cz_chel", "baikal"))
    assert reason is not None and "Omsk" in reason
    assert why_illegal(state, "legion", Move("cz_chel", "chelyabinsk")) is None
    assert Move("cz_chel", "baikal") not in legal_orders(state, "legion", unit="cz_chel")


def test_a_whole_turns_orders_get_the_reasons_each_gets_alone(
    mini_world: WorldOf, campaign_world: World, play_random: PlayRandom
) -> None:
    """The turn checks a faction's moves together in one compiled pass; a player reads the same refusals as when
    each order is asked about alone, on the fixture and on the campaign's contingents kept to their regions."""
    w = campaign_world
    states = [
        *mini_states(mini_world, play_random),
        *(play_random(w, seed, turns).state for seed, turns in ((1, 12), (2, 40))),
    ]
    for state in states:
        for faction in state.world.faction_ids:
            units = [*state.world.unit_ids, "ghost"] if state.world is not w else None
            orders = [o for o in candidates(state, units) if isinstance(o, Move | Hold)]
            assert refusals(state, faction, orders) == [why_illegal(state, faction, o) for o in orders]
    # and through a week: each unit told to go somewhere, the refusals in the report in the order given
    state = play_random(w, 3, 20).state
    given = {
        faction: [Move(unit, w.station_ids[(7 * k) % w.n_stations]) for k, unit in enumerate(w.unit_ids)]
        for faction in w.faction_ids
    }
    _, report = step(state, given, np.random.default_rng(0))
    told = [(o, why_illegal(state, faction, o), faction) for faction, orders in given.items() for o in orders]
    assert [(r.faction, r.order, r.reason) for r in report.refused] == [
        (faction, str(o), why) for o, why, faction in told if why is not None
    ]
    reasons = {why for _, why, _ in told if why is not None}
    assert any("must stay within" in why for why in reasons) and any("no open line" in why for why in reasons)
