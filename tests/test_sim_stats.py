"""The simulator's statistics and seeds: known intervals, medians from counters, seeds a replay can use."""

from __future__ import annotations

import statistics

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from anabasis.sim.seeds import game_seed, game_seeds
from anabasis.sim.stats import Mean, TurnCounts, wilson


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        # Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, score method.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_published_values(successes: int, trials: int, low: float, high: float) -> None:
    got = wilson(successes, trials)
    assert got == pytest.approx((low, high), abs=1e-4)


@given(st.integers(1, 10_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_contains_the_observed_rate(case: tuple[int, int]) -> None:
    k, n = case
    low, high = wilson(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=200))
def test_running_mean_agrees_with_numpy(values: list[float]) -> None:
    m = Mean()
    for x in values:
        m.add(x)
    assert m.mean == pytest.approx(np.mean(values), rel=1e-9, abs=1e-6)
    assert m.sd == pytest.approx(np.std(values, ddof=1), rel=1e-6, abs=1e-6)
    assert (m.low, m.high) == (min(values), max(values))
    low, high = m.interval()
    assert low <= m.mean <= high


@given(st.lists(st.one_of(st.none(), st.integers(0, 130)), max_size=300))
def test_median_turn_from_counters_is_the_lower_median_of_the_games_where_it_happened(
    turns: list[int | None],
) -> None:
    counts = TurnCounts()
    for t in turns:
        counts.add(t)
    happened = [t for t in turns if t is not None]
    assert counts.never == len(turns) - len(happened)
    assert counts.median() == (statistics.median_low(happened) if happened else None)


def test_game_seeds_are_numpy_spawned_children_of_the_batch_seed() -> None:
    children = np.random.SeedSequence(2024).spawn(6)
    expected = [int(c.generate_state(1)[0]) for c in children]
    assert [game_seed(2024, i) for i in range(6)] == expected
    assert list(game_seeds(2024, 2, 5)) == [(i, expected[i]) for i in range(2, 5)]
    assert len(set(expected)) == 6
