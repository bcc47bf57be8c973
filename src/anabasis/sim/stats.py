"""Running statistics that need no per-game memory: proportions, means and medians of turns.

Each accumulator takes values one at a time, so a million games cost what ten do. Fed in the same order they
give the same floats, which is why a batch feeds them in game order whatever finished first.
"""

from __future__ import annotations

import bisect
import itertools
import math
from dataclasses import dataclass, field

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile: a two-sided 95% interval


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

    def median(self) -> int | None:
        """The lower median turn over the games where it happened (a real turn, never half-way between two)."""
        n = self.happened
        if n == 0:
            return None
        turns = sorted(self.counts)
        reached = list(itertools.accumulate(self.counts[t] for t in turns))
        return turns[bisect.bisect_left(reached, (n + 1) // 2)]  # (n + 1) // 2: the lower middle's rank
