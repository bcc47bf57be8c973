"""Battles for stations: effective strength, the odds, one seeded draw, losses, retreat and capture."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from anabasis.engine.jit import inner_kernel, kernel, small_kernel
from anabasis.engine.later import Later
from anabasis.engine.network import _hostility, hostility, rails
from anabasis.engine.report import Battle, Report
from anabasis.engine.state import ACTIVE, DESTROYED, GameState
from anabasis.engine.world import ALLIED, NOBODY, UNIT_KINDS, WAR, BoolArray, FloatArray, IntArray
from anabasis.scenario.models import Rules

LOSS_CAP = 0.9  # no battle of a week takes more than nine in ten of a unit's men
ARMOURED_TRAIN = UNIT_KINDS.index("armoured_train")
WORTH_FACTORS = ("armed", "cohesion", "supply", "kind")
GUARD_FACTORS = ("dug_in", "entrained")

# What units' fighting worth is made of, for the kernels: by unit its men, armed share, cohesion, weeks of stores
# and the worth of a man of its kind. Plain tuples here: numba takes them faster than NamedTuples.
Fighters = tuple[IntArray, FloatArray, FloatArray, FloatArray, FloatArray]
# What defenders' guard is made of: by unit whether dug in and whether on a train, and its kind; then the rules'
# dug-in bonus and the defence of men caught on trains.
Guards = tuple[BoolArray, BoolArray, IntArray, float, float]


def fighters(state: GameState) -> Fighters:
    """The `Fighters` of a state."""
    return (state.men, state.arms, state.cohesion, state.stores, state.world.unit_worth)


def guards(state: GameState) -> Guards:
    """The `Guards` of a state."""
    w, r = state.world, state.world.rules
    return (state.dug_in, state.entrained, w.unit_kind, float(r.dug_in_bonus), float(r.entrained_defence))


@small_kernel
def _worth_factors(fighters: Fighters, u: int) -> tuple[float, float, float, float]:
    """What multiplies a unit's men into fighting worth (`WORTH_FACTORS`): the armed share, cohesion, supply (six
    tenths without stores) and kind (a man on an armoured train, a gunner, a horseman or a partisan is worth more
    or less than a rifleman)."""
    _, arms, cohesion, stores, kind = fighters
    return arms[u], 0.3 + 0.7 * cohesion[u], 1.0 if stores[u] > 0 else 0.6, kind[u]


@small_kernel
def unit_worth(fighters: Fighters, u: int) -> float:
    """A unit's fighting worth: its men times its `_worth_factors`. The one formula the battles use and the AI
    plans with."""
    armed, cohesion, supply, kind = _worth_factors(fighters, u)
    worth: float = fighters[0][u] * armed * cohesion * supply * kind
    return worth


@small_kernel
def guard_terms(guards: Guards, u: int) -> tuple[float, float]:
    """What multiplies a defender's worth (`GUARD_FACTORS`): dug in helps, men caught on trains (not armoured
    ones) do badly."""
    dug_in, entrained, kind, bonus, on_train = guards
    return 1.0 + bonus if dug_in[u] else 1.0, on_train if entrained[u] and kind[u] != ARMOURED_TRAIN else 1.0


@kernel
def _tables(fighters: Fighters, guards: Guards, units: IntArray, out: tuple[FloatArray, FloatArray]) -> None:
    """For the units in turn, into `out`: their worth factors and guard factors, factor x unit."""
    worth, guard = out
    for k in range(units.shape[0]):
        worth[0, k], worth[1, k], worth[2, k], worth[3, k] = _worth_factors(fighters, units[k])
        guard[0, k], guard[1, k] = guard_terms(guards, units[k])


def worth_factors(state: GameState, units: IntArray) -> dict[str, FloatArray]:
    """What multiplies each unit's men into fighting worth, by factor (`_worth_factors`): the parts `unit_worth`
    multiplies."""
    return dict(zip(WORTH_FACTORS, _factor_tables(state, units)[0], strict=True))


def guard_factors(state: GameState, units: IntArray) -> dict[str, FloatArray]:
    """What multiplies each defender's worth, by factor (`guard_terms`)."""
    return dict(zip(GUARD_FACTORS, _factor_tables(state, units)[1], strict=True))


def _factor_tables(state: GameState, units: IntArray) -> tuple[FloatArray, FloatArray]:
    """The units' worth factors and guard factors, factor x unit."""
    chosen = np.asarray(units, dtype=np.int64)
    out = (np.empty((len(WORTH_FACTORS), len(chosen))), np.empty((len(GUARD_FACTORS), len(chosen))))
    _tables(fighters(state), guards(state), chosen, out)
    return out


def winter_factor(state: GameState) -> float:
    """What winter does to every attack this week (1.0 out of winter)."""
    r = state.world.rules
    return r.winter_attack if state.world.winter[min(state.turn, state.world.turns - 1)] else 1.0


def fortification_factor(state: GameState, station: int) -> float:
    """What the station's fortifications do for its defenders."""
    return 1.0 + state.world.rules.fortification_bonus * int(state.world.fortification[station])


@kernel
def _attack(fighters: Fighters, units: IntArray, winter: float) -> float:
    """Effective strength of attacking units, added up in order; winter slows every attack."""
    total = 0.0
    for u in units:
        total += unit_worth(fighters, u)
    return total * winter


@kernel
def _defence(fighters: Fighters, guards: Guards, units: IntArray, fortification: float) -> float:
    """Effective strength of defenders, added up in order: fortification, digging in, and the weakness of men on
    trains."""
    total = 0.0
    for u in units:
        dug_in, entrained = guard_terms(guards, u)
        total += unit_worth(fighters, u) * dug_in * entrained
    return total * fortification


def attack_strength(state: GameState, units: list[int]) -> float:
    """Effective strength of attacking units; winter slows every attack."""
    return float(_attack(fighters(state), np.array(units, dtype=np.int64), winter_factor(state)))


def defence_strength(state: GameState, units: list[int], station: int) -> float:
    """Effective strength of defenders: fortification, digging in, and the weakness of men on trains."""
    chosen = np.array(units, dtype=np.int64)
    return float(_defence(fighters(state), guards(state), chosen, fortification_factor(state, station)))


@kernel
def strength_ratio(attack: float, defence: float) -> float:
    """The ratio of strengths the losses follow (a defence of under one counts as one)."""
    return attack / max(defence, 1.0)


@kernel
def _attacker_share(loss_rate: float, ratio: float, noise: float, won: bool) -> float:
    """`attacker_share`, for the kernels."""
    return loss_rate * min(2.0, max(0.2, 1.0 / max(ratio, 1e-6))) * noise * (1.0 if won else 1.5)


@kernel
def _defender_share(loss_rate: float, ratio: float, noise: float, won: bool) -> float:
    """`defender_share`, for the kernels."""
    return loss_rate * min(2.0, max(0.2, ratio)) * noise * (1.5 if won else 1.0)


def attacker_share(rules: Rules, ratio: float, noise: float, won: bool) -> float:
    """The share of the attackers' men lost, before the cap: fewer the stronger they were, half again if beaten."""
    return float(_attacker_share(float(rules.loss_rate), ratio, noise, won))


def defender_share(rules: Rules, ratio: float, noise: float, won: bool) -> float:
    """The share of the defenders' men lost, before the cap: more the stronger the attack, half again if beaten."""
    return float(_defender_share(float(rules.loss_rate), ratio, noise, won))


@kernel
def casualties(men: int, share: float) -> int:
    """The men a unit of `men` loses to a (capped) `share`."""
    return min(men, round(men * share))


@kernel
def win_chance(attack: float, defence: float, steepness: float) -> float:
    """The attacker's chance: even at 1:1, rising steeply with the ratio of strengths."""
    if defence <= 0:
        return 1.0
    if attack <= 0:
        return 0.0
    base = float(attack / defence)  # a Python float with the JIT off, raised to a power as compiled code does
    try:
        ratio = base ** float(steepness)
    except Exception:  # with the JIT off, Python's word that the odds go beyond what a float holds
        return 1.0
    if math.isinf(ratio) and not math.isinf(base):  # compiled, such odds come out infinite: a certain win
        return 1.0
    chance: float = ratio / (1.0 + ratio)
    return chance


@kernel
def ratio_for(chance: float, steepness: float) -> float:
    """The ratio of strengths that gives an attacker `chance` of winning: the inverse of `win_chance`."""
    if chance >= 1.0:  # a certainty no finite force buys
        return math.inf
    try:
        return float((chance / (1.0 - chance)) ** (1.0 / steepness))
    except Exception:  # with the JIT off, Python's word that the ratio goes beyond what a float holds
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


# Who stands where, for the kernels: by unit its status, station and faction; then the factions' stances.
Standing = tuple[IntArray, IntArray, IntArray, IntArray]


@kernel
def _defenders(standing: Standing, station: int, faction: int, out: IntArray) -> int:
    """The units at `station` at war with `faction`, in unit order, into `out`; returns how many."""
    status, at, of, stance = standing
    count = 0
    if station < 0:  # men out on the line stand in no station
        return 0
    for u in range(status.shape[0]):
        if status[u] == ACTIVE and at[u] == station and stance[faction, of[u]] == WAR:
            out[count] = u
            count += 1
    return count


def defenders_of(state: GameState, station: int, faction: int) -> list[int]:
    """Units at `station` at war with `faction`."""
    out = np.empty(state.world.n_units, dtype=np.int64)
    count = _defenders((state.status, state.station, state.world.unit_faction, state.stance), station, faction, out)
    defenders: list[int] = out[:count].tolist()
    return defenders


# The way back from a battle, for the kernels: each station's links (`Rails.first`, `other`, `link_segment`) and
# the weeks of repair each segment needs; who holds each station, the stances, and where each faction's enemies
# hold or stand (`hostility`).
Ways = tuple[IntArray, IntArray, IntArray, IntArray, IntArray, IntArray, BoolArray]


def ways(state: GameState) -> Ways:
    """The `Ways` of a state."""
    links = rails(state.world)
    return (links.first, links.other, links.link_segment, state.damage, state.control, state.stance, hostility(state))


@kernel
def _retreat_station(ways: Ways, faction: int, station: int) -> int:
    """`retreat_station`, for the kernels."""
    first, other, link_segment, damage, control, stance, hostile = ways
    best, best_rank = -1, 3
    for k in range(first[station], first[station + 1]):
        to = other[k]
        if damage[link_segment[k]] > 0 or hostile[faction, to]:
            continue
        holder = control[to]
        rank = 0 if holder == faction else 1 if holder != NOBODY and stance[faction, holder] == ALLIED else 2
        if rank < best_rank:
            best, best_rank = to, rank
    return best


def retreat_station(state: GameState, faction: int, station: int) -> int:
    """The neighbouring station the faction's men beaten at `station` fall back to, along open track and out of
    enemy hands: their own first, then an ally's, then one a neutral or nobody holds, the first of each in the
    line's order; -1 when there is none, and the beaten are taken or scattered. The AI reckons with the same."""
    return int(_retreat_station(ways(state), faction, station))


@inner_kernel
def _engage(
    army: tuple[Fighters, Guards],
    standing: Standing,
    battle: tuple[int, IntArray, float, float, float],
    defenders: IntArray,
) -> tuple[int, float, float, float]:
    """Who defends `battle`'s station against its attackers (into `defenders`), both sides' strength and the
    attackers' chance (`battle`: the station, the attackers, the winter and fortification factors, the steepness
    of the odds)."""
    fighters, guards = army
    station, attackers, winter, fortification, steepness = battle
    count = _defenders(standing, station, standing[2][attackers[0]], defenders)
    attack = _attack(fighters, attackers, winter)
    defence = _defence(fighters, guards, defenders[:count], fortification)
    return count, attack, defence, win_chance(attack, defence, steepness)


# The units a battle changes, for the kernel: by unit its men, status, station, segment, goal, whether dug in,
# cohesion, arms and faction; then the dead by faction.
Troops = tuple[IntArray, IntArray, IntArray, IntArray, IntArray, BoolArray, FloatArray, FloatArray, IntArray, IntArray]
# A battle once the dice are cast, for the kernel: the station, the attackers and defenders, whether the attackers
# won, the noise on each side's losses, both sides' strength, the rules' loss rate and the arms a taken arsenal
# gives, and whether the station is one.
Outcome = tuple[int, IntArray, IntArray, bool, float, float, float, float, float, float, bool]


@inner_kernel
def _lose(troops: Troops, units: IntArray, share: float) -> int:
    """Take `share` of each unit's men as casualties; return the men lost."""
    men, status, station, _, _, _, _, _, faction, dead = troops
    lost = 0
    for u in units:
        n = casualties(men[u], share)
        men[u] -= n
        dead[faction[u]] += n
        lost += n
        if men[u] <= 0:
            status[u] = DESTROYED
            station[u] = -1
    return lost


@inner_kernel
def _settle(troops: Troops, ways: Ways, outcome: Outcome, told: tuple[IntArray, IntArray]) -> tuple[int, int, int, int]:
    """Apply a battle's outcome: the losses, the beaten falling back (along `ways`, as they stood before the
    battle) or taken, the victors moving in. Puts the retreats (unit, station) and the units destroyed, in order,
    in `told`; returns the attackers' and the defenders' losses, and how many units retreated and were destroyed."""
    men, status, station, segment, goal, dug_in, cohesion, arms, faction, dead = troops
    control, stance = ways[4], ways[5]
    where, attackers, defenders, won, noise_a, noise_d, attack, defence, loss_rate, capture_arms, depot = outcome
    retreats, destroyed = told
    a_loss = d_loss = 0
    if defenders.shape[0] > 0:
        ratio = strength_ratio(attack, defence)
        a_loss = _lose(troops, attackers, min(_attacker_share(loss_rate, ratio, noise_a, won), LOSS_CAP))
        d_loss = _lose(troops, defenders, min(_defender_share(loss_rate, ratio, noise_d, won), LOSS_CAP))
    n_retreats = n_destroyed = 0
    for u in defenders if won else attackers:
        if not won and station[u] != where:  # of the beaten attackers, those who stood in the station fall back
            continue
        if status[u] != ACTIVE:
            destroyed[n_destroyed] = u
            n_destroyed += 1
            continue
        to = _retreat_station(ways, faction[u], where)
        if to < 0:
            # Nowhere to go: the unit is captured or disperses.
            n = men[u]
            dead[faction[u]] += n
            men[u] = 0
            status[u] = DESTROYED
            station[u] = -1
            destroyed[n_destroyed] = u
            n_destroyed += 1
            if won:
                d_loss += n
            else:
                a_loss += n
            continue
        station[u], segment[u], goal[u], dug_in[u] = to, -1, -1, False
        cohesion[u] = max(0.0, cohesion[u] - 0.2)
        retreats[n_retreats, 0], retreats[n_retreats, 1] = u, to
        n_retreats += 1
    if won:
        for u in attackers:
            if status[u] == ACTIVE:
                station[u], segment[u], goal[u] = where, -1, -1
        side, holder = faction[attackers[0]], control[where]
        if holder == NOBODY or stance[side, holder] != ALLIED:
            control[where] = side
        if depot:
            # A taken arsenal arms the victors (the Legion rearmed from captured Red stores).
            for u in attackers:
                arms[u] = min(1.0, arms[u] + capture_arms)
    else:
        for u in attackers:
            cohesion[u] = max(0.0, cohesion[u] - 0.1)
    return a_loss, d_loss, n_retreats, n_destroyed


# What a week's battles read (`_battles`): the stations attacked, in order; where the attackers of each begin among
# those listed (one more entry closes the last); the attackers, in the order given; and by station its fortification
# and whether it is a depot.
Week = tuple[IntArray, IntArray, IntArray, IntArray, FloatArray]
# The rules' terms of battle: winter's factor this week, the fortification bonus, the steepness of the odds, the
# loss rate and the arms a taken arsenal gives.
Terms = tuple[float, float, float, float, float]
# Where the kernel tells the battles: a row and the numbers of each; then, battle after battle, the attackers who
# fought, the defenders, the retreats (unit, station) and the units destroyed.
Told = tuple[IntArray, FloatArray, IntArray, IntArray, IntArray, IntArray]

# The columns of a battle's row: the station and the attacking faction; whether it was fought and the attackers
# won; the faction defending (`NOBODY` for none); both sides' losses; and where its attackers, defenders, retreats
# and units destroyed end in their lists.
STATION, SIDE, FOUGHT, WON, DEFENDER, A_LOSS, D_LOSS, KEPT_END, DEFENDERS_END, RETREATS_END, DESTROYED_END = range(11)
# The columns of a battle's numbers: both sides' strength and the attackers' chance.
ATTACK, DEFENCE, CHANCE = range(3)
# Uniform draws a battle with defenders takes, in this order: whether the attackers win, then the noise on the
# attackers' and the defenders' losses (the `0.75 + 0.5 * draw` of `uniform(0.75, 1.25)`).
DRAWS = 3


@kernel
def _battles(  # noqa: PLR0917
    army: tuple[Fighters, Guards],
    standing: Standing,
    troops: Troops,
    links: tuple[IntArray, IntArray, IntArray, IntArray, IntArray],
    week: Week,
    terms: Terms,
    draws: FloatArray,
    told: Told,
) -> tuple[int, int]:
    """Fight the week's battles in turn, each on the state the last one left, and tell them into `told`: at each
    station attacked, each faction's attackers together, the factions in order. An attacker driven off its ground
    by an earlier battle drops its attack; a battle with nobody left to attack, or no one to fight (no defender, and
    no enemy holds the station), is not fought. Takes `DRAWS` of `draws` for each battle with defenders. Returns
    how many battles there were and how many draws they took. `links`: by station its links (`Rails.first`,
    `other`, `link_segment`), by segment the weeks of repair it needs, and by station who holds it."""
    status, station, faction, stance = standing
    segment, control = troops[3], links[4]
    attacked, first, attackers, fortification, depot = week
    winter, bonus, steepness, loss_rate, capture_arms = terms
    rows, numbers, kept, defenders, retreats, destroyed = told
    n_units = status.shape[0]
    scratch = (np.empty((n_units, 2), dtype=np.int64), np.empty(n_units, dtype=np.int64))
    ground = np.empty((attackers.shape[0], 2), dtype=np.int64)  # where each attacker set out from
    for i in range(attackers.shape[0]):
        ground[i, 0], ground[i, 1] = station[attackers[i]], segment[attackers[i]]
    b = taken = n_kept = n_defenders = n_retreats = n_destroyed = 0
    for k in range(attacked.shape[0]):
        where = attacked[k]
        for side in range(stance.shape[0]):
            start, listed = n_kept, False
            for i in range(first[k], first[k + 1]):
                u = attackers[i]
                if faction[u] != side:
                    continue
                listed = True
                if status[u] == ACTIVE and station[u] == ground[i, 0] and segment[u] == ground[i, 1]:
                    kept[n_kept] = u
                    n_kept += 1
            if not listed:
                continue
            rows[b, :] = 0
            rows[b, STATION], rows[b, SIDE] = where, side
            if n_kept > start:
                units = kept[start:n_kept]
                battle = (where, units, winter, 1.0 + bonus * fortification[where], steepness)
                count, attack, defence, chance = _engage(army, standing, battle, defenders[n_defenders:])
                holder = control[where]
                if count or (holder != NOBODY and stance[side, holder] == WAR):
                    won, noise_a, noise_d = True, 1.0, 1.0
                    if count:
                        won = draws[taken] < chance
                        noise_a, noise_d = 0.75 + 0.5 * draws[taken + 1], 0.75 + 0.5 * draws[taken + 2]
                        taken += DRAWS
                    fought = defenders[n_defenders : n_defenders + count]
                    hostile = _hostility(stance, control, status, station, faction)
                    ways = (links[0], links[1], links[2], links[3], control, stance, hostile)
                    outcome = (where, units, fought, won, noise_a, noise_d, attack, defence, loss_rate, capture_arms,
                               depot[where] > 0)  # fmt: skip
                    a_loss, d_loss, back, lost = _settle(troops, ways, outcome, scratch)
                    rows[b, FOUGHT], rows[b, WON] = 1, 1 if won else 0
                    rows[b, DEFENDER] = faction[fought[0]] if count else holder
                    rows[b, A_LOSS], rows[b, D_LOSS] = a_loss, d_loss
                    numbers[b, ATTACK], numbers[b, DEFENCE], numbers[b, CHANCE] = attack, defence, chance
                    n_defenders += count
                    retreats[n_retreats : n_retreats + back] = scratch[0][:back]
                    destroyed[n_destroyed : n_destroyed + lost] = scratch[1][:lost]
                    n_retreats += back
                    n_destroyed += lost
            rows[b, KEPT_END], rows[b, DEFENDERS_END] = n_kept, n_defenders
            rows[b, RETREATS_END], rows[b, DESTROYED_END] = n_retreats, n_destroyed
            b += 1
    return b, taken


# A fresh machine fights its first battles interpreted while a helper compiles this kernel: compiling it with all
# it calls, ahead of the first game, added seconds to a first start that may take 20 at most (see `later`).
BATTLES = Later(_battles)


def resolve_battles(state: GameState, attacks: dict[int, list[int]], rng: np.random.Generator, report: Report) -> None:
    """Fight every ordered attack, station by station in a fixed order, each faction's units together, in one
    compiled pass; the engine's generator gives up exactly the draws the battles took. The report tells the
    battles when read."""
    if not attacks:
        return
    s, w, r = state, state.world, state.world.rules
    attacked = sorted(attacks)
    first, attackers = [0], []
    for station in attacked:
        attackers += attacks[station]
        first.append(len(attackers))
    n, n_units = len(attackers), w.n_units  # no more battles than attackers
    week = (_ints(attacked), _ints(first), _ints(attackers), w.fortification, w.depot)
    terms = (winter_factor(s), float(r.fortification_bonus), float(r.odds_steepness), float(r.loss_rate),
             float(r.capture_arms))  # fmt: skip
    told = (
        np.empty((n, 11), dtype=np.int64),
        np.zeros((n, 3)),
        np.empty(n, dtype=np.int64),
        np.empty(n * n_units, dtype=np.int64),
        np.empty((n * n_units, 2), dtype=np.int64),
        np.empty(n * n_units, dtype=np.int64),
    )
    bits = rng.bit_generator
    before = bits.state
    draws = rng.random(DRAWS * n)
    standing = (s.status, s.station, w.unit_faction, s.stance)
    troops = (s.men, s.status, s.station, s.segment, s.goal, s.dug_in, s.cohesion, s.arms, w.unit_faction, s.casualties)
    links = rails(w)
    count, taken = BATTLES(
        (fighters(s), guards(s)), standing, troops, (links.first, links.other, links.link_segment, s.damage, s.control),
        week, terms, draws, told,
    )  # fmt: skip
    if taken < len(draws):  # give back the draws no battle took
        bits.state = before
        rng.random(taken)
    state.touch()
    report.fought(Fights(count, told, (w.unit_ids, w.station_ids, w.faction_ids)))


def _ints(values: list[int]) -> IntArray:
    return np.array(values, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class Fights:
    """The battles kernel's answer, kept by the report and told as `Battle` records when read: how many battles
    there were (fought or not), the kernel's `Told`, and the world's names (unit, station and faction ids)."""

    battles: int
    answer: Told
    names: tuple[list[str], list[str], list[str]]

    def __len__(self) -> int:
        """How many battles were fought."""
        return int(np.count_nonzero(self.answer[0][: self.battles, FOUGHT]))

    def told(self) -> list[Battle]:
        """The battles fought, as records (the kernel's lists read as far as they were filled)."""
        ids, stations, factions = self.names
        rows, numbers = self.answer[0][: self.battles].tolist(), self.answer[1][: self.battles].tolist()
        last = rows[-1][KEPT_END:] if rows else [0, 0, 0, 0]
        kept, defenders, retreats, destroyed = (x[:end].tolist() for x, end in zip(self.answer[2:], last, strict=True))
        out: list[Battle] = []
        ends = [0, 0, 0, 0]
        for row, (attack, defence, chance) in zip(rows, numbers, strict=True):
            starts, ends = ends, row[KEPT_END:]
            if not row[FOUGHT]:
                continue
            out.append(
                Battle(
                    station=stations[row[STATION]],
                    attacker=factions[row[SIDE]],
                    defender=factions[row[DEFENDER]] if row[DEFENDER] != NOBODY else "",
                    attackers=tuple(ids[u] for u in kept[starts[0] : ends[0]]),
                    defenders=tuple(ids[u] for u in defenders[starts[1] : ends[1]]),
                    attack=round(attack, 1),
                    defence=round(defence, 1),
                    chance=round(chance, 4),
                    attacker_won=bool(row[WON]),
                    attacker_losses=row[A_LOSS],
                    defender_losses=row[D_LOSS],
                    retreats=tuple((ids[u], stations[to]) for u, to in retreats[starts[2] : ends[2]]),
                    destroyed=tuple(ids[u] for u in destroyed[starts[3] : ends[3]]),
                )
            )
        return out
