"""A batch's folder: `games.jsonl` streamed row by row, then `timeline.json` and the plots, `summary.json` last.

This module draws, so it imports matplotlib: the command line imports it only when it runs a batch.

`summary.json` is written last and atomically, and any left from an earlier run is removed first, so a folder
with a summary always holds a complete batch.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anabasis.engine.world import World
from anabasis.sim.batch import Setup, run_batch
from anabasis.sim.files import write_json
from anabasis.sim.game import Outcome
from anabasis.sim.log import dumps
from anabasis.sim.plots import PLOTS, SWEEP_PLOT, plot_batch, plot_sweep
from anabasis.sim.summary import BatchSummary
from anabasis.sim.sweep import Sweep, sweep_table

GAMES, TIMELINE, SUMMARY = "games.jsonl", "timeline.json", "summary.json"


def clear(folder: Path) -> None:
    """Remove what an earlier run wrote here, summary first, so nothing stale looks complete."""
    for name in (SUMMARY, TIMELINE, GAMES, *PLOTS, SWEEP_PLOT):
        (folder / name).unlink(missing_ok=True)


@dataclass(frozen=True)
class Batch:
    """A batch to play: where its files go, what the workers need, the compiled world, and what it was."""

    folder: Path
    setup: Setup
    world: World
    about: dict[str, Any]  # scenario, seed, overrides, commanders...: the summary's opening fields


def play_into(
    batch: Batch,
    games: int,
    on_game: Callable[[], None],
    executor: Executor | None = None,
    slots: int = 1,
) -> dict[str, Any]:
    """Play a batch into its folder and return its summary: what was run, then the statistics."""
    folder, setup, world = batch.folder, batch.setup, batch.world
    folder.mkdir(parents=True, exist_ok=True)
    clear(folder)
    length = world.turns if setup.max_turns is None else min(world.turns, setup.max_turns)
    stats = BatchSummary(world, length)
    with (folder / GAMES).open("w", encoding="utf-8") as rows:

        def take(outcome: Outcome) -> None:
            rows.write(dumps(outcome.row) + "\n")
            stats.add(outcome)
            on_game()

        run_batch(setup, games, take, executor, slots)
    summary = {**batch.about, **stats.to_dict()}
    timeline = stats.timeline_dict()
    write_json(folder / TIMELINE, timeline)
    plot_batch(summary, timeline, folder / GAMES, folder)
    write_json(folder / SUMMARY, summary)
    return summary


def write_sweep(folder: Path, sweep: Sweep, summaries: list[dict[str, Any]], about: dict[str, Any]) -> dict[str, Any]:
    """The sweep's table and plot in `folder`, with its summary written last; returns that summary."""
    table = sweep_table(sweep, summaries)
    summary = {**about, "sweep": {"path": sweep.path, "values": list(sweep.values)}, "table": table}
    plot_sweep(sweep.path, table, folder / SWEEP_PLOT)
    write_json(folder / SUMMARY, summary)
    return summary
