"""The top bar's layout: the week and the standing of the war on the left, the buttons to their right, in as
many rows as the window's width needs, so that no button ever covers the text or another button."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from anabasis_game.uiscale import px

ROW = 44  # px at scale 1: a row of the bar
BUTTON = 30  # px at scale 1: a button's height
GAP = 6  # px at scale 1: between buttons
MARGIN = 12  # px at scale 1: left of the text, between it and the buttons, right of the last button


@dataclass(frozen=True)
class TopBar:
    """Where the text and each button go, and how tall the bar is."""

    height: int
    text: pygame.Rect
    buttons: tuple[pygame.Rect, ...]


def lay_out(window_width: int, text_width: int, buttons: Sequence[int], scale: float) -> TopBar:
    """Buttons of `buttons` widths (in order, left to right) laid out right-aligned: the row beside the text takes
    as many of the last ones as fit, the rows below the rest, in the same order."""
    row, button, gap, margin = px(ROW, scale), px(BUTTON, scale), px(GAP, scale), px(MARGIN, scale)
    text = pygame.Rect(margin, 0, text_width, row)
    rows: list[list[int]] = [[]]
    left = window_width - margin
    floor = text.right + margin  # the first row stops short of the text
    for k in reversed(range(len(buttons))):
        if left - buttons[k] < floor and (rows[-1] or len(rows) == 1):
            rows.append([])
            left, floor = window_width - margin, margin
        rows[-1].append(k)
        left -= buttons[k] + gap
    placed: dict[int, pygame.Rect] = {}
    top = (row - button) // 2
    for r, members in enumerate(rows):
        right = window_width - margin
        for k in members:
            right -= buttons[k]
            placed[k] = pygame.Rect(right, r * row + top, buttons[k], button)
            right -= gap
    return TopBar(row * len(rows), text, tuple(placed[k] for k in range(len(buttons))))
