"""The static side of a game: a scenario compiled into numpy arrays and small typed tables.

The engine never reads the pydantic scenario during play; everything it needs is indexed here once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from anabasis.engine.warmup import prepare
from anabasis.scenario.models import (
    AnyEffect,
    Condition,
    Rules,
    Scenario,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

MEMO_SIZE = 4096  # entries a memo table keeps before it starts afresh, so long runs use bounded memory
_T = TypeVar("_T")
OBJECTIVE_KINDS = ("hold", "evacuate", "stockpile", "destroy")
UNIT_KINDS = ("infantry", "cavalry", "artillery", "armoured_train", "partisans")
STANCES = ("allied", "neutral", "war")
ALLIED, NEUTRAL, WAR = 0, 1, 2
NOBODY = -1


@dataclass(frozen=True)
class CompiledEvent:
    """An event with its trigger turn and the scenario's typed conditions and effects."""

    id: str
    name: str
    text: str
    turn: int | None
    last_turn: int | None
    when: tuple[Condition, ...]
    effects: tuple[AnyEffect, ...]
    decision_faction: int
    options: tuple[tuple[str, str, tuple[AnyEffect, ...]], ...]
    default_option: int
    weeks: int
    prompt: str


@dataclass(frozen=True)
class CompiledObjective:
    """An objective with indices in place of ids and its window as turns."""

    id: str
    name: str
    faction: int
    kind: str
    points: float
    stations: IntArray
    stockpiles: IntArray
    of: int
    first_turn: int
    last_turn: int


@dataclass
class World:
    """A scenario compiled for play: ids to indices, static arrays, events and objectives."""

    scenario: Scenario
    rules: Rules
    start: dt.date
    turn_days: int
    turns: int
    # stations
    station_ids: list[str]
    station_names: list[str]
    station_index: dict[str, int]
    lat: FloatArray
    lon: FloatArray
    depot: FloatArray
    fortification: IntArray
    has_port: BoolArray
    port_men: IntArray
    station_kind: list[str]
    # segments
    seg_a: IntArray
    seg_b: IntArray
    seg_km: FloatArray
    seg_trains_week: FloatArray
    seg_repair_weeks: IntArray
    seg_line: list[str]
    segment_index: dict[str, int]
    adjacency: list[list[tuple[int, int]]]
    next_hop: IntArray
    distance: FloatArray
    seg_of: IntArray  # segment joining two stations, -1 where none
    segment_names: list[str]
    # the same tables as Python lists, for the per-hop loops of movement
    next_hop_rows: list[list[int]]
    seg_of_rows: list[list[int]]
    seg_km_list: list[float]
    # factions
    faction_ids: list[str]
    faction_names: list[str]
    faction_index: dict[str, int]
    faction_colors: list[str]
    playable: list[bool]
    stance0: IntArray
    side_of: IntArray
    side_ids: list[str]
    side_names: list[str]
    # contingents
    contingent_ids: list[str]
    contingent_names: list[str]
    contingent_faction: IntArray
    contingent_index: dict[tuple[str, str], int]
    no_attack0: BoolArray
    region0: IntArray
    region_ids: list[str]
    region_names: list[str]
    region_mask: BoolArray
    # units
    unit_ids: list[str]
    unit_names: list[str]
    unit_index: dict[str, int]
    unit_faction: IntArray
    unit_contingent: IntArray
    unit_kind: IntArray
    unit_men0: IntArray
    unit_station0: IntArray
    unit_entrained0: BoolArray
    unit_arms0: FloatArray
    unit_cohesion0: FloatArray
    unit_arrival: IntArray
    unit_reserve: BoolArray
    unit_starts: BoolArray  # on the map when the game begins, whoever holds the station
    unit_commander: list[str | None]
    unit_worth: FloatArray
    # stockpiles
    stockpile_ids: list[str]
    stockpile_names: list[str]
    stockpile_index: dict[str, int]
    stockpile_station: IntArray
    stockpile_owner: IntArray
    stockpile_tons0: FloatArray
    stockpile_supply: FloatArray
    # traffic: trains a week reserved on each segment in each turn (prisoner-of-war trains first)
    reserved: FloatArray
    winter: BoolArray
    events: list[CompiledEvent]
    event_index: dict[str, int]
    events_by_turn: dict[int, list[int]]
    conditional_events: list[int]
    event_window: IntArray  # first and last turn each event may fire on its conditions; (1, 0) if it has none
    objectives: list[CompiledObjective]
    # the objectives again as arrays, so a turn's points are a few array operations
    objective_kind: IntArray
    objective_faction: IntArray
    objective_of: IntArray
    objective_points: FloatArray
    objective_first: IntArray
    objective_last: IntArray
    objective_stations: BoolArray
    objective_holders: BoolArray  # objective x faction: whose holding of the stations counts
    objective_stockpiles: BoolArray
    cache: dict[object, object] = field(default_factory=dict, repr=False)

    @property
    def n_stations(self) -> int:
        return len(self.station_ids)

    @property
    def n_units(self) -> int:
        return len(self.unit_ids)

    @property
    def n_factions(self) -> int:
        return len(self.faction_ids)

    def memo(self, table: str, key: object, compute: Callable[[], _T]) -> _T:
        """Remember `compute()` by `key` in a bounded table: answers that depend only on slowly changing
        facts (who holds which station, which lines are cut) are worked out once per layout, not per turn."""
        store = self.cache.setdefault(table, {})
        assert isinstance(store, dict)
        if key in store:
            return store[key]  # type: ignore[no-any-return]
        value = compute()
        if len(store) >= MEMO_SIZE:
            store.clear()
        store[key] = value
        return value

    def date_of(self, turn: int) -> dt.date:
        """The first day of `turn`."""
        return self.start + dt.timedelta(days=self.turn_days * turn)

    def turn_of(self, day: dt.date) -> int:
        """The turn whose week contains `day`."""
        return (day - self.start).days // self.turn_days

    def segment_between(self, a: int, b: int) -> int:
        """The segment joining stations a and b, or -1."""
        return self.seg_of_rows[a][b]

    def segment_name(self, seg: int) -> str:
        """`a-b`, the way orders and messages name a segment."""
        return self.segment_names[seg]

    def other_end(self, seg: int, station: int) -> int:
        return int(self.seg_b[seg] if self.seg_a[seg] == station else self.seg_a[seg])


def _shortest_paths(n: int, a: IntArray, b: IntArray, km: FloatArray) -> tuple[FloatArray, IntArray]:
    """All-pairs distances and next hops (Floyd-Warshall; the network has about a hundred stations)."""
    dist = np.full((n, n), np.inf)
    nxt = np.full((n, n), -1, dtype=np.int64)
    np.fill_diagonal(dist, 0.0)
    idx = np.arange(n)
    nxt[idx, idx] = idx
    for i, j, d in zip(a.tolist(), b.tolist(), km.tolist(), strict=True):
        if d < dist[i, j]:
            dist[i, j] = dist[j, i] = d
            nxt[i, j], nxt[j, i] = j, i
    for k in range(n):
        via = dist[:, k : k + 1] + dist[k : k + 1, :]
        better = via < dist
        dist = np.where(better, via, dist)
        nxt = np.where(better, nxt[:, k : k + 1], nxt)
    return dist, nxt


def _worth(rules: Rules, kind: str) -> float:
    return {
        "armoured_train": rules.armoured_train_factor,
        "artillery": rules.artillery_factor,
        "cavalry": rules.cavalry_factor,
        "partisans": rules.partisans_factor,
    }.get(kind, 1.0)


def compile_world(s: Scenario) -> World:
    """Index a validated scenario for play (the first in a process also sees that the rules are compiled)."""
    prepare()
    meta = s.meta
    rules = s.rules
    turns = (meta.end - meta.start).days // meta.turn_days + 1

    def turn_of(day: dt.date) -> int:
        return (day - meta.start).days // meta.turn_days

    st_index = {st.id: i for i, st in enumerate(s.stations)}
    n = len(s.stations)
    seg_a = np.array([st_index[g.a] for g in s.segments], dtype=np.int64)
    seg_b = np.array([st_index[g.b] for g in s.segments], dtype=np.int64)
    seg_km = np.array([g.km for g in s.segments], dtype=np.float64)
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for k, (i, j) in enumerate(zip(seg_a.tolist(), seg_b.tolist(), strict=True)):
        adjacency[i].append((j, k))
        adjacency[j].append((i, k))
    distance, next_hop = _shortest_paths(n, seg_a, seg_b, seg_km)
    seg_of = np.full((n, n), -1, dtype=np.int64)
    seg_of[seg_a, seg_b] = np.arange(len(seg_a))
    seg_of[seg_b, seg_a] = np.arange(len(seg_a))
    segment_index = {}
    for k, g in enumerate(s.segments):
        segment_index[f"{g.a}-{g.b}"] = k
        segment_index[f"{g.b}-{g.a}"] = k

    f_index = {f.id: i for i, f in enumerate(s.factions)}
    nf = len(s.factions)
    stance0 = np.full((nf, nf), 1, dtype=np.int64)
    np.fill_diagonal(stance0, ALLIED)
    for rel in s.relations:
        i, j = f_index[rel.factions[0]], f_index[rel.factions[1]]
        stance0[i, j] = stance0[j, i] = STANCES.index(rel.stance)
    assert s.victory is not None
    side_of = np.full(nf, -1, dtype=np.int64)
    for k, side in enumerate(s.victory.sides):
        for fid in side.factions:
            side_of[f_index[fid]] = k

    region_index = {r.id: k for k, r in enumerate(s.regions)}
    region_mask = np.zeros((len(s.regions), n), dtype=np.bool_)
    for k, r in enumerate(s.regions):
        region_mask[k, [st_index[x] for x in r.stations]] = True
    contingents = [(f, c) for f in s.factions for c in f.contingents]
    c_index = {(f.id, c.id): k for k, (f, c) in enumerate(contingents)}
    no_attack0 = np.zeros((len(contingents), nf), dtype=np.bool_)
    region0 = np.full(len(contingents), -1, dtype=np.int64)
    for k, (_, c) in enumerate(contingents):
        for other in c.limits.no_attack:
            no_attack0[k, f_index[other]] = True
        if c.limits.region is not None:
            region0[k] = region_index[c.limits.region]

    units = s.units
    u_arrival = np.array(
        [-1 if u.reserve else (max(0, turn_of(u.arrives)) if u.arrives else 0) for u in units], dtype=np.int64
    )
    stockpiles = s.stockpiles
    reserved = np.zeros((turns, len(s.segments)))
    for t in s.traffic:
        first, last = max(0, turn_of(t.start)), min(turns - 1, turn_of(t.end))
        for x, y in zip(t.route, t.route[1:], strict=False):
            reserved[first : last + 1, segment_index[f"{x}-{y}"]] += t.trains_per_day * meta.turn_days
    winter_months = set(rules.winter_months)
    winter = np.array(
        [(meta.start + dt.timedelta(days=meta.turn_days * t)).month in winter_months for t in range(turns)]
    )

    events: list[CompiledEvent] = []
    by_turn: dict[int, list[int]] = {}
    conditional: list[int] = []
    for k, e in enumerate(s.events):
        d = e.decision
        event = CompiledEvent(
            id=e.id,
            name=e.name,
            text=e.text,
            turn=turn_of(e.date) if e.date else None,
            last_turn=turn_of(e.until) if e.until else None,
            when=tuple(e.when),
            effects=tuple(e.effects),
            decision_faction=f_index[d.faction] if d else -1,
            options=tuple((o.id, o.label, tuple(o.effects)) for o in d.options) if d else (),
            default_option=[o.id for o in d.options].index(d.default) if d else -1,
            weeks=d.weeks if d else 0,
            prompt=d.prompt if d else "",
        )
        events.append(event)
        if event.when:
            conditional.append(k)
        elif event.turn is not None:
            by_turn.setdefault(max(0, event.turn), []).append(k)

    sp_index = {sp.id: k for k, sp in enumerate(stockpiles)}
    objectives = [
        CompiledObjective(
            id=o.id,
            name=o.name,
            faction=f_index[o.faction],
            kind=o.kind,
            points=o.points,
            stations=np.array([st_index[x] for x in o.stations], dtype=np.int64),
            stockpiles=np.array([sp_index[x] for x in o.stockpiles], dtype=np.int64),
            of=f_index[o.of] if o.of else f_index[o.faction],
            first_turn=turn_of(o.start) if o.start else 0,
            last_turn=turn_of(o.end) if o.end else turns - 1,
        )
        for o in s.victory.objectives
    ]

    objective_stations = np.zeros((len(objectives), n), dtype=np.bool_)
    objective_stockpiles = np.zeros((len(objectives), len(stockpiles)), dtype=np.bool_)
    objective_holders = np.zeros((len(objectives), len(s.factions)), dtype=np.bool_)
    for k, (o, spec) in enumerate(zip(objectives, s.victory.objectives, strict=True)):
        objective_stations[k, o.stations] = True
        objective_stockpiles[k, o.stockpiles] = True
        objective_holders[k, [f_index[x] for x in spec.holders] or [o.faction]] = True

    return World(
        scenario=s,
        rules=rules,
        start=meta.start,
        turn_days=meta.turn_days,
        turns=turns,
        station_ids=[st.id for st in s.stations],
        station_names=[st.name for st in s.stations],
        station_index=st_index,
        lat=np.array([st.lat for st in s.stations]),
        lon=np.array([st.lon for st in s.stations]),
        depot=np.array([st.depot for st in s.stations], dtype=np.float64),
        fortification=np.array([st.fortification for st in s.stations], dtype=np.int64),
        has_port=np.array([st.port is not None for st in s.stations]),
        port_men=np.array([st.port.men_per_week if st.port else 0 for st in s.stations], dtype=np.int64),
        station_kind=[st.kind for st in s.stations],
        seg_a=seg_a,
        seg_b=seg_b,
        seg_km=seg_km,
        seg_trains_week=np.array([g.trains_per_day * meta.turn_days for g in s.segments]),
        seg_repair_weeks=np.array([max((f.repair_weeks for f in g.features), default=0) for g in s.segments]),
        seg_line=[g.line for g in s.segments],
        segment_index=segment_index,
        adjacency=adjacency,
        next_hop=next_hop,
        distance=distance,
        seg_of=seg_of,
        segment_names=[f"{g.a}-{g.b}" for g in s.segments],
        next_hop_rows=next_hop.tolist(),
        seg_of_rows=seg_of.tolist(),
        seg_km_list=seg_km.tolist(),
        faction_ids=[f.id for f in s.factions],
        faction_names=[f.name for f in s.factions],
        faction_index=f_index,
        faction_colors=[f.color for f in s.factions],
        playable=[f.playable for f in s.factions],
        stance0=stance0,
        side_of=side_of,
        side_ids=[side.id for side in s.victory.sides],
        side_names=[side.name for side in s.victory.sides],
        contingent_ids=[c.id for _, c in contingents],
        contingent_names=[c.name for _, c in contingents],
        contingent_faction=np.array([f_index[f.id] for f, _ in contingents], dtype=np.int64),
        contingent_index=c_index,
        no_attack0=no_attack0,
        region0=region0,
        region_ids=[r.id for r in s.regions],
        region_names=[r.name for r in s.regions],
        region_mask=region_mask,
        unit_ids=[u.id for u in units],
        unit_names=[u.name for u in units],
        unit_index={u.id: k for k, u in enumerate(units)},
        unit_faction=np.array([f_index[u.faction] for u in units], dtype=np.int64),
        unit_contingent=np.array(
            [c_index[(u.faction, u.contingent)] if u.contingent else -1 for u in units], dtype=np.int64
        ),
        unit_kind=np.array([UNIT_KINDS.index(u.kind) for u in units], dtype=np.int64),
        unit_men0=np.array([u.men for u in units], dtype=np.int64),
        unit_station0=np.array([st_index[u.station] for u in units], dtype=np.int64),
        unit_entrained0=np.array([u.entrained or u.kind == "armoured_train" for u in units]),
        unit_arms0=np.array([u.arms for u in units]),
        unit_cohesion0=np.array([u.cohesion for u in units]),
        unit_arrival=u_arrival,
        unit_reserve=np.array([u.reserve for u in units]),
        unit_starts=np.array([u.arrives is None and not u.reserve for u in units]),
        unit_commander=[u.commander for u in units],
        unit_worth=np.array([_worth(rules, u.kind) for u in units]),
        stockpile_ids=[sp.id for sp in stockpiles],
        stockpile_names=[sp.name for sp in stockpiles],
        stockpile_index=sp_index,
        stockpile_station=np.array([st_index[sp.station] for sp in stockpiles], dtype=np.int64),
        stockpile_owner=np.array([f_index[sp.owner] for sp in stockpiles], dtype=np.int64),
        stockpile_tons0=np.array([float(sp.tons) for sp in stockpiles]),
        stockpile_supply=np.array([sp.supply for sp in stockpiles]),
        reserved=reserved,
        winter=winter,
        events=events,
        event_index={e.id: k for k, e in enumerate(events)},
        events_by_turn=by_turn,
        conditional_events=conditional,
        event_window=np.array(
            [
                (max(0, e.turn or 0), e.last_turn if e.last_turn is not None else turns) if e.when else (1, 0)
                for e in events
            ],
            dtype=np.int64,
        ).reshape(-1, 2),
        objectives=objectives,
        objective_kind=np.array([OBJECTIVE_KINDS.index(o.kind) for o in objectives], dtype=np.int64),
        objective_faction=np.array([o.faction for o in objectives], dtype=np.int64),
        objective_of=np.array([o.of for o in objectives], dtype=np.int64),
        objective_points=np.array([o.points for o in objectives]),
        objective_first=np.array([o.first_turn for o in objectives], dtype=np.int64),
        objective_last=np.array([o.last_turn for o in objectives], dtype=np.int64),
        objective_stations=objective_stations,
        objective_holders=objective_holders,
        objective_stockpiles=objective_stockpiles,
    )
