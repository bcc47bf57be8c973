"""Shared fixtures: scenarios compiled for play, whole games played by random commanders, and the window on its
title screen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pygame
import pytest

from anabasis.ai.baseline import RandomAgent
from anabasis.engine import World, compile_world
from anabasis.engine.game import Game
from anabasis.paths import default_scenario
from anabasis.scenario import load_scenario
from anabasis_game.app import App
from anabasis_game.driver import Driver
from anabasis_game.screens.title import TitleScreen
from anabasis_game.userdata import Settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
MINI = FIXTURES / "mini.yaml"
CAMPAIGN = ROOT / "scenarios" / "revolt-1918.yaml"

WorldOf = Callable[..., World]
PlayRandom = Callable[..., Game]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true", help="rewrite the golden files in tests/golden/ on purpose")


@cache
def _world(path: Path, overrides: tuple[str, ...]) -> World:
    return compile_world(load_scenario(path, overrides))


@pytest.fixture(scope="session")
def mini_world() -> WorldOf:
    """`mini_world("units[cz_chel].men=4000", ...)`: the mini fixture with `--set` overrides, compiled once."""
    return lambda *overrides: _world(MINI, tuple(overrides))


@pytest.fixture(scope="session")
def fixture_world() -> WorldOf:
    """`fixture_world("engine_last_stand.yaml", *overrides)`: any scenario of tests/fixtures/, compiled once."""
    return lambda name, *overrides: _world(FIXTURES / name, tuple(overrides))


@pytest.fixture(scope="session")
def campaign_world() -> World:
    """The real campaign, 1918-1920."""
    return _world(CAMPAIGN, ())


def random_game(world: World, seed: int, turns: int | None = None) -> Game:
    """A game of `world` with a random commander for every faction, each drawing from `Game.agent_rng`."""
    game = Game(world, seed)
    agents = {f: RandomAgent() for f in world.faction_ids}
    while not game.state.ended and (turns is None or game.turn < turns):
        game.play({f: agent.orders(game.state, f, game.agent_rng(f)) for f, agent in agents.items()})
    return game


@pytest.fixture(scope="session")
def play_random() -> PlayRandom:
    """`play_random(world, seed, turns=None)`: a game played by random commanders, to its end or for `turns`."""
    return random_game


TitleWindow = Callable[..., Driver]


@pytest.fixture
def title_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TitleWindow]:
    """`title_window(advisor=False, ..., assets=None)`: the window at 1600x900 on the title screen of the default
    campaign, under SDL's dummy video and audio drivers, with `Settings` fields as given, saves in
    `tmp_path / "saves"` and the assets folder given (the game's own by default); closed after the test."""

    def open_title(assets: Path | None = None, **settings: Any) -> Driver:
        monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
        monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
        (tmp_path / "saves").mkdir(exist_ok=True)
        app = App(Settings((1600, 900), **settings), tmp_path / "saves", fps=0, assets=assets)
        app.push(TitleScreen(app, default_scenario()))
        driver = Driver(app)
        driver.frames(2)
        return driver

    yield open_title
    pygame.display.quit()
