"""Screens as a stack of states, as in Tuxemon: the top one gets the input; drawing starts at the
highest opaque one and goes up, so a dialog shows over the map it belongs to."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from anabasis_game.widgets import clear

if TYPE_CHECKING:
    from anabasis_game.app import App

Action = Callable[[], None]


class State:
    """One screen: it reacts to events, moves on in `update`, and draws itself without changing anything."""

    opaque = True  # hides the states beneath it

    def __init__(self, app: App) -> None:
        self.app = app
        self.ui = app.new_ui()
        self.ui_ready = False
        self._actions: list[Action] = []

    def later(self, action: Action) -> Action:
        """A button command that runs `action` in the next update, not in the middle of event handling."""
        return lambda: self._actions.append(action)

    def process_event(self, event: pygame.event.Event) -> None:
        """Offer the event to the widgets first, then to the screen."""
        if not self.ui.process_events(event):
            self.handle(event)

    def handle(self, event: pygame.event.Event) -> None:
        """An event no widget took."""

    def update(self, dt: float) -> None:
        self.ui.update(dt)
        self.ui_ready = True
        actions, self._actions = self._actions, []
        for action in actions:
            action()

    def draw(self, surface: pygame.Surface) -> None:
        self.ui.draw_ui(surface)

    def resize(self, size: tuple[int, int]) -> None:
        """The window changed size: lay the screen out again."""
        self.ui.set_window_resolution(size)
        clear(self.ui)
        self.layout()

    def layout(self) -> None:
        """Create the widgets for the current window size."""

    def closing(self) -> None:
        """The window is closing: keep whatever must not be lost."""

    def dismiss(self) -> None:
        """Leave this screen."""
        self.app.stack.remove(self)


class Dialog(State):
    """A box over the screen below, which stays visible behind a veil."""

    opaque = False

    def draw(self, surface: pygame.Surface) -> None:
        veil = self.app.veil(surface.get_size())
        surface.blit(veil, (0, 0))
        self.ui.draw_ui(surface)

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.dismiss()


class StateStack:
    """push, pop, replace: the screens from bottom to top."""

    def __init__(self) -> None:
        self.states: list[State] = []

    @property
    def top(self) -> State | None:
        return self.states[-1] if self.states else None

    def push(self, state: State) -> None:
        self.states.append(state)

    def pop(self) -> State | None:
        return self.states.pop() if self.states else None

    def replace(self, state: State) -> None:
        """Put `state` in place of the top one."""
        self.pop()
        self.push(state)

    def remove(self, state: State) -> None:
        if state in self.states:
            self.states.remove(state)

    def reset(self, state: State) -> None:
        """Close every screen and start again from `state`."""
        self.states = [state]

    def find(self, kind: type[State]) -> State | None:
        """The topmost state of a kind."""
        return next((s for s in reversed(self.states) if isinstance(s, kind)), None)

    def draw(self, surface: pygame.Surface) -> None:
        first = max((k for k, s in enumerate(self.states) if s.opaque), default=0)
        for state in self.states[first:]:
            if not state.ui_ready:
                # A screen covered as soon as it was made has never been updated: its widgets need one
                # update to be drawn.
                state.ui.update(0.0)
                state.ui_ready = True
            state.draw(surface)
