"""Attacks: which enemy stations to strike this week, with whom, and only when the odds and the prize are worth it.

Targets are taken most valuable first. The units able to strike one pool their strength; the planner reckons
the real odds (those `preview_combat` would show, from the strengths the survey already has) and weighs the
prize (points a week over the horizon) against the men the battle will likely cost (points the enemy scores
for them). A target too strong for now leaves a deficit, which the gathering step tries to make good.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from anabasis.ai.analysis import ARMOURED_TRAIN, where
from anabasis.ai.intent import HORIZON
from anabasis.engine.combat import ratio_for, win_chance
from anabasis.engine.jit import kernel
from anabasis.engine.orders import Attack
from anabasis.engine.world import BoolArray, FloatArray, IntArray

if TYPE_CHECKING:
    from anabasis.ai.planner import Planner

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


def options(p: Planner, u: int) -> list[int]:
    """Targets a unit can attack this week (the same for the units of a contingent standing together)."""
    unbound = p.unbound
    loose = unbound is not None and unbound[u]
    st, c = p.at[u], p.contingent[u]
    if st < 0:
        return _options_on_the_line(p, u, loose)
    key = (st, p.entrained[u], loose, c)
    out = p.near_targets.get(key)
    if out is None:
        out = p.near_targets[key] = _near_targets(p, u, st, loose)
    return out


def _near_targets(p: Planner, u: int, st: int, loose: bool) -> list[int]:
    """`options` of a unit standing at `st`: the station itself, then its neighbours within a week's travel."""
    targets = p.foe_stations if loose else p.targets
    out = [st] if targets[st] else []
    out += [other for other in p.links(p.entrained[u])[st] if targets[other]]
    if p.contingent[u] >= 0:
        out = [t for t in out if may_strike(p, u, t)]
    return out


def _options_on_the_line(p: Planner, u: int, loose: bool) -> list[int]:
    """Targets of a unit out on a segment: either end, if within reach."""
    w, s = p.world, p.state
    targets = p.foe_stations if loose else p.targets
    reach = p.train_km if p.entrained[u] else p.march_km
    seg = int(s.segment[u])
    a, b = int(w.seg_a[seg]), int(w.seg_b[seg])
    near = [x for x, d in ((a, s.progress[u]), (b, w.seg_km[seg] - s.progress[u])) if targets[x] and d <= reach]
    if p.contingent[u] < 0:
        return near
    return [t for t in near if may_strike(p, u, t)]


def may_strike(p: Planner, u: int, station: int) -> bool:
    """Whether the unit's contingent may attack at `station` (its region, the factions it will not fight)."""
    if not p.region_ok(u, station):
        return False
    c = p.contingent[u]
    if c < 0 or not p.barred[c]:
        return True
    barred = p.state.no_attack[c]
    war = p.sit.war[p.faction]
    holder = int(p.state.control[station])
    if holder >= 0 and war[holder] and barred[holder]:
        return False
    return not bool(np.any((p.sit.defence[:, station] > 0) & barred & war))


def way_out(p: Planner, t: int) -> bool:
    """Whether men beaten at `t` would have a station to fall back to (else they are taken or scattered)."""
    return bool(p.exits(t))


def front(p: Planner) -> BoolArray:
    """Targets next to a station we stand at or hold, or where our men stand among the enemy."""
    out: BoolArray = p.footing.reach & p.target_array
    return out


def attack(p: Planner, front: BoolArray) -> dict[int, float]:
    """Attack where the odds are good enough; return the strength still missing at the other targets."""
    w = p.world
    near = p.enemy.near
    candidates: dict[int, list[int]] = {t: [] for t in where(front).tolist()}
    taken, post, node = p.taken, p.post, p.node
    # `options` written out for units at a station (the loop sees every unit near the enemy, every week)
    at, entrained, contingent, unbound, known = p.at, p.entrained, p.contingent, p.unbound, p.near_targets
    for u in p.mine:
        if not near[node[u]] or (u in taken and u not in post):
            continue
        st = at[u]
        if st >= 0:
            loose = unbound is not None and unbound[u]
            found = known.get((st, entrained[u], loose, contingent[u]))
            if found is None:
                found = known[st, entrained[u], loose, contingent[u]] = _near_targets(p, u, st, loose)
        else:
            found = options(p, u)
        for t in found:
            if t in candidates:
                candidates[t].append(u)
            else:
                candidates[t] = [u]
    value, worth, enemy_defence = p.value, p.worth, p.enemy_defence
    deficits: dict[int, float] = {}
    for t in sorted(candidates, key=lambda t: (-value[t], enemy_defence[t])):
        legal, defence = _defence(p, t)
        pool = [u for u in candidates[t] if u not in taken or _available(p, u, t)]
        if legal and defence <= 0:
            if not _take_empty(p, t, pool):
                deficits[t] = to_take(p, t)  # nobody next to it can take it: bring someone who can
            continue
        if not pool:  # nobody to attack with: all that is left to say is what is missing
            chance = _chance_for(p, t, pool, False)
            deficits[t] = defence * ratio_for(chance, w.rules.odds_steepness) * p.skill.margin
            continue
        hungry = _hungry(p, pool)
        chance = _chance_for(p, t, pool, hungry)
        need = defence * ratio_for(chance, w.rules.odds_steepness)
        pool.sort(key=worth.__getitem__, reverse=True)  # strongest first; `reverse` keeps ties in order
        chosen, total = _enough(p, pool, need * p.skill.margin)
        if legal and total >= need and _worth_it(p, t, chosen, chance):
            for u in chosen:
                p.give(u, Attack(w.unit_ids[u], w.station_ids[t]))
            continue
        deficits[t] = need * p.skill.margin - total
        if total >= HOPELESS * need and not hungry:
            taken.update(pool)  # the men in contact wait for the reinforcements
    return deficits


def _defence(p: Planner, t: int) -> tuple[bool, float]:
    """Whether an attack on `t` is allowed now (we are at war with someone there), and the defence to beat.

    A careful commander reckons with part of the enemy next door coming in by train before the battle.
    """
    legal = p.legal[t]
    defence = p.war_defence[t] if legal else p.enemy_defence[t]
    if p.skill.level >= 2:
        coming = p.threat[t] - p.enemy_strength[t]
        if coming > 0:
            defence += RELIEF * coming * p.sit.net.fort_list[t]
    return legal, defence


def _available(p: Planner, u: int, t: int) -> bool:
    """Free, or guarding a post against the very enemy at `t`."""
    if u not in p.taken:
        return True
    post = p.post.get(u)
    if post is None or u in p.orders:
        return False
    return p.enemy_strength[t] >= SOURCE * p.threat[post]


def _enough(p: Planner, pool: list[int], want: float) -> tuple[list[int], float]:
    chosen: list[int] = []
    total = 0.0
    for u in pool:
        if total >= want:
            break
        chosen.append(u)
        total += p.worth[u]
    return chosen, total


def _hungry(p: Planner, pool: list[int]) -> bool:
    """Whether most of these men are going hungry with little in their packs."""
    supply, node, stores, worth = p.supply, p.node, p.stores, p.worth
    short = sum(worth[u] for u in pool if supply[node[u]] < HUNGRY and stores[u] <= STORES_LOW + 1)
    return short > 0.5 * sum(map(worth.__getitem__, pool))


def _chance_for(p: Planner, t: int, pool: list[int], hungry: bool) -> float:
    """The least chance to attack `t` at: bolder for a prize or for bread, warier with no way back."""
    chance = p.intent.chance - p.skill.boldness * min(p.value[t], 2.0)
    if hungry:
        feeds = p.world.depot[t] > 0 or any(p.supply[o] >= FED for o, seg in p.world.adjacency[t] if not p.damage[seg])
        if feeds:
            chance = min(chance, HUNGRY_CHANCE)
        chance = max(chance, HUNGRY_CHANCE)
    else:
        chance = max(chance, LEAST_CHANCE)
    at = p.at
    if t in map(at.__getitem__, pool) and not way_out(p, t):
        desperate = all(p.stores[u] <= STARVING for u in pool if at[u] == t)
        chance = max(chance, p.intent.chance if desperate else CORNERED)
    return chance


def odds(p: Planner, chosen: list[int], t: int) -> tuple[float, float]:
    """The chance of winning at `t` and the ratio of strengths, as `preview_combat` shows them, with the help a
    careful commander expects the enemy next door to bring in by train before the battle (`RELIEF`).

    The strengths are the engine's, summed in its order, so no call to `preview_combat` is needed.
    """
    raw = p.sit.columns.raw
    attack = sum(map(raw.__getitem__, chosen)) * p.sit.season
    defence = p.defended(t)
    if p.skill.level >= 2:
        coming = p.threat[t] - p.enemy_strength[t]
        if coming > 0:
            defence += RELIEF * coming * p.sit.net.fort_list[t]
    if defence <= 0:
        return 1.0, float("inf")
    ratio = attack / defence
    return win_chance(attack, defence, p.world.rules.odds_steepness), ratio


def _worth_it(p: Planner, t: int, chosen: list[int], least: float) -> bool:
    """Whether the odds are at least `least` and the prize outweighs the men it will likely cost."""
    r = p.world.rules
    chance, ratio = odds(p, chosen, t)
    if chance < least:
        return False
    share = r.loss_rate * min(2.0, max(0.2, 1.0 / max(ratio, 1e-6)))
    men = p.men
    lost = sum(map(men.__getitem__, chosen)) * share * (chance + 1.5 * (1.0 - chance))
    if not way_out(p, t):
        at = p.at
        lost += (1.0 - chance) * sum(men[u] for u in chosen if at[u] == t)
    return chance * p.value[t] * HORIZON >= lost / 1000.0 * p.intent.blood


def to_take(p: Planner, t: int) -> float:
    """The strength wanted next to an enemy station nobody defends, to take it: a unit the enemy around it would
    not simply drive out again (see `EXPOSED`), and at least some unit."""
    return max(p.threat[t] / EXPOSED, 1.0)


def _take_empty(p: Planner, t: int, pool: list[int]) -> bool:
    """An enemy station nobody defends falls to whoever attacks it: send the weakest unit that can. Returns
    whether someone was sent.

    Poorly armed units with nothing better to do come along to an arsenal, to rearm from its stores.
    """
    w, worth = p.world, p.worth
    exposure = p.threat[t]
    post = p.post
    pool = sorted([u for u in pool if u not in post], key=worth.__getitem__)
    for u in pool:
        if p.skill.level >= 2 and exposure > EXPOSED * worth[u] and p.value[t] < 0.5:
            continue
        p.give(u, Attack(w.unit_ids[u], w.station_ids[t]))
        if p.skill.level >= 2 and w.depot[t] > 0:
            arms = p.state.arms
            for other in pool:
                if other not in p.taken and arms[other] < REARM and w.unit_kind[other] != ARMOURED_TRAIN:
                    p.give(other, Attack(w.unit_ids[other], w.station_ids[t]))
        return True
    return False


def lead_on(p: Planner, front: BoolArray) -> dict[int, float]:
    """Valuable targets beyond the front lend worth to the first enemy station on the way to them.

    The way runs from our nearest position along the network's shortest line; taking that station is the
    next step of the march (the Legion's fight east, the Reds' push along the railway). Returns, for each such
    step, the strength an attack on it needs.
    """
    w = p.world
    marches: dict[int, float] = {}
    ours = p.footing.posts
    if len(ours) == 0:
        return marches
    value = p.value  # as yet the same as `value_array`; the steps on the way get more below
    goals = [t for t in where(p.target_array & ~front).tolist() if value[t] >= WORTH_MARCHING]
    if not goals:
        return marches
    goals.sort(key=value.__getitem__, reverse=True)  # most valuable first; `reverse` keeps ties in order
    del goals[DISTANT:]
    starts = _nearest(w.distance, ours, np.array(goals, dtype=np.int64)).tolist()
    hops, foe_stations, targets = w.next_hop_rows, p.foe_stations, p.targets
    for t, start in zip(goals, starts, strict=True):
        here = start
        while here != t:
            here = hops[here][t]
            if here < 0:
                break
            if foe_stations[here]:
                if targets[here]:
                    if here != t:
                        value[here] = max(value[here], ON_THE_WAY * value[t])
                    defence = p.enemy_defence[here]
                    marches[here] = defence * p.need_ratio * p.skill.margin if defence > 0 else to_take(p, here)
                break
    return marches


@kernel
def _nearest(distance: FloatArray, ours: IntArray, goals: IntArray) -> IntArray:
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
