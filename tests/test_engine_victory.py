"""Victory points for each kind of objective, and the two ways a game ends."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pytest

from anabasis.engine import (
    Attack,
    Destroy,
    Evacuate,
    GameOver,
    GameState,
    Hold,
    Order,
    World,
    initial_state,
    legal_orders,
    result,
    step,
    why_illegal,
)

WorldOf = Callable[..., World]
AT_OMSK = ("units[cz_chel].entrained=true", "rules.train_km_per_day=250", "units[red_omsk].station=penza")


def weeks(state: GameState, n: int, first: Mapping[str, Sequence[Order]] | None = None, seed: int = 0) -> GameState:
    rng = np.random.default_rng(seed)
    for k in range(n):
        state, _ = step(state, (first or {}) if k == 0 else {}, rng)
    return state


def objective(state: GameState, name: str) -> float:
    return result(state).objectives[name]


def test_holding_stations_scores_each_week_for_each_station(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world(*AT_OMSK))
    quiet = weeks(state, 3)
    # The Legion holds Chelyabinsk of its three; the Reds hold all four of theirs.
    assert objective(quiet, "legion_hold") == 3 * 1
    assert objective(quiet, "reds_hold") == 3 * 4
    # Omsk taken in the first week counts for the Legion, and no longer for the Reds, from that week on.
    taken = weeks(state, 3, {"legion": [Attack("cz_chel", "omsk")]})
    assert objective(taken, "legion_hold") == 3 * 2
    assert objective(taken, "reds_hold") == 3 * 3


def test_a_hold_objective_can_count_an_allys_holdings(mini_world: WorldOf) -> None:
    # The Legion's aim is a line held by the Intervention: Omsk in White hands counts for it too.
    w = mini_world(
        *AT_OMSK, "victory.objectives[legion_hold].holders=[legion, whites]", "stations[omsk].held_by=whites"
    )
    state, _ = initial_state(w)
    assert objective(weeks(state, 3), "legion_hold") == 3 * 2
    assert objective(weeks(state, 3), "reds_hold") == 3 * 3
    alone, _ = initial_state(mini_world(*AT_OMSK, "stations[omsk].held_by=whites"))
    assert objective(weeks(alone, 3), "legion_hold") == 3 * 1


def test_men_shipped_home_score_per_thousand(mini_world: WorldOf) -> None:
    w = mini_world()
    state, _ = initial_state(w)
    after = weeks(state, 2, {"legion": [Evacuate("cz_vlad")]})
    evacuated = int(after.evacuated[w.faction_index["legion"]])
    assert evacuated == 2 * int(w.port_men[w.station_index["vladivostok"]])
    assert objective(after, "legion_home") == pytest.approx(2 * evacuated / 1000)


def test_a_stockpile_scores_while_it_exists_and_no_enemy_holds_it(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world())
    assert objective(weeks(state, 4), "allies_stores") == 4 * 0.5
    burnt = weeks(state, 4, {"allies": [Destroy("us_27", "vlad_stores")]})
    assert objective(burnt, "allies_stores") == 0.0
    assert why_illegal(burnt, "allies", Destroy("us_27", "vlad_stores")) == "Vladivostok war stores is already gone"
    lost, _ = initial_state(mini_world("stations[vladivostok].held_by=reds"))
    assert objective(weeks(lost, 4), "allies_stores") == 0.0


def test_killing_an_enemys_men_scores_per_thousand(mini_world: WorldOf) -> None:
    w = mini_world()
    state, _ = initial_state(w)
    # The Penza Red Guards fall on the Legion's trains in Penza station.
    after, report = step(state, {"reds": [Attack("red_penza", "penza")]}, np.random.default_rng(0))
    [fought] = report.battles
    legion_lost = int(after.casualties[w.faction_index["legion"]])
    assert legion_lost == fought.defender_losses > 0
    assert objective(after, "reds_kill") == pytest.approx(legion_lost / 1000, abs=0.005)


def test_a_side_scores_the_sum_of_its_factions(mini_world: WorldOf) -> None:
    state = weeks(initial_state(mini_world())[0], 5)
    outcome = result(state)
    assert outcome.sides["intervention"] == pytest.approx(
        sum(outcome.factions[f] for f in ("legion", "allies", "whites")), abs=0.02
    )
    assert outcome.sides["reds"] == pytest.approx(outcome.factions["reds"], abs=0.01)
    assert outcome.winner == max(outcome.sides, key=lambda side: outcome.sides[side])


def test_the_game_ends_with_the_turn_of_its_end_date(mini_world: WorldOf) -> None:
    w = mini_world()
    state, _ = initial_state(w)
    rng = np.random.default_rng(0)
    played = 0
    while not state.ended:
        state, _ = step(state, {}, rng)
        played += 1
    assert played == w.turns
    assert state.world.date_of(played - 1) <= w.scenario.meta.end < state.world.date_of(played)
    outcome = result(state)
    assert outcome.reason == "date" and outcome.turns == w.turns
    with pytest.raises(GameOver):
        step(state, {"legion": [Hold("cz_chel")]}, rng)
    assert why_illegal(state, "legion", Hold("cz_chel")) == "the game is over"
    assert legal_orders(state, "legion").count() == 0


def test_the_game_ends_when_a_side_has_nobody_left(fixture_world: WorldOf) -> None:
    w = fixture_world("engine_last_stand.yaml")
    state, _ = initial_state(w)
    for seed in range(20):
        after, report = step(state, {"legion": [Attack("cz_west", "middle")]}, np.random.default_rng(seed))
        if report.battles[0].attacker_won:
            break
    assert report.battles[0].destroyed == ("red_middle",)
    assert after.ended and after.turn == 1 < w.turns
    outcome = result(after)
    assert outcome.reason == "decided" and outcome.winner == "intervention"
    with pytest.raises(GameOver):
        step(after, {}, np.random.default_rng(0))


def test_a_side_with_men_still_to_come_is_not_beaten(fixture_world: WorldOf) -> None:
    # The same garrison destroyed, but the East group is now a Red column due in August.
    w = fixture_world("engine_last_stand.yaml", "units[cz_east].faction=reds", "units[cz_east].arrives=1918-08-05")
    state, _ = initial_state(w)
    for seed in range(20):
        after, report = step(state, {"legion": [Attack("cz_west", "middle")]}, np.random.default_rng(seed))
        if report.battles[0].attacker_won:
            break
    assert report.battles[0].destroyed == ("red_middle",)
    assert not after.ended
