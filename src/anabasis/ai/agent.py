"""The contract every commander, human front end or AI, fulfils."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from anabasis.engine.orders import Order
from anabasis.engine.state import GameState


class Agent(Protocol):
    """Gives a faction's orders for the turn from what it sees."""

    name: str

    def orders(self, state: GameState, faction: str, rng: np.random.Generator) -> list[Order]:
        """The orders for `faction` this turn."""
        ...
