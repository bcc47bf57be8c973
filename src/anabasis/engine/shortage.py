"""Why a unit is short of supply, and what would feed it again, read from the supply rules' own pieces of network.

A unit draws on the piece of its faction's network it stands in (`supply.rations`). It goes short when it draws on
a station the enemy holds, when its piece has no depot (the way to the nearest is cut or held by the enemy), or
when the depots of its piece issue less than all the men drawing on them need.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

import numpy as np

from anabasis.engine.legal import reachable
from anabasis.engine.movement import unit_region
from anabasis.engine.network import hostility, route
from anabasis.engine.relations import the
from anabasis.engine.state import GameState
from anabasis.engine.supply import issued, rations, supply_pieces, week_need
from anabasis.engine.world import NOBODY, BoolArray, FloatArray, World

FULL = 1.0 - 1e-9  # a share of the need at or above this is a full ration


class Cause(StrEnum):
    """How a unit stands for supply."""

    FED = "fed"  # its piece issues all its men need
    ENEMY_STATION = "enemy station"  # it draws on a station the enemy holds or occupies
    CUT_OFF = "cut off"  # its piece has no depot: the way to the nearest is cut or held by the enemy
    NO_DEPOT = "no depot"  # no depot anywhere its faction could draw on
    OVERDRAWN = "overdrawn"  # its piece's depots issue less than the men drawing on them need


@dataclass(frozen=True)
class SupplyCheck:
    """A unit's supply this week: how much of its need it gets, why not all, and what would mend it.

    Stations and segments are indices, -1 where there is none; `reason` and `remedy` say it for the player.
    """

    unit: int
    cause: Cause
    share: float  # of its need its piece can issue this week, 0-1
    issued: float  # supply a week the depots of its piece issue
    needed: float  # supply a week all the units drawing on its piece need
    draws_on: int  # the station it draws through
    station: int  # the enemy's station that cuts it off, that it stands in, or the nearest depot to take
    segment: int  # the cut segment that cuts it off
    depot: int  # the nearest depot it could draw on, beyond the break
    depot_km: float
    refuge: int  # the nearest station it can move to where its faction's depots would feed it in full
    refuge_km: float
    reason: str
    remedy: str

    @property
    def short(self) -> bool:
        return self.cause is not Cause.FED


@dataclass(frozen=True)
class _Finding:
    """What a cause adds to the check: the places it names and the words."""

    cause: Cause
    reason: str
    mend: str = ""  # what would feed it where it is
    station: int = -1
    segment: int = -1
    depot: int = -1
    depot_km: float = 0.0


def supply_check(state: GameState, unit: int) -> SupplyCheck:
    """How `unit` (on the map) stands for supply, by the rules `resupply` applies at the end of the week."""
    w = state.world
    units, unit_labels, supply, demand = rations(state)
    label = int(unit_labels[int(np.searchsorted(units, unit))])
    node = _node(state, unit)
    issued_here, needed = float(supply[label]), float(demand[label])
    share = min(1.0, issued_here / needed) if needed > 0 else 1.0
    if share >= FULL:
        finding = _Finding(Cause.FED, _fed(state, unit))
        refuge, refuge_km = -1, 0.0
    else:
        men = int(state.men[units[unit_labels == label]].sum())
        finding = _why_short(state, unit, issued_here=issued_here, needed=needed, men=men)
        refuge, refuge_km = _refuge(state, unit, label, supply, demand)
    move = ""
    if refuge >= 0:
        who, them = ("some of them", "them") if finding.cause is Cause.OVERDRAWN else ("it", "it")
        move = f"move {who} to {w.station_names[refuge]} ({refuge_km:,.0f} km), where the depots would feed {them}"
    return SupplyCheck(
        unit=unit,
        cause=finding.cause,
        share=share,
        issued=issued_here,
        needed=needed,
        draws_on=node,
        station=finding.station,
        segment=finding.segment,
        depot=finding.depot,
        depot_km=finding.depot_km,
        refuge=refuge,
        refuge_km=refuge_km,
        reason=finding.reason,
        remedy=", or ".join(x for x in (finding.mend, move) if x),
    )


def _why_short(state: GameState, unit: int, *, issued_here: float, needed: float, men: int) -> _Finding:
    """Why a unit gets less than its need: the station it draws on is the enemy's, its depots are too few for the
    men drawing on them, or it has none (cut off from the nearest, or there is none to draw on)."""
    node = _node(state, unit)
    w = state.world
    f = int(w.unit_faction[unit])
    hostile = hostility(state)[f]
    name = w.station_names
    if hostile[node]:
        return _Finding(
            Cause.ENEMY_STATION,
            f"{_enemy_station(state, f, node)}, and no depot feeds units in an enemy's station",
            f"take {name[node]} (attack it)",
            station=node,
        )
    if issued_here > 0:
        return _Finding(
            Cause.OVERDRAWN,
            f"the depots within reach issue {issued_here:.1f} a week, and the {men:,} men drawing on them need "
            f"{needed:.1f}",
            "take another station with a depot",
        )
    depot, depot_km = _nearest(w, node, _sources(state, f) & ~hostile)
    if depot >= 0:
        station, segment = _obstacle(state, f, node, depot)
        far = f"cut off from the nearest depot, {name[depot]} ({depot_km:,.0f} km)"
        if segment >= 0:
            a, b = name[int(w.seg_a[segment])], name[int(w.seg_b[segment])]
            weeks = int(state.damage[segment])
            return _Finding(
                Cause.CUT_OFF,
                f"{far}: the line {a}–{b} is cut ({weeks} week{'s' if weeks != 1 else ''} of repair)",
                f"repair the line {a}–{b}",
                segment=segment,
                depot=depot,
                depot_km=depot_km,
            )
        return _Finding(
            Cause.CUT_OFF,
            f"{far}: on the way, {_enemy_station(state, f, station)}",
            f"retake {name[station]}",
            station=station,
            depot=depot,
            depot_km=depot_km,
        )
    depot, depot_km = _nearest(w, node, w.depot > 0)
    if depot < 0:
        return _Finding(Cause.NO_DEPOT, "there is no depot on the network it could draw on")
    return _Finding(
        Cause.NO_DEPOT,
        f"no depot it could draw on: the nearest, {name[depot]}, is {depot_km:,.0f} km away, "
        f"held by {_holder(state, depot)}",
        f"take {name[depot]}",
        station=depot,
    )


def _fed(state: GameState, unit: int) -> str:
    stores, full = float(state.stores[unit]), state.world.rules.stores_weeks
    return "in supply" + (f": its stores fill up again ({stores:.1f} of {full:g} weeks)" if stores < full else "")


def _holder(state: GameState, station: int) -> str:
    holder = int(state.control[station])
    return "nobody" if holder == NOBODY else the(state.world.faction_names[holder])


def _enemy_station(state: GameState, faction: int, station: int) -> str:
    """`Penza is held by the Bolsheviks`, or `the Bolsheviks stand at Penza` when enemies stand where they do not
    hold."""
    w = state.world
    holder = int(state.control[station])
    if holder != NOBODY and state.at_war(faction, holder):
        return f"{w.station_names[station]} is held by {the(w.faction_names[holder])}"
    there = [int(w.unit_faction[u]) for u in state.units_at(station) if state.at_war(faction, int(w.unit_faction[u]))]
    who = the(w.faction_names[there[0]]) if there else "the enemy"
    return f"{who} stand at {w.station_names[station]}"


def _node(state: GameState, unit: int) -> int:
    """The station the unit draws through: where it stands, or the nearer end of its segment (as `resupply`)."""
    w = state.world
    if state.station[unit] >= 0:
        return int(state.station[unit])
    seg = int(state.segment[unit])
    return int(w.seg_a[seg] if state.progress[unit] <= w.seg_km[seg] / 2 else w.seg_b[seg])


def _sources(state: GameState, faction: int) -> BoolArray:
    """Stations whose depot or stockpile issues the faction something."""
    fed: BoolArray = issued(state)[faction] > 0
    return fed


def _nearest(w: World, start: int, where: BoolArray) -> tuple[int, float]:
    """The station of `where` nearest `start` by rail (over the whole network, whoever holds it), and its km."""
    km = np.where(where, w.distance[start], np.inf)
    best = int(np.argmin(km))
    return (best, float(km[best])) if np.isfinite(km[best]) else (-1, 0.0)


def _obstacle(state: GameState, faction: int, start: int, goal: int) -> tuple[int, int]:
    """The first cut segment or enemy station on the direct line from `start` to `goal`: (station, segment)."""
    w = state.world
    hostile = hostility(state)[faction]
    here = start
    while here != goal:
        nxt = int(w.next_hop[here, goal])
        seg = w.segment_between(here, nxt)
        if state.damage[seg] > 0:
            return -1, seg
        if hostile[nxt]:
            return nxt, -1
        here = nxt
    return goal, -1


def _refuge(state: GameState, unit: int, label: int, supply: FloatArray, demand: FloatArray) -> tuple[int, float]:
    """The nearest station the unit can move to, in another piece whose depots would feed it in full with it there;
    and the km there by rail."""
    w = state.world
    f = int(w.unit_faction[unit])
    labels = supply_pieces(state)[0][f]
    own = float(state.men[unit]) / 1000.0 * week_need(state)
    fit = reachable(state, unit) & (labels != label) & (supply[labels] > 0) & (supply[labels] >= demand[labels] + own)
    start = _node(state, unit)
    goal, km = _nearest(w, start, fit)
    if goal < 0:
        return -1, 0.0
    path = route(state, f, unit_region(state, unit), start, goal)
    if path is not None:
        km = float(sum(w.seg_km[w.segment_between(a, b)] for a, b in pairwise(path)))
    return goal, km
