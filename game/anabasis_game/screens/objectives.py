"""The objectives panel (O): what scores this week and next for each side, who holds what, and what changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from anabasis_game.objectives_text import objective_lines
from anabasis_game.screens.box import BoxDialog, Button
from anabasis_game.screens.text import to_html
from anabasis_game.session import Session

if TYPE_CHECKING:
    from anabasis_game.app import App


class ObjectivesDialog(BoxDialog):
    """Every side's objectives as the engine counts them, the player's side first."""

    width = 900
    height = 820

    def __init__(self, app: App, session: Session) -> None:
        self.session = session
        super().__init__(app)

    def title(self) -> str:
        return "Objectives: what scores"

    def body(self) -> str:
        s = self.session
        return to_html(objective_lines(s.state, s.world.faction_index[s.player]))

    def choices(self) -> list[Button]:
        return [("Close", self.dismiss, None), ("Briefing", self._briefing, None)]

    def _briefing(self) -> None:
        self.dismiss()
        self.app.routes.briefing(self.session)

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_o:
            self.dismiss()  # O opens the panel and closes it
        else:
            super().handle(event)
