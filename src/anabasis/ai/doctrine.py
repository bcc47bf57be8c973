"""A faction's intent for the week, made from its doctrine in the scenario, and its answers to decisions.

Every faction is commanded the same way: its objectives value the stations, its doctrine's numbers for this
week (`playbook.Bearing`) say how boldly it fights, where it may attack, what line it fights along and when it
falls back or makes for the ships. A faction the scenario gives no doctrine fights for its objectives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from anabasis.ai.analysis import around, path, weighted, where
from anabasis.ai.intent import Intent, Skill, aims, base_values, blood, hold_values
from anabasis.ai.playbook import Bearing, Playbook, decide, playbook
from anabasis.ai.ports import make_for_the_ships
from anabasis.engine.events import pending_decisions
from anabasis.engine.orders import Answer
from anabasis.engine.state import ACTIVE, GameState
from anabasis.engine.victory import STOCKPILE
from anabasis.engine.world import WAR, BoolArray, FloatArray, World
from anabasis.scenario.models import SetLimits, SetStance

FORESIGHT = 2  # weeks ahead a commander plans for a war it knows is coming


def intent(
    state: GameState,
    faction: int,
    skill: Skill,
    choices: Mapping[str, str] | None = None,
    since: dict[str, int] | None = None,
) -> Intent:
    """The faction's aims this week under its doctrine; `choices` are its answers to decisions (the likeliest
    of each when not given), `since` its memory of when each phase began (see `Playbook.bearing`)."""
    book = playbook(state.world, faction)
    bearing = book.bearing(state, since, skill.reaction)
    chosen = decide(book.choices) if choices is None else choices
    return intent_under(state, faction, skill, book=book, bearing=bearing, choices=chosen)


def intent_under(
    state: GameState, faction: int, skill: Skill, *, book: Playbook, bearing: Bearing, choices: Mapping[str, str]
) -> Intent:
    """The aims that `bearing` gives the faction this week."""
    w = state.world
    foes = expected_foes(state, faction, choices)
    value = base_values(state, faction, foes)
    hold = bearing.hold
    if bearing.stores_hold is not None:
        stores = stores_value(w, faction, state.turn)
        value = value + stores
        hold = bearing.stores_hold if stores.any() else hold
    may_attack = np.ones(w.n_stations, dtype=np.bool_)
    if bearing.line >= 0:
        line = line_of_advance(w, faction, bearing.line)
        value += bearing.line_value * line
        may_attack = around(w, line | (aims(state, faction, foes) > 0))
    if bearing.reach_km < np.inf and book.base >= 0:
        may_attack &= w.distance[book.base] <= bearing.reach_km
    for region in bearing.hold_fire_in:
        may_attack &= ~w.region_mask[region]
    out = Intent(
        value=value,
        foes=foes,
        blood=blood(state, faction, foes),
        chance=max(skill.chance, bearing.attack_chance),
        may_attack=may_attack,
        hold=bearing.stores_hold
        if bearing.stores_hold is not None and stores is not None and stores.any()
        else bearing.hold,
        fall_back=bearing.fall_back,
        rear=book.rear,
        unbound=book.unbound if book.unbound.any() else None,
    )
    if bearing.stand:
        out.stay = w.unit_starts & (w.unit_faction == faction)
        out.fall_back = float("inf")
        out.concentrate = False
    if bearing.withdraw_to_rear:
        withdraw_to_rear(state, faction, out)
    if bearing.embark:
        make_for_the_ships(state, faction, skill, out)
    return out


def stores_value(world: World, faction: int, turn: int) -> FloatArray:
    """Per station: points a week the faction scores for keeping the stockpiles there (remembered per turn; the
    answer is shared, so not to be changed)."""

    def points() -> FloatArray:
        live = (
            (world.objective_kind == STOCKPILE)
            & (world.objective_faction == faction)
            & (world.objective_first <= turn)
            & (world.objective_last >= turn)
        )
        per_stockpile = world.objective_points[live] @ world.objective_stockpiles[live].astype(np.float64)
        return weighted(world.stockpile_station, per_stockpile, world.n_stations)

    return world.memo("ai.stores", (faction, turn), points)


def line_of_advance(world: World, faction: int, goal: int) -> BoolArray:
    """Stations on the railway from where the faction's units stood at the start to `goal` (shared; not to be
    changed)."""

    def line() -> BoolArray:
        out = np.zeros(world.n_stations, dtype=np.bool_)
        for start in sorted(set(world.unit_station0[world.unit_faction == faction].tolist())):
            out[path(world, start, goal)] = True
        return out

    return world.memo("ai.line", (faction, goal), line)


def withdraw_to_rear(state: GameState, faction: int, intent: Intent) -> None:
    """Guard the railway from the farthest station the faction's objectives pay for back to its rear, and give
    up everything beyond: the units out there are called back to that westmost guarded station.

    Distances are reckoned to the rear, not to any friendly place: a nearer port where no ship waits is no
    way out."""
    w = state.world
    guard = hold_values(state, faction) > 0
    if not guard.any() or intent.rear < 0:
        return
    to_rear = w.distance[:, intent.rear]
    west_end = int(where(guard)[np.argmax(to_rear[guard])])
    behind = to_rear > to_rear[west_end]
    intent.value[behind] = 0.0
    intent.may_attack &= ~behind
    intent.rally = west_end
    node = state.station
    intent.pull_out = (node >= 0) & behind[np.maximum(node, 0)] & (w.unit_faction == faction)


def choice(state: GameState, event: int, choices: Mapping[str, str]) -> int:
    """The option a doctrine takes on a decision: its preference if it has one, otherwise history's."""
    e = state.world.events[event]
    wanted = choices.get(e.id)
    ids = [o[0] for o in e.options]
    return ids.index(wanted) if wanted in ids else e.default_option


def answers(state: GameState, faction: int, choices: Mapping[str, str], skill: Skill) -> list[Answer]:
    """Answers to the decisions waiting on the faction.

    An answer that would confine a contingent to a region waits, while time allows, until the contingent's
    men are inside it; a slow commander answers only when time runs out.
    """
    w = state.world
    out = []
    for k in pending_decisions(state, faction):
        e = w.events[k]
        option = choice(state, k, choices)
        if state.deadline[k] - state.turn > 1 and (skill.reaction > 0 or outside(state, e.options[option][2])):
            continue
        out.append(Answer(e.id, e.options[option][0]))
    return out


def outside(state: GameState, effects: tuple[object, ...]) -> bool:
    """Whether these effects would confine a contingent to a region some of its men are still outside."""
    w = state.world
    for effect in effects:
        if isinstance(effect, SetLimits) and effect.limits.region is not None:
            c = w.contingent_index[(effect.faction, effect.contingent)]
            region = w.region_ids.index(effect.limits.region)
            units = where((w.unit_contingent == c) & (state.status == ACTIVE))
            nodes = state.station[units]
            if np.any((nodes >= 0) & ~w.region_mask[region, np.maximum(nodes, 0)]):
                return True
    return False


@dataclass(frozen=True)
class WarWarning:
    """An event that can bring `faction` to war: with whom outright, and with whom under each of its options."""

    event: int
    turn: int | None
    outright: tuple[int, ...]
    by_option: tuple[tuple[int, ...], ...]


def _wars(effects: tuple[object, ...], world: World, faction: int) -> tuple[int, ...]:
    me = world.faction_ids[faction]
    out = []
    for effect in effects:
        if isinstance(effect, SetStance) and effect.stance == "war" and me in effect.factions:
            other = effect.factions[1] if effect.factions[0] == me else effect.factions[0]
            out.append(world.faction_index[other])
    return tuple(out)


def war_warnings(world: World, faction: int) -> list[WarWarning]:
    """The events that can declare war on or for `faction`, found once per world."""
    key = ("ai.wars", faction)
    hit = world.cache.get(key)
    if isinstance(hit, list):
        return hit
    out = []
    for k, e in enumerate(world.events):
        outright = _wars(e.effects, world, faction)
        mine = e.decision_faction == faction
        by_option = tuple(_wars(o[2], world, faction) if mine else () for o in e.options)
        if outright or any(by_option):
            out.append(WarWarning(k, e.turn, outright, by_option))
    world.cache[key] = out
    return out


def expected_foes(state: GameState, faction: int, choices: Mapping[str, str]) -> BoolArray:
    """Factions at war with `faction`, and those its own coming answers or dated events will soon make enemies."""
    foes: BoolArray = state.stance[faction] == WAR
    for warning in war_warnings(state.world, faction):
        k = warning.event
        pending = state.deadline[k] >= 0
        soon = not state.fired[k] and warning.turn is not None and 0 <= warning.turn - state.turn <= FORESIGHT
        if not (pending or soon):
            continue
        enemies = list(warning.outright) if soon else []
        if warning.by_option:
            enemies.extend(warning.by_option[choice(state, k, choices)])
        foes[enemies] = True
    return foes
