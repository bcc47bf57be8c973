"""The facts of a game at the start of a turn, as compact numpy arrays over the compiled world."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from enum import IntEnum
from typing import Any

import numpy as np

from anabasis.engine.world import NOBODY, BoolArray, FloatArray, IntArray, World


class Status(IntEnum):
    """Where a unit is in its life: waiting to arrive, on the map, or gone and why."""

    WAITING = 0
    ACTIVE = 1
    EVACUATED = 2
    DEPARTED = 3
    DESTROYED = 4
    RESERVE = 5
    CANCELLED = 6  # withdrawn by its government before it arrived


# The same values as plain ints, for the hot paths (an enum member lookup costs more than the arithmetic).
WAITING, ACTIVE, EVACUATED, DEPARTED, DESTROYED, RESERVE, CANCELLED = (int(s) for s in Status)


@dataclass
class GameState:
    """Everything that changes during a game; `step` returns a new one and never alters its input."""

    world: World
    turn: int
    # units
    men: IntArray
    status: IntArray
    station: IntArray  # -1 when on a segment or off the map
    segment: IntArray  # -1 when at a station
    progress: FloatArray  # km from the segment's `a` end
    goal: IntArray  # standing destination, -1 for none
    entrained: BoolArray
    stores: FloatArray  # weeks of supply carried
    cohesion: FloatArray
    cohesion_cap: FloatArray
    arms: FloatArray
    dug_in: BoolArray
    embarking: BoolArray
    # stations and segments
    control: IntArray
    port_men: IntArray
    damage: IntArray  # weeks of repair a segment needs; 0 is open
    stockpile_tons: FloatArray
    # factions and contingents
    stance: IntArray
    no_attack: BoolArray
    region: IntArray
    supply_factor: FloatArray
    bonus_points: FloatArray
    arrived: IntArray
    casualties: IntArray
    evacuated: IntArray
    departed: IntArray
    # events, decisions, victory
    fired: BoolArray
    chosen: IntArray  # option taken, -1 for none
    deadline: IntArray  # turn a pending decision times out, -1 when none is pending
    points: FloatArray  # by objective
    ended: bool = False
    # Answers derived from the arrays (routes, reachable stations), cleared whenever the arrays change.
    cache: dict[object, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def date(self) -> dt.date:
        """The first day of the current turn."""
        return self.world.date_of(self.turn)

    def copy(self) -> GameState:
        """A deep copy of the changing arrays; the world is shared."""
        new = object.__new__(GameState)
        values = new.__dict__
        values.update(self.__dict__)
        for name in _ARRAY_FIELDS:
            values[name] = values[name].copy()
        values["cache"] = {}
        return new

    def touch(self) -> None:
        """Forget derived answers after the arrays changed."""
        self.cache.clear()

    # --- questions the rules and the front end ask -------------------------------------------------

    def at_war(self, a: int, b: int) -> bool:
        return bool(self.stance[a, b] == 2)

    def on_map(self, unit: int) -> bool:
        return bool(self.status[unit] == ACTIVE)

    def units_at(self, station: int) -> list[int]:
        """Units on the map standing at `station`."""
        return np.flatnonzero((self.station == station) & (self.status == ACTIVE)).tolist()

    def men_on_map(self) -> IntArray:
        """Men on the map by faction."""
        active = self.status == ACTIVE
        return np.bincount(
            self.world.unit_faction[active], weights=self.men[active], minlength=self.world.n_factions
        ).astype(np.int64)

    def hostile_at(self, station: int, faction: int) -> bool:
        """Whether a station is held, or occupied, by a faction at war with `faction`."""
        holder = int(self.control[station])
        if holder != NOBODY and self.stance[faction, holder] == 2:
            return True
        here = (self.station == station) & (self.status == ACTIVE)
        return bool(np.any(self.stance[faction, self.world.unit_faction[here]] == 2))

    def side_points(self) -> FloatArray:
        """Points by side: objectives plus event awards of its factions."""
        w = self.world
        by_faction = self.faction_points()
        out = np.zeros(len(w.side_ids))
        np.add.at(out, w.side_of[w.side_of >= 0], by_faction[w.side_of >= 0])
        return out

    def faction_points(self) -> FloatArray:
        """Points by faction: objectives plus event awards."""
        out = self.bonus_points.copy()
        for k, o in enumerate(self.world.objectives):
            out[o.faction] += self.points[k]
        return out

    def snapshot(self) -> dict[str, Any]:
        """The state as plain JSON-ready data (for saves)."""
        out: dict[str, Any] = {"turn": self.turn, "ended": self.ended}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                out[f.name] = value.tolist()
        return out


_ARRAY_FIELDS = [f.name for f in fields(GameState) if f.name not in ("world", "turn", "ended", "cache")]


def _past(world: World) -> tuple[BoolArray, IntArray, IntArray]:
    """Events fired before the start, the options chosen, and the deadlines of decisions still waiting (a
    scenario made from a week of a game lists them in `scenario.fired` and `scenario.chosen`)."""
    meta = world.scenario.meta
    fired = np.array([e.id in meta.fired or e.id in meta.chosen for e in world.events], dtype=np.bool_)
    chosen = np.array(
        [[o[0] for o in e.options].index(meta.chosen[e.id]) if e.id in meta.chosen else -1 for e in world.events],
        dtype=np.int64,
    )
    waiting = fired & (chosen < 0) & np.array([bool(e.options) for e in world.events], dtype=np.bool_)
    deadline = np.where(waiting, [e.weeks for e in world.events], -1).astype(np.int64)
    return fired, chosen, deadline


def new_state(world: World) -> GameState:
    """The state before the first turn's arrivals and events, with what the scenario says happened before."""
    w = world
    s = w.scenario
    nu, ns, nf = w.n_units, w.n_stations, w.n_factions
    control = np.full(ns, NOBODY, dtype=np.int64)
    for i, st in enumerate(s.stations):
        if st.held_by is not None:
            control[i] = w.faction_index[st.held_by]
    status = np.where(w.unit_reserve, RESERVE, WAITING).astype(np.int64)
    fired, chosen, deadline = _past(w)
    stores = np.full(nu, w.rules.stores_weeks)  # the dtype follows the rule's value, as it always has
    for k, unit in enumerate(s.units):
        if unit.stores is not None:
            stores[k] = unit.stores
    return GameState(
        world=w,
        turn=0,
        men=w.unit_men0.copy(),
        status=status,
        station=np.full(nu, -1, dtype=np.int64),
        segment=np.full(nu, -1, dtype=np.int64),
        progress=np.zeros(nu),
        goal=np.full(nu, -1, dtype=np.int64),
        entrained=w.unit_entrained0.copy(),
        stores=stores,
        cohesion=w.unit_cohesion0.copy(),
        cohesion_cap=np.array([u.cohesion_cap for u in s.units], dtype=np.float64),
        arms=w.unit_arms0.copy(),
        dug_in=np.zeros(nu, dtype=np.bool_),
        embarking=np.zeros(nu, dtype=np.bool_),
        control=control,
        port_men=w.port_men.copy(),
        damage=np.array([g.damage for g in s.segments], dtype=np.int64),
        stockpile_tons=w.stockpile_tons0.copy(),
        stance=w.stance0.copy(),
        no_attack=w.no_attack0.copy(),
        region=w.region0.copy(),
        supply_factor=np.array([f.supply_factor for f in s.factions], dtype=np.float64),
        bonus_points=np.zeros(nf),
        arrived=np.zeros(nf, dtype=np.int64),
        casualties=np.zeros(nf, dtype=np.int64),
        evacuated=np.zeros(nf, dtype=np.int64),
        departed=np.zeros(nf, dtype=np.int64),
        fired=fired,
        chosen=chosen,
        deadline=deadline,
        points=np.zeros(len(w.objectives)),
    )
