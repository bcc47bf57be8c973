"""The end of the war, told to the player: won or lost and by how much, the points by faction and objective,
and how the points and the key cities went week by week."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pygame
import pygame_gui
from pygame_gui.elements import UIButton

from anabasis_game import describe, palette
from anabasis_game.chart import cities_series, draw_chart, held_by_turn, points_series
from anabasis_game.screens.text import to_html
from anabasis_game.session import Session
from anabasis_game.state import State

if TYPE_CHECKING:
    from anabasis_game.app import App


class VictoryScreen(State):
    """The result, from `result(state)`, from the player's side, with the objectives' own names."""

    def __init__(self, app: App, session: Session) -> None:
        super().__init__(app)
        self.session = session
        self.result = session.result()
        stations = session.key_stations()
        self.total = len(stations)
        self.counts = held_by_turn(session.world, session.control, stations)
        self.cities = cities_series(session.world, self.counts, self.total)
        self.points = points_series(session.world, session.points)
        self.buttons: dict[str, UIButton] = {}
        self.layout()

    def margin(self) -> float:
        """The winner's lead over the best of the other sides (0 in a draw)."""
        points = sorted(self.result.sides.values(), reverse=True)
        return points[0] - points[1] if len(points) > 1 else points[0]

    def player_sides(self) -> set[str]:
        w = self.session.world
        return {w.side_ids[int(w.side_of[w.faction_index[f]])] for f in self.session.humans}

    def headline(self) -> str:
        """`You lost by 7.7 points`; in hot-seat between sides, the winner by name."""
        w = self.session.world
        r = self.result
        if r.winner == "draw":
            return "The war ends in a draw"
        by = f"by {self.margin():.1f} points"
        sides = self.player_sides()
        if len(sides) == 1:
            return f"You won {by}" if r.winner in sides else f"You lost {by}"
        return f"{w.side_names[w.side_ids.index(r.winner)]} won {by}"

    def lines(self) -> list[describe.Line]:
        w = self.session.world
        r = self.result
        how = "the last week of the campaign was played" if r.reason == "date" else "one side has nobody left to fight"
        last = describe.day(w.date_of(max(0, r.turns - 1)))
        lines: list[describe.Line] = [("dim", f"After {r.turns} weeks, in the week of {last}: {how}."), ("text", "")]
        for k, (side, name) in enumerate(zip(w.side_ids, w.side_names, strict=True)):
            lines.append(("head", f"{name}: {r.sides[side]:.1f} points"))
            for member in np.flatnonzero(w.side_of == k).tolist():
                lines.append(("text", f"   {w.faction_names[member]}: {r.factions[w.faction_ids[member]]:.1f}"))
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

    def charts(self) -> tuple[pygame.Rect, pygame.Rect]:
        """The points over time above the key cities held, in the right half."""
        w, h = self.app.size
        height = min(400, (h - 140) // 2)
        top = pygame.Rect(w // 2, 110, w // 2 - 30, height)
        return top, top.move(0, height + 10)

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
        w = self.session.world
        surface.fill(palette.BANNER)
        fonts = self.app.fonts
        surface.blit(fonts.text(self.headline(), 34, palette.PANEL_TEXT, bold=True), (30, 28))
        r = self.result
        score = "  v  ".join(f"{name} {r.sides[side]:.1f}" for side, name in zip(w.side_ids, w.side_names, strict=True))
        surface.blit(fonts.text(score, 16, palette.DIM_TEXT), (30, 74))
        points, cities = self.charts()
        draw_chart(surface, points, w, self.points, fonts=fonts)
        draw_chart(surface, cities, w, self.cities, fonts=fonts)
        self.ui.draw_ui(surface)
