"""Scripted input: post the events a person would cause and run the window's own loop between them.

Tests drive the game this way, and so does the script that takes the documentation's screenshots.
"""

from __future__ import annotations

import pygame
from pygame_gui.core import UIElement

from anabasis_game.app import App
from anabasis_game.state import State

FRAMES = 3  # loop turns after each input: one to handle it, one for the widgets' own events, one to draw


class Driver:
    """A pretend player at the keyboard and mouse of an `App`."""

    def __init__(self, app: App) -> None:
        self.app = app

    @property
    def top(self) -> State | None:
        return self.app.stack.top

    def frames(self, n: int = FRAMES) -> None:
        self.app.run_frames(n)

    def click(self, pos: tuple[int, int], button: int = 1, frames: int = FRAMES) -> None:
        """Press and release a mouse button at `pos`."""
        pos = (int(pos[0]), int(pos[1]))
        pygame.mouse.set_pos(pos)
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))
        self.frames(frames)

    def press(self, widget: UIElement, frames: int = FRAMES) -> None:
        """Click the middle of a widget (a pygame_gui button, a list item)."""
        self.click(widget.rect.center, frames=frames)

    def key(self, key: int, mod: int = 0, frames: int = FRAMES) -> None:
        """Press and release a key."""
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0))
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode="", scancode=0))
        self.frames(frames)

    def wheel(self, pos: tuple[int, int], clicks: int, frames: int = FRAMES) -> None:
        """Turn the mouse wheel with the pointer at `pos` (positive zooms in)."""
        pygame.mouse.set_pos(pos)
        pygame.event.post(
            pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=clicks, flipped=False, precise_x=0.0, precise_y=float(clicks))
        )
        self.frames(frames)

    def drag(self, start: tuple[int, int], end: tuple[int, int], frames: int = FRAMES) -> None:
        """Drag the map with the left button from `start` to `end`."""
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=start, button=1))
        steps = 5
        last = start
        for k in range(1, steps + 1):
            at = (start[0] + (end[0] - start[0]) * k // steps, start[1] + (end[1] - start[1]) * k // steps)
            rel = (at[0] - last[0], at[1] - last[1])
            pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=at, rel=rel, buttons=(1, 0, 0)))
            last = at
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=end, button=1))
        self.frames(frames)

    def slide(self, start: tuple[int, int], end: tuple[int, int], frames: int = FRAMES) -> None:
        """Drag a widget's handle (a slider's) from `start` to `end` with the left button; the pointer moves too,
        since pygame_gui follows the pointer rather than the motion events."""
        pygame.mouse.set_pos(start)
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=start, rel=(0, 0), buttons=(0, 0, 0)))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=start, button=1))
        self.frames(1)
        steps = 5
        for k in range(1, steps + 1):
            at = (start[0] + (end[0] - start[0]) * k // steps, start[1] + (end[1] - start[1]) * k // steps)
            pygame.mouse.set_pos(at)
            pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=at, rel=(0, 0), buttons=(1, 0, 0)))
            self.frames(1)
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=end, button=1))
        self.frames(frames)

    def screenshot(self, path: str) -> None:
        pygame.image.save(self.app.screen, path)
