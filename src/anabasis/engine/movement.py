"""Rail movement: how far a train or a column gets in a week, and the capacity all traffic shares."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple, cast

import numpy as np

from anabasis.engine.jit import kernel
from anabasis.engine.network import Rails, blocker, find_path, hostility, rails
from anabasis.engine.report import Moved, Report
from anabasis.engine.state import GameState
from anabasis.engine.world import NEUTRAL, NOBODY, UNIT_KINDS, BoolArray, FloatArray, IntArray

ARMOURED_TRAIN = UNIT_KINDS.index("armoured_train")


def unit_region(state: GameState, unit: int) -> int:
    """The region a unit's contingent must keep to, or -1.

    A unit that stands outside its region (the limit came after it got there) is not held to it on the
    way back: it may travel anywhere passable, though only to destinations inside the region.
    """
    w = state.world
    c = int(w.unit_contingent[unit])
    region = int(state.region[c]) if c >= 0 else -1
    ends = (w.seg_a, w.seg_b)
    return int(held_to(region, int(state.station[unit]), int(state.segment[unit]), ends, w.region_mask))


@kernel
def held_to(region: int, station: int, segment: int, ends: tuple[IntArray, IntArray], region_mask: BoolArray) -> int:
    """`unit_region` of a unit whose contingent keeps to `region` (-1 for none), standing at `station` or out on
    `segment` (`ends`: every segment's two stations)."""
    if region < 0:
        return -1
    if station >= 0:
        inside = region_mask[region, station]
    else:
        inside = region_mask[region, ends[0][segment]] and region_mask[region, ends[1][segment]]
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


# How a unit's week on the rails ended, as the movement kernel reports it.
STILL, HALTED, ON_THE_LINE, TRAVELLED = range(4)  # no move; halted, the station ahead taken; out on a segment; moved
# Why it stopped short: not at all, the station ahead is the enemy's, no open way, the line is full this week.
ON_TIME, ENEMY_AHEAD, NO_WAY, LINE_FULL = range(4)


class Trains(NamedTuple):
    """The units as the movement kernel sees them: their positions and goals (copies), and whether they are dug in
    (the state's own), change in place."""

    station: IntArray
    segment: IntArray
    progress: FloatArray
    goal: IntArray
    dug_in: BoolArray
    entrained: BoolArray
    men: IntArray
    faction: IntArray
    kind: IntArray
    contingent: IntArray


class Ground(NamedTuple):
    """Who may pass where as the week's movement begins, what the lines take and the pace."""

    hostile: BoolArray  # faction x station
    damage: IntArray  # weeks of repair each segment needs; 0 is open
    control: IntArray
    stance: IntArray
    contingent_region: IntArray
    region_mask: BoolArray
    trains_week: FloatArray  # trains a week each segment takes
    reserved: FloatArray  # of which the prisoner-of-war trains take this week's share first
    train_km: float
    march_km: float
    men_per_train: int
    neutral_cost: float


# Every unit's station, segment and km along it.
Positions = tuple[IntArray, IntArray, FloatArray]


def move_units(state: GameState, order: IntArray, rng: np.random.Generator, report: Report, start: Positions) -> None:
    """Move every unit with a standing destination (`order`: those units in unit order, shuffled here in place: a
    seeded order, since they share the line).

    The kernel moves them all at once, in place; `start` holds every unit's station, segment and km along it
    before (copies the turn keeps for the week's end, only read here). The report keeps the kernel's answer, to be
    told when read (only why a unit found no way is told now, worded on the layout the journeys started from)."""
    if not len(order):
        return
    w, r = state.world, state.world.rules
    rng.shuffle(order)  # the draws `rng.permutation(len(order))` would make
    trains = Trains(
        station=state.station,
        segment=state.segment,
        progress=state.progress,
        goal=state.goal,
        dug_in=state.dug_in,
        entrained=state.entrained,
        men=state.men,
        faction=w.unit_faction,
        kind=w.unit_kind,
        contingent=w.unit_contingent,
    )
    ground = Ground(
        hostile=hostility(state),  # as the units stood before any moves
        damage=state.damage,
        control=state.control,
        stance=state.stance,
        contingent_region=state.region,
        region_mask=w.region_mask,
        trains_week=w.seg_trains_week,
        reserved=w.reserved[min(state.turn, w.turns - 1)],
        train_km=float(r.train_km_per_day * w.turn_days),
        march_km=float(r.march_km_per_day * w.turn_days),
        men_per_train=r.men_per_train,
        neutral_cost=float(r.neutral_transit_cost),
    )
    records = cast(TrainsRecord, tuple(trains)), cast(GroundRecord, tuple(ground)), cast(RailsRecord, tuple(rails(w)))
    journey, km, reached, rail, stuck = _move_all(order, *records)
    no_way = {}
    for k in stuck.tolist():
        _, _, a, b, region, _ = journey[k].tolist()
        no_way[k] = blocker(state, int(w.unit_faction[order[k]]), region, a, b, station=start[0])
    state.touch()
    report.moved(
        Journeys(
            order,
            journey,
            km,
            reached,
            start,
            (state.station[order], state.segment[order], state.progress[order]),
            no_way,
            (w.unit_ids, w.station_ids, w.station_names, w.segment_names),
        )
    )
    report.rail = rail.tolist()


@dataclass(frozen=True, slots=True)
class Journeys:
    """The movement kernel's answer for the units in `order`, kept by the report and told as `Moved` records when
    read: every unit's position before (station, segment, km along it: the turn's copies, never changed), those of
    the units in order after, the no-way reasons already in words, and the world's names (unit ids; station ids
    and names; segment names)."""

    order: IntArray
    journey: IntArray
    km: FloatArray
    reached: IntArray
    start: Positions
    end: Positions
    no_way: dict[int, str]
    names: tuple[list[str], list[str], list[str], list[str]]

    def __len__(self) -> int:
        """How many units moved, or tried to."""
        return int(np.count_nonzero(self.journey[:, 0] != STILL))

    def told(self) -> list[Moved]:
        """The journeys as records (read as Python lists: a record reads a handful of single values, cheaper from a
        list than from an array)."""
        units, ids, names, segments = self.names

        def where(station: int, segment: int, progress: float) -> str:
            """A station id, or `a-b@120km` along a segment."""
            return ids[station] if station >= 0 else f"{segments[segment]}@{round(progress)}km"

        starts = list(map(where, *(x[self.order].tolist() for x in self.start)))
        ends = list(map(where, *(x.tolist() for x in self.end)))
        via_all, first = self.reached.tolist(), 0
        moves: list[Moved] = []
        for k, (u, (kind, why, a, b, _, count), km, start, end) in enumerate(
            zip(self.order.tolist(), self.journey.tolist(), self.km.tolist(), starts, ends, strict=True)
        ):
            if kind == STILL:
                continue
            if kind == HALTED:
                moves.append(Moved(units[u], start, start, 0.0, f"{names[a]} is in enemy hands"))
            elif kind == ON_THE_LINE:
                moves.append(Moved(units[u], start, end, km))
            else:
                stopped = ""
                if why == NO_WAY:
                    stopped = self.no_way[k]
                elif why == LINE_FULL:
                    stopped = f"the line {names[a]}-{names[b]} is full this week"
                via = tuple([ids[x] for x in via_all[first : first + count]])
                first += count
                moves.append(Moved(units[u], start, end, round(km, 1), stopped, via))
        return moves


# `Trains`, `Ground` and `Rails` as plain tuples: numba takes those from Python in half the time of named ones.
TrainsRecord = tuple[
    IntArray, IntArray, FloatArray, IntArray, BoolArray, BoolArray, IntArray, IntArray, IntArray, IntArray
]
GroundRecord = tuple[
    BoolArray, IntArray, IntArray, IntArray, IntArray, BoolArray, FloatArray, FloatArray, float, float, int, float
]
RailsRecord = tuple[IntArray, IntArray, FloatArray, IntArray, IntArray, FloatArray, IntArray, IntArray, IntArray]


@kernel
def _move_all(
    order: IntArray, trains_record: TrainsRecord, ground_record: GroundRecord, rails_record: RailsRecord
) -> tuple[IntArray, FloatArray, IntArray, FloatArray, IntArray]:
    """Move the units in `order`, one after another, each as far as its week's distance and the lines' free
    capacity allow; a unit that moves is no longer dug in. Returns, per unit in order, how its week ended (kind, why
    it stopped short, the two stations and the region that names, the count of stations reached) and how far it
    went; the stations each reached, one unit after another; the trains a week the units took on each segment; and
    the places in `order` of the units that found no way."""
    trains, ground, rails = Trains(*trains_record), Ground(*ground_record), Rails(*rails_record)
    n, ns = order.shape[0], ground.region_mask.shape[1]
    journey = np.zeros((n, 6), dtype=np.int64)
    km = np.zeros(n)
    reached = np.empty(n * (ns + 1), dtype=np.int64)
    n_flat = 0
    full = np.maximum(ground.trains_week - ground.reserved, 0.0)
    cap_left = full.copy()
    open_track = ground.damage == 0
    # Stations a faction kept to a region (-1 for none: row 0) may pass, worked out for the first unit that asks.
    passable = np.empty((ground.hostile.shape[0], ground.region_mask.shape[0] + 1, ns), dtype=np.bool_)
    known = np.zeros(passable.shape[:2], dtype=np.bool_)
    station, segment, progress, goal = trains.station, trains.segment, trains.progress, trains.goal
    for k in range(n):
        unit = order[k]
        target = goal[unit]
        faction = trains.faction[unit]
        here, seg, p = station[unit], segment[unit], progress[unit]
        region = _region(trains, ground, rails, unit)
        ok = passable[faction, region + 1]
        if not known[faction, region + 1]:
            for x in range(ns):
                ok[x] = not ground.hostile[faction, x] and (region < 0 or ground.region_mask[region, x])
            known[faction, region + 1] = True
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
                trains.dug_in[unit] = False
                continue
            budget -= left
            travelled += left
            here, seg = end, -1
            reached[n_flat + n_reached] = end
            n_reached += 1
            station[unit], segment[unit], progress[unit] = end, -1, 0.0
        if here != target:
            path = find_path(rails, ok, open_track, here, target)
            if len(path) == 0:
                journey[k, 1], journey[k, 2], journey[k, 3], journey[k, 4] = NO_WAY, here, target, region
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
                    if cap_left[seg] < min(need, full[seg]):
                        journey[k, 1], journey[k, 2], journey[k, 3] = LINE_FULL, here, nxt
                        break
                    cap_left[seg] -= min(need, cap_left[seg])
                if budget < length:
                    station[unit], segment[unit] = -1, seg
                    progress[unit] = budget if here == rails.seg_a[seg] else length - budget
                    travelled += budget
                    here = -1
                    break
                budget -= length
                travelled += length
                here = nxt
                reached[n_flat + n_reached] = here
                n_reached += 1
                station[unit] = here
        if here == target:
            goal[unit] = -1
        if travelled != 0.0 or journey[k, 1] != ON_TIME:
            journey[k, 0] = TRAVELLED
            journey[k, 5] = n_reached
            km[k] = travelled
            n_flat += n_reached
            trains.dug_in[unit] = False
    return journey, km, reached[:n_flat].copy(), full - cap_left, np.flatnonzero(journey[:, 1] == NO_WAY)


@kernel
def _region(trains: Trains, ground: Ground, rails: Rails, unit: int) -> int:
    """`unit_region` for the kernel, from where the unit stands before it moves."""
    c = trains.contingent[unit]
    region = ground.contingent_region[c] if c >= 0 else -1
    ends = (rails.seg_a, rails.seg_b)
    return held_to(region, trains.station[unit], trains.segment[unit], ends, ground.region_mask)


@kernel
def _transit_cost(ground: Ground, faction: int, a: int, b: int) -> float:
    """Trains used per train: a station held by a neutral faction lets others' trains through grudgingly."""
    for x in (a, b):
        holder = ground.control[x]
        if holder not in (NOBODY, faction) and ground.stance[faction, holder] == NEUTRAL:
            return ground.neutral_cost
    return 1.0
