"""What every commander reads off the board: strength, threat and supply by station, for all factions at once.

A `Situation` is computed once per game state (all four commanders look at the same state in a turn, so it is
kept in `state.cache`) in one compiled pass over the unit arrays (`survey.tables`), whose tables the planners'
kernel reads as they are. Its numbers are the engine's own formulas for fighting worth and supply, so the
commanders' estimates agree with what the rules will do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from anabasis.ai.survey import Ground, Neighbours, Tables, Units, neighbours, tables
from anabasis.engine.combat import fighters, guards
from anabasis.engine.network import hostility
from anabasis.engine.state import GameState
from anabasis.engine.supply import places
from anabasis.engine.world import BoolArray, FloatArray, IntArray, World


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


def network(world: World) -> Network:
    """The world's `Network`, built once and kept in `world.cache`."""
    hit = world.cache.get("ai.network")
    if isinstance(hit, Network):
        return hit
    a, b = world.seg_a, world.seg_b
    fort = 1.0 + world.rules.fortification_bonus * world.fortification.astype(np.float64)
    net = Network(edge_from=np.concatenate([a, b]), edge_to=np.concatenate([b, a]), fort=fort)
    world.cache["ai.network"] = net
    return net


class Situation(NamedTuple):
    """One state seen from above: who stands where, how strong, how threatened, how well fed. (It holds no
    reference to its state, which keeps it in its cache: the two would make a cycle only the collector frees.)"""

    node: IntArray  # the station a unit stands at, or the nearer end of its segment; -1 off the map
    hostile: BoolArray  # faction x station: held or occupied by an enemy (the engine's answer)
    supply: FloatArray  # faction x station: share of its need a unit there would get this week
    season: float  # the factor winter puts on every attack, 1.0 in other seasons
    deciding: bool  # whether some decision waits for an answer
    near: Neighbours  # each station's neighbours along open track, and within a week's march
    tables: Tables  # the survey's answer, as the kernel gave it

    def has_units(self, faction: int) -> bool:
        """Whether the faction has units on the map."""
        starts = self.tables.starts
        return bool(starts[0, faction + 1] > starts[0, faction])


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
    winter = bool(w.winter[min(state.turn, w.turns - 1)])
    near = _near(w, state.damage == 0)
    hostile = hostility(state)
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
            state.status,
            fighters(state),  # the engine's formulas of worth
            guards(state),
        ),
        Ground(
            network(w).fort,
            state.control,
            state.stance,
            hostile,
            (state.supply_factor, state.stockpile_tons, state.damage),
            (w.seg_a, w.seg_b, w.depot, w.stockpile_station, w.stockpile_supply),
            state.region,
            state.no_attack,
            state.deadline,
        ),
        near,
        season,
        need / 1000.0,
    )
    return Situation(
        node=t.unit_rows[0],
        hostile=hostile,
        supply=t.boards[3],
        season=season,
        deciding=bool(t.deciding),
        near=near,
        tables=t,
    )


NEAR_CACHE_SIZE = 256  # distinct patterns of cut segments whose `Neighbours` are remembered per world


def _near(world: World, open_seg: BoolArray) -> Neighbours:
    """The `Neighbours` of a pattern of cut segments, remembered per world."""
    cache = world.cache.setdefault("ai.near", {})
    assert isinstance(cache, dict)
    key = open_seg.tobytes()
    hit = cache.get(key)
    if isinstance(hit, Neighbours):
        return hit
    march = world.rules.march_km_per_day * world.turn_days
    out = neighbours(world.n_stations, world.seg_a, world.seg_b, open_seg, world.seg_km <= march)
    if len(cache) >= NEAR_CACHE_SIZE:
        cache.clear()
    cache[key] = out
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
