"""Baseline agents for tests and as yardsticks: one that does nothing, one that does anything legal."""

from __future__ import annotations

import numpy as np

from anabasis.engine.legal import legal_orders
from anabasis.engine.orders import Order
from anabasis.engine.state import GameState, Status


class PassiveAgent:
    """Gives no orders: garrisons sit, decisions take their default when their time runs out."""

    name = "passive"

    def orders(self, state: GameState, faction: str, rng: np.random.Generator) -> list[Order]:
        return []


class RandomAgent:
    """Each turn, gives a random legal order to a random share of its units and answers decisions at random."""

    name = "random"

    def __init__(self, share: float = 0.5) -> None:
        self.share = share

    def orders(self, state: GameState, faction: str, rng: np.random.Generator) -> list[Order]:
        w = state.world
        f = w.faction_index[faction]
        out: list[Order] = []
        for order in legal_orders(state, faction):
            if order.verb != "answer":
                break
            out.append(order)
        seen: set[str] = set()
        answers: list[Order] = []
        for order in out:
            event = getattr(order, "event", "")
            if event not in seen:
                seen.add(event)
                options = [o for o in out if getattr(o, "event", "") == event]
                answers.append(options[int(rng.integers(len(options)))])
        units = np.flatnonzero((state.status == Status.ACTIVE) & (w.unit_faction == f)).tolist()
        for u in units:
            if rng.random() >= self.share:
                continue
            choices = list(legal_orders(state, faction, unit=w.unit_ids[u]))
            if choices:
                answers.append(choices[int(rng.integers(len(choices)))])
        return answers
