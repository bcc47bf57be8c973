"""Typed doors to the few pygame_gui methods that its own code leaves unannotated."""

from __future__ import annotations

from pygame_gui import UIManager
from pygame_gui.core import UIElement
from pygame_gui.elements import UIButton


def set_enabled(button: UIButton, enabled: bool) -> None:
    """Grey a button out (its tooltip then says why), or bring it back."""
    if enabled:
        button.enable()  # type: ignore[no-untyped-call]
    else:
        button.disable()  # type: ignore[no-untyped-call]


def set_selected(button: UIButton, selected: bool) -> None:
    """Show a button as the chosen one of its row, or not."""
    if selected:
        button.select()  # type: ignore[no-untyped-call]
    else:
        button.unselect()  # type: ignore[no-untyped-call]


def remove(element: UIElement) -> None:
    """Take a widget off the screen for good."""
    element.kill()  # type: ignore[no-untyped-call]


def clear(ui: UIManager) -> None:
    """Remove every widget of a screen, to lay it out again."""
    ui.clear_and_reset()  # type: ignore[no-untyped-call]


def set_shown(element: UIElement, shown: bool) -> None:
    """Show a widget, or hide it while keeping its place."""
    if shown:
        element.show()  # type: ignore[no-untyped-call]
    else:
        element.hide()  # type: ignore[no-untyped-call]
