"""Orders: small immutable values a player, the AI and a save all speak.

Each order has a one-line text form, `move legion_penza samara`, that `Order.parse` reads back;
its `repr` is code that can be pasted: `Order.parse('move legion_penza samara')`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


class IllegalOrder(ValueError):
    """An order the rules do not allow now; `reason` says why in a player's words."""

    def __init__(self, order: Order | str, reason: str) -> None:
        self.order = order
        self.reason = reason
        super().__init__(f"{order}: {reason}")


class OrderSyntaxError(ValueError):
    """Text that is not an order at all."""


@dataclass(frozen=True, slots=True)
class Order:
    """Base of every order; `verb` names it in text."""

    verb: ClassVar[str] = ""
    arity: ClassVar[int] = 0
    __match_args__: ClassVar[tuple[str, ...]] = ()

    def __str__(self) -> str:
        # The dataclass's own field order (`__match_args__`), without astuple's deep copy.
        return " ".join((self.verb, *(getattr(self, name) for name in self.__match_args__)))

    def __repr__(self) -> str:
        return f"Order.parse({str(self)!r})"

    @staticmethod
    def parse(text: str) -> Order:
        """Read an order from its text form."""
        words = text.split()
        if not words:
            raise OrderSyntaxError("an empty order")
        kind = ORDER_KINDS.get(words[0].lower())
        if kind is None:
            raise OrderSyntaxError(f"{words[0]!r} is not an order; orders are: {', '.join(ORDER_KINDS)}")
        if len(words) - 1 != kind.arity:
            raise OrderSyntaxError(f"{kind.verb} takes {kind.arity} word(s) after it: {kind.__doc__}")
        return kind(*words[1:])


@dataclass(frozen=True, slots=True, repr=False)
class UnitOrder(Order):
    """An order to one unit."""

    unit: str


@dataclass(frozen=True, slots=True, repr=False)
class Move(UnitOrder):
    """move UNIT STATION: travel by rail (on a train) or march (on foot) toward a station until there."""

    verb: ClassVar[str] = "move"
    arity: ClassVar[int] = 2
    to: str


@dataclass(frozen=True, slots=True, repr=False)
class Entrain(UnitOrder):
    """entrain UNIT: board trains at the station (takes the week)."""

    verb: ClassVar[str] = "entrain"
    arity: ClassVar[int] = 1


@dataclass(frozen=True, slots=True, repr=False)
class Detrain(UnitOrder):
    """detrain UNIT: leave the trains to fight or march."""

    verb: ClassVar[str] = "detrain"
    arity: ClassVar[int] = 1


@dataclass(frozen=True, slots=True, repr=False)
class Attack(UnitOrder):
    """attack UNIT STATION: attack the station the unit is at, or one next to it along the rail."""

    verb: ClassVar[str] = "attack"
    arity: ClassVar[int] = 2
    station: str


@dataclass(frozen=True, slots=True, repr=False)
class Hold(UnitOrder):
    """hold UNIT: stop and garrison where it is; it digs in after a week."""

    verb: ClassVar[str] = "hold"
    arity: ClassVar[int] = 1


@dataclass(frozen=True, slots=True, repr=False)
class Blow(UnitOrder):
    """blow UNIT SEGMENT: blow the bridge or tunnel on a segment next to the unit (SEGMENT is a-b)."""

    verb: ClassVar[str] = "blow"
    arity: ClassVar[int] = 2
    segment: str


@dataclass(frozen=True, slots=True, repr=False)
class Repair(UnitOrder):
    """repair UNIT SEGMENT: work a week on a damaged segment next to the unit."""

    verb: ClassVar[str] = "repair"
    arity: ClassVar[int] = 2
    segment: str


@dataclass(frozen=True, slots=True, repr=False)
class Evacuate(UnitOrder):
    """evacuate UNIT: board ships at the port the unit is at, as space allows."""

    verb: ClassVar[str] = "evacuate"
    arity: ClassVar[int] = 1


@dataclass(frozen=True, slots=True, repr=False)
class Destroy(UnitOrder):
    """destroy UNIT STOCKPILE: destroy the war material at the unit's station before the enemy takes it."""

    verb: ClassVar[str] = "destroy"
    arity: ClassVar[int] = 2
    stockpile: str


@dataclass(frozen=True, slots=True, repr=False)
class Answer(Order):
    """answer EVENT OPTION: answer a decision put to your faction."""

    verb: ClassVar[str] = "answer"
    arity: ClassVar[int] = 2
    event: str
    option: str


ORDER_KINDS: dict[str, type[Order]] = {
    kind.verb: kind for kind in (Move, Entrain, Detrain, Attack, Hold, Blow, Repair, Evacuate, Destroy, Answer)
}
