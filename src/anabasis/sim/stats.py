"""Running statistics that need no per-game memory: proportions, means, medians of turns, binned quantiles; and
the differences between two batches with their intervals.

Each accumulator takes values one at a time, so a million games cost what ten do. Fed in the same order they
give the same floats, which is why a batch feeds them in game order whatever finished first.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from anabasis.engine.world import IntArray

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile: a two-sided 95% interval
ALPHA = 0.05  # the chance a 95% interval misses the truth: differences beyond it are "beyond chance"
# Whole numbers below 2**7 are binned exactly; above, 64 bins an octave (HdrHistogram's scheme), so no bin is
# wider than 1/64 of its values and a quantile read as its bin's middle is within 0.8% of the exact one.
EXACT_BITS = 7


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion: honest near 0 and 1, where the normal interval is not."""
    if trials <= 0:
        return 0.0, 1.0
    p = successes / trials
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    # At 0 and at `trials` the bound is exactly 0 or 1; say so rather than trust the rounding.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


@dataclass
class Mean:
    """Welford's running mean and variance, with the extremes."""

    n: int = 0
    mean: float = 0.0
    m2: float = 0.0
    low: float = math.inf
    high: float = -math.inf

    def add(self, x: float) -> None:
        self.n += 1
        delta = x - self.mean
        self.mean += delta / self.n
        self.m2 += delta * (x - self.mean)
        self.low = min(self.low, x)
        self.high = max(self.high, x)

    @property
    def sd(self) -> float:
        """The sample standard deviation (0 for fewer than two values)."""
        return math.sqrt(self.m2 / (self.n - 1)) if self.n > 1 else 0.0

    def interval(self, z: float = Z95) -> tuple[float, float]:
        """The normal-approximation 95% interval of the mean (games are many, so the t correction is small)."""
        half = z * self.sd / math.sqrt(self.n) if self.n > 0 else 0.0
        return self.mean - half, self.mean + half

    def to_dict(self, digits: int) -> dict[str, float]:
        """The mean and its 95% interval, rounded, for a summary."""
        low, high = self.interval()
        return {"mean": round(self.mean, digits), "low": round(low, digits), "high": round(high, digits)}

    def state(self) -> list[float]:
        """The accumulator as numbers; the extremes are left out while there are none (JSON has no infinity)."""
        return [self.n, self.mean, self.m2] + ([self.low, self.high] if self.n else [])

    @classmethod
    def of_state(cls, values: list[float]) -> Mean:
        """The accumulator `state()` gave; the extremes keep their type (a whole number is shown as one)."""
        n, mean, m2, *extremes = values
        low, high = extremes if extremes else (math.inf, -math.inf)
        if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in (low, high)):
            raise ValueError(f"{low!r} and {high!r} are not numbers")
        return cls(int(n), float(mean), float(m2), low, high)


def share(k: int, n: int) -> dict[str, float]:
    """`k` games of `n`: the count, the rate and its Wilson 95% interval, rounded, for a summary."""
    low, high = wilson(k, n)
    return {"games": k, "rate": round(k / n, 4) if n else 0.0, "low": round(low, 4), "high": round(high, 4)}


@dataclass
class TurnCounts:
    """How many games reached a milestone on each turn, and how many never did."""

    counts: dict[int, int] = field(default_factory=dict)
    never: int = 0

    def add(self, turn: int | None) -> None:
        if turn is None:
            self.never += 1
        else:
            self.counts[turn] = self.counts.get(turn, 0) + 1

    @property
    def happened(self) -> int:
        return sum(self.counts.values())

    def state(self) -> dict[str, Any]:
        """The counts as JSON-ready data."""
        return {"counts": [[t, k] for t, k in sorted(self.counts.items())], "never": self.never}

    @classmethod
    def of_state(cls, data: dict[str, Any]) -> TurnCounts:
        """The counts `state()` gave; KeyError, TypeError or ValueError when `data` is not that."""
        return cls({int(t): int(k) for t, k in data["counts"]}, int(data["never"]))

    def median(self) -> int | None:
        """The lower median turn over the games where it happened (a real turn, never half-way between two)."""
        n = self.happened
        return None if n == 0 else self._at_rank((n + 1) // 2)  # (n + 1) // 2: the lower middle's rank

    def quantile(self, q: float) -> int | None:
        """The turn by which a share `q` of the games where it happened had reached it (a real turn)."""
        n = self.happened
        return None if n == 0 else self._at_rank(min(n, max(1, math.ceil(q * n))))

    def _at_rank(self, rank: int) -> int:
        turns = sorted(self.counts)
        reached = list(itertools.accumulate(self.counts[t] for t in turns))
        return turns[bisect.bisect_left(reached, rank)]


def bin_floors(values: IntArray) -> IntArray:
    """The bin of each whole number (below 2**53), named by its smallest magnitude: the number itself below 128,
    else the number with all but its top 7 bits cleared (negative numbers mirror positive ones)."""
    size = np.abs(values)
    _, bits = np.frexp(size)  # size = m * 2**bits with 0.5 <= m < 1: bits is size's bit length
    shift = np.maximum(bits - EXACT_BITS, 0)
    floors: IntArray = np.sign(values) * ((size >> shift) << shift)
    return floors


def bin_middle(floor: int) -> float:
    """The middle of the whole numbers in the bin `floor` names."""
    size = abs(floor)
    width = 1 << max(size.bit_length() - EXACT_BITS, 0)
    middle = size + (width - 1) / 2
    return -middle if floor < 0 else middle


def binned_quantile(counts: Mapping[int, int], percent: int) -> float | None:
    """The nearest-rank percentile (the value ranked ceil(percent% of n) from the bottom) of binned whole numbers,
    as its bin's middle; None for no values. The 50th is the lower median, as `TurnCounts.median`."""
    n = sum(counts.values())
    if n == 0:
        return None
    rank = max(1, -(-n * percent // 100))
    seen = 0
    for floor in sorted(counts):
        seen += counts[floor]
        if seen >= rank:
            return bin_middle(floor)
    raise AssertionError("the ranks run out before n")  # unreachable: seen reaches n >= rank


def two_sided_p(z: float) -> float:
    """The chance of a normal deviate at least |z| from 0, either way."""
    return math.erfc(abs(z) / math.sqrt(2))


@dataclass(frozen=True)
class Difference:
    """B minus A, with its 95% interval and the two-sided p-value of "no difference"."""

    value: float
    low: float
    high: float
    p: float


def share_difference(a: int, b: int, n_a: int, n_b: int, pairs: tuple[int, int, int, int] | None = None) -> Difference:
    """The share of games with a yes in B minus that in A (`a` of `n_a`, `b` of `n_b`).

    The interval is Newcombe's hybrid score interval, built from the two Wilson intervals (Newcombe 1998, method
    10); for paired games (`pairs`: yes in both, in A only, in B only, in neither) it is narrowed by their
    correlation (Newcombe 1998, paired method 10), and the p-value is McNemar's; unpaired, the pooled z-test's.
    """
    pa, pb = a / n_a, b / n_b
    la, ua = wilson(a, n_a)
    lb, ub = wilson(b, n_b)
    phi = 0.0
    if pairs is None:
        pooled = (a + b) / (n_a + n_b)
        se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
        p = 1.0 if se == 0 else two_sided_p((pb - pa) / se)
    else:
        both, only_a, only_b, neither = pairs
        margins = (both + only_a) * (only_b + neither) * (both + only_b) * (only_a + neither)
        phi = (both * neither - only_a * only_b) / math.sqrt(margins) if margins else 0.0
        discordant = only_a + only_b
        p = 1.0 if discordant == 0 else two_sided_p((only_b - only_a) / math.sqrt(discordant))
    low = (pb - pa) - math.sqrt(max(0.0, (pb - lb) ** 2 - 2 * phi * (pb - lb) * (ua - pa) + (ua - pa) ** 2))
    high = (pb - pa) + math.sqrt(max(0.0, (ub - pb) ** 2 - 2 * phi * (ub - pb) * (pa - la) + (pa - la) ** 2))
    return Difference(pb - pa, low, high, p)


def mean_difference(a: Mean, b: Mean, paired: Mean | None = None) -> Difference:
    """B's mean minus A's with the normal 95% interval: of the per-game differences when `paired` holds them,
    else Welch's, from the two spreads."""
    if paired is not None:
        value, se = paired.mean, (paired.sd / math.sqrt(paired.n) if paired.n else 0.0)
    else:
        value = b.mean - a.mean
        se = math.sqrt((a.sd**2 / a.n if a.n else 0.0) + (b.sd**2 / b.n if b.n else 0.0))
    if se == 0:
        return Difference(value, value, value, 1.0 if value == 0 else 0.0)
    return Difference(value, value - Z95 * se, value + Z95 * se, two_sided_p(value / se))


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment: a difference whose adjusted p is below ALPHA is beyond chance even counting
    every comparison made, with at most a 5% chance that any of them is a fluke."""
    order = sorted(range(len(p_values)), key=lambda k: p_values[k])
    adjusted = [1.0] * len(p_values)
    running = 0.0
    for rank, k in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[k]))
        adjusted[k] = running
    return adjusted
