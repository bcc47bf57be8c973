"""The advisor's box in a corner of the map: one hint at a time, with buttons to act on it, read the next, hide
the box for the week, or never show it again (the advisor's setting)."""

from __future__ import annotations

from collections.abc import Callable

import pygame
import pygame_gui

from anabasis_game.advisor import ADVISOR_WEEKS, Hint
from anabasis_game.screens.text import to_html
from anabasis_game.uiscale import px
from anabasis_game.widgets import set_shown

Later = Callable[[Callable[[], None]], Callable[[], None]]
SIZE = (520, 214)  # px at UI scale 1
BUTTONS = {"Show me": 104, "Next tip": 104, "Hide": 80, "Don't show again": 200}  # their widths, px at UI scale 1
TIPS = {
    "Show me": "Select the unit the hint is about, or look at its station",
    "Next tip": "The next thing the advisor has to say this week",
    "Hide": "Put the advisor away until next week",
    "Don't show again": "Turn the advisor off (the settings can turn it back on)",
}


class AdvisorBox:
    """A panel of the play screen's widgets: the hint's text and four buttons; hidden when there is nothing to say,
    when the player hid it this week, or when the advisor is off."""

    def __init__(
        self,
        ui: pygame_gui.UIManager,
        top_right: tuple[int, int],
        scale: float,
        later: Later,
        *,
        act: Callable[[Hint], None],
        never: Callable[[], None],
    ) -> None:
        width, height = px(SIZE[0], scale), px(SIZE[1], scale)
        row = px(30, scale)
        self.panel = pygame_gui.elements.UIPanel(pygame.Rect(top_right[0] - width, top_right[1], width, height), 2, ui)
        inner = width - 12
        self.text = pygame_gui.elements.UITextBox(
            "", pygame.Rect(4, 4, inner, height - row - 16), ui, container=self.panel
        )
        commands = {
            "Show me": lambda: act(self.hint) if self.hint is not None else None,
            "Next tip": self.next_tip,
            "Hide": self.hide_for_week,
            "Don't show again": never,
        }
        self.buttons: dict[str, pygame_gui.elements.UIButton] = {}
        widths = {label: px(wide, scale) for label, wide in BUTTONS.items()}
        x = 4 + inner - sum(widths.values()) - 6 * (len(widths) - 1)  # to the right: the optional ones go first
        for label, command in commands.items():
            self.buttons[label] = pygame_gui.elements.UIButton(
                pygame.Rect(x, height - row - 8, widths[label], row),
                label,
                ui,
                container=self.panel,
                tool_tip_text=TIPS[label],
                command=later(command),
            )
            x += widths[label] + 6
        self.hints: list[Hint] = []
        self.index = 0
        self.turn = -1
        self.hidden_turn = -1
        self.enabled = False  # the advisor's setting when the box was last filled
        self.panel.hide()

    @property
    def hint(self) -> Hint | None:
        return self.hints[self.index] if self.hints else None

    @property
    def visible(self) -> bool:
        return bool(self.panel.visible)

    def show(self, hints: list[Hint], turn: int, enabled: bool) -> None:
        """The hints of now, for the week `turn`; the box shows the first (or, the same week, the one read last if it
        still holds)."""
        before = self.hint if turn == self.turn else None
        self.hints, self.turn, self.enabled = hints, turn, enabled
        self.index = self.hints.index(before) if before in self.hints else 0
        if not hints or not enabled or turn == self.hidden_turn:
            self.panel.hide()
            return
        self.panel.show()
        self._write()

    def next_tip(self) -> None:
        if self.hints:
            self.index = (self.index + 1) % len(self.hints)
            self._write()

    def hide_for_week(self) -> None:
        self.hidden_turn = self.turn
        self.panel.hide()

    def _write(self) -> None:
        hint = self.hints[self.index]
        count = f" — tip {self.index + 1} of {len(self.hints)}" if len(self.hints) > 1 else ""
        heading = f"Advisor, week {self.turn + 1} of {ADVISOR_WEEKS}{count}"
        self.text.set_text(to_html([("head", heading), ("text", hint.text)]))
        set_shown(self.buttons["Show me"], hint.unit >= 0 or hint.station >= 0)
        set_shown(self.buttons["Next tip"], len(self.hints) > 1)
