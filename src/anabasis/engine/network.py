"""Who can pass where on the rail network this turn, and the way from one station to another.

Trains follow the shortest line of the 1918 network (precomputed); only when a station on it is held
by an enemy or a segment is cut does a unit look for a way round. Answers are cached per state.
"""

from __future__ import annotations

import heapq

import numpy as np

from anabasis.engine.state import GameState, Status
from anabasis.engine.world import NOBODY, WAR, BoolArray, IntArray


def _cache(state: GameState) -> dict[object, object]:
    return state.cache


def hostile_stations(state: GameState, faction: int) -> BoolArray:
    """Stations held or occupied by a faction at war with `faction`."""
    key = ("hostile", faction)
    hit = _cache(state).get(key)
    if hit is not None:
        return hit  # type: ignore[return-value]
    w = state.world
    war = state.stance[faction] == WAR
    held = state.control >= 0
    hostile = np.zeros(w.n_stations, dtype=np.bool_)
    hostile[held] = war[state.control[held]]
    active = (state.status == Status.ACTIVE) & (state.station >= 0)
    enemy_units = active & war[w.unit_faction]
    hostile[state.station[enemy_units]] = True
    _cache(state)[key] = hostile
    return hostile


def passable(state: GameState, faction: int, region: int) -> BoolArray:
    """Stations a unit of `faction`, kept to `region` (-1 for none), may enter or pass."""
    key = ("passable", faction, region)
    hit = _cache(state).get(key)
    if hit is not None:
        return hit  # type: ignore[return-value]
    ok = ~hostile_stations(state, faction)
    if region >= 0:
        ok = ok & state.world.region_mask[region]
    _cache(state)[key] = ok
    return ok


def components(state: GameState, faction: int, region: int) -> IntArray:
    """A label per station: stations with the same label are joined by open track through passable ones."""
    key = ("components", faction, region)
    hit = _cache(state).get(key)
    if hit is not None:
        return hit  # type: ignore[return-value]
    w = state.world
    ok = passable(state, faction, region)
    parent = list(range(w.n_stations))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    usable = ok[w.seg_a] & ok[w.seg_b] & (state.damage == 0)
    for a, b in zip(w.seg_a[usable].tolist(), w.seg_b[usable].tolist(), strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb
    labels = np.array([root(x) if ok[x] else -1 - x for x in range(w.n_stations)], dtype=np.int64)
    _cache(state)[key] = labels
    return labels


def route(state: GameState, faction: int, region: int, start: int, goal: int) -> list[int] | None:
    """Stations from `start` to `goal` along open track through passable stations, or None.

    The intermediate stations and the goal must be passable; `start` need not be (a unit may leave
    a station where it is cornered).
    """
    w = state.world
    ok = passable(state, faction, region)
    path = [start]
    here = start
    while here != goal:
        nxt = int(w.next_hop[here, goal])
        if nxt < 0 or not ok[nxt] or state.damage[w.segment_between(here, nxt)] > 0:
            return _detour(state, faction, region, start, goal)
        path.append(nxt)
        here = nxt
    return path


def _detour(state: GameState, faction: int, region: int, start: int, goal: int) -> list[int] | None:
    key = ("route", faction, region, start, goal)
    cache = _cache(state)
    if key in cache:
        return cache[key]  # type: ignore[return-value]
    w = state.world
    ok = passable(state, faction, region)
    best = {start: 0.0}
    back: dict[int, int] = {}
    heap = [(0.0, start)]
    found = None
    while heap:
        d, here = heapq.heappop(heap)
        if here == goal:
            found = goal
            break
        if d > best.get(here, np.inf):
            continue
        for other, seg in w.adjacency[here]:
            if not ok[other] or state.damage[seg] > 0:
                continue
            nd = d + float(w.seg_km[seg])
            if nd < best.get(other, np.inf):
                best[other] = nd
                back[other] = here
                heapq.heappush(heap, (nd, other))
    result: list[int] | None = None
    if found is not None:
        result = [goal]
        while result[-1] != start:
            result.append(back[result[-1]])
        result.reverse()
    cache[key] = result
    return result


def blocker(state: GameState, faction: int, region: int, start: int, goal: int) -> str:
    """In words, what stands on the direct line between two stations (for a refused order)."""
    w = state.world
    here = start
    ok = passable(state, faction, region)
    while here != goal:
        nxt = int(w.next_hop[here, goal])
        if nxt < 0:
            return "the two stations are not joined by rail"
        seg = w.segment_between(here, nxt)
        if state.damage[seg] > 0:
            return (
                f"the line {w.station_names[here]}-{w.station_names[nxt]} is cut ({state.damage[seg]} weeks of repair)"
            )
        if not ok[nxt]:
            if region >= 0 and not w.region_mask[region, nxt]:
                return f"{w.station_names[nxt]} lies outside {w.region_names[region]}"
            holder = int(state.control[nxt])
            who = w.faction_names[holder] if holder != NOBODY else "the enemy"
            return f"{w.station_names[nxt]} is held by {who}"
        here = nxt
    return "no open line"
