"""A summary of a scenario for its author: the network, the forces and the timeline at a glance."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from anabasis.scenario.models import Scenario


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
    )
