"""A faction's intent for the week, made from its doctrine in the scenario, and its answers to decisions.

Every faction is commanded the same way: its objectives value the stations, its doctrine's numbers for this
week (`playbook.Bearing`) say how boldly it fights, where it may attack, what line it fights along and when it
falls back or makes for the ships. A faction the scenario gives no doctrine fights for its objectives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from anabasis.ai.analysis import network, path, weighted, where
from anabasis.ai.intent import Intent, Skill, hold_values, reckon
from anabasis.ai.playbook import Bearing, Playbook, decide, playbook
from anabasis.ai.ports import make_for_the_ships
from anabasis.engine.events import pending_decisions
from anabasis.engine.jit import kernel
from anabasis.engine.orders import Answer
from anabasis.engine.state import ACTIVE, GameState
from anabasis.engine.victory import STOCKPILE
from anabasis.engine.world import WAR, BoolArray, FloatArray, IntArray, World
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
    aims = reckon(state, faction, foes)
    value = aims.value
    hold = bearing.hold
    if bearing.stores_hold is not None:
        stores, stocked = stores_value(w, faction, state.turn)
        value += stores
        if stocked:
            hold = bearing.stores_hold
    standing = _standing(w, faction, book, bearing)
    if bearing.line >= 0:
        net = network(w)
        line = line_of_advance(w, faction, bearing.line)
        may_attack = np.empty_like(line)
        marks = (line, aims.aimed, standing.allowed)
        _along(value, bearing.line_value, marks, (net.edge_from, net.edge_to), may_attack)
    else:
        may_attack = standing.allowed.copy()
    out = Intent(
        value=value,
        foes=foes,
        blood=aims.blood,
        chance=max(skill.chance, bearing.attack_chance),
        may_attack=may_attack,
        hold=hold,
        fall_back=bearing.fall_back,
        rear=book.rear,
        unbound=standing.unbound,
    )
    if bearing.stand:
        out.stay = standing.stay
        out.fall_back = float("inf")
        out.concentrate = False
    if bearing.withdraw_to_rear:
        withdraw_to_rear(state, faction, out)
    if bearing.embark:
        make_for_the_ships(state, faction, skill, out)
    return out


class Standing(NamedTuple):
    """What a phase of a doctrine fixes for every week it lasts (shared by every game of the world: not to be
    changed)."""

    allowed: BoolArray  # per station: within its reach and outside the regions it holds fire in
    stay: BoolArray | None  # per unit: garrisons that never leave their post, when it stands
    unbound: BoolArray | None  # per unit: units free to attack beyond its reach, if it has any


def _standing(world: World, faction: int, book: Playbook, bearing: Bearing) -> Standing:
    """The faction's `Standing` under `bearing`, worked out once per world."""

    def fixed() -> Standing:
        allowed = np.ones(world.n_stations, dtype=np.bool_)
        if bearing.reach_km < np.inf and book.base >= 0:
            allowed &= world.distance[book.base] <= bearing.reach_km
        for region in bearing.hold_fire_in:
            allowed &= ~world.region_mask[region]
        stay = world.unit_starts & (world.unit_faction == faction) if bearing.stand else None
        return Standing(allowed, stay, book.unbound if book.unbound.any() else None)

    return world.memo("ai.standing", (faction, bearing), fixed)


@kernel
def _along(
    value: FloatArray,
    line_value: float,
    marks: tuple[BoolArray, BoolArray, BoolArray],
    edges: tuple[IntArray, IntArray],
    near: BoolArray,
) -> None:
    """Add `line_value` to the value of the stations on the line of advance; and into `near`, where it may attack:
    the line, the stations its aims pay for, and their neighbours (`edges`: the network's, each way), of those
    allowed. `marks` are the line, where its aims pay, and where it is allowed to attack."""
    line, aimed, allowed = marks
    edge_from, edge_to = edges
    for s in range(value.shape[0]):
        value[s] += line_value * (1.0 if line[s] else 0.0)
        near[s] = line[s] or aimed[s]
    for e in range(edge_from.shape[0]):
        if line[edge_from[e]] or aimed[edge_from[e]]:
            near[edge_to[e]] = True
    for s in range(value.shape[0]):
        near[s] = near[s] and allowed[s]


def stores_value(world: World, faction: int, turn: int) -> tuple[FloatArray, bool]:
    """Per station: points a week the faction scores for keeping the stockpiles there, and whether any scores
    (remembered per turn; the answer is shared, so not to be changed)."""

    def points() -> tuple[FloatArray, bool]:
        live = (
            (world.objective_kind == STOCKPILE)
            & (world.objective_faction == faction)
            & (world.objective_first <= turn)
            & (world.objective_last >= turn)
        )
        per_stockpile = world.objective_points[live] @ world.objective_stockpiles[live].astype(np.float64)
        out = weighted(world.stockpile_station, per_stockpile, world.n_stations)
        return out, bool(out.any())

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
    if intent.rear < 0:
        return
    w = state.world
    west_end, behind = w.memo(
        "ai.withdrawal", (faction, intent.rear, state.turn), lambda: _withdrawal(state, faction, intent.rear)
    )
    if west_end < 0:
        return
    intent.rally = west_end
    intent.pull_out = np.empty(state.station.shape, dtype=np.bool_)
    units = (state.station, w.unit_faction)
    _given_up((intent.value, intent.may_attack), behind, units, faction, intent.pull_out)


def _withdrawal(state: GameState, faction: int, rear: int) -> tuple[int, BoolArray]:
    """The westmost station the faction's objectives pay for, and the stations farther from `rear`; -1 and none
    while its objectives pay for nothing (shared by every game of the world at this turn)."""
    w = state.world
    guard = hold_values(state, faction) > 0
    if not guard.any():
        return -1, np.zeros(w.n_stations, dtype=np.bool_)
    to_rear = w.distance[:, rear]
    west_end = int(where(guard)[np.argmax(to_rear[guard])])
    return west_end, to_rear > to_rear[west_end]


@kernel
def _given_up(
    aims: tuple[FloatArray, BoolArray],
    behind: BoolArray,
    units: tuple[IntArray, IntArray],
    faction: int,
    out: BoolArray,
) -> None:
    """The stations `behind` are worth nothing and attacked no more (`aims`: the values and the attack mask, changed
    in place); into `out`, the faction's units standing there (`units`: station and faction of each), called back."""
    value, may_attack = aims
    node, unit_faction = units
    for s in range(value.shape[0]):
        if behind[s]:
            value[s] = 0.0
            may_attack[s] = False
    for u in range(node.shape[0]):
        out[u] = node[u] >= 0 and behind[node[u]] and unit_faction[u] == faction


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
