"""The summary of a batch, kept as running statistics while games stream in.

Nothing per game is kept: win counts, running means, counts of milestone turns and, for the over-time plots,
how many games had each key city in each side's hands on each turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from anabasis.engine.world import IntArray, World
from anabasis.sim.game import Outcome
from anabasis.sim.milestones import key_cities, milestone_names
from anabasis.sim.stats import Mean, TurnCounts, wilson

DRAW = "draw"


def _interval(m: Mean, digits: int) -> dict[str, float]:
    low, high = m.interval()
    return {"mean": round(m.mean, digits), "low": round(low, digits), "high": round(high, digits)}


def _spread(m: Mean, digits: int) -> dict[str, float]:
    return {
        **_interval(m, digits),
        "sd": round(m.sd, digits),
        "min": round(m.low, digits),
        "max": round(m.high, digits),
    }


@dataclass
class BatchSummary:
    """Running statistics of a batch's games, fed in game order."""

    world: World
    length: int  # turns in the over-time series
    games: int = 0
    wins: dict[str, int] = field(default_factory=dict)
    side_points: dict[str, Mean] = field(default_factory=dict)
    faction_points: dict[str, Mean] = field(default_factory=dict)
    evacuated: dict[str, Mean] = field(default_factory=dict)
    casualties: dict[str, Mean] = field(default_factory=dict)
    turns: Mean = field(default_factory=Mean)
    battles: Mean = field(default_factory=Mean)
    milestones: dict[str, TurnCounts] = field(default_factory=dict)
    held: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # side x turn x key city
    legion_evacuated: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # summed by turn

    def __post_init__(self) -> None:
        w = self.world
        self.wins = dict.fromkeys([*w.side_ids, DRAW], 0)
        self.side_points = {side: Mean() for side in w.side_ids}
        for table in (self.faction_points, self.evacuated, self.casualties):
            table.update({f: Mean() for f in w.faction_ids})
        self.milestones = {key: TurnCounts() for key in milestone_names(w)}
        self.held = np.zeros((len(w.side_ids), self.length, len(key_cities(w))), dtype=np.int64)
        self.legion_evacuated = np.zeros(self.length, dtype=np.int64)

    def add(self, outcome: Outcome) -> None:
        row = outcome.row
        self.games += 1
        self.wins[row["winner"]] += 1
        for side, m in self.side_points.items():
            m.add(row[f"side_points.{side}"])
        for name, table in (
            ("faction_points", self.faction_points),
            ("evacuated", self.evacuated),
            ("casualties", self.casualties),
        ):
            for f, m in table.items():
                m.add(row[f"{name}.{f}"])
        self.turns.add(row["turns"])
        self.battles.add(row["battles"])
        for key, turn in outcome.milestones.items():
            self.milestones[key].add(turn)
        held = outcome.timeline.held
        for k in range(len(self.world.side_ids)):
            self.held[k] += held == k
        self.legion_evacuated += outcome.timeline.legion_evacuated

    def to_dict(self) -> dict[str, Any]:
        """The statistics as JSON-ready data with fixed rounding, so equal batches give equal files."""
        n = self.games
        names = milestone_names(self.world)
        return {
            "games": n,
            "wins": {
                side: {"games": k, "rate": round(k / n, 4), **_bounds(wilson(k, n))} for side, k in self.wins.items()
            },
            "points": {side: _spread(m, 2) for side, m in self.side_points.items()},
            "faction_points": {f: _interval(m, 2) for f, m in self.faction_points.items()},
            "evacuated": {f: _interval(m, 1) for f, m in self.evacuated.items()},
            "casualties": {f: _interval(m, 1) for f, m in self.casualties.items()},
            "turns": _spread(self.turns, 2),
            "battles": _spread(self.battles, 2),
            "key_dates": {
                key: {
                    "name": names[key],
                    "median": _date(self.world, counts.median()),
                    "games": counts.happened,
                    "never": round(counts.never / n, 4),
                }
                for key, counts in self.milestones.items()
            },
        }

    def timeline_dict(self) -> dict[str, Any]:
        """The over-time averages behind the plots: share of games each side held each key city, by turn."""
        w = self.world
        n = max(self.games, 1)
        return {
            "dates": [w.date_of(t).isoformat() for t in range(self.length)],
            "cities": [w.station_ids[k] for k in key_cities(w)],
            "held_by_side": {side: np.round(self.held[k] / n, 4).tolist() for k, side in enumerate(w.side_ids)},
            "legion_evacuated_mean": np.round(self.legion_evacuated / n, 1).tolist(),
        }


def _bounds(pair: tuple[float, float]) -> dict[str, float]:
    return {"low": round(pair[0], 4), "high": round(pair[1], 4)}


def _date(world: World, turn: int | None) -> str | None:
    return None if turn is None else world.date_of(turn).isoformat()
