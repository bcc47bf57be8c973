"""What a move will mean, shown beside the station before the order is given: the rules' own warning for a
legal move among troops the player is not at war with, wrapped to fit a tooltip."""

from __future__ import annotations

import textwrap

from anabasis.engine import GameState, Move, why_illegal
from anabasis.engine.relations import move_warning
from anabasis_game.describe import capital

WIDTH = 64  # characters a tooltip line holds before it wraps


def move_preview(state: GameState, faction: int, unit: int, station: int) -> list[str]:
    """The warning for moving `unit` to `station`, in tooltip lines; none when the move is refused (the refusal
    says why when it is given) or means nothing out of the ordinary."""
    w = state.world
    if state.station[unit] == station:
        return []
    order = Move(w.unit_ids[unit], w.station_ids[station])
    if why_illegal(state, faction, order) is not None:
        return []
    warning = move_warning(state, faction, order)
    return textwrap.wrap(f"Warning: {capital(warning)}.", WIDTH) if warning else []
