"""A long batch costs no more memory than a short one: nothing is kept per game."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MINI = Path(__file__).resolve().parent / "fixtures" / "mini.yaml"
# Runs the command line in-process and then reports the process's peak resident memory (KiB on Linux).
PEAK = """
import resource, sys
from anabasis.cli.main import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def peak_kib(games: int, out: Path) -> int:
    args = ["sim", str(MINI), "--games", str(games), "--turns", "4", "--workers", "1", "--out", str(out), "--json"]
    done = subprocess.run([sys.executable, "-c", PEAK, *args], capture_output=True, text=True, check=True)
    return int(done.stderr.strip().splitlines()[-1])


def test_peak_memory_does_not_grow_with_the_number_of_games(tmp_path: Path) -> None:
    short = peak_kib(150, tmp_path / "short")
    long = peak_kib(600, tmp_path / "long")
    # Keeping each game's row and series would cost about 4 KiB a game, 1.8 MiB for the 450 extra games.
    assert long - short < 1024, f"peak RSS grew by {long - short} KiB from 150 to 600 games"
    assert sum(1 for _ in (tmp_path / "long" / "games.jsonl").open()) == 600


# Plays three games of each kind of commander after a first one (which fills the world's caches), with the
# collector off, then prints how many objects only the collector could free. In a process of its own: other tests'
# threads (a Dask client's event loop) leave garbage of their own.
CYCLES = """
import gc, sys
from anabasis.engine import compile_world
from anabasis.scenario import load_scenario
from anabasis.sim.game import Matchup, simulate
world = compile_world(load_scenario(sys.argv[1]))
for agents in ({}, dict.fromkeys(world.faction_ids, "random")):
    matchup = Matchup.of(world, agents)
    simulate(world, 0, 1, matchup)
    gc.collect()
    gc.disable()
    for index in range(3):
        simulate(world, index, 7 + index, matchup)
    print(gc.collect())
    gc.enable()
"""


def test_a_game_leaves_no_reference_cycles() -> None:
    """The workers play with the collector off (its passes cost ~1.5% of a game): a game must leave nothing that
    only the collector could free, or a long chunk would hold it all until its end."""
    done = subprocess.run([sys.executable, "-c", CYCLES, str(MINI)], capture_output=True, text=True, check=True)
    assert [int(n) for n in done.stdout.split()] == [0, 0]
