"""The observer: AI against AI a week at a time, each week kept in a replay for the window to show.

The weeks come from the same loop as `anabasis run`, so a watched game is the game `run --seed` plays.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from anabasis.engine.game import Game
from anabasis.engine.world import World, compile_world
from anabasis.replay.weeks import Provenance, Replay
from anabasis.scenario import load_scenario
from anabasis.sim.game import Matchup, play


class Observer:
    """A game the AI plays for every faction while someone watches; `play_week` plays on by one week."""

    def __init__(self, world: World, seed: int, matchup: Matchup, provenance: Provenance) -> None:
        self.game = Game(world, seed)
        self.replay = Replay.begin(self.game, provenance)
        self._weeks = play(self.game, matchup)

    @property
    def over(self) -> bool:
        return self.game.state.ended

    def play_week(self) -> bool:
        """Play the next week and keep it; False once the war is over."""
        if next(self._weeks, None) is None:
            return False
        self.replay.record(self.game)
        return True

    @classmethod
    def of(cls, path: Path, skill: int = 2, seed: int | None = None) -> Observer:
        """AI against AI on the scenario at `path` (ScenarioError says what is wrong with it), from `seed` or a
        fresh one: `anabasis run PATH --seed <it>` plays the same game."""
        scenario = load_scenario(path)
        world = compile_world(scenario)
        seed = seed if seed is not None else int(np.random.SeedSequence().generate_state(1)[0])
        title = f"the AI against itself in {scenario.meta.title}"
        return cls(world, seed, Matchup.of(world, {}, skill), Provenance(scenario, path, (), skill, title))
