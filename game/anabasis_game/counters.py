"""Where the counters go: each station's stack beside its station, on the side with the most room.

Seen from afar, stations a few px apart would pile their stacks on one another; each stack instead takes the
first side of its station (above, below, right, left, then the corners) where it covers no other stack, no
train on the line, no other station and no station's name and stays on the map, or else the side where it
covers least, a name counting for less than a counter or a station, and a px off the map for more. Stacks
with more counters choose first, since they are the hardest to fit. A stack always touches its own station,
so it cannot be taken for a neighbour's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pygame

GAP = 3  # px between a station's dot and its stack
SPACING = 1  # px between the counters of a stack
SIDES = 8  # above, below, right, left, then the corners: above right, above left, below right, below left
HIDDEN = 4  # how much worse a px of counter or station covered is than a px of a name
OFF_MAP = 8  # how much worse a px of the stack off the map is than a px of a name covered

Point = tuple[int, int]


@dataclass(frozen=True)
class Stack:
    """A station's counters as placed: the block they fill with its frame, and each counter, the first nearest
    the station."""

    block: pygame.Rect
    rows: tuple[pygame.Rect, ...]


def _block(centre: Point, radius: int, size: tuple[int, int], side: int) -> pygame.Rect:
    """The rectangle a stack of `size` takes on one side of a station (see SIDES for their order)."""
    x, y = centre
    near = radius + GAP
    block = pygame.Rect((0, 0), size)
    if side == 0:
        block.midbottom = (x, y - near)
    elif side == 1:
        block.midtop = (x, y + near)
    elif side == 2:
        block.midleft = (x + near, y)
    elif side == 3:
        block.midright = (x - near, y)
    elif side == 4:
        block.bottomleft = (x + radius, y - radius)
    elif side == 5:
        block.bottomright = (x - radius, y - radius)
    elif side == 6:
        block.topleft = (x + radius, y + radius)
    else:
        block.topright = (x - radius, y + radius)
    return block


def _covered(block: pygame.Rect, others: list[pygame.Rect]) -> int:
    """Pixels of `others` that `block` would cover."""
    total = 0
    for k in block.collidelistall(others):
        clip = block.clip(others[k])
        total += clip.width * clip.height
    return total


def place(
    stacks: Sequence[tuple[Point, int]],
    counter: tuple[int, int],
    radius: int,
    *,
    bounds: pygame.Rect,
    frame: int = 0,
    fixed: Sequence[pygame.Rect] = (),
    dots: Sequence[pygame.Rect] = (),
    names: Sequence[pygame.Rect] = (),
) -> list[Stack]:
    """For each stack (its station's centre on screen, how many counters), where it goes: its block, `frame` px
    wider all round than its counters, and its counters, the first nearest the station when the stack stands
    above or below it.

    `bounds` is the map; `fixed` are counters that cannot move (trains on the line); `dots` the stations'
    markers (no side of a station reaches its own); `names` the stations' names.
    """
    markers, labels = list(dots), list(names)
    width, height = counter
    taken: list[pygame.Rect] = list(fixed)
    order = sorted(range(len(stacks)), key=lambda k: -stacks[k][1])
    placed: dict[int, Stack] = {}
    for k in order:
        centre, count = stacks[k]
        size = (width + 2 * frame, count * height + (count - 1) * SPACING + 2 * frame)
        best, best_cover = 0, -1
        for side in range(SIDES):
            block = _block(centre, radius, size, side)
            outside = block.width * block.height - _covered(block, [bounds])
            cover = HIDDEN * (_covered(block, taken) + _covered(block, markers)) + _covered(block, labels)
            cover += OFF_MAP * outside
            if best_cover < 0 or cover < best_cover:
                best, best_cover = side, cover
            if cover == 0:
                break
        block = _block(centre, radius, size, best)
        taken.append(block)
        left, top = block.left + frame, block.top + frame
        rows = [pygame.Rect(left, top + i * (height + SPACING), width, height) for i in range(count)]
        placed[k] = Stack(block, tuple(rows[::-1] if best in {0, 4, 5} else rows))  # above, the first is lowest
    return [placed[k] for k in range(len(stacks))]
