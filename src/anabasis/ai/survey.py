"""The board's faction x station tables in one compiled pass: strength, defence, threat, reach and supply.

`analysis._survey` used to build them from some forty numpy calls on arrays of a few dozen elements, where the
calls' own overhead was most of the cost. The kernel adds up in the order numpy did (units in index order, and
a station's neighbours in index order, as the matrix products over 0/1 adjacency tables did), so the sums, and
every plan made from them, are the same to the last bit.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from anabasis.engine.jit import kernel
from anabasis.engine.state import ACTIVE
from anabasis.engine.supply import Places, draws_through
from anabasis.engine.world import WAR, BoolArray, FloatArray, IntArray


class Neighbours(NamedTuple):
    """Each station's neighbours along open track, without repeats and in index order: `other[first[s]:first[s +
    1]]`, for all open segments (`open_*`) and for those short enough to march in a week (`foot_*`)."""

    open_first: IntArray
    open_other: IntArray
    foot_first: IntArray
    foot_other: IntArray


def neighbours(n_stations: int, seg_a: IntArray, seg_b: IntArray, usable: BoolArray, short: BoolArray) -> Neighbours:
    """The `Neighbours` of a pattern of usable segments (`short` marks those within a week's march)."""
    open_first, open_other = _csr(n_stations, seg_a[usable], seg_b[usable])
    walk = usable & short
    foot_first, foot_other = _csr(n_stations, seg_a[walk], seg_b[walk])
    return Neighbours(open_first, open_other, foot_first, foot_other)


def _csr(n: int, a: IntArray, b: IntArray) -> tuple[IntArray, IntArray]:
    pairs = np.unique(np.concatenate((np.stack((a, b), axis=1), np.stack((b, a), axis=1))), axis=0)
    first = np.searchsorted(pairs[:, 0], np.arange(n + 1)).astype(np.int64)
    other: IntArray = pairs[:, 1].astype(np.int64)
    return first, other


class Units(NamedTuple):
    """What the survey reads of every unit: where it is, whose, and its worths by the engine's formulas (zero
    for units off the map)."""

    status: IntArray
    places: Places
    goal: IntArray
    men: IntArray
    entrained: BoolArray
    faction: IntArray
    raw: FloatArray  # attack strength before the season
    cover: FloatArray  # defence before fortification


class Ground(NamedTuple):
    """What the survey reads of the stations, the lines and the factions."""

    fort: FloatArray  # defence multiplier by station
    control: IntArray
    stance: IntArray
    hostile: BoolArray  # faction x station, the engine's answer
    labels: IntArray  # faction x station: the piece of network it draws supply from
    piece_supply: FloatArray  # by piece


class Tables(NamedTuple):
    """The survey's answer."""

    node: IntArray  # station a unit stands at or nears, -1 off the map
    by_unit: FloatArray  # 4 x unit: attack with the season, attack before it, defence where it stands, cover
    strength: FloatArray  # faction x station
    defence: FloatArray
    threat: FloatArray
    held: BoolArray
    reach: BoolArray
    supply: FloatArray
    lowest_supply: FloatArray  # by faction
    grouped: IntArray  # 3 x unit: units on the map, threatened, moving, each list by faction in unit order
    group_start: IntArray  # 3 x (faction + 1): where each faction's part of a `grouped` row starts


@kernel
def tables(units: Units, ground: Ground, near: Neighbours, season: float, need_per_man: float) -> Tables:
    """Sum every unit's worth by faction and station, and read threat, reach and supply off the sums."""
    nu, ns, nf = units.status.shape[0], ground.control.shape[0], ground.stance.shape[0]
    node = np.full(nu, -1, dtype=np.int64)
    by_unit = np.zeros((4, nu))
    strength, defence, mobile = np.zeros((nf, ns)), np.zeros((nf, ns)), np.zeros((nf, ns))
    demand = np.zeros(ground.piece_supply.shape[0])
    for u in range(nu):
        if units.status[u] != ACTIVE:
            continue
        at = units.places.station[u]
        node[u] = draws_through(units.places, u)
        f, s = units.faction[u], node[u]
        worth = units.raw[u] * season
        guard = units.cover[u] * (ground.fort[at] if at >= 0 else 0.0)
        by_unit[0, u], by_unit[1, u], by_unit[2, u], by_unit[3, u] = worth, units.raw[u], guard, units.cover[u]
        strength[f, s] += worth
        defence[f, s] += guard
        if units.entrained[u]:
            mobile[f, s] += worth
        demand[ground.labels[f, s]] += units.men[u] * need_per_man
    threat = np.zeros((nf, ns))
    for f in range(nf):
        enemy, enemy_mobile = np.zeros(ns), np.zeros(ns)
        for g in range(nf):
            if ground.stance[f, g] == WAR:
                for s in range(ns):
                    enemy[s] += strength[g, s]
                    enemy_mobile[s] += mobile[g, s]
        for t in range(ns):
            by_train = 0.0
            for j in range(near.open_first[t], near.open_first[t + 1]):
                by_train += enemy_mobile[near.open_other[j]]
            on_foot = 0.0
            for j in range(near.foot_first[t], near.foot_first[t + 1]):
                k = near.foot_other[j]
                on_foot += enemy[k] - enemy_mobile[k]
            threat[f, t] = enemy[t] + by_train + on_foot
    held = np.zeros((nf, ns), dtype=np.bool_)
    reach = np.zeros((nf, ns), dtype=np.bool_)
    for f in range(nf):
        for s in range(ns):
            held[f, s] = ground.control[s] == f and not ground.hostile[f, s]
        for t in range(ns):
            ours = strength[f, t] > 0 or held[f, t]
            for j in range(near.open_first[t], near.open_first[t + 1]):
                k = near.open_other[j]
                ours = ours or strength[f, k] > 0 or held[f, k]
            reach[f, t] = ours
    ratio = np.empty_like(demand)
    for p in range(demand.shape[0]):
        ratio[p] = min(1.0, ground.piece_supply[p] / (demand[p] if demand[p] > 0 else 1.0))
    supply = np.empty((nf, ns))
    lowest = np.full(nf, np.inf)
    for f in range(nf):
        for s in range(ns):
            supply[f, s] = ratio[ground.labels[f, s]]
            if strength[f, s] > 0 and supply[f, s] < lowest[f]:
                lowest[f] = supply[f, s]
    grouped = np.empty((3, nu), dtype=np.int64)
    group_start = np.zeros((3, nf + 1), dtype=np.int64)
    for row in range(3):
        n = 0
        for f in range(nf):
            group_start[row, f] = n
            for u in range(nu):
                if units.status[u] != ACTIVE or units.faction[u] != f:
                    continue
                at = units.places.station[u]
                if row == 1 and not (at >= 0 and threat[f, at] > 0):
                    continue
                if row == 2 and units.goal[u] < 0:
                    continue
                grouped[row, n] = u
                n += 1
        group_start[row, nf] = n
    return Tables(node, by_unit, strength, defence, threat, held, reach, supply, lowest, grouped, group_start)


class Opposed(NamedTuple):
    """What a set of enemy factions holds and guards, for `analysis.opposition`."""

    stations: BoolArray  # held or stood in by them
    near: BoolArray  # those, and stations one open segment from one of them
    defence: FloatArray  # their defence by station
    strength: FloatArray  # their attack strength by station


@kernel
def opposed(foes: BoolArray, control: IntArray, tables: tuple[FloatArray, FloatArray], near: Neighbours) -> Opposed:
    """Add up the foes' rows of the survey's `defence` and `strength` tables, in faction order as numpy's sum
    over rows did, and mark where they hold or stand and the stations next to those."""
    defence_by_faction, strength_by_faction = tables
    nf, ns = defence_by_faction.shape
    defence, strength = np.zeros(ns), np.zeros(ns)
    for f in range(nf):
        if foes[f]:
            for s in range(ns):
                defence[s] += defence_by_faction[f, s]
                strength[s] += strength_by_faction[f, s]
    stations = np.zeros(ns, dtype=np.bool_)
    for s in range(ns):
        stations[s] = (control[s] >= 0 and foes[control[s]]) or defence[s] > 0
    close = stations.copy()
    for t in range(ns):
        for j in range(near.open_first[t], near.open_first[t + 1]):
            if stations[near.open_other[j]]:
                close[t] = True
    return Opposed(stations, close, defence, strength)
