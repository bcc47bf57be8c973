"""The Allies: land, keep the war stores at the ports from the enemy, guard the railway and the Far East, and
let each contingent do only what its government allows (the Americans do not fight the Reds, the Japanese
stay east of Baikal, the Canadians in Vladivostok).
"""

from __future__ import annotations

import numpy as np

from anabasis.ai.analysis import weighted
from anabasis.ai.doctrine import Doctrine, expected_foes, home_port
from anabasis.ai.intent import Intent, Skill, base_values, blood
from anabasis.engine.state import GameState
from anabasis.engine.victory import STOCKPILE
from anabasis.engine.world import FloatArray, World

# Send the British, French and Italians west to the Legion (September 1918); keep the Japanese on (June 1920).
CHOICES = {"allies_go_west": "go_west", "japan_stays": "stay"}
STORES_GUARD = 1.0  # garrison kept at a port with stores, as a share of the enemy next to it


def stores_value(world: World, faction: int, turn: int) -> FloatArray:
    """Per station: points a week the faction scores for keeping the stockpiles there (remembered per turn; the
    answer is shared, so not to be changed)."""

    def points() -> FloatArray:
        live = (
            (world.objective_kind == STOCKPILE)
            & (world.objective_faction == faction)
            & (world.objective_first <= turn)
            & (world.objective_last >= turn)
        )
        per_stockpile = world.objective_points[live] @ world.objective_stockpiles[live].astype(np.float64)
        return weighted(world.stockpile_station, per_stockpile, world.n_stations)

    return world.memo("ai.stores", (faction, turn), points)


def intent(state: GameState, faction: int, skill: Skill) -> Intent:
    """The Allies' aims this week."""
    w = state.world
    foes = expected_foes(state, faction, CHOICES)
    stores = stores_value(w, faction, state.turn)
    return Intent(
        value=base_values(state, faction, foes) + stores,
        foes=foes,
        blood=blood(state, faction, foes),
        chance=skill.chance,
        may_attack=np.ones(w.n_stations, dtype=np.bool_),
        hold=STORES_GUARD if stores.any() else 0.7,
        rear=home_port(w),
    )


ALLIES = Doctrine(intent, CHOICES)
