"""Events and decisions over a batch: how often each event fired, and when; how often each option of a decision
was taken, and how the games went after each (who won, the points, the key dates), counted from the games' rows.

A decision's games are split into a branch for each option, and one for the games in which it was never answered
(its event never fired, or the game stopped first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from anabasis.engine.world import World
from anabasis.scenario.keydates import key_dates
from anabasis.sim.stats import Mean, TurnCounts, share

DRAW = "draw"


def _date(world: World, turn: int | None) -> str | None:
    return None if turn is None else world.date_of(turn).isoformat()


@dataclass
class Branch:
    """The games in which one option of a decision was taken (or none was): who won, the points, the key dates."""

    games: int = 0
    wins: dict[str, int] = field(default_factory=dict)
    points: dict[str, Mean] = field(default_factory=dict)  # by side
    key_dates: dict[str, TurnCounts] = field(default_factory=dict)

    @classmethod
    def empty(cls, world: World) -> Branch:
        return cls(
            wins=dict.fromkeys([*world.side_ids, DRAW], 0),
            points={side: Mean() for side in world.side_ids},
            key_dates={key: TurnCounts() for key in key_dates(world.scenario)},
        )

    def add(self, row: dict[str, Any], milestones: dict[str, int | None]) -> None:
        self.games += 1
        self.wins[row["winner"]] += 1
        for side, m in self.points.items():
            m.add(row[f"side_points.{side}"])
        for key, turn in milestones.items():
            self.key_dates[key].add(turn)

    def state(self) -> dict[str, Any]:
        return {
            "games": self.games,
            "wins": dict(self.wins),
            "points": {side: m.state() for side, m in self.points.items()},
            "key_dates": {key: c.state() for key, c in self.key_dates.items()},
        }

    @classmethod
    def of_state(cls, world: World, data: dict[str, Any]) -> Branch:
        out = cls.empty(world)
        wins = {side: int(k) for side, k in data["wins"].items()}
        points = {side: Mean.of_state(m) for side, m in data["points"].items()}
        dates = {key: TurnCounts.of_state(c) for key, c in data["key_dates"].items()}
        if set(wins) != set(out.wins) or set(points) != set(out.points) or set(dates) != set(out.key_dates):
            raise ValueError("a decision's branch is for other sides or key dates")
        out.games, out.wins, out.points, out.key_dates = int(data["games"]), wins, points, dates
        return out

    def to_dict(self, world: World, games: int) -> dict[str, Any]:
        """The branch's share of all `games`, its win rates, mean points and key dates."""
        return {
            **share(self.games, games),
            "wins": {side: share(k, self.games) for side, k in self.wins.items()},
            "points": {side: m.to_dict(2) for side, m in self.points.items()},
            "key_dates": {
                key: {
                    "median": _date(world, c.median()),
                    "games": c.happened,
                    "never": round(c.never / self.games, 4) if self.games else 0.0,
                }
                for key, c in self.key_dates.items()
            },
        }


@dataclass
class Decision:
    """A decision's games, split by the option taken."""

    options: dict[str, Branch]
    undecided: Branch

    def state(self) -> dict[str, Any]:
        return {
            "options": {o: b.state() for o, b in self.options.items()},
            "undecided": self.undecided.state(),
        }


@dataclass
class EventCoverage:
    """Running counts of the events fired and the decisions taken, fed each game's row in game order."""

    world: World
    games: int = 0
    fired: dict[str, TurnCounts] = field(default_factory=dict)  # event id -> the turn it fired
    decisions: dict[str, Decision] = field(default_factory=dict)  # event id -> its decision's branches

    def __post_init__(self) -> None:
        w = self.world
        self.fired = {e.id: TurnCounts() for e in w.events}
        self.decisions = {
            e.id: Decision({o[0]: Branch.empty(w) for o in e.options}, Branch.empty(w)) for e in w.events if e.options
        }

    def add(self, row: dict[str, Any], milestones: dict[str, int | None]) -> None:
        self.games += 1
        for event, counts in self.fired.items():
            counts.add(row[f"fired.{event}"])
        for event, decision in self.decisions.items():
            taken = row[f"chosen.{event}"]
            (decision.undecided if taken is None else decision.options[taken]).add(row, milestones)

    def running(self) -> dict[str, Any]:
        return {
            "games": self.games,
            "fired": {event: c.state() for event, c in self.fired.items()},
            "decisions": {event: d.state() for event, d in self.decisions.items()},
        }

    @classmethod
    def resumed(cls, world: World, data: dict[str, Any]) -> EventCoverage:
        """The counts as `running()` left them; ValueError (or KeyError, TypeError) when they do not fit."""
        out = cls(world)
        fired = {event: TurnCounts.of_state(c) for event, c in data["fired"].items()}
        decisions = {
            event: Decision(
                {o: Branch.of_state(world, b) for o, b in d["options"].items()},
                Branch.of_state(world, d["undecided"]),
            )
            for event, d in data["decisions"].items()
        }
        same_options = all(set(decisions[e].options) == set(d.options) for e, d in out.decisions.items())
        if set(fired) != set(out.fired) or set(decisions) != set(out.decisions) or not same_options:
            raise ValueError("the events or decisions are not the scenario's")
        out.games, out.fired, out.decisions = int(data["games"]), fired, decisions
        return out

    def events_dict(self) -> dict[str, Any]:
        """Event id -> its name, the share of games in which it fired (Wilson 95% interval) and its median date."""
        w = self.world
        out = {}
        for e in w.events:
            fired = self.fired[e.id]
            out[e.id] = {"name": e.name, **share(fired.happened, self.games), "median": _date(w, fired.median())}
        return out

    def decisions_dict(self) -> dict[str, Any]:
        """Decision id -> who decides, history's choice, and each option's (and no answer's) games and outcome."""
        w = self.world
        out = {}
        for e in w.events:
            if not e.options:
                continue
            d = self.decisions[e.id]
            out[e.id] = {
                "name": e.name,
                "faction": w.faction_ids[e.decision_faction],
                "default": e.options[e.default_option][0],
                "options": {
                    oid: {"label": label, **d.options[oid].to_dict(w, self.games)} for oid, label, _ in e.options
                },
                "undecided": d.undecided.to_dict(w, self.games),
            }
        return out
