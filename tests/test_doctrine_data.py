"""The AI's doctrine is the scenario's data: what a designer writes in `doctrines:` reaches the games, and a
doctrine that names what the scenario does not have is refused as FILE:LINE: field: message."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from anabasis.engine import World, compile_world
from anabasis.engine.game import Game
from anabasis.scenario import ScenarioError, load_scenario
from anabasis.sim.game import Matchup, play
from anabasis.sim.milestones import Milestones

WorldOf = Callable[..., World]
MINI = Path(__file__).resolve().parent / "fixtures" / "mini.yaml"
SOURCE = "source: {doc: history, note: a test doctrine}"


def answer_to_demand(world: World, seed: int = 1) -> str:
    """The option the Legion's AI gave to the disarmament demand, played out with every faction an AI."""
    game = Game(world, seed)
    for _ in play(game, Matchup.of(world, {}), 6):
        pass
    answers = [text for orders in game.log for text in orders.get("legion", []) if text.startswith("answer demand")]
    assert len(answers) == 1, answers
    return answers[0].split()[-1]


def test_the_legion_answers_as_its_doctrine_says(mini_world: WorldOf) -> None:
    assert answer_to_demand(mini_world()) == "fight"
    disarm = f"doctrines[legion].answers=[{{decision: demand, choose: disarm, {SOURCE}}}]"
    assert answer_to_demand(mini_world(disarm)) == "disarm"


def test_without_an_answer_in_its_doctrine_the_ai_takes_the_decisions_default(mini_world: WorldOf) -> None:
    assert answer_to_demand(mini_world("events[demand].decision.default=disarm")) == "disarm"


def test_an_answer_with_chances_explores_both_branches_and_each_game_replays(mini_world: WorldOf) -> None:
    world = mini_world(
        f"doctrines[legion].answers=[{{decision: demand, choose: {{fight: 0.5, disarm: 0.5}}, {SOURCE}}}]"
    )
    taken = [answer_to_demand(world, seed) for seed in range(16)]
    assert set(Counter(taken)) == {"fight", "disarm"}
    assert [answer_to_demand(world, seed) for seed in range(4)] == taken[:4]


def red_attacks(world: World) -> int:
    game = Game(world, 3)
    reports = [week.report for week in play(game, Matchup.of(world, {}))]
    return sum(1 for r in reports for b in r.battles if b.attacker == "reds")


def test_the_reds_wait_for_their_counter_offensive_phase(fixture_world: WorldOf) -> None:
    assert red_attacks(fixture_world("ai_volga.yaml")) > 0
    assert red_attacks(fixture_world("ai_volga.yaml", "doctrines[reds].phases=[]")) == 0  # they stand, all war


def problems(*overrides: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(MINI, overrides)
    return [f"{p.field}: {p.message}" for p in caught.value.problems]


@pytest.mark.parametrize(
    ("override", "said"),
    [
        (
            f"doctrines[legion].answers=[{{decision: demnd, choose: fight, {SOURCE}}}]",
            "doctrines[legion].answers[demnd].decision: no event 'demnd'; did you mean 'demand'?",
        ),
        (
            f"doctrines[reds].answers=[{{decision: demand, choose: fight, {SOURCE}}}]",
            "doctrines[reds].answers[demand].decision: the decision of 'demand' is 'legion''s to answer, not 'reds''s",
        ),
        (
            f"doctrines[legion].answers=[{{decision: demand, choose: surrender, {SOURCE}}}]",
            "doctrines[legion].answers[demand].choose: event 'demand' has no option 'surrender'; "
            "its options are fight, disarm",
        ),
        (
            f"doctrines[legion].answers=[{{decision: demand, choose: {{fight: 0.5, disarm: 0.4}}, {SOURCE}}}]",
            "doctrines[legion].answers[demand].choose: the probabilities sum to 0.9, not 1",
        ),
        (
            f"doctrines[legion].answers=[{{decision: omsk_rising, choose: fight, {SOURCE}}}]",
            "doctrines[legion].answers[omsk_rising].decision: event 'omsk_rising' puts no decision to anyone",
        ),
        (
            "doctrines[legion].line=vladivostk",
            "doctrines[legion].line: no station 'vladivostk'; did you mean 'vladivostok'?",
        ),
        (
            f"doctrines[reds].phases=[{{id: late, when: [{{kind: fired, event: armstice}}], reach_km: 10, {SOURCE}}}]",
            "doctrines[reds].phases[late].when[0].event: no event 'armstice'",
        ),
        ("doctrines[whites].faction=reds", "doctrines[reds].faction: faction 'reds' has a doctrine already"),
        ("doctrines[reds].attack_chance=0.2", "doctrines[reds].attack_chance: Input should be greater than or equal"),
    ],
)
def test_a_doctrine_that_names_what_is_not_there_is_refused(override: str, said: str) -> None:
    found = problems(override)
    assert any(p.startswith(said) for p in found), found


CAMPAIGN = Path(__file__).resolve().parents[1] / "scenarios" / "revolt-1918.yaml"


@cache
def campaign_with(*overrides: str) -> World:
    return compile_world(load_scenario(CAMPAIGN, overrides))


def halved_red_army() -> tuple[str, ...]:
    """`--set` changes that halve every Red unit of the campaign."""
    units = load_scenario(CAMPAIGN).units
    return tuple(f"units[{u.id}].men={max(1, u.men // 2)}" for u in units if u.faction == "reds")


def median_turns(world: World, keys: list[str], games: int = 8) -> dict[str, float]:
    """The median turn of each key date over AI games (a date that never came counts as after the end)."""
    seen: dict[str, list[int]] = {key: [] for key in keys}
    for seed in range(games):
        game = Game(world, seed)
        milestones = Milestones.start(game.state)
        for week in play(game, Matchup.of(world, {})):
            milestones.observe(week.report.turn, week.state)
        dates = milestones.by_id()
        for key in keys:
            turn = dates[key]
            seen[key].append(world.turns if turn is None else turn)
    return {key: float(np.median(turns)) for key, turns in seen.items()}


def test_a_halved_red_army_wins_back_the_volga_and_the_urals_later() -> None:
    """The Reds advance because they win, not because a date came: weaker, they come later to every prize."""
    keys = ["returns.samara", "returns.chelyabinsk", "returns.omsk"]
    usual = median_turns(campaign_with(), keys)
    weaker = median_turns(campaign_with(*halved_red_army()), keys)
    for key in keys:
        assert weaker[key] >= usual[key] + 4, (key, usual[key], weaker[key])


def test_the_north_russian_contingents_keep_to_their_fronts() -> None:
    world = campaign_with()
    north = set(next(r for r in world.scenario.regions if r.id == "north_russia").stations)
    contingents = {world.contingent_index[("allies", c)] for c in ("britain_north", "usa_north")}
    units = [u for u in range(world.n_units) if int(world.unit_contingent[u]) in contingents]
    for seed in range(3):
        game = Game(world, seed)
        for week in play(game, Matchup.of(world, {})):
            stations = week.state.station[units]
            assert {world.station_ids[s] for s in stations.tolist() if s >= 0} <= north, week.report.date


def test_a_faction_holds_its_fire_in_the_regions_its_doctrine_names_until_a_phase_lifts_it() -> None:
    """The Legion starts no fight in the Maritime Province until its Vladivostok coup, and none on the Amur after."""
    world = campaign_with()
    regions = {r.id: set(r.stations) for r in world.scenario.regions}
    before: set[str] = set()
    after: set[str] = set()
    for seed in range(3):
        game = Game(world, seed)
        for week in play(game, Matchup.of(world, {}), 16):
            coup = bool(game.state.fired[world.event_index["vladivostok_coup"]])
            fought = {b.station for b in week.report.battles if b.attacker == "legion"}
            (after if coup and "vladivostok_coup" not in week.report.events else before).update(fought)
    assert before and not before & regions["primorye"]
    assert after & regions["primorye"] and not after & regions["ussuri_and_amur"]


def test_a_doctrine_naming_an_unknown_region_is_refused() -> None:
    found = problems("doctrines[legion].hold_fire_in=[east_of_baical]")
    assert "doctrines[legion].hold_fire_in[0]: no region 'east_of_baical'; did you mean 'east_of_baikal'?" in found
