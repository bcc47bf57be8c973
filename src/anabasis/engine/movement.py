"""Rail movement: how far a train or a column gets in a week, and the capacity all traffic shares."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from anabasis.engine.jit import kernel
from anabasis.engine.network import Rails, blocker, find_path, hostility, rails
from anabasis.engine.report import Moved, Report
from anabasis.engine.state import GameState
from anabasis.engine.world import NEUTRAL, NOBODY, UNIT_KINDS, BoolArray, FloatArray, IntArray, World

ARMOURED_TRAIN = UNIT_KINDS.index("armoured_train")


def unit_region(state: GameState, unit: int) -> int:
    """The region a unit's contingent must keep to, or -1.

    A unit that stands outside its region (the limit came after it got there) is not held to it on the
    way back: it may travel anywhere passable, though only to destinations inside the region.
    """
    w = state.world
    c = int(w.unit_contingent[unit])
    region = int(state.region[c]) if c >= 0 else -1
    if region < 0:
        return -1
    station = int(state.station[unit])
    if station >= 0:
        inside = bool(w.region_mask[region, station])
    else:
        seg = int(state.segment[unit])
        inside = bool(w.region_mask[region, w.seg_a[seg]] and w.region_mask[region, w.seg_b[seg]])
    return region if inside else -1


def trains_needed(state: GameState, unit: int) -> int:
    """Trains a unit fills: an armoured train is one, an echelon one per `men_per_train` men."""
    w = state.world
    if w.unit_kind[unit] == ARMOURED_TRAIN:
        return 1
    return max(1, math.ceil(int(state.men[unit]) / w.rules.men_per_train))


def week_km(state: GameState, unit: int) -> float:
    """How far the unit can go this week: by train when entrained, on foot otherwise."""
    r = state.world.rules
    per_day = r.train_km_per_day if state.entrained[unit] else r.march_km_per_day
    return float(per_day * state.world.turn_days)


def capacity_left(state: GameState) -> FloatArray:
    """Trains a week each segment can still take after the prisoner-of-war trains had theirs."""
    w = state.world
    left: FloatArray = np.maximum(w.seg_trains_week - w.reserved[min(state.turn, w.turns - 1)], 0.0)
    return left


def _where(station: int, segment: int, progress: float, w: World) -> str:
    """Where a unit is, for the report: a station id, or `a-b@120km` along a segment."""
    if station >= 0:
        return w.station_ids[station]
    return f"{w.segment_names[segment]}@{round(progress)}km"


# How a unit's week on the rails ended, as the movement kernel reports it.
STILL, HALTED, ON_THE_LINE, TRAVELLED = range(4)  # no move; halted, the station ahead taken; out on a segment; moved
# Why it stopped short: not at all, the station ahead is the enemy's, no open way, the line is full this week.
ON_TIME, ENEMY_AHEAD, NO_WAY, LINE_FULL = range(4)


class Trains(NamedTuple):
    """The units as the movement kernel sees them: their positions and goals change in place."""

    station: IntArray
    segment: IntArray
    progress: FloatArray
    goal: IntArray
    entrained: BoolArray
    men: IntArray
    faction: IntArray
    kind: IntArray
    contingent: IntArray


class Ground(NamedTuple):
    """Who may pass where as the week's movement begins, the lines' capacity (used up in place) and the pace."""

    hostile: BoolArray  # faction x station
    open_track: BoolArray
    control: IntArray
    stance: IntArray
    contingent_region: IntArray
    region_mask: BoolArray
    full: FloatArray  # trains a week each segment takes after the prisoner-of-war trains
    cap_left: FloatArray
    train_km: float
    march_km: float
    men_per_train: int
    neutral_cost: float


def move_units(state: GameState, movers: list[int], rng: np.random.Generator, report: Report) -> None:
    """Move every unit with a standing destination, in a seeded order since they share the line.

    The kernel moves them all at once on copies of the position arrays; the journeys are then told in the report
    (the way is worked out on the layout at the start of the phase, so the words are the same as the moves)."""
    if not movers:
        return
    w, r = state.world, state.world.rules
    order = np.array(movers, dtype=np.int64)[rng.permutation(len(movers))]
    trains = Trains(
        station=state.station.copy(),
        segment=state.segment.copy(),
        progress=state.progress.copy(),
        goal=state.goal.copy(),
        entrained=state.entrained,
        men=state.men,
        faction=w.unit_faction,
        kind=w.unit_kind,
        contingent=w.unit_contingent,
    )
    full = capacity_left(state)
    ground = Ground(
        hostile=hostility(state),
        open_track=state.damage == 0,
        control=state.control,
        stance=state.stance,
        contingent_region=state.region,
        region_mask=w.region_mask,
        full=full,
        cap_left=full.copy(),
        train_km=float(r.train_km_per_day * w.turn_days),
        march_km=float(r.march_km_per_day * w.turn_days),
        men_per_train=r.men_per_train,
        neutral_cost=float(r.neutral_transit_cost),
    )
    journeys = _move_all(order, trains, ground, rails(w))
    _tell(state, trains, order, journeys, report)
    journey = journeys[0]
    report.rail = (full - ground.cap_left).tolist()
    state.station[:] = trains.station
    state.segment[:] = trains.segment
    state.progress[:] = trains.progress
    state.goal[:] = trains.goal
    state.dug_in[order[(journey[:, 0] == ON_THE_LINE) | (journey[:, 0] == TRAVELLED)]] = False
    state.touch()


def _tell(
    state: GameState, trains: Trains, order: IntArray, journeys: tuple[IntArray, FloatArray, IntArray], report: Report
) -> None:
    """The journeys of the units in `order` as `Moved` records, from the kernel's answer (positions are read as
    Python lists: a record reads a handful of single values, cheaper from a list than from an array)."""
    w = state.world
    journey, km, reached = journeys
    via_all, first = reached.tolist(), 0
    ids, names, units = w.station_ids, w.station_names, w.unit_ids
    before = state.station.tolist(), state.segment.tolist(), state.progress.tolist()
    after = trains.station.tolist(), trains.segment.tolist(), trains.progress.tolist()
    kms = km.tolist()
    for k, (u, (kind, why, a, b, region, count)) in enumerate(zip(order.tolist(), journey.tolist(), strict=True)):
        if kind == STILL:
            continue
        start = _where(before[0][u], before[1][u], before[2][u], w)
        if kind == HALTED:
            report.moves.append(Moved(units[u], start, start, 0.0, f"{names[a]} is in enemy hands"))
            continue
        end_at = _where(after[0][u], after[1][u], after[2][u], w)
        if kind == ON_THE_LINE:
            report.moves.append(Moved(units[u], start, end_at, kms[k]))
            continue
        stopped = ""
        if why == NO_WAY:  # told on the layout the journey was planned on: the state before the write-back
            stopped = blocker(state, int(w.unit_faction[u]), region, a, b)
        elif why == LINE_FULL:
            stopped = f"the line {names[a]}-{names[b]} is full this week"
        via = tuple([ids[x] for x in via_all[first : first + count]])
        first += count
        report.moves.append(Moved(units[u], start, end_at, round(kms[k], 1), stopped, via))


@kernel
def _move_all(order: IntArray, trains: Trains, ground: Ground, rails: Rails) -> tuple[IntArray, FloatArray, IntArray]:
    """Move the units in `order`, one after another, each as far as its week's distance and the lines' free
    capacity allow. Returns, per unit in order: how its week ended (kind, why it stopped short, the two stations
    and the region that names, the count of stations reached), how far it went, and the stations each reached,
    one unit after another."""
    ns = ground.region_mask.shape[1]
    journey = np.zeros((order.shape[0], 6), dtype=np.int64)
    km = np.zeros(order.shape[0])
    reached = np.zeros((order.shape[0], ns + 1), dtype=np.int64)
    ok = np.empty(ns, dtype=np.bool_)
    station, segment, progress, goal = trains.station, trains.segment, trains.progress, trains.goal
    for k in range(order.shape[0]):
        unit = order[k]
        target = goal[unit]
        faction = trains.faction[unit]
        here, seg, p = station[unit], segment[unit], progress[unit]
        region = _region(trains, ground, rails, unit)
        for x in range(ns):
            ok[x] = not ground.hostile[faction, x] and (region < 0 or ground.region_mask[region, x])
        budget = ground.train_km if trains.entrained[unit] else ground.march_km
        travelled = 0.0
        n_reached = 0
        if seg >= 0:
            a, b = rails.seg_a[seg], rails.seg_b[seg]
            length = rails.seg_km[seg]
            to_a, to_b = p + rails.distance[a, target], (length - p) + rails.distance[b, target]
            end = a if to_a <= to_b else b
            if not ok[end]:  # the station ahead was taken: the train halts on the line rather than running back
                journey[k, 0], journey[k, 1], journey[k, 2] = HALTED, ENEMY_AHEAD, end
                continue
            left = p if end == a else length - p
            if budget < left:
                progress[unit] = p - budget if end == a else p + budget
                journey[k, 0] = ON_THE_LINE
                km[k] = budget
                continue
            budget -= left
            travelled += left
            here, seg = end, -1
            reached[k, n_reached] = end
            n_reached += 1
            station[unit], segment[unit], progress[unit] = end, -1, 0.0
        path = np.full(1, here)
        if here != target:
            path = find_path(rails, ok, ground.open_track, here, target)
            if len(path) == 0:
                journey[k, 1], journey[k, 2], journey[k, 3], journey[k, 4] = NO_WAY, here, target, region
                path = np.full(1, here)
        trains_used = (
            1 if trains.kind[unit] == ARMOURED_TRAIN else max(1, math.ceil(trains.men[unit] / ground.men_per_train))
        )
        for j in range(1, len(path)):
            if budget <= 0.0:
                break
            nxt = path[j]
            seg = rails.seg_of[here, nxt]
            length = rails.seg_km[seg]
            if trains.entrained[unit]:
                need = trains_used * _transit_cost(ground, faction, here, nxt)
                if ground.cap_left[seg] < min(need, ground.full[seg]):
                    journey[k, 1], journey[k, 2], journey[k, 3] = LINE_FULL, here, nxt
                    break
                ground.cap_left[seg] -= min(need, ground.cap_left[seg])
            if budget < length:
                station[unit], segment[unit] = -1, seg
                progress[unit] = budget if here == rails.seg_a[seg] else length - budget
                travelled += budget
                here = -1
                break
            budget -= length
            travelled += length
            here = nxt
            reached[k, n_reached] = here
            n_reached += 1
            station[unit] = here
        if here == target:
            goal[unit] = -1
        if travelled != 0.0 or journey[k, 1] != ON_TIME:
            journey[k, 0] = TRAVELLED
            journey[k, 5] = n_reached
            km[k] = travelled
    return journey, km, _flat(reached, journey[:, 5])


@kernel
def _flat(rows: IntArray, counts: IntArray) -> IntArray:
    """The first `counts[k]` entries of each row, one row after another (one list for the report to read)."""
    out = np.empty(counts.sum(), dtype=np.int64)
    n = 0
    for k in range(rows.shape[0]):
        out[n : n + counts[k]] = rows[k, : counts[k]]
        n += counts[k]
    return out


@kernel
def _region(trains: Trains, ground: Ground, rails: Rails, unit: int) -> int:
    """`unit_region` for the kernel, from where the unit stands before it moves."""
    c = trains.contingent[unit]
    region = ground.contingent_region[c] if c >= 0 else -1
    if region < 0:
        return -1
    station, segment = trains.station[unit], trains.segment[unit]
    if station >= 0:
        inside = ground.region_mask[region, station]
    else:
        inside = ground.region_mask[region, rails.seg_a[segment]] and ground.region_mask[region, rails.seg_b[segment]]
    return region if inside else -1


@kernel
def _transit_cost(ground: Ground, faction: int, a: int, b: int) -> float:
    """Trains used per train: a station held by a neutral faction lets others' trains through grudgingly."""
    for x in (a, b):
        holder = ground.control[x]
        if holder not in (NOBODY, faction) and ground.stance[faction, holder] == NEUTRAL:
            return ground.neutral_cost
    return 1.0
