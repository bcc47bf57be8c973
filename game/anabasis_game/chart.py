"""Line charts drawn with pygame: how many key cities each faction held, and each side's points, week by week."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pygame

from anabasis.engine import World
from anabasis.engine.world import FloatArray, IntArray
from anabasis_game import palette
from anabasis_game.fonts import Fonts


def held_by_turn(world: World, control: list[IntArray], stations: list[int]) -> IntArray:
    """(turns, factions): how many of `stations` each faction held at the start of each turn."""
    rows = np.array([c[stations] for c in control], dtype=np.int64).reshape(len(control), len(stations))
    out = np.zeros((len(control), world.n_factions), dtype=np.int64)
    for f in range(world.n_factions):
        out[:, f] = np.count_nonzero(rows == f, axis=1)
    return out


@dataclass(frozen=True)
class Series:
    """What a chart shows: a title, one column of values per line (rows are turns), their colours and names."""

    title: str
    values: FloatArray
    colors: list[palette.Color]
    names: list[str]


def cities_series(world: World, counts: IntArray, total: int) -> Series:
    """The key cities each faction held, week by week."""
    colors = [palette.hex_color(c) for c in world.faction_colors]
    return Series(f"Key cities held ({total} in all)", counts.astype(np.float64), colors, list(world.faction_names))


def points_series(world: World, points: list[FloatArray]) -> Series:
    """Each side's victory points, week by week; a side is drawn in its first faction's colour."""
    colors = [
        palette.hex_color(world.faction_colors[int(np.flatnonzero(world.side_of == k)[0])])
        for k in range(len(world.side_ids))
    ]
    values = np.array(points, dtype=np.float64).reshape(len(points), len(world.side_ids))
    return Series("Victory points", values, colors, list(world.side_names))


def week_ticks(turns: int) -> list[int]:
    """The weeks dated under a chart of `turns` weeks: eight or so, none after the last week played (the chart's
    last point is the end of that week, which the victory screen dates by the week, as the top bar did)."""
    return list(range(0, turns, max(1, turns // 8)))


def draw_chart(surface: pygame.Surface, rect: pygame.Rect, world: World, series: Series, *, fonts: Fonts) -> None:
    """Axes, a line per column in its colour, and a legend; weeks along the bottom."""
    pygame.draw.rect(surface, palette.PANEL, rect, border_radius=6)
    title = fonts.text(f"{series.title}, week by week", 14, palette.PANEL_TEXT, bold=True)
    surface.blit(title, (rect.left + 12, rect.top + 8))
    plot = pygame.Rect(rect.left + 44, rect.top + 36, rect.width - 60, rect.height - 96)
    pygame.draw.line(surface, palette.DIM_TEXT, plot.bottomleft, plot.bottomright)
    pygame.draw.line(surface, palette.DIM_TEXT, plot.bottomleft, plot.topleft)
    values = series.values
    turns = max(1, len(values) - 1)
    top = max(1, int(np.ceil(values.max()))) if values.size else 1
    for k in range(0, top + 1, max(1, top // 4)):
        y = plot.bottom - plot.height * k / top
        pygame.draw.line(surface, palette.mix(palette.PANEL, palette.DIM_TEXT, 0.3), (plot.left, y), (plot.right, y))
        label = fonts.text(str(k), 11, palette.DIM_TEXT)
        surface.blit(label, label.get_rect(midright=(plot.left - 6, y)))
    # Short wars by day and month, long ones by month and year.
    form = "%d %b" if turns <= 40 else "%b %Y"
    for t in week_ticks(turns):
        x = plot.left + plot.width * t / turns
        label = fonts.text(world.date_of(t).strftime(form), 10, palette.DIM_TEXT)
        surface.blit(label, label.get_rect(midtop=(x, plot.bottom + 4)))
    legend_x = rect.left + 12
    for k, (color, name) in enumerate(zip(series.colors, series.names, strict=True)):
        column = np.maximum(values[:, k], 0.0)
        if len(column) >= 2:
            points = [
                (plot.left + plot.width * t / turns, plot.bottom - plot.height * float(v) / top)
                for t, v in enumerate(column)
            ]
            pygame.draw.lines(surface, color, False, points, 3)
        elif len(column) == 1:
            pygame.draw.circle(surface, color, (plot.left, plot.bottom - plot.height * float(column[0]) / top), 3)
        pygame.draw.rect(surface, color, (legend_x, rect.bottom - 26, 14, 14))
        label = fonts.text(name, 12, palette.PANEL_TEXT)
        surface.blit(label, (legend_x + 20, rect.bottom - 28))
        legend_x += label.get_width() + 44
