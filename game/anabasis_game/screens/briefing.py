"""The briefing before a side's first turn: the situation, the aims and the first steps in the designers' words,
and what scores now from the objectives."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from anabasis_game import describe
from anabasis_game.objectives_text import faction_lines
from anabasis_game.screens.box import BoxDialog, Button
from anabasis_game.screens.text import to_html
from anabasis_game.session import Session

if TYPE_CHECKING:
    from anabasis_game.app import App


class BriefingDialog(BoxDialog):
    """The player's briefing, from the scenario (its description when the faction has none)."""

    width = 860
    height = 800

    def __init__(self, app: App, session: Session) -> None:
        self.session = session
        self.faction = session.world.faction_index[session.player]  # the seat it was shown to, in hot-seat
        super().__init__(app)

    def title(self) -> str:
        return f"Briefing: {describe.the(self.session.world.faction_names[self.faction])}"

    def body(self) -> str:
        s = self.session
        meta = s.world.scenario.meta
        spec = s.world.scenario.factions[self.faction]
        text = spec.briefing.text if spec.briefing is not None else meta.description
        lines: list[describe.Line] = [
            ("head", meta.title),
            ("dim", f"{describe.day(meta.start)} to {describe.day(meta.end)}, a week a turn"),
            ("text", ""),
        ]
        for paragraph in (p for p in text.split("\n") if p.strip()):
            lines += [("text", paragraph), ("text", "")]
        lines += [("title", "What scores"), *faction_lines(s.state, self.faction), ("text", "")]
        lines.append(("dim", "O shows every side's objectives at any time; F1 the help and the keys."))
        return to_html(lines)

    def choices(self) -> list[Button]:
        return [("Begin", self.dismiss, "#end_turn"), ("All objectives (O)", self._objectives, None)]

    def _objectives(self) -> None:
        """Over to the objectives, which lead back here by their Briefing button."""
        self.dismiss()
        self.app.routes.objectives(self.session)

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_o:
            self._objectives()
        else:
            super().handle(event)
