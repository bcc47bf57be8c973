"""How much of a scenario rests on the documents, on estimates and on assumptions: its men, track and events.

A source without a `confidence` is `documented` when it cites a seed document and `estimated` when it cites
`history`: the project's `history` figures mostly come from reference tables that are themselves derived or
estimated (to about 5-15 per cent), and a reader cannot check them against the four documents.
"""

from __future__ import annotations

from dataclasses import dataclass

from anabasis.scenario.models import Confidence, Scenario, Source
from anabasis.scenario.sources import HISTORY

LEVELS: tuple[Confidence, ...] = ("documented", "estimated", "assumed")


def confidence_of(source: Source) -> Confidence:
    """The source's confidence, or its default (see the module's note)."""
    if source.confidence is not None:
        return source.confidence
    return "estimated" if source.doc == HISTORY else "documented"


@dataclass(frozen=True)
class Tally:
    """Men, km of track and events, by the confidence of their sources."""

    men: dict[Confidence, int]
    km: dict[Confidence, float]
    events: dict[Confidence, int]

    def shares(self, what: str) -> dict[Confidence, float]:
        """Each level's share (0 to 1) of `men`, `km` or `events`."""
        counts: dict[Confidence, float] = {level: float(n) for level, n in getattr(self, what).items()}
        total = sum(counts.values())
        return {level: n / total if total else 0.0 for level, n in counts.items()}

    def line(self) -> str:
        """One line for a reader: `Sources: men 61% documented, 39% estimated; track ...; events ...`."""
        parts = []
        for what, label in (("men", "men"), ("km", "track"), ("events", "events")):
            shares = self.shares(what)
            said = [f"{round(share * 100)}% {level}" for level, share in shares.items() if round(share * 100)]
            parts.append(f"{label} {', '.join(said) or 'none'}")
        return "Sources: " + "; ".join(parts)


def tally(scenario: Scenario) -> Tally:
    """Count the scenario's men (all its units), km of track and events by the confidence of their sources."""
    men: dict[Confidence, int] = dict.fromkeys(LEVELS, 0)
    km: dict[Confidence, float] = dict.fromkeys(LEVELS, 0.0)
    events: dict[Confidence, int] = dict.fromkeys(LEVELS, 0)
    for unit in scenario.units:
        men[confidence_of(unit.source)] += unit.men
    for segment in scenario.segments:
        km[confidence_of(segment.source)] += segment.km
    for event in scenario.events:
        events[confidence_of(event.source)] += 1
    return Tally(men, km, events)
