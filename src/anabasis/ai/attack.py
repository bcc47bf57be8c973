"""Attacks: which enemy stations to strike this week, with whom, and only when the odds and the prize are worth it.

Targets are taken most valuable first. The units able to strike one pool their strength; the planner asks
`preview_combat` for the real odds and weighs the prize (points a week over the horizon) against the men the
battle will likely cost (points the enemy scores for them). A target too strong for now leaves a deficit,
which the gathering step tries to make good.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from anabasis.ai.analysis import ARMOURED_TRAIN
from anabasis.ai.intent import HORIZON
from anabasis.engine.combat import preview_combat, win_chance
from anabasis.engine.orders import Attack
from anabasis.engine.world import BoolArray

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
    """Targets a unit can attack this week."""
    unbound = p.intent.unbound
    loose = unbound is not None and bool(unbound[u])
    st = p.at[u]
    if st >= 0:
        key = (st, p.entrained[u], loose)
        near = p.near_targets.get(key)
        if near is None:
            near = p.near_targets[key] = _near(p, st, p.train_km if p.entrained[u] else p.march_km, loose)
    else:
        w, s = p.world, p.state
        targets = p.foe_stations if loose else p.targets
        reach = p.train_km if p.entrained[u] else p.march_km
        seg = int(s.segment[u])
        a, b = int(w.seg_a[seg]), int(w.seg_b[seg])
        near = [x for x, d in ((a, s.progress[u]), (b, w.seg_km[seg] - s.progress[u])) if targets[x] and d <= reach]
    if p.contingent[u] < 0:
        return near
    return [t for t in near if may_strike(p, u, t)]


def _near(p: Planner, st: int, reach: float, loose: bool) -> list[int]:
    """Targets at `st` or one open segment of at most `reach` km away."""
    targets = p.foe_stations if loose else p.targets
    damage, km = p.damage, p.world.seg_km
    out = [st] if targets[st] else []
    out.extend(
        other for other, seg in p.world.adjacency[st] if targets[other] and damage[seg] == 0 and km[seg] <= reach
    )
    return out


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
    sit, f = p.sit, p.faction
    net = sit.net
    ours = (sit.strength[f] > 0) | ((p.state.control == f) & ~sit.hostile[f])
    near = np.zeros(p.world.n_stations, dtype=np.bool_)
    near[net.edge_to[sit.open_edge & ours[net.edge_from]]] = True
    out: BoolArray = (near | ours) & p.target_array
    return out


def attack(p: Planner, front: BoolArray) -> dict[int, float]:
    """Attack where the odds are good enough; return the strength still missing at the other targets."""
    w, sit = p.world, p.sit
    net = sit.net
    foe = np.array(p.foe_stations)
    near = foe.copy()
    near[net.edge_from[sit.open_edge & foe[net.edge_to]]] = True
    near_list = near.tolist()
    candidates: dict[int, list[int]] = {int(t): [] for t in np.flatnonzero(front)}
    taken, post, node = p.taken, p.post, p.node
    for u in p.mine:
        if (u in taken and u not in post) or not near_list[node[u]]:
            continue
        for t in options(p, u):
            candidates.setdefault(t, []).append(u)
    value, worth = p.value, p.worth
    deficits: dict[int, float] = {}
    for t in sorted(candidates, key=lambda t: (-value[t], p.enemy_defence[t])):
        legal, defence = _defence(p, t)
        pool = [u for u in candidates[t] if _available(p, u, t)]
        if legal and defence <= 0:
            _take_empty(p, t, pool)
            continue
        hungry = _hungry(p, pool)
        chance = _chance_for(p, t, pool, hungry)
        need = defence * (chance / (1.0 - chance)) ** (1.0 / w.rules.odds_steepness)
        pool.sort(key=lambda u: -worth[u])
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
            defence += RELIEF * coming * float(p.sit.net.fort[t])
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
    return short > 0.5 * sum(worth[u] for u in pool)


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
    if any(p.at[u] == t for u in pool) and not way_out(p, t):
        desperate = all(p.stores[u] <= STARVING for u in pool if p.at[u] == t)
        chance = max(chance, p.intent.chance if desperate else CORNERED)
    return chance


def odds(p: Planner, chosen: list[int], t: int) -> tuple[float, float]:
    """The chance of winning at `t` and the ratio of strengths, as `preview_combat` shows them, with the help a
    careful commander expects the enemy next door to bring in by train before the battle (`RELIEF`)."""
    shown = preview_combat(p.state, chosen, t)
    defence = shown.defence
    if p.skill.level >= 2:
        coming = p.threat[t] - p.enemy_strength[t]
        if coming > 0:
            defence += RELIEF * coming * float(p.sit.net.fort[t])
    if defence <= 0:
        return 1.0, float("inf")
    ratio = shown.attack / defence
    return win_chance(shown.attack, defence, p.world.rules.odds_steepness), ratio


def _worth_it(p: Planner, t: int, chosen: list[int], least: float) -> bool:
    """Whether the odds are at least `least` and the prize outweighs the men it will likely cost."""
    r = p.world.rules
    chance, ratio = odds(p, chosen, t)
    if chance < least:
        return False
    share = r.loss_rate * min(2.0, max(0.2, 1.0 / max(ratio, 1e-6)))
    lost = sum(p.men[u] for u in chosen) * share * (chance + 1.5 * (1.0 - chance))
    if not way_out(p, t):
        lost += (1.0 - chance) * sum(p.men[u] for u in chosen if p.at[u] == t)
    return chance * p.value[t] * HORIZON >= lost / 1000.0 * p.intent.blood


def _take_empty(p: Planner, t: int, pool: list[int]) -> None:
    """An enemy station nobody defends falls to whoever attacks it: send the weakest unit that can.

    Poorly armed units with nothing better to do come along to an arsenal, to rearm from its stores.
    """
    w, worth = p.world, p.worth
    exposure = p.threat[t]
    pool = sorted((u for u in pool if u not in p.post), key=lambda u: worth[u])
    for u in pool:
        if p.skill.level >= 2 and exposure > EXPOSED * worth[u] and p.value[t] < 0.5:
            continue
        p.give(u, Attack(w.unit_ids[u], w.station_ids[t]))
        if p.skill.level >= 2 and w.depot[t] > 0:
            arms = p.state.arms
            for other in pool:
                if other not in p.taken and arms[other] < REARM and w.unit_kind[other] != ARMOURED_TRAIN:
                    p.give(other, Attack(w.unit_ids[other], w.station_ids[t]))
        return


def lead_on(p: Planner, front: BoolArray) -> dict[int, float]:
    """Valuable targets beyond the front lend worth to the first enemy station on the way to them.

    The way runs from our nearest position along the network's shortest line; taking that station is the
    next step of the march (the Legion's fight east, the Reds' push along the railway). Returns, for each such
    step, the strength an attack on it needs.
    """
    w, sit, f = p.world, p.sit, p.faction
    marches: dict[int, float] = {}
    ours = np.flatnonzero((sit.strength[f] > 0) & ~sit.hostile[f])
    if len(ours) == 0:
        return marches
    value = p.value_array
    goals = np.flatnonzero(p.target_array & ~front & (value >= WORTH_MARCHING))
    if len(goals) == 0:
        return marches
    goals = goals[np.argsort(-value[goals], kind="stable")][:DISTANT]
    starts = ours[np.argmin(w.distance[ours][:, goals], axis=0)].tolist()
    hop = w.next_hop
    for t, start in zip(goals.tolist(), starts, strict=True):
        here = start
        while here != t:
            here = int(hop[here, t])
            if here < 0:
                break
            if p.foe_stations[here]:
                if p.targets[here]:
                    if here != t:
                        p.value[here] = max(p.value[here], ON_THE_WAY * p.value[t])
                    marches[here] = p.enemy_defence[here] * p.need_ratio * p.skill.margin
                break
    return marches
