"""Who can pass where on the rail network this turn, and the way from one station to another.

Trains follow the shortest line of the 1918 network (precomputed); only when a station on it is held
by an enemy or a segment is cut does a unit look for a way round. Answers are cached per state.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from anabasis.engine.jit import kernel
from anabasis.engine.state import ACTIVE, GameState
from anabasis.engine.world import NOBODY, WAR, BoolArray, FloatArray, IntArray, World

# Answers that depend only on who holds and stands where, how the factions stand and which segments are cut
# (`garrisons` is the battles'): a copy of a state may keep them until one of those changes.
STANDING = frozenset(("hostility", "garrisons", "passable", "components", "layout"))


def standing_answers(state: GameState) -> dict[object, object]:
    """The `STANDING` answers remembered for `state`, for a copy of it that has not changed yet."""
    return {k: v for k, v in state.cache.items() if (k if isinstance(k, str) else k[0]) in STANDING}  # type: ignore[index]


def hostility(state: GameState) -> BoolArray:
    """A faction-by-station table: True where the station is held or occupied by that faction's enemies."""
    hit = state.cache.get("hostility")
    if hit is not None:
        return hit  # type: ignore[return-value]
    hostile = _hostility(state.stance, state.control, state.status, state.station, state.world.unit_faction)
    state.cache["hostility"] = hostile
    return hostile


@kernel
def _hostility(
    stance: IntArray, control: IntArray, status: IntArray, station: IntArray, faction: IntArray
) -> BoolArray:
    nf, ns = stance.shape[0], control.shape[0]
    hostile = np.zeros((nf, ns), dtype=np.bool_)
    for s in range(ns):
        if control[s] != NOBODY:
            for f in range(nf):
                hostile[f, s] = stance[f, control[s]] == WAR
    for u in range(status.shape[0]):
        s = station[u]
        if status[u] == ACTIVE and s >= 0:
            for f in range(nf):
                if stance[f, faction[u]] == WAR:
                    hostile[f, s] = True
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
    labels = w.memo("components", layout, lambda: label_pieces(w.n_stations, w.seg_a, w.seg_b, ok, state.damage == 0))
    state.cache[key] = labels
    return labels


@kernel
def _root(parent: IntArray, x: int) -> int:
    """The root of `x`'s tree, halving the path on the way."""
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@kernel
def label_pieces(n: int, seg_a: IntArray, seg_b: IntArray, ok: BoolArray, open_track: BoolArray) -> IntArray:
    """The `components` labels of `n` stations, `ok` those that may be passed: union-find over the open segments
    between them, in the network's order (the one way of cutting a network into pieces, for every kernel)."""
    parent = np.arange(n)
    for k in range(seg_a.shape[0]):
        a, b = seg_a[k], seg_b[k]
        if ok[a] and ok[b] and open_track[k]:
            ra, rb = _root(parent, a), _root(parent, b)
            if ra != rb:
                parent[ra] = rb
    labels = np.empty(n, dtype=np.int64)
    for x in range(n):
        labels[x] = _root(parent, x) if ok[x] else -1 - x
    return labels


class Rails(NamedTuple):
    """The network as flat arrays for the kernels. A station's links are `first[s]:first[s + 1]` of `other` and
    `link_segment`, in the order of `World.adjacency`."""

    seg_a: IntArray
    seg_b: IntArray
    seg_km: FloatArray
    seg_of: IntArray
    next_hop: IntArray
    distance: FloatArray
    first: IntArray
    other: IntArray
    link_segment: IntArray


def rails(world: World) -> Rails:
    """The world's `Rails`, built once and kept in `world.cache`."""
    hit = world.cache.get("rails")
    if isinstance(hit, Rails):
        return hit
    links = world.adjacency
    out = Rails(
        seg_a=world.seg_a,
        seg_b=world.seg_b,
        seg_km=world.seg_km,
        seg_of=world.seg_of,
        next_hop=world.next_hop,
        distance=world.distance,
        first=np.cumsum([0] + [len(x) for x in links], dtype=np.int64),
        other=np.array([o for x in links for o, _ in x], dtype=np.int64),
        link_segment=np.array([seg for x in links for _, seg in x], dtype=np.int64),
    )
    world.cache["rails"] = out
    return out


def _layout(state: GameState, faction: int, region: int) -> tuple[bytes, BoolArray, BoolArray]:
    """Which stations the faction may pass and which segments are open, with both as a key."""
    key = ("layout", faction, region)
    hit = state.cache.get(key)
    if hit is None:
        ok = passable(state, faction, region)
        open_track = state.damage == 0
        hit = (ok.tobytes() + open_track.tobytes(), ok, open_track)
        state.cache[key] = hit
    return hit  # type: ignore[return-value]


def route(state: GameState, faction: int, region: int, start: int, goal: int) -> list[int] | None:
    """Stations from `start` to `goal` along open track through passable stations, or None.

    The intermediate stations and the goal must be passable; `start` need not be (a unit may leave
    a station where it is cornered). Routes depend only on the network's layout, so they are remembered.
    """
    layout, ok, open_track = _layout(state, faction, region)
    w = state.world
    return w.memo("routes", (layout, start, goal), lambda: _route(w, ok, open_track, start, goal))


def _route(w: World, ok: BoolArray, open_track: BoolArray, start: int, goal: int) -> list[int] | None:
    path = find_path(rails(w), ok, open_track, start, goal)
    return path.tolist() if len(path) else None


@kernel
def find_path(rails: Rails, ok: BoolArray, open_track: BoolArray, start: int, goal: int) -> IntArray:
    """The stations of the precomputed shortest line from `start` to `goal`, or of the way round it when a station
    or segment on it is closed; empty when there is no way."""
    path = np.empty(ok.shape[0], dtype=np.int64)
    path[0] = start
    n, here = 1, start
    while here != goal:
        nxt = rails.next_hop[here, goal]
        if nxt < 0 or not ok[nxt] or not open_track[rails.seg_of[here, nxt]]:
            return _detour(rails, ok, open_track, start, goal)
        path[n] = nxt
        n += 1
        here = nxt
    return path[:n]


@kernel
def _detour(rails: Rails, ok: BoolArray, open_track: BoolArray, start: int, goal: int) -> IntArray:
    """The shortest way round when the direct line is blocked: Dijkstra over the open network, settling
    stations nearest first and, at equal distance, lowest index first. Only the frontier (stations reached, not
    yet settled; a handful on a rail network) is searched for the next: the others are settled or out of reach."""
    ns = ok.shape[0]
    best = np.full(ns, np.inf)
    back = np.full(ns, -1, dtype=np.int64)
    frontier = np.empty(ns, dtype=np.int64)
    best[start] = 0.0
    frontier[0], n_frontier = start, 1
    while True:
        if n_frontier == 0:
            return np.empty(0, dtype=np.int64)
        pick = 0
        for i in range(1, n_frontier):
            x, chosen = frontier[i], frontier[pick]
            if best[x] < best[chosen] or (best[x] == best[chosen] and x < chosen):
                pick = i
        here = frontier[pick]
        d = best[here]
        if here == goal:
            break
        n_frontier -= 1
        frontier[pick] = frontier[n_frontier]
        for j in range(rails.first[here], rails.first[here + 1]):
            o, seg = rails.other[j], rails.link_segment[j]
            if ok[o] and open_track[seg]:
                nd = d + rails.seg_km[seg]
                if nd < best[o]:  # never a settled station: it is no farther than `here`
                    if best[o] == np.inf:
                        frontier[n_frontier] = o
                        n_frontier += 1
                    best[o] = nd
                    back[o] = here
    path = np.empty(ns, dtype=np.int64)
    n, x = 1, goal
    path[0] = goal
    while x != start:
        x = back[x]
        path[n] = x
        n += 1
    return path[:n][::-1].copy()


def blocker(
    state: GameState, faction: int, region: int, start: int, goal: int, *, station: IntArray | None = None
) -> str:
    """In words, what stands on the direct line between two stations (for a refused order), with the units at
    `station` (by unit; where the state has them if not given)."""
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
            here_units = ((state.station if station is None else station) == nxt) & (state.status == ACTIVE)
            enemies = [f for f in np.unique(w.unit_faction[here_units]).tolist() if state.stance[faction, f] == WAR]
            who = f"the {w.faction_names[enemies[0]]}" if enemies else "the enemy"
            return f"{w.station_names[nxt]} is occupied by {who}"
        here = nxt
    return "no open line"
