"""Victory points from each faction's objectives, the end of the game, and its result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from anabasis.engine.state import GameState, Status
from anabasis.engine.world import WAR, IntArray


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


def score_turn(state: GameState, casualties_before: IntArray, evacuated_before: IntArray) -> None:
    """Add this turn's points: holdings and kept stockpiles count each turn, men shipped or killed as they go."""
    w = state.world
    t = state.turn
    evac = state.evacuated - evacuated_before
    dead = state.casualties - casualties_before
    for k, o in enumerate(w.objectives):
        if not o.first_turn <= t <= o.last_turn:
            continue
        if o.kind == "hold":
            state.points[k] += o.points * int(np.count_nonzero(state.control[o.stations] == o.faction))
        elif o.kind == "stockpile":
            holders = state.control[w.stockpile_station[o.stockpiles]]
            safe = (state.stockpile_tons[o.stockpiles] > 0) & ~(
                (holders >= 0) & (state.stance[o.faction, np.maximum(holders, 0)] == WAR)
            )
            state.points[k] += o.points * int(np.count_nonzero(safe))
        elif o.kind == "evacuate":
            state.points[k] += o.points * int(evac[o.of]) / 1000.0
        elif o.kind == "destroy":
            state.points[k] += o.points * int(dead[o.of]) / 1000.0


def decided(state: GameState) -> bool:
    """True when a side has nobody left on the map and nobody still to come."""
    w = state.world
    present = (state.status == Status.ACTIVE) | (state.status == Status.WAITING) | (state.status == Status.RESERVE)
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
        reason="date" if state.turn >= w.turns else "decided",
        turns=state.turn,
        sides={sid: round(float(p), 2) for sid, p in zip(w.side_ids, sides, strict=True)},
        factions={fid: round(float(p), 2) for fid, p in zip(w.faction_ids, factions, strict=True)},
        objectives={o.id: round(float(state.points[k]), 2) for k, o in enumerate(w.objectives)},
    )
