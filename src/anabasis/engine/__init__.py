"""The rules: compact numpy state, order values, and `step(state, orders, rng) -> (state, report)`."""

from anabasis.engine.legal import LegalOrders, legal_orders, validate, why_illegal
from anabasis.engine.odds import Odds, preview_combat
from anabasis.engine.orders import (
    Answer,
    Attack,
    Blow,
    Destroy,
    Detrain,
    Entrain,
    Evacuate,
    Hold,
    IllegalOrder,
    Move,
    Order,
    OrderSyntaxError,
    Repair,
    UnitOrder,
)
from anabasis.engine.report import Report
from anabasis.engine.state import GameState, Status
from anabasis.engine.turn import GameOver, initial_state, step
from anabasis.engine.victory import Result, result
from anabasis.engine.world import World, compile_world

__all__ = [
    "Answer",
    "Attack",
    "Blow",
    "Destroy",
    "Detrain",
    "Entrain",
    "Evacuate",
    "GameOver",
    "GameState",
    "Hold",
    "IllegalOrder",
    "LegalOrders",
    "Move",
    "Odds",
    "Order",
    "OrderSyntaxError",
    "Repair",
    "Report",
    "Result",
    "Status",
    "UnitOrder",
    "World",
    "compile_world",
    "initial_state",
    "legal_orders",
    "preview_combat",
    "result",
    "step",
    "validate",
    "why_illegal",
]
