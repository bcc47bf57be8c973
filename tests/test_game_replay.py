"""Replays and the observer in the window, driven as a person would: keys, clicks and the slider posted to pygame.

Each step checks the replay's own weeks afterwards: the week shown is the engine's, a player who takes command
stands exactly where the replay was, the observer stops and goes on, and the AI's turn plays out before the
report unless skipped. Screenshots check that the bottleneck overlay colours a full line.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pygame
import pytest
from typer.testing import CliRunner

from anabasis.cli.main import app as cli
from anabasis.engine import Move, World
from anabasis.engine.game import Game
from anabasis.paths import default_scenario
from anabasis.replay import Provenance, Replay, open_replay, replay_orders
from anabasis_game import palette
from anabasis_game.app import App
from anabasis_game.driver import Driver
from anabasis_game.screens.dialogs import EventDialog, EventRecord, ReportDialog
from anabasis_game.screens.play import PlayScreen
from anabasis_game.screens.replay import ReplayScreen
from anabasis_game.screens.saves import LoadDialog
from anabasis_game.screens.title import TitleScreen
from anabasis_game.session import Opening, Session
from anabasis_game.userdata import SPEEDS, Settings, settings_path

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGN = ROOT / "scenarios" / "revolt-1918.yaml"
SUMMER = ROOT / "scenarios" / "summer-1918.yaml"
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"
# A Legion echelon of 7,000 men (seven trains) at Vladivostok, on a line to Chita that takes one train a day.
FULL_LINE = ("units[cz_vlad].men=7000", "units[cz_vlad].entrained=true", "segments[chita-vladivostok].trains_per_day=1")


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first weeks of the campaign played by the AIs, as a `run` log."""
    log = tmp_path_factory.mktemp("recorded") / "campaign.jsonl"
    result = CliRunner().invoke(cli, ["run", str(CAMPAIGN), "--seed", "4", "--turns", "12", "--log", str(log)])
    assert result.exit_code == 0, result.output
    return log


def window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Iterator[Driver]:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    (tmp_path / "saves").mkdir()
    yield Driver(App(settings, tmp_path / "saves", fps=0))
    pygame.display.quit()


@pytest.fixture
def driver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Driver]:
    yield from window(tmp_path, monkeypatch, Settings((1600, 900), warn_idle=False))


@pytest.fixture
def quick(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Driver]:
    """A window whose weeks play out at once (animations off), so the observer moves on quickly."""
    yield from window(tmp_path, monkeypatch, Settings((1600, 900), week_seconds=SPEEDS["Off"], warn_idle=False))


def replay_screen(driver: Driver) -> ReplayScreen:
    screen = driver.app.stack.find(ReplayScreen)
    assert isinstance(screen, ReplayScreen)
    return screen


def play_screen(driver: Driver) -> PlayScreen:
    screen = driver.app.stack.find(PlayScreen)
    assert isinstance(screen, PlayScreen)
    return screen


def until(driver: Driver, done: Callable[[], bool], seconds: float = 20.0) -> None:
    """Run the window's loop until `done`, as time passes."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "the window never got there"
        driver.frames(1)


def read_news(driver: Driver) -> None:
    while isinstance(driver.app.stack.top, ReportDialog | EventDialog):
        driver.key(pygame.K_ESCAPE)


def on_map(screen: ReplayScreen | PlayScreen) -> tuple[int, int]:
    """A point of the map away from every widget."""
    x, y, w, h = screen.view.camera.area
    return (x + w // 2, y + h - 60)


def shows(screen: ReplayScreen, replay: Replay, week: int) -> None:
    """The screen shows `week`: its state on the map, its report in the log, the slider at it."""
    assert screen.week == week
    assert screen.scene().state is replay.states[week]
    assert screen.slider.get_current_value() == week
    report = replay.reports[week]
    assert f"{report.date[8:].lstrip('0')} " in screen.panel.log.html_text


def test_stepping_forward_and_back_jumping_and_the_slider(driver: Driver, recorded: Path) -> None:
    replay = open_replay(recorded)
    driver.app.routes.replay(replay)
    driver.frames()
    screen = replay_screen(driver)
    shows(screen, replay, 0)
    assert "Event: The Chelyabinsk incident" in screen.panel.buttons

    # Right plays the week out on the map; a click skips it. Right again while a week plays goes on to the next.
    driver.key(pygame.K_RIGHT)
    shows(screen, replay, 1)
    assert screen.animation is not None and screen.scene().hidden == screen.animation.hidden
    driver.click(on_map(screen))
    assert screen.animation is None
    driver.key(pygame.K_RIGHT)
    driver.key(pygame.K_RIGHT)
    shows(screen, replay, 3)
    driver.key(pygame.K_RETURN)
    assert screen.animation is None

    # Left steps back at once; End and Home jump to the last and the first week.
    driver.key(pygame.K_LEFT)
    shows(screen, replay, 2)
    assert screen.animation is None
    driver.key(pygame.K_END)
    shows(screen, replay, replay.last)
    driver.key(pygame.K_HOME)
    shows(screen, replay, 0)

    # The slider's arrow steps a week; dragging its handle to the end jumps to the last week.
    driver.press(screen.slider.right_button)
    shows(screen, replay, 1)
    handle = screen.slider.sliding_button.rect.center
    driver.slide(handle, (screen.slider.rect.right - 5, handle[1]))
    shows(screen, replay, replay.last)
    driver.slide(screen.slider.sliding_button.rect.center, (screen.slider.rect.centerx, handle[1]))
    assert 0 < screen.week < replay.last
    shows(screen, replay, screen.week)

    # The week's events are listed and open to be read.
    driver.key(pygame.K_HOME)
    driver.press(screen.panel.buttons["Event: The Chelyabinsk incident"])
    record = driver.app.stack.top
    assert isinstance(record, EventRecord) and record.title() == "The Chelyabinsk incident"
    driver.press(record.buttons["Continue"])
    assert driver.app.stack.top is screen


def test_the_map_pans_when_dragged_and_zooms_with_the_wheel_and_a_drag_is_no_click(
    driver: Driver, recorded: Path
) -> None:
    driver.app.routes.replay(open_replay(recorded))
    driver.frames()
    screen = replay_screen(driver)
    camera = screen.view.camera
    start = on_map(screen)
    before = (camera.cx, camera.cy, camera.scale)
    driver.drag(start, (start[0] - 200, start[1] - 100))
    assert (camera.cx, camera.cy) != before[:2] and camera.scale == before[2]
    assert not screen.dragging and screen.press is None  # let go: the next press starts afresh
    driver.key(pygame.K_RIGHT, frames=1)  # a week starts to play out; a drag must not skip it, a click does
    driver.drag(start, (start[0] + 150, start[1]), frames=1)
    assert screen.animation is not None
    driver.click(start, frames=1)
    assert screen.animation is None
    driver.wheel(start, 2)
    assert camera.scale > before[2]


def test_taking_command_plays_on_from_the_week_shown(driver: Driver, recorded: Path) -> None:
    replay = open_replay(recorded)
    driver.app.routes.replay(replay)
    driver.frames()
    screen = replay_screen(driver)
    for _ in range(5):
        driver.key(pygame.K_RIGHT)
    driver.key(pygame.K_RETURN)
    driver.press(screen.panel.buttons["Take command of the Czechoslovak Legion"], frames=4)
    session = play_screen(driver).session
    assert session.humans == ["legion"] and session.state.turn == 5
    assert session.state.snapshot() == replay.states[5].snapshot()
    assert session.game.log == replay.orders[:5]
    assert [c.tolist() for c in session.control] == [s.control.tolist() for s in replay.states[:6]]
    read_news(driver)
    driver.press(play_screen(driver).buttons["end_turn"], frames=5)
    driver.key(pygame.K_SPACE)  # skips the week playing out
    assert session.state.turn == 6 and session.game.log[:5] == replay.orders[:5]


def test_the_observer_stops_goes_on_and_hands_over_at_any_week(quick: Driver) -> None:
    driver = quick
    driver.app.routes.title(SUMMER)
    driver.frames()
    title = driver.app.stack.top
    assert isinstance(title, TitleScreen)
    driver.press(title.buttons["watch"], frames=4)
    screen = replay_screen(driver)
    observer = screen.observer
    assert observer is not None and screen.playing
    until(driver, lambda: screen.week >= 2)

    # Space stops the AI: no week is played while it is stopped; Space again goes on.
    driver.key(pygame.K_SPACE)
    assert not screen.playing
    stopped = observer.replay.last
    pause = time.monotonic() + 1.0
    until(driver, lambda: time.monotonic() > pause)
    assert observer.replay.last == stopped and screen.week == stopped
    driver.press(screen.buttons["play"])
    assert screen.playing
    until(driver, lambda: screen.week >= stopped + 2)

    # Stopped again, a step back, and the Allies are taken over at that week.
    driver.key(pygame.K_SPACE)
    driver.key(pygame.K_LEFT)
    week = screen.week
    assert week == observer.replay.last - 1
    driver.press(screen.panel.buttons["Take command of the Allies"], frames=4)
    session = play_screen(driver).session
    assert session.humans == ["allies"] and session.state.turn == week
    assert session.state.snapshot() == observer.replay.states[week].snapshot()


def test_the_ai_turn_plays_out_on_the_map_before_the_report_and_a_click_skips_it(driver: Driver) -> None:
    session = Session.start(Opening(default_scenario(), ("legion",), seed=3), driver.app.saves)
    for _ in range(3):
        session.end_turn()
    driver.app.routes.start_game(session)
    driver.frames()
    read_news(driver)
    play = play_screen(driver)
    driver.press(play.buttons["end_turn"], frames=5)
    assert session.state.turn == 4
    assert play.animation is not None and driver.app.stack.top is play  # the report waits
    moving = {session.world.unit_index[m.unit] for m in session.reports[-1].moves}
    assert moving and play.scene().hidden == frozenset(moving)  # the trains run along their way, not yet there
    driver.frames(10)
    assert play.animation is not None and not play.animation.done
    driver.click(on_map(play))
    assert play.animation is None
    assert isinstance(driver.app.stack.top, ReportDialog)

    # Off in the settings: the report comes at once.
    read_news(driver)
    driver.app.apply(Settings((1600, 900), ai_turn=False, warn_idle=False))
    driver.press(play.buttons["end_turn"], frames=5)
    assert session.state.turn == 5 and play.animation is None
    assert isinstance(driver.app.stack.top, ReportDialog)


def full_line_game(world: World) -> Game:
    """A week of the mini line in which the Legion's seven trains fill the line from Vladivostok to Chita."""
    game = Game(world, 1)
    game.play({"legion": [Move("cz_vlad", "chita")]})
    return game


def pixels(driver: Driver, box: pygame.Rect, color: palette.Color) -> int:
    """How many pixels of `box` on the screen are exactly `color`."""
    image = pygame.surfarray.array3d(driver.app.screen.subsurface(box.clip(driver.app.screen.get_rect())))
    return int(np.all(image == color, axis=2).sum())


def segment_box(screen: ReplayScreen | PlayScreen, world: World, segment: str) -> pygame.Rect:
    seg = world.segment_index[segment]
    a, b = screen.view.station_xy(int(world.seg_a[seg])), screen.view.station_xy(int(world.seg_b[seg]))
    return pygame.Rect(min(a[0], b[0]), min(a[1], b[1]), abs(a[0] - b[0]) + 1, abs(a[1] - b[1]) + 1).inflate(8, 8)


def look_at_the_line(driver: Driver, screen: ReplayScreen | PlayScreen, world: World) -> None:
    """The whole mini line, from the Volga to the Pacific."""
    camera = screen.view.camera
    xs, ys = screen.view.model.x, screen.view.model.y
    camera.fit((float(xs.min()) - 300, float(ys.min()) - 300, float(xs.max()) + 300, float(ys.max()) + 300))
    driver.frames()


def test_the_bottleneck_overlay_colours_a_full_line_in_play_and_in_a_replay(
    driver: Driver, mini_world: Callable[..., World], tmp_path: Path
) -> None:
    world = mini_world(*FULL_LINE)
    game = full_line_game(world)
    session = Session(world.scenario, MINI, game, humans=["legion"], skill=2, saves=driver.app.saves)
    session.control = [Game(world, 1).state.control.copy(), game.state.control.copy()]
    session.reports = list(game.reports)
    driver.app.routes.start_game(session)
    driver.frames()
    read_news(driver)
    play = play_screen(driver)
    look_at_the_line(driver, play, world)
    full, idle = segment_box(play, world, "chita-vladivostok"), segment_box(play, world, "omsk-baikal")
    assert pixels(driver, full, palette.RAIL_FULL) == 0
    driver.key(pygame.K_f)
    shot = tmp_path / "overlay-play.png"
    driver.screenshot(str(shot))
    assert pixels(driver, full, palette.RAIL_FULL) > 100  # the seven trains filled the line
    assert pixels(driver, idle, palette.RAIL_IDLE) > 100 and pixels(driver, idle, palette.RAIL_FULL) == 0

    # The same week in a replay, with the tooltip over the full line.
    provenance = Provenance(world.scenario, MINI, FULL_LINE, title="the full line")
    replay = replay_orders(world, 1, game.log, provenance)
    driver.app.routes.replay(replay)
    driver.frames()
    screen = replay_screen(driver)
    driver.key(pygame.K_END)
    look_at_the_line(driver, screen, world)
    driver.key(pygame.K_f)
    full = segment_box(screen, world, "chita-vladivostok")
    point = screen.view.camera.point(*screen.view.model.segment_point(world.segment_index["chita-vladivostok"], 1500))
    pygame.mouse.set_pos(point)
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=point, rel=(0, 0), buttons=(0, 0, 0)))
    driver.frames()
    driver.screenshot(str(tmp_path / "overlay-replay.png"))
    assert pixels(driver, full, palette.RAIL_FULL) > 100
    assert screen.hover == point


def test_the_animation_speed_is_a_setting_kept_with_the_others(driver: Driver, recorded: Path) -> None:
    driver.app.routes.replay(open_replay(recorded))
    driver.frames()
    screen = replay_screen(driver)
    screen.set_speed(SPEEDS["Slow"])  # the list at the top of the replay
    kept = settings_path(driver.app.saves)
    assert Settings.load(kept) == Settings((1600, 900), week_seconds=SPEEDS["Slow"], warn_idle=False)
    driver.key(pygame.K_RIGHT)
    assert screen.animation is not None and screen.animation.seconds == SPEEDS["Slow"]
    Settings((1280, 720), ai_turn=False).save(kept)
    assert Settings.load(kept).ai_turn is False
    kept.write_text('{"window": [1280, 720]}', "utf-8")  # written before the animations were settings
    assert Settings.load(kept) == Settings((1280, 720))


def test_a_save_is_replayed_from_the_load_dialog_and_a_damaged_one_is_refused_there(driver: Driver) -> None:
    session = Session.start(Opening(SUMMER, ("legion",), seed=3), driver.app.saves)
    for _ in range(3):
        session.end_turn()
    session.save(driver.app.saves / "good.json")
    (driver.app.saves / "broken.json").write_text('{"format": "anabasis-save", "version": 1, "seed": "x"', "utf-8")
    driver.app.routes.title(SUMMER)
    driver.frames()
    title = driver.app.stack.top
    assert isinstance(title, TitleScreen)
    driver.press(title.buttons["load"])
    dialog = driver.app.stack.top
    assert isinstance(dialog, LoadDialog)
    for stem in ("broken", "good"):
        item = next(i for i in dialog.list.item_list if i["text"].startswith(f"{stem} "))
        driver.press(item["button_element"])
        driver.press(dialog.buttons["Replay"], frames=4)
        if stem == "broken":
            assert driver.app.stack.top is dialog and "cannot be replayed" in dialog.text.html_text
    screen = replay_screen(driver)
    assert screen.week == 0 and screen.replay.last == 3
    assert screen.replay.states[3].snapshot() == session.state.snapshot()
