"""Open the window: straight into a game when the command line gave one, else at the title screen."""

from __future__ import annotations

from pathlib import Path

import pygame

from anabasis_game.app import App
from anabasis_game.screens.flow import start_game
from anabasis_game.screens.title import TitleScreen
from anabasis_game.session import Opening, Session
from anabasis_game.userdata import Settings


def prepare(opening: Opening | None, load: Path | None, saves: Path, scenario: Path | None = None) -> Session | None:
    """The game to open, checked before any window appears: ScenarioError or SaveError say what is wrong."""
    if load is not None:
        return Session.load(load, saves, scenario)
    if opening is not None:
        return Session.start(opening, saves)
    return None


class WindowError(RuntimeError):
    """The display would not give us a window (no screen, no video driver)."""


def run(settings: Settings, saves: Path, session: Session | None, scenario: Path | None = None) -> None:
    """Play until the window closes; WindowError if there is no window to play in."""
    try:
        app = App(settings, saves)
    except pygame.error as error:
        raise WindowError(str(error)) from None
    if session is not None:
        start_game(app, session)
    else:
        app.push(TitleScreen(app, scenario))
    app.run()
