"""The AI's doctrine is the scenario's data: what a designer writes in `doctrines:` reaches the games, and a
doctrine that names what the scenario does not have is refused as FILE:LINE: field: message."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from anabasis.engine import World
from anabasis.engine.game import Game
from anabasis.scenario import ScenarioError, load_scenario
from anabasis.sim.game import Matchup, play

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
