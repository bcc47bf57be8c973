"""Attacks: which enemy stations to strike this week, with whom, and only when the odds and the prize are worth it.

Targets are taken most valuable first. The units able to strike one pool their strength; the planner reckons
the real odds (those `preview_combat` would show, from the strengths the survey already has) and weighs the
prize (points a week over the horizon) against the men the battle will likely cost (points the enemy scores
for them). A target too strong for now leaves a deficit, which the gathering step tries to make good.
"""

from __future__ import annotations

import math

import numpy as np

from anabasis.ai.theatre import (
    ARMS,
    AT,
    CONTINGENT,
    CONTROL,
    COVER,
    DAMAGE,
    DEPOT,
    ENEMY_DEFENCE,
    ENEMY_STRENGTH,
    ENTRAINED,
    FACTION,
    FOE,
    FORT,
    KIND,
    LEGAL,
    MEN,
    NEAR,
    NEXT_HOP,
    NODE,
    ORDER_KIND,
    OTHER,
    POST,
    PROGRESS,
    RAW,
    REACH,
    REGION,
    SEG_A,
    SEG_B,
    SEGMENT,
    STATUS,
    STORES,
    SUPPLY,
    TAKEN,
    TARGET,
    THREAT,
    UNBOUND,
    VALUE_NOW,
    VIA,
    WAR_DEFENCE,
    WORTH,
    Plan,
    Resolve,
    Theatre,
    exits,
    give,
)
from anabasis.engine.combat import ratio_for, win_chance
from anabasis.engine.jit import borrowing_kernel, inner_kernel, kernel, small_kernel
from anabasis.engine.movement import ARMOURED_TRAIN
from anabasis.engine.passage import ATTACK
from anabasis.engine.state import ACTIVE
from anabasis.engine.world import BoolArray, FloatArray, IntArray

HORIZON = 8  # weeks over which a commander weighs what a station will be worth
EXPOSED = 4.0  # enemy strength able to strike an empty station, against the unit that would take it
HOPELESS = 0.5  # share of the strength an attack needs below which the men in contact are not kept waiting
SOURCE = 0.5  # share of a post's danger a target must hold for the post's garrison to strike at it
HUNGRY = 0.5  # share of its need a unit can go on getting before it counts as hungry
STORES_LOW = 2.0  # weeks of stores left at which hungry men look for bread
STARVING = 1.0  # weeks of stores left at which cornered men risk all on a battle
FED = 0.8  # share of need that makes a station a place where men are fed
RELIEF = 0.4  # share of the enemy next to a target reckoned to come to its help before the battle
LEAST_CHANCE = 0.55  # no prize is worth worse odds than these
HUNGRY_CHANCE = 0.45  # the odds men with empty packs take to win a depot or a way back to one
CORNERED = 0.92  # the least chance men attack the station they stand at when a defeat leaves them no way out
REARM = 0.5  # arms below which idle units join the capture of an arsenal nobody defends
WORTH_MARCHING = 0.05  # points a week that make a target beyond the front worth marching on
DISTANT = 6  # targets beyond the front a commander considers marching on
ON_THE_WAY = 0.5  # share of a distant target's worth lent to the first enemy station on the way to it


@small_kernel
def may_strike(th: Theatre, u: int, station: int) -> bool:
    """Whether the unit's contingent may attack at `station` (its region, the factions it will not fight)."""
    region = th.units[REGION, u]
    if region >= 0 and not th.region_mask[region, station]:
        return False
    c = th.units[CONTINGENT, u]
    if c < 0 or not th.barred[c]:
        return True
    holder = th.holding[CONTROL, station]
    if holder >= 0 and th.war[holder] and th.no_attack[c, holder]:
        return False
    for g in range(th.war.shape[0]):  # noqa: SIM110 (a loop: numba compiles no generator into `all`)
        if th.defence_of[g, station] > 0 and th.no_attack[c, g] and th.war[g]:
            return False
    return True


@borrowing_kernel
def options(th: Theatre, r: Resolve, plan: Plan, u: int, out: IntArray) -> int:
    """Targets the unit can attack this week, put into `out` (room for a station's neighbours and itself); returns
    how many: the station it stands at and its neighbours within a week's travel, or the ends of the segment it is
    out on within reach; all its foes' stations when the doctrine leaves it unbound, else those the doctrine lets it
    take. (A kernel asks it of every unit near the enemy: filling an array it is lent costs less than making one.)"""
    targets = th.flags[FOE] if th.doctrine[UNBOUND, u] else plan.marks[TARGET]
    st = th.units[AT, u]
    n = 0
    reach = r.train_km if th.units[ENTRAINED, u] else r.march_km
    if st >= 0:
        if targets[st]:
            out[n] = st
            n += 1
        for j in range(th.first[st], th.first[st + 1]):
            o, seg = th.links[OTHER, j], th.links[VIA, j]
            if th.segments[DAMAGE, seg] == 0 and th.seg_km[seg] <= reach and targets[o]:
                out[n] = o
                n += 1
    else:
        seg = th.units[SEGMENT, u]
        ends = (
            (th.segments[SEG_A, seg], th.measures[PROGRESS, u]),
            (th.segments[SEG_B, seg], th.seg_km[seg] - th.measures[PROGRESS, u]),
        )
        for x, d in ends:
            if targets[x] and d <= reach:
                out[n] = x
                n += 1
    if th.units[CONTINGENT, u] < 0:
        return n
    kept = 0
    for i in range(n):
        if may_strike(th, u, out[i]):
            out[kept] = out[i]
            kept += 1
    return kept


@small_kernel
def way_out(th: Theatre, t: int) -> bool:
    """Whether men beaten at `t` would have a station to fall back to: a neighbour along open track not in
    enemy hands (else they are taken or scattered)."""
    return exits(th, t) > 0


@borrowing_kernel
def odds(th: Theatre, r: Resolve, chosen: IntArray, t: int) -> tuple[float, float]:
    """The chance of winning at `t` and the ratio of strengths, as `preview_combat` shows them, with the help a
    careful commander expects the enemy next door to bring in by train before the battle (`RELIEF`).

    The strengths are the engine's: the attackers' summed in the order given, the defence of the units there
    the faction is at war with summed in unit order, as the engine does."""
    attack = 0.0
    for u in chosen:
        attack += th.measures[RAW, u]
    attack *= r.season
    cover = 0.0
    for u in range(th.units[AT].shape[0]):
        if th.units[AT, u] == t and th.units[STATUS, u] == ACTIVE and th.war[th.units[FACTION, u]]:
            cover += th.measures[COVER, u]
    defence = cover * th.stations[FORT, t]
    if r.level >= 2:
        coming = th.stations[THREAT, t] - th.stations[ENEMY_STRENGTH, t]
        if coming > 0:
            defence += RELIEF * coming * th.stations[FORT, t]
    if defence <= 0:
        return 1.0, math.inf
    ratio = attack / defence
    return win_chance(attack, defence, r.steepness), ratio


@borrowing_kernel
def to_take(th: Theatre, t: int) -> float:
    """The strength wanted next to an enemy station nobody defends, to take it: a unit the enemy around it would
    not simply drive out again (see `EXPOSED`), and at least some unit."""
    return float(max(th.stations[THREAT, t] / EXPOSED, 1.0))


@kernel
def nearest(distance: FloatArray, ours: IntArray, goals: IntArray) -> IntArray:
    """For each goal, the first of `ours` nearest to it (`argmin` over `distance[ours, goal]`)."""
    out = np.empty(goals.shape[0], dtype=np.int64)
    for k in range(goals.shape[0]):
        g = goals[k]
        best = ours[0]
        for i in range(1, ours.shape[0]):
            d, least = distance[ours[i], g], distance[best, g]
            if d < least or (np.isnan(d) and not np.isnan(least)):  # numpy's argmin: the first NaN, else minimum
                best = ours[i]
        out[k] = best
    return out


@inner_kernel
def lead_on(th: Theatre, r: Resolve, plan: Plan, front: BoolArray) -> tuple[IntArray, FloatArray]:
    """Valuable targets beyond the front lend worth to the first enemy station on the way to them.

    The way runs from our nearest position along the network's shortest line; taking that station is the next
    step of the march (the Legion's fight east, the Reds' push along the railway). Returns those steps, in the
    order found without repeats, and the strength an attack on each needs."""
    value, targets = plan.stations[VALUE_NOW], plan.marks[TARGET]
    ns = value.shape[0]
    steps = np.empty(ns, dtype=np.int64)
    needs = np.empty(ns)
    n = 0
    if th.posts.shape[0] == 0:
        return steps[:0], needs[:0]
    goals = np.empty(ns, dtype=np.int64)
    n_goals = 0
    for t in range(ns):
        if targets[t] and not front[t] and value[t] >= WORTH_MARCHING:
            k = n_goals  # most valuable first; equal values stay in station order
            while k > 0 and value[goals[k - 1]] < value[t]:
                goals[k] = goals[k - 1]
                k -= 1
            goals[k] = t
            n_goals += 1
    goals = goals[: min(n_goals, DISTANT)]
    starts = nearest(th.distance, th.posts, goals)
    for i in range(goals.shape[0]):
        t, here = goals[i], starts[i]
        while here != t:
            here = th.hops[NEXT_HOP, here, t]
            if here < 0:
                break
            if th.flags[FOE, here]:
                if targets[here]:
                    if here != t:
                        value[here] = max(value[here], ON_THE_WAY * value[t])
                    defence = th.stations[ENEMY_DEFENCE, here]
                    need = defence * r.need_ratio * r.margin if defence > 0 else to_take(th, here)
                    k = 0
                    while k < n and steps[k] != here:
                        k += 1
                    steps[k], needs[k] = here, need
                    n = max(n, k + 1)
                break
    return steps[:n], needs[:n]


@borrowing_kernel
def _hungry(th: Theatre, pool: IntArray) -> bool:
    """Whether most of these men are going hungry with little in their packs."""
    short, total = 0.0, 0.0
    for u in pool:
        if th.stations[SUPPLY, th.units[NODE, u]] < HUNGRY and th.units[STORES, u] <= STORES_LOW + 1:
            short += th.measures[WORTH, u]
    for u in pool:
        total += th.measures[WORTH, u]
    return short > 0.5 * total


@borrowing_kernel
def _chance_for(th: Theatre, r: Resolve, plan: Plan, t: int, pool: IntArray, hungry: bool) -> float:  # noqa: PLR0917 (a kernel: numba calls it with its arguments in order)
    """The least chance to attack `t` at: bolder for a prize or for bread, warier with no way back."""
    chance = r.chance - r.boldness * min(plan.stations[VALUE_NOW, t], 2.0)
    if hungry:
        feeds = th.stations[DEPOT, t] > 0
        for j in range(th.first[t], th.first[t + 1]):
            feeds = feeds or (
                th.segments[DAMAGE, th.links[VIA, j]] == 0 and th.stations[SUPPLY, th.links[OTHER, j]] >= FED
            )
        if feeds:
            chance = min(chance, HUNGRY_CHANCE)
        chance = max(chance, HUNGRY_CHANCE)
    else:
        chance = max(chance, LEAST_CHANCE)
    standing = False
    for u in pool:
        standing = standing or th.units[AT, u] == t
    if standing and not way_out(th, t):
        desperate = True
        for u in pool:
            if th.units[AT, u] == t and th.units[STORES, u] > STARVING:
                desperate = False
        chance = max(chance, r.chance if desperate else CORNERED)
    return float(chance)


@borrowing_kernel
def _worth_it(th: Theatre, r: Resolve, plan: Plan, t: int, chosen: IntArray, least: float) -> bool:  # noqa: PLR0917 (a kernel: numba calls it with its arguments in order)
    """Whether the odds are at least `least` and the prize outweighs the men it will likely cost."""
    chance, ratio = odds(th, r, chosen, t)
    if chance < least:
        return False
    share = r.loss_rate * min(2.0, max(0.2, 1.0 / max(ratio, 1e-6)))
    men = 0
    for u in chosen:
        men += th.units[MEN, u]
    lost = men * share * (chance + 1.5 * (1.0 - chance))
    if not way_out(th, t):
        cornered = 0
        for u in chosen:
            if th.units[AT, u] == t:
                cornered += th.units[MEN, u]
        lost += (1.0 - chance) * cornered
    return bool(chance * plan.stations[VALUE_NOW, t] * HORIZON >= lost / 1000.0 * r.blood)


@small_kernel
def _available(th: Theatre, plan: Plan, u: int, t: int) -> bool:
    """Free, or guarding a post against the very enemy at `t`."""
    if not plan.units[TAKEN, u]:
        return True
    post = plan.units[POST, u]
    if post < 0 or plan.units[ORDER_KIND, u] >= 0:
        return False
    return bool(th.stations[ENEMY_STRENGTH, t] >= SOURCE * th.stations[THREAT, post])


@inner_kernel
def _take_empty(th: Theatre, r: Resolve, plan: Plan, t: int, pool: IntArray) -> bool:
    """An enemy station nobody defends falls to whoever attacks it: send the weakest unit that can. Returns
    whether someone was sent.

    Poorly armed units with nothing better to do come along to an arsenal, to rearm from its stores."""
    free = np.empty(pool.shape[0], dtype=np.int64)
    m = 0
    for u in pool:  # weakest first; equals stay in the pool's order
        if plan.units[POST, u] >= 0:
            continue
        k = m
        while k > 0 and th.measures[WORTH, free[k - 1]] > th.measures[WORTH, u]:
            free[k] = free[k - 1]
            k -= 1
        free[k] = u
        m += 1
    exposure = th.stations[THREAT, t]
    for i in range(m):
        u = free[i]
        if r.level >= 2 and exposure > EXPOSED * th.measures[WORTH, u] and plan.stations[VALUE_NOW, t] < 0.5:
            continue
        give(plan, u, ATTACK, t)
        if r.level >= 2 and th.stations[DEPOT, t] > 0:
            for j in range(m):
                other = free[j]
                if (
                    not plan.units[TAKEN, other]
                    and th.measures[ARMS, other] < REARM
                    and th.units[KIND, other] != ARMOURED_TRAIN
                ):
                    give(plan, other, ATTACK, t)
        return True
    return False


@inner_kernel
def attack(th: Theatre, r: Resolve, plan: Plan) -> tuple[IntArray, FloatArray]:
    """March on, and attack where the odds are good enough. Returns the strength still missing at the other
    targets, in the order the gathering step takes them: the targets in the order tried, then the steps of a
    march not tried."""
    ns = plan.marks[TARGET].shape[0]
    value = plan.stations[VALUE_NOW]
    front = np.empty(ns, dtype=np.bool_)  # targets next to where we stand or hold, or among our men
    for s in range(ns):
        front[s] = th.flags[REACH, s] and plan.marks[TARGET, s]
    steps, step_needs = lead_on(th, r, plan, front)
    # The candidates of each target, in the order targets were found: those at the front first, in station order.
    listed = np.zeros(ns, dtype=np.bool_)
    found = np.empty(ns, dtype=np.int64)
    n_found = 0
    for s in range(ns):
        if front[s]:
            listed[s] = True
            found[n_found] = s
            n_found += 1
    most = 2  # targets one unit can find: its station and each neighbour, or the two ends of its segment
    for s in range(ns):
        most = max(most, th.first[s + 1] - th.first[s] + 1)
    pairs = np.empty((th.mine.shape[0] * most, 2), dtype=np.int64)  # (target, unit), as units find them
    n_pairs = 0
    targets = np.empty(most, dtype=np.int64)
    for u in th.mine:
        if not th.flags[NEAR, th.units[NODE, u]] or (plan.units[TAKEN, u] and plan.units[POST, u] < 0):
            continue
        for t in targets[: options(th, r, plan, u, targets)]:
            if not listed[t]:
                listed[t] = True
                found[n_found] = t
                n_found += 1
            pairs[n_pairs, 0], pairs[n_pairs, 1] = t, u
            n_pairs += 1
    order = found[:n_found].copy()  # most valuable first, then the weakest defence; ties stay as found
    for i in range(1, n_found):
        t = order[i]
        k = i
        while k > 0 and (
            -value[t] < -value[order[k - 1]]
            or (
                -value[t] == -value[order[k - 1]]
                and th.stations[ENEMY_DEFENCE, t] < th.stations[ENEMY_DEFENCE, order[k - 1]]
            )
        ):
            order[k] = order[k - 1]
            k -= 1
        order[k] = t
    short_at = np.empty(n_found + steps.shape[0], dtype=np.int64)
    short_by = np.empty(n_found + steps.shape[0])
    n_short = 0
    pool = np.empty(n_pairs, dtype=np.int64)
    for t in order:
        legal = th.flags[LEGAL, t]
        defence = th.stations[WAR_DEFENCE, t] if legal else th.stations[ENEMY_DEFENCE, t]
        if r.level >= 2:  # a careful commander reckons with part of the enemy next door coming in by train
            coming = th.stations[THREAT, t] - th.stations[ENEMY_STRENGTH, t]
            if coming > 0:
                defence += RELIEF * coming * th.stations[FORT, t]
        m = 0
        for i in range(n_pairs):
            u = pairs[i, 1]
            if pairs[i, 0] == t and (not plan.units[TAKEN, u] or _available(th, plan, u, t)):
                pool[m] = u
                m += 1
        here = pool[:m].copy()
        if legal and defence <= 0:
            if not _take_empty(th, r, plan, t, here):  # nobody next to it can take it: bring someone who can
                short_at[n_short], short_by[n_short] = t, to_take(th, t)
                n_short += 1
            continue
        if m == 0:  # nobody to attack with: all that is left to say is what is missing
            chance = _chance_for(th, r, plan, t, here, False)
            short_at[n_short], short_by[n_short] = t, defence * ratio_for(chance, r.steepness) * r.margin
            n_short += 1
            continue
        hungry = _hungry(th, here)
        chance = _chance_for(th, r, plan, t, here, hungry)
        need = defence * ratio_for(chance, r.steepness)
        strongest = here.copy()  # strongest first; equals stay in the pool's order
        for i in range(1, m):
            u = strongest[i]
            k = i
            while k > 0 and th.measures[WORTH, strongest[k - 1]] < th.measures[WORTH, u]:
                strongest[k] = strongest[k - 1]
                k -= 1
            strongest[k] = u
        want = need * r.margin
        total = 0.0
        n_chosen = 0
        for u in strongest:
            if total >= want:
                break
            n_chosen += 1
            total += th.measures[WORTH, u]
        chosen = strongest[:n_chosen]
        if legal and total >= need and _worth_it(th, r, plan, t, chosen, chance):
            for u in chosen:
                give(plan, u, ATTACK, t)
            continue
        short_at[n_short], short_by[n_short] = t, need * r.margin - total
        n_short += 1
        if total >= HOPELESS * need and not hungry:
            taken = plan.units[TAKEN]
            for u in here:  # the men in contact wait for the reinforcements
                taken[u] = True
    for i in range(steps.shape[0]):
        known = False
        for k in range(n_short):
            known = known or short_at[k] == steps[i]
        if not known:
            short_at[n_short], short_by[n_short] = steps[i], step_needs[i]
            n_short += 1
    return short_at[:n_short].copy(), short_by[:n_short].copy()
