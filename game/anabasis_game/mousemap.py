"""Moving the map with the mouse, the same on every screen that shows it: press and drag to pan, the wheel to
zoom, and a press let go without a drag is a click (what a click does is the screen's own business)."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from anabasis_game.mapview import MapView

ZOOM_STEP = 1.25  # how much one notch of the wheel (or one press of + and -) zooms
DRAG_START = 4  # pixels a held mouse moves before the press becomes a drag rather than a click


class MouseMap:
    """Mixed into a screen with a `view`: keeps where the mouse is, and whether a press has become a drag."""

    view: MapView
    hover: tuple[int, int] | None = None
    press: tuple[int, int] | None = None
    dragging: bool = False

    def move_map(self, event: pygame.event.Event, on_map: Callable[[tuple[int, int]], bool]) -> bool:
        """Follow a press, a drag (it pans) and the wheel over the map (it zooms); True when `event` was one."""
        if event.type == pygame.MOUSEBUTTONDOWN and event.button in (1, 2):
            self.press, self.dragging = event.pos, False
        elif event.type == pygame.MOUSEMOTION:
            self.hover = event.pos
            held = self.press is not None and (event.buttons[0] or event.buttons[1])
            if held and (self.dragging or _distance(event.pos, self.press) > DRAG_START):
                self.dragging = True
                self.view.camera.pan(*event.rel)
        elif event.type == pygame.MOUSEWHEEL:
            x, y = pygame.mouse.get_pos()
            if on_map((x, y)):
                self.view.camera.zoom(ZOOM_STEP ** (event.y or 0), x, y)
        else:
            return False
        return True

    def let_go(self) -> bool:
        """End a press: True when it was a click, not the end of a drag."""
        clicked = not self.dragging
        self.press, self.dragging = None, False
        return clicked


def _distance(a: tuple[int, int], b: tuple[int, int] | None) -> int:
    return abs(a[0] - b[0]) + abs(a[1] - b[1]) if b is not None else 0
