"""Settings: the window's size and full screen, how fast a week plays out on the map, and whether the other
sides' moves play out after the player's turn, and whether to ask before a turn ends with units idle; kept for
next time."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame
import pygame_gui

from anabasis_game.screens.box import BoxDialog, Button
from anabasis_game.screens.text import to_html
from anabasis_game.userdata import SPEEDS, WINDOW_SIZES, Settings, settings_path, speed_name

if TYPE_CHECKING:
    from anabasis_game.app import App


def size_label(size: tuple[int, int]) -> str:
    return f"{size[0]} × {size[1]}"


class SettingsDialog(BoxDialog):
    """Choose a window size or full screen and the animations; Apply changes the window at once."""

    width = 520
    height = 400

    def __init__(self, app: App) -> None:
        chosen = app.settings
        self.window = chosen.window
        self.fullscreen = chosen.fullscreen
        self.week_seconds = chosen.week_seconds
        self.ai_turn = chosen.ai_turn
        self.warn_idle = chosen.warn_idle
        super().__init__(app)

    def title(self) -> str:
        return "Settings"

    def body(self) -> str:
        return to_html([("dim", f"Kept in {settings_path(self.app.saves)}")])

    def choices(self) -> list[Button]:
        return [("Apply", self.apply, "#end_turn"), ("Cancel", self.dismiss, None)]

    def layout(self) -> None:
        super().layout()
        inner = self.panel.relative_rect.width - 16
        self.text.set_dimensions((inner, 44))
        sizes: list[str | tuple[str, str]] = [size_label(s) for s in WINDOW_SIZES]
        current = size_label(self.window)
        if current not in sizes:
            sizes.append(current)
        label = pygame.Rect(8, 100, 170, 32)
        field = pygame.Rect(186, 100, inner - 178, 32)
        pygame_gui.elements.UILabel(label, "Window size", self.ui, container=self.panel)
        self.sizes = pygame_gui.elements.UIDropDownMenu(sizes, current, field, self.ui, container=self.panel)
        self.full = pygame_gui.elements.UICheckBox(
            pygame.Rect(186, 146, 24, 24), "Full screen", self.ui, container=self.panel, initial_state=self.fullscreen
        )
        pygame_gui.elements.UILabel(label.move(0, 90), "Animations", self.ui, container=self.panel)
        self.speed = pygame_gui.elements.UIDropDownMenu(
            list(SPEEDS), speed_name(self.week_seconds), field.move(0, 90), self.ui, container=self.panel
        )
        self.after_turn = pygame_gui.elements.UICheckBox(
            pygame.Rect(186, 236, 24, 24),
            "Play the other sides' moves after my turn",
            self.ui,
            container=self.panel,
            initial_state=self.ai_turn,
        )
        self.idle = pygame_gui.elements.UICheckBox(
            pygame.Rect(186, 276, 24, 24),
            "Ask before ending a turn with units idle",
            self.ui,
            container=self.panel,
            initial_state=self.warn_idle,
        )

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.sizes:
            w, _, h = event.text.partition(" × ")
            self.window = (int(w), int(h))
        elif event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.speed:
            self.week_seconds = SPEEDS[event.text]
        elif event.type in (pygame_gui.UI_CHECK_BOX_CHECKED, pygame_gui.UI_CHECK_BOX_UNCHECKED):
            checked = event.type == pygame_gui.UI_CHECK_BOX_CHECKED
            if event.ui_element is self.full:
                self.fullscreen = checked
            elif event.ui_element is self.after_turn:
                self.ai_turn = checked
            elif event.ui_element is self.idle:
                self.warn_idle = checked
        else:
            super().handle(event)

    def default(self) -> None:
        self.dismiss()

    def apply(self) -> None:
        self.dismiss()
        settings = Settings(self.window, self.fullscreen, self.week_seconds, self.ai_turn, self.warn_idle)
        self.app.apply(settings)
        try:
            settings.save(settings_path(self.app.saves))
        except OSError as error:
            self.app.routes.message("Settings", f"The settings apply now but could not be kept: {error}")
