"""Victory points from each faction's objectives, the end of the game, and its result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from anabasis.engine.state import ACTIVE, WAITING, GameState
from anabasis.engine.world import OBJECTIVE_KINDS, WAR, IntArray

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


def _holdings(state: GameState) -> tuple[IntArray, IntArray]:
    """For each objective: the stations its faction (or the holders it names) hold, and the stockpiles
    still there and out of enemy hands."""
    w = state.world
    faction = w.objective_faction
    holder = state.control
    counts = w.objective_holders[:, np.maximum(holder, 0)] & (holder >= 0)[None, :]
    held = np.count_nonzero(w.objective_stations & counts, axis=1)
    holders = state.control[w.stockpile_station]
    enemy = (holders[None, :] >= 0) & (state.stance[faction[:, None], np.maximum(holders, 0)[None, :]] == WAR)
    kept = np.count_nonzero(w.objective_stockpiles & (state.stockpile_tons > 0)[None, :] & ~enemy, axis=1)
    return held, kept


def score_turn(state: GameState, casualties_before: IntArray, evacuated_before: IntArray) -> None:
    """Add this turn's points: holdings and kept stockpiles count each turn, men shipped or killed as they go."""
    w = state.world
    t = state.turn
    live = (w.objective_first <= t) & (t <= w.objective_last)
    if not np.any(live):
        return
    kind = w.objective_kind
    key = state.control.tobytes() + state.stance.tobytes() + (state.stockpile_tons > 0).tobytes()
    held, kept = w.memo("holdings", key, lambda: _holdings(state))
    shipped = (state.evacuated - evacuated_before)[w.objective_of] / 1000.0
    killed = (state.casualties - casualties_before)[w.objective_of] / 1000.0
    count = np.select([kind == HOLD, kind == EVACUATE, kind == STOCKPILE], [held, shipped, kept], killed)
    state.points += np.where(live, w.objective_points * count, 0.0)


def decided(state: GameState) -> bool:
    """True when a side has nobody left on the map and nobody due to arrive (reserves may never be called)."""
    w = state.world
    present = (state.status == ACTIVE) | (state.status == WAITING)
    men = np.bincount(w.unit_faction[present], weights=state.men[present], minlength=w.n_factions)
    return any(not np.any(men[w.side_of == side] > 0) for side in range(len(w.side_ids)))


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
