"""What the compiled planner reads and writes: one faction's theatre of war this week, its commander's numbers, and
the plan so far; and the small questions every step asks of them (can this unit get there, send it, give it an
order).

The planner's steps (`posture`, `attack`, `logistics`, `gathering`) are kernels over these three records, called one
after another inside one compiled call (`planner`): handing the arrays to compiled code costs more than a step's
work, so it is done once a week per faction. Orders are kept as rows (kind, target) by unit, in the order first
given, with the engine's codes for their kinds (`passage`); the planner turns them into `Order` values at the end.

A kernel writes into the plan through a local name (`taken = plan.units[TAKEN]; taken[u] = True`): written as
`plan.units[TAKEN, u] = True` in a kernel called in a loop, numba counts a reference to every array of the record
at each call (about 4 ns an array a call, measured).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from anabasis.engine.jit import borrowing_kernel, inner_kernel, kernel, small_kernel
from anabasis.engine.legal import departures
from anabasis.engine.movement import held_to
from anabasis.engine.passage import ENTRAIN, MOVE
from anabasis.engine.world import BoolArray, FloatArray, IntArray

THE_WAY = 1.0  # points a week an enemy station blocking the way home is worth fighting for


# Rows of the theatre's packed tables: by unit (`units`, whole numbers and flags as 0 or 1; `measures`), by station
# (`stations`, `flags`, `holding`), by segment (`segments`), by link (`links`) and station x station (`hops`).
AT, SEGMENT, NODE, GOAL, CONTINGENT, REGION, FACTION, STATUS, KIND, MEN, STORES, ENTRAINED, EMBARKING = range(13)
STAY, UNBOUND, CALLED_BACK = range(3)
PROGRESS, WORTH, RAW, GUARD, COVER, ARMS = range(6)
VALUE, WAR_DEFENCE, ENEMY_DEFENCE, ENEMY_STRENGTH, THREAT, SUPPLY, STRENGTH, DEFENCE, FORT, DEPOT = range(10)
TARGETS, FOE, NEAR, LEGAL, HOSTILE, HELD, REACH = range(7)
CONTROL, PORT_MEN = range(2)
SEG_A, SEG_B, DAMAGE, REPAIR_WEEKS = range(4)
OTHER, VIA = range(2)
NEXT_HOP, SEG_OF = range(2)
# Rows of the plan's tables: by unit (`units`), by station (`stations`, `marks`).
TAKEN, POST, ORDER_KIND, ORDER_TARGET, GIVEN, STALLED = range(6)
INCOMING, VALUE_NOW, VALUE_AT_START = range(3)
GIVEN_UP, TARGET = range(2)


class Theatre(NamedTuple):
    """One faction's week as its planner reads it: never changed while it plans.

    Its arrays are packed into few tables, a row per fact (the constants above), because a kernel that hands the
    record to another counts a reference to each of its arrays at every call."""

    units: IntArray  # AT..EMBARKING x unit: station (-1 on a segment or off the map), segment, the station it stands
    # at or nears, goal, contingent (-1 for none), the region its contingent keeps to (-1 for none), faction, status,
    # kind, men, weeks of stores; and as 0 or 1: entrained, embarking
    doctrine: BoolArray  # STAY, UNBOUND, CALLED_BACK x unit: the doctrine's garrisons that never leave their post,
    # units it frees to attack beyond its reach, units it calls back to the rallying point
    measures: FloatArray  # PROGRESS..ARMS x unit: km along its segment, attack strength as `preview_combat` counts
    # it, attack before the season, defence where it stands, defence before fortification, arms
    stations: FloatArray  # VALUE..DEPOT x station: points a week, the defence there of the factions it is at war
    # with and of its foes, its foes' attack strength, the threat, supply, its own strength and defence, the
    # fortification's multiplier, the depot's issue
    flags: BoolArray  # TARGETS..REACH x station: targets it means to take, stations its foes hold or stand in, and
    # those one open segment from them, where a faction it is at war with stands, hostile, held, within reach
    holding: IntArray  # CONTROL, PORT_MEN x station: who holds it, men the ships there take a week
    segments: IntArray  # SEG_A..REPAIR_WEEKS x segment: its ends, weeks of repair it needs, weeks a repair takes
    seg_km: FloatArray
    first: IntArray  # a station's links are `first[s]:first[s + 1]` of `links`, in the order of `World.adjacency`
    links: IntArray  # OTHER, VIA x link: the station at the far end, the segment
    hops: IntArray  # NEXT_HOP, SEG_OF x station x station: the next station on the shortest line, the segment
    distance: FloatArray
    region_mask: BoolArray  # region x station
    labels: IntArray  # (region + 1) x station: pieces of its network a unit kept to a region travels within
    mine: IntArray  # its units on the map, in unit order
    threatened: IntArray  # those standing at a station the enemy can strike
    moving: IntArray  # those on their way to a destination
    posts: IntArray  # stations where it has strength and no enemy
    ports: IntArray  # ports it makes for, in the doctrine's order
    cut: IntArray  # segments cut, in index order
    way_first: IntArray  # by station, the way back toward the rear (see `posture.ways`): `way[way_first[s]:...]`
    way: IntArray
    war: BoolArray  # by faction: at war with it
    friends: IntArray  # itself and its allies
    barred: BoolArray  # by contingent: whether it refuses to fight some faction
    no_attack: BoolArray  # contingent x faction
    defence_of: FloatArray  # faction x station: each faction's defence there
    stance: IntArray  # faction x faction
    hostile_all: BoolArray  # faction x station


class Resolve(NamedTuple):
    """The commander's numbers for the week: its skill, its doctrine's intent and the rules it reckons with."""

    faction: int
    level: int
    margin: float  # extra strength it brings beyond the bare odds
    boldness: float
    chance: float  # the least chance it attacks at
    blood: float  # what a thousand men lost weigh against points
    need_ratio: float  # the ratio of strengths that gives `chance`
    hold: float  # garrison kept at a threatened station, as a share of the enemy strength next to it
    fall_back: float  # enemy strength against defence at which a post is left
    rear: int  # the station to fall back toward, -1 for none
    rally: int  # where the units called back gather, -1 for none
    concentrate: bool
    evacuate: bool
    detrain: bool
    demolition: bool
    retreat: bool
    slack: int  # weeks of queue at the port it sends men into, -1 for all at once
    efforts: int  # places it concentrates on at once
    train_km: float  # a week's travel by train, and on foot
    march_km: float
    steepness: float
    loss_rate: float
    season: float  # the factor winter puts on every attack
    entrained_defence: float
    repair_per_week: int


class Plan(NamedTuple):
    """The plan so far, changed in place by the steps (through a local name: see above)."""

    units: IntArray  # TAKEN..STALLED x unit: a task this week (0 or 1), the station a garrison guards (-1 for
    # none), the kind of its order (the engine's code, -1 for none) and the station or segment it names, the units
    # in the order their first order was given (`orders_given[0]` of them), destination shut and told to halt (0 or 1)
    orders_given: IntArray  # one number: how many units `GIVEN` holds
    stations: FloatArray  # INCOMING..VALUE_AT_START x station: strength on its way there, points a week it is
    # worth with the marches' worth lent, and before it (what posts are weighed by)
    marks: BoolArray  # GIVEN_UP, TARGET x station: posts a garrison falls back from this week (no reserves go
    # there), enemy stations it means to take
    crews: IntArray  # by segment: repair crews it can still use this week, -1 before anyone asked


@small_kernel
def give(plan: Plan, u: int, kind: int, target: int) -> None:
    """Order unit `u` (a later order replaces an earlier one, in its place)."""
    order_kind, given, count = plan.units[ORDER_KIND], plan.units[GIVEN], plan.orders_given
    order_target, taken = plan.units[ORDER_TARGET], plan.units[TAKEN]
    if order_kind[u] < 0:
        given[count[0]] = u
        count[0] += 1
    order_kind[u] = kind
    order_target[u] = target
    taken[u] = True


@small_kernel
def region_ok(th: Theatre, u: int, station: int) -> bool:
    """Whether the unit's contingent may go to `station` (the Japanese east of Baikal...)."""
    region = th.units[REGION, u]
    return bool(region < 0 or th.region_mask[region, station])


@small_kernel
def exits(th: Theatre, st: int) -> int:
    """How many neighbours of `st` along open track are not in enemy hands."""
    n = 0
    for j in range(th.first[st], th.first[st + 1]):
        if th.segments[DAMAGE, th.links[VIA, j]] == 0 and not th.flags[HOSTILE, th.links[OTHER, j]]:
            n += 1
    return n


@borrowing_kernel
def ends(th: Theatre, u: int, goal: int) -> tuple[int, int]:
    """The two ends of the segment a unit is out on, the one its train heads for first: the nearer by way of
    `goal`, or simply the nearer with no goal (the rules' choice)."""
    seg = th.units[SEGMENT, u]
    a, b = th.segments[SEG_A, seg], th.segments[SEG_B, seg]
    along = th.measures[PROGRESS, u]
    to_a, to_b = along, th.seg_km[seg] - along
    if goal >= 0:
        to_a += th.distance[a, goal]
        to_b += th.distance[b, goal]
    return (a, b) if to_a <= to_b else (b, a)


@inner_kernel
def reaches(th: Theatre, u: int, station: int) -> bool:
    """Whether a move order to `station` would find a way: the engine's `reachable`, for one station."""
    ends = (th.segments[SEG_A], th.segments[SEG_B])
    region = held_to(th.units[REGION, u], th.units[AT, u], th.units[SEGMENT, u], ends, th.region_mask)
    labels = th.labels[region + 1]
    if th.units[AT, u] == station:
        return False
    tracks = (th.segments[SEG_A], th.segments[SEG_B], th.first, th.links[OTHER], th.links[VIA], th.segments[DAMAGE])
    for start in departures(labels, th.units[AT, u], th.units[SEGMENT, u], tracks):
        if labels[station] == labels[start]:
            return True
    return False


@borrowing_kernel
def can_reach(th: Theatre, u: int, station: int) -> bool:
    """Whether a move order to `station` would be legal and take the unit there: a train out on the line heads for
    the nearer end first, and halts for good if the enemy holds it."""
    here = th.units[AT, u]
    if here >= 0:
        labels = th.labels[th.units[REGION, u] + 1]
        if labels[here] >= 0:
            return bool(here != station and labels[station] == labels[here])
    elif th.flags[HOSTILE, ends(th, u, station)[0]]:
        return False
    return reaches(th, u, station) and region_ok(th, u, station)


@borrowing_kernel
def send(th: Theatre, r: Resolve, plan: Plan, u: int, station: int) -> bool:
    """Order a unit toward a station (boarding its trains first if it is on foot); False if it cannot go."""
    here = th.units[AT, u]
    if here == station or not can_reach(th, u, station):
        return False
    if not th.units[ENTRAINED, u] and here >= 0 and th.distance[here, station] > r.march_km:
        give(plan, u, ENTRAIN, -1)
    else:
        give(plan, u, MOVE, station)
    incoming = plan.stations[INCOMING]
    incoming[station] += th.measures[WORTH, u]
    return True


@borrowing_kernel
def blocked(th: Theatre, u: int) -> bool:
    """Whether a unit on its way somewhere can go no further: its destination is shut, or it is out on the line
    and the station ahead is in enemy hands (the train halts there and waits)."""
    g = th.units[GOAL, u]
    return th.flags[HOSTILE, g] or not can_reach(th, u, g)


@borrowing_kernel
def open_the_way(plan: Plan, st: int) -> None:
    """An enemy station blocks our way home or to the rallying point: it becomes a target worth a fight."""
    targets, value, value_at_start = plan.marks[TARGET], plan.stations[VALUE_NOW], plan.stations[VALUE_AT_START]
    targets[st] = True
    value[st] = max(value[st], THE_WAY)
    value_at_start[st] = value[st]


@kernel
def new_plan(th: Theatre) -> Plan:
    """A week's plan before its first step: no unit has a task, the values and targets are the intent's."""
    nu, ns = th.units.shape[1], th.stations.shape[1]
    units = np.full((6, nu), -1, dtype=np.int64)
    units[TAKEN] = 0
    units[STALLED] = 0
    stations = np.zeros((3, ns))
    stations[VALUE_NOW] = th.stations[VALUE]
    stations[VALUE_AT_START] = th.stations[VALUE]
    marks = np.zeros((2, ns), dtype=np.bool_)
    marks[TARGET] = th.flags[TARGETS]
    return Plan(units, np.zeros(1, dtype=np.int64), stations, marks, np.full(th.seg_km.shape[0], -1, dtype=np.int64))
