"""The end of the war: who won, the points objective by objective, and how the key cities changed hands."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UIButton

from anabasis_game import describe, palette
from anabasis_game.chart import draw_chart, held_by_turn
from anabasis_game.screens.text import to_html
from anabasis_game.session import Session
from anabasis_game.state import State

if TYPE_CHECKING:
    from anabasis_game.app import App


class VictoryScreen(State):
    """The result, from `result(state)`, with the objectives' own names."""

    def __init__(self, app: App, session: Session) -> None:
        super().__init__(app)
        self.session = session
        self.result = session.result()
        stations = session.key_stations()
        self.total = len(stations)
        self.counts = held_by_turn(session.world, session.control, stations)
        self.buttons: dict[str, UIButton] = {}
        self.layout()

    def headline(self) -> str:
        w = self.session.world
        if self.result.winner == "draw":
            return "The war ends in a draw"
        return f"Victory: {w.side_names[w.side_ids.index(self.result.winner)]}"

    def lines(self) -> list[describe.Line]:
        w = self.session.world
        r = self.result
        how = "the last week of the campaign was played" if r.reason == "date" else "one side has nobody left to fight"
        lines: list[describe.Line] = [
            ("dim", f"After {r.turns} weeks, on {describe.day(w.date_of(r.turns))}: {how}."),
            ("text", ""),
        ]
        for side, name in zip(w.side_ids, w.side_names, strict=True):
            lines.append(("head", f"{name}: {r.sides[side]:.1f} points"))
        lines.append(("text", ""))
        lines.append(("head", "Points by objective"))
        for o in w.objectives:
            lines.append(("text", f"{o.name} ({w.faction_names[o.faction]}): {r.objectives[o.id]:.1f}"))
        bonus = {
            f: r.factions[f] - sum(r.objectives[o.id] for o in w.objectives if w.faction_ids[o.faction] == f)
            for f in w.faction_ids
        }
        for f, points in bonus.items():
            if abs(points) > 0.005:
                lines.append(("dim", f"Events: {w.faction_names[w.faction_index[f]]} {points:+.1f}"))
        return lines

    def layout(self) -> None:
        w, h = self.app.size
        half = w // 2
        self.text = pygame_gui.elements.UITextBox(
            to_html(self.lines()), pygame.Rect(30, 110, half - 50, h - 200), self.ui
        )
        y = h - 70
        for k, (name, label, command) in enumerate(
            (
                ("map", "Back to the map", self.dismiss),
                ("title", "New game", self.new_game),
                ("quit", "Quit", self.app.quit),
            )
        ):
            self.buttons[name] = pygame_gui.elements.UIButton(
                pygame.Rect(30 + k * 200, y, 180, 40), label, self.ui, command=self.later(command)
            )

    def new_game(self) -> None:
        self.app.routes.title()

    def draw(self, surface: pygame.Surface) -> None:
        w, h = self.app.size
        surface.fill(palette.BANNER)
        fonts = self.app.fonts
        surface.blit(fonts.text(self.headline(), 34, palette.PANEL_TEXT, bold=True), (30, 28))
        chart = pygame.Rect(w // 2, 110, w // 2 - 30, min(520, h - 200))
        draw_chart(surface, chart, self.session.world, self.counts, total=self.total, fonts=fonts)
        self.ui.draw_ui(surface)
