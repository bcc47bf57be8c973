"""The doctrine AI: one commander per faction, playing through the orders the rules allow."""

from __future__ import annotations

import numpy as np

from anabasis.ai.analysis import situation
from anabasis.ai.doctrine import answers, intent_under
from anabasis.ai.intent import SKILLS
from anabasis.ai.planner import Planner
from anabasis.ai.playbook import decide, playbook
from anabasis.engine.orders import Order
from anabasis.engine.state import GameState


class Commander:
    """Answers the decisions put to its faction, then plans the week from its doctrine in the scenario.

    It remembers, for the one game it plays, the options it drew for its decisions and the turn each phase of
    its doctrine began, so that a slow commander reacts late to a change of phase."""

    name = "ai"

    def __init__(self, skill: int = 2) -> None:
        self.skill = SKILLS[skill]
        self.choices: dict[str, str] | None = None
        self.since: dict[str, int] = {}

    def orders(self, state: GameState, faction: str, rng: np.random.Generator) -> list[Order]:
        if state.ended:
            return []
        f = state.world.faction_index[faction]
        book = playbook(state.world, f)
        if self.choices is None:
            self.choices = decide(book.choices, rng)
        sit = situation(state)
        out: list[Order] = list(answers(state, f, self.choices, self.skill)) if sit.deciding else []
        if sit.has_units(f):  # with no units on the map there is nothing to plan
            bearing = book.bearing(state, self.since, self.skill.reaction)
            intent = intent_under(state, f, self.skill, book=book, bearing=bearing, choices=self.choices)
            out.extend(Planner(state, f, intent, self.skill).plan())
        return out
