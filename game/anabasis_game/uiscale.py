"""How big text and panels are drawn: the player's choice, or picked from the window's size.

The game is laid out for 1600x900 at scale 1; a smaller window gets smaller text and panels so the map keeps
its room, a larger one larger, so text stays readable at the same distance from the screen.
"""

from __future__ import annotations

DESIGN_WIDTH = 1280  # narrower than this, the panels and the top bar's buttons no longer fit at scale 1
DESIGN_HEIGHT = 900
LOWEST, HIGHEST = 0.75, 2.0
STEP = 0.05  # automatic scales are rounded to this, so a window a few px larger gives the same look


def automatic(window: tuple[int, int]) -> float:
    """The scale that fits the window: 0.8 at 1024x700 and 1280x720, 1 at 1600x900, 1.6 at 2560x1440."""
    fit = min(window[0] / DESIGN_WIDTH, window[1] / DESIGN_HEIGHT)
    return clamp(round(fit / STEP) * STEP)


def effective(chosen: float, window: tuple[int, int]) -> float:
    """The scale in force: the player's `chosen` one, or the automatic one when `chosen` is 0."""
    return clamp(chosen) if chosen > 0 else automatic(window)


def clamp(scale: float) -> float:
    return round(min(max(scale, LOWEST), HIGHEST), 2)


def px(length: float, scale: float) -> int:
    """A length laid out for scale 1, at `scale` (never below one pixel)."""
    return max(1, round(length * scale))
