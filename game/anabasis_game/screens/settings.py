"""Settings: the window (size, full screen, UI scale), how fast a week plays out on the map and whether the other
sides' moves play out after the player's turn, the advisor and the asking, where other sides' events go, and the
sound; kept for next time."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pygame
import pygame_gui

from anabasis_game.screens.box import BoxDialog, Button
from anabasis_game.screens.text import to_html
from anabasis_game.userdata import (
    SPEEDS,
    UI_SCALES,
    WINDOW_SIZES,
    Settings,
    scale_name,
    settings_path,
    speed_name,
)

if TYPE_CHECKING:
    from anabasis_game.app import App

# The check boxes, in order: the setting each one holds and what it says.
CHECKS = (
    ("fullscreen", "Full screen"),
    ("ai_turn", "Play the other sides' moves after my turn"),
    ("warn_idle", "Ask before ending a turn with units idle"),
    ("advisor", "The briefing and the advisor's first-week hints"),
    ("others_in_log", "Events of other sides: in the log only"),
    ("muted", "Mute all sound"),
)
SLIDERS = (("effects_volume", "Effects volume"), ("music_volume", "Music volume"))
ROW = 38
TOP = 92  # the rows start under the title and the "Kept in" line


def size_label(size: tuple[int, int]) -> str:
    return f"{size[0]} × {size[1]}"


class SettingsDialog(BoxDialog):
    """Every setting on one box; Apply changes the window at once and keeps the settings for next time."""

    width = 600
    height = TOP + ROW * (3 + len(SLIDERS) + len(CHECKS)) + 60

    def __init__(self, app: App) -> None:
        self.chosen = app.settings
        super().__init__(app)

    def title(self) -> str:
        return "Settings"

    def body(self) -> str:
        return to_html([("dim", f"Kept in {settings_path(self.app.saves)}")])

    def choices(self) -> list[Button]:
        return [("Apply", self.apply, "#end_turn"), ("Cancel", self.dismiss, None)]

    def layout(self) -> None:
        super().layout()
        px = self.app.px
        inner = self.panel.relative_rect.width - 16
        self.text.set_dimensions((inner, px(40)))
        label = pygame.Rect(8, px(TOP), px(170), px(32))
        field = pygame.Rect(px(186), px(TOP), inner - px(178), px(32))
        step = px(ROW)

        def row(n: int, name: str) -> tuple[pygame.Rect, pygame.Rect]:
            pygame_gui.elements.UILabel(label.move(0, step * n), name, self.ui, container=self.panel)
            return label.move(0, step * n), field.move(0, step * n)

        sizes: list[str | tuple[str, str]] = [size_label(s) for s in WINDOW_SIZES]
        current = size_label(self.chosen.window)
        if current not in sizes:
            sizes.append(current)
        self.sizes = pygame_gui.elements.UIDropDownMenu(
            sizes, current, row(0, "Window size")[1], self.ui, container=self.panel
        )
        self.scale = pygame_gui.elements.UIDropDownMenu(
            list(UI_SCALES),
            scale_name(self.chosen.ui_scale),
            row(1, "Text and panels")[1],
            self.ui,
            container=self.panel,
        )
        self.speed = pygame_gui.elements.UIDropDownMenu(
            list(SPEEDS), speed_name(self.chosen.week_seconds), row(2, "Animations")[1], self.ui, container=self.panel
        )
        self.sliders: dict[str, pygame_gui.elements.UIHorizontalSlider] = {}
        for n, (name, text) in enumerate(SLIDERS, start=3):
            value = round(getattr(self.chosen, name) * 100)
            self.sliders[name] = pygame_gui.elements.UIHorizontalSlider(
                row(n, text)[1], value, (0, 100), self.ui, container=self.panel, click_increment=10
            )
        self.checks: dict[str, pygame_gui.elements.UICheckBox] = {}
        for n, (name, text) in enumerate(CHECKS, start=3 + len(SLIDERS)):
            box = pygame.Rect(px(186), px(TOP) + step * n + px(4), px(24), px(24))
            self.checks[name] = pygame_gui.elements.UICheckBox(
                box, text, self.ui, container=self.panel, initial_state=bool(getattr(self.chosen, name))
            )

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.sizes:
            w, _, h = event.text.partition(" × ")
            self.chosen = replace(self.chosen, window=(int(w), int(h)))
        elif event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.scale:
            self.chosen = replace(self.chosen, ui_scale=UI_SCALES[event.text])
        elif event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.speed:
            self.chosen = replace(self.chosen, week_seconds=SPEEDS[event.text])
        elif event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED:
            for name, slider in self.sliders.items():
                if event.ui_element is slider:
                    self.chosen = self._with(name, slider.get_current_value() / 100)
        elif event.type in (pygame_gui.UI_CHECK_BOX_CHECKED, pygame_gui.UI_CHECK_BOX_UNCHECKED):
            for name, box in self.checks.items():
                if event.ui_element is box:
                    self.chosen = self._with(name, event.type == pygame_gui.UI_CHECK_BOX_CHECKED)
        else:
            super().handle(event)

    def _with(self, name: str, value: float | bool) -> Settings:
        chosen = replace(self.chosen)
        setattr(chosen, name, value)
        return chosen

    def default(self) -> None:
        self.dismiss()

    def apply(self) -> None:
        self.dismiss()
        settings: Settings = self.chosen
        self.app.apply(settings)
        try:
            settings.save(settings_path(self.app.saves))
        except OSError as error:
            self.app.routes.message("Settings", f"The settings apply now but could not be kept: {error}")
