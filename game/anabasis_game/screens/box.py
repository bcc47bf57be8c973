"""The box every dialog is drawn in: a title, a text and a row of buttons in the middle of the window, over a
veil. A base for the dialogs, not a screen of its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UIButton

from anabasis_game.state import Dialog

if TYPE_CHECKING:
    from anabasis_game.app import App

Button = tuple[str, Callable[[], None], str | None]  # label, command, object id


class BoxDialog(Dialog):
    """A titled box in the middle of the window with a text and a row of buttons; its sizes (px at UI scale 1)
    grow with the UI scale, as its text does."""

    width = 720
    height = 520

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.buttons: dict[str, UIButton] = {}
        self.layout()

    def title(self) -> str:
        return ""

    def body(self) -> str:
        """The box's text as text-box HTML."""
        return ""

    def choices(self) -> list[Button]:
        return [("Close", self.dismiss, None)]

    def box_height(self) -> int:
        return self.height

    def layout(self) -> None:
        w, h = self.app.size
        px = self.app.px
        width, height = min(px(self.width), w - 40), min(px(self.box_height()), h - 40)
        self.panel = pygame_gui.elements.UIPanel(
            pygame.Rect((w - width) // 2, (h - height) // 2, width, height), 1, self.ui
        )
        inner = width - 16
        pygame_gui.elements.UILabel(
            pygame.Rect(8, 8, inner, px(30)), self.title(), self.ui, container=self.panel, object_id="#heading"
        )
        choices = self.choices()
        rows = self._rows(choices, inner)
        top, row_height = px(44), px(38)
        text_height = height - 16 - top - row_height * len(rows)
        self.text = pygame_gui.elements.UITextBox(
            self.body(), pygame.Rect(8, top, inner, text_height), self.ui, container=self.panel
        )
        y = top + text_height + 8
        for row in rows:
            x = 8
            each = (inner - 8 * (len(row) - 1)) // len(row)
            for label, command, object_id in row:
                self.buttons[label] = pygame_gui.elements.UIButton(
                    pygame.Rect(x, y, each, px(32)),
                    label,
                    self.ui,
                    container=self.panel,
                    object_id=object_id,
                    command=self.later(command),
                )
                x += each + 8
            y += row_height

    @staticmethod
    def _rows(choices: list[Button], inner: int) -> list[list[Button]]:
        """Short labels share a row; long ones (decision options) get a row each."""
        rows: list[list[Button]] = []
        short: list[Button] = []
        for choice in choices:
            if len(choice[0]) > 24:
                rows.append([choice])
            else:
                short.append(choice)
        for k in range(0, len(short), 4):
            rows.append(short[k : k + 4])
        return rows

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_RETURN, pygame.K_KP_ENTER):
            self.default()

    def default(self) -> None:
        """What Enter or Esc does: the first choice."""
        self.choices()[0][1]()
