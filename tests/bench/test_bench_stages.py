"""Where a whole AI campaign's time goes, stage by stage: the engine's turns, the commanders' orders, and the
planner's compiled kernel within them. Each round runs one stage over every week of a campaign the AIs played
before, in order, so a round is that stage's share of a campaign; run apart, each finds the caches warmer than
when the stages take turns within a week, so they add up to less than the whole campaign's benchmark, and the
difference is what the week's cold caches cost. Measure with
`pytest tests/bench/test_bench_stages.py --benchmark-enable`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from anabasis.ai import planner
from anabasis.ai.registry import make_agent
from anabasis.engine import GameState, Order, World, step
from anabasis.engine.game import Game, agent_rng
from anabasis.engine.world import IntArray

SEED = 5


@dataclass(frozen=True)
class Campaign:
    """A campaign the AIs played: the state at the start of every week, the orders given in it, what the
    planner's kernel was handed and gave each time, and the final state."""

    states: list[GameState]
    orders: list[dict[str, list[Order]]]
    plans: list[tuple[tuple[Any, ...], IntArray]]
    final: GameState


@pytest.fixture(scope="module")
def played(campaign_world: World) -> Campaign:
    game = Game(campaign_world, SEED)
    commanders = {f: make_agent("ai", f, 2) for f in campaign_world.faction_ids}
    states, orders, plans = [], [], []
    kernel = planner.PLANNING

    def planning(*records: Any) -> IntArray:
        table: IntArray = kernel(*records)
        plans.append((records, table))
        return table

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(planner, "PLANNING", planning)
        while not game.state.ended:
            states.append(game.state)
            orders.append({f: agent.orders(game.state, f, game.agent_rng(f)) for f, agent in commanders.items()})
            game.play(orders[-1])
    return Campaign(states, orders, plans, game.state)


def test_bench_the_engine_over_a_campaigns_weeks(benchmark: BenchmarkFixture, played: Campaign) -> None:
    def engine() -> GameState:
        rng = np.random.default_rng(SEED)  # the game's own draws: only the turns draw from it
        after = played.states[0]
        for state, orders in zip(played.states, played.orders, strict=True):
            state.touch()  # what the commanders worked out about the state would flatter the turn
            after, _ = step(state, orders, rng)
        return after

    final = benchmark(engine)
    assert final.ended
    assert final.snapshot() == played.final.snapshot()


def test_bench_the_commanders_over_a_campaigns_weeks(
    benchmark: BenchmarkFixture, played: Campaign, campaign_world: World
) -> None:
    factions = campaign_world.faction_ids

    def commanders() -> list[dict[str, list[Order]]]:
        agents = {f: make_agent("ai", f, 2) for f in factions}  # fresh: a commander remembers past weeks
        out = []
        for state in played.states:
            state.touch()  # the survey and the stakes are the commanders' work too
            out.append(
                {f: a.orders(state, f, agent_rng(SEED, state.turn, k)) for k, (f, a) in enumerate(agents.items())}
            )
        return out

    given = benchmark(commanders)
    assert given == played.orders


def test_bench_the_planners_kernel_over_a_campaigns_weeks(benchmark: BenchmarkFixture, played: Campaign) -> None:
    kernel: Callable[..., IntArray] = planner.PLANNING

    def plans() -> list[IntArray]:
        return [kernel(*records) for records, _ in played.plans]

    tables = benchmark(plans)
    assert len(tables) == len(played.plans) > 4 * 100
    assert all(np.array_equal(a, b) for a, (_, b) in zip(tables, played.plans, strict=True))
