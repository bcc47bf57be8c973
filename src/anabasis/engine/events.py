"""Historical events: when they fire, what they change, and decisions waiting for an answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from anabasis.engine.jit import kernel
from anabasis.engine.network import hostility
from anabasis.engine.report import Report
from anabasis.engine.state import ACTIVE, CANCELLED, DEPARTED, DESTROYED, RESERVE, WAITING, GameState
from anabasis.engine.world import ALLIED, MEMO_SIZE, NOBODY, STANCES, WAR, BoolArray, FloatArray, IntArray, World
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
# A condition is compiled once per world into postfix steps (an operation and two operands), run by one kernel:
# a test of the state pushes its answer, `any`, `all` and `not` take theirs off the stack.

CONTROLS, FIRED, CHOSEN, AFTER, MEN_AT_MOST, EVACUATED, ANY, ALL, NOT = range(9)

# A step: the operation, and its operands (a station and a faction, an event and an option, a turn, a faction and
# men, or how many answers `any` and `all` take).
Step = tuple[int, int, int]

# What conditions ask of a state, for the kernel: control, fired, chosen, evacuated, and the units' status, men
# and faction. A plain tuple: numba takes one faster than a NamedTuple.
Facts = tuple[IntArray, BoolArray, IntArray, IntArray, IntArray, IntArray, IntArray]


def facts(state: GameState) -> Facts:
    """The `Facts` of a state."""
    s = state
    return (s.control, s.fired, s.chosen, s.evacuated, s.status, s.men, s.world.unit_faction)


def steps(world: World, cond: Condition) -> list[Step]:
    """A condition as postfix steps over the world's indices."""
    return _STEPS[type(cond)](world, cond)


def _chosen(w: World, c: Any) -> list[Step]:
    # A decision's answer is kept as the index of the first option of its id, so the ids match as indices do;
    # an option the decision lacks is never chosen.
    k = w.event_index[c.event]
    options = [o[0] for o in w.events[k].options]
    return [(CHOSEN, k, options.index(c.option) if c.option in options else -2)]


def _first_turn_on(w: World, day: dt.date) -> int:
    """The first turn whose first day is on or after `day`."""
    return -((w.start - day).days // w.turn_days)


_STEPS: dict[type, Callable[[World, Any], list[Step]]] = {
    Controls: lambda w, c: [(CONTROLS, w.station_index[c.station], w.faction_index[c.faction])],
    Fired: lambda w, c: [(FIRED, w.event_index[c.event], 0)],
    Chosen: _chosen,
    After: lambda w, c: [(AFTER, _first_turn_on(w, c.date), 0)],
    MenAtMost: lambda w, c: [(MEN_AT_MOST, w.faction_index[c.faction], c.men)],
    Evacuated: lambda w, c: [(EVACUATED, w.faction_index[c.faction], c.men)],
    AnyOf: lambda w, c: [*(x for sub in c.of for x in steps(w, sub)), (ANY, len(c.of), 0)],
    Not: lambda w, c: [*steps(w, c.condition), (NOT, 0, 0)],
}


def program(world: World, conditions: Sequence[Sequence[Condition]]) -> tuple[IntArray, IntArray]:
    """Lists of conditions, each to hold all at once, as one table of steps (step x operation and operands), and
    where each list's steps begin (one more at the end)."""
    out: list[Step] = []
    first = [0]
    for conds in conditions:
        out += [x for cond in conds for x in steps(world, cond)]
        out.append((ALL, len(conds), 0))
        first.append(len(out))
    return np.array(out, dtype=np.int64).reshape(-1, 3), np.array(first, dtype=np.int64)


@kernel
def _holds(program: IntArray, first: int, end: int, turn: int, facts: Facts) -> bool:
    """Whether the condition of steps `first:end` of `program` holds."""
    control, fired, chosen, evacuated, status, men, faction = facts
    stack = np.empty(end - first, dtype=np.bool_)
    top = 0
    for i in range(first, end):
        op, a, b = program[i, 0], program[i, 1], program[i, 2]
        if op in (ALL, ANY):
            top -= a
            value = op == ALL
            for j in range(top, top + a):
                value = (value and stack[j]) if op == ALL else (value or stack[j])
        elif op == NOT:
            top -= 1
            value = not stack[top]
        elif op == CONTROLS:
            value = control[a] == b
        elif op == FIRED:
            value = fired[a]
        elif op == CHOSEN:
            value = chosen[a] == b
        elif op == AFTER:
            value = turn >= a
        elif op == MEN_AT_MOST:
            on_map = 0
            for u in range(status.shape[0]):
                if status[u] == ACTIVE and faction[u] == a:
                    on_map += men[u]
            value = on_map <= b
        else:
            value = evacuated[a] >= b
        stack[top] = value
        top += 1
    return bool(stack[0])


@kernel
def _holding(program: IntArray, first: IntArray, turn: int, facts: Facts, out: BoolArray) -> None:
    """Whether each list of conditions of a program holds, into `out` (an array numba returns costs more)."""
    for k in range(out.shape[0]):
        out[k] = _holds(program, first[k], first[k + 1], turn, facts)


class Asked(NamedTuple):
    """The conditions `holds` was asked about in a world (by id, kept alive so no id is reused), compiled."""

    conditions: list[Condition]
    by_id: dict[int, int]
    program: IntArray
    first: IntArray


def _ask(world: World, cond: Condition) -> tuple[Asked, int]:
    """The world's `Asked` with `cond` among them (a new one when `cond` is new; afresh past `MEMO_SIZE`, so
    conditions made anew for each question use bounded memory), and its place."""
    asked = world.cache.get("conditions asked")
    if not isinstance(asked, Asked) or id(cond) not in asked.by_id:
        known = asked.conditions if isinstance(asked, Asked) and len(asked.conditions) < MEMO_SIZE else []
        conditions = [*known, cond]
        by_id = {id(c): k for k, c in enumerate(conditions)}
        asked = world.cache["conditions asked"] = Asked(conditions, by_id, *program(world, [[c] for c in conditions]))
    return asked, asked.by_id[id(cond)]


def holds(state: GameState, cond: Condition) -> bool:
    """Whether a condition holds in `state`. Each condition asked about is compiled once per world; the first
    question about a state answers them all, kept in its cache (until its arrays change) with the `Asked` they
    answer."""
    asked, k = _ask(state.world, cond)
    hit = state.cache.get("held")
    if not (isinstance(hit, tuple) and hit[0] is asked):
        answers = np.empty(len(asked.conditions), dtype=np.bool_)
        _holding(asked.program, asked.first, state.turn, facts(state), answers)
        hit = state.cache["held"] = (asked, answers.tolist())
    return bool(hit[1][k])


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
    c = w.contingent_index[(e.faction, e.contingent)] if e.contingent is not None else -1
    listed = np.zeros(w.n_units, dtype=np.bool_)
    listed[[w.unit_index[name] for name in e.units]] = True
    gone = np.empty(w.n_units, dtype=np.int64)
    count = _withdraw_units((s.status, s.station, s.segment, s.goal), (w.unit_contingent, c, listed), gone)
    for u in gone[:count].tolist():
        s.departed[w.faction_index[e.faction]] += int(s.men[u])
        report.note("departure", w.unit_ids[u], f"{int(s.men[u])} men")


@kernel
def _withdraw_units(
    units: tuple[IntArray, IntArray, IntArray, IntArray], chosen: tuple[IntArray, int, BoolArray], gone: IntArray
) -> int:
    """Take off the map, in unit order, the units of a contingent (unless -1) and those listed (`chosen`: by
    unit its contingent, the contingent, by unit whether listed): those on the map depart, into `gone` (returns
    how many), those still to come are cancelled."""
    status, station, segment, goal = units
    contingent, c, listed = chosen
    count = 0
    for u in range(status.shape[0]):
        if not (listed[u] or (c >= 0 and contingent[u] == c)):
            continue
        if status[u] == ACTIVE:
            status[u] = DEPARTED
            gone[count] = u
            count += 1
        elif status[u] in (WAITING, RESERVE):
            status[u] = CANCELLED
        else:
            continue
        station[u] = segment[u] = goal[u] = -1
    return count


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
    c = w.contingent_index[(e.faction, e.contingent)] if e.contingent is not None else -1
    _cohere((w.unit_faction, w.unit_contingent), (w.faction_index[e.faction], c), e.delta, (s.cohesion, s.cohesion_cap))
    report.note("cohesion", e.contingent or e.faction, f"{e.delta:+g}")


@kernel
def _cohere(
    units: tuple[IntArray, IntArray], chosen: tuple[int, int], delta: float, cohesion: tuple[FloatArray, FloatArray]
) -> None:
    """Change by `delta` the cohesion, and what it may recover to, of the units of the `chosen` faction (and
    contingent, unless -1): the cap stays between a tenth and one, cohesion between none and the cap."""
    faction, contingent = units
    level, cap = cohesion
    for u in range(faction.shape[0]):
        if faction[u] == chosen[0] and (chosen[1] < 0 or contingent[u] == chosen[1]):
            cap[u] = min(max(cap[u] + delta, 0.1), 1.0)  # as numpy clips, to keep every bit
            level[u] = min(max(level[u] + delta, 0.0), cap[u])


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


# The events for the kernels: by event the turn it is due if dated without conditions (-1 if not), the first and
# last turn it may fire in on its conditions, and the faction its decision waits for (-1 if none); its
# conditions' steps; and where each event's steps begin.
Calendar = tuple[IntArray, IntArray, IntArray]


def calendar(world: World) -> Calendar:
    """The world's `Calendar`, compiled once and kept in `world.cache`."""
    hit = world.cache.get("calendar")
    if isinstance(hit, tuple):
        return hit
    dated = np.full(len(world.events), -1, dtype=np.int64)
    for turn, due in world.events_by_turn.items():
        dated[due] = turn
    deciders = np.array([e.decision_faction for e in world.events], dtype=np.int64)
    code, first = program(world, [e.when for e in world.events])
    out = (np.column_stack([dated, world.event_window, deciders]), code, first)
    world.cache["calendar"] = out
    return out


@kernel
def _due(calendar: Calendar, turn: int, facts: Facts, due: IntArray) -> int:
    """The events to fire now, in order, into `due`, and how many: those not fired yet that are dated this turn,
    or are open this turn and whose conditions all hold."""
    turns, program, first = calendar
    fired = facts[1]
    count = 0
    for k in range(fired.shape[0]):
        if not fired[k] and (
            turns[k, 0] == turn
            or (turns[k, 1] <= turn <= turns[k, 2] and _holds(program, first[k], first[k + 1], turn, facts))
        ):
            due[count] = k
            count += 1
    return count


def fire_events(state: GameState, report: Report) -> None:
    """Fire the events due this turn: dated ones in their week, conditional ones once their conditions hold, and
    then those that the events just fired set off (the Whites ride into a town the Reds have just given up), so
    that a game started from this week's state would fire no more of them."""
    w = state.world
    events = calendar(w)
    due = np.empty(len(w.events), dtype=np.int64)
    while True:
        count = _due(events, state.turn, facts(state), due)
        if count == 0:
            return
        for k in due[:count].tolist():
            e = w.events[k]
            state.fired[k] = True
            report.events.append(e.id)
            report.note("event", e.id, e.name)
            apply_effects(state, e.effects, report)
            if e.options:
                state.deadline[k] = state.turn + e.weeks


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
    sides = (state.control, state.stance, hostility(state))
    allowed = within if within is not None else np.ones(w.n_stations, dtype=np.bool_)
    return int(_nearest_friendly(sides, w.distance[station], allowed, faction))


@kernel
def _nearest_friendly(
    sides: tuple[IntArray, IntArray, BoolArray], distance: FloatArray, within: BoolArray, faction: int
) -> int:
    """`nearest_friendly_station`, by the `distance` of each station (`sides`: control, stances, `hostility`)."""
    control, stance, hostile = sides
    best, nearest = -1, np.inf
    for s in range(control.shape[0]):
        friendly = control[s] >= 0 and stance[faction, control[s]] == ALLIED and not hostile[faction, s]
        if friendly and within[s] and distance[s] < nearest:
            best, nearest = s, distance[s]
    return best


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
    due = np.empty(len(state.deadline), dtype=np.int64)
    for k in due[: _timed_out(state.deadline, state.turn, due)].tolist():
        answer(state, k, state.world.events[k].default_option, report, by="default")


@kernel
def _timed_out(deadline: IntArray, turn: int, due: IntArray) -> int:
    """The pending decisions whose deadline is this turn or past, into `due`, and how many."""
    count = 0
    for k in range(deadline.shape[0]):
        if 0 <= deadline[k] <= turn:
            due[count] = k
            count += 1
    return count


def pending_decisions(state: GameState, faction: int) -> list[int]:
    """Events whose decision waits for `faction`'s answer."""
    due = np.empty(len(state.deadline), dtype=np.int64)
    pending: list[int] = due[: _pending(calendar(state.world)[0], state.deadline, faction, due)].tolist()
    return pending


@kernel
def _pending(events: IntArray, deadline: IntArray, faction: int, due: IntArray) -> int:
    """The events whose decision waits for `faction` (by `Calendar`'s table of events), into `due`; how many."""
    count = 0
    for k in range(deadline.shape[0]):
        if deadline[k] >= 0 and events[k, 3] == faction:
            due[count] = k
            count += 1
    return count


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
    arrived = False
    due = np.empty(w.n_units, dtype=np.int64)
    for u in due[: _due_units(state.status, w.unit_arrival, state.turn, due)].tolist():
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


@kernel
def _due_units(status: IntArray, arrival: IntArray, turn: int, due: IntArray) -> int:
    """The units waiting to arrive whose turn has come, into `due`, and how many."""
    count = 0
    for u in range(status.shape[0]):
        if status[u] == WAITING and arrival[u] <= turn:
            due[count] = u
            count += 1
    return count
