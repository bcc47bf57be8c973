"""One headless game: AI commanders for every faction, played week by week from a seed.

`play` yields each resolved week (for the log of `anabasis run`); `simulate` plays a whole game and returns one
flat row plus the week-by-week record the batch's over-time statistics need. The same function runs in a test,
a worker process or a Dask worker.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from anabasis.ai.agent import Agent
from anabasis.ai.registry import AGENTS, make_agent
from anabasis.engine.game import Game
from anabasis.engine.report import Report
from anabasis.engine.state import GameState
from anabasis.engine.victory import Result, result
from anabasis.engine.world import World
from anabasis.sim.losses import ContingentLosses, loss_buckets
from anabasis.sim.milestones import Milestones
from anabasis.sim.timeline import Timeline, TimelineRecorder

Row = dict[str, Any]


def default_kind() -> str:
    """The commander every faction gets unless told otherwise: the doctrine AI once registered."""
    return "ai" if "ai" in AGENTS else "random"


@dataclass(frozen=True)
class Matchup:
    """Who commands each faction, and how well: plain names, so it travels to worker processes."""

    agents: tuple[tuple[str, str], ...]  # (faction, agent kind) in the world's faction order
    skill: int = 2

    @classmethod
    def of(cls, world: World, chosen: Mapping[str, str], skill: int = 2) -> Matchup:
        """Every faction of `world`, with `chosen` kinds and the default for the rest."""
        kind = default_kind()
        return cls(tuple((f, chosen.get(f, kind)) for f in world.faction_ids), skill)

    def commanders(self) -> dict[str, Agent]:
        """Fresh agents for one game (an agent may remember things from turn to turn)."""
        return {faction: make_agent(kind, faction, self.skill) for faction, kind in self.agents}


@dataclass(frozen=True)
class Week:
    """A resolved turn: the events that opened it, what happened during it, and the state after it."""

    opening: list[str]
    report: Report
    state: GameState


def play(game: Game, matchup: Matchup, max_turns: int | None = None) -> Iterator[Week]:
    """Play `game` until it ends (or `max_turns` turns were played), a week at a time."""
    commanders = matchup.commanders()
    opening = list(game.opening.events)
    while not game.state.ended and (max_turns is None or game.turn < max_turns):
        orders = {f: agent.orders(game.state, f, game.agent_rng(f)) for f, agent in commanders.items()}
        report = game.play(orders)
        yield Week(opening, report, game.state)
        opening = list(report.events)


def final_result(state: GameState) -> Result:
    """The result, saying `turn limit` rather than `decided` when play stopped before the game ended."""
    outcome = result(state)
    if state.ended:
        return outcome
    return Result(
        winner=outcome.winner,
        reason="turn limit",
        turns=outcome.turns,
        sides=outcome.sides,
        factions=outcome.factions,
        objectives=outcome.objectives,
    )


@dataclass(frozen=True)
class Outcome:
    """What a batch keeps of one game: its flat row, its key dates and its week-by-week record."""

    row: Row
    milestones: dict[str, int | None]  # milestone id -> turn, None when it never happened
    timeline: Timeline


@dataclass
class Watch:
    """Everything a batch follows through one game, week by week, besides the final state."""

    milestones: Milestones
    timeline: TimelineRecorder
    losses: ContingentLosses
    fired: dict[str, int]  # event id -> the turn it opened
    battles: int = 0

    @classmethod
    def start(cls, game: Game, length: int) -> Watch:
        return cls(
            Milestones.start(game.state),
            TimelineRecorder.start(game.world, length),
            ContingentLosses.start(game.state),
            dict.fromkeys(game.opening.events, 0),
        )

    def observe(self, week: Week) -> None:
        state = week.state
        self.milestones.observe(week.report.turn, state)
        self.timeline.observe(week.report.turn, state)
        self.losses.observe(state)
        self.fired.update(dict.fromkeys(week.report.events, state.turn))  # they open the next turn
        self.battles += week.report.battle_count


def simulate(world: World, index: int, seed: int, matchup: Matchup, max_turns: int | None = None) -> Outcome:
    """Play game `index` of a batch from `seed` and describe it as one flat row."""
    length = world.turns if max_turns is None else min(world.turns, max_turns)
    game = Game(world, seed)
    watch = Watch.start(game, length)
    for week in play(game, matchup, max_turns):
        watch.observe(week)
    milestones = watch.milestones.by_id()
    return Outcome(game_row(index, seed, game.state, watch, milestones), milestones, watch.timeline.finish())


def game_row(index: int, seed: int, state: GameState, watch: Watch, milestones: dict[str, int | None]) -> Row:
    """One game as a flat, JSON-ready row with a fixed key order (docs/batch-outputs.md says what each key is)."""
    w = state.world
    outcome = final_result(state)
    row: Row = {
        "index": index,
        "seed": seed,
        "winner": outcome.winner,
        "reason": outcome.reason,
        "turns": outcome.turns,
        "battles": watch.battles,
    }
    row.update({f"side_points.{side}": p for side, p in outcome.sides.items()})
    row.update({f"faction_points.{f}": p for f, p in outcome.factions.items()})
    row.update({f"objective_points.{o}": p for o, p in outcome.objectives.items()})
    by_faction = {
        "evacuated": state.evacuated.tolist(),
        "casualties": state.casualties.tolist(),
        "strength": state.men_on_map().tolist(),
    }
    for name, values in by_faction.items():
        row.update({f"{name}.{f}": int(v) for f, v in zip(w.faction_ids, values, strict=True)})
    buckets, unit_bucket = w.memo("sim.loss_buckets", None, lambda: loss_buckets(w))
    lost = watch.losses.by_bucket(unit_bucket, len(buckets))
    row.update({f"contingent_casualties.{b.key}": men for b, men in zip(buckets, lost, strict=True)})
    for key, turn in milestones.items():
        row[f"date.{key}"] = None if turn is None else w.date_of(turn).isoformat()
    row.update({f"fired.{e.id}": watch.fired.get(e.id) for e in w.events})
    for k, e in enumerate(w.events):
        if e.options:
            taken = int(state.chosen[k])
            row[f"chosen.{e.id}"] = e.options[taken][0] if taken >= 0 else None
    return row
