"""The window's speed: one frame of the whole map at 1600x900 (goal: median <= 4 ms), and the AI's turn
while the player waits (goal: median <= 100 ms). Measure with
`pytest tests/bench/test_bench_game.py --benchmark-enable`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import pygame
import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from anabasis.engine import Report, World
from anabasis.engine.game import Game
from anabasis_game.app import App
from anabasis_game.screens.play import PlayScreen
from anabasis_game.session import Session
from anabasis_game.userdata import Settings

ROOT = Path(__file__).resolve().parents[2]
CAMPAIGN = ROOT / "scenarios" / "revolt-1918.yaml"
MID_GAME = 20


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    yield App(Settings((1600, 900)), tmp_path, fps=0)
    pygame.display.quit()


def mid_game(world: World, saves: Path) -> Session:
    """A campaign some weeks in, the Legion played by a person who gave no orders, the rest by the AI."""
    session = Session(world.scenario, CAMPAIGN, Game(world, 3), humans=["legion"], skill=2, saves=saves)
    while session.state.turn < MID_GAME:
        session.end_turn()
    return session


def test_bench_one_frame_of_the_whole_map(benchmark: BenchmarkFixture, app: App, campaign_world: World) -> None:
    session = mid_game(campaign_world, app.saves)
    play = PlayScreen(app, session)
    play.view.camera.fit()
    legion = session.units()
    play.select(legion[0])  # a unit selected: its reach, rings and counters are part of the frame
    play.show_supply = True
    scene = play.scene()
    play.view.draw(app.screen, scene)  # the static layer is drawn once for this view

    benchmark(play.view.draw, app.screen, scene)


def test_bench_the_ai_turn_while_the_player_waits(
    benchmark: BenchmarkFixture, campaign_world: World, tmp_path: Path
) -> None:
    session = mid_game(campaign_world, tmp_path)
    game = session.game

    def fresh() -> tuple[tuple[Session], dict[str, object]]:
        restored = Game.replay(campaign_world, game.seed, game.log)
        waiting = Session(campaign_world.scenario, CAMPAIGN, restored, humans=["legion"], skill=2, saves=tmp_path)
        return (waiting,), {}

    def ai_turn(waiting: Session) -> Report:
        return waiting.end_turn()

    # Each round starts from the same week (a turn changes the session), made outside the timing.
    pedantic = cast(Callable[..., Report], benchmark.pedantic)
    report = pedantic(ai_turn, setup=fresh, rounds=15)
    assert report.turn == MID_GAME
