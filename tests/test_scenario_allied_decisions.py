"""The Allied command's choices are scenario data: put to it from the first week, sourced, answered by the AI
through its doctrine, and left to their defaults by a command that gives no orders, which fares clearly worse."""

from __future__ import annotations

import statistics

from anabasis.engine import World, initial_state
from anabasis.engine.events import pending_decisions
from anabasis.engine.game import Game
from anabasis.engine.report import Report
from anabasis.scenario.sources import CITABLE
from anabasis.sim.game import Matchup, play

SEEDS = range(10)  # whole campaigns, well under a second each


def allied_decisions(world: World) -> dict[str, int]:
    """The decisions the Allies answer: event id -> index."""
    allies = world.faction_index["allies"]
    return {e.id: k for k, e in enumerate(world.events) if e.options and e.decision_faction == allies}


def answers_given(world: World, reports: list[Report]) -> dict[str, str]:
    """Each Allied decision answered in a game: event id -> `option (who)` as the week's report notes it."""
    asked = allied_decisions(world)
    return {h.subject: h.text for r in reports for h in r.happenings if h.kind == "decision" and h.subject in asked}


def campaign(world: World, seed: int, agents: dict[str, str]) -> tuple[list[Report], float, float]:
    """A whole campaign: its reports, and the points of the intervention and of the Reds at the end."""
    game = Game(world, seed)
    reports = [week.report for week in play(game, Matchup.of(world, agents))]
    points = game.state.side_points()
    side = world.side_ids
    return reports, float(points[side.index("intervention")]), float(points[side.index("reds")])


def test_the_allies_have_a_decision_in_the_first_week(campaign_world: World) -> None:
    state, _ = initial_state(campaign_world)
    waiting = pending_decisions(state, campaign_world.faction_index["allies"])
    assert [campaign_world.events[k].id for k in waiting] == ["american_expedition"]


def test_every_allied_decision_is_sourced_and_its_doctrine_answers_it(campaign_world: World) -> None:
    scenario = campaign_world.scenario
    asked = allied_decisions(campaign_world)
    assert len(asked) >= 6
    events = {e.id: e for e in scenario.events}
    for event_id in asked:
        assert events[event_id].source.doc in CITABLE and len(events[event_id].source.note) > 20
    doctrine = next(d for d in scenario.doctrines if d.faction == "allies")
    answers = {a.decision: a for a in doctrine.answers}
    assert set(asked) <= set(answers)
    for event_id in asked:
        assert answers[event_id].source.doc in CITABLE


def test_the_ai_answers_through_its_doctrine_and_a_passive_command_leaves_the_defaults(campaign_world: World) -> None:
    w = campaign_world
    doctrine = next(d for d in w.scenario.doctrines if d.faction == "allies")
    wanted = {a.decision: a.choose for a in doctrine.answers}
    active, _, _ = campaign(w, 1, {})
    passive, _, _ = campaign(w, 1, {"allies": "passive"})
    asked = allied_decisions(w)
    by_ai, by_default = answers_given(w, active), answers_given(w, passive)
    assert set(by_ai) == set(by_default) and {"american_expedition", "home_front_1918"} <= set(by_ai)
    assert by_ai == {e: f"{wanted[e]} (allies)" for e in by_ai}
    defaults = {e: w.events[asked[e]].options[w.events[asked[e]].default_option][0] for e in by_default}
    assert by_default == {e: f"{defaults[e]} (default)" for e in by_default}
    assert any(wanted[e] != defaults[e] for e in by_ai)  # the choices matter: doing nothing is not history


def test_a_passive_allied_command_fares_clearly_worse_than_the_ai(campaign_world: World) -> None:
    """Measure it at scale with `anabasis sim scenarios/revolt-1918.yaml --games 100 --workers 1 --seed 1
    --agent allies=passive` against the same batch without `--agent`."""
    points: dict[str, list[float]] = {"ai": [], "passive": []}
    margins: dict[str, list[float]] = {"ai": [], "passive": []}
    for seed in SEEDS:
        for kind, agents in (("ai", {}), ("passive", {"allies": "passive"})):
            _, intervention, reds = campaign(campaign_world, seed, agents)
            points[kind].append(intervention)
            margins[kind].append(intervention - reds)
    assert statistics.mean(points["ai"]) - statistics.mean(points["passive"]) >= 15
    assert statistics.mean(margins["ai"]) - statistics.mean(margins["passive"]) >= 20
