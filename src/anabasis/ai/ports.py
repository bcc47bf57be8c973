"""Ports and ships as a commander sees them: which ports are friendly, when ships come, when to set out."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from anabasis.ai.analysis import where
from anabasis.ai.intent import Intent, Skill
from anabasis.engine.state import GameState
from anabasis.engine.world import ALLIED, World
from anabasis.scenario.models import Shipping


def friendly_ports(state: GameState, faction: int) -> list[int]:
    """Ports held by the faction or its allies."""
    control, stance = state.control, state.stance[faction].tolist()
    out = []
    for p in _ports(state.world):
        holder = int(control[p])
        if holder == faction or (holder >= 0 and stance[holder] == ALLIED):
            out.append(p)
    return out


def _ports(world: World) -> list[int]:
    """The stations with a port, once per world."""
    hit = world.cache.get("ai.ports")
    if not isinstance(hit, list):
        hit = world.cache["ai.ports"] = where(world.has_port).tolist()
    return hit


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


def ships_within(state: GameState, port: int, weeks: int) -> bool:
    """Whether ships are at `port` now or due within `weeks`; with `weeks` < 0, whether they have been there so long.

    Ships that came by a decision rather than on a date count as having always been there.
    """
    turns = _arrivals(state.world).get(port, ())  # in order
    now, ships = state.turn, int(state.port_men[port])
    if weeks >= 0:
        due = bisect_left(turns, now)  # the first arrival from now on
        return ships > 0 or (due < len(turns) and turns[due] <= now + weeks)
    if ships <= 0:
        return False
    came = bisect_right(turns, now)  # the arrivals up to now
    return came == 0 or now - turns[came - 1] >= -weeks


def _arrivals(world: World) -> dict[int, list[int]]:
    """By port: the turns of the dated arrivals of ships with room for men, in the order of `shipping_schedule`;
    once per world."""
    hit = world.cache.get("ai.arrivals")
    if isinstance(hit, dict):
        return hit
    out: dict[int, list[int]] = {}
    for turn, port, men in shipping_schedule(world):
        if men > 0:
            out.setdefault(port, []).append(turn)
    world.cache["ai.arrivals"] = out
    return out


def make_for_the_ships(state: GameState, faction: int, skill: Skill, intent: Intent) -> None:
    """Ships at a friendly port mean home: a good commander sets out as they are due, a slow one late."""
    lead = {1: -skill.reaction, 2: 0, 3: 4}[skill.level]
    ports = [p for p in friendly_ports(state, faction) if ships_within(state, p, lead)]
    if ports:
        intent.evacuate = True
        intent.ports = ports
        intent.rally = -1
