"""Orders already found legal in one state, which the turn takes without asking the rules again.

The AI builds its orders from the legal sets and asks `why_illegal` of each before it gives them; checking them
a second time in `step` doubled the cost. Only orders wrapped here, for the very state `step` is given, skip the
check: orders from players and from saves come as plain lists and are always validated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from anabasis.engine.orders import Order
from anabasis.engine.state import GameState


class CheckedOrders(list[Order]):
    """A faction's orders, each one legal in `state` (the builder's promise)."""

    def __init__(self, state: GameState, orders: Iterable[Order] = ()) -> None:
        super().__init__(orders)
        self.state = state


def checked_in(state: GameState, orders: Sequence[Order]) -> bool:
    """Whether `orders` were found legal in this very state."""
    return isinstance(orders, CheckedOrders) and orders.state is state
