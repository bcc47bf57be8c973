"""The simulator's local workers come from a fork server primed with the rules' machine code: a batch's first games
do not each wait for the kernels to load."""

from __future__ import annotations

import os

import pytest

from anabasis.engine.warmup import dispatcher, read_manifest, ready
from anabasis.sim.batch import local_pool, start_fork_server


def kernels_loaded() -> tuple[int, int]:
    """In a worker, before it plays anything: its process id, and how many listed kernels it holds no code for (of
    those not left to run interpreted until a helper has compiled them, as on a fresh machine)."""
    missing = 0
    for entry in ready():
        found = dispatcher(entry.kernel)
        if found is not None and entry.args not in found.overloads:
            missing += 1
    return os.getpid(), missing


def test_workers_start_with_the_machine_code_loaded() -> None:
    if dispatcher(read_manifest()[0].kernel) is None:
        pytest.skip("the JIT is off: there is no machine code to load")
    start_fork_server()
    with local_pool(2) as (executor, slots):
        assert executor is not None and slots == 2
        answers = [executor.submit(kernels_loaded).result(timeout=300) for _ in range(2)]
    for pid, missing in answers:
        assert pid != os.getpid()
        assert missing == 0
