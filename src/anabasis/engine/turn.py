"""The weekly turn: `step(state, orders_by_faction, rng) -> (state, report)`.

Orders are checked against the state the factions saw, then carried out in a fixed sequence:
decisions, standing orders, rail movement, battles, supply, shipping, points; then the calendar
moves on a week, unanswered decisions take their default, units arrive and events fire.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from anabasis.engine.combat import resolve_battles
from anabasis.engine.events import answer, arrivals, fire_events, time_out_decisions
from anabasis.engine.jit import kernel
from anabasis.engine.legal import words
from anabasis.engine.movement import move_units
from anabasis.engine.network import standing_answers
from anabasis.engine.orders import Order
from anabasis.engine.passage import (
    ANSWER,
    ATTACK,
    BLOW,
    DESTROY,
    DETRAIN,
    ENTRAIN,
    EVACUATE,
    FACTION,
    HOLD,
    KIND,
    MOVE,
    OK,
    OPTION,
    REPAIR,
    TARGET,
    UNIT,
    encode,
    verdicts,
)
from anabasis.engine.report import Refused, Report
from anabasis.engine.state import ACTIVE, GameState, new_state
from anabasis.engine.victory import decided
from anabasis.engine.week_end import close_week
from anabasis.engine.world import BoolArray, FloatArray, IntArray, World

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


def _accept(state: GameState, orders: Orders, report: Report) -> tuple[IntArray, IntArray]:
    """The orders the rules allow, one per unit and one answer per decision, all factions' in one compiled pass;
    the rest go into the report with their reason. Returns the orders encoded and the rules' verdicts on them."""
    w = state.world
    factions = sorted(orders, key=lambda x: w.faction_index.get(x, len(w.faction_ids)))
    known = [fid for fid in factions if fid in w.faction_index]
    table = encode(w, [(w.faction_index[fid], orders[fid]) for fid in known])
    codes = verdicts(state, table, as_a_turn=True)
    if codes.tolist().count(OK) < len(codes):
        everything = [o for fid in known for o in orders[fid]]
        for k, reason in words(state, table, codes, everything).items():
            report.refused.append(Refused(w.faction_ids[table[k, FACTION]], str(everything[k]), reason))
    for fid in factions[len(known) :]:  # names the scenario does not have sort last
        report.refused.extend(Refused(fid, str(o), f"there is no faction {fid!r}") for o in orders[fid])
    return table, codes


def _carry_out(
    state: GameState, table: IntArray, codes: IntArray, report: Report
) -> tuple[dict[int, list[int]], BoolArray, IntArray]:
    """Apply the orders accepted (their code `OK`) that take effect at once, the answers to decisions first;
    return the attacks to fight, the units kept at work (by an order other than to move or to hold) and the units
    on the map with a destination to travel toward (none of them has another order)."""
    w, s = state.world, state
    kinds = table[:, KIND].tolist()
    if ANSWER in kinds:
        accepted = [code == OK for code in codes.tolist()]
        for k in (k for k, kind in enumerate(kinds) if kind == ANSWER and accepted[k]):
            by = w.faction_ids[table[k, FACTION]]
            answer(s, int(table[k, TARGET]), int(table[k, OPTION]), report, by=by)
    at_work, left, movers = _take_effect(
        table,
        codes,
        s.status,
        s.goal,
        s.embarking,
        s.entrained,
        s.dug_in,
        s.damage,
        s.stockpile_tons,
        w.seg_repair_weeks,
        w.rules.repair_per_week,
    )
    attacks: dict[int, list[int]] = {}
    if ATTACK in kinds:
        for k in (k for k, kind in enumerate(kinds) if kind == ATTACK and codes[k] == OK):
            attacks.setdefault(int(table[k, TARGET]), []).append(int(table[k, UNIT]))
    if BLOW in kinds or REPAIR in kinds or DESTROY in kinds:
        _tell(state, table, left.tolist(), report)
    return attacks, at_work, movers


def _tell(state: GameState, table: IntArray, left: list[int], report: Report) -> None:
    """Note the bridges blown, the track repaired and the stores set on fire, in the order given (`left` by order:
    the weeks of repair left, 0 tons of stores, -1 for nothing to tell)."""
    w = state.world
    track_changed = False
    for k in (k for k, weeks_or_tons in enumerate(left) if weeks_or_tons >= 0):
        kind, u, target = int(table[k, KIND]), int(table[k, UNIT]), int(table[k, TARGET])
        if kind == BLOW:
            report.note("blown", w.segment_name(target), f"{w.unit_ids[u]}: {left[k]} weeks to repair")
        elif kind == REPAIR:
            report.note("repair", w.segment_name(target), f"{left[k]} weeks left")
        else:
            report.note("destroyed", w.stockpile_ids[target], f"by {w.unit_ids[u]}")
        track_changed = track_changed or kind != DESTROY
    if track_changed:  # nothing else here changes who may pass where
        state.touch()


# The kernels below take loose arrays: numba unpacks a NamedTuple's fields at each call several times slower.
@kernel
def _take_effect(  # noqa: PLR0917
    orders: IntArray,
    codes: IntArray,
    status: IntArray,
    goal: IntArray,
    embarking: BoolArray,
    entrained: BoolArray,
    dug_in: BoolArray,
    damage: IntArray,
    stockpile_tons: FloatArray,
    repair_weeks: IntArray,
    repair_per_week: int,
) -> tuple[BoolArray, IntArray, IntArray]:
    """Each accepted order to a unit, in the order given. Returns the units kept at work all week (by an order
    other than to move or to hold); by order, what is left to tell: the weeks of repair of a segment blown or
    repaired, 0 tons of a stockpile set on fire (two units may set the fires; it burns once), -1 for nothing; and
    the units on the map with a destination, in unit order."""
    at_work = np.zeros(goal.shape[0], dtype=np.bool_)
    left = np.full(orders.shape[0], -1, dtype=np.int64)
    for k in range(orders.shape[0]):
        kind, u, target = orders[k, KIND], orders[k, UNIT], orders[k, TARGET]
        if codes[k] != OK or kind >= ANSWER:
            continue
        if kind != MOVE:
            goal[u] = -1
        if kind not in (EVACUATE, HOLD):
            embarking[u] = False
        at_work[u] = kind not in (MOVE, HOLD)
        if kind == MOVE:
            goal[u] = target
        elif kind in (ENTRAIN, DETRAIN):
            entrained[u] = kind == ENTRAIN
            dug_in[u] = False
        elif kind == BLOW:
            damage[target] = repair_weeks[target]
            left[k] = damage[target]
        elif kind == REPAIR:
            damage[target] = max(0, damage[target] - repair_per_week)
            left[k] = damage[target]
        elif kind == EVACUATE:
            embarking[u] = True
        elif kind == DESTROY and stockpile_tons[target] > 0:
            stockpile_tons[target] = 0.0
            left[k] = 0
    movers = np.empty(goal.shape[0], dtype=np.int64)
    n = 0
    for u in range(goal.shape[0]):
        if status[u] == ACTIVE and goal[u] >= 0:
            movers[n] = u
            n += 1
    return at_work, left, movers[:n]


def step(state: GameState, orders: Orders, rng: np.random.Generator) -> tuple[GameState, Report]:
    """Play one week: every faction's orders at once. Returns the new state and what happened."""
    if state.ended:
        raise GameOver("the game is over")
    w = state.world
    report = Report(turn=state.turn, date=state.date.isoformat())
    table, codes = _accept(state, orders, report)
    s = state.copy()
    s.cache.update(standing_answers(state))
    attacks, at_work, movers = _carry_out(s, table, codes, report)
    before = (s.station.copy(), s.segment.copy(), s.progress.copy())
    move_units(s, movers, rng, report, before)
    resolve_battles(s, attacks, rng, report)
    close_week(s, state.casualties, (*before, at_work), report)
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
