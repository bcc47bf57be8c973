"""The side panel of the play screen: what is selected, the buttons for its orders, and the log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame
import pygame_gui
from pygame_gui.elements import UIButton

from anabasis_game.describe import Line
from anabasis_game.screens.text import to_html
from anabasis_game.uiscale import px
from anabasis_game.widgets import remove, set_enabled

Later = Callable[[Callable[[], None]], Callable[[], None]]
WIDTH = 390  # px at UI scale 1: the panel beside the map


@dataclass(frozen=True)
class Action:
    """A button in the panel: its label, what it does, why it cannot (greyed, as its tooltip), its style."""

    label: str
    command: Callable[[], None]
    refused: str | None = None
    style: str | None = None

    @property
    def wide(self) -> bool:
        return len(self.label) > 20 or self.style == "#option"


class SidePanel:
    """Three stacked parts: the selection's text, a grid of action buttons, and the log of the last weeks."""

    def __init__(self, ui: pygame_gui.UIManager, rect: pygame.Rect, scale: float = 1.0) -> None:
        self.ui = ui
        self.scale = scale
        self.panel = pygame_gui.elements.UIPanel(rect, 1, ui)
        self.inner = rect.width - 16
        info_height = max(px(220, scale), int(rect.height * 0.45))
        log_height = max(px(150, scale), int(rect.height * 0.27))
        heading = px(24, scale)
        log_top = rect.height - log_height - heading - 8
        self.info = pygame_gui.elements.UITextBox(
            "", pygame.Rect(4, 4, self.inner, info_height), ui, container=self.panel
        )
        pygame_gui.elements.UILabel(
            pygame.Rect(4, log_top, self.inner, heading),
            "What happened",
            ui,
            container=self.panel,
            object_id="#heading",
        )
        self.log = pygame_gui.elements.UITextBox(
            "", pygame.Rect(4, log_top + heading + 2, self.inner, log_height), ui, container=self.panel
        )
        self.actions_top, self.actions_bottom = info_height + 10, log_top - 6
        self.buttons: dict[str, UIButton] = {}

    @property
    def rect(self) -> pygame.Rect:
        return pygame.Rect(self.panel.rect)

    def show(self, lines: list[Line]) -> None:
        self.info.set_text(to_html(lines, self.scale))

    def set_log(self, lines: list[Line]) -> None:
        self.log.set_text(to_html(lines, self.scale))

    def set_actions(self, actions: list[Action], later: Later) -> None:
        """Lay the buttons out two to a row (long labels get a row each) until the log's title."""
        for button in self.buttons.values():
            remove(button)
        self.buttons = {}
        half = (self.inner - 6) // 2
        height, row = px(30, self.scale), px(34, self.scale)
        x, y = 4, self.actions_top
        for action in actions:
            width = self.inner if action.wide else half
            if x + width > self.inner + 4:
                x, y = 4, y + row
            if y + height > self.actions_bottom:
                break
            button = pygame_gui.elements.UIButton(
                pygame.Rect(x, y, width, height),
                action.label,
                self.ui,
                container=self.panel,
                tool_tip_text=action.refused,
                object_id=action.style,
                command=later(action.command),
            )
            set_enabled(button, action.refused is None)
            self.buttons[action.label] = button
            x += width + 6
            if action.wide:
                x, y = 4, y + row
