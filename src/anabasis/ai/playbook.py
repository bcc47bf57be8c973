"""A faction's doctrine as the scenario gives it, read once per world, and the numbers it plays by this week.

The scenario's `doctrines:` section holds everything a commander knows of 1918: its line of advance, its base
and rear, how boldly it attacks, its answers to decisions and the phases that change all this. This module
holds no fact of a scenario; it turns those records into station and unit indices and lays the phases that
hold over the doctrine's own numbers.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from anabasis.engine.events import holds
from anabasis.engine.state import GameState
from anabasis.engine.world import UNIT_KINDS, BoolArray, World
from anabasis.scenario.models import Condition, Doctrine, Posture


@dataclass(frozen=True, eq=False)
class Bearing:
    """The numbers a commander plays by this week: the generic commander's, changed by its doctrine. A playbook
    makes one for each set of phases in effect and hands out that one, so a bearing is known by its identity (what
    is worked out from it is remembered by it without hashing its fields each week)."""

    attack_chance: float = 0.0  # the least chance it attacks at, if above its skill's
    hold: float = 0.7
    stores_hold: float | None = None
    fall_back: float = 3.0
    stand: bool = False
    reach_km: float = math.inf
    line: int = -1
    line_value: float = 0.0
    withdraw_to_rear: bool = False
    embark: bool = False
    hold_fire_in: tuple[int, ...] = ()  # regions where it starts no battle


@dataclass(frozen=True)
class Phase:
    """A phase of a doctrine: its conditions and what it changes."""

    id: str
    when: tuple[Condition, ...]
    changes: Mapping[str, Any]


@dataclass(frozen=True)
class Playbook:
    """A faction's doctrine with its stations as indices."""

    base: int  # where offensives are reckoned from, -1 for none
    rear: int  # where it falls back toward, -1 for none
    unbound: BoolArray  # per unit: free to attack beyond the reach
    choices: Mapping[str, str | Mapping[str, float]]  # event id -> option, or option -> probability
    own: Mapping[str, Any]
    phases: tuple[Phase, ...]
    # the bearing under each set of phases that took effect (by index), worked out once: bearings are frozen
    bearings: dict[tuple[int, ...], Bearing] = field(default_factory=dict, compare=False, repr=False)

    def bearing(self, state: GameState, since: dict[str, int] | None = None, delay: int = 0) -> Bearing:
        """This week's numbers: the doctrine's own, then each phase that holds, in order.

        With `since` (a commander's memory of the turn each phase first held), a phase takes effect `delay`
        weeks after it first holds: a slow commander reacts late."""
        applied: list[int] = []
        for k, phase in enumerate(self.phases):
            for c in phase.when:
                if not holds(state, c):
                    break
            else:  # every condition holds
                if since is not None:
                    first = since.setdefault(phase.id, state.turn)
                    if state.turn - first < delay:
                        continue
                applied.append(k)
        key = tuple(applied)
        out = self.bearings.get(key)
        if out is None:
            out = dataclasses.replace(Bearing(), **self.own)
            for k in key:
                out = dataclasses.replace(out, **self.phases[k].changes)
            self.bearings[key] = out
        return out


def _changes(world: World, posture: Posture) -> dict[str, Any]:
    """The numbers a doctrine or phase sets, with stations as indices."""
    out: dict[str, Any] = {}
    for name in Posture.model_fields:
        value = getattr(posture, name)
        if value is None:
            continue
        if name == "line":
            value = world.station_index[value]
        elif name == "hold_fire_in":
            value = tuple(world.region_ids.index(region) for region in value)
        out[name] = value
    return out


def _compile(world: World, doctrine: Doctrine | None, faction: int) -> Playbook:
    if doctrine is None:
        return Playbook(-1, -1, np.zeros(world.n_units, dtype=np.bool_), {}, {}, ())
    kinds = [UNIT_KINDS.index(k) for k in doctrine.unbound]
    unbound: BoolArray = np.isin(world.unit_kind, kinds) & (world.unit_faction == faction)
    return Playbook(
        base=world.station_index[doctrine.base] if doctrine.base else -1,
        rear=world.station_index[doctrine.rear] if doctrine.rear else -1,
        unbound=unbound,
        choices={a.decision: a.choose for a in doctrine.answers},
        own=_changes(world, doctrine),
        phases=tuple(Phase(p.id, tuple(p.when), _changes(world, p)) for p in doctrine.phases),
    )


def playbook(world: World, faction: int) -> Playbook:
    """The faction's doctrine in the scenario, or the generic one if it has none (read once per world)."""

    def read() -> Playbook:
        name = world.faction_ids[faction]
        doctrine = next((d for d in world.scenario.doctrines if d.faction == name), None)
        return _compile(world, doctrine, faction)

    return world.memo("ai.playbook", faction, read)


def decide(choices: Mapping[str, str | Mapping[str, float]], rng: np.random.Generator | None = None) -> dict[str, str]:
    """One option for each answer: a fixed choice as it is; a probabilistic one drawn from `rng` (in the order
    written), or without `rng` the likeliest."""
    out: dict[str, str] = {}
    for event, choose in choices.items():
        if isinstance(choose, str):
            out[event] = choose
            continue
        options = list(choose)
        weights = np.array([choose[o] for o in options], dtype=np.float64)
        pick = int(np.argmax(weights)) if rng is None else int(rng.choice(len(options), p=weights / weights.sum()))
        out[event] = options[pick]
    return out
