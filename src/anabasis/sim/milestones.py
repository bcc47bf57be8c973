"""The dates designers compare across games: key cities changing hands and coming back, the link-up, the evacuation.

A key city is a station some `hold` objective names or `history:` dates: the scenario's authors already said
which places matter. The link-up is the first turn when the faction `history:` names (the Legion) and its allies
have an unbroken line of rail between its two stations (Chelyabinsk and Vladivostok): every segment open and
every station on it held by the faction or an ally, or held by nobody with no enemy standing there (a junction
nobody garrisons does not stop a train). The evacuation's dates are the first and the last turn any men were
shipped out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    for end in (int(holder[west]), int(holder[east])):  # most weeks end here, before any array is built
        if end == NOBODY or state.stance[faction, end] != ALLIED:
            return False
    friendly_holder = np.zeros(w.n_stations, dtype=np.bool_)
    held = holder != NOBODY
    friendly_holder[held] = state.stance[faction, holder[held]] == ALLIED
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
    """Watches one game turn by turn and works out the turn of each milestone when asked: a week only takes down
    who holds the key cities and how many men have shipped out, and the link-up is looked for until it comes."""

    world: World
    cities: IntArray
    start_control: IntArray
    link: tuple[int, int, int] | None
    shipped_before: int  # men shipped out before the first turn
    turns: list[int] = field(default_factory=list)
    holders: list[IntArray] = field(default_factory=list)  # by turn: each key city's holder
    shipped: list[IntArray] = field(default_factory=list)  # by turn: the men each faction has shipped out
    link_up: int = -1

    @classmethod
    def start(cls, opening: GameState) -> Milestones:
        w = opening.world
        cities, link = w.memo(
            "sim.milestones", None, lambda: (np.array(key_cities(w), dtype=np.int64), link_stations(w))
        )
        return cls(
            world=w,
            cities=cities,
            start_control=opening.control[cities],
            link=link,
            shipped_before=int(opening.evacuated.sum()),
        )

    def observe(self, turn: int, state: GameState) -> None:
        """Take note of the state after `turn` was resolved."""
        self.turns.append(turn)
        self.holders.append(state.control[self.cities])
        self.shipped.append(state.evacuated.copy())
        if self.link is not None and self.link_up < 0 and linked_up(state, *self.link):
            self.link_up = turn

    def by_id(self) -> dict[str, int | None]:
        """Key date id -> the turn it happened, or None, in `key_dates` order."""
        weeks, w = len(self.turns), self.world
        turns = np.array([*self.turns, -1], dtype=np.int64)  # a week past the last one stands for never
        week = np.arange(weeks + 1)[:, None]
        elsewhere = np.ones((weeks + 1, len(self.cities)), dtype=np.bool_)
        elsewhere[:weeks] = (
            np.array(self.holders, dtype=np.int64).reshape(weeks, len(self.cities)) != self.start_control
        )
        changed = elsewhere.argmax(axis=0)  # the first week each city was in other hands
        back = ~elsewhere & (week > changed)
        back[weeks] = True
        returned = back.argmax(axis=0)  # the first week after that it was in its first hands again
        shipped = np.array(self.shipped, dtype=np.int64).reshape(weeks, w.n_factions).sum(axis=1)
        most_before = np.maximum.accumulate(np.concatenate([[self.shipped_before], shipped]))[:-1]
        more = np.flatnonzero(shipped > most_before)  # the weeks more men had shipped out than ever before
        dates = {LINK_UP: self.link_up} if self.link is not None else {}
        dates[FIRST_SHIPPED] = int(turns[more[0]]) if len(more) else -1
        dates[LAST_SHIPPED] = int(turns[more[-1]]) if len(more) else -1
        for k, turn in zip(self.cities.tolist(), turns[changed].tolist(), strict=True):
            dates[CHANGES_HANDS + w.station_ids[k]] = turn
        for k, turn in zip(self.cities.tolist(), turns[returned].tolist(), strict=True):
            dates[RETURNS + w.station_ids[k]] = turn
        return {key: (None if turn < 0 else turn) for key, turn in dates.items()}
