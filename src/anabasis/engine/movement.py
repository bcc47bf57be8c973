"""Rail movement: how far a train or a column gets in a week, and the capacity all traffic shares."""

from __future__ import annotations

import math

import numpy as np

from anabasis.engine.network import blocker, passable, route
from anabasis.engine.report import Moved, Report
from anabasis.engine.state import GameState
from anabasis.engine.world import NEUTRAL, NOBODY, FloatArray


def unit_region(state: GameState, unit: int) -> int:
    """The region a unit's contingent must stay in, or -1."""
    c = int(state.world.unit_contingent[unit])
    return int(state.region[c]) if c >= 0 else -1


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


def _describe(state: GameState, unit: int) -> str:
    w = state.world
    if state.station[unit] >= 0:
        return w.station_ids[int(state.station[unit])]
    seg = int(state.segment[unit])
    return f"{w.segment_name(seg)}@{state.progress[unit]:.0f}km"


class _Mover:
    """Moves one unit along its route within its week's distance and the line's free capacity."""

    def __init__(self, state: GameState, cap_left: FloatArray, full: FloatArray) -> None:
        self.state = state
        self.cap_left = cap_left
        self.full = full

    def transit_cost(self, faction: int, a: int, b: int) -> float:
        s = self.state
        cost = 1.0
        for x in (a, b):
            holder = int(s.control[x])
            if holder not in (NOBODY, faction) and s.stance[faction, holder] == NEUTRAL:
                cost = s.world.rules.neutral_transit_cost
        return cost

    def run(self, unit: int) -> Moved | None:
        s, w = self.state, self.state.world
        goal = int(s.goal[unit])
        faction = int(w.unit_faction[unit])
        region = unit_region(s, unit)
        budget = week_km(s, unit)
        start = _describe(s, unit)
        travelled = 0.0
        stopped = ""
        ok = passable(s, faction, region)
        if s.segment[unit] >= 0:
            seg = int(s.segment[unit])
            a, b = int(w.seg_a[seg]), int(w.seg_b[seg])
            length = float(w.seg_km[seg])
            p = float(s.progress[unit])
            to_a, to_b = p + w.distance[a, goal], (length - p) + w.distance[b, goal]
            end = a if (to_a <= to_b and ok[a]) or not ok[b] else b
            if not ok[end]:
                return Moved(w.unit_ids[unit], start, start, 0.0, f"{w.station_names[end]} is held by the enemy")
            left = p if end == a else length - p
            if budget < left:
                s.progress[unit] = p - budget if end == a else p + budget
                return Moved(w.unit_ids[unit], start, _describe(s, unit), budget)
            budget -= left
            travelled += left
            s.segment[unit], s.station[unit], s.progress[unit] = -1, end, 0.0
        here = int(s.station[unit])
        path = route(s, faction, region, here, goal) if here != goal else [here]
        if path is None:
            stopped = blocker(s, faction, region, here, goal)
            path = [here]
        trains = trains_needed(s, unit)
        for nxt in path[1:]:
            seg = w.segment_between(here, nxt)
            length = float(w.seg_km[seg])
            if s.entrained[unit]:
                need = trains * self.transit_cost(faction, here, nxt)
                if self.cap_left[seg] < min(need, self.full[seg]):
                    stopped = f"the line {w.station_names[here]}-{w.station_names[nxt]} is full this week"
                    break
                self.cap_left[seg] -= min(need, self.cap_left[seg])
            if budget < length:
                s.station[unit], s.segment[unit] = -1, seg
                s.progress[unit] = budget if here == w.seg_a[seg] else length - budget
                travelled += budget
                here = -1
                break
            budget -= length
            travelled += length
            here = nxt
            s.station[unit] = here
        if here == goal:
            s.goal[unit] = -1
        if travelled == 0.0 and not stopped:
            return None
        s.dug_in[unit] = False
        return Moved(w.unit_ids[unit], start, _describe(s, unit), round(travelled, 1), stopped)


def move_units(state: GameState, movers: list[int], rng: np.random.Generator, report: Report) -> None:
    """Move every unit with a standing destination, in a seeded order since they share the line."""
    if not movers:
        return
    cap_left = capacity_left(state)
    mover = _Mover(state, cap_left, cap_left.copy())
    for k in rng.permutation(len(movers)).tolist():
        moved = mover.run(movers[k])
        if moved is not None:
            report.moves.append(moved)
    state.touch()
