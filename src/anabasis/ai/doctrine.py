"""What every faction's doctrine shares: whom it fights, how it answers decisions, where the ships are.

A doctrine is a function from the board to an `Intent` plus a table of preferred answers to the decisions
history put to the faction. The generic doctrine, which any faction of any scenario can use, values stations
by the objectives and fights whoever it is at war with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from anabasis.ai.analysis import where
from anabasis.ai.intent import Intent, Skill, base_values, blood
from anabasis.engine.events import pending_decisions
from anabasis.engine.orders import Answer
from anabasis.engine.state import ACTIVE, GameState
from anabasis.engine.world import ALLIED, WAR, BoolArray, World
from anabasis.scenario.models import SetLimits, SetStance, Shipping

FORESIGHT = 2  # weeks ahead a commander plans for a war it knows is coming

IntentFn = Callable[[GameState, int, Skill], Intent]


@dataclass(frozen=True)
class Doctrine:
    """A faction's way of war: its intent each week and its answers to the decisions put to it."""

    intent: IntentFn
    choices: Mapping[str, str] = field(default_factory=dict)  # event id -> option id


def generic_intent(state: GameState, faction: int, skill: Skill) -> Intent:
    """Fight whoever you are at war with for the stations the objectives pay for."""
    foes = expected_foes(state, faction, {})
    return Intent(
        value=base_values(state, faction, foes),
        foes=foes,
        blood=blood(state, faction, foes),
        chance=skill.chance,
        may_attack=np.ones(state.world.n_stations, dtype=np.bool_),
    )


GENERIC = Doctrine(generic_intent)


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


def friendly_ports(state: GameState, faction: int) -> list[int]:
    """Ports held by the faction or its allies."""
    w = state.world
    out = []
    for p in where(w.has_port).tolist():
        holder = int(state.control[p])
        if holder == faction or (holder >= 0 and state.stance[faction, holder] == ALLIED):
            out.append(p)
    return out


def shipping_schedule(world: World) -> list[tuple[int, int, int]]:
    """(turn, port, men a week) for every dated arrival of ships in the scenario, in order."""
    hit = world.cache.get("ai.shipping")
    if isinstance(hit, list):
        return hit
    out = []
    for e in world.events:
        if e.turn is None or e.when:
            continue
        for effect in e.effects:
            if isinstance(effect, Shipping):
                out.append((e.turn, world.station_index[effect.station], effect.men_per_week))
    out.sort()
    world.cache["ai.shipping"] = out
    return out


def home_port(world: World) -> int:
    """The port the ships of the scenario's dated events come to (Vladivostok), or the first port; -1 for none."""
    hit = world.cache.get("ai.home_port")
    if isinstance(hit, int):
        return hit
    ports = sorted({p for _, p, men in shipping_schedule(world) if men > 0}) or where(world.has_port).tolist()
    out = ports[0] if ports else -1
    world.cache["ai.home_port"] = out
    return out


def ships_within(state: GameState, port: int, weeks: int) -> bool:
    """Whether ships are at `port` now or due within `weeks`; with `weeks` < 0, whether they have been there so long.

    Ships that came by a decision rather than on a date count as having always been there.
    """
    schedule = [(turn, men) for turn, p, men in shipping_schedule(state.world) if p == port and men > 0]
    if weeks >= 0:
        return state.port_men[port] > 0 or any(state.turn <= turn <= state.turn + weeks for turn, _ in schedule)
    if state.port_men[port] <= 0:
        return False
    came = [turn for turn, _ in schedule if turn <= state.turn]
    return not came or state.turn - max(came) >= -weeks
