"""The map's colours: a pale paper map, so that the faction colours of stations and counters stand out."""

from __future__ import annotations

Color = tuple[int, int, int]

OFF_MAP: Color = (196, 192, 180)  # beyond the edge of the map data
SEA: Color = (166, 196, 216)
LAND: Color = (233, 226, 204)
COAST: Color = (96, 124, 146)
RIVER: Color = (70, 120, 170)
BORDER: Color = (150, 60, 110)
GRATICULE: Color = (150, 170, 185)
TRACK: Color = (40, 36, 32)
TRACK_FILL: Color = (250, 248, 240)
STATION_EDGE: Color = (20, 20, 20)
NOBODY: Color = (190, 190, 190)
LABEL: Color = (28, 28, 28)
HALO: Color = (250, 248, 240)
COUNTRY: Color = (120, 90, 110)
REACH_WEEK: Color = (255, 215, 0)
REACH_ANY: Color = (250, 232, 130)
ATTACK: Color = (220, 30, 30)
SELECT: Color = (255, 255, 255)
SUPPLY_OK: Color = (40, 160, 60)
SUPPLY_LOW: Color = (240, 160, 0)
SUPPLY_OUT: Color = (220, 30, 30)
DAMAGE: Color = (220, 30, 30)
# The bottleneck overlay: a line unused, then from free through half full to full, and over capacity.
RAIL_IDLE: Color = (196, 200, 190)
RAIL_FREE: Color = (80, 170, 90)
RAIL_HALF: Color = (240, 196, 40)
RAIL_FULL: Color = (214, 40, 28)
RAIL_OVER: Color = (112, 16, 96)
PANEL: Color = (34, 38, 46)
PANEL_TEXT: Color = (235, 235, 228)
DIM_TEXT: Color = (170, 175, 185)
BANNER: Color = (24, 27, 33)

RELIEF_WASH = 0.45  # share of paper mixed into the shaded relief, so it stays a background


def hex_color(text: str) -> Color:
    """`#2e7d32` as (46, 125, 50)."""
    value = text.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def mix(a: Color, b: Color, t: float) -> Color:
    """The colour `t` of the way from `a` to `b`."""
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def ink_on(background: Color) -> Color:
    """Black or white, whichever reads better on `background`."""
    r, g, b = background
    return (0, 0, 0) if 0.299 * r + 0.587 * g + 0.114 * b > 150 else (255, 255, 255)


def rail_load(load: float) -> Color:
    """The overlay's colour for a line used `load` of its capacity (1 is full)."""
    if load <= 0:
        return RAIL_IDLE
    if load <= 0.5:
        return mix(RAIL_FREE, RAIL_HALF, load / 0.5)
    if load <= 1.0 + 1e-6:
        return mix(RAIL_HALF, RAIL_FULL, (load - 0.5) / 0.5)
    return RAIL_OVER
