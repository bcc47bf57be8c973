"""Who held every station, week by week, over a batch: for each faction (and for nobody), the games in which it
held each station at the end of each week.

Stations keep the scenario's order, which is railway order: authors list the network line by line (the
campaign's goes from Moscow and the north through the Volga, the Urals and Siberia to the Pacific), and every
other table and plot of a batch uses it. A walk of the graph was tried and read worse: where lines form loops
(the two routes over the Urals, the Amur line beside the Chinese Eastern Railway) it cannot tell the main line
from a branch, and it scatters stations a reader expects together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from anabasis.engine.world import IntArray, World
from anabasis.sim.timeline import HolderArray


@dataclass
class HolderCounts:
    """Games in which each faction, or nobody (the last row), held each station at the end of each week."""

    world: World
    length: int  # weeks
    counts: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # holder x week x station

    def __post_init__(self) -> None:
        self.counts = np.zeros((self.world.n_factions + 1, self.length, self.world.n_stations), dtype=np.int64)

    def add(self, holder: HolderArray) -> None:
        for f in range(self.world.n_factions):
            self.counts[f] += holder == f
        self.counts[-1] += holder < 0

    def running(self) -> list[Any]:
        counts: list[Any] = self.counts.tolist()
        return counts

    @classmethod
    def resumed(cls, world: World, length: int, data: list[Any]) -> HolderCounts:
        """The counts as `running()` left them; ValueError when they do not fit this world and calendar."""
        out = cls(world, length)
        counts = np.array(data, dtype=np.int64)
        if counts.shape != out.counts.shape:
            raise ValueError("the station holders are for another calendar or other stations")
        out.counts = counts
        return out

    def by_side(self, stations: list[int]) -> IntArray:
        """Side x week x station: games in which a faction of each side held the `stations`."""
        w = self.world
        picked = self.counts[:-1, :, stations]
        return np.stack([picked[w.side_of == side].sum(axis=0) for side in range(len(w.side_ids))])

    def to_dict(self) -> dict[str, Any]:
        """The counts by faction and for nobody, each week x station, with the stations in order."""
        w = self.world
        return {
            "stations": list(w.station_ids),
            "factions": {f: self.counts[k].tolist() for k, f in enumerate(w.faction_ids)},
            "nobody": self.counts[-1].tolist(),
        }
