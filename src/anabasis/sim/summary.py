"""The summary of a batch, kept as running statistics while games stream in.

Nothing per game is kept: win counts, running means, counts of milestone turns and, for the over-time plots,
how many games had each key city in each side's hands on each turn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from anabasis.engine.world import IntArray, World
from anabasis.scenario.keydates import key_dates
from anabasis.sim.game import Outcome
from anabasis.sim.milestones import key_cities
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
        self.milestones = {key: TurnCounts() for key in key_dates(w.scenario)}
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
        names = key_dates(self.world.scenario)
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
                    **_beside_history(self.world, key, counts.median()),
                }
                for key, counts in self.milestones.items()
            },
        }

    def running(self) -> dict[str, Any]:
        """The accumulators themselves, JSON-ready and exact (floats round-trip), so a batch can go on later."""
        return {
            "games": self.games,
            "wins": dict(self.wins),
            "means": {name: {key: _mean_state(m) for key, m in table.items()} for name, table in self._means().items()},
            "turns": _mean_state(self.turns),
            "battles": _mean_state(self.battles),
            "milestones": {
                key: {"counts": [[t, k] for t, k in sorted(c.counts.items())], "never": c.never}
                for key, c in self.milestones.items()
            },
            "held": self.held.tolist(),
            "legion_evacuated": self.legion_evacuated.tolist(),
        }

    @classmethod
    def resumed(cls, world: World, length: int, data: dict[str, Any]) -> BatchSummary:
        """The statistics as `running()` left them; ValueError when `data` does not fit this world and length."""
        out = cls(world, length)
        try:
            out.games = int(data["games"])
            _fill(out.wins, {k: int(v) for k, v in data["wins"].items()}, "wins")
            for name, table in out._means().items():
                _fill(table, {k: _mean_of(v) for k, v in data["means"][name].items()}, name)
            out.turns, out.battles = _mean_of(data["turns"]), _mean_of(data["battles"])
            milestones = {}
            for key, c in data["milestones"].items():
                milestones[key] = TurnCounts({int(t): int(k) for t, k in c["counts"]}, int(c["never"]))
            _fill(out.milestones, milestones, "milestones")
            held = np.array(data["held"], dtype=np.int64)
            evacuated = np.array(data["legion_evacuated"], dtype=np.int64)
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
            raise ValueError(f"the running statistics are damaged ({type(error).__name__}: {error})") from None
        if held.shape != out.held.shape or evacuated.shape != out.legion_evacuated.shape:
            raise ValueError("the running statistics are for another calendar or other key cities")
        out.held, out.legion_evacuated = held, evacuated
        return out

    def _means(self) -> dict[str, dict[str, Mean]]:
        """The running means kept per side or faction, by table."""
        return {
            "side_points": self.side_points,
            "faction_points": self.faction_points,
            "evacuated": self.evacuated,
            "casualties": self.casualties,
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


def _mean_state(m: Mean) -> list[float]:
    """A running mean as numbers; the extremes are left out while there are none (JSON has no infinity)."""
    return [m.n, m.mean, m.m2] + ([m.low, m.high] if m.n else [])


def _mean_of(values: list[float]) -> Mean:
    """A running mean from `_mean_state`; the extremes keep their type (a whole number is shown as one)."""
    n, mean, m2, *extremes = values
    low, high = extremes if extremes else (math.inf, -math.inf)
    if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in (low, high)):
        raise ValueError(f"{low!r} and {high!r} are not numbers")
    return Mean(int(n), float(mean), float(m2), low, high)


def _fill(table: dict[str, Any], values: dict[str, Any], name: str) -> None:
    """Replace a table's entries, which must be exactly the ones it has."""
    if set(values) != set(table):
        raise ValueError(f"{name} has {sorted(values)}, not {sorted(table)}")
    table.update(values)


def _bounds(pair: tuple[float, float]) -> dict[str, float]:
    return {"low": round(pair[0], 4), "high": round(pair[1], 4)}


def _beside_history(world: World, key: str, median: int | None) -> dict[str, Any]:
    """The real date of a key date, where the scenario gives one, and how many weeks later the games' median
    came (negative: earlier)."""
    real = next((mark.date for mark in world.scenario.history if mark.milestone == key), None)
    if real is None:
        return {"history": None, "weeks_after_history": None}
    after = None if median is None else round((world.date_of(median) - real).days / 7, 1)
    return {"history": real.isoformat(), "weeks_after_history": after}


def _date(world: World, turn: int | None) -> str | None:
    return None if turn is None else world.date_of(turn).isoformat()
