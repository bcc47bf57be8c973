"""Stepping through a replay: one week forward in the window, the week's animation set up, the panel, the slider
and a frame of the whole map drawn (goal: median <= 50 ms, whatever the week); and opening a campaign's log,
which replays and checks it. Measure with `pytest tests/bench/test_bench_replay.py --benchmark-enable`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import cycle
from pathlib import Path
from typing import cast

import pygame
import pytest
from pytest_benchmark.fixture import BenchmarkFixture
from typer.testing import CliRunner

from anabasis.cli.main import app as cli
from anabasis.replay import Observer, Replay, open_replay
from anabasis_game.app import App
from anabasis_game.screens.replay import ReplayScreen
from anabasis_game.userdata import Settings

ROOT = Path(__file__).resolve().parents[2]
CAMPAIGN = ROOT / "scenarios" / "revolt-1918.yaml"
SEED = 3


@pytest.fixture(scope="module")
def campaign() -> Replay:
    """A whole campaign played by the AIs, every week kept."""
    observer = Observer.of(CAMPAIGN, seed=SEED)
    while observer.play_week():
        pass
    return observer.replay


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    yield App(Settings((1600, 900)), tmp_path, fps=0)
    pygame.display.quit()


def test_bench_one_step_of_a_replay_in_the_window(benchmark: BenchmarkFixture, app: App, campaign: Replay) -> None:
    screen = ReplayScreen(app, campaign)
    app.stack.reset(screen)
    screen.show_rail = True  # the overlay is worked out for each new week too
    screen.draw(app.screen)  # the static layer is drawn once for this view
    weeks = cycle(range(1, campaign.last + 1, 7))  # early, middle and late weeks in turn

    def before() -> tuple[tuple[int], dict[str, object]]:
        week = next(weeks)
        screen.go(week - 1)
        return (week,), {}

    def step(week: int) -> int:
        screen.step(1)  # what the Right arrow does, then the frame that shows it
        screen.update(0.0)
        screen.draw(app.screen)
        return screen.week

    pedantic = cast(Callable[..., int], benchmark.pedantic)
    assert pedantic(step, setup=before, rounds=36) >= 1
    assert screen.animation is not None


def test_bench_opening_a_campaign_log(benchmark: BenchmarkFixture, tmp_path: Path) -> None:
    log = tmp_path / "campaign.jsonl"
    result = CliRunner().invoke(cli, ["run", str(CAMPAIGN), "--seed", str(SEED), "--log", str(log)])
    assert result.exit_code == 0, result.output
    replay = cast(Callable[..., Replay], benchmark.pedantic)(open_replay, args=(log,), rounds=3)
    assert replay.states[-1].ended
