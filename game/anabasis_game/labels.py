"""Where the names go: each beside its station's dot, on the first side where it covers no counter, no other
station and no other name; when no side has room, a shorter form of the name is tried, then it is left out.

Names come most important first, so a crowded view keeps the names that matter and the rest wait for the
player to zoom in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pygame

GAP = 2  # px between a dot's edge and its name
VOWELS = frozenset("aeiouyAEIOUY")
SHORTEST = 8  # names shorter than this are never shortened


@dataclass(frozen=True)
class Name:
    """A name to place: its forms' sizes (the full name first), and the point it names with the radius of the
    dot there (0 for a name centred on its point, such as a sea's)."""

    sizes: tuple[tuple[int, int], ...]
    anchor: tuple[int, int]
    radius: int


@dataclass(frozen=True)
class Placed:
    """A name placed: which of its forms, and where."""

    form: int
    rect: pygame.Rect


def shortened(name: str) -> str | None:
    """A cartographer's short form of a long name, cut before a vowel after five letters (`Petropavlovsk` as
    `Petrop.`), or None when the name is short enough already."""
    if len(name) < SHORTEST or " " in name:
        return None
    cut = 5
    while cut < len(name) - 2 and name[cut] not in VOWELS:
        cut += 1
    return name[:cut] + "." if cut < len(name) - 2 else None


def spots(name: Name, size: tuple[int, int]) -> list[pygame.Rect]:
    """Where a name of `size` may go, best first: right of the dot, left, below, above, then the corners."""
    (x, y), (w, h) = name.anchor, size
    if name.radius == 0:
        return [pygame.Rect(x - w // 2, y - h // 2, w, h)]
    near = name.radius + GAP
    corner = round(near * 0.7)
    return [
        pygame.Rect(x + near, y - h // 2, w, h),
        pygame.Rect(x - near - w, y - h // 2, w, h),
        pygame.Rect(x - w // 2, y + near, w, h),
        pygame.Rect(x - w // 2, y - near - h, w, h),
        pygame.Rect(x + corner, y - corner - h, w, h),
        pygame.Rect(x + corner, y + corner, w, h),
        pygame.Rect(x - corner - w, y - corner - h, w, h),
        pygame.Rect(x - corner - w, y + corner, w, h),
    ]


def place(
    names: Sequence[Name], taken: Sequence[pygame.Rect], dots: Sequence[pygame.Rect], bounds: pygame.Rect
) -> list[Placed | None]:
    """For each name, in order (most important first), where it goes inside `bounds`, clear of `taken`
    (counters), of `dots` (the stations' markers) and of the names placed before it; None when it does not fit."""
    blocked = [*taken, *dots]
    out: list[Placed | None] = []
    for name in names:
        where = next(
            (
                Placed(form, rect)
                for form, size in enumerate(name.sizes)
                for rect in spots(name, size)
                if bounds.contains(rect) and rect.collidelist(blocked) < 0
            ),
            None,
        )
        if where is not None:
            blocked.append(where.rect)
        out.append(where)
    return out
