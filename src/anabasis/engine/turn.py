"""The weekly turn: `step(state, orders_by_faction, rng) -> (state, report)`.

Orders are checked against the state the factions saw, then carried out in a fixed sequence:
decisions, standing orders, rail movement, battles, supply, shipping, points; then the calendar
moves on a week, unanswered decisions take their default, units arrive and events fire.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from anabasis.engine.checked import checked_in
from anabasis.engine.combat import resolve_battles
from anabasis.engine.evacuation import ship_out
from anabasis.engine.events import answer, arrivals, fire_events, time_out_decisions
from anabasis.engine.legal import refusals
from anabasis.engine.movement import move_units
from anabasis.engine.network import standing_answers
from anabasis.engine.orders import (
    Answer,
    Attack,
    Blow,
    Destroy,
    Detrain,
    Entrain,
    Evacuate,
    Hold,
    Move,
    Order,
    Repair,
    UnitOrder,
)
from anabasis.engine.report import Refused, Report
from anabasis.engine.state import ACTIVE, GameState, new_state
from anabasis.engine.supply import resupply
from anabasis.engine.victory import decided, score_turn
from anabasis.engine.world import World

Orders = Mapping[str, Sequence[Order]]


class GameOver(ValueError):
    """Raised when a turn is played after the game has ended."""


def initial_state(world: World) -> tuple[GameState, Report]:
    """The state at the start of the first turn, with the units in place and the first week's events."""
    state = new_state(world)
    report = Report(turn=0, date=state.date.isoformat())
    arrivals(state, report)
    fire_events(state, report)
    return state, report


def _accept(state: GameState, orders: Orders, report: Report) -> tuple[dict[int, UnitOrder], list[tuple[int, Answer]]]:
    """The orders the rules allow, one per unit; the rest go into the report with their reason."""
    w = state.world
    given: dict[int, UnitOrder] = {}
    answers: list[tuple[int, Answer]] = []
    answered: set[int] = set()
    for fid in sorted(orders, key=lambda x: w.faction_index.get(x, len(w.faction_ids))):
        f = w.faction_index.get(fid, -1)
        given_by = orders[fid]
        if f >= 0 and checked_in(state, given_by):
            reasons: list[str | None] = [None] * len(given_by)
        else:
            reasons = [f"there is no faction {fid!r}"] * len(given_by) if f < 0 else refusals(state, f, given_by)
        for order, refused in zip(given_by, reasons, strict=True):
            reason = refused
            if reason is None and isinstance(order, UnitOrder) and w.unit_index[order.unit] in given:
                reason = f"{w.unit_names[w.unit_index[order.unit]]} already has an order this turn"
            if reason is None and isinstance(order, Answer) and w.event_index[order.event] in answered:
                reason = "that decision is already answered this turn"
            if reason is not None:
                report.refused.append(Refused(fid, str(order), reason))
            elif isinstance(order, Answer):
                answered.add(w.event_index[order.event])
                answers.append((f, order))
            elif isinstance(order, UnitOrder):
                given[w.unit_index[order.unit]] = order
    return given, answers


def _carry_out(state: GameState, given: dict[int, UnitOrder], report: Report) -> tuple[dict[int, list[int]], set[int]]:
    """Apply the orders that take effect at once; return the attacks to fight and the units kept busy."""
    w = state.world
    attacks: dict[int, list[int]] = {}
    busy: set[int] = set()
    track_changed = False
    for u, order in given.items():
        if not isinstance(order, Move):
            state.goal[u] = -1
            busy.add(u)
        if not isinstance(order, Evacuate | Hold):
            state.embarking[u] = False
        if isinstance(order, Move):
            state.goal[u] = w.station_index[order.to]
        elif isinstance(order, Entrain | Detrain):
            state.entrained[u] = isinstance(order, Entrain)
            state.dug_in[u] = False
        elif isinstance(order, Attack):
            attacks.setdefault(w.station_index[order.station], []).append(u)
        elif isinstance(order, Blow):
            seg = w.segment_index[order.segment]
            state.damage[seg] = int(w.seg_repair_weeks[seg])
            track_changed = True
            report.note("blown", w.segment_name(seg), f"{w.unit_ids[u]}: {int(state.damage[seg])} weeks to repair")
        elif isinstance(order, Repair):
            seg = w.segment_index[order.segment]
            state.damage[seg] = max(0, int(state.damage[seg]) - w.rules.repair_per_week)
            track_changed = True
            report.note("repair", w.segment_name(seg), f"{int(state.damage[seg])} weeks left")
        elif isinstance(order, Evacuate):
            state.embarking[u] = True
        elif isinstance(order, Destroy):
            k = w.stockpile_index[order.stockpile]
            if state.stockpile_tons[k] > 0:  # two units may set the fires; it burns once
                state.stockpile_tons[k] = 0.0
                report.note("destroyed", order.stockpile, f"by {w.unit_ids[u]}")
    if track_changed:  # nothing else here changes who may pass where
        state.touch()
    return attacks, busy


def step(state: GameState, orders: Orders, rng: np.random.Generator) -> tuple[GameState, Report]:
    """Play one week: every faction's orders at once. Returns the new state and what happened."""
    if state.ended:
        raise GameOver("the game is over")
    w = state.world
    report = Report(turn=state.turn, date=state.date.isoformat())
    given, answers = _accept(state, orders, report)
    s = state.copy()
    s.cache.update(standing_answers(state))
    for f, order in answers:
        k = w.event_index[order.event]
        answer(s, k, [o[0] for o in w.events[k].options].index(order.option), report, by=w.faction_ids[f])
    attacks, busy = _carry_out(s, given, report)
    movers = np.flatnonzero((s.status == ACTIVE) & (s.goal >= 0)).tolist()
    where_before = (s.station.copy(), s.segment.copy(), s.progress.copy())
    move_units(s, [u for u in movers if u not in busy], rng, report)
    resolve_battles(s, attacks, rng, report)
    # Men who stood still at a station all week, neither moving nor fighting, have dug in.
    still = (s.station == where_before[0]) & (s.segment == where_before[1]) & (s.progress == where_before[2])
    still &= (s.status == ACTIVE) & (s.station >= 0)
    still[list(busy - {u for u, o in given.items() if isinstance(o, Hold)})] = False
    s.dug_in = still & (s.goal < 0)
    resupply(s, report)
    evacuated_before = s.evacuated.copy()
    ship_out(s, report)
    score_turn(s, state.casualties, evacuated_before)
    s.turn += 1
    if s.turn >= w.turns:
        s.ended = True
    else:
        time_out_decisions(s, report)
        arrivals(s, report)
        fire_events(s, report)
        s.ended = decided(s)
    s.touch()
    return s, report
