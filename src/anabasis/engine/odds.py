"""What a player sees before attacking: the odds, the factors behind each side's strength, and what winning or
failing would cost, all from the rules `fight` plays by (the same functions, the noise at its mean)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anabasis.engine.combat import (
    LOSS_CAP,
    attack_strength,
    attacker_share,
    casualties,
    defence_strength,
    defender_share,
    defenders_of,
    fortification_factor,
    guard_factors,
    retreat_station,
    strength_ratio,
    win_chance,
    winter_factor,
    worth_factors,
)
from anabasis.engine.state import GameState
from anabasis.engine.world import FloatArray

NOISE_MEAN = 1.0  # a battle's losses are scaled by a draw between 0.75 and 1.25


@dataclass(frozen=True, slots=True)
class Factor:
    """One thing that makes a side stronger or weaker: what its strength is multiplied by because of it.

    `name` is one of armed, cohesion, supply, kind (attack and defence), dug_in, entrained, fortification
    (defence) and winter (attack).
    """

    name: str
    effect: float


@dataclass(frozen=True, slots=True)
class Outcome:
    """About how many men each side loses if the attack ends one way, and where the beaten go: each unit's
    retreat (unit id, station id), or taken when there is no way back (unit ids)."""

    attacker_losses: int
    defender_losses: int
    retreats: tuple[tuple[str, str], ...]
    taken: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Odds:
    """Both sides' effective strength and the chance to win, with the reasons and the likely cost."""

    attack: float
    defence: float
    chance: float
    defenders: tuple[str, ...]
    attack_men: int
    defence_men: int
    attack_factors: tuple[Factor, ...]
    defence_factors: tuple[Factor, ...]
    if_won: Outcome
    if_lost: Outcome


def _effects(men: FloatArray, parts: dict[str, FloatArray]) -> list[Factor]:
    """Each part's effect on the group: its strength with the part over its strength without it."""

    def strength(names: list[str]) -> float:
        return float((men * np.prod([parts[k] for k in names], axis=0)).sum()) if names else float(men.sum())

    total = strength(list(parts))
    factors = []
    for name in parts:
        without = strength([k for k in parts if k != name])
        factors.append(Factor(name, total / without if without else 1.0))
    return factors


def _outcome(state: GameState, attackers: list[int], defenders: list[int], station: int, won: bool) -> Outcome:
    """The losses at the noise's mean, and the beaten units' retreat or capture, as `fight` would apply them."""
    w, r = state.world, state.world.rules
    ratio = strength_ratio(attack_strength(state, attackers), defence_strength(state, defenders, station))
    left = {u: int(state.men[u]) for u in attackers + defenders}
    if defenders:
        a_share = min(attacker_share(r, ratio, NOISE_MEAN, won), LOSS_CAP)
        d_share = min(defender_share(r, ratio, NOISE_MEAN, won), LOSS_CAP)
        for u in attackers:
            left[u] -= casualties(left[u], a_share)
        for u in defenders:
            left[u] -= casualties(left[u], d_share)
    a_loss = sum(int(state.men[u]) - left[u] for u in attackers)
    d_loss = sum(int(state.men[u]) - left[u] for u in defenders)
    losers = defenders if won else [u for u in attackers if state.station[u] == station]
    retreats: list[tuple[str, str]] = []
    taken: list[str] = []
    for u in losers:
        if left[u] <= 0:
            continue
        to = retreat_station(state, int(w.unit_faction[u]), station)
        if to >= 0:
            retreats.append((w.unit_ids[u], w.station_ids[to]))
            continue
        taken.append(w.unit_ids[u])
        if won:
            d_loss += left[u]
        else:
            a_loss += left[u]
    return Outcome(a_loss, d_loss, tuple(retreats), tuple(taken))


def preview_combat(state: GameState, attackers: list[int], station: int) -> Odds:
    """The odds of an attack by these units on `station`, as the player sees them before ordering it."""
    w = state.world
    faction = int(w.unit_faction[attackers[0]]) if attackers else 0
    defenders = defenders_of(state, station, faction)
    a = attack_strength(state, attackers)
    d = defence_strength(state, defenders, station)
    att = np.array(attackers, dtype=np.int64)
    dfn = np.array(defenders, dtype=np.int64)
    attack_factors = [
        *_effects(state.men[att].astype(np.float64), worth_factors(state, att)),
        Factor("winter", winter_factor(state)),
    ]
    defence_factors = (
        [
            *_effects(state.men[dfn].astype(np.float64), {**worth_factors(state, dfn), **guard_factors(state, dfn)}),
            Factor("fortification", fortification_factor(state, station)),
        ]
        if defenders
        else []
    )
    return Odds(
        attack=a,
        defence=d,
        chance=win_chance(a, d, w.rules.odds_steepness),
        defenders=tuple(w.unit_ids[u] for u in defenders),
        attack_men=int(state.men[att].sum()),
        defence_men=int(state.men[dfn].sum()),
        attack_factors=tuple(attack_factors),
        defence_factors=tuple(defence_factors),
        if_won=_outcome(state, attackers, defenders, station, True),
        if_lost=_outcome(state, attackers, defenders, station, False),
    )
