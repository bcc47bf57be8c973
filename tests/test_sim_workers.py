"""The simulator's local workers start ready to play: forked from the batch's own process, with its world and the
rules' machine code, or, where forking is not safe, from a fork server primed with the machine code. A batch's
first games do not each wait for the kernels to load or the scenario to compile."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from anabasis.engine import compile_world
from anabasis.engine.warmup import dispatcher, read_manifest, ready
from anabasis.engine.world import World
from anabasis.scenario import content_hash, load_scenario
from anabasis.sim.batch import Setup, keeping, local_pool, play_chunk
from anabasis.sim.game import Matchup

HERE = Path(__file__).resolve().parent
MINI = HERE / "fixtures" / "mini.yaml"


def kernels_loaded() -> tuple[int, int]:
    """In a worker, before it plays anything: its parent's process id, and how many listed kernels it holds no
    code for (of those not left to run interpreted until a helper has compiled them, as on a fresh machine)."""
    missing = 0
    for entry in ready():
        found = dispatcher(entry.kernel)
        if found is not None and entry.args not in found.overloads:
            missing += 1
    return os.getppid(), missing


def jit_on() -> bool:
    return dispatcher(read_manifest()[0].kernel) is not None


# A batch's process as the `sim` command is: one thread, keeping its world; what its two workers find as they start.
FORKED = """
import json, os, sys
from anabasis.engine import compile_world
from anabasis.scenario import content_hash, load_scenario
from anabasis.sim.batch import Setup, compiled, keeping, local_pool, world_of
from anabasis.sim.game import Matchup
from test_sim_workers import kernels_loaded

loaded = load_scenario(sys.argv[1])
world = compile_world(loaded)
setup = Setup(sys.argv[1], (), content_hash(loaded), Matchup.of(world, {}), 1)

def start() -> dict[str, object]:
    parent, missing = kernels_loaded()
    same = world_of(setup) is world  # the very object this process compiled, inherited
    return {"parent": parent, "missing": missing, "kept": same, "loaded": compiled.cache_info().currsize}

with keeping([(setup, world)]), local_pool(2) as (executor, slots):
    print(json.dumps({"me": os.getpid(), "workers": [executor.submit(start).result(timeout=300) for _ in range(2)]}))
"""


def test_workers_are_forked_from_the_batch_with_its_world_and_machine_code() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("workers are forked only on Linux")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parent / "src"), str(HERE)])}
    done = subprocess.run(
        [sys.executable, "-c", FORKED, str(MINI)], capture_output=True, text=True, env=env, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    for worker in answer["workers"]:
        assert worker["parent"] == answer["me"]
        assert worker["kept"] and worker["loaded"] == 0  # it compiled no scenario of its own
        if jit_on():
            assert worker["missing"] == 0


def test_with_another_thread_running_workers_come_from_a_primed_fork_server() -> None:
    if not jit_on():
        pytest.skip("the JIT is off: there is no machine code to load")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        with local_pool(2) as (executor, slots):
            assert executor is not None and slots == 2
            answers = [executor.submit(kernels_loaded).result(timeout=300) for _ in range(2)]
    finally:
        stop.set()
        other.join()
    for parent, missing in answers:
        assert parent != os.getpid()  # the fork server's child, not this process's
        assert missing == 0


def pid_after(seconds: float) -> int:
    """In a worker: its process id, once it has been busy for `seconds` (so that two calls find both workers)."""
    time.sleep(seconds)
    return os.getpid()


@pytest.fixture(scope="module")
def mini_batch() -> tuple[Setup, World]:
    """A batch of the small scenario, and its world."""
    loaded = load_scenario(MINI)
    world = compile_world(loaded)
    return Setup(str(MINI), (), content_hash(loaded), Matchup.of(world, {}), 1), world


def test_ctrl_c_stops_the_workers_chunks_and_those_queued_for_them(mini_batch: tuple[Setup, World]) -> None:
    """Ctrl-C reaches every process of the batch. A worker stops after the game it is playing and plays none of the
    chunks already queued for it, whose games the stopping batch would not keep: the person waits for none of them."""
    setup, world = mini_batch
    with keeping([(setup, world)]), local_pool(2) as (executor, _):
        assert executor is not None
        workers = {answer.result(timeout=300) for answer in [executor.submit(pid_after, 0.5) for _ in range(2)]}
        assert len(workers) == 2
        chunks = [executor.submit(play_chunk, setup, 100 * k, 100 * (k + 1)) for k in range(6)]  # ~1 s each
        time.sleep(0.3)
        for pid in workers:
            os.kill(pid, signal.SIGINT)
        for chunk in chunks:
            with pytest.raises(KeyboardInterrupt):
                chunk.result(timeout=300)


def test_a_batch_stopping_on_its_own_tells_its_workers_to_stop(mini_batch: tuple[Setup, World]) -> None:
    """SIGTERM from a process manager, SIGINT sent to the batch's process alone, or a failed game stop only that
    process: it tells its workers to stop too, rather than wait while they play the chunks queued for them."""
    setup, world = mini_batch
    chunks = []
    with pytest.raises(KeyboardInterrupt), keeping([(setup, world)]), local_pool(2) as (executor, _):
        assert executor is not None
        chunks = [executor.submit(play_chunk, setup, 100 * k, 100 * (k + 1)) for k in range(6)]  # ~1 s each
        time.sleep(0.3)
        raise KeyboardInterrupt  # as the batch's process alone gets it
    assert len(chunks) == 6
    for chunk in chunks:  # none played to its end: each was stopped, or never handed out
        assert chunk.cancelled() or isinstance(chunk.exception(), KeyboardInterrupt)
