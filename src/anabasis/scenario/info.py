"""A summary of a scenario for its author: the network, the forces and the timeline at a glance."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from anabasis.scenario.confidence import Tally, tally
from anabasis.scenario.models import Rules, Scenario


@dataclass(frozen=True)
class ForceLine:
    """Men of one faction's contingent: on the map at the start, arriving later, held in reserve."""

    faction: str
    contingent: str
    units: int
    at_start: int
    arriving: int
    reserve: int


@dataclass(frozen=True)
class Rule:
    """A rule's value in the scenario, and its default."""

    name: str
    value: object
    default: object

    @property
    def changed(self) -> bool:
        return self.value != self.default


@dataclass(frozen=True)
class Summary:
    """What `anabasis info` shows."""

    title: str
    span: str
    turns: int
    stations_by_kind: dict[str, int]
    stations_by_theatre: dict[str, int]
    km_by_line: dict[str, float]
    forces: list[ForceLine]
    events_by_year: dict[int, int]
    decisions: int
    rules: list[Rule]
    sources: Tally


def rules_in_effect(rules: Rules) -> list[Rule]:
    """Every rule with its value and its default, in the order the rules define them."""
    return [
        Rule(name, getattr(rules, name), info.get_default(call_default_factory=True))
        for name, info in Rules.model_fields.items()
    ]


def summarize(s: Scenario) -> Summary:
    """Count what the scenario holds."""
    meta = s.meta
    km: dict[str, float] = defaultdict(float)
    for seg in s.segments:
        km[seg.line] += seg.km
    forces: dict[tuple[str, str], list[int]] = {}
    for u in s.units:
        row = forces.setdefault((u.faction, u.contingent or "-"), [0, 0, 0, 0])
        row[0] += 1
        row[1 + (2 if u.reserve else 1 if u.arrives else 0)] += u.men
    years = Counter(e.date.year if e.date else 0 for e in s.events)
    return Summary(
        title=meta.title,
        span=f"{meta.start} to {meta.end}",
        turns=(meta.end - meta.start).days // meta.turn_days + 1,
        stations_by_kind=dict(Counter(st.kind for st in s.stations)),
        stations_by_theatre=dict(Counter(st.theatre for st in s.stations)),
        km_by_line=dict(sorted(km.items(), key=lambda kv: -kv[1])),
        forces=[ForceLine(f, c, *row) for (f, c), row in forces.items()],
        events_by_year=dict(sorted(years.items())),
        decisions=sum(e.decision is not None for e in s.events),
        rules=rules_in_effect(s.rules),
        sources=tally(s),
    )
