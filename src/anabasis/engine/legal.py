"""Which orders a faction may give now, and, for any other, why not in words a player understands."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np

from anabasis.engine.events import pending_decisions
from anabasis.engine.jit import kernel
from anabasis.engine.movement import unit_region, week_km
from anabasis.engine.network import blocker, components, rails
from anabasis.engine.orders import (
    ORDER_KINDS,
    Answer,
    Attack,
    Blow,
    Destroy,
    Detrain,
    Entrain,
    Evacuate,
    Hold,
    IllegalOrder,
    Move,
    Order,
    Repair,
    UnitOrder,
)
from anabasis.engine.passage import (
    ALREADY_ANSWERED,
    ALREADY_CUT,
    ALREADY_ORDERED,
    ALREADY_THERE,
    ARMOURED,
    BURNT,
    EMBARKING,
    FACTION,
    GONE,
    HELD_BY_ENEMY,
    NO_BRIDGE,
    NO_DECISION,
    NO_ENEMY,
    NO_SEGMENT,
    NO_STATION,
    NO_STOCKPILE,
    NO_UNIT,
    NO_WAY,
    NOT_AN_OPTION,
    NOT_AN_ORDER,
    NOT_ARRIVED,
    NOT_AT_END,
    NOT_AT_PORT,
    NOT_AT_STATION,
    NOT_DAMAGED,
    NOT_FRIENDLY,
    NOT_HERE,
    NOT_NEXT,
    NOT_ON_TRAINS,
    NOT_OWNER,
    NOT_YOURS,
    OK,
    ON_TRAINS,
    OUT_OF_REGION,
    TARGET,
    TOO_FAR,
    UNIT,
    WILL_NOT_ATTACK,
    distance,
    encode,
    target_name,
    unwilling,
    verdicts,
)
from anabasis.engine.relations import not_at_war
from anabasis.engine.state import ACTIVE, GameState, Status
from anabasis.engine.world import NOBODY, BoolArray, IntArray

_GONE = {
    Status.EVACUATED: "has been shipped out of Russia",
    Status.DEPARTED: "has gone home",
    Status.DESTROYED: "no longer exists",
    Status.CANCELLED: "was withdrawn before it arrived",
    Status.RESERVE: "is held in reserve until an event brings it in",
}


def _faction(state: GameState, faction: str | int) -> int:
    """The faction's index, or -1 for a name the scenario does not have."""
    return faction if isinstance(faction, int) else state.world.faction_index.get(faction, -1)


def _ends(state: GameState, u: int) -> list[int]:
    """The stations a unit is at or between."""
    w = state.world
    if state.station[u] >= 0:
        return [int(state.station[u])]
    seg = int(state.segment[u])
    return [int(w.seg_a[seg]), int(w.seg_b[seg])]


def reachable(state: GameState, u: int) -> BoolArray:
    """Stations a unit can travel to along open track through stations its faction may pass.

    A unit standing where the enemy also stands may still pull out to a passable neighbour.
    """
    key = ("reachable", u)
    hit = state.cache.get(key)
    if hit is not None:
        return hit  # type: ignore[return-value]
    w = state.world
    labels = components(state, int(w.unit_faction[u]), unit_region(state, u))
    reach = np.zeros(w.n_stations, dtype=np.bool_)
    net = rails(w)
    tracks = (w.seg_a, w.seg_b, net.first, net.other, net.link_segment, state.damage)
    for start in departures(labels, int(state.station[u]), int(state.segment[u]), tracks).tolist():
        reach |= labels == labels[start]
    if state.station[u] >= 0:
        reach[int(state.station[u])] = False
    state.cache[key] = reach
    return reach


@kernel
def departures(
    labels: IntArray,
    station: int,
    segment: int,
    tracks: tuple[IntArray, IntArray, IntArray, IntArray, IntArray, IntArray],
) -> IntArray:
    """The passable stations a unit sets out from (`labels` of the pieces it may travel within, negative where it
    may not pass): where it is, or the neighbours it can pull out to (`tracks`: the segments' ends, each station's
    links as in `Rails`, and the damage).

    A unit standing in a station the enemy also holds may pull out to any open neighbour; a train out on the
    line can only go on to an end it may enter (it cannot pass through an enemy station to the far side).
    """
    seg_a, seg_b, first, other, link_segment, damage = tracks
    if station >= 0:
        if labels[station] >= 0:
            return np.array([station], dtype=np.int64)
        out = np.empty(first[station + 1] - first[station], dtype=np.int64)
        n = 0
        for j in range(first[station], first[station + 1]):
            if labels[other[j]] >= 0 and damage[link_segment[j]] == 0:
                out[n] = other[j]
                n += 1
        return out[:n]
    out = np.empty(2, dtype=np.int64)
    n = 0
    for end in (seg_a[segment], seg_b[segment]):
        if labels[end] >= 0:
            out[n] = end
            n += 1
    return out[:n]


class Refusal(NamedTuple):
    """What a refusal is put into words from: the order, the faction and what the kernel made of the order."""

    state: GameState
    f: int
    order: Any  # the order as given, for the names in it
    u: int
    target: int


def _unit(r: Refusal) -> str:
    return str(r.state.world.unit_names[r.u])


def _station(r: Refusal) -> str:
    return str(r.state.world.station_names[r.target])


def _segment(r: Refusal) -> str:
    return r.state.world.segment_name(r.target)


def _stockpile(r: Refusal) -> str:
    return str(r.state.world.stockpile_names[r.target])


def _contingent(r: Refusal) -> str:
    return str(r.state.world.contingent_names[r.state.world.unit_contingent[r.u]])


def _not_yours(r: Refusal) -> str:
    w = r.state.world
    return f"{_unit(r)} is not yours: it serves the {w.faction_names[w.unit_faction[r.u]]}"


def _out_of_region(r: Refusal) -> str:
    w = r.state.world
    region = int(r.state.region[w.unit_contingent[r.u]])
    return f"the {_contingent(r)} must stay within {w.region_names[region]}"


def _no_way(r: Refusal) -> str:
    why = blocker(r.state, r.f, unit_region(r.state, r.u), _ends(r.state, r.u)[0], r.target)
    return f"no open line to {_station(r)}: {why}"


def _too_far(r: Refusal) -> str:
    d = distance(r.state, r.u, r.target)
    week = week_km(r.state, r.u)
    if r.state.entrained[r.u]:
        return f"{_station(r)} is {d:.0f} km away, more than a train covers in a week ({week:.0f} km)"
    return f"{_station(r)} is {d:.0f} km away and men on foot cover {week:.0f} km a week: entrain first"


def _no_enemy(r: Refusal) -> str:
    """Why there is nobody to attack: the factions there are not at war with the attacker's, or none is there."""
    state, f, target = r.state, r.f, r.target
    w = state.world
    there = [int(state.control[target]), *(int(w.unit_faction[x]) for x in state.units_at(target))]
    others = [o for o in there if o not in (NOBODY, f)]
    if not others:
        return f"there is no enemy at {w.station_names[target]}"
    return f"{not_at_war(state, f, others[0])}: {w.station_names[target]} cannot be attacked"


def _not_an_option(r: Refusal) -> str:
    options = [o[0] for o in r.state.world.events[r.target].options]
    return f"{r.order.option!r} is not an option; choose one of: {', '.join(options)}"


def _due(r: Refusal) -> str:
    w = r.state.world
    return w.date_of(int(w.unit_arrival[r.u])).isoformat()


def _unwilling(r: Refusal) -> str:
    return str(r.state.world.faction_names[unwilling(r.state, r.f, r.u, r.target)])


def _what(given: object) -> str:
    """Something given as an order that is none of the kinds the rules know, as a programmer would recognise it:
    a bare `Order` or `UnitOrder` (to which unit), or anything else by its repr."""
    if isinstance(given, UnitOrder):
        return f"a bare {type(given).__name__} to {given.unit!r}"
    return f"a bare {type(given).__name__}" if isinstance(given, Order) else repr(given)


def _here(r: Refusal) -> str:
    return str(r.state.world.station_names[r.state.station[r.u]])


# The kernel's codes in a player's words.
_WORDS: dict[int, Callable[[Refusal], str]] = {
    NOT_AN_ORDER: lambda r: f"{_what(r.order)} is not an order; orders are: {', '.join(ORDER_KINDS)}",
    NO_DECISION: lambda r: f"no decision of yours is waiting on {r.order.event!r}",
    NOT_AN_OPTION: _not_an_option,
    NO_UNIT: lambda r: f"there is no unit {r.order.unit!r}",
    NOT_YOURS: _not_yours,
    NOT_ARRIVED: lambda r: f"{_unit(r)} has not arrived yet (due {_due(r)})",
    GONE: lambda r: f"{_unit(r)} {_GONE[Status(int(r.state.status[r.u]))]}",
    NO_STATION: lambda r: f"there is no station {target_name(r.state.world, r.order)!r}",
    ALREADY_THERE: lambda r: f"{_unit(r)} is already at {_station(r)}",
    OUT_OF_REGION: _out_of_region,
    HELD_BY_ENEMY: lambda r: f"{_station(r)} is held by the enemy: attack it instead",
    NO_WAY: _no_way,
    ON_TRAINS: lambda r: f"{_unit(r)} is already on its trains",
    NOT_AT_STATION: lambda r: f"{_unit(r)} can only board trains at a station",
    ARMOURED: lambda r: f"{_unit(r)} is an armoured train: it fights from the rails",
    NOT_ON_TRAINS: lambda r: f"{_unit(r)} is not on trains",
    NOT_NEXT: lambda r: f"{_station(r)} is not next to {_unit(r)} along an open line",
    TOO_FAR: _too_far,
    NO_ENEMY: _no_enemy,
    WILL_NOT_ATTACK: lambda r: f"the {_contingent(r)} will not attack the {_unwilling(r)}",
    NO_SEGMENT: lambda r: (
        f"there is no segment {target_name(r.state.world, r.order)!r} (write it as station-station, e.g. syzran-samara)"
    ),
    NOT_AT_END: lambda r: f"{_unit(r)} is not at either end of {_segment(r)}",
    NO_BRIDGE: lambda r: f"there is no bridge or tunnel to blow on {_segment(r)}",
    ALREADY_CUT: lambda r: f"{_segment(r)} is already cut",
    NOT_DAMAGED: lambda r: f"{_segment(r)} is not damaged",
    NOT_AT_PORT: lambda r: f"{_unit(r)} is not at a port",
    NOT_FRIENDLY: lambda r: f"{_here(r)} is not in friendly hands",
    EMBARKING: lambda r: f"{_unit(r)} is already waiting for ships",
    NO_STOCKPILE: lambda r: f"there is no stockpile {target_name(r.state.world, r.order)!r}",
    NOT_HERE: lambda r: f"{_stockpile(r)} is not where {_unit(r)} stands",
    NOT_OWNER: lambda r: (
        f"{_stockpile(r)} belongs to the {r.state.world.faction_names[r.state.world.stockpile_owner[r.target]]}: "
        "only they may destroy it"
    ),
    BURNT: lambda r: f"{_stockpile(r)} is already gone",
    ALREADY_ORDERED: lambda r: f"{_unit(r)} already has an order this turn",
    ALREADY_ANSWERED: lambda r: "that decision is already answered this turn",
}


def words(state: GameState, table: IntArray, codes: IntArray, orders: Sequence[Order]) -> dict[int, str]:
    """The reasons for the orders the kernel refused, by place; `orders` are those encoded in `table`."""
    out: dict[int, str] = {}
    for k, code in enumerate(codes.tolist()):
        if code != OK:
            f, u, target = int(table[k, FACTION]), int(table[k, UNIT]), int(table[k, TARGET])
            out[k] = _WORDS[code](Refusal(state, f, orders[k], u, target))
    return out


def why_no_attack(state: GameState, faction: str | int, unit: str) -> str:
    """Why `unit` has nothing to attack: the reason for the first station at or next to it that others hold or
    stand in (not at war with them, say), or that there is no one there at all."""
    w = state.world
    f, u = _faction(state, faction), w.unit_index[unit]
    ends = _ends(state, u)
    near = ends + [o for end in ends for o, _ in w.adjacency[end] if o not in ends]
    for station in near:
        there = [int(state.control[station]), *(int(w.unit_faction[x]) for x in state.units_at(station))]
        if any(o not in (NOBODY, f) for o in there):
            reason = why_illegal(state, f, Attack(unit, w.station_ids[station]))
            if reason:
                return reason
    return "there is no enemy at or next to it"


def why_illegal(state: GameState, faction: str | int, order: Order) -> str | None:
    """None if `faction` may give `order` now; otherwise the reason, for the player."""
    return refusals(state, faction, [order])[0]


def refusals(state: GameState, faction: str | int, orders: Sequence[Order]) -> list[str | None]:
    """`why_illegal` of each order, in order, checked together in one compiled pass."""
    if not orders:  # a quiet week is common: an army that holds and waits
        return []
    if state.ended:
        return ["the game is over"] * len(orders)
    f = _faction(state, faction)
    if f < 0:
        return [f"there is no faction {faction!r}"] * len(orders)
    table = encode(state.world, [(f, orders)])
    codes = verdicts(state, table)
    reasons = words(state, table, codes, orders)
    return [reasons.get(k) for k in range(len(orders))]


def validate(state: GameState, faction: str | int, order: Order) -> None:
    """Raise IllegalOrder with the reason if `faction` may not give `order` now."""
    reason = why_illegal(state, faction, order)
    if reason is not None:
        raise IllegalOrder(order, reason)


class LegalOrders:
    """The orders a faction (or one of its units) may give now: lazy, with a fast `in` and `count()`."""

    def __init__(self, state: GameState, faction: str | int, unit: str | None = None) -> None:
        self.state = state
        self.faction = _faction(state, faction)
        self.unit = unit

    def __contains__(self, order: object) -> bool:
        if not isinstance(order, Order):
            return False
        if self.unit is not None and getattr(order, "unit", None) != self.unit:
            return False
        return why_illegal(self.state, self.faction, order) is None

    def __iter__(self) -> Iterator[Order]:
        s, f = self.state, self.faction
        w = s.world
        if s.ended or f < 0:
            return
        if self.unit is None:
            for k in pending_decisions(s, f):
                for oid, _label, _effects in w.events[k].options:
                    yield Answer(w.events[k].id, oid)
            units = np.flatnonzero((s.status == ACTIVE) & (w.unit_faction == f)).tolist()
        else:
            u = w.unit_index.get(self.unit, -1)
            units = [u] if u >= 0 and s.status[u] == ACTIVE and w.unit_faction[u] == f else []
        for u in units:
            yield from self._for_unit(u)

    def _for_unit(self, u: int) -> Iterator[Order]:
        s, f = self.state, self.faction
        w = s.world
        name = w.unit_ids[u]
        # Moves to the stations it can reach (the rest are refused by the same rules), then the other kinds.
        candidates: list[Order] = [Move(name, w.station_ids[to]) for to in np.flatnonzero(reachable(s, u)).tolist()]
        candidates += [Hold(name), Entrain(name), Detrain(name), Evacuate(name)]
        ends = _ends(s, u)
        near = set(ends)
        for end in ends:
            near.update(other for other, _ in w.adjacency[end])
        candidates += [Attack(name, w.station_ids[station]) for station in sorted(near)]
        for seg in sorted({seg for end in ends for _, seg in w.adjacency[end]}):
            candidates += [Blow(name, w.segment_name(seg)), Repair(name, w.segment_name(seg))]
        for k in np.flatnonzero(w.stockpile_station == s.station[u]).tolist():
            candidates.append(Destroy(name, w.stockpile_ids[k]))
        codes = verdicts(s, encode(w, [(f, candidates)]))
        yield from (order for order, code in zip(candidates, codes.tolist(), strict=True) if code == OK)

    def count(self) -> int:
        return sum(1 for _ in self)


def legal_orders(state: GameState, faction: str | int, unit: str | None = None) -> LegalOrders:
    """The legal orders of `faction` (or of one of its units) in `state`."""
    return LegalOrders(state, faction, unit)
