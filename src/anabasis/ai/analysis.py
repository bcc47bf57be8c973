"""What every commander reads off the board: strength, threat and supply by station, for all factions at once.

A `Situation` is computed once per game state (all four commanders look at the same state in a turn, so it is
kept in `state.cache`) in one compiled pass over the unit arrays (`survey.tables`), and handed to the planners
as Python lists converted once for all factions. Its numbers are the engine's own formulas for fighting worth and
supply, so the commanders' estimates agree with what the rules will do. What a set of enemies holds and guards
(`Opposition`) and where a faction stands (`Footing`) are likewise worked out once per state, for every
commander that asks.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from anabasis.ai.survey import Ground, Neighbours, Units, neighbours, opposed, tables
from anabasis.engine.combat import guard_worths
from anabasis.engine.combat import unit_worths as worth_of
from anabasis.engine.network import components, hostility
from anabasis.engine.state import ACTIVE, GameState
from anabasis.engine.supply import places, supply_pieces
from anabasis.engine.world import ALLIED, WAR, BoolArray, FloatArray, IntArray, World

ARMOURED_TRAIN = 3  # index of `armoured_train` in the world's unit kinds


def where(mask: BoolArray) -> IntArray:
    """Indices where a 1-d mask is true: `np.flatnonzero` without its layers of Python (a plan asks often)."""
    out: IntArray = mask.nonzero()[0]
    return out


@dataclass(frozen=True)
class Network:
    """The rail network as arrays of directed edges, for questions about neighbours without Python loops."""

    edge_from: IntArray  # each segment twice, once each way
    edge_to: IntArray
    fort: FloatArray  # defence multiplier of each station's fortification
    fort_list: list[float]  # the same, as a list
    ports: IntArray  # stations with a port
    contingent: list[int]  # by unit, -1 for none
    faction: list[int]  # by unit
    regions: list[list[bool]]  # region x station


def network(world: World) -> Network:
    """The world's `Network`, built once and kept in `world.cache`."""
    hit = world.cache.get("ai.network")
    if isinstance(hit, Network):
        return hit
    a, b = world.seg_a, world.seg_b
    fort = 1.0 + world.rules.fortification_bonus * world.fortification.astype(np.float64)
    net = Network(
        edge_from=np.concatenate([a, b]),
        edge_to=np.concatenate([b, a]),
        fort=fort,
        fort_list=fort.tolist(),
        ports=where(world.has_port),
        contingent=world.unit_contingent.tolist(),
        faction=world.unit_faction.tolist(),
        regions=world.region_mask.tolist(),
    )
    world.cache["ai.network"] = net
    return net


@dataclass(frozen=True)
class Layout:
    """Who neighbours whom along open track, for one pattern of cut segments."""

    near: Neighbours  # neighbours by open track, and by open track within a week's march, for the kernels
    open_links: list[list[int]]  # per station: neighbours by open track
    train_links: list[list[int]]  # per station: neighbours by open track within a week by train
    foot_links: list[list[int]]  # the same, within a week's march


class Columns(NamedTuple):
    """The per-unit and per-segment facts a plan reads one at a time, as Python lists (indexing a list is
    several times cheaper than indexing a numpy array for a single value)."""

    at: list[int]  # station, -1 on a segment or off the map
    node: list[int]
    entrained: list[bool]
    embarking: list[bool]
    worth: list[float]  # attack strength, winter included, as `preview_combat` counts it
    guard: list[float]  # defence where it stands: digging in, trains and fortification included
    raw: list[float]  # attack strength before the season (the engine's worth of a unit's men)
    cover: list[float]  # defence before fortification: digging in and the weakness of men on trains included
    goal: list[int]
    men: list[int]
    stores: list[float]
    region: list[int]  # the region its contingent must stay in, -1 for none
    damage: list[int]  # by segment
    cut: list[int]  # segments that are cut


class Rows(NamedTuple):
    """The faction x station tables of a `Situation`, and each faction's units, as Python lists by faction."""

    mine: list[list[int]]  # active units, in unit order
    threatened: list[list[int]]  # those standing at a station the enemy can strike
    moving: list[list[int]]  # those on their way to a destination
    hostile: list[list[bool]]
    threat: list[list[float]]
    defence: list[list[float]]
    strength: list[list[float]]
    supply: list[list[float]]
    war: list[list[bool]]  # faction x faction
    barred: list[bool]  # by contingent: whether it refuses to fight some faction
    friends: list[list[int]]  # by faction: itself and its allies


class Situation(NamedTuple):
    """One state seen from above: who stands where, how strong, how threatened, how well fed.

    It and its parts are named tuples, not frozen dataclasses: as read-only, and several times cheaper to make
    once per state (a frozen dataclass sets each field through `object.__setattr__`). It holds its state weakly:
    the state keeps its `Situation` in its cache, and a strong reference back would make of the two a cycle that
    only the garbage collector frees: states would pile up, with all the lists here, between its passes."""

    state_ref: weakref.ref[GameState]
    net: Network
    active: BoolArray  # units on the map
    node: IntArray  # the station a unit stands at, or the nearer end of its segment; -1 off the map
    strength: FloatArray  # faction x station: attack strength of units standing at or near the station
    defence: FloatArray  # faction x station: defence of units standing at the station, fortification included
    war: BoolArray  # faction x faction
    hostile: BoolArray  # faction x station: held or occupied by an enemy (the engine's answer)
    threat: FloatArray  # faction x station: enemy attack strength at the station or one open hop from it
    supply: FloatArray  # faction x station: share of its need a unit there would get this week
    held: BoolArray  # faction x station: held by the faction, with no enemy in it
    reach: BoolArray  # faction x station: where it has men or holds in peace, and one open segment beyond
    lowest_supply: list[float]  # by faction: the share of need met where its men are worst fed (inf with none)
    season: float  # the factor winter puts on every attack, 1.0 in other seasons
    deciding: bool  # whether some decision waits for an answer
    layout: Layout
    columns: Columns
    rows: Rows
    posts: list[IntArray]  # by faction: stations where it has strength and no enemy

    @property
    def state(self) -> GameState:
        """The state seen, while it lives."""
        state = self.state_ref()
        if state is None:
            raise ReferenceError("the state of this situation is gone")
        return state


def situation(state: GameState) -> Situation:
    """The `Situation` of a state, computed on first use and shared by every commander that looks at it."""
    hit = state.cache.get("ai.situation")
    if isinstance(hit, Situation):
        return hit
    sit = _survey(state)
    state.cache["ai.situation"] = sit
    return sit


def weighted(bins: IntArray, weights: npt.NDArray[np.floating[Any]], size: int) -> FloatArray:
    """Sums of `weights` by bin (`np.bincount` with weights, typed as the floats it returns)."""
    out: FloatArray = np.bincount(bins, weights=weights, minlength=size).astype(np.float64, copy=False)
    return out


def _survey(state: GameState) -> Situation:
    w, r = state.world, state.world.rules
    net = network(w)
    winter = bool(w.winter[min(state.turn, w.turns - 1)])
    active = state.status == ACTIVE
    units = where(active)
    raw = worth_of(state, units)  # the engine's formulas, for the units on the map
    open_seg = state.damage == 0
    layout = _layout(w, open_seg)
    hostile = hostility(state)
    labels, piece_supply = supply_pieces(state)
    season = r.winter_attack if winter else 1.0  # winter slows attacks, not defence
    need = r.supply_need * (r.winter_need if winter else 1.0)
    t = tables(
        Units(
            places(state),
            state.goal,
            state.men,
            state.entrained,
            w.unit_faction,
            w.unit_contingent,
            units,
            raw,
            guard_worths(state, units, raw),
        ),
        Ground(
            net.fort,
            state.control,
            state.stance,
            hostile,
            labels,
            piece_supply,
            state.region,
            state.no_attack,
            state.deadline,
        ),
        layout.near,
        season,
        need / 1000.0,
    )
    strength, defence, threat, supply = t.boards
    held, reach = t.marks
    worth, raws, guards, covers = t.by_unit.tolist()
    nodes, regions, *grouped = t.unit_rows.tolist()
    *group_start, post_start = t.starts.tolist()
    mine, threatened, moving = _split(grouped, group_start)
    strength_rows, defence_rows, threat_rows, supply_rows = t.boards.tolist()
    war = state.stance == WAR
    return Situation(
        state_ref=weakref.ref(state),
        net=net,
        active=active,
        node=t.unit_rows[0],
        strength=strength,
        defence=defence,
        war=war,
        hostile=hostile,
        threat=threat,
        supply=supply,
        held=held,
        reach=reach,
        lowest_supply=t.lowest_supply.tolist(),
        season=season,
        deciding=bool(t.deciding),
        layout=layout,
        columns=Columns(
            at=state.station.tolist(),
            node=nodes,
            entrained=state.entrained.tolist(),
            embarking=state.embarking.tolist(),
            worth=worth,
            guard=guards,
            raw=raws,
            cover=covers,
            goal=state.goal.tolist(),
            men=state.men.tolist(),
            stores=state.stores.tolist(),
            region=regions,
            damage=state.damage.tolist(),
            cut=where(~open_seg).tolist(),
        ),
        rows=Rows(
            mine=mine,
            threatened=threatened,
            moving=moving,
            hostile=hostile.tolist(),
            threat=threat_rows,
            defence=defence_rows,
            strength=strength_rows,
            supply=supply_rows,
            war=war.tolist(),
            barred=t.barred.tolist(),
            friends=[[g for g, stance in enumerate(row) if stance == ALLIED] for row in state.stance.tolist()],
        ),
        posts=[t.posts[a:b] for a, b in pairwise(post_start)],
    )


def _split(grouped: list[list[int]], starts: list[list[int]]) -> list[list[list[int]]]:
    """The kernel's grouped rows of units, each cut into one list per faction."""
    return [[row[a:b] for a, b in pairwise(start)] for row, start in zip(grouped, starts, strict=True)]


LAYOUT_CACHE_SIZE = 256  # distinct patterns of cut segments whose `Layout` is remembered per world


def _layout(world: World, open_seg: BoolArray) -> Layout:
    """The `Layout` of a pattern of cut segments, remembered per world."""
    cache = world.cache.setdefault("ai.layout", {})
    assert isinstance(cache, dict)
    key = open_seg.tobytes()
    hit = cache.get(key)
    if isinstance(hit, Layout):
        return hit
    train = world.rules.train_km_per_day * world.turn_days
    march = world.rules.march_km_per_day * world.turn_days
    is_open, km = open_seg.tolist(), world.seg_km_list
    out = Layout(
        near=neighbours(world.n_stations, world.seg_a, world.seg_b, open_seg, world.seg_km <= march),
        open_links=[[o for o, seg in links if is_open[seg]] for links in world.adjacency],
        train_links=[[o for o, seg in links if is_open[seg] and km[seg] <= train] for links in world.adjacency],
        foot_links=[[o for o, seg in links if is_open[seg] and km[seg] <= march] for links in world.adjacency],
    )
    if len(cache) >= LAYOUT_CACHE_SIZE:
        cache.clear()
    cache[key] = out
    return out


class Opposition(NamedTuple):
    """What a set of enemy factions holds and guards: the same for every commander that fights them."""

    stations: BoolArray  # stations they hold or stand in
    station_list: list[bool]
    near: list[bool]  # those stations, and stations one open segment from one of them
    defence: list[float]  # their defence by station
    strength: list[float]  # their attack strength by station


def opposition(state: GameState, foes: BoolArray) -> Opposition:
    """The `Opposition` of the factions in `foes`, worked out once per state."""
    key = ("ai.opposition", foes.tobytes())
    hit = state.cache.get(key)
    if isinstance(hit, Opposition):
        return hit
    sit = situation(state)
    near = sit.layout.near
    marks, sums = opposed(foes, state.control, (sit.defence, sit.strength), near.open_first, near.open_other)
    station_list, close = marks.tolist()
    defence, strength = sums.tolist()
    out = Opposition(
        stations=marks[0],
        station_list=station_list,
        near=close,
        defence=defence,
        strength=strength,
    )
    state.cache[key] = out
    return out


class Footing(NamedTuple):
    """Where a faction stands this week, whatever its doctrine."""

    posts: IntArray  # stations where it has strength and no enemy
    held: BoolArray  # stations it holds and no enemy stands in
    reach: BoolArray  # stations it stands at or holds in peace, and those one open segment from them
    lowest_supply: float  # the share of need met where its men are worst fed (inf with no men)
    labels: list[int]  # pieces of its network its units can travel within (see `components`)


def footing(state: GameState, faction: int) -> Footing:
    """The `Footing` of a faction, worked out once per state."""
    key = ("ai.footing", faction)
    hit = state.cache.get(key)
    if isinstance(hit, Footing):
        return hit
    sit = situation(state)
    out = Footing(
        posts=sit.posts[faction],
        held=sit.held[faction],
        reach=sit.reach[faction],
        lowest_supply=sit.lowest_supply[faction],
        labels=components(state, faction, -1).tolist(),
    )
    state.cache[key] = out
    return out


def path(world: World, start: int, goal: int) -> list[int]:
    """Stations along the shortest line of the network from `start` to `goal` (both included)."""
    out = [start]
    while out[-1] != goal:
        nxt = int(world.next_hop[out[-1], goal])
        if nxt < 0:
            return []
        out.append(nxt)
    return out
