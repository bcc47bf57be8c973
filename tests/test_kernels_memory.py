"""Every array a kernel makes is let go again, so a batch of thousands of games runs in flat memory.

Kernels compiled without reference counting (`jit.borrowing_kernel`) must not be handed a new array by a kernel they
call: nothing would ever let it go. A game's allocations and frees are counted (numba's `NUMBA_NRT_STATS`), and
the kernels each borrowing kernel calls are read.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import os
import pkgutil
import subprocess
import sys
import textwrap
import typing
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from numba.core.registry import CPUDispatcher

import anabasis.ai
import anabasis.engine
from anabasis.ai import theatre
from anabasis.engine import legal

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGN = ROOT / "scenarios" / "revolt-1918.yaml"
pytestmark = pytest.mark.skipif(os.environ.get("NUMBA_DISABLE_JIT", "0") != "0", reason="no kernels with the JIT off")

# Plays the same AI campaign twice with every kernel compiled (none left to a helper), and prints numba's count of
# the arrays its kernels made and let go during the second: the first fills the caches a world keeps.
TWICE = """
import gc, json, sys
from numba.core.runtime import rtsys
from anabasis.ai.registry import make_agent
from anabasis.engine import compile_world
from anabasis.engine.game import Game
from anabasis.engine.warmup import skip_prepare
from anabasis.scenario import load_scenario

skip_prepare()
world = compile_world(load_scenario(sys.argv[1]))

def play():
    game = Game(world, 5)
    commanders = {f: make_agent("ai", f, 2) for f in world.faction_ids}
    while not game.state.ended:
        game.play({f: c.orders(game.state, f, game.agent_rng(f)) for f, c in commanders.items()})

play()
gc.collect()
before = rtsys.get_allocation_stats()
play()
gc.collect()
after = rtsys.get_allocation_stats()
print(json.dumps({"made": after.alloc - before.alloc, "let_go": after.free - before.free}))
"""


def test_a_campaign_lets_go_of_every_array_its_kernels_make() -> None:
    run = subprocess.run(
        [sys.executable, "-c", TWICE, str(CAMPAIGN)],
        capture_output=True,
        text=True,
        env={**os.environ, "NUMBA_NRT_STATS": "1"},
        check=False,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    counts = json.loads(run.stdout.splitlines()[-1])
    assert counts["made"] > 10_000, counts  # the kernels did run compiled
    assert counts["let_go"] == counts["made"], counts


def _modules() -> list[ModuleType]:
    """Every module of the engine and the AI, where the kernels are."""
    return [
        importlib.import_module(found.name)
        for package in (anabasis.engine, anabasis.ai)
        for found in pkgutil.iter_modules(package.__path__, f"{package.__name__}.")
    ]


def _borrowing() -> list[CPUDispatcher]:
    return [
        found
        for module in _modules()
        for found in vars(module).values()
        if isinstance(found, CPUDispatcher)
        and found.py_func.__module__ == module.__name__
        and found.targetoptions.get("_nrt") is False
    ]


def _kernels_called(fn: typing.Callable[..., object]) -> list[CPUDispatcher]:
    """The kernels `fn` calls by name, and those the kernels compiled into it (`small_kernel`) call."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    names = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    found = [fn.__globals__[name] for name in sorted(names) if isinstance(fn.__globals__.get(name), CPUDispatcher)]
    inlined = [k for k in found if k.targetoptions.get("inline") == "always"]
    return found + [deeper for k in inlined for deeper in _kernels_called(k.py_func)]


def _hands_back_an_array(kernel: CPUDispatcher) -> bool:
    returned = typing.get_type_hints(kernel.py_func)["return"]

    def holds_array(hint: object) -> bool:
        return typing.get_origin(hint) is np.ndarray or any(holds_array(a) for a in typing.get_args(hint))

    return holds_array(returned)


def test_no_borrowing_kernel_is_handed_an_array() -> None:
    borrowing = _borrowing()
    assert len(borrowing) >= 20  # the planner's questions, found by their option
    handed = {
        f"{k.py_func.__name__} -> {called.py_func.__name__}"
        for k in borrowing
        for called in _kernels_called(k.py_func)
        if called.targetoptions.get("_nrt") is not False and _hands_back_an_array(called)
    }
    assert not handed, sorted(handed)


def test_the_check_sees_an_array_handed_back() -> None:
    """`theatre.reaches` is handed the starting stations by `legal.departures`, so it counts its references."""
    departures, reaches = legal.departures, theatre.reaches
    assert isinstance(departures, CPUDispatcher) and isinstance(reaches, CPUDispatcher)
    assert _hands_back_an_array(departures)
    assert departures in _kernels_called(reaches.py_func)
    assert reaches.targetoptions.get("_nrt") is True
