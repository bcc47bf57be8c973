"""Bread, rails and ships: hungry units move to where they can be fed (or break out), cut lines get repaired, and
an evacuating faction boards ships, sending men to the port about as fast as the ships can take them.
"""

from __future__ import annotations

import math

import numpy as np

from anabasis.ai.attack import CORNERED, FED, HUNGRY, STARVING, STORES_LOW, odds, options, way_out
from anabasis.ai.posture import bridge_behind
from anabasis.ai.theatre import (
    AT,
    DAMAGE,
    EMBARKING,
    FOE,
    GOAL,
    HOSTILE,
    KIND,
    MEN,
    NEXT_HOP,
    NODE,
    PORT_MEN,
    SEG_A,
    SEG_B,
    SEG_OF,
    STORES,
    SUPPLY,
    TAKEN,
    TARGET,
    THREAT,
    Plan,
    Resolve,
    Theatre,
    blocked,
    give,
    open_the_way,
    reaches,
    region_ok,
    send,
)
from anabasis.engine.jit import borrowing_kernel, inner_kernel
from anabasis.engine.movement import ARMOURED_TRAIN
from anabasis.engine.passage import ATTACK, BLOW, EVACUATE, REPAIR

BREAKOUT = 0.3  # the least chance a starving unit, with nowhere to go, attacks at


@inner_kernel
def feed(th: Theatre, r: Resolve, plan: Plan) -> None:
    """Units going hungry where they stand move to where they can be fed, or break out if they cannot.

    A unit at a station of its own piece of network shares that piece's supply wherever it goes in it, so only
    units standing among the enemy, or out on the line, can better themselves by moving.
    """
    labels = th.labels[0]
    hungry = np.empty(th.mine.shape[0], dtype=np.int64)
    n = 0
    for u in th.mine:
        if (
            th.stations[SUPPLY, th.units[NODE, u]] < HUNGRY
            and th.units[STORES, u] <= STORES_LOW
            and not plan.units[TAKEN, u]
        ):
            hungry[n] = u
            n += 1
    one = np.empty(1, dtype=np.int64)
    targets = np.empty(th.flags.shape[1], dtype=np.int64)  # room for any station's neighbours and itself
    for i in range(n):
        u = hungry[i]
        here = th.units[NODE, u]
        if th.units[AT, u] < 0 or labels[here] < 0:
            best = -1  # the nearest station where men are fed, the first of equals
            for o in range(th.stations[SUPPLY].shape[0]):
                fed = th.stations[SUPPLY, o] >= FED and reaches(th, u, o) and region_ok(th, u, o)
                if fed and (best < 0 or th.distance[here, o] < th.distance[here, best]):
                    best = o
            if best >= 0:
                send(th, r, plan, u, best)
                continue
        least = BREAKOUT if r.level >= 2 else r.chance
        best, best_chance = -1, 0.0
        one[0] = u
        for t in targets[: options(th, r, plan, u, targets)]:
            chance = odds(th, r, one, t)[0]
            cornered = t == th.units[AT, u] and not way_out(th, t) and th.units[STORES, u] > STARVING
            if chance >= max(least, CORNERED if cornered else least) and chance > best_chance:
                best, best_chance = t, chance
        if best >= 0:
            give(plan, u, ATTACK, best)


@inner_kernel
def mend(th: Theatre, r: Resolve, plan: Plan) -> None:
    """Free units at either end of a cut segment set to repairing it, when it splits our network or stands
    between our men and an enemy station we mean to take (the Legion cleared the Baikal tunnel the Reds blew
    behind them, and went on round the lake)."""
    labels = th.labels[0]
    free = np.empty(th.mine.shape[0], dtype=np.int64)
    for seg in th.cut:
        a, b = th.segments[SEG_A, seg], th.segments[SEG_B, seg]
        if th.flags[HOSTILE, a] and th.flags[HOSTILE, b]:
            continue
        if th.flags[HOSTILE, a] or th.flags[HOSTILE, b]:
            if not plan.marks[TARGET, a if th.flags[HOSTILE, a] else b]:
                continue
        elif labels[a] == labels[b]:
            continue
        crews = math.ceil(th.segments[DAMAGE, seg] / r.repair_per_week)
        n = 0
        for u in th.mine:
            if not plan.units[TAKEN, u]:
                free[n] = u
                n += 1
        for i in range(n):
            if crews <= 0:
                break
            u = free[i]
            if th.units[AT, u] == a or th.units[AT, u] == b:
                give(plan, u, REPAIR, seg)
                crews -= 1


@inner_kernel
def ship_out(th: Theatre, r: Resolve, plan: Plan) -> None:
    """Board ships at friendly ports; send the rest to the nearest port, as fast as the ships can take them.

    A good commander sends men so that they arrive as the queue on the quay clears (`Resolve.slack` weeks of
    queue at most), holding the line meanwhile; a poor one sends everyone at once.
    """
    if th.ports.shape[0] == 0:
        return
    ns, nu = th.stations[THREAT].shape[0], th.units[AT].shape[0]
    listed = np.zeros(ns, dtype=np.bool_)
    for port in th.ports:
        listed[port] = True
    waiting = np.zeros(ns)  # men on the quay or on their way to each port
    for u in th.mine:
        st, goal = th.units[AT, u], th.units[GOAL, u]
        if st >= 0 and listed[st]:
            waiting[st] += th.units[MEN, u]
            if not th.units[EMBARKING, u]:
                give(plan, u, EVACUATE, -1)
        elif goal >= 0 and listed[goal] and not blocked(th, u):
            waiting[goal] += th.units[MEN, u]
            taken = plan.units[TAKEN]
            taken[u] = True
    far = np.full(nu, -1, dtype=np.int64)  # the nearest port of each free unit, the first of equals
    leaving = np.empty(th.mine.shape[0], dtype=np.int64)
    n = 0
    for u in th.mine:
        if plan.units[TAKEN, u]:
            continue
        best = th.ports[0]
        for port in th.ports:
            if th.distance[th.units[NODE, u], port] < th.distance[th.units[NODE, u], best]:
                best = port
        far[u] = best
        # The farthest set out first; a commander who knows the trick keeps his armoured trains to cover the rest.
        last = r.demolition and th.units[KIND, u] == ARMOURED_TRAIN
        away = -th.distance[th.units[NODE, u], best]
        k = n
        while k > 0:
            v = leaving[k - 1]
            v_last = r.demolition and th.units[KIND, v] == ARMOURED_TRAIN
            v_away = -th.distance[th.units[NODE, v], far[v]]
            if not (last < v_last or (last == v_last and away < v_away)):
                break
            leaving[k] = v
            k -= 1
        leaving[k] = u
        n += 1
    for i in range(n):
        u = leaving[i]
        port = far[u]
        weeks = th.distance[th.units[NODE, u], port] / r.train_km
        if r.slack >= 0 and waiting[port] / max(th.holding[PORT_MEN, port], 1) > math.ceil(weeks) + r.slack:
            continue
        here = th.units[AT, u]
        if here >= 0 and r.demolition:
            seg = bridge_behind(th, r, here, port)
            if seg >= 0:
                give(plan, u, BLOW, seg)
                continue
        if send(th, r, plan, u, port):
            waiting[port] += th.units[MEN, u]
        elif here >= 0:
            clear_the_way(th, r, plan, u, here, port)


@borrowing_kernel
def clear_the_way(th: Theatre, r: Resolve, plan: Plan, u: int, here: int, goal: int) -> None:  # noqa: PLR0917 (a kernel: numba calls it with its arguments in order)
    """The way to `goal` is shut: repair the first cut segment on it, or make the first enemy station on it a target."""
    while here != goal:
        nxt = th.hops[NEXT_HOP, here, goal]
        if nxt < 0:
            return
        if th.flags[FOE, nxt]:
            open_the_way(plan, nxt)
            return
        seg = th.hops[SEG_OF, here, nxt]
        if th.segments[DAMAGE, seg] > 0:
            left = plan.crews
            crews = left[seg]
            if crews < 0:
                crews = math.ceil(th.segments[DAMAGE, seg] / r.repair_per_week)
            if crews <= 0:
                return
            if th.units[AT, u] == here:
                give(plan, u, REPAIR, seg)
                left[seg] = crews - 1
            elif send(th, r, plan, u, here):
                left[seg] = crews - 1
            return
        here = nxt
