"""A unit short of supply is told why and what would feed it, by the same pieces of network the supply step uses:
the explanation's share of the need is what the week then gives it."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from anabasis.engine import Blow, GameState, World, initial_state, step
from anabasis.engine.game import Game
from anabasis.engine.shortage import Cause, supply_check

WorldOf = Callable[..., World]
PlayRandom = Callable[..., Game]


def week(state: GameState, orders: dict[str, list[Blow]] | None = None) -> GameState:
    return step(state, orders or {}, np.random.default_rng(0))[0]


def test_a_unit_in_a_station_the_enemy_holds_is_told_to_take_it(mini_world: WorldOf) -> None:
    w = mini_world()
    state, _ = initial_state(w)
    check = supply_check(state, w.unit_index["cz_penza"])
    assert check.cause is Cause.ENEMY_STATION and check.share == 0.0
    assert check.station == w.station_index["penza"]
    assert check.reason == "Penza is held by the Reds, and no depot feeds units in an enemy's station"
    assert check.remedy == "take Penza (attack it)"  # no friendly depot it could reach instead


def test_a_unit_in_an_enemy_station_next_to_a_fed_one_is_told_it_may_move_there(mini_world: WorldOf) -> None:
    w = mini_world("stations[ufa].held_by=legion", "units[cz_penza].station=samara", "units[cz_penza].men=1000",
                   "units[cz_chel].men=1000")  # fmt: skip
    state, _ = initial_state(w)
    check = supply_check(state, w.unit_index["cz_penza"])
    assert check.cause is Cause.ENEMY_STATION
    assert check.refuge == w.station_index["ufa"] and check.refuge_km == 455
    assert check.remedy == "take Samara (attack it), or move it to Ufa (455 km), where the depots would feed it"


def test_a_garrison_behind_a_blown_bridge_is_told_which_line_to_repair(mini_world: WorldOf) -> None:
    bridge = (
        "segments[ufa-chelyabinsk].features=[{kind: bridge, name: Ufa bridge, repair_weeks: 20,"
        " source: {doc: history, note: test bridge}}]"
    )
    pocket = ("stations[ufa].held_by=legion", "stations[ufa].depot=0", "stations[chelyabinsk].depot=10")
    w = mini_world(
        *pocket, "units[cz_penza].station=ufa", "units[cz_penza].men=4000", "units[cz_chel].men=4000", bridge
    )
    state, _ = initial_state(w)
    assert not supply_check(state, w.unit_index["cz_penza"]).short
    state = week(state, {"legion": [Blow("cz_chel", "ufa-chelyabinsk")]})
    check = supply_check(state, w.unit_index["cz_penza"])
    assert check.cause is Cause.CUT_OFF and check.share == 0.0
    assert check.segment == w.segment_index["ufa-chelyabinsk"] and check.depot == w.station_index["chelyabinsk"]
    assert check.reason.startswith("cut off from the nearest depot, Chelyabinsk (485 km): the line Ufa–Chelyabinsk")
    assert check.remedy == "repair the line Ufa–Chelyabinsk"


def test_a_unit_between_two_enemy_stations_is_told_which_to_retake(mini_world: WorldOf) -> None:
    w = mini_world("stations[chita].held_by=reds", "units[whites_chita].station=vladivostok",
                   "units[cz_vlad].station=baikal")  # fmt: skip
    state, _ = initial_state(w)
    check = supply_check(state, w.unit_index["cz_vlad"])
    assert check.cause is Cause.CUT_OFF
    assert check.depot == w.station_index["vladivostok"] and check.station == w.station_index["chita"]
    assert check.remedy == "retake Chita"
    assert check.refuge == -1  # both ways out are the enemy's


def test_too_many_men_on_one_depot_are_told_the_figures_and_get_that_share(mini_world: WorldOf) -> None:
    w = mini_world("stations[chelyabinsk].depot=5", "stations[ufa].depot=0", "units[cz_chel].stores=2")
    state, _ = initial_state(w)
    unit = w.unit_index["cz_chel"]
    check = supply_check(state, unit)
    assert check.cause is Cause.OVERDRAWN
    assert check.share == pytest.approx(5 / 8)
    assert "issue 5.0 a week, and the 8,000 men drawing on them need 8.0" in check.reason
    # The week gives it just that share: a week's stores eaten, twice its share brought in (kept in the stores'
    # own number type, whole weeks in this scenario).
    assert week(state).stores[unit] == state.stores.dtype.type(2 - 1 + 2 * 5 / 8)


def test_a_fed_unit_says_so_and_is_not_short(mini_world: WorldOf) -> None:
    w = mini_world("units[cz_vlad].men=7000")
    state, _ = initial_state(w)
    check = supply_check(state, w.unit_index["cz_vlad"])
    assert check.cause is Cause.FED and not check.short and check.share == 1.0
    assert check.reason == "in supply" and check.remedy == ""


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_every_explanation_matches_what_the_week_gives(mini_world: WorldOf, play_random: PlayRandom, seed: int) -> None:
    """Over random games: what the check says a unit gets is what the week's supply gives it (no one moving)."""
    w = mini_world()
    state = play_random(w, seed, turns=6).state.copy()
    state.goal[:] = -1  # nobody travels on: the network stays as the check saw it
    after = week(state)
    for u in np.flatnonzero(state.status == 1).tolist():
        check = supply_check(state, u)
        expected = min(max(float(state.stores[u]) - 1 + 2 * check.share, 0.0), w.rules.stores_weeks)
        assert after.stores[u] == pytest.approx(state.stores.dtype.type(expected)), (w.unit_ids[u], check)
