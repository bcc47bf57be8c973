"""Victory points from each faction's objectives, the end of the game, and its result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from anabasis.engine.jit import kernel
from anabasis.engine.state import ACTIVE, WAITING, GameState
from anabasis.engine.world import OBJECTIVE_KINDS, WAR, BoolArray, FloatArray, IntArray, World

HOLD, EVACUATE, STOCKPILE, DESTROY = range(len(OBJECTIVE_KINDS))


@dataclass(frozen=True)
class Result:
    """How a game ended: the winning side (or `draw`), points by side, faction and objective."""

    winner: str
    reason: str
    turns: int
    sides: dict[str, float]
    factions: dict[str, float]
    objectives: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "winner": self.winner,
            "reason": self.reason,
            "turns": self.turns,
            "points": self.sides,
            "factions": self.factions,
            "objectives": self.objectives,
        }


# The objectives for the kernels, by objective: kind, faction, the faction whose men count, points, first and last
# turn; objective x station, x faction and x stockpile: its stations, whose holding of them counts, its stockpiles;
# then by stockpile the station it lies at. A plain tuple: numba takes one faster than a NamedTuple.
Objectives = tuple[
    IntArray, IntArray, IntArray, FloatArray, IntArray, IntArray, BoolArray, BoolArray, BoolArray, IntArray
]


def objectives(world: World) -> Objectives:
    """The world's `Objectives`."""
    w = world
    return (
        w.objective_kind,
        w.objective_faction,
        w.objective_of,
        w.objective_points,
        w.objective_first,
        w.objective_last,
        w.objective_stations,
        w.objective_holders,
        w.objective_stockpiles,
        w.stockpile_station,
    )


def counting(state: GameState) -> tuple[BoolArray, BoolArray]:
    """Objective by station: the stations that score for it now, held by its faction (or a holder it names);
    objective by stockpile: the stockpiles it keeps, still there and out of enemy hands."""
    w = state.world
    out = (np.empty(w.objective_stations.shape, np.bool_), np.empty(w.objective_stockpiles.shape, np.bool_))
    _counting(objectives(w), (state.control, state.stance, state.stockpile_tons), out)
    return out


@kernel
def _counting(
    objectives: Objectives, holdings: tuple[IntArray, IntArray, FloatArray], out: tuple[BoolArray, BoolArray]
) -> None:
    """`counting`, into `out` (`holdings`: who holds each station, the stances, the stockpiles' tons)."""
    _, faction, _, _, _, _, stations, holders, stockpiles, stockpile_station = objectives
    control, stance, tons = holdings
    held, kept = out
    for k in range(held.shape[0]):
        for s in range(held.shape[1]):
            held[k, s] = stations[k, s] and control[s] >= 0 and holders[k, control[s]]
        for p in range(kept.shape[1]):
            holder = control[stockpile_station[p]]
            enemy = holder >= 0 and stance[faction[k], holder] == WAR
            kept[k, p] = stockpiles[k, p] and tons[p] > 0 and not enemy


@kernel
def score_turn(
    objectives: Objectives,
    turn: int,
    holdings: tuple[IntArray, IntArray, FloatArray],
    men: tuple[IntArray, IntArray, IntArray, IntArray],
    points: FloatArray,
) -> None:
    """Add each live objective's points in place: per station held or stockpile kept, per 1,000 men shipped out
    or killed this turn (`holdings`: who holds each station, the stances, the stockpiles' tons; `men` by faction:
    shipped out in all and before this turn, killed in all and before this turn)."""
    kind, _, of, value, first, last = objectives[:6]
    live = False
    for k in range(points.shape[0]):
        live = live or first[k] <= turn <= last[k]
    if not live:
        return
    held = np.empty(objectives[6].shape, dtype=np.bool_)
    kept = np.empty(objectives[8].shape, dtype=np.bool_)
    _counting(objectives, holdings, (held, kept))
    evacuated, evacuated_before, casualties, casualties_before = men
    for k in range(points.shape[0]):
        gained = 0.0
        if first[k] <= turn <= last[k]:
            if kind[k] == HOLD:
                count = float(np.count_nonzero(held[k]))
            elif kind[k] == EVACUATE:
                count = (evacuated[of[k]] - evacuated_before[of[k]]) / 1000.0
            elif kind[k] == STOCKPILE:
                count = float(np.count_nonzero(kept[k]))
            else:
                count = (casualties[of[k]] - casualties_before[of[k]]) / 1000.0
            gained = value[k] * count
        points[k] += gained


def decided(state: GameState) -> bool:
    """True when a side has nobody left on the map and nobody due to arrive (reserves may never be called)."""
    w = state.world
    return _side_gone(state.status, w.unit_faction, state.men, w.side_of, len(w.side_ids))


@kernel
def _side_gone(status: IntArray, faction: IntArray, men: IntArray, side_of: IntArray, n_sides: int) -> bool:
    men_by_faction = np.zeros(side_of.shape[0])
    for u in range(status.shape[0]):
        if status[u] == ACTIVE or status[u] == WAITING:
            men_by_faction[faction[u]] += men[u]
    alive = np.zeros(n_sides, dtype=np.bool_)
    for f in range(side_of.shape[0]):
        if side_of[f] >= 0 and men_by_faction[f] > 0:
            alive[side_of[f]] = True
    return not alive.all()


def result(state: GameState) -> Result:
    """The result as it stands (final once `state.ended`)."""
    w = state.world
    sides = state.side_points()
    order = np.argsort(-sides, kind="stable")
    top = float(sides[order[0]])
    winner = "draw" if len(sides) > 1 and abs(top - float(sides[order[1]])) < 1e-9 else w.side_ids[int(order[0])]
    factions = state.faction_points()
    return Result(
        winner=winner,
        reason="date" if state.turn >= w.turns else "decided" if state.ended else "in progress",
        turns=state.turn,
        sides={sid: round(float(p), 2) for sid, p in zip(w.side_ids, sides, strict=True)},
        factions={fid: round(float(p), 2) for fid, p in zip(w.faction_ids, factions, strict=True)},
        objectives={o.id: round(float(state.points[k]), 2) for k, o in enumerate(w.objectives)},
    )
