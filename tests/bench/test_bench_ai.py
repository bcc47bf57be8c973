"""The doctrine AI's speed on the real campaign: a whole game with every faction played by the AI, engine included
(goal: median <= 20 ms), and the four commanders' orders for one mid-campaign week (the AI's own share; goal:
well under 0.4 ms, that is 0.1 ms a faction). Measure with `pytest tests/bench/test_bench_ai.py --benchmark-enable`.
"""

from __future__ import annotations

from pytest_benchmark.fixture import BenchmarkFixture

from anabasis.ai.registry import make_agent
from anabasis.engine import Order, World
from anabasis.engine.game import Game

MID_GAME = 30


def campaign(world: World, seed: int, turns: int | None = None) -> Game:
    game = Game(world, seed)
    commanders = {f: make_agent("ai", f, 2) for f in world.faction_ids}
    while not game.state.ended and (turns is None or game.turn < turns):
        game.play({f: agent.orders(game.state, f, game.agent_rng(f)) for f, agent in commanders.items()})
    return game


def test_bench_a_whole_campaign_played_by_the_ai(benchmark: BenchmarkFixture, campaign_world: World) -> None:
    game = benchmark(campaign, campaign_world, 5)
    assert game.state.ended
    assert game.state.evacuated[campaign_world.faction_index["legion"]] > 0


def test_bench_the_four_commanders_orders_for_one_week(benchmark: BenchmarkFixture, campaign_world: World) -> None:
    game = campaign(campaign_world, 6, MID_GAME)
    state = game.state
    commanders = {f: make_agent("ai", f, 2) for f in campaign_world.faction_ids}

    def week() -> dict[str, list[Order]]:
        state.touch()  # what the commanders worked out last round would flatter them
        return {f: agent.orders(state, f, game.agent_rng(f)) for f, agent in commanders.items()}

    orders = benchmark(week)
    assert any(orders.values())
