"""Whether the rules let orders pass: a batch of orders, a faction's or a whole week's, checked in one compiled pass.

A week brings dozens of orders, and checking them one by one cost more in Python's and numpy's per-call overhead
than in the rules themselves. Each order is encoded once into a row of ints (`encode`), and the kernel answers with
a code per order: `OK` or the first rule that refuses it. `legal` puts a refusal into words, so each rule is written
once, here, whether one order is asked about or a whole turn's.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

import numpy as np

from anabasis.engine.jit import kernel
from anabasis.engine.movement import ARMOURED_TRAIN
from anabasis.engine.network import hostility, label_pieces, rails
from anabasis.engine.orders import (
    Answer,
    Attack,
    Blow,
    Destroy,
    Detrain,
    Entrain,
    Evacuate,
    Hold,
    Move,
    Order,
    Repair,
    UnitOrder,
)
from anabasis.engine.state import ACTIVE, WAITING, GameState
from anabasis.engine.world import ALLIED, NOBODY, WAR, BoolArray, FloatArray, IntArray, World

# The kinds of order, as the kernel knows them; anything else given as an order is `OTHER`.
MOVE, ENTRAIN, DETRAIN, ATTACK, HOLD, BLOW, REPAIR, EVACUATE, DESTROY, ANSWER, OTHER = range(11)

# What the rules say of an order: it passes, or the first rule that refuses it, in the order a player hears them.
(
    OK,
    NOT_AN_ORDER,
    NO_DECISION,  # no decision of the faction's waits on that event
    NOT_AN_OPTION,
    NO_UNIT,
    NOT_YOURS,
    NOT_ARRIVED,
    GONE,  # shipped out, gone home, destroyed, withdrawn or held in reserve
    NO_STATION,
    ALREADY_THERE,
    OUT_OF_REGION,  # the unit's contingent must stay within its region
    HELD_BY_ENEMY,
    NO_WAY,
    ON_TRAINS,  # already entrained
    NOT_AT_STATION,
    ARMOURED,  # an armoured train cannot leave its rails
    NOT_ON_TRAINS,
    NOT_NEXT,  # the station attacked is not at or next to the unit along an open line
    TOO_FAR,  # farther than the unit goes in a week
    NO_ENEMY,
    WILL_NOT_ATTACK,  # the contingent will not attack a faction there (`unwilling` names it)
    NO_SEGMENT,
    NOT_AT_END,
    NO_BRIDGE,
    ALREADY_CUT,
    NOT_DAMAGED,
    NOT_AT_PORT,
    NOT_FRIENDLY,
    EMBARKING,  # already waiting for ships
    NO_STOCKPILE,
    NOT_HERE,
    NOT_OWNER,
    BURNT,
    ALREADY_ORDERED,  # the unit already has an order this turn
    ALREADY_ANSWERED,
) = range(35)


# The columns of an order encoded for the kernel (a row of `encode`'s table); -1 for a name the scenario does not
# have. The target is the station, segment or stockpile ordered against, or the event answered.
FACTION, KIND, UNIT, TARGET, OPTION = range(5)


class Board(NamedTuple):
    """What the rules of orders read: the units, stations, segments, stockpiles and decisions as they stand, and the
    network (as in `Rails`)."""

    faction: IntArray  # by unit
    contingent: IntArray  # by unit, -1 for none
    unit_kind: IntArray
    status: IntArray
    station: IntArray
    segment: IntArray
    progress: FloatArray
    entrained: BoolArray
    embarking: BoolArray
    control: IntArray  # by station
    has_port: BoolArray
    hostile: BoolArray  # faction x station
    damage: IntArray  # by segment
    repair_weeks: IntArray
    stockpile_station: IntArray
    stockpile_owner: IntArray
    stockpile_tons: FloatArray
    stance: IntArray
    no_attack: BoolArray  # contingent x faction
    region: IntArray  # by contingent: the region it must stay in, -1 for none
    region_mask: BoolArray  # region x station
    decision_faction: IntArray  # by event
    deadline: IntArray  # by event, -1 unless a decision waits
    seg_a: IntArray
    seg_b: IntArray
    seg_km: FloatArray
    seg_of: IntArray
    first: IntArray
    other: IntArray
    link_segment: IntArray
    next_hop: IntArray  # station x station: the next on the shortest line
    week_km: FloatArray  # a week's travel on foot, and by train (numba takes an array faster than two floats)


class _Codebook(NamedTuple):
    """A world's tables for the orders: by kind of order, its code, the field it names a target in and the index of
    those names, and by code the other way: the kind and the names; by event, the index of its options' ids and the
    faction that decides it; a week's travel; and the orders made from rows (`order_of`), by row and, for `encode`,
    each one's row by its identity."""

    kinds: dict[type, tuple[int, str, dict[str, int]]]
    makers: dict[int, tuple[Callable[..., UnitOrder], str, list[str]]]
    options: list[dict[str, int]]
    decision_faction: IntArray
    week_km: FloatArray  # on foot, by train
    made: dict[tuple[int, int, int], Order]  # by kind, unit, target
    rows: dict[int, tuple[int, int, int, int]]  # by `id` of an order in `made` (which keeps it): kind .. option


def _codebook(w: World) -> _Codebook:
    """The world's `_Codebook`, built once and kept in `world.cache`."""
    hit = w.cache.get("codebook")
    if isinstance(hit, _Codebook):
        return hit
    nothing: tuple[list[str], dict[str, int]] = ([], {})
    stations, segments = (w.station_ids, w.station_index), (w.segment_names, w.segment_index)
    every: list[tuple[type[UnitOrder], int, str, tuple[list[str], dict[str, int]]]] = [
        (Move, MOVE, "to", stations),
        (Entrain, ENTRAIN, "", nothing),
        (Detrain, DETRAIN, "", nothing),
        (Attack, ATTACK, "station", stations),
        (Hold, HOLD, "", nothing),
        (Blow, BLOW, "segment", segments),
        (Repair, REPAIR, "segment", segments),
        (Evacuate, EVACUATE, "", nothing),
        (Destroy, DESTROY, "stockpile", (w.stockpile_ids, w.stockpile_index)),
    ]  # each kind of order to a unit: its code, the field naming its target, and those names both ways
    out = _Codebook(
        kinds={kind: (code, field, index) for kind, code, field, (_, index) in every},
        makers={code: (kind, field, names) for kind, code, field, (names, _) in every},
        # The first option of an id, as `list.index` finds it.
        options=[{oid: i for i, (oid, _, _) in reversed(list(enumerate(e.options)))} for e in w.events],
        decision_faction=np.array([e.decision_faction for e in w.events], dtype=np.int64),
        week_km=np.array([float(r * w.turn_days) for r in (w.rules.march_km_per_day, w.rules.train_km_per_day)]),
        made={},
        rows={},
    )
    w.cache["codebook"] = out
    return out


def order_of(w: World, kind: int, unit: int, target: int) -> Order:
    """The order to `unit` of `kind` against `target` (-1 for none), as a row of `encode` holds it. Orders are
    values, and a planner gives the same few week after week and game after game: each is made once per world
    (there are no more than kinds x units x targets of them), and `encode` knows its row without reading it."""
    book = _codebook(w)
    key = (kind, unit, target)
    hit = book.made.get(key)
    if hit is None:
        make, field, names = book.makers[kind]
        hit = book.made[key] = make(w.unit_ids[unit], names[target]) if field else make(w.unit_ids[unit])
        book.rows[id(hit)] = (kind, unit, target, -1)
    return hit


def target_name(w: World, order: Order) -> str:
    """The name in `order` of what it is given against: a station, segment or stockpile ('' for none)."""
    code = _codebook(w).kinds.get(type(order))
    return str(getattr(order, code[1])) if code is not None and code[1] else ""


def encode(w: World, batches: Iterable[tuple[int, Sequence[Order]]]) -> IntArray:
    """The orders of each `(faction, orders)` batch, one after another, a row each as the kernel reads them
    (`FACTION`, `KIND`, ...); read-only."""
    book = _codebook(w)
    units, kinds, events, known = w.unit_index, book.kinds, w.event_index, book.rows
    rows: list[int] = []
    for f, orders in batches:
        for o in orders:
            row = known.get(id(o))
            if row is not None:  # made by `order_of`: its row is known
                rows.append(f)
                rows += row
                continue
            code = kinds.get(type(o))
            if code is not None and isinstance(o, UnitOrder):
                kind, field, index = code
                target = index.get(getattr(o, field), -1) if field else -1
                rows += (f, kind, units.get(o.unit, -1), target, -1)
            elif isinstance(o, Answer):
                k = events.get(o.event, -1)
                rows += (f, ANSWER, -1, k, book.options[k].get(o.option, -1) if k >= 0 else -1)
            else:
                rows += (f, OTHER, -1, -1, -1)
    # (`struct` turns a long list of ints into bytes faster than numpy reads the list)
    return np.frombuffer(struct.pack(f"{len(rows)}q", *rows), dtype=np.int64).reshape(-1, 5)


def board(state: GameState) -> Board:
    """The `Board` of a state, worked out once per state (the commanders ask before the turn does)."""
    hit = state.cache.get("board")
    if isinstance(hit, Board):
        return hit
    w = state.world
    net = rails(w)
    state.cache["board"] = hit = Board(
        w.unit_faction,
        w.unit_contingent,
        w.unit_kind,
        state.status,
        state.station,
        state.segment,
        state.progress,
        state.entrained,
        state.embarking,
        state.control,
        w.has_port,
        hostility(state),
        state.damage,
        w.seg_repair_weeks,
        w.stockpile_station,
        w.stockpile_owner,
        state.stockpile_tons,
        state.stance,
        state.no_attack,
        state.region,
        w.region_mask,
        _codebook(w).decision_faction,
        state.deadline,
        net.seg_a,
        net.seg_b,
        net.seg_km,
        net.seg_of,
        net.first,
        net.other,
        net.link_segment,
        net.next_hop,
        _codebook(w).week_km,
    )
    return hit


def verdicts(state: GameState, orders: IntArray, *, as_a_turn: bool = False) -> IntArray:
    """For each encoded order, its code: `OK`, or the first rule that refuses it. `as_a_turn` takes them as a turn
    does (`once_each`): a unit takes the first of its orders the rules allow, a decision its first answer."""
    if not orders.shape[0]:  # nothing to check
        return np.zeros(0, dtype=np.int64)
    return _verdicts(orders, as_a_turn, *board(state))


def distance(state: GameState, u: int, target: int) -> float:
    """Km along the rail from unit `u` to a station at or next to it (inf if not next to it along open track)."""
    b = board(state)
    return float(
        _distance_to(u, target, (b.station, b.segment, b.progress, b.seg_a, b.seg_b, b.seg_km, b.seg_of, b.damage))
    )


def unwilling(state: GameState, f: int, u: int, target: int) -> int:
    """The faction at `target` that unit `u`'s contingent will not attack (`WILL_NOT_ATTACK`), or -1."""
    b = board(state)
    track = (b.station, b.segment, b.progress, b.seg_a, b.seg_b, b.seg_km, b.seg_of, b.damage)
    sides = (b.faction, b.status, b.contingent, b.control, b.stance, b.no_attack, b.region, b.region_mask)
    return int(_attack(f, u, target, (b.week_km[int(b.entrained[u])], track), sides)[1])


# The board comes in as loose arrays, and each rule takes only the arrays it reads (a few tuples of them): numba
# unpacks a NamedTuple's fields several times slower at each call from Python, and counts a reference to every
# array a kernel is handed at each call.
@kernel
def _verdicts(  # noqa: PLR0917
    orders: IntArray,
    as_a_turn: bool,
    faction: IntArray,
    contingent: IntArray,
    unit_kind: IntArray,
    status: IntArray,
    station: IntArray,
    segment: IntArray,
    progress: FloatArray,
    entrained: BoolArray,
    embarking: BoolArray,
    control: IntArray,
    has_port: BoolArray,
    hostile: BoolArray,
    damage: IntArray,
    repair_weeks: IntArray,
    stockpile_station: IntArray,
    stockpile_owner: IntArray,
    stockpile_tons: FloatArray,
    stance: IntArray,
    no_attack: BoolArray,
    region: IntArray,
    region_mask: BoolArray,
    decision_faction: IntArray,
    deadline: IntArray,
    seg_a: IntArray,
    seg_b: IntArray,
    seg_km: FloatArray,
    seg_of: IntArray,
    first: IntArray,
    other: IntArray,
    link_segment: IntArray,
    next_hop: IntArray,
    week_km: FloatArray,
) -> IntArray:
    """The rules of each order in turn, in the order a player hears them: whose order and unit, then the rules of
    its kind; then, `as_a_turn`, one order a unit and one answer a decision (`once_each`)."""
    n, nf = orders.shape[0], stance.shape[0]
    n_regions, ns = region_mask.shape
    # The pieces of network a faction's units can travel within, worked out once per faction and region a unit is
    # held to (row 0 for units held to none), as the moves need them.
    labels = np.empty((nf, n_regions + 1, ns), dtype=np.int64)
    known = np.zeros((nf, n_regions + 1), dtype=np.bool_)
    network = (labels, known, damage == 0, seg_a, seg_b, first, other, link_segment, next_hop, seg_of)
    standing = (station, segment, contingent, region, region_mask, hostile)
    track = (station, segment, progress, seg_a, seg_b, seg_km, seg_of, damage)
    sides = (faction, status, contingent, control, stance, no_attack, region, region_mask)
    codes = np.empty(n, dtype=np.int64)
    for k in range(n):
        f, kind, u, target = orders[k, FACTION], orders[k, KIND], orders[k, UNIT], orders[k, TARGET]
        code = OK
        if kind == ANSWER:
            code = _answer(f, target, orders[k, OPTION], decision_faction, deadline)
        elif kind == OTHER:
            code = NOT_AN_ORDER
        elif u < 0:
            code = NO_UNIT
        elif faction[u] != f:
            code = NOT_YOURS
        elif status[u] != ACTIVE:
            code = NOT_ARRIVED if status[u] == WAITING else GONE
        elif kind == MOVE:
            code = _move(f, u, target, standing, network)
        elif kind == ATTACK:
            code = _attack(f, u, target, (week_km[1 if entrained[u] else 0], track), sides)[0]
        elif kind in (ENTRAIN, DETRAIN):
            code = _boarding(kind, u, station, entrained, unit_kind)
        elif kind in (BLOW, REPAIR):
            code = _track(kind, u, target, (station, segment, seg_a, seg_b), (repair_weeks, damage))
        elif kind == EVACUATE:
            code = _evacuate(f, u, (station, embarking), (has_port, control, stance))
        elif kind == DESTROY:
            code = _destroy(f, u, target, station, (stockpile_station, stockpile_owner, stockpile_tons))
        codes[k] = code
    if as_a_turn:
        once_each(orders, codes, faction.shape[0], deadline.shape[0])
    return codes


@kernel
def once_each(orders: IntArray, codes: IntArray, n_units: int, n_events: int) -> None:
    """A unit takes the first of its orders the rules allow, a decision the first answer: the later ones are refused
    (their codes changed in place), as in a turn."""
    ordered = np.zeros(n_units, dtype=np.bool_)
    answered = np.zeros(n_events, dtype=np.bool_)
    for k in range(orders.shape[0]):
        kind, u, event = orders[k, KIND], orders[k, UNIT], orders[k, TARGET]
        if codes[k] == OK and kind == ANSWER and event >= 0:
            codes[k] = ALREADY_ANSWERED if answered[event] else OK
            answered[event] = True
        elif codes[k] == OK and kind < ANSWER and u >= 0:
            codes[k] = ALREADY_ORDERED if ordered[u] else OK
            ordered[u] = True


@kernel
def _answer(f: int, event: int, option: int, decision_faction: IntArray, deadline: IntArray) -> int:
    """A decision of the faction's waits on the event, and the option is one of its."""
    if event < 0 or deadline[event] < 0 or decision_faction[event] != f:
        return NO_DECISION
    return NOT_AN_OPTION if option < 0 else OK


@kernel
def _move(
    f: int,
    u: int,
    to: int,
    standing: tuple[IntArray, IntArray, IntArray, IntArray, BoolArray, BoolArray],
    network: tuple[
        IntArray, BoolArray, BoolArray, IntArray, IntArray, IntArray, IntArray, IntArray, IntArray, IntArray
    ],
) -> int:
    """A station the scenario has, not there already, inside the contingent's region, not the enemy's, and an open
    way to it. `standing`: where the units are, their contingents, the regions those are held to and which stations
    each faction may not pass; `network`: the pieces' labels, which of them are worked out, the open segments, the
    segments' ends, the links, the next station on the shortest line and the segment between two stations."""
    station, segment, contingent, region, region_mask, hostile = standing
    labels, known, open_track, seg_a, seg_b, first, other, link_segment, next_hop, seg_of = network
    if to < 0:
        return NO_STATION
    here = station[u]
    c = contingent[u]
    held_to = region[c] if c >= 0 else -1
    if here == to:
        return ALREADY_THERE
    if held_to >= 0 and not region_mask[held_to, to]:
        return OUT_OF_REGION
    if hostile[f, to]:
        return HELD_BY_ENEMY
    a, b = here, here
    if here < 0:
        a, b = seg_a[segment[u]], seg_b[segment[u]]
    if held_to >= 0 and not (region_mask[held_to, a] and region_mask[held_to, b]):
        held_to = -1  # standing outside its region, it may travel anywhere passable on the way back
    if here >= 0 and _line_open(f, held_to, here, to, (next_hop, seg_of, hostile, region_mask, open_track)):
        return OK  # the shortest line is open all the way: no need to cut the network into pieces
    piece = labels[f, held_to + 1]
    if not known[f, held_to + 1]:
        ok = ~hostile[f]
        if held_to >= 0:
            ok &= region_mask[held_to]
        fresh = label_pieces(ok.shape[0], seg_a, seg_b, ok, open_track)
        for s in range(fresh.shape[0]):  # a loop, not `piece[:] =`: numba's slice copy costs seconds to compile
            piece[s] = fresh[s]
        known[f, held_to + 1] = True
    return OK if _joined(piece, (first, other, link_segment, open_track), (a, b, here), to) else NO_WAY


@kernel
def _line_open(
    f: int, held_to: int, here: int, to: int, lines: tuple[IntArray, IntArray, BoolArray, BoolArray, BoolArray]
) -> bool:
    """Whether the shortest line from `here` to `to` runs over open track through stations `f` may pass (inside the
    region `held_to`, if any), `here` included. `lines`: the next station on the shortest line, the segment between
    two stations, the hostile stations by faction, the regions and the open segments."""
    next_hop, seg_of, hostile, region_mask, open_track = lines
    x = here
    while not hostile[f, x] and (held_to < 0 or region_mask[held_to, x]):
        if x == to:
            return True
        nxt = next_hop[x, to]
        if nxt < 0 or not open_track[seg_of[x, nxt]]:
            return False
        x = nxt
    return False


@kernel
def _joined(
    labels: IntArray,
    links: tuple[IntArray, IntArray, IntArray, BoolArray],
    ends: tuple[int, int, int],
    to: int,
) -> bool:
    """Whether `to` lies in a piece of network the unit sets out into: from the ends it stands at or between
    (`ends` is both of them and the station it stands at, -1 on the line), or, cornered in a station it may not
    pass, from any open neighbour it may pull out to (`links`: the network's, and the open segments)."""
    first, other, link_segment, open_track = links
    a, b, here = ends
    if labels[to] < 0:
        return False
    if labels[a] >= 0 or labels[b] >= 0:
        return bool((labels[a] >= 0 and labels[a] == labels[to]) or (labels[b] >= 0 and labels[b] == labels[to]))
    if here < 0:
        return False
    for j in range(first[here], first[here + 1]):
        o = other[j]
        if labels[o] >= 0 and open_track[link_segment[j]] and labels[o] == labels[to]:
            return True
    return False


@kernel
def _distance_to(
    u: int,
    target: int,
    track: tuple[IntArray, IntArray, FloatArray, IntArray, IntArray, FloatArray, IntArray, IntArray],
) -> float:
    """Km along the rail from the unit to a station at or next to it (inf if not next to it along open track).
    `track`: where the units are (station, segment, km along it) and the segments (ends, length, the segment
    between two stations, damage)."""
    station, segment, progress, seg_a, seg_b, seg_km, seg_of, damage = track
    here = station[u]
    if here >= 0:
        if here == target:
            return 0.0
        seg = seg_of[here, target]
        return float(seg_km[seg]) if seg >= 0 and damage[seg] == 0 else np.inf
    seg = segment[u]
    if target == seg_a[seg]:
        return float(progress[u])
    if target == seg_b[seg]:
        return float(seg_km[seg] - progress[u])
    return np.inf


@kernel
def _attack(
    f: int,
    u: int,
    target: int,
    reach: tuple[float, tuple[IntArray, IntArray, FloatArray, IntArray, IntArray, FloatArray, IntArray, IntArray]],
    sides: tuple[IntArray, IntArray, IntArray, IntArray, IntArray, BoolArray, IntArray, BoolArray],
) -> tuple[int, int]:
    """A station the scenario has, next to the unit and near enough for a week (`reach`: a week's travel, and the
    track as `_distance_to` reads it), someone to fight there, inside the contingent's region, and no faction there
    the contingent will not attack (named in the second value). `sides`: each unit's faction, status and contingent;
    the stations' holders, the stances, and the contingents' refusals and regions."""
    faction, status, contingent, control, stance, no_attack, region, region_mask = sides
    week, track = reach
    station = track[0]
    if target < 0:
        return NO_STATION, -1
    d = _distance_to(u, target, track)
    if d == np.inf:
        return NOT_NEXT, -1
    if d > week:
        return TOO_FAR, -1
    nf = stance.shape[0]
    enemy = np.zeros(nf, dtype=np.bool_)  # the defenders' factions and the holder's, if at war with `f`
    holder = control[target]
    held = holder != NOBODY and stance[f, holder] == WAR
    if held:
        enemy[holder] = True
    defended = False
    for x in range(faction.shape[0]):
        if station[x] == target and status[x] == ACTIVE and stance[f, faction[x]] == WAR:
            enemy[faction[x]] = True
            defended = True
    if not held and not defended:
        return NO_ENEMY, -1
    c = contingent[u]
    if c < 0:
        return OK, -1
    if region[c] >= 0 and not region_mask[region[c], target]:
        return OUT_OF_REGION, -1
    for e in range(nf):
        if enemy[e] and no_attack[c, e]:
            return WILL_NOT_ATTACK, e
    return OK, -1


@kernel
def _boarding(kind: int, u: int, station: IntArray, entrained: BoolArray, unit_kind: IntArray) -> int:
    """Trains are boarded at a station, by men not on them already; left by men on them, but not an armoured
    train."""
    if kind == ENTRAIN:
        if entrained[u]:
            return ON_TRAINS
        return NOT_AT_STATION if station[u] < 0 else OK
    if unit_kind[u] == ARMOURED_TRAIN:
        return ARMOURED
    return NOT_ON_TRAINS if not entrained[u] else OK


@kernel
def _track(
    kind: int,
    u: int,
    seg: int,
    where: tuple[IntArray, IntArray, IntArray, IntArray],
    works: tuple[IntArray, IntArray],
) -> int:
    """A segment the scenario has, at the unit (at either end of it, or along it or one that shares an end); to
    blow, a bridge or tunnel still standing; to repair, damage. `where`: the units' stations and segments and the
    segments' ends; `works`: weeks of repair of a bridge or tunnel, and the damage."""
    station, segment, seg_a, seg_b = where
    repair_weeks, damage = works
    if seg < 0:
        return NO_SEGMENT
    on = segment[u]
    ends = (station[u], station[u]) if station[u] >= 0 else (seg_a[on], seg_b[on])
    if not (ends[0] in (seg_a[seg], seg_b[seg]) or ends[1] in (seg_a[seg], seg_b[seg]) or on == seg):
        return NOT_AT_END
    if kind == BLOW:
        if repair_weeks[seg] <= 0:
            return NO_BRIDGE
        return ALREADY_CUT if damage[seg] > 0 else OK
    return NOT_DAMAGED if damage[seg] == 0 else OK


@kernel
def _evacuate(f: int, u: int, units: tuple[IntArray, BoolArray], ports: tuple[BoolArray, IntArray, IntArray]) -> int:
    """At a port in its own or an ally's hands, not waiting for ships already. `units`: stations and who waits for
    ships; `ports`: which stations are ports, their holders, the stances."""
    station, embarking = units
    has_port, control, stance = ports
    here = station[u]
    if here < 0 or not has_port[here]:
        return NOT_AT_PORT
    holder = control[here]
    if holder != f and (holder == NOBODY or stance[f, holder] != ALLIED):
        return NOT_FRIENDLY
    return EMBARKING if embarking[u] else OK


@kernel
def _destroy(f: int, u: int, k: int, station: IntArray, stockpiles: tuple[IntArray, IntArray, FloatArray]) -> int:
    """A stockpile the scenario has, where the unit stands, the faction's own, not gone already. `stockpiles`: their
    stations, owners and tons."""
    at, owner, tons = stockpiles
    if k < 0:
        return NO_STOCKPILE
    if at[k] != station[u]:
        return NOT_HERE
    if owner[k] != f:
        return NOT_OWNER
    return BURNT if tons[k] <= 0 else OK
