"""Throughput of `anabasis sim` on the main campaign: designers run thousands of games at a time.

Goal: 10,000 games in under two minutes on two cores, about 83 games a second, with the default commanders.
In the normal test run (benchmarks disabled) a handful of short games check that the benchmark works; measure
with `pytest tests/bench/test_bench_sim.py --benchmark-enable`, which plays full-length games and reports
games/second in the benchmark's extra info.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import cast

from pytest_benchmark.fixture import BenchmarkFixture
from typer.testing import CliRunner, Result

from anabasis.cli.main import app
from anabasis.engine import compile_world
from anabasis.scenario import load_scenario
from anabasis.sim.game import Matchup, Outcome, simulate

CAMPAIGN = Path(__file__).resolve().parents[2] / "scenarios" / "revolt-1918.yaml"
GOAL = 10_000 / 120  # games a second


def test_bench_sim_on_two_workers(benchmark: BenchmarkFixture, tmp_path: Path) -> None:
    games, limit = (4, ["--turns", "6"]) if benchmark.disabled else (100, [])

    seconds: list[float] = []

    def batch() -> Result:
        args = ["sim", str(CAMPAIGN), "--games", str(games), "--workers", "2", "--out", str(tmp_path), "--json"]
        started = time.perf_counter()
        result = CliRunner().invoke(app, [*args, *limit])
        seconds.append(time.perf_counter() - started)
        return result

    once = cast(Callable[..., Result], benchmark.pedantic)  # a whole batch is long: one round, no calibration
    result = once(batch, rounds=1, iterations=1)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["games"] == games
    if not benchmark.disabled:
        rate = games / seconds[-1]
        benchmark.extra_info["games_per_second"] = round(rate, 2)
        benchmark.extra_info["goal_games_per_second"] = round(GOAL, 1)
        print(f"\nsim: {rate:.2f} games/s on 2 workers (goal {GOAL:.0f})")


def test_bench_one_game_in_process(benchmark: BenchmarkFixture) -> None:
    """One full game with the default commanders, and the same with commanders who give no orders: the engine's
    share of the time and the harness's (rows, key dates, series) show in the passive figure."""
    world = compile_world(load_scenario(CAMPAIGN))
    limit = 6 if benchmark.disabled else None
    default = Matchup.of(world, {})
    outcome: Outcome = benchmark(simulate, world, 0, 12345, default, limit)
    assert outcome.row["turns"] == (limit or outcome.row["turns"])
    assert outcome.row["seed"] == 12345


def test_bench_one_passive_game_in_process(benchmark: BenchmarkFixture) -> None:
    world = compile_world(load_scenario(CAMPAIGN))
    limit = 6 if benchmark.disabled else None
    passive = Matchup.of(world, dict.fromkeys(world.faction_ids, "passive"))
    outcome: Outcome = benchmark(simulate, world, 0, 12345, passive, limit)
    assert outcome.row["battles"] == 0
