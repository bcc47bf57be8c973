"""The board's faction x station tables in one compiled pass: strength, defence, threat, reach and supply.

`analysis._survey` used to build them from some forty numpy calls on arrays of a few dozen elements, where the
calls' own overhead was most of the cost. The kernel adds up in the order numpy did (units in index order, and
a station's neighbours in index order, as the matrix products over 0/1 adjacency tables did), so the sums, and
every plan made from them, are the same to the last bit.
"""

from __future__ import annotations

from typing import NamedTuple, cast

import numpy as np

from anabasis.engine.combat import Fighters, Guards, guard_terms, unit_worth
from anabasis.engine.jit import kernel
from anabasis.engine.state import ACTIVE
from anabasis.engine.supply import Places, Sources, draws_through, network_pieces
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
    """What the survey reads of every unit: where it is, whose, whether on the map, and what the engine's formulas
    of worth (`combat`'s) read."""

    places: Places
    goal: IntArray
    men: IntArray
    entrained: BoolArray
    faction: IntArray
    contingent: IntArray  # -1 for none
    status: IntArray
    fighters: Fighters
    guards: Guards


class Ground(NamedTuple):
    """What the survey reads of the stations, the lines and the factions."""

    fort: FloatArray  # defence multiplier by station
    control: IntArray
    stance: IntArray
    hostile: BoolArray  # faction x station, the engine's answer
    stocks: tuple[FloatArray, FloatArray, IntArray]  # supply factors, stockpiles' tons, damage (as in `Layout`)
    sources: Sources  # where supply comes from
    region: IntArray  # by contingent: the region it must stay in, -1 for none
    no_attack: BoolArray  # contingent x faction: factions it refuses to fight
    deadline: IntArray  # by event: the turn a decision must be answered by, -1 for none waiting


class Tables(NamedTuple):
    """The survey's answer, packed into few arrays: handing an array back to Python costs more than the kernel's
    pass over all units takes for one table."""

    boards: FloatArray  # 4 x faction x station: strength, defence, threat, supply
    marks: BoolArray  # 2 x faction x station: held, reach
    lowest_supply: FloatArray  # by faction
    by_unit: FloatArray  # 4 x unit: attack with the season, attack before it, defence where it stands, cover
    unit_rows: IntArray  # 5 x unit: node, region, and the `grouped` rows
    starts: IntArray  # 4 x (faction + 1): where each faction's part of a `grouped` row, and of `posts`, starts
    posts: IntArray  # stations where a faction has strength and no enemy, by faction in station order
    barred: BoolArray  # by contingent: whether it refuses to fight some faction
    deciding: bool  # whether some decision waits for an answer


# `Units` (with its `Places`), `Ground` and `Neighbours` as plain tuples: numba takes those from Python in half the
# time of named ones.
UnitsRecord = tuple[
    tuple[IntArray, IntArray, FloatArray, IntArray, IntArray, FloatArray],
    IntArray, IntArray, BoolArray, IntArray, IntArray, IntArray, Fighters, Guards,
]  # fmt: skip
GroundRecord = tuple[
    FloatArray, IntArray, IntArray, BoolArray, tuple[FloatArray, FloatArray, IntArray], Sources, IntArray, BoolArray,
    IntArray,
]  # fmt: skip
NeighboursRecord = tuple[IntArray, IntArray, IntArray, IntArray]


def tables(units: Units, ground: Ground, near: Neighbours, season: float, need_per_man: float) -> Tables:
    """The survey's `Tables` (see `_tables`), its records handed over as plain tuples."""
    records = (
        cast(UnitsRecord, (tuple(units.places), *units[1:])),
        cast(GroundRecord, tuple(ground)),
        cast(NeighboursRecord, tuple(near)),
    )
    out: Tables = _tables(*records, season, need_per_man)
    return out


@kernel
def _tables(
    units_record: UnitsRecord, ground_record: GroundRecord, near_record: NeighboursRecord, season: float,
    need_per_man: float,
) -> Tables:  # fmt: skip
    """Sum every unit's worth by faction and station, and read threat, reach and supply off the sums.

    By unit: `node`, the station it stands at or nears (-1 off the map), and `region`, the one its contingent
    must stay in (-1 for none). The `grouped` rows: units on the map, those threatened, those moving, each row
    by faction in unit order."""
    units = Units(Places(*units_record[0]), *units_record[1:])
    ground, near = Ground(*ground_record), Neighbours(*near_record)
    nu, ns, nf = units.faction.shape[0], ground.control.shape[0], ground.stance.shape[0]
    unit_rows = np.zeros((5, nu), dtype=np.int64)
    node, region, grouped = unit_rows[0], unit_rows[1], unit_rows[2:]
    node[:] = -1
    region[:] = -1
    by_unit = np.zeros((4, nu))
    boards = np.zeros((4, nf, ns))
    strength, defence, threat, supply = boards[0], boards[1], boards[2], boards[3]
    mobile = np.zeros((nf, ns))
    factor, tons, damage = ground.stocks
    layout = (ground.hostile, ground.control, ground.stance, factor, tons, damage)
    labels, piece_supply = network_pieces(layout, ground.sources)
    demand = np.zeros(piece_supply.shape[0])
    listed = np.empty(nu, dtype=np.int64)
    n_on_map = 0
    for u in range(nu):
        if units.contingent[u] >= 0:
            region[u] = ground.region[units.contingent[u]]
        if units.status[u] == ACTIVE:
            listed[n_on_map] = u
            n_on_map += 1
    on_map = listed[:n_on_map]  # in index order
    for u in on_map:
        at = units.places.station[u]
        node[u] = draws_through(units.places, u)
        f, s = units.faction[u], node[u]
        raw = unit_worth(units.fighters, u)  # attack strength before the season
        dug_in, on_train = guard_terms(units.guards, u)
        cover = raw * dug_in * on_train  # defence before fortification
        worth = raw * season
        guard = cover * (ground.fort[at] if at >= 0 else 0.0)
        by_unit[0, u], by_unit[1, u], by_unit[2, u], by_unit[3, u] = worth, raw, guard, cover
        strength[f, s] += worth
        defence[f, s] += guard
        if units.entrained[u]:
            mobile[f, s] += worth
        demand[labels[f, s]] += units.men[u] * need_per_man
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
    marks = np.zeros((2, nf, ns), dtype=np.bool_)
    held, reach = marks[0], marks[1]
    for f in range(nf):
        for s in range(ns):
            held[f, s] = ground.control[s] == f and not ground.hostile[f, s]
        for t in range(ns):
            ours = strength[f, t] > 0 or held[f, t]
            for j in range(near.open_first[t], near.open_first[t + 1]):
                k = near.open_other[j]
                ours = ours or strength[f, k] > 0 or held[f, k]
            reach[f, t] = ours
    lowest = np.full(nf, np.inf)
    for f in range(nf):
        for s in range(ns):
            p = labels[f, s]
            supply[f, s] = min(1.0, piece_supply[p] / (demand[p] if demand[p] > 0 else 1.0))
            if strength[f, s] > 0 and supply[f, s] < lowest[f]:
                lowest[f] = supply[f, s]
    starts = np.zeros((4, nf + 1), dtype=np.int64)
    rows_of = np.zeros((3, nu), dtype=np.bool_)  # whether a unit goes in each `grouped` row
    for u in on_map:
        at = units.places.station[u]
        f = units.faction[u]
        rows_of[0, u] = True
        rows_of[1, u] = at >= 0 and threat[f, at] > 0
        rows_of[2, u] = units.goal[u] >= 0
        for row in range(3):
            if rows_of[row, u]:
                starts[row, f + 1] += 1
    for row in range(3):
        for f in range(nf):
            starts[row, f + 1] += starts[row, f]
    filled = starts[:3].copy()
    for u in on_map:  # a counting sort: by faction, in unit order within each
        f = units.faction[u]
        for row in range(3):
            if rows_of[row, u]:
                grouped[row, filled[row, f]] = u
                filled[row, f] += 1
    posts = np.empty(nf * ns, dtype=np.int64)
    n = 0
    for f in range(nf):
        starts[3, f] = n
        for s in range(ns):
            if strength[f, s] > 0 and not ground.hostile[f, s]:
                posts[n] = s
                n += 1
    starts[3, nf] = n
    barred = np.zeros(ground.no_attack.shape[0], dtype=np.bool_)
    for c in range(ground.no_attack.shape[0]):
        for g in range(ground.no_attack.shape[1]):
            barred[c] = barred[c] or ground.no_attack[c, g]
    deciding = False
    for e in range(ground.deadline.shape[0]):
        deciding = deciding or ground.deadline[e] >= 0
    return Tables(boards, marks, lowest, by_unit, unit_rows, starts, posts[:n], barred, deciding)


@kernel
def opposed(
    foes: BoolArray, control: IntArray, tables: tuple[FloatArray, FloatArray], first: IntArray, other: IntArray
) -> tuple[BoolArray, FloatArray]:
    """Add up the foes' rows of the survey's `defence` and `strength` tables, in faction order as numpy's sum
    over rows did, and mark where they hold or stand and the stations next to those along open track (`first`
    and `other` as in `Neighbours`). For `analysis.opposition`, packed as `Tables` is: by station, where they
    hold or stand and where they are near (2 x station), and their defence and attack strength (2 x station)."""
    defence_by_faction, strength_by_faction = tables
    nf, ns = defence_by_faction.shape
    sums = np.zeros((2, ns))
    defence, strength = sums[0], sums[1]
    for f in range(nf):
        if foes[f]:
            for s in range(ns):
                defence[s] += defence_by_faction[f, s]
                strength[s] += strength_by_faction[f, s]
    marks = np.zeros((2, ns), dtype=np.bool_)
    stations, close = marks[0], marks[1]
    for s in range(ns):
        stations[s] = (control[s] >= 0 and foes[control[s]]) or defence[s] > 0
    for t in range(ns):
        close[t] = stations[t]
        for j in range(first[t], first[t + 1]):
            if stations[other[j]]:
                close[t] = True
    return marks, sums
