"""Which orders a faction may give now, and, for any other, why not in words a player understands."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from anabasis.engine.combat import defenders_of
from anabasis.engine.events import pending_decisions
from anabasis.engine.movement import unit_region, week_km
from anabasis.engine.network import blocker, components
from anabasis.engine.orders import (
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
from anabasis.engine.passage import ALREADY_THERE, HELD_BY_ENEMY, NO_WAY, NOT_AT_HAND, OUT_OF_REGION, move_codes
from anabasis.engine.relations import not_at_war
from anabasis.engine.state import ACTIVE, WAITING, GameState, Status
from anabasis.engine.world import ALLIED, NOBODY, WAR, BoolArray, IntArray

ARMOURED_TRAIN = 3

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


def _unit_problem(state: GameState, f: int, name: str) -> tuple[int, str | None]:
    w = state.world
    u = w.unit_index.get(name, -1)
    if u < 0:
        return u, f"there is no unit {name!r}"
    label = w.unit_names[u]
    if w.unit_faction[u] != f:
        return u, f"{label} is not yours: it serves the {w.faction_names[w.unit_faction[u]]}"
    status = int(state.status[u])
    if status == WAITING:
        return u, f"{label} has not arrived yet (due {w.date_of(int(w.unit_arrival[u]))})"
    if status != ACTIVE:
        return u, f"{label} {_GONE[Status(status)]}"
    return u, None


def _ends(state: GameState, u: int) -> list[int]:
    """The stations a unit is at or between."""
    w = state.world
    if state.station[u] >= 0:
        return [int(state.station[u])]
    seg = int(state.segment[u])
    return [int(w.seg_a[seg]), int(w.seg_b[seg])]


def _distance_to(state: GameState, u: int, target: int) -> float:
    """Km along the rail from the unit to a station at or next to it (inf if not next to it)."""
    w = state.world
    if state.station[u] >= 0:
        here = int(state.station[u])
        if here == target:
            return 0.0
        seg = w.segment_between(here, target)
        return float(w.seg_km[seg]) if seg >= 0 and state.damage[seg] == 0 else float("inf")
    seg = int(state.segment[u])
    if target == w.seg_a[seg]:
        return float(state.progress[u])
    if target == w.seg_b[seg]:
        return float(w.seg_km[seg] - state.progress[u])
    return float("inf")


def _contingent_limit(state: GameState, u: int, station: int, attacking: bool) -> str | None:
    w = state.world
    c = int(w.unit_contingent[u])
    if c < 0:
        return None
    region = int(state.region[c])
    if region >= 0 and not w.region_mask[region, station]:
        return f"the {w.contingent_names[c]} must stay within {w.region_names[region]}"
    if attacking:
        f = int(w.unit_faction[u])
        enemies = {int(w.unit_faction[d]) for d in defenders_of(state, station, f)}
        holder = int(state.control[station])
        if holder != NOBODY and state.stance[f, holder] == WAR:
            enemies.add(holder)
        for e in sorted(enemies):
            if state.no_attack[c, e]:
                return f"the {w.contingent_names[c]} will not attack the {w.faction_names[e]}"
    return None


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
    for start in _starts(state, u, labels):
        reach |= labels == labels[start]
    if state.station[u] >= 0:
        reach[int(state.station[u])] = False
    state.cache[key] = reach
    return reach


def _starts(state: GameState, u: int, labels: IntArray) -> list[int]:
    """The passable stations a unit sets out from: where it is, or the neighbours it can pull out to.

    A unit standing in a station the enemy also holds may pull out to any open neighbour; a train out on the
    line can only go on to an end it may enter (it cannot pass through an enemy station to the far side).
    """
    w = state.world
    ends = _ends(state, u)
    starts = [end for end in ends if labels[end] >= 0]
    if state.station[u] >= 0 and not starts:
        starts = [o for o, seg in w.adjacency[ends[0]] if labels[o] >= 0 and state.damage[seg] == 0]
    return starts


def _move(state: GameState, f: int, u: int, o: Any) -> str | None:
    to = state.world.station_index.get(o.to, -1)
    if to < 0:
        return f"there is no station {o.to!r}"
    return _move_refusal(state, f, u, to, move_codes(state, f, [u], [to])[0])


def _move_refusal(state: GameState, f: int, u: int, to: int, code: int) -> str | None:
    """The move check's code in words."""
    w = state.world
    if code == NOT_AT_HAND:
        return _unit_problem(state, f, w.unit_ids[u])[1]
    if code == ALREADY_THERE:
        return f"{w.unit_names[u]} is already at {w.station_names[to]}"
    if code == OUT_OF_REGION:
        return _contingent_limit(state, u, to, attacking=False)
    if code == HELD_BY_ENEMY:
        return f"{w.station_names[to]} is held by the enemy: attack it instead"
    if code == NO_WAY:
        start = _ends(state, u)[0]
        return f"no open line to {w.station_names[to]}: {blocker(state, f, unit_region(state, u), start, to)}"
    return None


def _entrain(state: GameState, f: int, u: int, o: Any) -> str | None:
    w = state.world
    if state.entrained[u]:
        return f"{w.unit_names[u]} is already on its trains"
    if state.station[u] < 0:
        return f"{w.unit_names[u]} can only board trains at a station"
    return None


def _detrain(state: GameState, f: int, u: int, o: Any) -> str | None:
    w = state.world
    if w.unit_kind[u] == ARMOURED_TRAIN:
        return f"{w.unit_names[u]} is an armoured train: it fights from the rails"
    if not state.entrained[u]:
        return f"{w.unit_names[u]} is not on trains"
    return None


def _attack(state: GameState, f: int, u: int, o: Any) -> str | None:
    w = state.world
    target = w.station_index.get(o.station, -1)
    if target < 0:
        return f"there is no station {o.station!r}"
    name = w.station_names[target]
    d = _distance_to(state, u, target)
    if d == float("inf"):
        return f"{name} is not next to {w.unit_names[u]} along an open line"
    if d > week_km(state, u):
        if state.entrained[u]:
            return f"{name} is {d:.0f} km away, more than a train covers in a week ({week_km(state, u):.0f} km)"
        return f"{name} is {d:.0f} km away and men on foot cover {week_km(state, u):.0f} km a week: entrain first"
    holder = int(state.control[target])
    if not (holder != NOBODY and state.stance[f, holder] == WAR) and not defenders_of(state, target, f):
        return _no_enemy(state, f, target)
    return _contingent_limit(state, u, target, attacking=True)


def _no_enemy(state: GameState, f: int, target: int) -> str:
    """Why there is nobody to attack at `target`: the factions there are not at war with `f`, or none is."""
    w = state.world
    there = [int(state.control[target]), *(int(w.unit_faction[x]) for x in state.units_at(target))]
    others = [o for o in there if o not in (NOBODY, f)]
    if not others:
        return f"there is no enemy at {w.station_names[target]}"
    return f"{not_at_war(state, f, others[0])}: {w.station_names[target]} cannot be attacked"


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


def _segment(state: GameState, u: int, text: str) -> tuple[int, str | None]:
    w = state.world
    seg = w.segment_index.get(text, -1)
    if seg < 0:
        return seg, f"there is no segment {text!r} (write it as station-station, e.g. syzran-samara)"
    if not {int(w.seg_a[seg]), int(w.seg_b[seg])} & set(_ends(state, u)) and state.segment[u] != seg:
        return seg, f"{w.unit_names[u]} is not at either end of {w.segment_name(seg)}"
    return seg, None


def _blow(state: GameState, f: int, u: int, o: Any) -> str | None:
    w = state.world
    seg, problem = _segment(state, u, o.segment)
    if problem:
        return problem
    if w.seg_repair_weeks[seg] <= 0:
        return f"there is no bridge or tunnel to blow on {w.segment_name(seg)}"
    if state.damage[seg] > 0:
        return f"{w.segment_name(seg)} is already cut"
    return None


def _repair(state: GameState, f: int, u: int, o: Any) -> str | None:
    seg, problem = _segment(state, u, o.segment)
    if problem:
        return problem
    if state.damage[seg] == 0:
        return f"{state.world.segment_name(seg)} is not damaged"
    return None


def _evacuate(state: GameState, f: int, u: int, o: Any) -> str | None:
    w = state.world
    here = int(state.station[u])
    if here < 0 or not w.has_port[here]:
        return f"{w.unit_names[u]} is not at a port"
    holder = int(state.control[here])
    if holder != f and (holder == NOBODY or state.stance[f, holder] != ALLIED):
        return f"{w.station_names[here]} is not in friendly hands"
    if state.embarking[u]:
        return f"{w.unit_names[u]} is already waiting for ships"
    return None


def _destroy(state: GameState, f: int, u: int, o: Any) -> str | None:
    w = state.world
    k = w.stockpile_index.get(o.stockpile, -1)
    if k < 0:
        return f"there is no stockpile {o.stockpile!r}"
    if w.stockpile_station[k] != state.station[u]:
        return f"{w.stockpile_names[k]} is not where {w.unit_names[u]} stands"
    owner = int(w.stockpile_owner[k])
    if owner != f:
        return f"{w.stockpile_names[k]} belongs to the {w.faction_names[owner]}: only they may destroy it"
    if state.stockpile_tons[k] <= 0:
        return f"{w.stockpile_names[k]} is already gone"
    return None


_UNIT_RULES: dict[type, Callable[[GameState, int, int, Any], str | None]] = {
    Move: _move,
    Entrain: _entrain,
    Detrain: _detrain,
    Attack: _attack,
    Hold: lambda s, f, u, o: None,
    Blow: _blow,
    Repair: _repair,
    Evacuate: _evacuate,
    Destroy: _destroy,
}


def why_illegal(state: GameState, faction: str | int, order: Order) -> str | None:
    """None if `faction` may give `order` now; otherwise the reason, for the player."""
    if state.ended:
        return "the game is over"
    f = _faction(state, faction)
    if f < 0:
        return f"there is no faction {faction!r}"
    if isinstance(order, Answer):
        w = state.world
        k = w.event_index.get(order.event, -1)
        if k < 0 or k not in pending_decisions(state, f):
            return f"no decision of yours is waiting on {order.event!r}"
        options = [o[0] for o in w.events[k].options]
        if order.option not in options:
            return f"{order.option!r} is not an option; choose one of: {', '.join(options)}"
        return None
    if not isinstance(order, UnitOrder):
        return f"{order} is not an order"
    u, problem = _unit_problem(state, f, order.unit)
    if problem:
        return problem
    return _UNIT_RULES[type(order)](state, f, u, order)


def refusals(state: GameState, faction: str | int, orders: Sequence[Order]) -> list[str | None]:
    """`why_illegal` of each order, in order, the moves checked together in one compiled pass."""
    w = state.world
    f = _faction(state, faction)
    out: list[str | None] = []
    moves: list[int] = []
    units: list[int] = []
    goals: list[int] = []
    for k, order in enumerate(orders):
        if isinstance(order, Move) and f >= 0 and not state.ended:
            u = w.unit_index.get(order.unit, -1)
            to = w.station_index.get(order.to, -1)
            if u >= 0 and to >= 0:
                moves.append(k)
                units.append(u)
                goals.append(to)
                out.append(None)
                continue
        out.append(why_illegal(state, faction, order))
    if moves:
        for k, u, to, code in zip(moves, units, goals, move_codes(state, f, units, goals), strict=True):
            out[k] = _move_refusal(state, f, u, to, code)
    return out


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
        candidates: list[Order] = [Hold(name), Entrain(name), Detrain(name), Evacuate(name)]
        ends = _ends(s, u)
        # Reachable stations are legal targets by construction; the rest of the rules are cheap.
        for to in np.flatnonzero(reachable(s, u)).tolist():
            if _contingent_limit(s, u, to, attacking=False) is None:
                yield Move(name, w.station_ids[to])
        near = set(ends)
        for end in ends:
            near.update(other for other, _ in w.adjacency[end])
        for station in sorted(near):
            candidates.append(Attack(name, w.station_ids[station]))
        segs = {seg for end in ends for _, seg in w.adjacency[end]}
        for seg in sorted(segs):
            candidates.extend((Blow(name, w.segment_name(seg)), Repair(name, w.segment_name(seg))))
        for k in np.flatnonzero(w.stockpile_station == s.station[u]).tolist():
            candidates.append(Destroy(name, w.stockpile_ids[k]))
        for order in candidates:
            if _UNIT_RULES[type(order)](s, f, u, order) is None:
                yield order

    def count(self) -> int:
        return sum(1 for _ in self)


def legal_orders(state: GameState, faction: str | int, unit: str | None = None) -> LegalOrders:
    """The legal orders of `faction` (or of one of its units) in `state`."""
    return LegalOrders(state, faction, unit)
