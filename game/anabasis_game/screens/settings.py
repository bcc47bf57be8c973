"""Settings: the window's size and full screen, kept for next time."""

from __future__ import annotations

import pygame
import pygame_gui

from anabasis_game.app import App
from anabasis_game.screens.dialogs import BoxDialog, Button, MessageDialog
from anabasis_game.screens.text import to_html
from anabasis_game.userdata import WINDOW_SIZES, Settings, settings_path


def size_label(size: tuple[int, int]) -> str:
    return f"{size[0]} × {size[1]}"


class SettingsDialog(BoxDialog):
    """Choose a window size or full screen; Apply changes the window at once."""

    width = 480
    height = 340

    def __init__(self, app: App) -> None:
        self.window = app.settings.window
        self.fullscreen = app.settings.fullscreen
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
        pygame_gui.elements.UILabel(pygame.Rect(8, 100, 140, 32), "Window size", self.ui, container=self.panel)
        self.sizes = pygame_gui.elements.UIDropDownMenu(
            sizes, current, pygame.Rect(160, 100, inner - 152, 32), self.ui, container=self.panel
        )
        self.full = pygame_gui.elements.UICheckBox(
            pygame.Rect(160, 146, 24, 24), "Full screen", self.ui, container=self.panel, initial_state=self.fullscreen
        )

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.sizes:
            w, _, h = event.text.partition(" × ")
            self.window = (int(w), int(h))
        elif event.type == pygame_gui.UI_CHECK_BOX_CHECKED and event.ui_element is self.full:
            self.fullscreen = True
        elif event.type == pygame_gui.UI_CHECK_BOX_UNCHECKED and event.ui_element is self.full:
            self.fullscreen = False
        else:
            super().handle(event)

    def default(self) -> None:
        self.dismiss()

    def apply(self) -> None:
        self.dismiss()
        settings = Settings(self.window, self.fullscreen)
        self.app.apply(settings)
        try:
            settings.save(settings_path(self.app.saves))
        except OSError as error:
            self.app.push(MessageDialog(self.app, "Settings", f"The settings apply now but could not be kept: {error}"))
