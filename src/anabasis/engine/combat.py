"""Battles for stations: effective strength, the odds, one seeded draw, losses, retreat and capture."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from anabasis.engine.network import hostility
from anabasis.engine.report import Battle, Report
from anabasis.engine.state import ACTIVE, DESTROYED, GameState
from anabasis.engine.world import ALLIED, NOBODY, WAR, FloatArray, IntArray


@dataclass(frozen=True, slots=True)
class Odds:
    """What a player sees before attacking: both sides' effective strength and the chance to win."""

    attack: float
    defence: float
    chance: float
    defenders: tuple[str, ...]


def unit_worths(state: GameState, units: IntArray) -> FloatArray:
    """Fighting worth of each unit's men: arms, cohesion, supply (six tenths without stores) and kind.

    The one formula the battles use and the AI plans with.
    """
    w = state.world
    supplied = np.where(state.stores[units] > 0, 1.0, 0.6)
    spirit = 0.3 + 0.7 * state.cohesion[units]
    worth: FloatArray = state.men[units] * state.arms[units] * spirit * supplied * w.unit_worth[units]
    return worth


def guard_worths(state: GameState, units: IntArray, worths: FloatArray) -> FloatArray:
    """Each defender's worth before the station's fortification: dug in helps, men caught on trains do badly."""
    r = state.world.rules
    dug = np.where(state.dug_in[units], 1.0 + r.dug_in_bonus, 1.0)
    caught = np.where(state.entrained[units] & (state.world.unit_kind[units] != 3), r.entrained_defence, 1.0)
    guard: FloatArray = worths * dug * caught
    return guard


def attack_strength(state: GameState, units: list[int]) -> float:
    """Effective strength of attacking units; winter slows every attack."""
    r = state.world.rules
    winter = r.winter_attack if state.world.winter[min(state.turn, state.world.turns - 1)] else 1.0
    return float(sum(unit_worths(state, np.array(units, dtype=np.int64)).tolist())) * winter


def defence_strength(state: GameState, units: list[int], station: int) -> float:
    """Effective strength of defenders: fortification, digging in, and the weakness of men on trains."""
    r = state.world.rules
    fort = 1.0 + r.fortification_bonus * int(state.world.fortification[station])
    chosen = np.array(units, dtype=np.int64)
    return float(sum(guard_worths(state, chosen, unit_worths(state, chosen)).tolist())) * fort


def win_chance(attack: float, defence: float, steepness: float) -> float:
    """The attacker's chance: even at 1:1, rising steeply with the ratio of strengths."""
    if defence <= 0:
        return 1.0
    if attack <= 0:
        return 0.0
    try:
        ratio = float((attack / defence) ** steepness)
    except OverflowError:  # odds beyond what a float holds are a certain win
        return 1.0
    return ratio / (1.0 + ratio)


def ratio_for(chance: float, steepness: float) -> float:
    """The ratio of strengths that gives an attacker `chance` of winning: the inverse of `win_chance`."""
    try:
        return float((chance / (1.0 - chance)) ** (1.0 / steepness))
    except (OverflowError, ZeroDivisionError):  # a certainty no finite force buys
        return math.inf


def garrisons(state: GameState) -> dict[int, list[int]]:
    """The units on the map at each station (stations with none are left out), worked out once per state."""
    hit = state.cache.get("garrisons")
    if hit is None:
        here: dict[int, list[int]] = {}
        active = (state.station >= 0) & (state.status == ACTIVE)
        for u, station in zip(np.flatnonzero(active).tolist(), state.station[active].tolist(), strict=True):
            here.setdefault(station, []).append(u)
        state.cache["garrisons"] = hit = here
    return hit  # type: ignore[return-value]


def defenders_of(state: GameState, station: int, faction: int) -> list[int]:
    """Units at `station` at war with `faction`."""
    w = state.world
    war = state.stance[faction] == WAR
    return [u for u in garrisons(state).get(station, ()) if war[w.unit_faction[u]]]


def preview_combat(state: GameState, attackers: list[int], station: int) -> Odds:
    """The odds of an attack by these units on `station`, as the player sees them before ordering it."""
    w = state.world
    faction = int(w.unit_faction[attackers[0]]) if attackers else 0
    defenders = defenders_of(state, station, faction)
    a = attack_strength(state, attackers)
    d = defence_strength(state, defenders, station)
    return Odds(a, d, win_chance(a, d, w.rules.odds_steepness), tuple(w.unit_ids[u] for u in defenders))


def retreat_station(state: GameState, faction: int, station: int) -> int:
    """The neighbouring station the faction's men beaten at `station` fall back to, along open track and out of
    enemy hands: their own first, then an ally's, then one a neutral or nobody holds, the first of each in the
    line's order; -1 when there is none, and the beaten are taken or scattered. The AI reckons with the same."""
    w = state.world
    hostile = hostility(state)[faction]
    best, best_rank = -1, 3
    for other, seg in w.adjacency[station]:
        if state.damage[seg] > 0 or hostile[other]:
            continue
        holder = int(state.control[other])
        rank = 0 if holder == faction else 1 if holder != NOBODY and state.stance[faction, holder] == ALLIED else 2
        if rank < best_rank:
            best, best_rank = other, rank
    return best


def _lose(state: GameState, units: list[int], share: float) -> int:
    """Take `share` of each unit's men as casualties; return the men lost."""
    lost = 0
    w = state.world
    for u in units:
        n = min(int(state.men[u]), round(int(state.men[u]) * share))
        state.men[u] -= n
        state.casualties[w.unit_faction[u]] += n
        lost += n
        if state.men[u] <= 0:
            state.status[u] = DESTROYED
            state.station[u] = -1
    return lost


def fight(state: GameState, station: int, attackers: list[int], rng: np.random.Generator) -> Battle:
    """Resolve one battle at `station` and apply it to `state`."""
    w, r = state.world, state.world.rules
    faction = int(w.unit_faction[attackers[0]])
    defenders = defenders_of(state, station, faction)
    holder = int(state.control[station])
    defender_faction = int(w.unit_faction[defenders[0]]) if defenders else holder
    a = attack_strength(state, attackers)
    d = defence_strength(state, defenders, station)
    chance = win_chance(a, d, r.odds_steepness)
    won = bool(rng.random() < chance) if defenders else True
    a_loss = d_loss = 0
    retreats: list[tuple[str, str]] = []
    destroyed: list[str] = []
    if defenders:
        noise_a, noise_d = rng.uniform(0.75, 1.25, size=2).tolist()
        ratio = a / max(d, 1.0)
        a_share = r.loss_rate * min(2.0, max(0.2, 1.0 / max(ratio, 1e-6))) * noise_a * (1.0 if won else 1.5)
        d_share = r.loss_rate * min(2.0, max(0.2, ratio)) * noise_d * (1.5 if won else 1.0)
        a_loss = _lose(state, attackers, min(a_share, 0.9))
        d_loss = _lose(state, defenders, min(d_share, 0.9))
    losers = defenders if won else [u for u in attackers if state.station[u] == station]
    for u in losers:
        if state.status[u] != ACTIVE:
            destroyed.append(w.unit_ids[u])
            continue
        to = retreat_station(state, int(w.unit_faction[u]), station)
        if to < 0:
            # Nowhere to go: the unit is captured or disperses.
            n = int(state.men[u])
            state.casualties[w.unit_faction[u]] += n
            state.men[u] = 0
            state.status[u] = DESTROYED
            state.station[u] = -1
            destroyed.append(w.unit_ids[u])
            if won:
                d_loss += n
            else:
                a_loss += n
            continue
        state.station[u] = to
        state.segment[u] = -1
        state.goal[u] = -1
        state.dug_in[u] = False
        state.cohesion[u] = max(0.0, state.cohesion[u] - 0.2)
        retreats.append((w.unit_ids[u], w.station_ids[to]))
    if won:
        for u in attackers:
            if state.status[u] == ACTIVE:
                state.station[u], state.segment[u], state.goal[u] = station, -1, -1
        if holder == NOBODY or state.stance[faction, holder] != ALLIED:
            state.control[station] = faction
        if w.depot[station] > 0:
            # A taken arsenal arms the victors (the Legion rearmed from captured Red stores).
            for u in attackers:
                state.arms[u] = min(1.0, state.arms[u] + r.capture_arms)
    else:
        for u in attackers:
            state.cohesion[u] = max(0.0, state.cohesion[u] - 0.1)
    state.touch()
    return Battle(
        station=w.station_ids[station],
        attacker=w.faction_ids[faction],
        defender=w.faction_ids[defender_faction] if defender_faction != NOBODY else "",
        attackers=tuple(w.unit_ids[u] for u in attackers),
        defenders=tuple(w.unit_ids[u] for u in defenders),
        attack=round(a, 1),
        defence=round(d, 1),
        chance=round(chance, 4),
        attacker_won=won,
        attacker_losses=a_loss,
        defender_losses=d_loss,
        retreats=tuple(retreats),
        destroyed=tuple(destroyed),
    )


def resolve_battles(state: GameState, attacks: dict[int, list[int]], rng: np.random.Generator, report: Report) -> None:
    """Fight every ordered attack, station by station in a fixed order, each faction's units together."""
    w = state.world
    # Where each attacker set out from: a unit driven off by an earlier battle of the week drops its attack.
    origin = {u: (int(state.station[u]), int(state.segment[u])) for units in attacks.values() for u in units}
    for station in sorted(attacks):
        by_faction: dict[int, list[int]] = {}
        for u in attacks[station]:
            by_faction.setdefault(int(w.unit_faction[u]), []).append(u)
        for faction in sorted(by_faction):
            units = [
                u
                for u in by_faction[faction]
                if state.status[u] == ACTIVE and (int(state.station[u]), int(state.segment[u])) == origin[u]
            ]
            holder = int(state.control[station])
            hostile_holder = holder != NOBODY and state.stance[faction, holder] == WAR
            if not units or not (hostile_holder or defenders_of(state, station, faction)):
                continue
            report.battles.append(fight(state, station, units, rng))
