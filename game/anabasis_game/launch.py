"""Open the window: straight into a game, a replay or the observer when the command line gave one, else at the
title screen."""

from __future__ import annotations

from pathlib import Path

import pygame

from anabasis.replay import Observer, Replay
from anabasis_game.app import App
from anabasis_game.session import Opening, Session
from anabasis_game.userdata import Settings

Start = Session | Replay | Observer | None  # what the window opens on; None: the title screen


def prepare(opening: Opening | None, load: Path | None, saves: Path, scenario: Path | None = None) -> Session | None:
    """The game to open, checked before any window appears: ScenarioError or SaveError say what is wrong."""
    if load is not None:
        return Session.load(load, saves, scenario)
    if opening is not None:
        return Session.start(opening, saves)
    return None


class WindowError(RuntimeError):
    """The display would not give us a window (no screen, no video driver)."""


def run(settings: Settings, saves: Path, start: Start, scenario: Path | None = None) -> None:
    """Play until the window closes; WindowError if there is no window to play in."""
    try:
        app = App(settings, saves)
    except pygame.error as error:
        raise WindowError(str(error)) from None
    if isinstance(start, Session):
        app.routes.start_game(start)
    elif isinstance(start, Observer):
        app.routes.watch(start)
    elif isinstance(start, Replay):
        app.routes.replay(start)
    else:
        app.routes.title(scenario)
    app.run()
