"""Text boxes drawn straight onto the screen over the map: the banner, tooltips, passing messages."""

from __future__ import annotations

import pygame

from anabasis_game import palette
from anabasis_game.fonts import Fonts
from anabasis_game.topbar import TopBar

# The widest week a top bar must find room for (the longest month, widest digits): a measure, not a date.
LONGEST_WEEK = "Week of 30 September 8888"


def banner(surface: pygame.Surface, fonts: Fonts, title: str, subtitle: str, bar: TopBar) -> list[pygame.Rect]:
    """The strip along the top: the week in bold, the standing of the war below it, in the bar's room for text
    (cut short there if need be). Returns where the two lines went."""
    pygame.draw.rect(surface, palette.BANNER, (0, 0, surface.get_width(), bar.height))
    room = bar.text
    first = fonts.text(title, 16, palette.PANEL_TEXT, bold=True)
    second = fonts.text(subtitle, 12, palette.DIM_TEXT)
    lines = (first.get_height() + second.get_height()) or 1
    top = room.top + max(0, (room.height - lines) // 2)
    drawn = []
    for line in (first, second):
        shown = line.subsurface((0, 0, min(line.get_width(), room.width), line.get_height()))
        drawn.append(surface.blit(shown, (room.left, top)))
        top += line.get_height()
    return drawn


def tooltip(surface: pygame.Surface, fonts: Fonts, lines: list[str], at: tuple[int, int], right: int) -> None:
    """A box of lines (the first bold) beside the pointer, kept left of `right` and on the screen."""
    texts = [fonts.text(line, 12, palette.PANEL_TEXT, bold=k == 0) for k, line in enumerate(lines)]
    width = max(t.get_width() for t in texts) + 16
    height = sum(t.get_height() for t in texts) + 10
    x = min(at[0] + 16, right - width - 4)
    y = min(at[1] + 16, surface.get_height() - height - 4)
    pygame.draw.rect(surface, palette.PANEL, (x, y, width, height), border_radius=4)
    pygame.draw.rect(surface, palette.DIM_TEXT, (x, y, width, height), 1, 4)
    for t in texts:
        surface.blit(t, (x + 8, y + 5))
        y += t.get_height()


def message(surface: pygame.Surface, fonts: Fonts, text: str, bottom_centre: tuple[int, int]) -> None:
    """A message in a box, such as why an order was refused; a long one (a move's warning) wraps to fit the map
    on either side of `bottom_centre`."""
    room = 2 * min(bottom_centre[0], surface.get_width() - bottom_centre[0]) - 48
    font = fonts.font(15, True)
    rows: list[str] = []
    for word in text.split():
        if rows and font.size(f"{rows[-1]} {word}")[0] <= room:
            rows[-1] += f" {word}"
        else:
            rows.append(word)
    labels = [fonts.text(row, 15, palette.PANEL_TEXT, bold=True) for row in rows or [""]]
    width, height = max(label.get_width() for label in labels), sum(label.get_height() for label in labels)
    box = pygame.Rect(0, 0, width, height)
    box.midbottom = bottom_centre
    box = box.inflate(24, 12)
    pygame.draw.rect(surface, palette.PANEL, box, border_radius=6)
    pygame.draw.rect(surface, palette.DIM_TEXT, box, 1, 6)
    top = box.top + 6
    for label in labels:
        surface.blit(label, label.get_rect(midtop=(box.centerx, top)))
        top += label.get_height()


def progress_bar(surface: pygame.Surface, box: pygame.Rect, done: float) -> None:
    """A thin bar filled to `done` (0 to 1), such as the first compile's."""
    pygame.draw.rect(surface, palette.PANEL, box, border_radius=4)
    filled = box.copy()
    filled.width = round(box.width * min(max(done, 0.0), 1.0))
    if filled.width:
        pygame.draw.rect(surface, palette.SUPPLY_OK, filled, border_radius=4)
    pygame.draw.rect(surface, palette.DIM_TEXT, box, 1, 4)


def rail_legend(surface: pygame.Surface, fonts: Fonts, top_left: tuple[int, int]) -> None:
    """The key to the bottleneck overlay: the colour of a line by how full it was."""
    steps = [(0.0, "unused"), (0.25, ""), (0.5, "half"), (0.75, ""), (1.0, "full"), (1.5, "over")]
    title = fonts.text("Trains a day used of the line's capacity", 12, palette.PANEL_TEXT, bold=True)
    width, swatch = max(title.get_width() + 16, 40 * len(steps) + 16), 40
    box = pygame.Rect(*top_left, width, 58)
    pygame.draw.rect(surface, palette.PANEL, box, border_radius=4)
    pygame.draw.rect(surface, palette.DIM_TEXT, box, 1, 4)
    surface.blit(title, (box.x + 8, box.y + 5))
    for k, (load, name) in enumerate(steps):
        x = box.x + 8 + k * swatch
        pygame.draw.rect(surface, palette.rail_load(load), (x, box.y + 25, swatch - 2, 10))
        if name:
            label = fonts.text(name, 11, palette.DIM_TEXT)
            surface.blit(label, label.get_rect(midtop=(x + swatch // 2, box.y + 38)))
