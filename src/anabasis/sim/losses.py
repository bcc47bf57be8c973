"""Men lost by contingent: the engine counts casualties by faction only, so a game's are followed unit by unit.

A unit's men fall for two reasons only: casualties (battle, capture, hunger and cold) and shipping out. Week by
week, every unit's fall is a casualty except where its faction shipped men out that week; there the units that
may have shipped (those now gone by sea, or still embarking at a port) share what is left of the faction's
casualties, in unit order. So each faction's total is exact, and so is its split, unless units of two of its
contingents shipped out and lost men in the same week.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anabasis.engine.state import ACTIVE, EVACUATED, GameState
from anabasis.engine.world import IntArray, World

NO_CONTINGENT = "(none)"  # names the bucket of a faction's units outside any contingent


@dataclass(frozen=True)
class Bucket:
    """What men lost are counted by: a contingent, or the units of a faction outside any."""

    faction: str
    contingent: str | None
    name: str

    @property
    def key(self) -> str:
        """`allies.japan`, or `reds.(none)`: the key in rows and summaries."""
        return f"{self.faction}.{self.contingent or NO_CONTINGENT}"


def loss_buckets(world: World) -> tuple[list[Bucket], IntArray]:
    """The buckets, every contingent's first, and each unit's bucket."""
    contingents = zip(world.contingent_ids, world.contingent_faction.tolist(), world.contingent_names, strict=True)
    buckets = [Bucket(world.faction_ids[f], c, name) for c, f, name in contingents]
    unit_bucket = world.unit_contingent.copy()
    outside = world.unit_contingent < 0
    for f in np.unique(world.unit_faction[outside]).tolist():
        unit_bucket[outside & (world.unit_faction == f)] = len(buckets)
        has_contingents = bool(np.any(world.contingent_faction == f))
        name = f"{world.faction_names[f]}: units outside its contingents" if has_contingents else world.faction_names[f]
        buckets.append(Bucket(world.faction_ids[f], None, name))
    return buckets, unit_bucket


@dataclass
class ContingentLosses:
    """Watches one game turn by turn and adds up the men each unit lost (shipping out is no loss)."""

    men: IntArray
    status: IntArray
    casualties: IntArray
    evacuated: IntArray
    lost: IntArray  # by unit

    @classmethod
    def start(cls, opening: GameState) -> ContingentLosses:
        return cls(
            opening.men.copy(),
            opening.status.copy(),
            opening.casualties.copy(),
            opening.evacuated.copy(),
            np.zeros(opening.world.n_units, dtype=np.int64),
        )

    def observe(self, state: GameState) -> None:
        """Take note of the state after a turn was resolved."""
        fall = self.men - state.men
        shipped = state.evacuated - self.evacuated
        if np.any(shipped > 0):
            self._leave_out_shipping(fall, state, np.flatnonzero(shipped > 0).tolist())
        self.lost += fall
        self.men, self.status = state.men.copy(), state.status.copy()
        self.casualties, self.evacuated = state.casualties.copy(), state.evacuated.copy()

    def _leave_out_shipping(self, fall: IntArray, state: GameState, factions: list[int]) -> None:
        """Cut `fall` of the units that may have shipped men out down to their share of their faction's casualties."""
        w = state.world
        gone = (state.status == EVACUATED) & (self.status != EVACUATED)
        at = np.maximum(state.station, 0)
        embarking = (state.status == ACTIVE) & state.embarking & (state.station >= 0) & w.has_port[at]
        for f in factions:
            of_faction = w.unit_faction == f
            shipping = of_faction & (gone | embarking) & (fall > 0)
            left = int(state.casualties[f] - self.casualties[f]) - int(fall[of_faction & ~shipping].sum())
            for u in np.flatnonzero(shipping).tolist():
                fall[u] = min(int(fall[u]), max(left, 0))
                left -= int(fall[u])

    def by_bucket(self, unit_bucket: IntArray, buckets: int) -> list[int]:
        """Men lost in each bucket of `loss_buckets`."""
        lost: list[int] = np.bincount(unit_bucket, weights=self.lost, minlength=buckets).astype(np.int64).tolist()
        return lost
