"""The compiled kernels are the rules: with the JIT off (`NUMBA_DISABLE_JIT=1`, for debugging) every game is the same,
and the first run on a machine says that it is compiling, once.

The whole engine suite also runs with the JIT off, inside the ordinary test run (the last test here), so CI runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from anabasis.ai.registry import make_agent
from anabasis.engine import World, compile_world
from anabasis.engine.game import Game
from anabasis.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"
CAMPAIGN = ROOT / "scenarios" / "revolt-1918.yaml"
COMPILING = "compiling the rules"

# Plays a game with the given commanders for every faction and prints each report as a JSON line.
PLAY = """
import json, sys
from anabasis.ai.registry import make_agent
from anabasis.engine import compile_world
from anabasis.engine.game import Game
from anabasis.scenario import load_scenario

world = compile_world(load_scenario(sys.argv[1]))
agent, seed, turns = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
game = Game(world, seed)
commanders = {f: make_agent(agent, f, 2) for f in world.faction_ids}
while not game.state.ended and game.turn < turns:
    game.play({f: c.orders(game.state, f, game.agent_rng(f)) for f, c in commanders.items()})
for report in game.reports:
    print(json.dumps(report.to_dict()))
print(json.dumps(game.state.snapshot()))
"""


def play_here(world: World, agent: str, seed: int, turns: int) -> list[str]:
    game = Game(world, seed)
    commanders = {f: make_agent(agent, f, 2) for f in world.faction_ids}
    while not game.state.ended and game.turn < turns:
        game.play({f: c.orders(game.state, f, game.agent_rng(f)) for f, c in commanders.items()})
    return [json.dumps(r.to_dict()) for r in game.reports] + [json.dumps(game.state.snapshot())]


def play_elsewhere(path: Path, agent: str, seed: int, turns: int, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PLAY, str(path), agent, str(seed), str(turns)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
        timeout=600,
    )


def test_a_game_is_the_same_with_the_jit_off() -> None:
    """Random commanders on the fixture to its end, and the doctrine AI on the campaign's first weeks: moves and
    detours, capacity, supply, battles and events, compiled and interpreted, byte for byte."""
    for path, agent, seed, turns in ((MINI, "random", 1977, 10_000), (CAMPAIGN, "ai", 5, 12)):
        compiled = play_here(compile_world(load_scenario(path)), agent, seed, turns)
        interpreted = play_elsewhere(path, agent, seed, turns, NUMBA_DISABLE_JIT="1")
        assert interpreted.stdout.splitlines() == compiled, path.name


@pytest.mark.skipif(os.environ.get("NUMBA_DISABLE_JIT", "0") != "0", reason="nothing is compiled with the JIT off")
def test_the_first_run_says_it_compiles_and_later_runs_do_not(tmp_path: Path) -> None:
    cache = {"NUMBA_CACHE_DIR": str(tmp_path)}
    first = play_elsewhere(MINI, "random", 3, 4, **cache)
    again = play_elsewhere(MINI, "random", 3, 4, **cache)
    assert COMPILING in first.stderr
    assert COMPILING not in again.stderr
    assert first.stdout == again.stdout
    assert any(tmp_path.rglob("*.nbi")), "the compiled kernels are kept on disk"


@pytest.mark.skipif(os.environ.get("NUMBA_DISABLE_JIT", "0") != "0", reason="this run is already interpreted")
def test_the_engine_suite_passes_with_the_jit_off() -> None:
    """The rules' tests, interpreted: what a developer debugging a kernel runs, and what must never drift."""
    suite = sorted(str(p) for p in (ROOT / "tests").glob("test_engine_*.py") if p.name != Path(__file__).name)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *suite],
        capture_output=True,
        text=True,
        env={**os.environ, "NUMBA_DISABLE_JIT": "1"},
        cwd=ROOT,
        timeout=900,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:]
