"""The simulator's statistics and seeds: known intervals, medians from counters, seeds a replay can use."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from anabasis.sim.seeds import game_seed, game_seeds
from anabasis.sim.stats import (
    Mean,
    TurnCounts,
    bin_floors,
    bin_middle,
    binned_quantile,
    holm,
    mean_difference,
    share_difference,
    wilson,
)


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


@pytest.mark.parametrize(
    ("a", "b", "interval"),
    [
        # Newcombe (1998), "Interval estimation for the difference between independent proportions", method 10.
        ((48, 80), (56, 70), (0.0524, 0.3339)),
        ((3, 10), (9, 10), (0.1705, 0.8090)),
    ],
)
def test_share_difference_matches_newcombes_published_intervals(
    a: tuple[int, int], b: tuple[int, int], interval: tuple[float, float]
) -> None:
    d = share_difference(a[0], b[0], a[1], b[1])
    assert d.value == pytest.approx(b[0] / b[1] - a[0] / a[1])
    assert (d.low, d.high) == pytest.approx(interval, abs=1e-4)


@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=200))
def test_paired_share_difference_contains_the_observed_one_and_is_no_wider_when_games_agree(
    games: list[tuple[bool, bool]],
) -> None:
    n = len(games)
    table = (
        sum(a and b for a, b in games),
        sum(a and not b for a, b in games),
        sum(b and not a for a, b in games),
        sum(not a and not b for a, b in games),
    )
    a, b = table[0] + table[1], table[0] + table[2]
    paired, unpaired = share_difference(a, b, n, n, table), share_difference(a, b, n, n)
    assert -1 <= paired.low <= paired.value <= paired.high <= 1
    assert 0 <= paired.p <= 1
    if table[1] == table[2] == 0:  # every game the same in both: nothing to tell them apart
        assert paired.p == 1
    if table[0] * table[3] >= table[1] * table[2]:  # positively correlated games narrow the interval
        assert paired.high - paired.low <= unpaired.high - unpaired.low + 1e-12


def test_mean_difference_paired_and_welch() -> None:
    a, b, pairs = Mean(), Mean(), Mean()
    for x, y in [(10, 12), (20, 21), (30, 33), (40, 42)]:
        a.add(x)
        b.add(y)
        pairs.add(y - x)
    welch, paired = mean_difference(a, b), mean_difference(a, b, pairs)
    assert welch.value == paired.value == 2
    assert welch.low < 0 < welch.high  # the spread between games hides it
    assert 0 < paired.low < paired.high  # the same games, two points apart every time
    assert paired.p < 0.05 < welch.p


def test_holm_adjusts_the_smallest_p_most() -> None:
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([]) == []


def test_bins_are_exact_below_128_and_at_most_a_64th_wide_above() -> None:
    small = np.arange(-127, 128)
    assert (bin_floors(small) == small).all()
    big = np.array([128, 129, 1000, 54_321, 2**40 + 12345, -54_321])
    floors = bin_floors(big)
    for x, floor in zip(big.tolist(), floors.tolist(), strict=True):
        assert abs(floor) <= abs(x) and (floor >= 0) == (x >= 0)
        assert abs(x) - abs(floor) < abs(x) / 64
        assert abs(bin_middle(floor) - x) <= abs(x) / 128


@given(st.lists(st.integers(-300_000, 300_000), min_size=1, max_size=300), st.sampled_from([5, 50, 95]))
def test_binned_percentiles_are_within_a_128th_of_the_exact_nearest_rank_ones(values: list[int], percent: int) -> None:
    counts: dict[int, int] = {}
    for floor in bin_floors(np.array(values, dtype=np.int64)).tolist():
        counts[floor] = counts.get(floor, 0) + 1
    exact = sorted(values)[max(1, math.ceil(percent * len(values) / 100)) - 1]
    got = binned_quantile(counts, percent)
    assert got is not None
    assert abs(got - exact) <= abs(exact) / 128 + 1e-9


def test_a_key_dates_spread_is_the_turns_by_which_a_tenth_and_nine_tenths_of_the_games_got_there() -> None:
    counts = TurnCounts()
    for turn in [*range(10, 20), None, None]:  # ten games on turns 10..19, two never
        counts.add(turn)
    assert (counts.quantile(0.1), counts.median(), counts.quantile(0.9)) == (10, 14, 18)
    assert counts.quantile(0.0) == 10 and counts.quantile(1.0) == 19
    assert TurnCounts().quantile(0.5) is None
