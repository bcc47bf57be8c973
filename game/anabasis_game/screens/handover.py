"""Hot-seat: a blank screen between two players, so neither sees the other's orders."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame
import pygame_gui

from anabasis_game import palette
from anabasis_game.describe import day, the
from anabasis_game.session import Session
from anabasis_game.state import State

if TYPE_CHECKING:
    from anabasis_game.app import App


class HandoverScreen(State):
    """ "Hand over to the commander of the Allies": the map stays hidden until they are ready."""

    def __init__(self, app: App, session: Session) -> None:
        super().__init__(app)
        self.session = session
        self.faction = session.player
        self.layout()

    def layout(self) -> None:
        w, h = self.app.size
        self.ready = pygame_gui.elements.UIButton(
            pygame.Rect(w // 2 - 110, h // 2 + 60, 220, 44),
            "I am ready",
            self.ui,
            object_id="#end_turn",
            command=self.later(self.dismiss),
        )

    def heading(self) -> str:
        world = self.session.world
        return f"Hand over to the commander of {the(world.faction_names[world.faction_index[self.faction]])}"

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self.dismiss()

    def draw(self, surface: pygame.Surface) -> None:
        w, h = self.app.size
        world = self.session.world
        f = world.faction_index[self.faction]
        surface.fill(palette.BANNER)
        pygame.draw.rect(surface, palette.hex_color(world.faction_colors[f]), (0, h // 2 - 120, w, 8))
        fonts = self.app.fonts
        lines = [
            (self.heading(), 30, True, palette.PANEL_TEXT),
            (f"Week of {day(self.session.state.date)} — the other player looks away.", 16, False, palette.DIM_TEXT),
            ("Press Enter or click when you are ready.", 16, False, palette.DIM_TEXT),
        ]
        y = h // 2 - 80
        for text, size, bold, color in lines:
            label = fonts.text(text, size, color, bold)
            surface.blit(label, label.get_rect(midtop=(w // 2, y)))
            y += label.get_height() + 14
        self.ui.draw_ui(surface)
