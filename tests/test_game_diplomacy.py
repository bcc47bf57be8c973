"""Relations in the window: the diplomacy panel by key and button, refusals that name the missing war, and the
attack preview's reasons and cost, driven by posted events."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pygame
import pytest
from conftest import TitleWindow

from anabasis_game.driver import Driver
from anabasis_game.screens.dialogs import EventDialog, ReportDialog
from anabasis_game.screens.diplomacy import DiplomacyDialog
from anabasis_game.screens.play import PlayScreen
from anabasis_game.screens.title import TitleScreen


@pytest.fixture
def driver(title_window: TitleWindow) -> Driver:
    return title_window(advisor=False)  # no briefing nor advisor: tests/test_game_guidance.py plays with them


def start_legion(driver: Driver) -> PlayScreen:
    """Start as the Legion and click through the first news (leaving any decision open)."""
    title = driver.app.stack.top
    assert isinstance(title, TitleScreen)
    driver.press(title.buttons["legion"])
    driver.press(title.buttons["start"], frames=4)
    while isinstance(dialog := driver.app.stack.top, ReportDialog | EventDialog) and "Continue" in dialog.buttons:
        driver.press(dialog.buttons["Continue"])
    play = driver.app.stack.find(PlayScreen)
    assert isinstance(play, PlayScreen)
    while driver.app.stack.top is not play:  # a decision waiting: it stays waiting, the dialog closes
        driver.key(pygame.K_ESCAPE)
    return play


def test_w_and_the_button_open_the_relations(driver: Driver, tmp_path: Path) -> None:
    play = start_legion(driver)
    driver.key(pygame.K_w)
    dialog = driver.app.stack.top
    assert isinstance(dialog, DiplomacyDialog)
    text = dialog.text.html_text
    assert "Czechoslovak Legion and the Bolsheviks: neutral" in text
    assert "go to war" in text and "is chosen by the Czechoslovak Legion" in text
    shot = Path(os.environ.get("ANABASIS_SHOTS", tmp_path)) / "relations.png"
    driver.screenshot(str(shot))
    assert shot.stat().st_size > 0
    driver.press(dialog.buttons["Close"])
    assert driver.app.stack.top is play
    driver.press(play.buttons["relations"])
    assert isinstance(driver.app.stack.top, DiplomacyDialog)


def test_attack_before_the_war_says_there_is_no_war_yet(driver: Driver) -> None:
    play = start_legion(driver)
    s = play.session
    w = s.world
    penza = w.station_index["penza"]
    legion = w.faction_index["legion"]
    unit = next(u for u in s.state.units_at(penza) if w.unit_faction[u] == legion)
    play.selected = unit
    driver.key(pygame.K_a)
    assert play.message == (
        "Cannot attack: the Czechoslovak Legion and the Bolsheviks are not at war yet: Penza cannot be attacked"
    )
    assert not np.any(s.state.stance[legion] == 2)
