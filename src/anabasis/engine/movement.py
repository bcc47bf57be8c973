"""Rail movement: how far a train or a column gets in a week, and the capacity all traffic shares."""

from __future__ import annotations

import math

import numpy as np

from anabasis.engine.network import blocker, passable, route
from anabasis.engine.report import Moved, Report
from anabasis.engine.state import GameState
from anabasis.engine.world import NEUTRAL, NOBODY, FloatArray, World


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
    if w.unit_kind[unit] == 3:  # armoured_train
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


class _Mover:
    """Moves units along their routes within the week's distance and the lines' free capacity.

    The phase works on Python lists of the unit arrays (one unit at a time is a scalar loop) and writes
    them back once at the end.
    """

    def __init__(self, state: GameState) -> None:
        self.state = state
        w = state.world
        self.cap_left = capacity_left(state).tolist()
        self.full = list(self.cap_left)
        self.station = state.station.tolist()
        self.segment = state.segment.tolist()
        self.progress = state.progress.tolist()
        self.goal = state.goal.tolist()
        self.moved: list[int] = []
        self.control = state.control.tolist()
        self.neutral = (state.stance == NEUTRAL).tolist()
        r = w.rules
        self.train_km = float(r.train_km_per_day * w.turn_days)
        self.march_km = float(r.march_km_per_day * w.turn_days)

    def transit_cost(self, faction: int, a: int, b: int) -> float:
        """Trains used per train: a station held by a neutral faction lets others' trains through grudgingly."""
        for x in (a, b):
            holder = self.control[x]
            if holder not in (NOBODY, faction) and self.neutral[faction][holder]:
                return float(self.state.world.rules.neutral_transit_cost)
        return 1.0

    def run(self, unit: int) -> Moved | None:
        s, w = self.state, self.state.world
        goal = self.goal[unit]
        faction = int(w.unit_faction[unit])
        region = unit_region(s, unit)
        entrained = bool(s.entrained[unit])
        budget = self.train_km if entrained else self.march_km
        here, seg, p = self.station[unit], self.segment[unit], self.progress[unit]
        start = _where(here, seg, p, w)
        travelled = 0.0
        stopped = ""
        reached: list[str] = []  # ids of the stations reached, in order
        ids = w.station_ids
        if seg >= 0:
            ok = passable(s, faction, region)
            a, b = int(w.seg_a[seg]), int(w.seg_b[seg])
            length = w.seg_km_list[seg]
            to_a, to_b = p + w.distance[a, goal], (length - p) + w.distance[b, goal]
            end = a if to_a <= to_b else b
            if not ok[end]:
                # The station ahead was taken: the train halts on the line rather than running back.
                return Moved(w.unit_ids[unit], start, start, 0.0, f"{w.station_names[end]} is in enemy hands")
            left = p if end == a else length - p
            if budget < left:
                self.progress[unit] = p - budget if end == a else p + budget
                self.moved.append(unit)
                return Moved(w.unit_ids[unit], start, _where(-1, seg, self.progress[unit], w), budget)
            budget -= left
            travelled += left
            here, seg = end, -1
            reached.append(ids[end])
            self.station[unit], self.segment[unit], self.progress[unit] = end, -1, 0.0
        path = route(s, faction, region, here, goal) if here != goal else [here]
        if path is None:
            stopped = blocker(s, faction, region, here, goal)
            path = [here]
        trains = trains_needed(s, unit)
        seg_of, km, cap_left, full = w.seg_of_rows, w.seg_km_list, self.cap_left, self.full
        for nxt in path[1:]:
            if budget <= 0.0:
                break
            seg = seg_of[here][nxt]
            length = km[seg]
            if entrained:
                need = trains * self.transit_cost(faction, here, nxt)
                if cap_left[seg] < min(need, full[seg]):
                    stopped = f"the line {w.station_names[here]}-{w.station_names[nxt]} is full this week"
                    break
                cap_left[seg] -= min(need, cap_left[seg])
            if budget < length:
                self.station[unit], self.segment[unit] = -1, seg
                self.progress[unit] = budget if here == w.seg_a[seg] else length - budget
                travelled += budget
                here = -1
                break
            budget -= length
            travelled += length
            here = nxt
            reached.append(ids[here])
            self.station[unit] = here
        if here == goal:
            self.goal[unit] = -1
        if travelled == 0.0 and not stopped:
            return None
        self.moved.append(unit)
        end_at = _where(self.station[unit], self.segment[unit], self.progress[unit], w)
        return Moved(w.unit_ids[unit], start, end_at, round(travelled, 1), stopped, tuple(reached))

    def write_back(self) -> None:
        s = self.state
        s.station[:] = self.station
        s.segment[:] = self.segment
        s.progress[:] = self.progress
        s.goal[:] = self.goal
        s.dug_in[self.moved] = False


def move_units(state: GameState, movers: list[int], rng: np.random.Generator, report: Report) -> None:
    """Move every unit with a standing destination, in a seeded order since they share the line."""
    if not movers:
        return
    mover = _Mover(state)
    for k in rng.permutation(len(movers)).tolist():
        moved = mover.run(movers[k])
        if moved is not None:
            report.moves.append(moved)
    report.rail = [full - left for full, left in zip(mover.full, mover.cap_left, strict=True)]
    mover.write_back()
    state.touch()
