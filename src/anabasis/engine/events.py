"""Historical events: when they fire, what they change, and decisions waiting for an answer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from anabasis.engine.network import hostile_stations
from anabasis.engine.report import Report
from anabasis.engine.state import ACTIVE, CANCELLED, DEPARTED, DESTROYED, RESERVE, WAITING, GameState
from anabasis.engine.world import ALLIED, NOBODY, STANCES, WAR, BoolArray
from anabasis.scenario.models import (
    After,
    AnyEffect,
    AnyOf,
    Arms,
    Cede,
    Chosen,
    Cohesion,
    Condition,
    Controls,
    Damage,
    Evacuated,
    Fired,
    MenAtMost,
    Not,
    Reinforce,
    SetControl,
    SetLimits,
    SetStance,
    Shipping,
    SupplyFactor,
    VictoryPoints,
    Withdraw,
)

# --- conditions ------------------------------------------------------------------------------------


def holds(state: GameState, cond: Condition) -> bool:
    """Whether a condition holds in `state`."""
    return bool(_CONDITIONS[type(cond)](state, cond))


def _controls(s: GameState, c: Any) -> bool:
    w = s.world
    return bool(s.control[w.station_index[c.station]] == w.faction_index[c.faction])


def _fired(s: GameState, c: Any) -> bool:
    return bool(s.fired[s.world.event_index[c.event]])


def _chosen(s: GameState, c: Any) -> bool:
    w = s.world
    k = w.event_index[c.event]
    options = [o[0] for o in w.events[k].options]
    return bool(s.chosen[k] >= 0 and options[int(s.chosen[k])] == c.option)


def _men_at_most(s: GameState, c: Any) -> bool:
    return bool(s.men_on_map()[s.world.faction_index[c.faction]] <= c.men)


def _evacuated(s: GameState, c: Any) -> bool:
    return bool(s.evacuated[s.world.faction_index[c.faction]] >= c.men)


_CONDITIONS: dict[type, Callable[[GameState, Any], bool]] = {
    Controls: _controls,
    Fired: _fired,
    Chosen: _chosen,
    After: lambda s, c: s.date >= c.date,
    MenAtMost: _men_at_most,
    Evacuated: _evacuated,
    AnyOf: lambda s, c: any(holds(s, x) for x in c.of),
    Not: lambda s, c: not holds(s, c.condition),
}

# --- effects ---------------------------------------------------------------------------------------


def apply_effect(state: GameState, effect: AnyEffect, report: Report) -> None:
    """Apply one effect of an event or a decision to `state`."""
    _EFFECTS[type(effect)](state, effect, report)
    state.touch()


def _stance(s: GameState, e: Any, report: Report) -> None:
    w = s.world
    a, b = (w.faction_index[x] for x in e.factions)
    s.stance[a, b] = s.stance[b, a] = STANCES.index(e.stance)
    report.note("stance", f"{e.factions[0]}-{e.factions[1]}", e.stance)


def _control(s: GameState, e: Any, report: Report) -> None:
    w = s.world
    s.control[w.station_index[e.station]] = w.faction_index[e.faction]
    report.note("control", e.station, e.faction)


def place(state: GameState, unit: int, station: int | None = None) -> None:
    """Put a unit on the map at its station (or `station`), counting its men as arrived."""
    w = state.world
    state.status[unit] = ACTIVE
    state.station[unit] = w.unit_station0[unit] if station is None else station
    state.segment[unit] = -1
    state.arrived[w.unit_faction[unit]] += int(state.men[unit])


def _reinforce(s: GameState, e: Any, report: Report) -> None:
    w = s.world
    for name in e.units:
        u = w.unit_index[name]
        if s.status[u] == RESERVE:
            place(s, u)
            report.note("arrival", name, w.station_ids[int(s.station[u])])


def _withdraw(s: GameState, e: Any, report: Report) -> None:
    w = s.world
    f = w.faction_index[e.faction]
    chosen = np.zeros(w.n_units, dtype=np.bool_)
    if e.contingent is not None:
        chosen |= w.unit_contingent == w.contingent_index[(e.faction, e.contingent)]
    for name in e.units:
        chosen[w.unit_index[name]] = True
    for u in np.flatnonzero(chosen).tolist():
        if s.status[u] == ACTIVE:
            s.departed[f] += int(s.men[u])
            s.status[u] = DEPARTED
            report.note("departure", w.unit_ids[u], f"{int(s.men[u])} men")
        elif s.status[u] in (WAITING, RESERVE):
            s.status[u] = CANCELLED
        else:
            continue
        s.station[u] = s.segment[u] = s.goal[u] = -1


def _limits(s: GameState, e: Any, report: Report) -> None:
    w = s.world
    c = w.contingent_index[(e.faction, e.contingent)]
    s.no_attack[c] = False
    for other in e.limits.no_attack:
        s.no_attack[c, w.faction_index[other]] = True
    s.region[c] = w.region_ids.index(e.limits.region) if e.limits.region else -1
    report.note("limits", e.contingent, "changed")


def _shipping(s: GameState, e: Any, report: Report) -> None:
    s.port_men[s.world.station_index[e.station]] = e.men_per_week
    report.note("shipping", e.station, f"{e.men_per_week} men a week")


def _points(s: GameState, e: Any, report: Report) -> None:
    s.bonus_points[s.world.faction_index[e.faction]] += e.points
    report.note("points", e.faction, f"{e.points:+g}")


def _cohesion(s: GameState, e: Any, report: Report) -> None:
    w = s.world
    chosen = w.unit_faction == w.faction_index[e.faction]
    if e.contingent is not None:
        chosen &= w.unit_contingent == w.contingent_index[(e.faction, e.contingent)]
    s.cohesion_cap[chosen] = np.clip(s.cohesion_cap[chosen] + e.delta, 0.1, 1.0)
    s.cohesion[chosen] = np.clip(s.cohesion[chosen] + e.delta, 0.0, s.cohesion_cap[chosen])
    report.note("cohesion", e.contingent or e.faction, f"{e.delta:+g}")


def _supply(s: GameState, e: Any, report: Report) -> None:
    f = s.world.faction_index[e.faction]
    s.supply_factor[f] *= e.factor
    report.note("supply", e.faction, f"x{e.factor:g}")


def _arms(s: GameState, e: Any, report: Report) -> None:
    w = s.world
    chosen = w.unit_faction == w.faction_index[e.faction]
    if e.contingent is not None:
        chosen &= w.unit_contingent == w.contingent_index[(e.faction, e.contingent)]
    s.arms[chosen] = e.arms
    report.note("arms", e.contingent or e.faction, f"{e.arms:g}")


def _cede(s: GameState, e: Any, report: Report) -> None:
    w = s.world
    giver, taker = w.faction_index[e.faction], w.faction_index[e.to]
    chosen = s.control == giver
    if e.stations:
        listed = np.zeros(w.n_stations, dtype=np.bool_)
        listed[[w.station_index[x] for x in e.stations]] = True
        chosen &= listed
    s.control[chosen] = taker
    for k in np.flatnonzero(chosen).tolist():
        report.note("control", w.station_ids[k], e.to)


def _damage(s: GameState, e: Any, report: Report) -> None:
    seg = s.world.segment_index[f"{e.segment[0]}-{e.segment[1]}"]
    s.damage[seg] = max(int(s.damage[seg]), e.weeks)
    report.note("damage", f"{e.segment[0]}-{e.segment[1]}", f"{e.weeks} weeks")


_EFFECTS: dict[type, Callable[[GameState, Any, Report], None]] = {
    SetStance: _stance,
    SetControl: _control,
    Reinforce: _reinforce,
    Withdraw: _withdraw,
    SetLimits: _limits,
    Shipping: _shipping,
    VictoryPoints: _points,
    Cohesion: _cohesion,
    SupplyFactor: _supply,
    Arms: _arms,
    Cede: _cede,
    Damage: _damage,
}

# --- firing and deciding ------------------------------------------------------------------------------


def fire_events(state: GameState, report: Report) -> None:
    """Fire the events due this turn: dated ones in their week, conditional ones once their conditions hold, and
    then those that the events just fired set off (the Whites ride into a town the Reds have just given up), so
    that a game started from this week's state would fire no more of them."""
    w = state.world
    t = state.turn
    due = [k for k in w.events_by_turn.get(t, []) if not state.fired[k]]
    window = w.event_window
    while True:
        open_now = (window[:, 0] <= t) & (t <= window[:, 1]) & ~state.fired
        for k in np.flatnonzero(open_now).tolist():
            if all(holds(state, c) for c in w.events[k].when):
                due.append(k)
        if not due:
            return
        for k in sorted(set(due)):
            e = w.events[k]
            state.fired[k] = True
            report.events.append(e.id)
            report.note("event", e.id, e.name)
            apply_effects(state, e.effects, report)
            if e.options:
                state.deadline[k] = state.turn + e.weeks
        due = []


def apply_effects(state: GameState, effects: Sequence[AnyEffect], report: Report) -> None:
    """Apply an event's or an answer's effects in order; then settle the stations they handed over."""
    holders = state.control.copy()
    for effect in effects:
        apply_effect(state, effect, report)
    changed = np.flatnonzero(state.control != holders).tolist()
    if changed:
        settle_handed_over(state, changed, report)


def settle_handed_over(state: GameState, stations: list[int], report: Report) -> None:
    """Troops left standing in a station handed to their enemy by an event leave it, without a battle, for the
    nearest station by rail that their side holds and no enemy occupies; with none left anywhere, they are
    taken. A port handed over by a landing is the landing force's: no enemy garrison stays on inside it."""
    w = state.world
    state.touch()  # the handover changed who holds what, and perhaps who is at war
    for k in stations:
        holder = int(state.control[k])
        if holder == NOBODY:
            continue
        there = np.flatnonzero((state.status == ACTIVE) & (state.station == k)).tolist()
        for u in there:
            f = int(w.unit_faction[u])
            if state.stance[f, holder] != WAR:
                continue
            to = nearest_friendly_station(state, f, k)
            if to < 0:
                state.casualties[f] += int(state.men[u])
                state.men[u] = 0
                state.status[u] = DESTROYED
                state.station[u] = -1
                report.note("captured", w.unit_ids[u], w.station_ids[k])
                continue
            state.station[u], state.segment[u], state.goal[u] = to, -1, -1
            state.dug_in[u] = False
            report.note("withdrawal", w.unit_ids[u], f"{w.station_ids[k]} to {w.station_ids[to]}")
    state.touch()


def nearest_friendly_station(state: GameState, faction: int, station: int, within: BoolArray | None = None) -> int:
    """The station nearest `station` by rail that the faction or an ally holds and no enemy occupies, among
    `within` if given (ties to the first listed); -1 if there is none."""
    w = state.world
    held = state.control >= 0
    friendly = np.zeros(w.n_stations, dtype=np.bool_)
    friendly[held] = state.stance[faction, state.control[held]] == ALLIED
    friendly &= ~hostile_stations(state, faction)
    if within is not None:
        friendly &= within
    distance = np.where(friendly, w.distance[station], np.inf)
    best = int(np.argmin(distance))
    return best if np.isfinite(distance[best]) else -1


def answer(state: GameState, event: int, option: int, report: Report, by: str) -> None:
    """Take `option` of a pending decision and apply what follows from it."""
    w = state.world
    e = w.events[event]
    state.chosen[event] = option
    state.deadline[event] = -1
    oid, _label, effects = e.options[option]
    report.note("decision", e.id, f"{oid} ({by})")
    apply_effects(state, effects, report)


def time_out_decisions(state: GameState, report: Report) -> None:
    """Decisions left unanswered past their time take their default (history's choice, or doing without)."""
    for k in np.flatnonzero((state.deadline >= 0) & (state.deadline <= state.turn)).tolist():
        answer(state, k, state.world.events[k].default_option, report, by="default")


def pending_decisions(state: GameState, faction: int) -> list[int]:
    """Events whose decision waits for `faction`'s answer."""
    w = state.world
    return [k for k in np.flatnonzero(state.deadline >= 0).tolist() if w.events[k].decision_faction == faction]


def arrival_station(state: GameState, unit: int) -> int:
    """Where a unit due now comes in: its own station, unless its enemies hold it; then the nearest station by
    rail that its faction or an ally holds and no enemy occupies, inside its contingent's region if it must keep
    to one (ties to the first listed); -1 if none, and it waits. Enemy troops standing in a station its own
    side holds do not stop it: they will have to be fought."""
    w = state.world
    f = int(w.unit_faction[unit])
    home = int(w.unit_station0[unit])
    holder = int(state.control[home])
    if holder == NOBODY or state.stance[f, holder] != WAR or w.unit_starts[unit]:
        return home
    c = int(w.unit_contingent[unit])
    region = int(state.region[c]) if c >= 0 else -1
    return nearest_friendly_station(state, f, home, w.region_mask[region] if region >= 0 else None)


def arrivals(state: GameState, report: Report) -> None:
    """Units due by this turn arrive where their station is not held by an enemy."""
    w = state.world
    due = np.flatnonzero((state.status == WAITING) & (w.unit_arrival <= state.turn)).tolist()
    arrived = False
    for u in due:
        station = arrival_station(state, u)
        if station < 0:
            continue
        place(state, u, station)
        arrived = True
        if state.turn > 0 or w.unit_arrival[u] > 0:
            home = int(w.unit_station0[u])
            diverted = "" if station == home else f" (instead of {w.station_ids[home]}, held by the enemy)"
            report.note("arrival", w.unit_ids[u], w.station_ids[station] + diverted)
    if arrived:
        state.touch()
