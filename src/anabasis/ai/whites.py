"""The Whites: rise behind the Legion, hold their governments' seats (Samara, Omsk, Chita) and, from the
Armistice, Kolchak's front in the Urals; attack only where the odds favour them.
"""

from __future__ import annotations

import numpy as np

from anabasis.ai.doctrine import Doctrine, expected_foes, home_port
from anabasis.ai.intent import Intent, Skill, base_values, blood
from anabasis.engine.state import GameState

SEAT = 0.8  # garrison the Whites keep at a threatened station, as a share of the enemy next to it


def intent(state: GameState, faction: int, skill: Skill) -> Intent:
    """The Whites' aims this week."""
    foes = expected_foes(state, faction, {})
    return Intent(
        value=base_values(state, faction, foes),
        foes=foes,
        blood=blood(state, faction, foes),
        chance=skill.chance,
        may_attack=np.ones(state.world.n_stations, dtype=np.bool_),
        hold=SEAT,
        rear=home_port(state.world),
    )


WHITES = Doctrine(intent)
