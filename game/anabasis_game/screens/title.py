"""The title screen: choose the scenario, the side (or hot-seat), the AI's skill; load; settings; quit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pygame
import pygame_gui
import yaml
from pygame_gui.elements import UIButton

from anabasis.paths import bundled_scenarios
from anabasis.replay import Observer
from anabasis.scenario import ScenarioError, load_scenario
from anabasis.scenario.confidence import tally
from anabasis_game import palette
from anabasis_game.screens.text import to_html
from anabasis_game.session import Opening, Session
from anabasis_game.state import State
from anabasis_game.widgets import set_selected

if TYPE_CHECKING:
    from anabasis_game.app import App

SIDES = {"legion": ("legion",), "allies": ("allies",), "hotseat": ("legion", "allies")}
SIDE_LABELS = {"legion": "Czechoslovak Legion", "allies": "The Allies", "hotseat": "Hot-seat: both, two players"}
SKILL_LABELS = {1: "1 — easy", 2: "2 — fair", 3: "3 — hard"}


@dataclass(frozen=True)
class ScenarioChoice:
    path: Path
    title: str
    description: str


def scenario_choices() -> list[ScenarioChoice]:
    """The bundled scenarios with their titles, read from each file's own `scenario:` block."""
    out = []
    for path in bundled_scenarios():
        try:
            meta = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("scenario", {})
        except (OSError, yaml.YAMLError):
            meta = {}
        out.append(ScenarioChoice(path, str(meta.get("title") or path.stem), str(meta.get("description") or "")))
    return out


class TitleScreen(State):
    """Where a game begins."""

    def __init__(self, app: App, scenario: Path | None = None, side: str = "legion", skill: int = 2) -> None:
        super().__init__(app)
        app.audio.music("title")
        self.scenarios = scenario_choices()
        paths = [c.path for c in self.scenarios]
        if scenario is not None and scenario not in paths:
            self.scenarios.insert(0, ScenarioChoice(scenario, scenario.stem, ""))
            paths.insert(0, scenario)
        default = next((c for c in self.scenarios if c.path.name == "revolt-1918.yaml"), None)
        self.scenario = scenario or (default.path if default else (paths[0] if paths else None))
        self.side = side
        self.skill = skill
        self.problems: list[str] = []
        self.sources: dict[Path, str] = {}  # each scenario's line on what its facts rest on, once read
        self.buttons: dict[str, UIButton] = {}
        self.layout()

    def layout(self) -> None:
        w, h = self.app.size
        ui, px = self.ui, self.app.px
        self.buttons = {}
        left, width = px(60), min(px(620), w // 2 - px(60))
        y = px(150)

        def row(
            label: str, names: list[tuple[str, str]], chosen: str, pick: Callable[[str], Callable[[], None]]
        ) -> None:
            nonlocal y
            pygame_gui.elements.UILabel(pygame.Rect(left, y, width, px(26)), label, ui, object_id="#heading")
            y += px(30)
            for name, text in names:
                button = pygame_gui.elements.UIButton(
                    pygame.Rect(left, y, width, px(34)), text, ui, command=self.later(pick(name))
                )
                set_selected(button, name == chosen)
                self.buttons[name] = button
                y += px(38)
            y += px(12)

        row("Scenario", [(str(c.path), c.title) for c in self.scenarios], str(self.scenario), self._pick_scenario)
        row("Command", list(SIDE_LABELS.items()), self.side, self._pick_side)
        row(
            "The AI's skill",
            [(f"skill{k}", v) for k, v in SKILL_LABELS.items()],
            f"skill{self.skill}",
            self._pick_skill,
        )
        x = left
        for name, label, each, command, object_id in (
            ("start", "Start", 90, self.start, "#end_turn"),
            ("watch", "Watch the AI", 120, self.watch, None),
            ("load", "Load game", 104, self.load, None),
            ("settings", "Settings", 96, self.settings, None),
            ("help", "Help", 70, self.help, None),
            ("quit", "Quit", 70, self.app.quit, "#danger"),
        ):
            self.buttons[name] = pygame_gui.elements.UIButton(
                pygame.Rect(x, y + px(10), px(each), px(40)),
                label,
                ui,
                object_id=object_id,
                command=self.later(command),
            )
            x += px(each) + 8
        self.about = pygame_gui.elements.UITextBox(
            self._about(), pygame.Rect(w // 2 + 20, px(150), w // 2 - 80, min(h - px(220), px(520))), ui
        )

    def _about(self) -> str:
        choice = next((c for c in self.scenarios if c.path == self.scenario), None)
        lines = [("title", choice.title if choice else "No scenario found")]
        if choice and choice.description:
            lines.append(("text", choice.description))
        if choice:
            lines += [("text", ""), ("dim", self._sources(choice.path))]
        if self.problems:
            lines += [("text", ""), ("bad", "The scenario has problems:")] + [("bad", p) for p in self.problems]
        return to_html(lines, self.app.scale)

    def _sources(self, path: Path) -> str:
        """How much of the scenario's men, track and events rests on the documents, on estimates, on guesses."""
        if path not in self.sources:
            try:
                self.sources[path] = tally(load_scenario(path)).line()
            except ScenarioError:
                self.sources[path] = "Sources: the scenario has problems (Start lists them)."
        return self.sources[path]

    def _reselect(self, names: list[str], chosen: str) -> None:
        for name in names:
            set_selected(self.buttons[name], name == chosen)

    def _pick_scenario(self, name: str) -> Callable[[], None]:
        def pick() -> None:
            self.scenario = Path(name)
            self._reselect([str(c.path) for c in self.scenarios], name)
            self.about.set_text(self._about())

        return pick

    def _pick_side(self, name: str) -> Callable[[], None]:
        def pick() -> None:
            self.side = name
            self._reselect(list(SIDES), name)

        return pick

    def _pick_skill(self, name: str) -> Callable[[], None]:
        def pick() -> None:
            self.skill = int(name.removeprefix("skill"))
            self._reselect([f"skill{k}" for k in SKILL_LABELS], name)

        return pick

    def start(self) -> None:
        if self.scenario is None:
            return
        try:
            session = Session.start(Opening(self.scenario, SIDES[self.side], self.skill), self.app.saves)
        except ScenarioError as error:
            self.problems = [str(p) for p in error.problems[:8]]
            self.about.set_text(self._about())
            return
        self.app.routes.start_game(session)

    def watch(self) -> None:
        """The AI against itself on the chosen scenario, at the chosen skill."""
        if self.scenario is None:
            return
        try:
            observer = Observer.of(self.scenario, self.skill)
        except ScenarioError as error:
            self.problems = [str(p) for p in error.problems[:8]]
            self.about.set_text(self._about())
            return
        self.app.routes.watch(observer)

    def load(self) -> None:
        self.app.routes.load_game()

    def settings(self) -> None:
        self.app.routes.settings()

    def help(self) -> None:
        self.app.routes.help()

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.start()
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.quit()

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(palette.BANNER)
        fonts = self.app.fonts
        px = self.app.px
        surface.blit(fonts.text("ANABASIS", 44, palette.PANEL_TEXT, bold=True), (px(60), px(36)))
        subtitle = "The Czechoslovak Legion and the Allied intervention in Russia, 1918–1920"
        surface.blit(fonts.text(subtitle, 17, palette.DIM_TEXT), (px(62), px(96)))
        self.ui.draw_ui(surface)
