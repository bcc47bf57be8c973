"""The advisor of the first weeks: the next useful things to do, worked out from the game and said in a sentence.

Pure functions of the state, the player's faction and the orders given so far this week; the play screen shows the
first of them in a box over the map (`advisor_box`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from anabasis.engine import Answer, Attack, GameState, Order, UnitOrder, preview_combat
from anabasis.engine.relations import changes_between, not_at_war
from anabasis.engine.shortage import Cause, SupplyCheck, supply_check
from anabasis.engine.state import ACTIVE
from anabasis.engine.world import NEUTRAL, NOBODY, WAR, BoolArray
from anabasis_game.describe import capital, day
from anabasis_game.reach import attack_targets

ADVISOR_WEEKS = 6  # the advisor speaks in the first weeks of a game only
GOOD_ODDS = 0.6  # an attack the advisor points at is likelier won than lost, by a margin


@dataclass(frozen=True)
class Hint:
    """One piece of advice, and the unit to select (or the station to look at) to act on it; -1 for none."""

    text: str
    unit: int = -1
    station: int = -1


@dataclass(frozen=True)
class _Seat:
    """What every rule of thumb looks at: the state, the player's faction, its units on the map, and this week's
    orders so far."""

    state: GameState
    faction: int
    units: list[int]
    orders: Sequence[Order]

    @property
    def ordered(self) -> set[str]:
        return {o.unit for o in self.orders if isinstance(o, UnitOrder)}

    def idle(self) -> list[int]:
        ids = self.state.world.unit_ids
        return [u for u in self.units if ids[u] not in self.ordered]


def advice(state: GameState, faction: int, orders: Sequence[Order]) -> list[Hint]:
    """What to do next, most pressing first, for the first `ADVISOR_WEEKS` weeks of a game (none after)."""
    if state.turn >= ADVISOR_WEEKS or state.ended:
        return []
    units = np.flatnonzero((state.status == ACTIVE) & (state.world.unit_faction == faction)).tolist()
    seat = _Seat(state, faction, units, orders)
    rules: list[Callable[[_Seat], list[Hint]]] = [_decisions, _supply, _attacks, _not_at_war, _unguarded, _idle]
    hints = [hint for rule in rules for hint in rule(seat)]
    return hints or [Hint("Every unit has its orders: press Enter to end the turn.")]


def _decisions(seat: _Seat) -> list[Hint]:
    """Decisions waiting for the player's answer."""
    state, w = seat.state, seat.state.world
    answered = {o.event for o in seat.orders if isinstance(o, Answer)}
    waiting = [
        k
        for k in np.flatnonzero(state.deadline >= 0).tolist()
        if w.events[k].decision_faction == seat.faction and w.events[k].id not in answered
    ]
    return [
        Hint(f"{w.events[k].name}: your answer is waiting. Press D to decide ({_weeks(state, k)} left).")
        for k in waiting
    ]


def _weeks(state: GameState, event: int) -> str:
    n = int(state.deadline[event]) - state.turn
    return f"{n} week{'s' if n != 1 else ''}"


def _supply(seat: _Seat) -> list[Hint]:
    """Units without orders that go short of supply: those standing in the enemy's stations in one hint, the rest in
    groups by where they draw and why, each with the reason and the remedy."""
    state, w = seat.state, seat.state.world
    checks = [c for c in (supply_check(state, u) for u in seat.idle()) if c.short]
    hints = []
    inside = [c for c in checks if c.cause is Cause.ENEMY_STATION]
    if len(inside) > 1:
        stations = sorted({c.draws_on for c in inside}, key=lambda s: -sum(c.draws_on == s for c in inside))
        names = ", ".join(w.station_names[s] for s in stations[:4]) + (", …" if len(stations) > 4 else "")
        weeks = min(float(state.stores[c.unit]) for c in inside)
        first = next(c for c in inside if c.draws_on == stations[0])
        hints.append(
            Hint(
                f"{len(inside)} units stand in stations the enemy holds ({names}): no depot feeds them there, and "
                f"they live on their stores (the emptiest has {weeks:.1f} weeks left). Take those stations: select "
                "a unit there and press A.",
                first.unit,
                first.draws_on,
            )
        )
        checks = [c for c in checks if c.cause is not Cause.ENEMY_STATION]
    groups: dict[tuple[Cause, int, int, int], list[SupplyCheck]] = {}
    for c in checks:
        groups.setdefault((c.cause, c.draws_on, c.station, c.segment), []).append(c)
    for group in sorted(groups.values(), key=lambda g: -len(g)):
        first = group[0]
        where = w.station_names[first.draws_on]
        who = f"{w.unit_names[first.unit]} is" if len(group) == 1 else f"{len(group)} units at {where} are"
        fix = f" {capital(first.remedy)}." if first.remedy else ""
        hints.append(Hint(f"{who} short of supply — {first.reason}.{fix}", first.unit, first.draws_on))
    return hints


def _attacks(seat: _Seat) -> list[Hint]:
    """The likeliest won attack a unit without orders can make now: objectives first, then the station it stands in
    (taking it feeds the unit)."""
    state, w = seat.state, seat.state.world
    targeted = {o.station for o in seat.orders if isinstance(o, Attack)}
    key = _objective_stations(state, seat.faction)
    best: tuple[bool, bool, float, int, int] | None = None
    for u in seat.idle():
        for station in attack_targets(state, u):
            if w.station_ids[station] in targeted:
                continue
            chance = preview_combat(state, [u], station).chance
            option = (bool(key[station]), station == state.station[u], chance, u, station)
            if chance >= GOOD_ODDS and (best is None or option[:3] > best[:3]):
                best = option
    if best is None:
        return []
    *_, chance, u, station = best
    text = (
        f"{w.station_names[station]} is within reach: select {w.unit_names[u]} and press A "
        f"({chance:.0%} chance with it alone; more units raise it)."
    )
    return [Hint(text, u, station)]


def _not_at_war(seat: _Seat) -> list[Hint]:
    """Neighbours the player cannot attack yet because the war with them has not begun, and when it may."""
    state, w = seat.state, seat.state.world
    hints = []
    for other in _neighbours(seat):
        if state.stance[seat.faction, other] != NEUTRAL:
            continue
        coming = [c for c in changes_between(state, seat.faction, other) if c.stance == WAR]
        if not coming:
            continue
        event = w.scenario.events[coming[0].event]
        when = f"; that may change on {day(event.date)} ({event.name})" if event.date is not None else ""
        aim = _aim(seat)
        then = f" Meanwhile, move your units toward {w.station_names[aim]}, one of your objectives." if aim >= 0 else ""
        words = capital(not_at_war(state, seat.faction, other))
        hints.append(Hint(f"{words}, so no attack is possible{when}.{then}"))
    return hints


def _unguarded(seat: _Seat) -> list[Hint]:
    """Objective stations the player holds with none of its units there to keep them."""
    w = seat.state.world
    open_ = np.flatnonzero(_unguarded_stations(seat)).tolist()
    if not open_:
        return []
    names = ", ".join(w.station_names[s] for s in open_[:4]) + (", …" if len(open_) > 4 else "")
    verb = "score" if len(open_) > 1 else "scores"
    text = f"{names} {verb} for you each week, but no unit of yours stands there: a garrison keeps a station."
    return [Hint(text, station=open_[0])]


def _unguarded_stations(seat: _Seat) -> BoolArray:
    state = seat.state
    guarded = np.zeros(state.world.n_stations, dtype=np.bool_)
    guarded[[int(state.station[u]) for u in seat.units if state.station[u] >= 0]] = True
    found: BoolArray = _objective_stations(state, seat.faction) & (state.control == seat.faction) & ~guarded
    return found


def _idle(seat: _Seat) -> list[Hint]:
    """Units still without orders this week."""
    idle = seat.idle()
    if not idle:
        return []
    w = seat.state.world
    aim = _aim(seat)
    toward = f", toward {w.station_names[aim]} say" if aim >= 0 else ""
    many = f"{len(idle)} units have" if len(idle) > 1 else "1 unit has"
    text = (
        f"{many} no orders this week. Tab selects the next ({w.unit_names[idle[0]]}); "
        f"click a station to move it there{toward}, or H to hold and dig in."
    )
    return [Hint(text, idle[0])]


def _neighbours(seat: _Seat) -> list[int]:
    """Factions holding or standing at a station where the player's units are, or next to one."""
    state, w = seat.state, seat.state.world
    near: set[int] = set()
    for u in seat.units:
        here = int(state.station[u]) if state.station[u] >= 0 else int(w.seg_a[state.segment[u]])
        near.update([here, *(other for other, _ in w.adjacency[here])])
    stations = sorted(near)
    there = {int(state.control[s]) for s in stations} | {
        int(w.unit_faction[x]) for s in stations for x in state.units_at(s)
    }
    return sorted(there - {NOBODY, seat.faction})


def _objective_stations(state: GameState, faction: int) -> BoolArray:
    """Stations a `hold` objective of the faction pays for this week."""
    w = state.world
    live = (w.objective_first <= state.turn) & (state.turn <= w.objective_last) & (w.objective_faction == faction)
    key: BoolArray = np.any(w.objective_stations[live], axis=0)
    return key


def _aim(seat: _Seat) -> int:
    """The objective station not yet the player's, or left unguarded, nearest by rail to the first of its idle
    units (-1: none)."""
    state, w = seat.state, seat.state.world
    idle = seat.idle()
    if not idle:
        return -1
    unit = idle[0]
    here = int(state.station[unit]) if state.station[unit] >= 0 else int(w.seg_a[state.segment[unit]])
    wanted = _objective_stations(state, seat.faction) & (state.control != seat.faction)
    km = np.where(wanted | _unguarded_stations(seat), w.distance[here], np.inf)
    km[here] = np.inf
    best = int(np.argmin(km))
    return best if np.isfinite(km[best]) else -1
