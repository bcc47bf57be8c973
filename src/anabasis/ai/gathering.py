"""Concentration: reserves go where an attack lacks strength or a post is too weak, men on foot next to a target
beyond a week's march board their trains, and units called back make for the rallying point. Only efforts the
reserves within a few weeks by train could make good are started, most valuable first; none go into a post where
men could be cut off, which is held lightly or not at all.
"""

from __future__ import annotations

import math

import numpy as np

from anabasis.ai.attack import may_strike
from anabasis.ai.logistics import clear_the_way
from anabasis.ai.posture import cul_de_sac, cut_at, into_a_pocket, required
from anabasis.ai.theatre import (
    AT,
    CALLED_BACK,
    DAMAGE,
    DEFENCE,
    ENTRAINED,
    GIVEN_UP,
    GOAL,
    HELD,
    HOSTILE,
    INCOMING,
    OTHER,
    SEG_OF,
    STRENGTH,
    TAKEN,
    THREAT,
    VALUE_AT_START,
    VALUE_NOW,
    VIA,
    WORTH,
    Plan,
    Resolve,
    Theatre,
    exits,
    give,
    region_ok,
    send,
)
from anabasis.engine.jit import borrowing_kernel, inner_kernel, kernel
from anabasis.engine.passage import ENTRAIN
from anabasis.engine.world import BoolArray, FloatArray, IntArray

MAX_WEEKS = 3.0  # weeks by train a reserve travels to join a concentration
WORTH_DEFENDING = 0.05  # points a week that make an empty post worth sending men to
DEAD_END = 1e9  # strength a staging station in a cul-de-sac next to the enemy counts for less
BOUND_SLACK = 1e-9  # relative rounding a sum of strengths in another order may differ by


@borrowing_kernel
def pull_out(th: Theatre, r: Resolve, plan: Plan) -> None:
    """Units the doctrine calls back (the Legion leaving the front) make for the rallying point first."""
    rally = r.rally
    if rally < 0:
        return
    for u in th.mine:
        here = th.units[AT, u]
        called = th.doctrine[CALLED_BACK, u] and not plan.units[TAKEN, u] and th.units[GOAL, u] != rally
        if called and here >= 0 and not send(th, r, plan, u, rally):
            clear_the_way(th, r, plan, u, here, rally)


@inner_kernel
def reinforce(th: Theatre, r: Resolve, plan: Plan, deficits: tuple[IntArray, FloatArray]) -> None:
    """Bring reserves to threatened posts and next to targets too strong, or too far, to attack yet; men on foot
    already next to a target beyond a week's march board their trains."""
    short_at, short_by = deficits
    weak, gaps = _weak_posts(
        th.stations[THREAT], th.stations[DEFENCE], r.hold, plan.stations[VALUE_AT_START], th.flags[HELD]
    )
    if short_at.shape[0] == 0 and weak.shape[0] == 0:
        return  # no weak post and no target short of men: nothing wanted
    reserve = np.zeros(th.units[AT].shape[0], dtype=np.bool_)  # the units free as concentration starts
    for u in th.mine:
        reserve[u] = th.units[AT, u] >= 0 and not plan.units[TAKEN, u]
    if not reserve.any():
        return  # no reserves to send
    # (value, where to gather, strength missing there, the target it is for or -1 for a post); strength on its
    # way counts against the gap, and no reserves are sent into a post where men could be cut off
    n_wants = weak.shape[0] + short_at.shape[0]
    worth_of, missing_at = np.empty(n_wants), np.empty(n_wants)
    gather_at, target = np.empty(n_wants, dtype=np.int64), np.empty(n_wants, dtype=np.int64)
    n = 0
    for i in range(weak.shape[0]):
        st = weak[i]
        wanted = gaps[i] > plan.stations[INCOMING, st] and not plan.marks[GIVEN_UP, st]
        if wanted and cut_at(th, r, plan, st) < 0 and not cul_de_sac(th, r, st):
            worth_of[n], gather_at[n], target[n] = plan.stations[VALUE_NOW, st], st, -1
            missing_at[n] = required(th, r, plan, st) - th.stations[DEFENCE, st]
            n += 1
    for i in range(short_at.shape[0]):
        t = short_at[i]
        st = staging(th, r, plan, t, reserve)
        if st >= 0:
            worth_of[n], gather_at[n], missing_at[n], target[n] = plan.stations[VALUE_NOW, t], st, short_by[i], t
            n += 1
    wants = np.arange(n)  # most valuable first; equals stay in order
    for i in range(1, n):
        k, w = i, wants[i]
        while k > 0 and worth_of[wants[k - 1]] < worth_of[w]:
            wants[k] = wants[k - 1]
            k -= 1
        wants[k] = w
    efforts = 0
    boarding_at, pool_at = np.empty(th.mine.shape[0], dtype=np.int64), np.empty(th.mine.shape[0], dtype=np.int64)
    for w in wants:
        st, t = gather_at[w], target[w]
        missing = missing_at[w] - plan.stations[INCOMING, st]
        if missing <= 0:
            continue
        if bound(th, reserve, st) < missing:
            continue  # all the reserves in its piece of network would not do
        boarding = boarding_at[: _boarding(th, r, plan, reserve, st, t, boarding_at)]
        pool = pool_at[: _reserves(th, r, plan, reserve, st, pool_at)]
        on_foot, by_train = 0.0, 0.0
        for u in boarding:
            on_foot += th.measures[WORTH, u]
        for u in pool:
            by_train += th.measures[WORTH, u]
        if on_foot + by_train < missing:
            continue
        for u in boarding:  # on their trains by next week, to strike beyond a week's march
            if missing <= 0:
                break
            give(plan, u, ENTRAIN, -1)
            incoming = plan.stations[INCOMING]
            incoming[st] += th.measures[WORTH, u]
            missing -= th.measures[WORTH, u]
        for u in pool:
            if missing <= 0:
                break
            if send(th, r, plan, u, st):
                missing -= th.measures[WORTH, u]
        efforts += 1
        if efforts >= r.efforts:
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


@borrowing_kernel
def bound(th: Theatre, reserve: BoolArray, st: int) -> float:
    """At least the strength of the reserves `st` can draw on: those in its piece of our network (rounding
    allowed for)."""
    piece = th.labels[0, st]
    total = 0.0
    for u in th.mine:
        if reserve[u] and th.labels[0, th.units[AT, u]] == piece:
            total += th.measures[WORTH, u]
    return total * (1.0 + BOUND_SLACK)


@borrowing_kernel
def _boarding(th: Theatre, r: Resolve, plan: Plan, reserve: BoolArray, st: int, t: int, out: IntArray) -> int:  # noqa: PLR0917 (a kernel: numba calls it with its arguments in order)
    """Reserves still free at `st` on foot that could strike `t` from there by train, not on foot, put into `out`
    (lent by the caller: see `borrowing_kernel`); returns how many."""
    if t < 0:
        return 0
    seg = th.hops[SEG_OF, st, t]
    if seg < 0 or th.segments[DAMAGE, seg] > 0 or not r.march_km < th.seg_km[seg] <= r.train_km:
        return 0
    n = 0
    for u in th.mine:
        if (
            reserve[u]
            and th.units[AT, u] == st
            and not plan.units[TAKEN, u]
            and not th.units[ENTRAINED, u]
            and may_strike(th, u, t)
        ):
            out[n] = u
            n += 1
    return n


@borrowing_kernel
def _reserves(th: Theatre, r: Resolve, plan: Plan, reserve: BoolArray, st: int, out: IntArray) -> int:  # noqa: PLR0917 (a kernel: numba calls it with its arguments in order)
    """Reserves still free in the same piece as `st`, close enough by train, nearest first, put into `out`;
    returns how many."""
    far = MAX_WEEKS * r.train_km
    piece = th.labels[0, st]
    n = 0
    for u in th.mine:
        if not reserve[u] or th.labels[0, th.units[AT, u]] != piece:
            continue
        if (
            not plan.units[TAKEN, u]
            and th.units[AT, u] != st
            and th.distance[th.units[AT, u], st] <= far
            and region_ok(th, u, st)
        ):
            k = n  # nearest first; equals stay in unit order
            while k > 0 and th.distance[th.units[AT, out[k - 1]], st] > th.distance[th.units[AT, u], st]:
                out[k] = out[k - 1]
                k -= 1
            out[k] = u
            n += 1
    return n


@borrowing_kernel
def staging(th: Theatre, r: Resolve, plan: Plan, t: int, reserve: BoolArray) -> int:
    """The friendly station next to target `t` to gather at: where most of our strength already is, among those
    our men are at or can reach."""
    best, best_score = -1, -math.inf
    first, last = th.first[t], th.first[t + 1]
    for j in range(first, last + 1):  # the neighbours along open track, then `t` itself
        if j < last:
            if th.segments[DAMAGE, th.links[VIA, j]] != 0:
                continue
            st = th.links[OTHER, j]
        else:
            st = t
        if (
            th.flags[HOSTILE, st]
            or plan.marks[GIVEN_UP, st]
            or (th.stations[STRENGTH, st] <= 0 and bound(th, reserve, st) <= 0)
        ):
            continue
        score = th.stations[STRENGTH, st] + plan.stations[INCOMING, st] - 0.1 * th.stations[THREAT, st]
        if st != t:
            if th.stations[THREAT, st] > 0 and exits(th, st) <= 1:
                score -= DEAD_END  # a cul-de-sac next to the enemy only when there is nowhere else
            if not score > best_score:
                continue  # not chosen, trap or not: the dearer question below need not be asked
            if cut_at(th, r, plan, st) >= 0 or (th.stations[THREAT, st] > 0 and into_a_pocket(th, r, st)):
                continue  # beyond a junction the enemy closes on, or with a pocket behind it: a trap
        if score > best_score:
            best, best_score = st, score
    return best
