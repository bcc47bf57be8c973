"""The Whites: rise behind the Legion, hold their governments' seats (Samara, Omsk, Chita) and, from the
Armistice, Kolchak's front in the Urals; attack only where the odds favour them.
"""

from __future__ import annotations

import dataclasses

from anabasis.ai.doctrine import Doctrine, generic_intent, home_port
from anabasis.ai.intent import Intent, Skill
from anabasis.engine.state import GameState

SEAT = 0.8  # garrison the Whites keep at a threatened station, as a share of the enemy next to it


def intent(state: GameState, faction: int, skill: Skill) -> Intent:
    """The Whites' aims this week: the generic ones, holding their seats and falling back toward the port."""
    return dataclasses.replace(generic_intent(state, faction, skill), hold=SEAT, rear=home_port(state.world))


WHITES = Doctrine(intent)
