"""Battles for stations: effective strength, the odds, one seeded draw, losses, retreat and capture."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from anabasis.engine.jit import kernel
from anabasis.engine.network import hostility
from anabasis.engine.report import Battle, Report
from anabasis.engine.state import ACTIVE, DESTROYED, GameState
from anabasis.engine.world import ALLIED, NOBODY, WAR, FloatArray, IntArray
from anabasis.scenario.models import Rules

LOSS_CAP = 0.9  # no battle of a week takes more than nine in ten of a unit's men


def worth_factors(state: GameState, units: IntArray) -> dict[str, FloatArray]:
    """What multiplies each unit's men into fighting worth, by factor: the parts `unit_worths` multiplies.

    Arms (the armed share), cohesion, supply (six tenths without stores) and kind (a man on an armoured train,
    a gunner, a horseman or a partisan is worth more or less than a rifleman).
    """
    return {
        "armed": state.arms[units],
        "cohesion": 0.3 + 0.7 * state.cohesion[units],
        "supply": np.where(state.stores[units] > 0, 1.0, 0.6),
        "kind": state.world.unit_worth[units],
    }


def unit_worths(state: GameState, units: IntArray) -> FloatArray:
    """Fighting worth of each unit's men: the product of its `worth_factors`.

    The one formula the battles use and the AI plans with.
    """
    f = worth_factors(state, units)
    worth: FloatArray = state.men[units] * f["armed"] * f["cohesion"] * f["supply"] * f["kind"]
    return worth


def guard_factors(state: GameState, units: IntArray) -> dict[str, FloatArray]:
    """What multiplies each defender's worth: dug in helps, men caught on trains (not armoured ones) do badly."""
    r = state.world.rules
    return {
        "dug_in": np.where(state.dug_in[units], 1.0 + r.dug_in_bonus, 1.0),
        "entrained": np.where(state.entrained[units] & (state.world.unit_kind[units] != 3), r.entrained_defence, 1.0),
    }


def guard_worths(state: GameState, units: IntArray, worths: FloatArray) -> FloatArray:
    """Each defender's worth before the station's fortification: its worth times its `guard_factors`."""
    f = guard_factors(state, units)
    guard: FloatArray = worths * f["dug_in"] * f["entrained"]
    return guard


def winter_factor(state: GameState) -> float:
    """What winter does to every attack this week (1.0 out of winter)."""
    r = state.world.rules
    return r.winter_attack if state.world.winter[min(state.turn, state.world.turns - 1)] else 1.0


def fortification_factor(state: GameState, station: int) -> float:
    """What the station's fortifications do for its defenders."""
    return 1.0 + state.world.rules.fortification_bonus * int(state.world.fortification[station])


def attack_strength(state: GameState, units: list[int]) -> float:
    """Effective strength of attacking units; winter slows every attack."""
    return float(sum(unit_worths(state, np.array(units, dtype=np.int64)).tolist())) * winter_factor(state)


def defence_strength(state: GameState, units: list[int], station: int) -> float:
    """Effective strength of defenders: fortification, digging in, and the weakness of men on trains."""
    chosen = np.array(units, dtype=np.int64)
    return float(sum(guard_worths(state, chosen, unit_worths(state, chosen)).tolist())) * fortification_factor(
        state, station
    )


def strength_ratio(attack: float, defence: float) -> float:
    """The ratio of strengths the losses follow (a defence of under one counts as one)."""
    return attack / max(defence, 1.0)


def attacker_share(rules: Rules, ratio: float, noise: float, won: bool) -> float:
    """The share of the attackers' men lost, before the cap: fewer the stronger they were, half again if beaten."""
    return rules.loss_rate * min(2.0, max(0.2, 1.0 / max(ratio, 1e-6))) * noise * (1.0 if won else 1.5)


def defender_share(rules: Rules, ratio: float, noise: float, won: bool) -> float:
    """The share of the defenders' men lost, before the cap: more the stronger the attack, half again if beaten."""
    return rules.loss_rate * min(2.0, max(0.2, ratio)) * noise * (1.5 if won else 1.0)


def casualties(men: int, share: float) -> int:
    """The men a unit of `men` loses to a (capped) `share`."""
    return min(men, round(men * share))


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


class Garrisons:
    """The units on the map at each station, in unit order; `get(station, default)` as a dict's, where a station
    with none is left out."""

    __slots__ = ("_first", "_units")

    def __init__(self, first: list[int], units: list[int]) -> None:
        self._first, self._units = first, units

    def get(self, station: int, default: Sequence[int] = ()) -> Sequence[int]:
        start, end = self._first[station], self._first[station + 1]
        return self._units[start:end] if start < end else default


def garrisons(state: GameState) -> Garrisons:
    """The `Garrisons` of a state, worked out once per state (a battle's every question asks)."""
    hit = state.cache.get("garrisons")
    if not isinstance(hit, Garrisons):
        first, units = _by_station(state.station, state.status, state.world.n_stations)
        state.cache["garrisons"] = hit = Garrisons(first.tolist(), units.tolist())
    return hit


@kernel
def _by_station(station: IntArray, status: IntArray, n_stations: int) -> tuple[IntArray, IntArray]:
    """The units on the map sorted by station, in unit order within one (a counting sort), and where each
    station's begin."""
    first = np.zeros(n_stations + 1, dtype=np.int64)
    for u in range(station.shape[0]):
        if station[u] >= 0 and status[u] == ACTIVE:
            first[station[u] + 1] += 1
    for s in range(n_stations):
        first[s + 1] += first[s]
    units = np.empty(first[n_stations], dtype=np.int64)
    filled = first[:-1].copy()
    for u in range(station.shape[0]):
        if station[u] >= 0 and status[u] == ACTIVE:
            units[filled[station[u]]] = u
            filled[station[u]] += 1
    return first, units


def defenders_of(state: GameState, station: int, faction: int) -> list[int]:
    """Units at `station` at war with `faction`."""
    w = state.world
    war = state.stance[faction] == WAR
    return [u for u in garrisons(state).get(station, ()) if war[w.unit_faction[u]]]


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
        n = casualties(int(state.men[u]), share)
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
        ratio = strength_ratio(a, d)
        a_loss = _lose(state, attackers, min(attacker_share(r, ratio, noise_a, won), LOSS_CAP))
        d_loss = _lose(state, defenders, min(defender_share(r, ratio, noise_d, won), LOSS_CAP))
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
