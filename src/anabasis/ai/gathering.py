"""Concentration: reserves go where an attack lacks strength or a post is too weak, and units called back to the
rallying point. Only efforts the reserves within a few weeks by train could make good are started, most valuable
first.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from anabasis.ai.logistics import clear_the_way
from anabasis.ai.posture import required

if TYPE_CHECKING:
    from anabasis.ai.planner import Planner

MAX_WEEKS = 3.0  # weeks by train a reserve travels to join a concentration
WORTH_DEFENDING = 0.05  # points a week that make an empty post worth sending men to
DEAD_END = 1e9  # strength a staging station in a cul-de-sac next to the enemy counts for less
EFFORTS = {1: 1, 2: 2, 3: 3}  # places a commander concentrates on at once, by skill


def pull_out(p: Planner) -> None:
    """Units the doctrine calls back (the Legion leaving the front) make for the rallying point first."""
    who, rally = p.intent.pull_out, p.intent.rally
    if who is None or rally < 0:
        return
    for u in p.mine:
        here = p.at[u]
        if who[u] and u not in p.taken and p.goal[u] != rally and here >= 0 and not p.send(u, rally):
            clear_the_way(p, u, here, rally)


def reinforce(p: Planner, deficits: dict[int, float]) -> None:
    """Bring reserves to threatened posts and to stations next to targets too strong to attack yet."""
    value, incoming = p.value, p.incoming
    sit, f = p.sit, p.faction
    gap = sit.threat[f] * p.intent.hold - sit.defence[f]
    weak = (gap > np.array(incoming)) & (p.value_array >= WORTH_DEFENDING) & (p.state.control == f)
    weak &= ~sit.hostile[f]
    wants: list[tuple[float, int, float]] = [
        (value[st], st, required(p, st) - p.defence[st]) for st in np.flatnonzero(weak).tolist()
    ]
    for t, missing in deficits.items():
        st = staging(p, t)
        if st >= 0:
            wants.append((value[t], st, missing))
    if not wants:
        return
    wants.sort(key=lambda x: -x[0])
    labels = p.labels(-1)
    efforts = 0
    free = p.free()
    for _, st, short_by in wants:
        missing = short_by - incoming[st]
        if missing <= 0:
            continue
        pool = reserves(p, st, labels, [u for u in free if u not in p.taken])
        if sum(p.worth[u] for u in pool) < missing:
            continue
        for u in pool:
            if missing <= 0:
                break
            if p.send(u, st):
                missing -= p.worth[u]
        efforts += 1
        if efforts >= EFFORTS[p.skill.level]:
            return


def reserves(p: Planner, st: int, labels: list[int], free: list[int]) -> list[int]:
    """Free units standing in the same piece of network as `st`, close enough by train, nearest first."""
    far = MAX_WEEKS * p.train_km
    dist = p.world.distance[:, st]
    at = p.at
    here = labels[st]
    out = [
        u
        for u in free
        if at[u] >= 0 and at[u] != st and labels[at[u]] == here and dist[at[u]] <= far and p.region_ok(u, st)
    ]
    out.sort(key=lambda u: dist[at[u]])
    return out


def staging(p: Planner, t: int) -> int:
    """The friendly station next to target `t` to gather at: where most of our strength already is."""
    best, best_score = -1, -math.inf
    choices = [other for other, seg in p.world.adjacency[t] if p.damage[seg] == 0]
    choices.append(t)
    for st in choices:
        if p.hostile[st]:
            continue
        score = p.strength[st] + p.incoming[st] - 0.1 * p.threat[st]
        if st != t and p.threat[st] > 0 and len(p.exits(st)) <= 1:
            score -= DEAD_END  # a cul-de-sac next to the enemy is a trap, not a place to gather
        if score > best_score:
            best, best_score = st, score
    return best
