"""Bread, rails and ships: hungry units move to where they can be fed (or break out), cut lines get repaired, and
an evacuating faction boards ships, sending men to the port about as fast as the ships can take them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from anabasis.ai.analysis import ARMOURED_TRAIN
from anabasis.ai.attack import CORNERED, FED, HUNGRY, STARVING, STORES_LOW, odds, options, way_out
from anabasis.ai.posture import blocked, bridge_behind
from anabasis.engine.legal import reachable
from anabasis.engine.orders import Attack, Blow, Evacuate, Repair
from anabasis.engine.world import World

if TYPE_CHECKING:
    from anabasis.ai.planner import Planner

BREAKOUT = 0.3  # the least chance a starving unit, with nowhere to go, attacks at


def feed(p: Planner) -> None:
    """Units going hungry where they stand move to where they can be fed, or break out if they cannot.

    A unit at a station of its own piece of network shares that piece's supply wherever it goes in it, so only
    units standing among the enemy, or out on the line, can better themselves by moving.
    """
    w, supply, node, stores, taken = p.world, p.supply, p.node, p.stores, p.taken
    labels = p.labels(-1)
    fed: list[int] | None = None  # stations where men are fed, worked out if someone needs to know
    for u in [u for u in p.mine if supply[node[u]] < HUNGRY and stores[u] <= STORES_LOW and u not in taken]:
        here = node[u]
        if p.at[u] < 0 or labels[here] < 0:
            fed = [o for o, share in enumerate(supply) if share >= FED] if fed is None else fed
            reach = reachable(p.state, u)
            choices = [o for o in fed if reach[o] and p.region_ok(u, o)]
            if choices:
                p.send(u, min(choices, key=lambda o: w.distance[here, o]))
                continue
        least = BREAKOUT if p.skill.level >= 2 else p.intent.chance
        best, best_chance = -1, 0.0
        for t in options(p, u):
            chance, _ = odds(p, [u], t)
            cornered = t == p.at[u] and not way_out(p, t) and p.stores[u] > STARVING
            if chance >= max(least, CORNERED if cornered else least) and chance > best_chance:
                best, best_chance = t, chance
        if best >= 0:
            p.give(u, Attack(w.unit_ids[u], w.station_ids[best]))


def mend(p: Planner) -> None:
    """Free units at either end of a cut segment set to repairing it, when it splits our network or stands
    between our men and an enemy station we mean to take (the Legion cleared the Baikal tunnel the Reds blew
    behind them, and went on round the lake)."""
    cut = p.sit.columns.cut
    if not cut:
        return
    w = p.world
    labels = p.labels(-1)
    hostile, targets = p.hostile, p.targets
    for seg in cut:
        a, b = int(w.seg_a[seg]), int(w.seg_b[seg])
        if hostile[a] and hostile[b]:
            continue
        if hostile[a] or hostile[b]:
            if not targets[a if hostile[a] else b]:
                continue
        elif labels[a] == labels[b]:
            continue
        crews = math.ceil(p.damage[seg] / w.rules.repair_per_week)
        for u in p.free():
            if crews <= 0:
                break
            if p.at[u] in (a, b):
                p.give(u, Repair(w.unit_ids[u], w.segment_name(seg)))
                crews -= 1


def ship_out(p: Planner) -> None:
    """Board ships at friendly ports; send the rest to the nearest port, as fast as the ships can take them.

    A good commander sends men so that they arrive as the queue on the quay clears (`Skill.slack` weeks of
    queue at most), holding the line meanwhile; a poor one sends everyone at once.
    """
    w, s = p.world, p.state
    ports = p.intent.ports
    if not ports:
        return
    waiting = dict.fromkeys(ports, 0.0)
    embarking = p.sit.columns.embarking
    for u in p.mine:
        st, goal = p.at[u], p.goal[u]
        if st in waiting:
            waiting[st] += p.men[u]
            if not embarking[u]:
                p.give(u, Evacuate(w.unit_ids[u]))
        elif goal in waiting and not blocked(p, u):
            waiting[goal] += p.men[u]
            p.taken.add(u)
    distance = _distance_rows(w)
    node = p.node
    far = {u: min(ports, key=distance[node[u]].__getitem__) for u in p.free()}
    slack = p.skill.slack
    # The farthest set out first; a commander who knows the trick keeps his armoured trains to cover the rest.
    rear_guard = p.skill.demolition
    kind = w.unit_kind
    for u in sorted(far, key=lambda u: (rear_guard and kind[u] == ARMOURED_TRAIN, -distance[node[u]][far[u]])):
        port = far[u]
        weeks = distance[node[u]][port] / p.train_km
        if slack is not None and waiting[port] / max(int(s.port_men[port]), 1) > math.ceil(weeks) + slack:
            continue
        here = p.at[u]
        if here >= 0 and p.skill.demolition:
            seg = bridge_behind(p, here, port)
            if seg >= 0:
                p.give(u, Blow(w.unit_ids[u], w.segment_name(seg)))
                continue
        if p.send(u, port):
            waiting[port] += p.men[u]
        elif here >= 0:
            clear_the_way(p, u, here, port)


def _distance_rows(world: World) -> list[list[float]]:
    """The world's table of distances as rows of Python floats, once per world (a plan reads single values)."""
    hit = world.cache.get("ai.distance_rows")
    if not isinstance(hit, list):
        hit = world.cache["ai.distance_rows"] = world.distance.tolist()
    return hit


def clear_the_way(p: Planner, u: int, here: int, goal: int) -> None:
    """The way to `goal` is shut: repair the first cut segment on it, or make the first enemy station on it a target."""
    w = p.world
    while here != goal:
        nxt = int(w.next_hop[here, goal])
        if nxt < 0:
            return
        if p.foe_stations[nxt]:
            p.open_the_way(nxt)
            return
        seg = w.segment_between(here, nxt)
        if p.damage[seg] > 0:
            crews = p.crews.get(seg, math.ceil(p.damage[seg] / w.rules.repair_per_week))
            if crews <= 0:
                return
            if p.at[u] == here:
                p.give(u, Repair(w.unit_ids[u], w.segment_name(seg)))
                p.crews[seg] = crews - 1
            elif p.send(u, here):
                p.crews[seg] = crews - 1
            return
        here = nxt
