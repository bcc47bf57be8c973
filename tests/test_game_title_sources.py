"""The title screen says, for the scenario chosen, how much of it rests on the documents, on estimates and on
assumptions, in one line under its description."""

from __future__ import annotations

import html
from pathlib import Path

import pygame
import pytest
from conftest import TitleWindow

from anabasis.paths import default_scenario, scenarios_dir
from anabasis.scenario import load_scenario
from anabasis.scenario.confidence import tally
from anabasis_game.driver import Driver
from anabasis_game.screens.title import TitleScreen


@pytest.fixture
def driver(title_window: TitleWindow) -> Driver:
    return title_window()


def shown(title: TitleScreen) -> str:
    return html.unescape(title.about.html_text)


def test_the_scenario_text_says_what_its_facts_rest_on(driver: Driver, tmp_path: Path) -> None:
    title = driver.top
    assert isinstance(title, TitleScreen)
    campaign = tally(load_scenario(default_scenario())).line()
    assert campaign.startswith("Sources: men ") and "; track " in campaign and "; events " in campaign
    assert campaign in shown(title)
    spring = scenarios_dir() / "spring-1919.yaml"
    driver.press(title.buttons[str(spring)])
    assert tally(load_scenario(spring)).line() in shown(title)
    assert "Kolchak" in shown(title)
    picture = tmp_path / "title.png"
    driver.screenshot(str(picture))
    image = pygame.image.load(str(picture))
    assert image.get_size() == (1600, 900)
    box = title.about.rect
    inks = {
        tuple(image.get_at((x, y)))
        for x in range(box.left + 5, box.right - 5, 5)
        for y in range(box.top + 5, box.top + 200, 3)
    }
    assert len(inks) > 8  # the text box is drawn, with its text
