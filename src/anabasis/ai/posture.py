"""Holding ground: units on the move keep going, threatened posts keep a garrison, and posts that cannot be held,
or where men could be cut off (a dead end, a post with a pocket behind it, a branch beyond a junction the enemy is
closing on), are given up in time, toward the rear, with the bridges behind blown by a commander who knows the
trick. No train is left standing on the line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from anabasis.ai.analysis import ARMOURED_TRAIN
from anabasis.engine.combat import retreat_station
from anabasis.engine.orders import Blow, Detrain, Hold
from anabasis.engine.world import World

if TYPE_CHECKING:
    from anabasis.ai.planner import Planner


def keep_goals(p: Planner) -> None:
    """Units on their way somewhere keep going, unless the way is shut; their strength counts as arriving."""
    goal, taken = p.goal, p.taken
    for u in p.sit.rows.moving[p.faction]:
        g = goal[u]
        if u in taken:
            continue
        if blocked(p, u):
            p.stalled.append(u)
            continue
        taken.add(u)
        p.incoming[g] += p.worth[u]


def blocked(p: Planner, u: int) -> bool:
    """Whether a unit on its way somewhere can go no further: its destination is shut, or it is out on the line
    and the station ahead is in enemy hands (the train halts there and waits)."""
    g = p.goal[u]
    return p.hostile[g] or not p.can_reach(u, g)


def get_going(p: Planner) -> None:
    """Units left without a task out on the line go on to the station ahead, or back to the one behind when the
    enemy has taken it (a train halts short of an enemy station, and would wait there for ever); units at a
    station whose destination was shut halt there."""
    w, at, taken, orders = p.world, p.at, p.taken, p.orders
    stalled = set(p.stalled)
    for u in p.mine:
        if u in orders or (u in taken and u not in stalled):
            continue
        if at[u] >= 0:
            if u in stalled:
                p.give(u, Hold(w.unit_ids[u]))
            continue
        end = _end_to_make_for(p, u)
        if end < 0 or not p.send(u, end):
            p.give(u, Hold(w.unit_ids[u]))


def _end_to_make_for(p: Planner, u: int) -> int:
    """The end of its segment a unit on the line makes for: the one nearer its destination, if it had one and
    may go there, else the nearer one it may enter; -1 when the enemy holds both."""
    return next((end for end in p.ends(u, p.goal[u]) if not p.hostile[end]), -1)


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
    """Leave posts the enemy can take at will and cul-de-sacs it is closing on, falling back toward the rear; and
    posts beyond a junction the enemy is closing on, falling back to the junction, which the men coming back help
    to hold (so that once enough are on their way, the rest may stay).

    A beaten garrison bleeds, and one with nowhere to retreat to, or cut off, is lost entire.
    """
    threat, defence, at, incoming = p.threat, p.defence, p.at, p.incoming
    ports = p.intent.ports
    stay = p.stay
    orders, taken, post = p.orders, p.taken, p.post
    threatened = p.sit.rows.threatened[p.faction]
    ways = _ways(p.world, p.intent.rear)
    cut = {st for st in p.footing.posts.tolist() if _cut_at(p, ways[st]) >= 0}
    beyond = [u for u in p.mine if at[u] in cut] if cut else []
    for u in dict.fromkeys(threatened + beyond):
        st = at[u]
        if st in ports or u in orders or (u in taken and u not in post) or (stay is not None and stay[u]):
            continue
        there = _cut_at(p, ways[st])
        if there >= 0 and p.can_reach(u, there):
            withdraw(p, u, st, there)
            continue
        if incoming[st] > threat[st] or not untenable(p, st, defence[st]):
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
    """Whether a post with this defence should be given up: the enemy can take it at will, it is a cul-de-sac the
    enemy is closing on (men beaten there are lost entire or cut off), or the junction behind it is about to go."""
    danger = p.threat[st] / max(defence, 1.0)
    ratio = p.intent.fall_back
    return danger >= ratio or (danger >= ratio / 3 and cul_de_sac(p, st)) or cut_off(p, st)


def cul_de_sac(p: Planner, st: int) -> bool:
    """Whether men beaten at a post would be lost entire or cut off: it is a dead end, or a pocket lies behind
    it (see `into_a_pocket`)."""
    return st != p.intent.rear and (len(p.exits(st)) <= 1 or into_a_pocket(p, st))


def into_a_pocket(p: Planner, st: int) -> bool:
    """Whether the rules would drive men beaten at `st` into a pocket beyond it, away from the rear (a beaten
    garrison falls back to the first friendly neighbour in the line's order, wherever that leads), where the
    enemy holding `st` cuts them off."""
    rear = p.intent.rear
    if rear < 0 or st == rear:
        return False
    known = p.state.cache.setdefault(("ai.pockets", p.faction, rear), {})
    assert isinstance(known, dict)
    hit = known.get(st)
    if hit is None:
        to = retreat_station(p.state, p.faction, st)
        hit = known[st] = to >= 0 and p.world.next_hop_rows[to][rear] == st
    return bool(hit)


def cut_off(p: Planner, st: int) -> bool:
    """Whether the enemy is closing on the junction behind a post faster than friends there could hold it: men
    caught beyond a lost junction have no way back, so the post is given up while the way is still open."""
    return _cut_at(p, _ways(p.world, p.intent.rear)[st]) >= 0


def _cut_at(p: Planner, way: tuple[int, ...]) -> int:
    """The junction at the end of a post's `way` back (see `_ways`) if the enemy is closing on it faster than
    friends there could hold it, and the way there is still open; -1 otherwise."""
    if not way:
        return -1
    j = way[-1]
    threat = p.threat[j]
    if threat <= 0:
        return -1
    hostile = p.hostile
    for here in way:
        if hostile[here]:
            return -1
    held = p.junctions.get(j)
    if held is None:
        defence = p.sit.rows.defence
        held = p.junctions[j] = sum(defence[g][j] for g in p.friends)
    return j if threat >= p.intent.fall_back / 3 * max(held + p.incoming[j], 1.0) else -1


def _ways(world: World, rear: int) -> list[tuple[int, ...]]:
    """Per station: the stations from it toward `rear` up to the first where another line comes in (that one
    included, the one place the enemy can cut that way); empty with no rear or no such station. The same for
    every game of the world, so remembered."""
    hit = world.cache.get(("ai.ways", rear))  # not `memo`: a plan asks thousands of times a game
    if isinstance(hit, list):
        return hit
    hops, adjacency = world.next_hop_rows, world.adjacency
    out: list[tuple[int, ...]] = []
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
        out.append(tuple(way) if way and len(adjacency[way[-1]]) >= 3 else ())
    world.cache[("ai.ways", rear)] = out
    return out


def _retreat_to(p: Planner, u: int, st: int, exits: list[int]) -> int:
    """Where a unit falls back to: the next station toward the rear, else the safest one that is no dead end and
    no farther from the rear; -1 for none."""
    rear = p.intent.rear
    if rear >= 0 and rear != st:
        toward = int(p.world.next_hop[st, rear])
        if toward in exits and p.can_reach(u, toward):
            return toward
    threat = p.threat
    # Never deeper into enemy country, away from a rear it may go to: cut off from it, men stay and fight.
    to_rear = p.world.distance[:, rear] if rear >= 0 and p.region_ok(u, rear) else None
    best, best_score = -1, (True, threat[st])
    for other in exits:
        if to_rear is not None and to_rear[other] > to_rear[st]:
            continue
        score = (len(p.exits(other)) <= 1, threat[other])  # a dead end only when there is nothing else
        if score < best_score and p.can_reach(u, other):
            best, best_score = other, score
    return best


def withdraw(p: Planner, u: int, here: int, there: int) -> None:
    """Pull back from `here` to `there`, blowing a bridge toward the enemy first when it knows how."""
    p.given_up.add(here)
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
