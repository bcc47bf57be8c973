"""The summary of a batch, kept as running statistics while games stream in.

Nothing per game is kept: win counts, running means, counts of milestone and event turns, the games in which
each faction held each station each week, and histograms of the curves over time (see `curves`). The shape of
`summary.json` and `timeline.json` is documented field by field in docs/batch-outputs.md: change both together,
and raise VERSION when a field changes meaning or goes away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from anabasis.engine.world import World
from anabasis.scenario.keydates import LAST_SHIPPED, key_dates
from anabasis.sim.coverage import DRAW, EventCoverage
from anabasis.sim.curves import CurveBands
from anabasis.sim.game import Outcome
from anabasis.sim.holders import HolderCounts
from anabasis.sim.losses import loss_buckets
from anabasis.sim.milestones import key_cities
from anabasis.sim.stats import Mean, TurnCounts, share

# The shapes of summary.json, timeline.json and a sweep's own summary.json, all of the same VERSION.
FORMAT, TIMELINE_FORMAT, SWEEP_FORMAT = "anabasis-summary", "anabasis-timeline", "anabasis-sweep"
VERSION = 1
SPREAD = (0.1, 0.9)  # the middle 80% of the games where a key date happened
HISTORY_WEEKS = 2  # a key date's median this close to history counts as retracing it
EVACUATION_WEEKS = 4  # the evacuation's end, a slow business of ships, is given more


def _spread(m: Mean, digits: int) -> dict[str, float]:
    return {
        **m.to_dict(digits),
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
    objective_points: dict[str, Mean] = field(default_factory=dict)
    evacuated: dict[str, Mean] = field(default_factory=dict)
    casualties: dict[str, Mean] = field(default_factory=dict)
    contingent_casualties: dict[str, Mean] = field(default_factory=dict)
    turns: Mean = field(default_factory=Mean)
    battles: Mean = field(default_factory=Mean)
    milestones: dict[str, TurnCounts] = field(default_factory=dict)
    coverage: EventCoverage = field(init=False)
    holders: HolderCounts = field(init=False)
    curves: CurveBands = field(init=False)

    def __post_init__(self) -> None:
        w = self.world
        self.wins = dict.fromkeys([*w.side_ids, DRAW], 0)
        self.side_points = {side: Mean() for side in w.side_ids}
        for table in (self.faction_points, self.evacuated, self.casualties):
            table.update({f: Mean() for f in w.faction_ids})
        self.objective_points = {o.id: Mean() for o in w.objectives}
        self.contingent_casualties = {bucket.key: Mean() for bucket in loss_buckets(w)[0]}
        self.milestones = {key: TurnCounts() for key in key_dates(w.scenario)}
        self.coverage = EventCoverage(w)
        self.holders = HolderCounts(w, self.length)
        self.curves = CurveBands(w, self.length)

    def add(self, outcome: Outcome) -> None:
        row = outcome.row
        self.games += 1
        self.wins[row["winner"]] += 1
        for name, table in self._means().items():
            for key, m in table.items():
                m.add(row[f"{name}.{key}"])
        self.turns.add(row["turns"])
        self.battles.add(row["battles"])
        for key, turn in outcome.milestones.items():
            self.milestones[key].add(turn)
        self.coverage.add(row, outcome.milestones)
        self.holders.add(outcome.timeline.holder)
        self.curves.add(outcome.timeline.curves)

    def to_dict(self) -> dict[str, Any]:
        """The statistics as JSON-ready data with fixed rounding, so equal batches give equal files."""
        n = self.games
        w = self.world
        names = key_dates(w.scenario)
        buckets = {b.key: b for b in loss_buckets(w)[0]}
        dates = {
            key: {
                "name": names[key],
                "median": _date(w, counts.median()),
                "spread": [_date(w, counts.quantile(SPREAD[0])), _date(w, counts.quantile(SPREAD[1]))],
                "games": counts.happened,
                "never": round(counts.never / n, 4),
                **_beside_history(w, key, counts.median()),
            }
            for key, counts in self.milestones.items()
        }
        return {
            "games": n,
            "wins": {side: share(k, n) for side, k in self.wins.items()},
            "points": {side: _spread(m, 2) for side, m in self.side_points.items()},
            "faction_points": {f: m.to_dict(2) for f, m in self.faction_points.items()},
            "objective_points": {
                o.id: {"name": o.name, "faction": w.faction_ids[o.faction], **self.objective_points[o.id].to_dict(2)}
                for o in w.objectives
            },
            "evacuated": {f: m.to_dict(1) for f, m in self.evacuated.items()},
            "casualties": {f: m.to_dict(1) for f, m in self.casualties.items()},
            "contingent_casualties": {
                key: {
                    "faction": buckets[key].faction,
                    "contingent": buckets[key].contingent,
                    "name": buckets[key].name,
                    **m.to_dict(1),
                }
                for key, m in self.contingent_casualties.items()
            },
            "turns": _spread(self.turns, 2),
            "battles": _spread(self.battles, 2),
            "key_dates": dates,
            "history": _against_history(dates),
            "events": self.coverage.events_dict(),
            "decisions": self.coverage.decisions_dict(),
        }

    def running(self) -> dict[str, Any]:
        """The accumulators themselves, JSON-ready and exact (floats round-trip), so a batch can go on later."""
        return {
            "games": self.games,
            "wins": dict(self.wins),
            "means": {name: {key: m.state() for key, m in table.items()} for name, table in self._means().items()},
            "turns": self.turns.state(),
            "battles": self.battles.state(),
            "milestones": {key: c.state() for key, c in self.milestones.items()},
            "coverage": self.coverage.running(),
            "holders": self.holders.running(),
            "curves": self.curves.running(),
        }

    @classmethod
    def resumed(cls, world: World, length: int, data: dict[str, Any]) -> BatchSummary:
        """The statistics as `running()` left them; ValueError when `data` does not fit this world and length."""
        out = cls(world, length)
        try:
            out.games = int(data["games"])
            _fill(out.wins, {k: int(v) for k, v in data["wins"].items()}, "wins")
            for name, table in out._means().items():
                _fill(table, {k: Mean.of_state(v) for k, v in data["means"][name].items()}, name)
            out.turns, out.battles = Mean.of_state(data["turns"]), Mean.of_state(data["battles"])
            milestones = {key: TurnCounts.of_state(c) for key, c in data["milestones"].items()}
            _fill(out.milestones, milestones, "milestones")
            out.coverage = EventCoverage.resumed(world, data["coverage"])
            out.holders = HolderCounts.resumed(world, length, data["holders"])
            out.curves = CurveBands.resumed(world, length, data["curves"])
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
            raise ValueError(f"the running statistics are damaged ({type(error).__name__}: {error})") from None
        if not out.games == out.coverage.games == out.curves.games:
            raise ValueError("the running statistics disagree on the number of games")
        return out

    def _means(self) -> dict[str, dict[str, Mean]]:
        """The running means kept per side, faction, objective or contingent, by their rows' key prefix."""
        return {
            "side_points": self.side_points,
            "faction_points": self.faction_points,
            "objective_points": self.objective_points,
            "evacuated": self.evacuated,
            "casualties": self.casualties,
            "contingent_casualties": self.contingent_casualties,
        }

    def timeline_dict(self) -> dict[str, Any]:
        """The statistics over time: who held the stations, and the curves, week by week."""
        w = self.world
        n = max(self.games, 1)
        cities = key_cities(w)
        held = self.holders.by_side(cities)
        curves = self.curves.to_dict()
        return {
            "dates": [w.date_of(t).isoformat() for t in range(self.length)],
            "games": self.games,
            "cities": [w.station_ids[k] for k in cities],
            "held_by_side": {side: np.round(held[k] / n, 4).tolist() for k, side in enumerate(w.side_ids)},
            "station_holders": self.holders.to_dict(),
            "curves": curves,
        }


def _fill(table: dict[str, Any], values: dict[str, Any], name: str) -> None:
    """Replace a table's entries, which must be exactly the ones it has."""
    if set(values) != set(table):
        raise ValueError(f"{name} has {sorted(values)}, not {sorted(table)}")
    table.update(values)


def _against_history(key_dates: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """How many key dates with a real date had their median within two weeks of it (the last ships: four)."""
    dated = {key: date for key, date in key_dates.items() if date["history"] is not None}
    close = [
        key
        for key, date in dated.items()
        if date["weeks_after_history"] is not None
        and abs(date["weeks_after_history"]) <= (EVACUATION_WEEKS if key == LAST_SHIPPED else HISTORY_WEEKS)
    ]
    return {
        "dates": len(dated),
        "within": len(close),
        "share": round(len(close) / len(dated), 4) if dated else None,
        "weeks": HISTORY_WEEKS,
        "evacuation_weeks": EVACUATION_WEEKS,
    }


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
