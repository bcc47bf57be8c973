"""A batch's folder: `games.jsonl` streamed row by row, then `timeline.json` and the plots, `summary.json` last.

This module draws, so it imports matplotlib: the command line imports it only when it runs a batch.

`summary.json` is written last and atomically, and any left from an earlier run is removed first, so a folder
with a summary always holds a complete batch. `progress.json` (see `progress`) is kept up to date while games
stream in, so an interrupted batch can go on, and a finished one can be given more games.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from anabasis.engine.world import World
from anabasis.sim.batch import Setup, run_batch
from anabasis.sim.files import write_json
from anabasis.sim.game import Outcome
from anabasis.sim.highlights import worth_watching
from anabasis.sim.log import dumps
from anabasis.sim.plots import PLOTS, SWEEP_PLOT, palette, plot_batch, plot_sweep
from anabasis.sim.progress import AGAIN, PROGRESS, Checkpoint, ResumeError, differences, identity, load, save
from anabasis.sim.summary import FORMAT, SWEEP_FORMAT, TIMELINE_FORMAT, VERSION, BatchSummary
from anabasis.sim.sweep import Sweep, sweep_table
from anabasis.userfiles import UnreadableFile, check_writable_target

GAMES, TIMELINE, SUMMARY = "games.jsonl", "timeline.json", "summary.json"
RESULTS = (SUMMARY, TIMELINE, *PLOTS, SWEEP_PLOT)  # what a batch writes once all its games are in
WRITTEN = (*RESULTS, PROGRESS, GAMES)  # every file a batch writes, summary first
SAVE_EVERY = 1.0  # seconds between saves of the progress while games stream in, at the least
SAVING_SHARE = 0.05  # and at most this share of the time spent saving it (a long batch's progress is larger)
_KINDS = ((stat.S_ISREG, "a file"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"))
STOPS = (signal.SIGINT, signal.SIGTERM)  # Ctrl-C and a polite kill: both unwind the batch (see cli.main)


@contextmanager
def stops_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done, then let them through: a row and its count in the
    statistics go together, so a batch stopped at any moment can save its progress on the way out."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread receives them
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    before = {stop: signal.signal(stop, hold) for stop in STOPS}
    try:
        yield
    finally:
        for stop, handler in before.items():
            signal.signal(stop, handler)
        for signum in caught:
            signal.raise_signal(signum)


def not_a_folder(path: Path) -> str | None:
    """What `path` is, said to the user, when it names something a batch cannot write into: None for a folder
    or for nothing yet (it will be made)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        return "is a loop of symbolic links" if error.errno == errno.ELOOP else f"cannot be used: {error.strerror}"
    if stat.S_ISDIR(mode):
        return None
    kind = next((what for test, what in _KINDS if test(mode)), "a device")
    return f"is {kind}, not a folder"


def files_of_a_batch(folder: Path, parts: Sequence[str] = ()) -> list[str]:
    """The files a batch writes that `folder`, or its sub-folders `parts` (a sweep's), already holds; rows first."""
    names = (GAMES, PROGRESS, *RESULTS)
    return [str(Path(part, name)) for part in ("", *parts) for name in names if os.path.lexists(folder / part / name)]


def clear(folder: Path) -> None:
    """Remove what an earlier run wrote here, summary first, so nothing stale looks complete."""
    for name in WRITTEN:
        (folder / name).unlink(missing_ok=True)


def clear_results(folder: Path) -> None:
    """Remove the summary, timeline and plots of an earlier run, which more games will change; keep its games."""
    for name in RESULTS:
        (folder / name).unlink(missing_ok=True)


@dataclass(frozen=True)
class Batch:
    """A batch to play: where its files go, what the workers need, the compiled world, and what it was."""

    folder: Path
    setup: Setup
    world: World
    about: dict[str, Any]  # scenario, seed, overrides, commanders...: the summary's opening fields


def resume_point(batch: Batch, games: int) -> Checkpoint | None:
    """How far an earlier run of `batch` got in its folder, for `--resume`: None when it never started there.

    ResumeError when the folder holds another batch, more games than `games`, or files changed behind its back.
    """
    folder, rows = batch.folder, batch.folder / GAMES
    if not os.path.lexists(folder / PROGRESS) and not os.path.lexists(rows):
        return None
    saved = load(folder)
    changed = differences(saved.identity, identity(batch.about))
    if changed:
        raise ResumeError(f"{folder} holds another batch: {'; '.join(changed)}")
    if saved.games > games:
        raise ResumeError(f"{folder} already holds {saved.games} games: ask for at least that many with --games")
    try:
        check_writable_target(rows)  # it is cut back and written on: a FIFO or a device would hang or fail
    except UnreadableFile as error:
        raise ResumeError(f"{rows} {error.reason}; {AGAIN}") from None
    if not rows.exists() or rows.stat().st_size < saved.rows_bytes:
        raise ResumeError(f"{rows} is shorter than {PROGRESS} says; {AGAIN}")
    try:
        BatchSummary.resumed(batch.world, _length(batch), saved.running)
    except ValueError as error:
        raise ResumeError(f"{folder / PROGRESS}: {error}; {AGAIN}") from None
    return saved


def games_kept(batch: Batch) -> int:
    """Games of `batch` its folder holds for `--resume` (0 when it has no readable progress)."""
    try:
        return load(batch.folder).games
    except ResumeError:
        return 0


def _length(batch: Batch) -> int:
    """Turns in the batch's over-time series."""
    world, limit = batch.world, batch.setup.max_turns
    return world.turns if limit is None else min(world.turns, limit)


def play_into(
    batch: Batch,
    games: int,
    on_game: Callable[[], None],
    executor: Executor | None = None,
    slots: int = 1,
    *,
    resume: Checkpoint | None = None,
) -> dict[str, Any]:
    """Play a batch into its folder and return its summary: what was run, then the statistics.

    With `resume` (from `resume_point`), the games the folder already holds are kept and the batch goes on
    from there; the files come out exactly as if it had never stopped.
    """
    folder, setup, world = batch.folder, batch.setup, batch.world
    folder.mkdir(parents=True, exist_ok=True)
    if resume is None:
        clear(folder)
        stats, first, kept = BatchSummary(world, _length(batch)), 0, 0
    else:
        clear_results(folder)
        stats = BatchSummary.resumed(world, _length(batch), resume.running)
        first, kept = resume.games, resume.rows_bytes
    who = identity(batch.about)
    with (folder / GAMES).open("r+b" if resume else "wb") as rows:
        rows.truncate(kept)  # rows written after the last save are played again
        rows.seek(kept)
        written = kept
        saved_at = time.monotonic()
        every = SAVE_EVERY
        busy = False  # between a row's first byte and its last count: no moment to save

        def checkpoint() -> None:
            nonlocal saved_at, every
            started = time.monotonic()
            rows.flush()
            save(folder, Checkpoint(who, stats.games, written, stats.running()))
            saved_at = time.monotonic()
            every = max(SAVE_EVERY, (saved_at - started) / SAVING_SHARE)

        def take(outcome: Outcome) -> None:
            nonlocal written, busy
            with stops_held():
                busy = True
                line = (dumps(outcome.row) + "\n").encode()
                rows.write(line)
                stats.add(outcome)
                written += len(line)
                busy = False
            on_game()
            if time.monotonic() - saved_at >= every:
                checkpoint()

        checkpoint()
        try:
            run_batch(setup, range(first, games), take, executor, slots)
        except BaseException:  # Ctrl-C, a kill, a failed game, a lost worker: keep every game counted in whole
            if not busy:  # busy only when the disk failed mid-row
                checkpoint()
            raise
        checkpoint()
    summary = {"format": FORMAT, "version": VERSION, **batch.about, **stats.to_dict()}
    timeline = {"format": TIMELINE_FORMAT, "version": VERSION, **stats.timeline_dict()}
    write_json(folder / TIMELINE, timeline)
    # The pool's workers are idle now; a local one's draw as this process would, a cluster's might not (other fonts).
    helpers = executor if isinstance(executor, ProcessPoolExecutor) else None
    plot_batch(summary, timeline, folder / GAMES, folder, palette(world), helpers=helpers)
    summary["watch"] = worth_watching(folder / GAMES, summary["key_dates"])
    write_json(folder / SUMMARY, summary)
    return summary


def write_sweep(folder: Path, sweep: Sweep, summaries: list[dict[str, Any]], about: dict[str, Any]) -> dict[str, Any]:
    """The sweep's table and plot in `folder`, with its summary written last; returns that summary."""
    table = sweep_table(sweep, summaries)
    summary = {
        "format": SWEEP_FORMAT,
        "version": VERSION,
        **about,
        "sweep": {"path": sweep.path, "values": list(sweep.values)},
        "table": table,
    }
    plot_sweep(sweep.path, table, folder / SWEEP_PLOT)
    write_json(folder / SUMMARY, summary)
    return summary
