"""Holding ground: units on the move keep going, threatened posts keep a garrison, and posts that cannot be held
are given up in time, toward the rear, with the bridges behind blown by a commander who knows the trick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from anabasis.ai.analysis import ARMOURED_TRAIN
from anabasis.engine.orders import Blow, Detrain

if TYPE_CHECKING:
    from anabasis.ai.planner import Planner


def keep_goals(p: Planner) -> None:
    """Units on their way somewhere keep going, unless the way is shut; their strength counts as arriving."""
    goal, hostile, taken = p.goal, p.hostile, p.taken
    for u in p.sit.rows.moving[p.faction]:
        g = goal[u]
        if u in taken:
            continue
        if hostile[g] or not p.can_reach(u, g):
            p.stalled.append(u)
            continue
        taken.add(u)
        p.incoming[g] += p.worth[u]


def garrison(p: Planner) -> None:
    """Keep enough men at threatened posts that the enemy cannot attack them at good odds."""
    threat, value, hostile, at, taken = p.threat, p.value, p.hostile, p.at, p.taken
    stay = p.stay
    kept = {} if stay is None else {u: at[u] for u in p.mine if stay[u] and at[u] >= 0 and u not in taken}
    # Posts in the order of the first free unit at each; only threatened ones of value need a garrison.
    posts: dict[int, list[int]] = {}
    for u in p.sit.rows.threatened[p.faction]:
        st = at[u]
        if u not in taken and not hostile[st] and value[st] > 0:
            posts.setdefault(st, []).append(u)
    p.post.update(kept)  # the doctrine keeps these where they are
    taken.update(kept)
    kind = p.world.unit_kind
    entrained, guard = p.entrained, p.guard
    for st, units in posts.items():
        need = required(p, st)
        units.sort(key=lambda u: (entrained[u], -guard[u]))
        held = 0.0
        holdable: bool | None = None
        for u in units:
            if held >= need:
                break
            held += guard[u]
            taken.add(u)
            p.post[u] = st
            mobile = entrained[u] and kind[u] != ARMOURED_TRAIN
            # Off the trains to dig in, unless the post is one to leave even so.
            if p.skill.detrain and mobile and threat[st] > 0.5 * p.defence[st]:
                if holdable is None:
                    holdable = not untenable(p, st, p.defence[st] / p.world.rules.entrained_defence)
                if holdable:
                    p.give(u, Detrain(p.world.unit_ids[u]))


def fall_back(p: Planner) -> None:
    """Leave posts the enemy can take at will, and dead ends about to be cut off, falling back toward the rear.

    A beaten garrison bleeds, and one with nowhere to retreat to is lost entire.
    """
    threat, defence, at, incoming = p.threat, p.defence, p.at, p.incoming
    ports = p.intent.ports
    stay = p.stay
    orders, taken, post = p.orders, p.taken, p.post
    for u in p.sit.rows.threatened[p.faction]:
        st = at[u]
        if incoming[st] > threat[st] or st in ports:
            continue
        if u in orders or (u in taken and u not in post) or (stay is not None and stay[u]):
            continue
        if not untenable(p, st, defence[st]):
            continue
        there = _retreat_to(p, u, st, p.exits(st))
        if there >= 0:
            withdraw(p, u, st, there)


def required(p: Planner, st: int) -> float:
    """The defence a post needs: enough that the enemy next to it cannot attack at good odds, and enough that
    it is not a post to give up (more for a dead end, which must not be lost)."""
    ratio = p.intent.fall_back
    tenable = (3.0 if len(p.exits(st)) <= 1 else 1.0) / ratio
    return p.threat[st] * max(p.intent.hold, tenable)


def untenable(p: Planner, st: int, defence: float) -> bool:
    """Whether a post with this defence should be given up: the enemy can take it at will, or it is a dead end
    the enemy is closing on (men beaten there with nowhere to go are lost entire)."""
    danger = p.threat[st] / max(defence, 1.0)
    ratio = p.intent.fall_back
    return danger >= ratio or (danger >= ratio / 3 and len(p.exits(st)) <= 1)


def _retreat_to(p: Planner, u: int, st: int, exits: list[int]) -> int:
    """Where a unit falls back to: the next station toward the rear, else the safest one that is no dead end."""
    rear = p.intent.rear
    if rear >= 0 and rear != st:
        toward = int(p.world.next_hop[st, rear])
        if toward in exits and p.can_reach(u, toward):
            return toward
    threat = p.threat
    best, best_score = -1, (True, threat[st])
    for other in exits:
        score = (len(p.exits(other)) <= 1, threat[other])  # a dead end only when there is nothing else
        if score < best_score and p.can_reach(u, other):
            best, best_score = other, score
    return best


def withdraw(p: Planner, u: int, here: int, there: int) -> None:
    """Pull back from `here` to `there`, blowing a bridge toward the enemy first when it knows how."""
    if p.skill.demolition:
        seg = bridge_behind(p, here, there)
        if seg >= 0:
            p.give(u, Blow(p.world.unit_ids[u], p.world.segment_name(seg)))
            return
    p.send(u, there)


def bridge_behind(p: Planner, here: int, toward: int) -> int:
    """A bridge next to `here` on the side away from `toward`, with the enemy beyond it and none of ours; or -1."""
    w = p.world
    if not p.sit.war[p.faction].any():
        return -1
    dist = w.distance[:, toward]
    for other, seg in w.adjacency[here]:
        if dist[other] <= dist[here] or p.damage[seg] > 0 or w.seg_repair_weeks[seg] <= 0:
            continue
        if p.threat[other] > 0 and p.strength[other] <= 0:
            return seg
    return -1
