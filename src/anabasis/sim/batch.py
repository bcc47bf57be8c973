"""Many games: chunks of seeds sent to worker processes or a Dask cluster, outcomes handed back in game order.

Game i's seed comes from the batch seed and i alone, and outcomes are passed on in index order, so the files
and the statistics are the same whatever the number of workers or the machines they ran on. A worker has the
world from the process that forked it, or loads and compiles the scenario once (a cache keyed by file, overrides
and content hash).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import math
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from types import FrameType

from anabasis.engine.warmup import load
from anabasis.engine.world import World, compile_world
from anabasis.scenario import ScenarioError, content_hash, load_scenario
from anabasis.sim import lifeline
from anabasis.sim.game import Matchup, Outcome, simulate
from anabasis.sim.seeds import game_seeds

MOST_GAMES = 10_000_000  # a batch's games: weeks of a cluster's time, and a games.jsonl of many GB
MOST_WORKERS_A_CORE = 4  # more worker processes than this only wait their turn, each holding its memory
MAX_CHUNK = 32  # games a worker plays per task: few enough to keep results streaming and the bar moving
WINDOW_PER_SLOT = 3  # chunks in flight (or waiting their turn to be written) per worker


@dataclass(frozen=True)
class Setup:
    """What a worker needs to play games of a batch; small, since it travels with every chunk."""

    scenario: str  # the scenario file's absolute path, as the workers see it
    overrides: tuple[str, ...]
    digest: str  # the scenario's content hash, so a long-lived worker never plays a stale copy
    matchup: Matchup
    batch_seed: int
    max_turns: int | None = None


class ScenarioChanged(RuntimeError):
    """A worker could not load the scenario the batch was started with, or found it changed."""


class GameFailed(RuntimeError):
    """A game raised an error; says which game and seed, so `anabasis run` can replay it."""

    def __init__(self, index: int, seed: int, message: str) -> None:
        super().__init__(index, seed, message)
        self.index, self.seed, self.message = index, seed, message

    def __str__(self) -> str:
        return f"game {self.index} (seed {self.seed}) failed: {self.message}"


# The worlds this process compiled for the batches it plays now (`keeping`), by setup.
_kept: dict[tuple[str, tuple[str, ...], str], World] = {}


def _key(setup: Setup) -> tuple[str, tuple[str, ...], str]:
    return setup.scenario, setup.overrides, setup.digest


@contextmanager
def keeping(batches: Iterable[tuple[Setup, World]]) -> Iterator[None]:
    """While the block lasts, have the games of each batch played in the world this process compiled for it: by this
    process, and by the workers it forks, which would otherwise each load and compile the scenario again."""
    keys = []
    for setup, world in batches:
        _kept[_key(setup)] = world
        keys.append(_key(setup))
    try:
        yield
    finally:
        for key in keys:
            _kept.pop(key, None)


def world_of(setup: Setup) -> World:
    """The world a batch's games are played in: the one kept, or else compiled once per process."""
    return _kept.get(_key(setup)) or compiled(*_key(setup))


@functools.lru_cache(maxsize=8)
def compiled(scenario: str, overrides: tuple[str, ...], digest: str) -> World:
    """The compiled world of a scenario, once per process."""
    try:
        loaded = load_scenario(scenario, overrides)
    except ScenarioError as error:  # e.g. a cluster's worker that does not see the same file
        raise ScenarioChanged(f"a worker could not load the scenario: {error.problems[0]}") from error
    if content_hash(loaded) != digest:
        raise ScenarioChanged(f"{scenario} changed on disk after the batch started")
    world = compile_world(loaded)
    gc.freeze()  # the scenario and world live as long as the worker: the collector need not walk them again
    return world


@dataclass
class _Worker:
    """A local worker's own state: whether Ctrl-C has come."""

    stopping: bool = False


_worker = _Worker()


def play_chunk(setup: Setup, start: int, stop: int) -> list[Outcome]:
    """Play games `start <= index < stop` of the batch (the task a worker runs)."""
    outcomes = []
    collecting = gc.isenabled()
    gc.disable()  # a game leaves no reference cycles, and the collector's passes cost ~1.5% of it
    try:
        world = world_of(setup)
        for index, seed in game_seeds(setup.batch_seed, start, stop):
            if _worker.stopping:
                raise KeyboardInterrupt  # see `_on_ctrl_c`
            try:
                outcomes.append(simulate(world, index, seed, setup.matchup, setup.max_turns))
            except Exception as error:
                if _interrupted(error):
                    raise KeyboardInterrupt from error
                raise GameFailed(index, seed, f"{type(error).__name__}: {error}") from error
    finally:
        if collecting:
            gc.enable()
    return outcomes


def _interrupted(error: BaseException) -> bool:
    """Whether `error` came of Ctrl-C: an interrupt raised while a compiled kernel called back into Python comes out
    of the kernel as a `SystemError` it caused, and stops the batch, not fails a game."""
    seen: set[int] = set()
    cause = error.__cause__ or error.__context__
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _on_ctrl_c(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C in a local worker: stop after the game it is playing, and play none of the chunks already queued for
    it. The batch is stopping and keeps none of their games. Python's own handler would stop only the game, by an
    interrupt raised wherever it happens to be (inside a compiled kernel's call back into Python it turns into a
    `SystemError`, reported as a failed game), and the person who pressed Ctrl-C would wait for the rest."""
    _worker.stopping = True


def _start_worker(owner: int, reader: Connection, writer: Connection) -> None:
    """A local worker's start: it ends with its owner (`lifeline.bind`), and stops promptly on Ctrl-C."""
    signal.signal(signal.SIGINT, _on_ctrl_c)
    lifeline.bind(owner, reader, writer)


def chunk_bounds(first: int, stop: int, slots: int) -> Iterator[tuple[int, int]]:
    """Split games `first <= index < stop` into chunks of a quarter of a worker's share of the games still left, at
    most MAX_CHUNK: large while many are left, single games at the end, so that no worker is still deep in a long
    chunk while the others have nothing left to play.

    Made one at a time, as the window asks: a list of them would grow with the batch."""
    start = first
    while start < stop:
        size = max(1, min(MAX_CHUNK, math.ceil((stop - start) / (4 * slots))))
        yield start, start + size
        start += size


def run_batch(
    setup: Setup,
    games: range,
    on_outcome: Callable[[Outcome], None],
    executor: Executor | None = None,
    slots: int = 1,
) -> None:
    """Play the games whose indices `games` gives and call `on_outcome` for each, in index order; without an
    executor, in this process.

    Only a few chunks are in flight at once, and a chunk that finished early waits (in that same small window)
    for the ones before it, so memory stays flat however many games there are.
    """
    if executor is None:
        for index in games:
            for outcome in play_chunk(setup, index, index + 1):
                on_outcome(outcome)
        return
    bounds = chunk_bounds(games.start, games.stop, slots)
    window = WINDOW_PER_SLOT * slots
    pending: dict[Future[list[Outcome]], int] = {}
    finished: dict[int, list[Outcome]] = {}
    submitted = flushed = 0
    try:
        while True:
            while len(pending) + len(finished) < window and (chunk := next(bounds, None)) is not None:
                pending[executor.submit(play_chunk, setup, *chunk)] = submitted
                submitted += 1
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                finished[pending.pop(future)] = future.result()
            while flushed in finished:
                for outcome in finished.pop(flushed):
                    on_outcome(outcome)
                flushed += 1
    finally:
        for future in pending:
            future.cancel()


@contextmanager
def local_pool(workers: int) -> Iterator[tuple[Executor | None, int]]:
    """A pool of worker processes on this machine, and its size; for one worker, this process alone.

    The workers are forked from this process, and all of them at once, before a progress bar's thread starts: they
    begin with its imports, the worlds it is `keeping` and the rules' machine code, which it loads first. Forking is
    only safe with no other thread running (one holding a lock at the fork leaves it held in the child for good),
    and only on Linux; otherwise they come from a fork server that loads the simulator and the machine code
    itself. Either way they end when this process does, however it ends (see `lifeline`).
    """
    if workers <= 1:
        yield None, 1
        return
    context = _forking() or _fork_server()
    reader, writer = context.Pipe(duplex=False)
    others = set(multiprocessing.active_children())
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(), reader, writer)
    )
    try:
        if context.get_start_method() == "fork":
            gc.freeze()  # the workers need not walk, nor copy by touching, what they inherit
            try:
                wait([pool.submit(os.getpid) for _ in range(workers)])  # forks every worker at the first task
            finally:
                gc.unfreeze()  # in this process, which lives on after the batch
        yield pool, workers
    except BaseException:
        _tell_to_stop(others)  # the batch is stopping: Ctrl-C or SIGTERM sent to this process alone, a failed game
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        reader.close()
        writer.close()


def _tell_to_stop(others: set[BaseProcess]) -> None:
    """Have the workers of a pool (the children this process has started beside `others`) stop after the game they
    are playing, as on Ctrl-C (see `_on_ctrl_c`), rather than play the chunks queued for them."""
    for child in multiprocessing.active_children():
        if child not in others and child.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGINT)


def _forking() -> multiprocessing.context.ForkContext | None:
    """The context that forks this process, with the machine code loaded for the workers to inherit; None where
    forking is not safe (see `local_pool`)."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return None
    with contextlib.suppress(Exception):  # a head start only, as in `primed`
        load()  # which leaves no thread of its own running
    return multiprocessing.get_context("fork")


def _fork_server() -> multiprocessing.context.ForkServerContext:
    """The context of the fork server local workers are forked from, primed with the simulator and its machine code
    (`anabasis.sim.primed`)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["anabasis.sim.primed"])
    return context


class SchedulerUnreachable(ValueError):
    """No Dask scheduler answered at the address given."""


@contextmanager
def dask_pool(address: str, timeout: float) -> Iterator[tuple[Executor | None, int]]:
    """The workers of a Dask cluster as a concurrent.futures executor, and how many tasks they run at once."""
    distributed = importlib.import_module("distributed")  # heavy: imported only by those who use a cluster
    try:
        client = distributed.Client(address, timeout=timeout, set_as_default=False)
    except (OSError, ValueError, TimeoutError) as error:
        raise SchedulerUnreachable(f"cannot reach the Dask scheduler at {address}: {error}") from error
    try:
        slots = max(1, sum(client.nthreads().values()))
        yield client.get_executor(pure=False), slots
    finally:
        client.close()
