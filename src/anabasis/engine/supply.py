"""Supply along the railway: depots and stockpiles feed units joined to them by unbroken, unhostile track.

Each faction's network splits into pieces wherever the enemy holds a station or the line is cut; a
piece shares out what its depots issue. A unit short of supply lives on its stores; when they run out
it loses cohesion, and a broken, hungry unit loses men. Winter raises what every man needs.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from anabasis.engine.jit import kernel
from anabasis.engine.network import hostility, label_pieces
from anabasis.engine.report import Shortage
from anabasis.engine.state import ACTIVE, DESTROYED, GameState
from anabasis.engine.world import ALLIED, NEUTRAL, NOBODY, BoolArray, FloatArray, IntArray, World

LOCAL_SHARE = 0.25  # what a unit can buy or requisition from a depot held by a neutral or by nobody
ALLIED_SHARE = 0.5  # what an ally's depot spares; Allied war material in a stockpile goes to all friends alike
BROKEN = 0.3  # below this cohesion, a unit out of stores starts to lose men


class Places(NamedTuple):
    """Where the units are, and the segments' ends and lengths, for the kernels that ask which station a unit
    draws through."""

    station: IntArray
    segment: IntArray
    progress: FloatArray
    seg_a: IntArray
    seg_b: IntArray
    seg_km: FloatArray


def places(state: GameState) -> Places:
    """The `Places` of a state."""
    w = state.world
    return Places(state.station, state.segment, state.progress, w.seg_a, w.seg_b, w.seg_km)


@kernel
def draws_through(places: Places, u: int) -> int:
    """The station a unit draws through: where it stands, or the nearer end of its segment."""
    at = int(places.station[u])
    if at >= 0:
        return at
    seg = places.segment[u]
    return int(places.seg_a[seg] if places.progress[u] <= places.seg_km[seg] / 2 else places.seg_b[seg])


class Depots(NamedTuple):
    """Where supply comes from, for the kernel: each station's depot, and each stockpile's station and issue."""

    depot: FloatArray
    stockpile_station: IntArray
    stockpile_supply: FloatArray


def issued(state: GameState) -> FloatArray:
    """A faction-by-station table of supply a week: own depots, a share of neutral ones, stockpiles held."""
    w = state.world
    depots = Depots(w.depot, w.stockpile_station, w.stockpile_supply)
    return _issue(state.control, state.stance, state.supply_factor, state.stockpile_tons, depots)


@kernel
def _issue(control: IntArray, stance: IntArray, factor: FloatArray, tons: FloatArray, depots: Depots) -> FloatArray:
    depot, stockpile_station, stockpile_supply = depots
    nf, ns = stance.shape[0], control.shape[0]
    out = np.zeros((nf, ns))
    for f in range(nf):
        for s in range(ns):
            h = control[s]
            own = h == f
            friend = h != NOBODY and not own and stance[f, h] == ALLIED
            local = h == NOBODY or stance[f, h] == NEUTRAL
            value = depot[s] * factor[f] if own else 0.0
            value += depot[s] * ALLIED_SHARE * factor[h] if friend else 0.0
            value += depot[s] * LOCAL_SHARE if local else 0.0
            out[f, s] = value
    for k in range(stockpile_station.shape[0]):  # in the scenario's order, as they add up at a shared station
        s = stockpile_station[k]
        h = control[s]
        if tons[k] > 0 and h != NOBODY:
            for f in range(nf):
                if stance[h, f] == ALLIED or f == h:
                    out[f, s] += stockpile_supply[k] * factor[h]
    return out


def supply_pieces(state: GameState) -> tuple[IntArray, FloatArray]:
    """Each faction's network cut into pieces where enemies hold stations or the line is cut, and the supply
    a week each piece's depots and stockpiles issue. `labels[f, s]` is the piece of faction f that station s
    belongs to; `supply[label]` what it issues. Remembered per layout, for the AI's and the player's questions
    (`resupply` works them out in its own kernel)."""
    return state.world.memo("supply", _layout_key(state), lambda: _pieces(state))


def _layout_key(state: GameState) -> bytes:
    """Everything the network's pieces and their depots' output depend on."""
    parts = (state.control, state.stance, state.damage > 0, state.supply_factor, state.stockpile_tons > 0)
    return hostility(state).tobytes() + b"".join(a.tobytes() for a in parts)


def _pieces(state: GameState) -> tuple[IntArray, FloatArray]:
    """`network_pieces` of a state."""
    s, w = state, state.world
    layout = (hostility(s), s.control, s.stance, s.supply_factor, s.stockpile_tons, s.damage)
    return network_pieces(layout, (w.seg_a, w.seg_b, w.depot, w.stockpile_station, w.stockpile_supply))


# What the network's pieces and their supply depend on: hostile stations (faction x station), control, stances,
# supply factors, stockpiles' tons and damage; and where supply comes from: the segments' ends, the depots, and the
# stockpiles' stations and issue.
Layout = tuple[BoolArray, IntArray, IntArray, FloatArray, FloatArray, IntArray]
Sources = tuple[IntArray, IntArray, FloatArray, IntArray, FloatArray]


@kernel
def network_pieces(layout: Layout, sources: Sources) -> tuple[IntArray, FloatArray]:
    """Each faction's network cut into pieces (one label space for all factions: faction f's pieces are
    numbered from f * 2 * stations), and the supply a week each piece's depots issue: `supply_pieces`, for
    kernels."""
    hostile, control, stance, factor, tons, damage = layout
    seg_a, seg_b, depot, stockpile_station, stockpile_supply = sources
    issue = _issue(control, stance, factor, tons, Depots(depot, stockpile_station, stockpile_supply))
    return _piece_supply(hostile, (seg_a, seg_b, damage == 0), issue)


@kernel
def _piece_supply(
    hostile: BoolArray, track: tuple[IntArray, IntArray, BoolArray], issue: FloatArray
) -> tuple[IntArray, FloatArray]:
    """Cut each faction's network into pieces (`components`, for all factions in one pass), number the pieces of
    all factions in one space (a station cut off alone is a piece of its own) and add up what each issues,
    station by station in order."""
    seg_a, seg_b, open_track = track
    nf, ns = hostile.shape
    labels = np.empty((nf, ns), dtype=np.int64)
    supply = np.zeros(nf * 2 * ns)
    for f in range(nf):
        components = label_pieces(ns, seg_a, seg_b, ~hostile[f], open_track)
        for s in range(ns):
            x = components[s]
            label = (x if x >= 0 else ns + (-1 - x)) + f * 2 * ns
            labels[f, s] = label
            supply[label] += issue[f, s]
    return labels, supply


def week_need(state: GameState) -> float:
    """Supply a week for 1,000 men this turn: more in the winter months."""
    w, r = state.world, state.world.rules
    winter = bool(w.winter[min(state.turn, w.turns - 1)])
    return r.supply_need * (r.winter_need if winter else 1.0)


class Mouths(NamedTuple):
    """Who eats where, for the kernels: the units' status, faction and men, and the piece of network each
    station of each faction belongs to."""

    status: IntArray
    faction: IntArray
    men: IntArray
    labels: IntArray  # faction x station


def rations(state: GameState) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    """The units on the map, the piece of network each draws on, and what every piece issues and needs a week."""
    labels, supply = supply_pieces(state)
    mouths = Mouths(state.status, state.world.unit_faction, state.men, labels)
    units, unit_labels, demand = _draw(mouths, places(state), len(supply), week_need(state))
    return units, unit_labels, supply, demand


@kernel
def _draw(mouths: Mouths, places: Places, n_pieces: int, need: float) -> tuple[IntArray, IntArray, FloatArray]:
    """The units on the map in index order, the piece each draws on, and each piece's need, added up in order."""
    units = np.flatnonzero(mouths.status == ACTIVE)
    unit_labels = np.empty(units.shape[0], dtype=np.int64)
    demand = np.zeros(n_pieces)
    for k in range(units.shape[0]):
        u = units[k]
        label = mouths.labels[mouths.faction[u], draws_through(places, u)]
        unit_labels[k] = label
        demand[label] += mouths.men[u] / 1000.0 * need
    return units, unit_labels, demand


class Fare(NamedTuple):
    """What a week's supply changes on a unit, in place: its stores, cohesion and men; the dead by faction; and,
    for the starving, status and place."""

    stores: FloatArray
    cohesion: FloatArray
    cohesion_cap: FloatArray
    men: IntArray
    faction: IntArray
    casualties: IntArray
    status: IntArray
    station: IntArray
    segment: IntArray


class Hunger(NamedTuple):
    """The rules' numbers for a week of supply."""

    stores_weeks: float
    cohesion_gain: float
    cohesion_loss: float
    attrition: float


def shortages(world: World, units: IntArray, got: FloatArray, lost: IntArray) -> tuple[Shortage, ...]:
    """The records of the units gone short, with the share of need each got and the men each lost. Units cut off
    go short the same way week after week: one set of frozen records serves them all."""

    def told() -> tuple[Shortage, ...]:
        return tuple(
            Shortage(world.unit_ids[u], round(g, 2), n)
            for u, g, n in zip(units.tolist(), got.tolist(), lost.tolist(), strict=True)
        )

    return world.memo("shortages", units.tobytes() + got.tobytes() + lost.tobytes(), told)


@kernel
def resupply(
    layout: Layout,
    network: tuple[IntArray, IntArray, FloatArray, FloatArray, IntArray, FloatArray],
    units: tuple[IntArray, IntArray, IntArray, IntArray, IntArray, FloatArray, FloatArray, FloatArray, FloatArray],
    hunger: tuple[float, float, float, float, float],
    toll: tuple[IntArray, IntArray, FloatArray, IntArray],
) -> tuple[int, bool]:
    """A week's supply in one call, the network's pieces worked out afresh (cheaper here than remembering them):
    `layout` is what the pieces depend on (hostile stations, control, stances, supply factors, stockpiles' tons,
    damage); `network` the segments' ends and km, the depots and the stockpiles' stations and issue; `units`
    their status, faction, men, station, segment, progress, stores, cohesion and its cap; `hunger` the week's
    need per 1,000 men, then `Hunger`. Adds the dead to `toll`'s first (by faction) and puts in the others the
    starving units, the share of need each got and the men each lost; returns how many starved, and whether any
    unit was destroyed. (Plain tuples, and arrays filled in place: numba takes and gives them faster than
    NamedTuples and new arrays.)"""
    seg_a, seg_b, seg_km, depot, stockpile_station, stockpile_supply = network
    status, faction, men, station, segment, progress, stores, cohesion, cap = units
    need, stores_weeks, gain, loss, attrition = hunger
    casualties, units_short, got_short, lost_short = toll
    labels, supply = network_pieces(layout, (seg_a, seg_b, depot, stockpile_station, stockpile_supply))
    places = Places(station, segment, progress, seg_a, seg_b, seg_km)
    fed, unit_labels, demand = _draw(Mouths(status, faction, men, labels), places, supply.shape[0], need)
    fare = Fare(stores, cohesion, cap, men, faction, casualties, status, station, segment)
    rules = Hunger(stores_weeks, gain, loss, attrition)
    got, lost, starved, gone = _feed(fed, unit_labels, (supply, demand), fare, rules)
    for k in range(starved.shape[0]):
        units_short[k], got_short[k], lost_short[k] = fed[starved[k]], got[starved[k]], lost[starved[k]]
    return starved.shape[0], gone


@kernel
def _feed(
    units: IntArray, unit_labels: IntArray, pieces: tuple[FloatArray, FloatArray], fare: Fare, hunger: Hunger
) -> tuple[FloatArray, IntArray, IntArray, bool]:
    """Share out each piece's supply by need; the fed rest, the starving lose cohesion and, once broken, men.
    Returns, by unit in `units`: the share of need it got and the men it lost; which of them starved (indices
    into `units`); and whether any unit was destroyed."""
    supply, demand = pieces
    ratio = np.ones(demand.shape[0])
    for p in range(demand.shape[0]):
        if demand[p] > 0:
            ratio[p] = min(1.0, supply[p] / demand[p])
    got = np.empty(units.shape[0])
    lost = np.zeros(units.shape[0], dtype=np.int64)
    starved = np.empty(units.shape[0], dtype=np.int64)
    n_starved, gone = 0, False
    for k in range(units.shape[0]):
        u = units[k]
        got[k] = ratio[unit_labels[k]]
        stores = fare.stores[u] - 1.0 + 2.0 * got[k]
        stores = stores if stores > 0.0 else 0.0  # clipped as numpy clips, to keep every bit
        stores = stores if stores < hunger.stores_weeks else hunger.stores_weeks
        fare.stores[u] = stores
        if stores > 0.0:
            if got[k] >= 0.5:
                fare.cohesion[u] = min(fare.cohesion_cap[u], fare.cohesion[u] + hunger.cohesion_gain)
            continue
        starved[n_starved] = k
        n_starved += 1
        fare.cohesion[u] = max(0.0, fare.cohesion[u] - hunger.cohesion_loss)
        if fare.cohesion[u] < BROKEN:
            lost[k] = int(min(float(fare.men[u]), np.ceil(fare.men[u] * hunger.attrition)))
        fare.men[u] -= lost[k]
        fare.casualties[fare.faction[u]] += lost[k]
        if fare.men[u] <= 0:
            fare.status[u], fare.station[u], fare.segment[u] = DESTROYED, -1, -1
            gone = True
    return got, lost, starved[:n_starved], gone
