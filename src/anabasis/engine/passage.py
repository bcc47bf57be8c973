"""Whether the rules let units travel where they are ordered: a faction's move orders checked in one compiled pass.

Most orders of a week are moves, and checking them one by one cost more in numpy's per-call overhead than in
the rule itself. The kernel answers with a code per order; `legal` puts a refusal into words, so the rule is
written once, here, whether one order is asked about or a whole turn's.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from anabasis.engine.jit import kernel
from anabasis.engine.network import Rails, hostility, label_pieces, rails
from anabasis.engine.state import ACTIVE, GameState
from anabasis.engine.world import BoolArray, IntArray

# What the move check says of an order to a station the scenario has, given to a unit the scenario has: fine, or
# the unit is not yours or not on the map, or the first of the rules for moves that refuses it.
MOVE_OK, NOT_AT_HAND, ALREADY_THERE, OUT_OF_REGION, HELD_BY_ENEMY, NO_WAY = range(6)


class Standing(NamedTuple):
    """What the move check reads of the state: whose units are on the map and where, where their contingents may
    go, who may pass."""

    faction: IntArray  # by unit
    status: IntArray
    station: IntArray
    segment: IntArray
    contingent: IntArray  # by unit, -1 for none
    region: IntArray  # by contingent: the region it must stay in, -1 for none
    region_mask: BoolArray  # region x station
    hostile: BoolArray  # faction x station
    damage: IntArray  # by segment


def move_codes(state: GameState, faction: int, units: list[int], goals: list[int]) -> list[int]:
    """For each unit ordered by `faction` to the station in `goals`, a code: `MOVE_OK` or why not."""
    w = state.world
    standing = Standing(
        w.unit_faction,
        state.status,
        state.station,
        state.segment,
        w.unit_contingent,
        state.region,
        w.region_mask,
        hostility(state),
        state.damage,
    )
    codes = _codes(np.array(units, dtype=np.int64), np.array(goals, dtype=np.int64), faction, standing, rails(w))
    out: list[int] = codes.tolist()
    return out


@kernel
def _codes(units: IntArray, goals: IntArray, faction: int, standing: Standing, rails: Rails) -> IntArray:
    """The checks in the order a player hears them: not yours or not on the map, there already, outside the
    contingent's region, the enemy's, no open way. The pieces of network a unit can travel within are worked out
    once per region it is held to."""
    n_regions, ns = standing.region_mask.shape
    open_track = standing.damage == 0
    labels = np.empty((n_regions + 1, ns), dtype=np.int64)  # row 0 for units held to no region
    known = np.zeros(n_regions + 1, dtype=np.bool_)
    out = np.empty(units.shape[0], dtype=np.int64)
    for k in range(units.shape[0]):
        u, to = units[k], goals[k]
        if standing.faction[u] != faction or standing.status[u] != ACTIVE:
            out[k] = NOT_AT_HAND
            continue
        here = standing.station[u]
        c = standing.contingent[u]
        region = standing.region[c] if c >= 0 else -1
        if here == to:
            out[k] = ALREADY_THERE
            continue
        if region >= 0 and not standing.region_mask[region, to]:
            out[k] = OUT_OF_REGION
            continue
        if standing.hostile[faction, to]:
            out[k] = HELD_BY_ENEMY
            continue
        a, b = here, here
        if here < 0:
            a, b = rails.seg_a[standing.segment[u]], rails.seg_b[standing.segment[u]]
        if region >= 0 and not (standing.region_mask[region, a] and standing.region_mask[region, b]):
            region = -1  # standing outside its region, it may travel anywhere passable on the way back
        if not known[region + 1]:
            ok = ~standing.hostile[faction]
            if region >= 0:
                ok &= standing.region_mask[region]
            labels[region + 1] = label_pieces(ns, rails.seg_a, rails.seg_b, ok, open_track)
            known[region + 1] = True
        out[k] = MOVE_OK if _joined(labels[region + 1], rails, open_track, (a, b, here), to) else NO_WAY
    return out


@kernel
def _joined(labels: IntArray, rails: Rails, open_track: BoolArray, ends: tuple[int, int, int], to: int) -> bool:
    """Whether `to` lies in a piece of network the unit sets out into: from the ends it stands at or between
    (`ends` is both of them and the station it stands at, -1 on the line), or, cornered in a station it may not
    pass, from any open neighbour it may pull out to."""
    a, b, here = ends
    if labels[to] < 0:
        return False
    if labels[a] >= 0 or labels[b] >= 0:
        return bool((labels[a] >= 0 and labels[a] == labels[to]) or (labels[b] >= 0 and labels[b] == labels[to]))
    if here < 0:
        return False
    for j in range(rails.first[here], rails.first[here + 1]):
        o = rails.other[j]
        if labels[o] >= 0 and open_track[rails.link_segment[j]] and labels[o] == labels[to]:
            return True
    return False
