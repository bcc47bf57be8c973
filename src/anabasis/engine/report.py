"""What happened in a turn, as plain values a player reads and a log stores byte for byte."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Refused:
    """An order the rules refused, and why."""

    faction: str
    order: str
    reason: str


@dataclass(frozen=True, slots=True)
class Moved:
    """A unit's journey this week: from where to where by way of which stations, and why it stopped short if it
    did. `via` holds every station reached in order (the last is `end` when the unit stopped at a station)."""

    unit: str
    start: str
    end: str
    km: float
    stopped: str = ""
    via: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Battle:
    """A battle for a station: who fought, the odds the attacker had, what it cost."""

    station: str
    attacker: str
    defender: str
    attackers: tuple[str, ...]
    defenders: tuple[str, ...]
    attack: float
    defence: float
    chance: float
    attacker_won: bool
    attacker_losses: int
    defender_losses: int
    retreats: tuple[tuple[str, str], ...] = ()
    destroyed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Shortage:
    """A unit that went short of supply; `men_lost` when hunger and cold thinned it."""

    unit: str
    supplied: float
    men_lost: int


@dataclass(frozen=True, slots=True)
class Happening:
    """An event that fired, a decision answered, a unit that arrived or left: a line in the log."""

    kind: str
    subject: str
    text: str


class Untold(Protocol):
    """The week's journeys as the movement phase computed them, not yet told as records."""

    def told(self) -> list[Moved]: ...


class _ToldWhenRead:
    """`Report.moves`, a `list[Moved]`: told from the movement phase's answer when first read, then kept like any
    field (a game the computer plays never reads its journeys, and telling them cost more than the moving)."""

    def __get__(self, report: Report | None, owner: object) -> list[Moved]:
        if report is None:
            raise AttributeError("the moves are a report's own")
        untold: Untold | None = report.__dict__.pop("_untold", None)
        moves: list[Moved] = untold.told() if untold is not None else []
        report.__dict__["moves"] = moves  # read from here on: the instance's value hides this descriptor
        return moves


@dataclass
class Report:
    """Everything that happened in one turn, in the order it happened."""

    turn: int
    date: str
    refused: list[Refused] = field(default_factory=list)
    moves: _ToldWhenRead = field(default=_ToldWhenRead(), init=False)
    battles: list[Battle] = field(default_factory=list)
    shortages: list[Shortage] = field(default_factory=list)
    happenings: list[Happening] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    # Trains a week the units took on each segment (by segment index; empty when nothing moved by rail), for the
    # map's bottleneck overlay. Derived from the moves, so the log and `to_dict` leave it out.
    rail: list[float] = field(default_factory=list)

    def note(self, kind: str, subject: str, text: str) -> None:
        self.happenings.append(Happening(kind, subject, text))

    def moved(self, journeys: Untold) -> None:
        """Keep the week's journeys untold, in place of any told: `moves` tells them when someone reads them."""
        self.__dict__.pop("moves", None)
        self.__dict__["_untold"] = journeys

    def __getstate__(self) -> dict[str, Any]:
        """Pickled with the journeys told, as plain records (the untold answer holds arrays and the world's names)."""
        self.__dict__["moves"] = self.moves
        return self.__dict__

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data with a fixed field order, so reports compare byte for byte."""
        data = asdict(self)
        del data["rail"]
        return data
