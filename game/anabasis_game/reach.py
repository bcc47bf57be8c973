"""Where a selected unit can go: this week, at all, and which stations it can attack, asked of the engine."""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from anabasis.engine import Attack, GameState, why_illegal
from anabasis.engine.legal import reachable
from anabasis.engine.movement import week_km
from anabasis.engine.network import components
from anabasis.engine.supply import issued
from anabasis.engine.world import BoolArray, FloatArray, IntArray


@dataclass(frozen=True)
class Reach:
    """A unit's options on the map: km to every station it can reach, and the stations it can attack."""

    km: FloatArray  # inf where it cannot go
    back: IntArray  # the station before each on the way there, -1 at the start
    week: float  # km it covers this week
    attack: tuple[int, ...]

    @property
    def this_week(self) -> BoolArray:
        out: BoolArray = self.km <= self.week
        return out

    @property
    def anywhere(self) -> BoolArray:
        out: BoolArray = np.isfinite(self.km)
        return out


def reach_of(state: GameState, unit: int) -> Reach:
    """Km along open track through stations the unit may pass (from `reachable`), and its attack targets."""
    w = state.world
    allowed = reachable(state, unit).copy()
    km = np.full(w.n_stations, np.inf)
    back = np.full(w.n_stations, -1, dtype=np.int64)
    heap: list[tuple[float, int, int]] = []
    if state.station[unit] >= 0:
        here = int(state.station[unit])
        allowed[here] = True
        heap.append((0.0, here, -1))
    elif state.segment[unit] >= 0:
        seg = int(state.segment[unit])
        p = float(state.progress[unit])
        ends = [(p, int(w.seg_a[seg]), -1), (float(w.seg_km[seg]) - p, int(w.seg_b[seg]), -1)]
        heap = [end for end in ends if allowed[end[1]]]
    heapq.heapify(heap)
    while heap:
        d, here, before = heapq.heappop(heap)
        if d >= km[here]:
            continue
        km[here], back[here] = d, before
        for other, seg in w.adjacency[here]:
            if allowed[other] and state.damage[seg] == 0 and d + w.seg_km[seg] < km[other]:
                heapq.heappush(heap, (d + float(w.seg_km[seg]), other, here))
    if state.station[unit] >= 0:
        km[int(state.station[unit])] = np.inf  # not a destination
    return Reach(km, back, week_km(state, unit), attack_targets(state, unit))


def attack_targets(state: GameState, unit: int) -> tuple[int, ...]:
    """The stations the unit may attack now: where it stands or next to it, where the rules allow."""
    w = state.world
    ends = [int(state.station[unit])] if state.station[unit] >= 0 else []
    if state.segment[unit] >= 0:
        ends = [int(w.seg_a[state.segment[unit]]), int(w.seg_b[state.segment[unit]])]
    near = set(ends)
    for end in ends:
        near.update(other for other, _ in w.adjacency[end])
    faction = w.faction_ids[w.unit_faction[unit]]
    name = w.unit_ids[unit]
    return tuple(s for s in sorted(near) if why_illegal(state, faction, Attack(name, w.station_ids[s])) is None)


def supplied_stations(state: GameState, faction: int) -> BoolArray:
    """Stations joined to one of the faction's sources of supply by open track through passable stations.

    The same pieces of network the engine's supply step shares supply within (`network.components`,
    `supply.issued`), asked read-only.
    """
    labels = components(state, faction, -1)
    sources = issued(state)[faction] > 0
    fed: BoolArray = np.isin(labels, labels[sources]) & (labels >= 0)
    return fed
