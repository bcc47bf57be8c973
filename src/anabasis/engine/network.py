"""Who can pass where on the rail network this turn, and the way from one station to another.

Trains follow the shortest line of the 1918 network (precomputed); only when a station on it is held
by an enemy or a segment is cut does a unit look for a way round. Answers are cached per state.
"""

from __future__ import annotations

import heapq

import numpy as np

from anabasis.engine.state import ACTIVE, GameState
from anabasis.engine.world import NOBODY, WAR, BoolArray, IntArray, World


def hostility(state: GameState) -> BoolArray:
    """A faction-by-station table: True where the station is held or occupied by that faction's enemies."""
    hit = state.cache.get("hostility")
    if hit is not None:
        return hit  # type: ignore[return-value]
    w = state.world
    war = state.stance == WAR
    held = state.control >= 0
    hostile = np.zeros((w.n_factions, w.n_stations), dtype=np.bool_)
    hostile[:, held] = war[:, state.control[held]]
    active = (state.status == ACTIVE) & (state.station >= 0)
    presence = np.zeros((w.n_factions, w.n_stations), dtype=np.uint8)
    presence[w.unit_faction[active], state.station[active]] = 1
    hostile |= (war.astype(np.uint8) @ presence) > 0
    state.cache["hostility"] = hostile
    return hostile


def hostile_stations(state: GameState, faction: int) -> BoolArray:
    """Stations held or occupied by a faction at war with `faction`."""
    row: BoolArray = hostility(state)[faction]
    return row


def passable(state: GameState, faction: int, region: int) -> BoolArray:
    """Stations a unit of `faction`, kept to `region` (-1 for none), may enter or pass."""
    key = ("passable", faction, region)
    hit = state.cache.get(key)
    if hit is not None:
        return hit  # type: ignore[return-value]
    ok: BoolArray = ~hostility(state)[faction]
    if region >= 0:
        ok = ok & state.world.region_mask[region]
    state.cache[key] = ok
    return ok


def components(state: GameState, faction: int, region: int) -> IntArray:
    """A label per station: stations with the same label are joined by open track through passable ones.

    Impassable stations get a label of their own, -1 - index. The answer depends only on which stations
    are passable and which segments are open, so it is remembered per world across turns and games.
    """
    key = ("components", faction, region)
    hit = state.cache.get(key)
    if hit is not None:
        return hit  # type: ignore[return-value]
    w = state.world
    ok = passable(state, faction, region)
    layout = ok.tobytes() + state.damage.astype(np.bool_).tobytes()
    labels = w.memo("components", layout, lambda: _label(w.n_stations, w.seg_a, w.seg_b, ok, state.damage == 0))
    state.cache[key] = labels
    return labels


def _label(n: int, seg_a: IntArray, seg_b: IntArray, ok: BoolArray, open_track: BoolArray) -> IntArray:
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    usable = ok[seg_a] & ok[seg_b] & open_track
    for a, b in zip(seg_a[usable].tolist(), seg_b[usable].tolist(), strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb
    return np.array([root(x) if ok[x] else -1 - x for x in range(n)], dtype=np.int64)


def _layout(state: GameState, faction: int, region: int) -> tuple[bytes, list[bool], list[bool]]:
    """Which stations the faction may pass and which segments are open: as a key, and as lists for loops."""
    key = ("layout", faction, region)
    hit = state.cache.get(key)
    if hit is None:
        ok = passable(state, faction, region)
        open_track = state.damage == 0
        hit = (ok.tobytes() + open_track.tobytes(), ok.tolist(), open_track.tolist())
        state.cache[key] = hit
    return hit  # type: ignore[return-value]


def route(state: GameState, faction: int, region: int, start: int, goal: int) -> list[int] | None:
    """Stations from `start` to `goal` along open track through passable stations, or None.

    The intermediate stations and the goal must be passable; `start` need not be (a unit may leave
    a station where it is cornered). Routes depend only on the network's layout, so they are remembered.
    """
    layout, ok, open_track = _layout(state, faction, region)
    w = state.world
    return w.memo("routes", (layout, start, goal), lambda: _follow(w, ok, open_track, start, goal))


def _follow(w: World, ok: list[bool], open_track: list[bool], start: int, goal: int) -> list[int] | None:
    """The precomputed shortest line, or the way round it when a station or segment on it is closed."""
    hops, seg_of = w.next_hop_rows, w.seg_of_rows
    path: list[int] | None = [start]
    here = start
    while here != goal:
        nxt = hops[here][goal]
        if nxt < 0 or not ok[nxt] or not open_track[seg_of[here][nxt]]:
            path = _detour(w, ok, open_track, start, goal)
            break
        path.append(nxt)  # type: ignore[union-attr]
        here = nxt
    return path


def _detour(w: World, ok: list[bool], open_track: list[bool], start: int, goal: int) -> list[int] | None:
    """The shortest way round when the direct line is blocked (Dijkstra over the open network)."""
    best = {start: 0.0}
    back: dict[int, int] = {}
    heap = [(0.0, start)]
    km = w.seg_km_list
    while heap:
        d, here = heapq.heappop(heap)
        if here == goal:
            path = [goal]
            while path[-1] != start:
                path.append(back[path[-1]])
            path.reverse()
            return path
        if d > best.get(here, np.inf):
            continue
        for other, seg in w.adjacency[here]:
            if not ok[other] or not open_track[seg]:
                continue
            nd = d + km[seg]
            if nd < best.get(other, np.inf):
                best[other] = nd
                back[other] = here
                heapq.heappush(heap, (nd, other))
    return None


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
            if holder != NOBODY and state.stance[faction, holder] == WAR:
                return f"{w.station_names[nxt]} is held by the {w.faction_names[holder]}"
            here_units = (state.station == nxt) & (state.status == ACTIVE)
            enemies = [f for f in np.unique(w.unit_faction[here_units]).tolist() if state.stance[faction, f] == WAR]
            who = w.faction_names[enemies[0]] if enemies else "the enemy"
            return f"{w.station_names[nxt]} is occupied by the {who}"
        here = nxt
    return "no open line"
