"""What every commander reads off the board: strength, threat and supply by station, for all factions at once.

A `Situation` is computed once per game state (all four commanders look at the same state in a turn, so it is
kept in `state.cache`) from a few numpy operations over the unit arrays. Its numbers are the engine's own
formulas for fighting worth and supply, so the commanders' estimates agree with what the rules will do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from anabasis.engine.network import hostility
from anabasis.engine.state import ACTIVE, GameState
from anabasis.engine.supply import supply_pieces
from anabasis.engine.world import WAR, BoolArray, FloatArray, IntArray, World

ARMOURED_TRAIN = 3  # index of `armoured_train` in the world's unit kinds


@dataclass(frozen=True)
class Network:
    """The rail network as arrays of directed edges, for questions about neighbours without Python loops."""

    edge_from: IntArray  # each segment twice, once each way
    edge_to: IntArray
    edge_seg: IntArray
    edge_km: FloatArray
    fort: FloatArray  # defence multiplier of each station's fortification
    ports: IntArray  # stations with a port
    contingent: list[int]  # by unit, -1 for none
    regions: list[list[bool]]  # region x station


def network(world: World) -> Network:
    """The world's `Network`, built once and kept in `world.cache`."""
    hit = world.cache.get("ai.network")
    if isinstance(hit, Network):
        return hit
    a, b = world.seg_a, world.seg_b
    seg = np.arange(len(a), dtype=np.int64)
    net = Network(
        edge_from=np.concatenate([a, b]),
        edge_to=np.concatenate([b, a]),
        edge_seg=np.concatenate([seg, seg]),
        edge_km=np.concatenate([world.seg_km, world.seg_km]),
        fort=1.0 + world.rules.fortification_bonus * world.fortification.astype(np.float64),
        ports=np.flatnonzero(world.has_port),
        contingent=world.unit_contingent.tolist(),
        regions=world.region_mask.tolist(),
    )
    world.cache["ai.network"] = net
    return net


@dataclass(frozen=True)
class Columns:
    """The per-unit and per-segment facts a plan reads one at a time, as Python lists (indexing a list is
    several times cheaper than indexing a numpy array for a single value)."""

    at: list[int]  # station, -1 on a segment or off the map
    node: list[int]
    entrained: list[bool]
    worth: list[float]
    guard: list[float]
    goal: list[int]
    men: list[int]
    stores: list[float]
    region: list[int]  # the region its contingent must stay in, -1 for none
    damage: list[int]  # by segment


@dataclass(frozen=True)
class Situation:
    """One state seen from above: who stands where, how strong, how threatened, how well fed."""

    state: GameState
    net: Network
    active: BoolArray  # units on the map
    node: IntArray  # the station a unit stands at, or the nearer end of its segment; -1 off the map
    worth: FloatArray  # a unit's attack strength (winter included), as `preview_combat` counts it
    guard: FloatArray  # a unit's defence where it stands: digging in, trains and fortification included
    strength: FloatArray  # faction x station: attack strength of units standing at or near the station
    defence: FloatArray  # faction x station: defence of units standing at the station, fortification included
    war: BoolArray  # faction x faction
    hostile: BoolArray  # faction x station: held or occupied by an enemy (the engine's answer)
    threat: FloatArray  # faction x station: enemy attack strength at the station or one open hop from it
    open_edge: BoolArray  # directed edges whose segment is not cut
    supply: FloatArray  # faction x station: share of its need a unit there would get this week
    columns: Columns

    def units_of(self, faction: int) -> IntArray:
        """Active units of a faction, in unit order."""
        mine: IntArray = np.flatnonzero(self.active & (self.state.world.unit_faction == faction))
        return mine


def situation(state: GameState) -> Situation:
    """The `Situation` of a state, computed on first use and shared by every commander that looks at it."""
    hit = state.cache.get("ai.situation")
    if isinstance(hit, Situation):
        return hit
    sit = _survey(state)
    state.cache["ai.situation"] = sit
    return sit


def _nodes(state: GameState, units: IntArray) -> IntArray:
    w = state.world
    node = state.station[units].copy()
    on_line = node < 0
    if np.any(on_line):
        seg = state.segment[units][on_line]
        near_a = state.progress[units][on_line] <= w.seg_km[seg] / 2
        node[on_line] = np.where(near_a, w.seg_a[seg], w.seg_b[seg])
    return node


def unit_worth(state: GameState, units: IntArray) -> FloatArray:
    """Attack strength of each unit: men, arms, cohesion, supply, kind and the season (the engine's formula)."""
    w, r = state.world, state.world.rules
    supplied = np.where(state.stores[units] > 0, 1.0, 0.6)
    worth: FloatArray = (
        state.men[units] * state.arms[units] * (0.3 + 0.7 * state.cohesion[units]) * supplied * w.unit_worth[units]
    )
    if w.winter[min(state.turn, w.turns - 1)]:
        worth = worth * r.winter_attack
    return worth


def weighted(bins: IntArray, weights: npt.NDArray[np.floating[Any]], size: int) -> FloatArray:
    """Sums of `weights` by bin (`np.bincount` with weights, typed as the floats it returns)."""
    out: FloatArray = np.bincount(bins, weights=weights, minlength=size).astype(np.float64, copy=False)
    return out


def _survey(state: GameState) -> Situation:
    w, r = state.world, state.world.rules
    net = network(w)
    nf, ns = w.n_factions, w.n_stations
    winter = bool(w.winter[min(state.turn, w.turns - 1)])
    active = state.status == ACTIVE
    units = np.flatnonzero(active)
    nodes = _nodes(state, units)
    node = np.full(w.n_units, -1, dtype=np.int64)
    node[units] = nodes
    unit_worths = unit_worth(state, units)
    worth = np.zeros(w.n_units)
    worth[units] = unit_worths
    faction = w.unit_faction[units]
    idx = faction * ns + nodes
    strength = weighted(idx, unit_worths, nf * ns).reshape(nf, ns)
    at = state.station[units]
    standing = at >= 0
    guard = unit_worths / r.winter_attack if winter else unit_worths.copy()  # winter slows attacks, not defence
    guard *= np.where(state.dug_in[units], 1.0 + r.dug_in_bonus, 1.0)
    caught = state.entrained[units] & (w.unit_kind[units] != ARMOURED_TRAIN)
    guard *= np.where(caught, r.entrained_defence, 1.0)
    guard *= np.where(standing, net.fort[np.maximum(at, 0)], 0.0)
    defence = weighted(idx, guard, nf * ns).reshape(nf, ns)
    guards = np.zeros(w.n_units)
    guards[units] = guard
    war = state.stance == WAR
    open_seg = state.damage == 0
    mobile = weighted(idx, np.where(state.entrained[units], unit_worths, 0.0), nf * ns)
    warf = war.astype(np.float64)
    enemy, enemy_mobile = warf @ strength, warf @ mobile.reshape(nf, ns)
    by_train, on_foot = _hops(w, open_seg)
    threat = enemy + enemy_mobile @ by_train + (enemy - enemy_mobile) @ on_foot
    return Situation(
        state=state,
        net=net,
        active=active,
        node=node,
        worth=worth,
        guard=guards,
        strength=strength,
        defence=defence,
        war=war,
        hostile=hostility(state),
        threat=threat,
        open_edge=open_seg[net.edge_seg],
        supply=_supply(state, units, nodes, winter),
        columns=Columns(
            at=state.station.tolist(),
            node=node.tolist(),
            entrained=state.entrained.tolist(),
            worth=worth.tolist(),
            guard=guards.tolist(),
            goal=state.goal.tolist(),
            men=state.men.tolist(),
            stores=state.stores.tolist(),
            region=np.where(w.unit_contingent >= 0, state.region[np.maximum(w.unit_contingent, 0)], -1).tolist(),
            damage=state.damage.tolist(),
        ),
    )


HOPS_CACHE_SIZE = 256  # distinct patterns of cut segments whose neighbour matrices are remembered per world


def _hops(world: World, open_seg: BoolArray) -> tuple[FloatArray, FloatArray]:
    """Station x station matrices of open neighbours: any distance (for trains) and a short march (on foot)."""
    cache = world.cache.setdefault("ai.hops", {})
    assert isinstance(cache, dict)
    key = open_seg.tobytes()
    hit = cache.get(key)
    if hit is None:
        ns = world.n_stations
        march = world.rules.march_km_per_day * world.turn_days
        by_train = np.zeros((ns, ns))
        a, b = world.seg_a[open_seg], world.seg_b[open_seg]
        by_train[a, b] = by_train[b, a] = 1.0
        on_foot = np.zeros((ns, ns))
        short = open_seg & (world.seg_km <= march)
        a, b = world.seg_a[short], world.seg_b[short]
        on_foot[a, b] = on_foot[b, a] = 1.0
        if len(cache) >= HOPS_CACHE_SIZE:
            cache.clear()
        hit = cache[key] = (by_train, on_foot)
    out: tuple[FloatArray, FloatArray] = hit
    return out


def _supply(state: GameState, units: IntArray, nodes: IntArray, winter: bool) -> FloatArray:
    """Faction x station: the share of need met in the piece of network a unit standing there draws from."""
    w, r = state.world, state.world.rules
    need = r.supply_need * (r.winter_need if winter else 1.0)
    labels, supply = supply_pieces(state)
    unit_labels = labels[w.unit_faction[units], nodes]
    demand = weighted(unit_labels, state.men[units] * (need / 1000.0), len(supply))
    ratio = np.minimum(1.0, supply / np.where(demand > 0, demand, 1.0))
    out: FloatArray = ratio[labels]
    return out


def path(world: World, start: int, goal: int) -> list[int]:
    """Stations along the shortest line of the network from `start` to `goal` (both included)."""
    out = [start]
    while out[-1] != goal:
        nxt = int(world.next_hop[out[-1], goal])
        if nxt < 0:
            return []
        out.append(nxt)
    return out


def around(world: World, stations: BoolArray) -> BoolArray:
    """The stations, and every station one segment away from one of them."""
    net = network(world)
    out = stations.copy()
    out[net.edge_to[stations[net.edge_from]]] = True
    return out
