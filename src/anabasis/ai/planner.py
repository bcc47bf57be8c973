"""From an intent to a week's orders: the planner's records, the order of its steps, and the orders they give.

The planner reads the shared `Situation` and gives orders only where something should change: a unit that
holds its post or is on its way somewhere gets no order, so a quiet week costs little. Its steps choose among
what the rules allow; the turn checks every faction's orders together in one compiled pass, and a planner's
mistake would show in the week's report as a refused order (the tests hold it to none). The steps live in their
own modules (`attack`, `posture`, `gathering`, `logistics`) as kernels over the `theatre`'s records; the whole
week's plan is one compiled call, since handing the arrays over costs more than most steps' work.
"""

from __future__ import annotations

import numpy as np

from anabasis.ai import attack, gathering, logistics, posture
from anabasis.ai.analysis import network, situation
from anabasis.ai.intent import Intent, Skill
from anabasis.ai.survey import opposed
from anabasis.ai.theatre import (
    ARMS,
    CALLED_BACK,
    CONTROL,
    DAMAGE,
    DEFENCE,
    DEPOT,
    EMBARKING,
    ENEMY_DEFENCE,
    ENEMY_STRENGTH,
    ENTRAINED,
    FOE,
    FORT,
    GIVEN,
    HELD,
    HOSTILE,
    LEGAL,
    MEN,
    NEAR,
    ORDER_KIND,
    ORDER_TARGET,
    PORT_MEN,
    PROGRESS,
    REACH,
    REGION,
    REPAIR_WEEKS,
    SEG_A,
    SEG_B,
    STAY,
    STORES,
    STRENGTH,
    SUPPLY,
    TAKEN,
    TARGETS,
    THREAT,
    UNBOUND,
    VALUE,
    WAR_DEFENCE,
    WORTH,
    Resolve,
    Theatre,
    new_plan,
)
from anabasis.engine.combat import ratio_for
from anabasis.engine.jit import kernel
from anabasis.engine.later import Later
from anabasis.engine.network import label_pieces, rails
from anabasis.engine.orders import Order
from anabasis.engine.passage import order_of
from anabasis.engine.state import GameState
from anabasis.engine.world import ALLIED, WAR, BoolArray, FloatArray, IntArray, World

HUNGRY = 0.5  # share of need below which men count as going hungry
HUNGRY_DEPOT = 0.08  # points a week per unit of supply a depot issues, to men who are starving near it
EFFORTS = {1: 1, 2: 2, 3: 3}  # places a commander concentrates on at once, by skill


class Planner:
    """One faction's orders for one week, planned in one compiled call from the records it reads: the world's,
    the state's (shared by every commander that looks at it) and the faction's intent and skill."""

    def __init__(self, state: GameState, faction: int, intent: Intent, skill: Skill) -> None:
        self.state = state
        self.records = (world_record(state.world), state_record(state), faction_record(state, intent))
        self.resolve = resolve(state, faction, intent, skill)

    def theatre(self) -> Theatre:
        """What the steps read this week (for questions asked from outside the plan)."""
        return _theatre(*self.records, self.resolve[0])

    def plan(self) -> list[Order]:
        """Orders for the week (each one the rules allow, as the tests hold it to)."""
        table = PLANNING(*self.records, self.resolve)
        w = self.state.world
        return [order_of(w, kind, u, target) for _, kind, u, target, _ in table.tolist()]


@kernel
def _plan(world: WorldRecord, state: StateRecord, faction: FactionRecord, resolve: ResolveRecord) -> IntArray:
    """The week's steps, in order; returns the orders given as the engine encodes them (`passage.encode`'s rows:
    faction, kind, unit, target, no option), in the order first given."""
    r = Resolve(*resolve)
    th = _theatre(world, state, faction, r.faction)
    plan = new_plan(th)
    taken = plan.units[TAKEN]
    for u in th.mine:
        if th.units[EMBARKING, u]:
            taken[u] = True  # any order but `hold` takes it off the quay
    if r.evacuate:
        logistics.ship_out(th, r, plan)
    gathering.pull_out(th, r, plan)
    posture.keep_goals(th, plan)
    posture.garrison(th, r, plan)
    deficits = attack.attack(th, r, plan)
    logistics.feed(th, r, plan)
    logistics.mend(th, r, plan)
    if r.retreat:
        posture.fall_back(th, r, plan)
    if r.concentrate:
        gathering.reinforce(th, r, plan, deficits)
    posture.get_going(th, r, plan)
    n = plan.orders_given[0]
    table = np.full((n, 5), -1, dtype=np.int64)
    for k in range(n):
        u = plan.units[GIVEN, k]
        table[k, 0], table[k, 1], table[k, 2] = r.faction, plan.units[ORDER_KIND, u], u
        table[k, 3] = plan.units[ORDER_TARGET, u]
    return table


# What the planner's kernel is handed, as plain tuples of arrays (numba reads those fastest): the world's tables,
# kept per world; the state's, packed once per state for every commander; the faction's intent; and the commander's
# numbers (`Resolve`'s fields). The theatre's packed tables are made here, in the rows `theatre` names.
WorldRecord = tuple[IntArray, IntArray, IntArray, FloatArray, FloatArray, BoolArray, FloatArray, FloatArray]
StateRecord = tuple[
    IntArray, FloatArray, IntArray, IntArray, IntArray, BoolArray, BoolArray,
    IntArray, IntArray, IntArray, FloatArray, BoolArray, FloatArray, BoolArray, IntArray, IntArray,
]  # fmt: skip
FactionRecord = tuple[FloatArray, BoolArray, BoolArray, BoolArray, BoolArray, BoolArray, IntArray, IntArray, IntArray]
ResolveRecord = tuple[
    int, int, float, float, float, float, float, float, float, int, int, bool, bool, bool, bool, bool, int, int,
    float, float, float, float, float, float, int,
]  # fmt: skip


def world_record(w: World) -> WorldRecord:
    """The world's tables the planner reads, kept per world."""
    hit = w.cache.get("ai.world_record")
    if isinstance(hit, tuple):
        return hit
    tracks = rails(w)
    out: WorldRecord = (
        tracks.first,
        np.stack([tracks.other, tracks.link_segment]),  # OTHER, VIA
        np.stack([w.next_hop, w.seg_of]),  # NEXT_HOP, SEG_OF
        w.seg_km,
        w.distance,
        w.region_mask,
        network(w).fort,
        w.depot,
    )
    w.cache["ai.world_record"] = out
    return out


def state_record(state: GameState) -> StateRecord:
    """The state's tables the planner reads, and the survey's, kept per state."""
    hit = state.cache.get("ai.state_record")
    if isinstance(hit, tuple):
        return hit
    s, w, sit = state, state.world, situation(state)
    t, near = sit.tables, sit.near
    node, region = t.unit_rows[0], t.unit_rows[1]
    out: StateRecord = (
        *PACKING(
            (s.station, s.segment, node, s.goal, w.unit_contingent, region, w.unit_faction, s.status, w.unit_kind),
            (s.men, s.stores, s.entrained, s.embarking, s.progress, t.by_unit, s.arms),
            (s.control, s.port_men, w.seg_a, w.seg_b, s.damage, w.seg_repair_weeks),
        ),
        s.stance,
        s.no_attack,
        sit.hostile,
        t.unit_rows,
        t.starts,
        t.posts,
        t.boards,
        t.marks,
        t.lowest_supply,
        t.barred,
        near.open_first,
        near.open_other,
    )  # fmt: skip
    state.cache["ai.state_record"] = out
    return out


def faction_record(state: GameState, intent: Intent) -> FactionRecord:
    """The faction's intent as the planner reads it (a doctrine's list of units it does not have: none)."""
    none = np.zeros(state.world.n_units, dtype=np.bool_)
    way_first, way = posture.ways(state.world, intent.rear)
    return (
        intent.value,
        intent.may_attack,
        intent.foes,
        none if intent.stay is None else intent.stay,
        none if intent.unbound is None else intent.unbound,
        none if intent.pull_out is None else intent.pull_out,
        np.array(intent.ports, dtype=np.int64),
        way_first,
        way,
    )


def resolve(state: GameState, faction: int, intent: Intent, skill: Skill) -> ResolveRecord:
    """`Resolve`'s fields for one faction's week."""
    w, r = state.world, state.world.rules
    steepness = float(r.odds_steepness)
    sit = situation(state)
    return (
        faction,
        skill.level,
        float(skill.margin),
        float(skill.boldness),
        float(intent.chance),
        float(intent.blood),
        ratio_for(float(intent.chance), steepness),
        float(intent.hold),
        float(intent.fall_back),
        intent.rear,
        intent.rally if intent.pull_out is not None else -1,
        intent.concentrate,
        intent.evacuate,
        skill.detrain,
        skill.demolition,
        skill.retreat,
        -1 if skill.slack is None else skill.slack,
        EFFORTS[skill.level],
        float(r.train_km_per_day * w.turn_days),
        float(r.march_km_per_day * w.turn_days),
        steepness,
        float(r.loss_rate),
        float(sit.season),
        float(r.entrained_defence),
        r.repair_per_week,
    )


@kernel
def _pack(
    unit_rows: tuple[IntArray, IntArray, IntArray, IntArray, IntArray, IntArray, IntArray, IntArray, IntArray],
    unit_more: tuple[IntArray, IntArray, BoolArray, BoolArray, FloatArray, FloatArray, FloatArray],
    station_rows: tuple[IntArray, IntArray, IntArray, IntArray, IntArray, IntArray],
) -> tuple[IntArray, FloatArray, IntArray, IntArray]:
    """The state's tables in the theatre's rows: `units` (AT..EMBARKING), `measures` (PROGRESS, the survey's
    worths, ARMS), `holding` (CONTROL, PORT_MEN) and `segments` (SEG_A..REPAIR_WEEKS)."""
    men, stores, entrained, embarking, progress, worths, arms = unit_more
    control, port_men, seg_a, seg_b, damage, repair_weeks = station_rows
    nu = men.shape[0]
    units = np.empty((13, nu), dtype=np.int64)
    for row in range(9):
        units[row] = unit_rows[row]
    units[MEN], units[STORES], units[ENTRAINED], units[EMBARKING] = men, stores, entrained, embarking
    measures = np.empty((6, nu))
    measures[PROGRESS], measures[WORTH:ARMS], measures[ARMS] = progress, worths, arms
    holding = np.empty((2, control.shape[0]), dtype=np.int64)
    holding[CONTROL], holding[PORT_MEN] = control, port_men
    segments = np.empty((4, seg_a.shape[0]), dtype=np.int64)
    segments[SEG_A], segments[SEG_B], segments[DAMAGE], segments[REPAIR_WEEKS] = seg_a, seg_b, damage, repair_weeks
    return units, measures, holding, segments


# A fresh machine plans interpreted while a helper compiles these, the longest kernels to compile: see `later`.
PLANNING, PACKING = Later(_plan), Later(_pack)


@kernel
def _theatre(world: WorldRecord, state: StateRecord, faction: FactionRecord, f: int) -> Theatre:
    """One faction's `Theatre`, worked out from the records: its units, its foes' strength and where they stand,
    what its depots would feed, and the pieces of its network."""
    first, links, hops, seg_km, distance, region_mask, fort, depot = world
    units, measures, holding, segments, stance, no_attack, hostile = state[:7]
    unit_rows, starts, posts, boards, marks, lowest_supply, barred, open_first, open_other = state[7:]
    value, may_attack, foes, stay, unbound, called_back, ports, way_first, way = faction
    doctrine = np.empty((3, stay.shape[0]), dtype=np.bool_)
    doctrine[STAY], doctrine[UNBOUND], doctrine[CALLED_BACK] = stay, unbound, called_back
    nf, ns = stance.shape[0], holding.shape[1]
    war = np.empty(nf, dtype=np.bool_)
    n_friends = 0
    for g in range(nf):
        war[g] = stance[f, g] == WAR
        n_friends += stance[f, g] == ALLIED
    friends = np.empty(n_friends, dtype=np.int64)
    n = 0
    for g in range(nf):
        if stance[f, g] == ALLIED:
            friends[n] = g
            n += 1
    tables = (boards[1], boards[0])
    enemy_marks, enemy_sums = opposed(foes, holding[CONTROL], tables, open_first, open_other)
    same = True  # the foes it plans against are most weeks those it is at war with: the same sums, read only
    for g in range(nf):
        same = same and war[g] == foes[g]
    war_marks, war_sums = (
        (enemy_marks, enemy_sums) if same else opposed(war, holding[CONTROL], tables, open_first, open_other)
    )
    flags = np.empty((7, ns), dtype=np.bool_)
    for s in range(ns):
        flags[TARGETS, s] = enemy_marks[0, s] and may_attack[s]
    flags[FOE], flags[NEAR], flags[LEGAL] = enemy_marks[0], enemy_marks[1], war_marks[0]
    flags[HOSTILE], flags[HELD], flags[REACH] = hostile[f], marks[0, f], marks[1, f]
    stations = np.empty((10, ns))
    stations[VALUE] = value
    if lowest_supply[f] < HUNGRY:  # depots the men going hungry could be fed from are worth more
        stations[VALUE] += _depot_values(flags[TARGETS], depot, distance, boards[0, f], boards[3, f])
    stations[WAR_DEFENCE], stations[ENEMY_DEFENCE], stations[ENEMY_STRENGTH] = war_sums[0], enemy_sums[0], enemy_sums[1]
    stations[THREAT], stations[SUPPLY] = boards[2, f], boards[3, f]
    stations[STRENGTH], stations[DEFENCE] = boards[0, f], boards[1, f]
    stations[FORT], stations[DEPOT] = fort, depot
    mine = unit_rows[2][starts[0, f] : starts[0, f + 1]]
    seg_a, seg_b, open_track = segments[SEG_A], segments[SEG_B], segments[DAMAGE] == 0
    labels = np.zeros((region_mask.shape[0] + 1, ns), dtype=np.int64)
    labels[0] = label_pieces(ns, seg_a, seg_b, ~hostile[f], open_track)
    known = np.zeros(region_mask.shape[0], dtype=np.bool_)
    for u in mine:
        region = units[REGION, u]
        if region >= 0 and not known[region]:
            known[region] = True
            labels[region + 1] = label_pieces(ns, seg_a, seg_b, ~hostile[f] & region_mask[region], open_track)
    return Theatre(
        units=units,
        doctrine=doctrine,
        measures=measures,
        stations=stations,
        flags=flags,
        holding=holding,
        segments=segments,
        seg_km=seg_km,
        first=first,
        links=links,
        hops=hops,
        distance=distance,
        region_mask=region_mask,
        labels=labels,
        mine=mine,
        threatened=unit_rows[3][starts[1, f] : starts[1, f + 1]],
        moving=unit_rows[4][starts[2, f] : starts[2, f + 1]],
        posts=posts[starts[3, f] : starts[3, f + 1]],
        ports=ports,
        cut=np.flatnonzero(segments[DAMAGE]),
        way_first=way_first,
        way=way,
        war=war,
        friends=friends,
        barred=barred,
        no_attack=no_attack,
        defence_of=boards[1],
        stance=stance,
        hostile_all=hostile,
    )


@kernel
def _depot_values(
    targets: BoolArray, depot: FloatArray, distance: FloatArray, strength: FloatArray, supply: FloatArray
) -> FloatArray:
    """What the depot of each target is worth to our men going hungry: its issue, weighed by how hungry the men
    nearest to it are (the first of equally near stations where we have strength, in station order)."""
    out = np.zeros(depot.shape[0])
    for d in range(depot.shape[0]):
        if not (targets[d] and depot[d] > 0):
            continue
        nearest = -1
        for s in range(strength.shape[0]):
            if strength[s] > 0 and (nearest < 0 or distance[d, s] < distance[d, nearest]):
                nearest = s
        out[d] = HUNGRY_DEPOT * (1.0 - supply[nearest]) * depot[d]
    return out
