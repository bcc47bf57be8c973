"""What happened in a turn, as plain values a player reads and a log stores byte for byte."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Generic, Protocol, TypeVar

_Told = TypeVar("_Told")


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


class Untold(Protocol[_Told]):
    """What a phase of the week computed, not yet told as records (the journeys, the battles); its length is how
    many records it tells."""

    def told(self) -> list[_Told]: ...

    def __len__(self) -> int: ...


class _ToldWhenRead(Generic[_Told]):
    """A report's list of records that is told from its phase's answer when first read, then kept like any field:
    a game the computer plays never reads its journeys or its battles, and telling them cost more than the moving
    or the fighting."""

    def __set_name__(self, owner: object, name: str) -> None:
        self.name, self.untold = name, f"_untold_{name}"

    def __get__(self, report: Report | None, owner: object) -> list[_Told]:
        if report is None:
            raise AttributeError(f"the {self.name} are a report's own")
        untold: Untold[_Told] | None = report.__dict__.pop(self.untold, None)
        records: list[_Told] = untold.told() if untold is not None else []
        report.__dict__[self.name] = records  # read from here on: the instance's value hides this descriptor
        return records

    def count(self, report: Report) -> int:
        """How many records `report` has or will tell, without telling them."""
        told: list[_Told] | None = report.__dict__.get(self.name)
        if told is not None:
            return len(told)
        untold: Untold[_Told] | None = report.__dict__.get(self.untold)
        return len(untold) if untold is not None else 0

    def keep(self, report: Report, untold: Untold[_Told]) -> None:
        """Keep `untold` for `report`, in place of any records told."""
        report.__dict__.pop(self.name, None)
        report.__dict__[self.untold] = untold


@dataclass
class Report:
    """Everything that happened in one turn, in the order it happened."""

    turn: int
    date: str
    refused: list[Refused] = field(default_factory=list)
    moves: _ToldWhenRead[Moved] = field(default=_ToldWhenRead(), init=False)
    battles: _ToldWhenRead[Battle] = field(default=_ToldWhenRead(), init=False)
    shortages: list[Shortage] = field(default_factory=list)
    happenings: list[Happening] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    # Trains a week the units took on each segment (by segment index; empty when nothing moved by rail), for the
    # map's bottleneck overlay. Derived from the moves, so the log and `to_dict` leave it out.
    rail: list[float] = field(default_factory=list)

    def note(self, kind: str, subject: str, text: str) -> None:
        self.happenings.append(Happening(kind, subject, text))

    def moved(self, journeys: Untold[Moved]) -> None:
        """Keep the week's journeys untold, in place of any told: `moves` tells them when someone reads them."""
        _MOVES.keep(self, journeys)

    @property
    def battle_count(self) -> int:
        """How many battles the week saw, counted without telling them (a batch counts them every week)."""
        return _BATTLES.count(self)

    def fought(self, battles: Untold[Battle]) -> None:
        """Keep the week's battles untold, in place of any told: `battles` tells them when someone reads them."""
        _BATTLES.keep(self, battles)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled with the journeys and battles told, as plain records (the untold answers hold arrays and the
        world's names)."""
        self.__dict__["moves"], self.__dict__["battles"] = self.moves, self.battles
        return self.__dict__

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data with a fixed field order, so reports compare byte for byte."""
        data = asdict(self)
        del data["rail"]
        return data


_MOVES: _ToldWhenRead[Moved] = vars(Report)["moves"]
_BATTLES: _ToldWhenRead[Battle] = vars(Report)["battles"]
