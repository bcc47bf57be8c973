"""Speed of loading the main campaign: the command line, the game and every simulated game start with it.

Goal: `load_scenario("scenarios/revolt-1918.yaml")` (read, include, validate, cross-check) in a median of 50 ms.
Measure with `pytest tests/bench/test_bench_scenario.py --benchmark-enable`.
"""

from __future__ import annotations

from pathlib import Path

from pytest_benchmark.fixture import BenchmarkFixture

from anabasis.scenario import load_scenario
from anabasis.scenario.assemble import assemble
from anabasis.scenario.loader import validate_assembled

CAMPAIGN = Path(__file__).resolve().parents[2] / "scenarios" / "revolt-1918.yaml"


def test_bench_load_campaign(benchmark: BenchmarkFixture) -> None:
    scenario = benchmark(load_scenario, CAMPAIGN)
    assert scenario.meta.id == "revolt_1918"


def test_bench_validate_assembled_campaign(benchmark: BenchmarkFixture) -> None:
    """Validation alone, as after `--set` overrides on data already read."""
    doc = assemble(CAMPAIGN)
    scenario = benchmark(validate_assembled, doc)
    assert len(scenario.units) == len(doc.data["units"])
