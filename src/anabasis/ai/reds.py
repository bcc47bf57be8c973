"""The Bolsheviks: hold the garrisons through the summer of 1918, counter-attack from the Volga in the autumn,
and push east along the railway through 1919 until Siberia is theirs.

The push is a schedule of how far from the capital the Red Army's offensives reach, date by date; the local
garrisons beyond that line hold what they have, and the partisans raid wherever they are.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from anabasis.ai.doctrine import Doctrine, expected_foes
from anabasis.ai.intent import Intent, Skill, base_values, blood
from anabasis.engine.state import GameState
from anabasis.engine.world import World

PARTISANS = 4  # index of `partisans` in the world's unit kinds

# How far along the railway from the capital the Red offensives reach (km), from each date on.
OFFENSIVES = (
    (dt.date(1918, 9, 1), 1150.0),  # autumn 1918: the Volga (Kazan, Simbirsk, Syzran, Samara)
    (dt.date(1918, 12, 1), 1550.0),  # winter: Ufa and Orenburg
    (dt.date(1919, 6, 1), 2050.0),  # summer 1919: the Urals (Zlatoust, Chelyabinsk, Yekaterinburg, Perm)
    (dt.date(1919, 8, 15), 2900.0),  # the Tobol and Omsk, which fell in November
    (dt.date(1919, 12, 1), 4300.0),  # winter 1919-20: Novonikolaevsk and Krasnoyarsk
    (dt.date(1920, 2, 15), float("inf")),  # Irkutsk and the Far East
)


def capital(world: World, faction: int) -> int:
    """The faction's biggest depot at the start: where its offensives are reckoned from (Moscow); -1 for none."""
    key = ("ai.capital", faction)
    hit = world.cache.get(key)
    if isinstance(hit, int):
        return hit
    held = [k for k, st in enumerate(world.scenario.stations) if st.held_by == world.faction_ids[faction]]
    out = max(held, key=lambda k: (float(world.depot[k]), -k)) if held else -1
    world.cache[key] = out
    return out


def reach(state: GameState, skill: Skill) -> float:
    """How far from the capital the offensives reach this week (0 before the counter-offensive)."""
    date = state.date - dt.timedelta(weeks=skill.reaction)
    out = 0.0
    for start, km in OFFENSIVES:
        if date >= start:
            out = km
    return out


def intent(state: GameState, faction: int, skill: Skill) -> Intent:
    """The Reds' aims this week: garrisons sit tight until the counter-offensive, then the front moves east."""
    w = state.world
    foes = expected_foes(state, faction, {})
    km = reach(state, skill)
    home = capital(w, faction)
    may_attack = w.distance[home] <= km if home >= 0 else np.ones(w.n_stations, dtype=np.bool_)
    intent = Intent(
        value=base_values(state, faction, foes),
        foes=foes,
        blood=blood(state, faction, foes),
        chance=skill.chance,
        may_attack=may_attack,
        unbound=w.unit_kind == PARTISANS,
        rear=home,
    )
    if km <= 0:
        # Until Trotsky has the Red Army in hand, garrisons hold where they are and the armies coming up stay
        # where they detrain, behind the Volga.
        intent.stay = w.unit_starts & (w.unit_faction == faction)
        intent.fall_back = float("inf")
        intent.concentrate = False
    return intent


REDS = Doctrine(intent)
