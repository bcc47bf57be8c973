"""The dates designers compare across games: key cities changing hands and coming back, the link-up, the evacuation.

A key city is a station some `hold` objective names or `history:` dates: the scenario's authors already said
which places matter. The link-up is the first turn when the faction `history:` names (the Legion) and its allies
have an unbroken line of rail between its two stations (Chelyabinsk and Vladivostok): every segment open and
every station on it held by the faction or an ally, or held by nobody with no enemy standing there (a junction
nobody garrisons does not stop a train). The evacuation's dates are the first and the last turn any men were
shipped out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anabasis.engine.state import GameState, Status
from anabasis.engine.world import ALLIED, NOBODY, WAR, IntArray, World
from anabasis.scenario.keydates import (
    CHANGES_HANDS,
    FIRST_SHIPPED,
    LAST_SHIPPED,
    LINK_UP,
    RETURNS,
    key_city_ids,
    link_up,
)


def key_cities(world: World) -> list[int]:
    """Stations named by any `hold` objective or dated by `history:`, in the scenario's station order."""
    return [world.station_index[city] for city in key_city_ids(world.scenario)]


def link_stations(world: World) -> tuple[int, int, int] | None:
    """(faction, west end, east end) of the link-up `history:` dates, if it dates one."""
    link = link_up(world.scenario)
    if link is None:
        return None
    return world.faction_index[link.faction], world.station_index[link.west], world.station_index[link.east]


def linked_up(state: GameState, faction: int, west: int, east: int) -> bool:
    """Whether an open line of stations friendly to `faction`, or empty, joins `west` to `east` (both held by
    friends)."""
    w = state.world
    holder = state.control
    friendly_holder = np.zeros(w.n_stations, dtype=np.bool_)
    held = holder != NOBODY
    friendly_holder[held] = state.stance[faction, holder[held]] == ALLIED
    if not (friendly_holder[west] and friendly_holder[east]):
        return False
    enemy_units = (state.status == Status.ACTIVE) & (state.station >= 0)
    enemy_units &= state.stance[faction, w.unit_faction] == WAR
    occupied = np.zeros(w.n_stations, dtype=np.bool_)
    occupied[state.station[enemy_units]] = True
    passable = (friendly_holder | ~held) & ~occupied
    seen = {west}
    frontier = [west]
    while frontier:
        here = frontier.pop()
        for there, seg in w.adjacency[here]:
            if there not in seen and passable[there] and state.damage[seg] == 0:
                if there == east:
                    return True
                seen.add(there)
                frontier.append(there)
    return False


@dataclass
class Milestones:
    """Watches one game turn by turn and remembers the turn of each milestone (-1 until it happens)."""

    world: World
    cities: list[int]
    start_control: IntArray
    changed: IntArray
    returned: IntArray
    link: tuple[int, int, int] | None
    link_up: int = -1
    first_shipped: int = -1
    last_shipped: int = -1
    shipped: int = 0

    @classmethod
    def start(cls, opening: GameState) -> Milestones:
        w = opening.world
        cities = key_cities(w)
        return cls(
            world=w,
            cities=cities,
            start_control=opening.control[cities].copy(),
            changed=np.full(len(cities), -1, dtype=np.int64),
            returned=np.full(len(cities), -1, dtype=np.int64),
            link=link_stations(w),
            shipped=int(opening.evacuated.sum()),
        )

    def observe(self, turn: int, state: GameState) -> None:
        """Take note of the state after `turn` was resolved."""
        holders = state.control[self.cities]
        moved = (self.changed < 0) & (holders != self.start_control)
        self.changed[moved] = turn
        back = (self.changed >= 0) & (self.returned < 0) & (holders == self.start_control)
        self.returned[back] = turn
        shipped = int(state.evacuated.sum())
        if shipped > self.shipped:
            if self.first_shipped < 0:
                self.first_shipped = turn
            self.last_shipped = turn
            self.shipped = shipped
        if self.link is not None and self.link_up < 0 and linked_up(state, *self.link):
            self.link_up = turn

    def by_id(self) -> dict[str, int | None]:
        """Key date id -> the turn it happened, or None, in `key_dates` order."""
        turns = {LINK_UP: self.link_up} if self.link is not None else {}
        turns[FIRST_SHIPPED] = self.first_shipped
        turns[LAST_SHIPPED] = self.last_shipped
        for k, turn in zip(self.cities, self.changed.tolist(), strict=True):
            turns[CHANGES_HANDS + self.world.station_ids[k]] = turn
        for k, turn in zip(self.cities, self.returned.tolist(), strict=True):
            turns[RETURNS + self.world.station_ids[k]] = turn
        return {key: (None if turn < 0 else turn) for key, turn in turns.items()}
