"""Loading a save late in the campaign, which replays its order log and checks the snapshot against it.

The goal is a median of at most 200 ms for a save of week 120 played by the AIs. Measure with
`pytest tests/bench/test_bench_save.py --benchmark-enable`.
"""

from __future__ import annotations

from pathlib import Path

from pytest_benchmark.fixture import BenchmarkFixture

from anabasis.engine import World
from anabasis.engine.game import Game
from anabasis.engine.save import read_save, restore_game, save_data, write_save
from anabasis.scenario import content_hash
from anabasis.sim.game import Matchup, play

LATE = 120


def test_bench_loading_a_late_campaign_save(benchmark: BenchmarkFixture, campaign_world: World, tmp_path: Path) -> None:
    game = Game(campaign_world, 3)
    list(play(game, Matchup.of(campaign_world, {}), LATE))
    digest = content_hash(campaign_world.scenario)
    path = tmp_path / "late.json"
    write_save(path, save_data(game, digest))

    loaded = benchmark(lambda: restore_game(read_save(path), campaign_world, digest))
    assert loaded.turn == LATE
    assert loaded.rng_state() == game.rng_state()
