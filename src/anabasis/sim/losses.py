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
from anabasis.engine.world import BoolArray, IntArray, World

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
    """Watches one game turn by turn and adds up the men each unit lost (shipping out is no loss) when asked: a
    week only takes down what the sums need."""

    world: World
    # The opening's, then each week's after it was resolved.
    men: list[IntArray]
    status: list[IntArray]
    station: list[IntArray]
    embarking: list[BoolArray]
    casualties: list[IntArray]
    evacuated: list[IntArray]

    @classmethod
    def start(cls, opening: GameState) -> ContingentLosses:
        losses = cls(opening.world, [], [], [], [], [], [])
        losses.observe(opening)
        return losses

    def observe(self, state: GameState) -> None:
        """Take note of the state after a turn was resolved."""
        self.men.append(state.men.copy())
        self.status.append(state.status.copy())
        self.station.append(state.station.copy())
        self.embarking.append(state.embarking.copy())
        self.casualties.append(state.casualties.copy())
        self.evacuated.append(state.evacuated.copy())

    def lost(self) -> IntArray:
        """Men lost by each unit so far."""
        w = self.world
        men = np.array(self.men, dtype=np.int64).reshape(len(self.men), w.n_units)
        fall = men[:-1] - men[1:]  # week x unit
        evacuated = np.array(self.evacuated, dtype=np.int64).reshape(len(self.evacuated), w.n_factions)
        shipped = evacuated[1:] > evacuated[:-1]  # week x faction
        weeks = np.flatnonzero(shipped.any(axis=1))
        if len(weeks):
            fall[weeks] = self._leave_out_shipping(fall[weeks], weeks, shipped[weeks])
        lost: IntArray = fall.sum(axis=0)
        return lost

    def _leave_out_shipping(self, fall: IntArray, weeks: IntArray, shipped: BoolArray) -> IntArray:
        """`fall` (week x unit) of the `weeks` in which the factions `shipped` (week x faction) men out, with the
        fall of each unit that may have shipped cut down to its share of what is left of its faction's casualties:
        in unit order, each takes its whole fall until nothing is left."""
        w, faction = self.world, self.world.unit_faction
        before, after = weeks.tolist(), (weeks + 1).tolist()
        status, station = _rows(self.status, after), _rows(self.station, after)
        gone = (status == EVACUATED) & (_rows(self.status, before) != EVACUATED)
        embarking = (
            (status == ACTIVE) & _rows(self.embarking, after) & (station >= 0) & w.has_port[np.maximum(station, 0)]
        )
        casualties = _rows(self.casualties, after) - _rows(self.casualties, before)  # week x faction
        shipping = shipped[:, faction] & (gone | embarking) & (fall > 0)
        out = fall.copy()
        for f in np.flatnonzero(shipped.any(axis=0)).tolist():
            of_faction = faction == f
            theirs = np.where(shipping & of_faction, fall, 0)
            left = casualties[:, f] - np.where(of_faction & ~shipping, fall, 0).sum(axis=1)
            taken_before = np.cumsum(theirs, axis=1) - theirs  # what the faction's earlier shipping units took
            share = np.minimum(theirs, np.maximum(left[:, None] - taken_before, 0))
            out = np.where(shipping & of_faction, share, out)
        return out

    def by_bucket(self, unit_bucket: IntArray, buckets: int) -> list[int]:
        """Men lost in each bucket of `loss_buckets`."""
        weights = self.lost()
        lost: list[int] = np.bincount(unit_bucket, weights=weights, minlength=buckets).astype(np.int64).tolist()
        return lost


def _rows(weeks: list[IntArray] | list[BoolArray], picked: list[int]) -> IntArray:
    """The `picked` weeks' rows, one above the other."""
    return np.array([weeks[k] for k in picked])
