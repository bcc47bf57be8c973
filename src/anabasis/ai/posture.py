"""Holding ground: units on the move keep going, threatened posts keep a garrison, and posts that cannot be held,
or where men could be cut off (a dead end, a post with a pocket behind it, a branch beyond a junction the enemy is
closing on), are given up in time, toward the rear, with the bridges behind blown by a commander who knows the
trick. No train is left standing on the line.
"""

from __future__ import annotations

import numpy as np

from anabasis.ai.theatre import (
    AT,
    CONTROL,
    DAMAGE,
    DEFENCE,
    ENTRAINED,
    GIVEN_UP,
    GOAL,
    GUARD,
    HOSTILE,
    INCOMING,
    KIND,
    NEXT_HOP,
    ORDER_KIND,
    OTHER,
    POST,
    REPAIR_WEEKS,
    STALLED,
    STAY,
    STRENGTH,
    TAKEN,
    THREAT,
    VALUE_NOW,
    VIA,
    WORTH,
    Plan,
    Resolve,
    Theatre,
    blocked,
    can_reach,
    ends,
    exits,
    give,
    region_ok,
    send,
)
from anabasis.engine.combat import _retreat_station
from anabasis.engine.jit import borrowing_kernel, inner_kernel, small_kernel
from anabasis.engine.movement import ARMOURED_TRAIN
from anabasis.engine.passage import BLOW, DETRAIN, HOLD
from anabasis.engine.world import IntArray, World


@borrowing_kernel
def keep_goals(th: Theatre, plan: Plan) -> None:
    """Units on their way somewhere keep going, unless the way is shut; their strength counts as arriving."""
    taken, stalled, incoming = plan.units[TAKEN], plan.units[STALLED], plan.stations[INCOMING]
    for u in th.moving:
        if taken[u]:
            continue
        if blocked(th, u):
            stalled[u] = True
            continue
        taken[u] = True
        incoming[th.units[GOAL, u]] += th.measures[WORTH, u]


@borrowing_kernel
def get_going(th: Theatre, r: Resolve, plan: Plan) -> None:
    """Units left without a task out on the line go on to the station ahead, or back to the one behind when the
    enemy has taken it (a train halts short of an enemy station, and would wait there for ever); units at a
    station whose destination was shut halt there."""
    for u in th.mine:
        if plan.units[ORDER_KIND, u] >= 0 or (plan.units[TAKEN, u] and not plan.units[STALLED, u]):
            continue
        if th.units[AT, u] >= 0:
            if plan.units[STALLED, u]:
                give(plan, u, HOLD, -1)
            continue
        end = -1  # the end nearer its destination, if it had one and may go there, else the nearer it may enter
        for x in ends(th, u, th.units[GOAL, u]):
            if end < 0 and not th.flags[HOSTILE, x]:
                end = x
        if end < 0 or not send(th, r, plan, u, end):
            give(plan, u, HOLD, -1)


@inner_kernel
def garrison(th: Theatre, r: Resolve, plan: Plan) -> None:
    """Keep enough men at threatened posts that the enemy cannot attack them at good odds."""
    nu, ns = th.units[AT].shape[0], th.stations[THREAT].shape[0]
    kept = np.zeros(nu, dtype=np.bool_)  # the doctrine keeps these where they are
    for u in th.mine:
        kept[u] = th.doctrine[STAY, u] and th.units[AT, u] >= 0 and not plan.units[TAKEN, u]
    # Posts in the order of the first free unit at each; only threatened ones of value need a garrison.
    posts = np.empty(ns, dtype=np.int64)
    n_posts = 0
    listed = np.zeros(ns, dtype=np.bool_)
    for u in th.threatened:
        st = th.units[AT, u]
        if (
            not plan.units[TAKEN, u]
            and not th.flags[HOSTILE, st]
            and plan.stations[VALUE_NOW, st] > 0
            and not listed[st]
        ):
            listed[st] = True
            posts[n_posts] = st
            n_posts += 1
    candidates = np.zeros(nu, dtype=np.bool_)
    for u in th.threatened:
        candidates[u] = (
            not plan.units[TAKEN, u]
            and not th.flags[HOSTILE, th.units[AT, u]]
            and plan.stations[VALUE_NOW, th.units[AT, u]] > 0
        )
    taken, post = plan.units[TAKEN], plan.units[POST]
    for u in th.mine:
        if kept[u]:
            post[u] = th.units[AT, u]
            taken[u] = True
    units = np.empty(th.threatened.shape[0], dtype=np.int64)
    for i in range(n_posts):
        st = posts[i]
        need = required(th, r, plan, st)
        n = 0
        for u in th.threatened:  # on foot first, then the strongest: equals stay in unit order
            if not (candidates[u] and th.units[AT, u] == st):
                continue
            k = n
            while k > 0 and (
                th.units[ENTRAINED, u] < th.units[ENTRAINED, units[k - 1]]
                or (
                    th.units[ENTRAINED, u] == th.units[ENTRAINED, units[k - 1]]
                    and -th.measures[GUARD, u] < -th.measures[GUARD, units[k - 1]]
                )
            ):
                units[k] = units[k - 1]
                k -= 1
            units[k] = u
            n += 1
        held = 0.0
        holdable = -1  # not yet asked
        for j in range(n):
            u = units[j]
            if held >= need:
                break
            held += th.measures[GUARD, u]
            taken[u] = True
            post[u] = st
            mobile = th.units[ENTRAINED, u] and th.units[KIND, u] != ARMOURED_TRAIN
            # Off the trains to dig in, unless the post is one to leave even so.
            if r.detrain and mobile and th.stations[THREAT, st] > 0.5 * th.stations[DEFENCE, st]:
                if holdable < 0:
                    holdable = 0 if untenable(th, r, plan, st, th.stations[DEFENCE, st] / r.entrained_defence) else 1
                if holdable == 1:
                    give(plan, u, DETRAIN, -1)


@inner_kernel
def fall_back(th: Theatre, r: Resolve, plan: Plan) -> None:
    """Leave posts the enemy can take at will and cul-de-sacs it is closing on, falling back toward the rear; and
    posts beyond a junction the enemy is closing on, falling back to the junction, which the men coming back help
    to hold (so that once enough are on their way, the rest may stay).

    A beaten garrison bleeds, and one with nowhere to retreat to, or cut off, is lost entire.
    """
    nu, ns = th.units[AT].shape[0], th.stations[THREAT].shape[0]
    cut = np.zeros(ns, dtype=np.bool_)
    for st in th.posts:
        cut[st] = cut_at(th, r, plan, st) >= 0
    port = np.zeros(ns, dtype=np.bool_)
    for st in th.ports:
        port[st] = True
    seen = np.zeros(nu, dtype=np.bool_)
    queue = np.empty(th.threatened.shape[0] + th.mine.shape[0], dtype=np.int64)
    n = 0
    for u in th.threatened:  # the threatened, then the units at posts that may be cut off, each once
        if not seen[u]:
            seen[u] = True
            queue[n] = u
            n += 1
    for u in th.mine:
        if th.units[AT, u] >= 0 and cut[th.units[AT, u]] and not seen[u]:
            seen[u] = True
            queue[n] = u
            n += 1
    for i in range(n):
        u = queue[i]
        st = th.units[AT, u]
        if (
            port[st]
            or plan.units[ORDER_KIND, u] >= 0
            or (plan.units[TAKEN, u] and plan.units[POST, u] < 0)
            or th.doctrine[STAY, u]
        ):
            continue
        there = cut_at(th, r, plan, st)
        if there >= 0 and can_reach(th, u, there):
            withdraw(th, r, plan, u, st, there)
            continue
        if plan.stations[INCOMING, st] > th.stations[THREAT, st] or not untenable(
            th, r, plan, st, th.stations[DEFENCE, st]
        ):
            continue
        there = _retreat_to(th, r, u, st)
        if there >= 0:
            withdraw(th, r, plan, u, st, there)


@borrowing_kernel
def required(th: Theatre, r: Resolve, plan: Plan, st: int) -> float:
    """The defence a post needs: enough that the enemy next to it cannot attack at good odds, and enough that
    it is not a post to give up (more for a dead end, which must not be lost)."""
    tenable = (3.0 if exits(th, st) <= 1 else 1.0) / r.fall_back
    return float(th.stations[THREAT, st] * max(r.hold, tenable))


@borrowing_kernel
def untenable(th: Theatre, r: Resolve, plan: Plan, st: int, defence: float) -> bool:
    """Whether a post with this defence should be given up: the enemy can take it at will, it is a cul-de-sac the
    enemy is closing on (men beaten there are lost entire or cut off), or the junction behind it is about to go."""
    danger = th.stations[THREAT, st] / max(defence, 1.0)
    ratio = r.fall_back
    return danger >= ratio or (danger >= ratio / 3 and cul_de_sac(th, r, st)) or cut_at(th, r, plan, st) >= 0


@borrowing_kernel
def cul_de_sac(th: Theatre, r: Resolve, st: int) -> bool:
    """Whether men beaten at a post would be lost entire or cut off: it is a dead end, or a pocket lies behind
    it (see `into_a_pocket`)."""
    return st != r.rear and (exits(th, st) <= 1 or into_a_pocket(th, r, st))


@borrowing_kernel
def into_a_pocket(th: Theatre, r: Resolve, st: int) -> bool:
    """Whether the rules would drive men beaten at `st` into a pocket beyond it, away from the rear (a beaten
    garrison falls back to the first friendly neighbour in the line's order, wherever that leads), where the
    enemy holding `st` cuts them off."""
    if r.rear < 0 or st == r.rear:
        return False
    beaten = (
        th.first,
        th.links[OTHER],
        th.links[VIA],
        th.segments[DAMAGE],
        th.holding[CONTROL],
        th.stance,
        th.hostile_all,
    )
    to = _retreat_station(beaten, r.faction, st)
    return to >= 0 and th.hops[NEXT_HOP, to, r.rear] == st


@small_kernel
def cut_at(th: Theatre, r: Resolve, plan: Plan, st: int) -> int:
    """The junction at the end of the post's way back (see `ways`) if the enemy is closing on it faster than
    friends there could hold it, and the way there is still open; -1 otherwise. Men caught beyond a lost junction
    have no way back, so the post is given up while the way is still open."""
    first, last = th.way_first[st], th.way_first[st + 1]
    if first == last:
        return -1
    j = th.way[last - 1]
    threat = th.stations[THREAT, j]
    if threat <= 0:
        return -1
    for k in range(first, last):
        if th.flags[HOSTILE, th.way[k]]:
            return -1
    held = 0.0
    for g in th.friends:
        held += th.defence_of[g, j]
    return j if threat >= r.fall_back / 3 * max(held + plan.stations[INCOMING, j], 1.0) else -1


def ways(world: World, rear: int) -> tuple[IntArray, IntArray]:
    """Per station: the stations from it toward `rear` up to the first where another line comes in (that one
    included, the one place the enemy can cut that way); none with no rear or no such station. As `first` and
    the stations, station `s`'s way being `stations[first[s]:first[s + 1]]`; the same for every game of the
    world, so remembered."""
    hit = world.cache.get(("ai.ways", rear))
    if isinstance(hit, tuple):
        return hit
    hops, adjacency = world.next_hop_rows, world.adjacency
    first, stations = [0], []
    for st in range(len(adjacency)):
        way: list[int] = []
        here = st
        while rear >= 0 and here != rear:
            here = hops[here][rear]
            if here < 0:
                break
            way.append(here)
            if len(adjacency[here]) >= 3:
                break
        if way and len(adjacency[way[-1]]) >= 3:
            stations += way
        first.append(len(stations))
    out = (np.array(first, dtype=np.int64), np.array(stations, dtype=np.int64))
    world.cache[("ai.ways", rear)] = out
    return out


@borrowing_kernel
def _retreat_to(th: Theatre, r: Resolve, u: int, st: int) -> int:
    """Where a unit falls back to: the next station toward the rear, else the safest one that is no dead end and
    no farther from the rear; -1 for none."""
    rear = r.rear
    if rear >= 0 and rear != st:
        toward = th.hops[NEXT_HOP, st, rear]
        for j in range(th.first[st], th.first[st + 1]):
            o = th.links[OTHER, j]
            if (
                o == toward
                and th.segments[DAMAGE, th.links[VIA, j]] == 0
                and not th.flags[HOSTILE, o]
                and can_reach(th, u, o)
            ):
                return int(toward)
    # Never deeper into enemy country, away from a rear it may go to: cut off from it, men stay and fight.
    away = rear >= 0 and region_ok(th, u, rear)
    best, best_dead_end, best_threat = -1, True, th.stations[THREAT, st]
    for j in range(th.first[st], th.first[st + 1]):
        other = th.links[OTHER, j]
        if th.segments[DAMAGE, th.links[VIA, j]] != 0 or th.flags[HOSTILE, other]:
            continue
        if away and th.distance[other, rear] > th.distance[st, rear]:
            continue
        dead_end = exits(th, other) <= 1  # a dead end only when there is nothing else
        better = dead_end < best_dead_end or (dead_end == best_dead_end and th.stations[THREAT, other] < best_threat)
        if better and can_reach(th, u, other):
            best, best_dead_end, best_threat = other, dead_end, th.stations[THREAT, other]
    return best


@borrowing_kernel
def withdraw(th: Theatre, r: Resolve, plan: Plan, u: int, here: int, there: int) -> None:  # noqa: PLR0917 (a kernel: numba calls it with its arguments in order)
    """Pull back from `here` to `there`, blowing a bridge toward the enemy first when it knows how."""
    given_up = plan.marks[GIVEN_UP]
    given_up[here] = True
    if r.demolition:
        seg = bridge_behind(th, r, here, there)
        if seg >= 0:
            give(plan, u, BLOW, seg)
            return
    send(th, r, plan, u, there)


@borrowing_kernel
def bridge_behind(th: Theatre, r: Resolve, here: int, toward: int) -> int:
    """A bridge next to `here` on the side away from `toward`, with the enemy beyond it and none of ours; or -1."""
    if not th.war.any():  # no enemy to stop
        return -1
    for j in range(th.first[here], th.first[here + 1]):
        other, seg = th.links[OTHER, j], th.links[VIA, j]
        if (
            th.distance[other, toward] <= th.distance[here, toward]
            or th.segments[DAMAGE, seg] > 0
            or th.segments[REPAIR_WEEKS, seg] <= 0
        ):
            continue
        if th.stations[THREAT, other] > 0 and th.stations[STRENGTH, other] <= 0:
            return int(seg)
    return -1
