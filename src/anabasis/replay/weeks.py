"""Every week of one game, kept once so that stepping to any week is a look-up, never a replay."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from anabasis.engine.game import Game, OrderLog
from anabasis.engine.orders import Order
from anabasis.engine.report import Report
from anabasis.engine.state import GameState
from anabasis.engine.world import World
from anabasis.scenario import Scenario


@dataclass(frozen=True)
class Provenance:
    """What a replayed game was played from, so that a player can take command and save the game as their own."""

    scenario: Scenario
    path: Path  # the scenario file
    overrides: tuple[str, ...] = ()
    skill: int = 2  # the AI's skill, which the commanders keep when a player takes over
    title: str = ""  # what the game is, for the banner: `game.jsonl, seed 7`


@dataclass
class Replay:
    """The weeks of a game: `states[k]` is the state at the start of week k, `reports[k]` what happened in the
    week before it (`reports[0]` is the opening), `orders[k]` the orders given in week k.

    States are the engine's own values (`step` never alters its input), so keeping them costs no copying.
    """

    world: World
    seed: int
    provenance: Provenance
    states: list[GameState] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    orders: OrderLog = field(default_factory=list)

    @classmethod
    def begin(cls, game: Game, provenance: Provenance) -> Replay:
        """A replay of `game` from its first week, to be grown with `record` as the game is played."""
        return cls(game.world, game.seed, provenance, [game.state], [game.opening], [])

    def record(self, game: Game) -> None:
        """Keep the week `game` has just played."""
        self.states.append(game.state)
        self.reports.append(game.reports[-1])
        self.orders.append(game.log[-1])

    @property
    def last(self) -> int:
        """The last week there is to show."""
        return len(self.states) - 1

    def side_points(self, week: int) -> dict[str, float]:
        """Victory points by side at the start of `week`."""
        points = self.states[week].side_points().tolist()
        return dict(zip(self.world.side_ids, points, strict=True))

    def game_at(self, week: int) -> Game:
        """A new game standing at the start of `week`, whose history is the replay's orders up to it."""
        return Game.replay(self.world, self.seed, self.orders[:week])


def parsed(given: Mapping[str, Sequence[str]]) -> dict[str, list[Order]]:
    """A week of the order log as order values."""
    return {faction: [Order.parse(text) for text in texts] for faction, texts in given.items()}


def replay_orders(world: World, seed: int, orders: OrderLog, provenance: Provenance) -> Replay:
    """Play an order log again from the seed, keeping every week (the orders are known to be playable)."""
    game = Game(world, seed)
    replay = Replay.begin(game, provenance)
    for given in orders:
        game.play(parsed(given))
        replay.record(game)
    return replay
