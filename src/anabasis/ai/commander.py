"""The doctrine AI: one commander per faction, playing through the orders the rules allow."""

from __future__ import annotations

import numpy as np

from anabasis.ai.analysis import situation
from anabasis.ai.doctrine import GENERIC, Doctrine, answers
from anabasis.ai.intent import SKILLS
from anabasis.ai.planner import Planner
from anabasis.engine.orders import Order
from anabasis.engine.state import GameState


class Commander:
    """Answers the decisions put to its faction, then plans the week from its doctrine's intent."""

    name = "ai"

    def __init__(self, doctrine: Doctrine = GENERIC, skill: int = 2) -> None:
        self.doctrine = doctrine
        self.skill = SKILLS[skill]

    def orders(self, state: GameState, faction: str, rng: np.random.Generator) -> list[Order]:
        if state.ended:
            return []
        f = state.world.faction_index[faction]
        sit = situation(state)
        out: list[Order] = list(answers(state, f, self.doctrine.choices, self.skill)) if sit.deciding else []
        if sit.rows.mine[f]:  # with no units on the map there is nothing to plan
            intent = self.doctrine.intent(state, f, self.skill)
            out.extend(Planner(state, f, intent, self.skill).plan())
        return out
