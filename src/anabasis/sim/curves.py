"""The batch's curves over time: for each week, the mean and the 5th, 50th and 95th percentiles over the games of
points by side and of men on the map, casualties and men shipped out by faction.

Percentiles need every game's value, which a batch of millions cannot keep; each (curve, week) keeps instead a
histogram of its values in bins no wider than 1/64 of the values they hold (exact below 128: see
`stats.bin_floors`), so the memory is bounded by the spread of the values, not by the games, and a percentile
read from it is within 0.8% of the exact one. The sums behind the means are whole numbers, hence exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from anabasis.engine.world import IntArray, World
from anabasis.sim.stats import bin_floors, binned_quantile
from anabasis.sim.timeline import BY_SIDE, POINTS_SCALE, CurveArray, curve_columns

PERCENTILES = (5, 50, 95)  # the band and the median


@dataclass
class CurveBands:
    """Running sums and histograms of every curve, week by week, fed in game order."""

    world: World
    length: int  # weeks
    games: int = 0
    sums: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # week x column
    bins: list[dict[int, int]] = field(default_factory=list)  # week * columns + column -> {bin floor: games}

    def __post_init__(self) -> None:
        width = len(curve_columns(self.world))
        self.sums = np.zeros((self.length, width), dtype=np.int64)
        self.bins = [{} for _ in range(self.length * width)]

    def add(self, curves: CurveArray) -> None:
        self.games += 1
        self.sums += curves
        for cell, floor in zip(self.bins, bin_floors(curves.astype(np.int64)).ravel().tolist(), strict=True):
            cell[floor] = cell.get(floor, 0) + 1

    def running(self) -> dict[str, Any]:
        """The accumulators, JSON-ready and exact; bins sorted, so equal batches save equal files."""
        return {
            "games": self.games,
            "sums": self.sums.tolist(),
            "bins": [sorted(cell.items()) for cell in self.bins],
        }

    @classmethod
    def resumed(cls, world: World, length: int, data: dict[str, Any]) -> CurveBands:
        """The accumulators as `running()` left them; ValueError (or KeyError, TypeError) when they do not fit."""
        out = cls(world, length)
        sums = np.array(data["sums"], dtype=np.int64)
        if sums.shape != out.sums.shape or len(data["bins"]) != len(out.bins):
            raise ValueError("the curves are for another calendar or other factions")
        out.games, out.sums = int(data["games"]), sums
        out.bins = [{int(floor): int(games) for floor, games in cell} for cell in data["bins"]]
        return out

    def to_dict(self) -> dict[str, Any]:
        """Curve -> side or faction -> mean and percentiles by week, in points or men."""
        n = max(self.games, 1)
        width = self.sums.shape[1]
        out: dict[str, Any] = {}
        for k, (curve, who) in enumerate(curve_columns(self.world)):
            scale, digits = (POINTS_SCALE, 2) if curve in BY_SIDE else (1, 1)
            cells = self.bins[k::width]
            entry: dict[str, list[float | None]] = {
                "mean": [round(int(total) / n / scale, digits) for total in self.sums[:, k].tolist()]
            }
            for percent in PERCENTILES:
                values = (binned_quantile(cell, percent) for cell in cells)
                entry[f"p{percent}"] = [None if v is None else round(v / scale, digits) for v in values]
            out.setdefault(curve, {})[who] = entry
        return out
