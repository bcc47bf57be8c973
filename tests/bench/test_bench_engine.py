"""Engine speed on the real campaign: one mid-game week, and a whole ~125-week game replayed from its order log.

The goal for the replay is a median of at most 10 ms. Measure with
`pytest tests/bench/test_bench_engine.py --benchmark-enable`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from anabasis.ai.baseline import RandomAgent
from anabasis.engine import GameState, Order, World, initial_state, step
from anabasis.engine.game import Game
from anabasis.engine.report import Report

PlayRandom = Callable[..., Game]
Orders = Mapping[str, Sequence[Order]]
MID_GAME = 40


@pytest.fixture(scope="module")
def random_campaign(campaign_world: World, play_random: PlayRandom) -> Game:
    """A whole campaign played by random commanders."""
    return play_random(campaign_world, 1)


def test_bench_one_mid_campaign_turn(
    benchmark: BenchmarkFixture, campaign_world: World, play_random: PlayRandom
) -> None:
    game = play_random(campaign_world, 2, MID_GAME)
    orders = {f: RandomAgent().orders(game.state, f, game.agent_rng(f)) for f in campaign_world.faction_ids}
    state = game.state

    def one_turn() -> tuple[GameState, Report]:
        state.touch()  # answers remembered from the previous round would flatter the engine
        return step(state, orders, np.random.default_rng(MID_GAME))

    after, _ = benchmark(one_turn)
    assert after.turn == MID_GAME + 1


def test_bench_campaign_replay(benchmark: BenchmarkFixture, campaign_world: World, random_campaign: Game) -> None:
    log: list[Orders] = [
        {f: [Order.parse(t) for t in given] for f, given in turn.items()} for turn in random_campaign.log
    ]
    start, _ = initial_state(campaign_world)

    def replay() -> GameState:
        start.touch()
        rng = np.random.default_rng(random_campaign.seed)
        state = start
        for orders in log:
            state, _ = step(state, orders, rng)
        return state

    final = benchmark(replay)
    assert final.ended and len(log) == campaign_world.turns
    assert final.snapshot() == random_campaign.state.snapshot()
