"""A game in progress: the world, the seed, the state, and the log of every order given.

A game is fully described by its scenario, its seed and its order log; the state is a consequence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import numpy as np

from anabasis.engine.orders import Order
from anabasis.engine.report import Report
from anabasis.engine.turn import initial_state, step
from anabasis.engine.world import World

OrderLog = list[dict[str, list[str]]]


class LazyGenerator:
    """A numpy `Generator` seeded on its first draw: most commanders draw nothing in most weeks, and seeding one
    costs more than a quiet faction's week of orders. Every attribute is the real generator's, so the draws are
    exactly those of a generator made at once."""

    __slots__ = ("_made", "_seed")

    def __init__(self, seed: list[int]) -> None:
        self._seed = seed
        self._made: np.random.Generator | None = None

    def __getattr__(self, name: str) -> Any:
        if self._made is None:
            self._made = np.random.default_rng(self._seed)
        return getattr(self._made, name)


def agent_rng(seed: int, turn: int, faction: int) -> np.random.Generator:
    """The generator an AI draws from for one faction's turn: derived from the seed, apart from the engine's.

    Agents draw from their own stream so that replaying a game from its order log, without the agents,
    leaves the engine's draws exactly as they were.
    """
    return cast(np.random.Generator, LazyGenerator([seed, turn, faction, 0xA1]))


class Game:
    """One game: `play(orders)` resolves a turn and records the orders that were given."""

    def __init__(self, world: World, seed: int) -> None:
        self.world = world
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.state, self.opening = initial_state(world)
        self._given: list[dict[str, list[Order]]] = []  # each turn's orders, put in words when the log is read
        self._log: OrderLog = []
        self.reports: list[Report] = [self.opening]

    @property
    def turn(self) -> int:
        return self.state.turn

    @property
    def log(self) -> OrderLog:
        """Every turn's orders in their text form, by faction (a headless batch never reads it, so it is written
        out only when asked for)."""
        for given in self._given[len(self._log) :]:
            self._log.append({f: [str(o) for o in orders] for f, orders in given.items()})
        return self._log

    def play(self, orders: Mapping[str, Sequence[Order]]) -> Report:
        """Resolve the current turn with every faction's orders."""
        self._given.append({f: list(orders[f]) for f in self.world.faction_ids if orders.get(f)})
        self.state, report = step(self.state, orders, self.rng)
        self.reports.append(report)
        return report

    def agent_rng(self, faction: str) -> np.random.Generator:
        """The generator for `faction`'s AI this turn."""
        return agent_rng(self.seed, self.state.turn, self.world.faction_index[faction])

    def rng_state(self) -> dict[str, object]:
        return dict(self.rng.bit_generator.state)

    @classmethod
    def replay(cls, world: World, seed: int, log: Sequence[Mapping[str, Sequence[str]]]) -> Game:
        """A game rebuilt by playing its order log again from the start."""
        game = cls(world, seed)
        for turn in log:
            game.play({f: [Order.parse(text) for text in orders] for f, orders in turn.items()})
        return game
