"""The Czechoslovak Legion: seize the railway towns and fight east, hold the line beside the Whites through
1918, fall back along the railway after the Armistice, and sail home from Vladivostok when the ships come.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from anabasis.ai.analysis import around, path, where
from anabasis.ai.doctrine import Doctrine, expected_foes, friendly_ports, home_port, ships_within
from anabasis.ai.intent import Intent, Skill, aims, base_values, blood, hold_values
from anabasis.engine.state import GameState
from anabasis.engine.world import BoolArray, World

# The Legion's answers: take the railway by force rather than disarm (May 1918); leave the front to Kolchak
# (January 1919); hand Kolchak over for a safe passage to the sea (January 1920).
CHOICES = {"disarm_demand": "fight", "legion_leaves_the_front": "withdraw", "kolchak_handover": "hand_over"}
LINE = 0.25  # points a week the Legion puts on each station of its way east while it fights for the railway
ARMISTICE = dt.date(1918, 11, 11)  # from here on the legionaries want to go home, not to gain ground
HOMESICK_CHANCE = 0.8  # the odds the Legion still attacks at after the Armistice
HOMESICK_FALL_BACK = 1.5  # enemy strength, against its own, at which the Legion then gives up a post


def way_east(world: World, faction: int) -> BoolArray:
    """Stations on the railway from where the Legion's echelons stood to the port its ships will come to."""
    key = ("ai.way_east", faction)
    hit = world.cache.get(key)
    if isinstance(hit, np.ndarray):
        return hit
    line = np.zeros(world.n_stations, dtype=np.bool_)
    home = home_port(world)
    ports = np.array([home] if home >= 0 else [], dtype=np.int64)
    if len(ports):
        for start in sorted(set(world.unit_station0[world.unit_faction == faction].tolist())):
            port = int(ports[np.argmin(world.distance[start, ports])])
            line[path(world, start, port)] = True
    world.cache[key] = line
    return line


def intent(state: GameState, faction: int, skill: Skill) -> Intent:
    """The Legion's aims this week."""
    w = state.world
    foes = expected_foes(state, faction, CHOICES)
    value = base_values(state, faction, foes)
    line = way_east(w, faction)
    fighting = state.date < ARMISTICE
    if fighting:
        value += LINE * line
    theatre = around(w, line | (aims(state, faction, foes) > 0))
    intent = Intent(
        value=value,
        foes=foes,
        blood=blood(state, faction, foes),
        chance=skill.chance,
        may_attack=theatre,
        rear=home_port(w),
    )
    if not fighting:
        intent.chance = max(intent.chance, HOMESICK_CHANCE)
        intent.fall_back = HOMESICK_FALL_BACK
        _fall_back_east(state, faction, intent)
    _make_for_the_ships(state, faction, skill, intent)
    return intent


def _fall_back_east(state: GameState, faction: int, intent: Intent) -> None:
    """After the Armistice: guard the railway east of the front, and leave the rest to the Whites.

    Distances are reckoned to the port the Legion's ships come to: Murmansk and Arkhangelsk are nearer the
    Urals, but no ship waits there for the Legion, so the rallying point is the guarded station farthest
    along the line from Vladivostok, and everything farther out is left behind.
    """
    w = state.world
    guard = hold_values(state, faction) > 0
    home = home_port(w)
    if not guard.any() or home < 0:
        return
    to_home = w.distance[:, home]
    west_end = int(where(guard)[np.argmax(to_home[guard])])
    behind = to_home > to_home[west_end]
    intent.value[behind] = 0.0
    intent.may_attack &= ~behind
    intent.rally = west_end
    node = state.station
    intent.pull_out = (node >= 0) & behind[np.maximum(node, 0)] & (w.unit_faction == faction)


def _make_for_the_ships(state: GameState, faction: int, skill: Skill, intent: Intent) -> None:
    """Ships at a friendly port mean home: a good commander sets out as they are due, a slow one late."""
    lead = {1: -skill.reaction, 2: 0, 3: 4}[skill.level]
    ports = [p for p in friendly_ports(state, faction) if ships_within(state, p, lead)]
    if ports:
        intent.evacuate = True
        intent.ports = ports
        intent.rally = -1


LEGION = Doctrine(intent, CHOICES)
