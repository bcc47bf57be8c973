"""Concentration: reserves go where an attack lacks strength or a post is too weak, men on foot next to a target
beyond a week's march board their trains, and units called back make for the rallying point. Only efforts the
reserves within a few weeks by train could make good are started, most valuable first; none go into a post where
men could be cut off, which is held lightly or not at all.
"""

from __future__ import annotations

import math
from operator import itemgetter
from typing import TYPE_CHECKING

import numpy as np

from anabasis.ai.attack import may_strike
from anabasis.ai.logistics import clear_the_way
from anabasis.ai.posture import cul_de_sac, cut_off, into_a_pocket, required
from anabasis.engine.jit import kernel
from anabasis.engine.orders import Entrain
from anabasis.engine.world import BoolArray, FloatArray, IntArray

if TYPE_CHECKING:
    from anabasis.ai.planner import Planner

MAX_WEEKS = 3.0  # weeks by train a reserve travels to join a concentration
WORTH_DEFENDING = 0.05  # points a week that make an empty post worth sending men to
DEAD_END = 1e9  # strength a staging station in a cul-de-sac next to the enemy counts for less
EFFORTS = {1: 1, 2: 2, 3: 3}  # places a commander concentrates on at once, by skill
BOUND_SLACK = 1e-9  # relative rounding a sum of strengths in another order may differ by


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
    """Bring reserves to threatened posts and next to targets too strong, or too far, to attack yet; men on foot
    already next to a target beyond a week's march board their trains."""
    sit, f = p.sit, p.faction
    weak, gaps = _weak_posts(sit.threat[f], sit.defence[f], p.intent.hold, p.value_array, p.footing.held)
    if not deficits and not len(weak):
        return  # no weak post and no target short of men: nothing wanted
    pieces = Pieces(p)
    if not pieces.units:
        return  # no reserves to send
    value, incoming, defence = p.value, p.incoming, p.defence
    # (value, where to gather, strength missing there, the target it is for or -1 for a post); strength on its
    # way counts against the gap, and no reserves are sent into a post where men could be cut off
    wants: list[tuple[float, int, float, int]] = [
        (value[st], st, required(p, st) - defence[st], -1)
        for st, gap in zip(weak.tolist(), gaps.tolist(), strict=True)
        if gap > incoming[st] and st not in p.given_up and not cut_off(p, st) and not cul_de_sac(p, st)
    ]
    for t, missing in deficits.items():
        st = staging(p, t, pieces)
        if st >= 0:
            wants.append((value[t], st, missing, t))
    if not wants:
        return
    wants.sort(key=itemgetter(0), reverse=True)  # most valuable first; `reverse` keeps ties in order
    efforts = 0
    w, worth = p.world, p.worth
    for _, st, short_by, t in wants:
        missing = short_by - incoming[st]
        if missing <= 0:
            continue
        if pieces.bound(st) < missing:
            continue  # all the reserves in its piece of network would not do
        boarding = pieces.boarding(st, t) if t >= 0 else []
        pool = pieces.reserves(st)
        if sum(map(worth.__getitem__, boarding)) + sum(map(worth.__getitem__, pool)) < missing:
            continue
        for u in boarding:  # on their trains by next week, to strike beyond a week's march
            if missing <= 0:
                break
            p.give(u, Entrain(w.unit_ids[u]))
            incoming[st] += worth[u]
            missing -= worth[u]
        for u in pool:
            if missing <= 0:
                break
            if p.send(u, st):
                missing -= worth[u]
        efforts += 1
        if efforts >= EFFORTS[p.skill.level]:
            return


@kernel
def _weak_posts(
    threat: FloatArray, defence: FloatArray, hold: float, value: FloatArray, held: BoolArray
) -> tuple[IntArray, FloatArray]:
    """Stations we hold, worth defending, whose defence falls short of `hold` times the threat; and by how much."""
    posts = np.empty(threat.shape[0], dtype=np.int64)
    gaps = np.empty(threat.shape[0])
    n = 0
    for s in range(threat.shape[0]):
        gap = threat[s] * hold - defence[s]
        if gap > 0 and value[s] >= WORTH_DEFENDING and held[s]:
            posts[n], gaps[n] = s, gap
            n += 1
    return posts[:n], gaps[:n]


class Pieces:
    """The units free when concentration starts, by the piece of our network they stand in (see `labels`)."""

    def __init__(self, p: Planner) -> None:
        self.p = p
        self.labels = labels = p.labels(-1)
        self.units: dict[int, list[int]] = {}  # in unit order
        self.worth: dict[int, float] = {}
        at, worth, taken = p.at, p.worth, p.taken
        units, strength = self.units, self.worth
        for u in p.mine:
            here = at[u]
            if here >= 0 and u not in taken:
                piece = labels[here]
                units.setdefault(piece, []).append(u)
                strength[piece] = strength.get(piece, 0.0) + worth[u]

    def bound(self, st: int) -> float:
        """At least the strength of any reserves `st` can draw on (rounding allowed for)."""
        return self.worth.get(self.labels[st], 0.0) * (1.0 + BOUND_SLACK)

    def boarding(self, st: int, t: int) -> list[int]:
        """Units still free at `st` on foot that could strike `t` from there by train, not on foot."""
        p = self.p
        seg = p.world.segment_between(st, t)
        if seg < 0 or p.damage[seg] > 0 or not p.march_km < p.world.seg_km_list[seg] <= p.train_km:
            return []
        at, taken, entrained = p.at, p.taken, p.entrained
        return [
            u
            for u in self.units.get(self.labels[st], ())
            if at[u] == st and u not in taken and not entrained[u] and may_strike(p, u, t)
        ]

    def reserves(self, st: int) -> list[int]:
        """Units still free standing in the same piece as `st`, close enough by train, nearest first."""
        p = self.p
        far = MAX_WEEKS * p.train_km
        w = p.world
        dist: list[float] = w.memo("ai.distance_to", st, w.distance[:, st].tolist)
        at, taken, region_ok = p.at, p.taken, p.region_ok
        out = [
            u
            for u in self.units.get(self.labels[st], ())
            if u not in taken and at[u] != st and dist[at[u]] <= far and region_ok(u, st)
        ]
        out.sort(key=lambda u: dist[at[u]])
        return out


def staging(p: Planner, t: int, pieces: Pieces) -> int:
    """The friendly station next to target `t` to gather at: where most of our strength already is, among those
    our men are at or can reach."""
    best, best_score = -1, -math.inf
    hostile, given_up, strength, incoming, threat = p.hostile, p.given_up, p.strength, p.incoming, p.threat
    for st in (*p.sit.layout.open_links[t], t):
        if hostile[st] or st in given_up or (strength[st] <= 0 and pieces.bound(st) <= 0):
            continue
        score = strength[st] + incoming[st] - 0.1 * threat[st]
        if st != t:
            if threat[st] > 0 and len(p.exits(st)) <= 1:
                score -= DEAD_END  # a cul-de-sac next to the enemy only when there is nowhere else
            if not score > best_score:
                continue  # not chosen, trap or not: the dearer question below need not be asked
            if cut_off(p, st) or (threat[st] > 0 and into_a_pocket(p, st)):
                continue  # beyond a junction the enemy closes on, or with a pocket behind it: a trap
        if score > best_score:
            best, best_score = st, score
    return best
