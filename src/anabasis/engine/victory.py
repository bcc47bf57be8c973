"""Victory points from each faction's objectives, the end of the game, and its result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from anabasis.engine.jit import kernel
from anabasis.engine.state import ACTIVE, WAITING, GameState
from anabasis.engine.world import OBJECTIVE_KINDS, WAR, BoolArray, FloatArray, IntArray

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


def counting(state: GameState) -> tuple[BoolArray, BoolArray]:
    """Objective by station: the stations that score for it now, held by its faction (or a holder it names);
    objective by stockpile: the stockpiles it keeps, still there and out of enemy hands."""
    w = state.world
    faction = w.objective_faction
    holder = state.control
    counts = w.objective_holders[:, np.maximum(holder, 0)] & (holder >= 0)[None, :]
    holders = state.control[w.stockpile_station]
    enemy = (holders[None, :] >= 0) & (state.stance[faction[:, None], np.maximum(holders, 0)[None, :]] == WAR)
    return w.objective_stations & counts, w.objective_stockpiles & (state.stockpile_tons > 0)[None, :] & ~enemy


def _holdings(state: GameState) -> tuple[IntArray, IntArray]:
    """For each objective: how many of its stations, and of its stockpiles, score for it now."""
    stations, stockpiles = counting(state)
    return np.count_nonzero(stations, axis=1), np.count_nonzero(stockpiles, axis=1)


def score_turn(state: GameState, casualties_before: IntArray, evacuated_before: IntArray) -> None:
    """Add this turn's points: holdings and kept stockpiles count each turn, men shipped or killed as they go."""
    w = state.world
    t = state.turn
    live = (w.objective_first <= t) & (t <= w.objective_last)
    if not np.any(live):
        return
    key = state.control.tobytes() + state.stance.tobytes() + (state.stockpile_tons > 0).tobytes()
    held, kept = w.memo("holdings", key, lambda: _holdings(state))
    objectives = Objectives(w.objective_kind, w.objective_of, w.objective_points, w.objective_first, w.objective_last)
    shipped, killed = state.evacuated - evacuated_before, state.casualties - casualties_before
    _score(objectives, t, (held, kept, shipped, killed), state.points)


class Objectives(NamedTuple):
    """The objectives' kinds, factions, points per unit and the turns they count, for the kernel."""

    kind: IntArray
    of: IntArray
    points: FloatArray
    first: IntArray
    last: IntArray


@kernel
def _score(
    objectives: Objectives, turn: int, counts: tuple[IntArray, IntArray, IntArray, IntArray], points: FloatArray
) -> None:
    """Add each live objective's points in place: per station held or stockpile kept, per 1,000 men shipped out
    or killed (`counts`: by objective its stations held and stockpiles kept, then by faction the men shipped out
    and killed this turn)."""
    held, kept, shipped, killed = counts
    for k in range(points.shape[0]):
        value = 0.0
        if objectives.first[k] <= turn <= objectives.last[k]:
            kind = objectives.kind[k]
            if kind == HOLD:
                count = float(held[k])
            elif kind == EVACUATE:
                count = shipped[objectives.of[k]] / 1000.0
            elif kind == STOCKPILE:
                count = float(kept[k])
            else:
                count = killed[objectives.of[k]] / 1000.0
            value = objectives.points[k] * count
        points[k] += value


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
