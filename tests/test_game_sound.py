"""The game's sound, heard through SDL's dummy audio driver: music for the title and the map, an effect for an
order given or refused, for trains on the move and battles as a week plays out, a chime for each event that comes
up; the player's mute and volumes; silence, never a crash, without an audio device or with broken files; and
sound files that the script in assets/tools makes again from its seed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import get_args

import numpy as np
import numpy.typing as npt
import pygame
import pytest
from conftest import TitleWindow
from test_game_play import ECHELON, end_turn, play_screen, select, start, top

from anabasis.paths import assets_dir
from anabasis_game.animation import BATTLES_FROM
from anabasis_game.audio import MUSIC, TRACKS, Audio, Effect
from anabasis_game.driver import Driver
from anabasis_game.reach import reach_of
from anabasis_game.screens.box import BoxDialog
from anabasis_game.screens.dialogs import EventDialog, ReportDialog
from anabasis_game.screens.settings import SettingsDialog
from anabasis_game.userdata import Settings, settings_path

EFFECTS: tuple[Effect, ...] = get_args(Effect)
SOUNDS = assets_dir() / "sounds"
SCRIPT = assets_dir() / "tools" / "make_sounds.py"


@pytest.fixture
def window(title_window: TitleWindow) -> Driver:
    return title_window()


def listen(monkeypatch: pytest.MonkeyPatch, audio: Audio) -> list[Effect]:
    """Every effect the game asks for from now on, in order (they are still played)."""
    heard: list[Effect] = []
    play = audio.effect

    def effect(*names: Effect) -> None:
        heard.extend(names)
        play(*names)

    monkeypatch.setattr(audio, "effect", effect)
    return heard


def to_the_map(driver: Driver) -> int:
    """Close the dialogs over the map as a player would, deciding nothing; how many were events. An event chimes
    once as it comes up, however long it stays: each is on top for a few frames here."""
    events = 0
    for _ in range(30):
        dialog = top(driver)
        if not isinstance(dialog, BoxDialog):
            return events
        events += isinstance(dialog, EventDialog)
        if isinstance(dialog, EventDialog) and dialog.deciding:
            driver.press(dialog.buttons["Decide later"])
        else:
            driver.key(pygame.K_RETURN)
    raise AssertionError(f"{top(driver)} does not close")


def music_channel(audio: Audio) -> pygame.mixer.Channel:
    return pygame.mixer.Channel(MUSIC[audio.lane])


def effect_channels_playing() -> list[pygame.mixer.Sound]:
    """The sounds playing on the channels that effects use (not the music's)."""
    channels = (pygame.mixer.Channel(k) for k in range(len(MUSIC), pygame.mixer.get_num_channels()))
    return [sound for c in channels if c.get_busy() and (sound := c.get_sound()) is not None]


# --- the files -------------------------------------------------------------------------------------------------


def test_every_sound_is_in_the_assets_listed_and_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    pygame.mixer.init()
    listed = (assets_dir() / "README.md").read_text(encoding="utf-8")
    for name in EFFECTS + TRACKS:
        sound = pygame.mixer.Sound(SOUNDS / f"{name}.ogg")
        low, high = (20, 60) if name in TRACKS else (0.3, 3)
        assert low <= sound.get_length() <= high, name
        assert np.abs(pygame.sndarray.array(sound)).max() > 8000, f"{name} is nearly silent"
        assert f"`sounds/{name}.ogg`" in listed
    assert sum(f.stat().st_size for f in SOUNDS.iterdir()) < 3 * 1024 * 1024


# --- what the player hears -------------------------------------------------------------------------------------


def test_music_for_the_title_and_the_map_and_effects_for_orders_and_events(
    window: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    audio = window.app.audio
    heard = listen(monkeypatch, audio)
    assert music_channel(audio).get_sound() is audio.sounds["title"] is not None
    title_channel = music_channel(audio)

    # Start: the title's march fades out as the map's music fades in; the first week's event chimes as it comes up.
    session = start(window, "legion")
    assert audio.track == "map"
    assert music_channel(audio).get_sound() is audio.sounds["map"]
    assert music_channel(audio) != title_channel
    events = to_the_map(window)
    assert heard.count("event") == events > 0

    # An order given sounds the bugle; one the rules refuse (no port at Chelyabinsk to sail from) sounds refused.
    play = play_screen(window)
    select(window, session.world.unit_index[ECHELON])
    before = len(heard)
    window.key(pygame.K_h)
    assert len(session.plan.listed()) == 1
    assert heard[before:] == ["order"]
    assert audio.sounds["order"] in effect_channels_playing()
    window.key(pygame.K_v)
    assert play.message.startswith("Refused")
    assert len(session.plan.listed()) == 1
    assert heard[before:] == ["order", "refused"]


def test_the_week_playing_out_sounds_its_trains_then_its_battles_and_each_event_chimes(
    title_window: TitleWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = title_window(week_seconds=0.8, warn_idle=False)
    session = start(window, "legion")
    to_the_map(window)
    play = play_screen(window)
    echelon = session.world.unit_index[ECHELON]
    select(window, echelon)
    window.click(play.view.station_xy(int(np.flatnonzero(reach_of(session.state, echelon).this_week)[0])))
    assert len(session.plan.listed()) == 1
    heard = listen(monkeypatch, window.app.audio)
    when: list[float] = []  # how far the week had played out at each sound (-1: not during the week)
    hear = window.app.audio.effect

    def effect(*names: Effect) -> None:
        when.extend(play.animation.t if play.animation is not None else -1.0 for _ in names)
        hear(*names)

    monkeypatch.setattr(window.app.audio, "effect", effect)
    window.press(play.buttons["end_turn"], frames=5)
    assert play.animation is not None
    for _ in range(2000):
        if play.animation is None:
            break
        window.frames(1)
    report = session.reports[-1]
    assert report.moves and report.battles  # the echelon's move, and the Whites' first fight
    sounds = [(name, t) for name, t in zip(heard, when, strict=True) if name != "event"]
    assert [name for name, _ in sounds] == ["trains", "battle"]
    assert sounds[0][1] < 0.2 and sounds[1][1] >= BATTLES_FROM

    # The report, then each event of the week: one chime as each comes up.
    events = to_the_map(window)
    assert heard.count("event") == events > 0


def test_skipping_the_week_leaves_its_sounds_unplayed(window: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    window.app.apply(replace(window.app.settings, week_seconds=3.2, warn_idle=False))
    session = start(window, "legion")
    to_the_map(window)
    play = play_screen(window)
    heard = listen(monkeypatch, window.app.audio)
    window.press(play.buttons["end_turn"], frames=3)
    assert play.animation is not None and play.animation.t < BATTLES_FROM
    window.key(pygame.K_SPACE)
    assert play.animation is None
    assert session.reports[-1].battles  # there was a battle to hear, had the week been watched
    assert "battle" not in heard


def test_mute_and_the_volumes_from_the_settings_dialog_apply_at_once(
    window: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = window.app
    audio = app.audio
    assert audio.sounds["title"] is not None
    assert audio.sounds["title"].get_volume() == pytest.approx(app.settings.music_volume, abs=0.01)

    # Mute in the settings dialog: the music playing falls silent, effects are not played, and it is kept.
    app.routes.settings()
    window.frames(2)
    dialog = top(window)
    assert isinstance(dialog, SettingsDialog)
    window.press(dialog.checks["muted"])
    window.press(dialog.buttons["Apply"])
    assert app.settings.muted
    assert Settings.load(settings_path(app.saves)).muted
    assert music_channel(audio).get_sound() is audio.sounds["title"]
    assert audio.sounds["title"].get_volume() == 0
    pygame.mixer.stop()
    audio.effect("order")
    assert effect_channels_playing() == []

    # Unmuted, each kind of sound at its own volume.
    app.apply(replace(app.settings, muted=False, effects_volume=0.25, music_volume=0.6))
    audio.effect("order")
    order = audio.sounds["order"]
    assert order is not None and order in effect_channels_playing()
    assert order.get_volume() == pytest.approx(0.25, abs=0.01)
    assert audio.sounds["title"].get_volume() == pytest.approx(0.6, abs=0.01)

    # Effects at volume 0 are not played at all.
    pygame.mixer.stop()
    app.apply(replace(app.settings, effects_volume=0.0))
    audio.effect("battle")
    assert effect_channels_playing() == []


def test_without_an_audio_device_the_game_plays_in_silence(
    title_window: TitleWindow, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_device(*args: object, **kwargs: object) -> None:
        raise pygame.error("ALSA: Couldn't open audio device")

    monkeypatch.setattr(pygame.mixer, "get_init", lambda: None)
    monkeypatch.setattr(pygame.mixer, "init", no_device)
    window = title_window(week_seconds=0.8)
    session = start(window, "legion")
    to_the_map(window)
    select(window, session.world.unit_index[ECHELON])
    window.key(pygame.K_h)
    end_turn(window)
    assert session.state.turn == 1
    assert isinstance(top(window), ReportDialog)
    to_the_map(window)
    assert top(window) is play_screen(window)
    assert window.app.audio.working is False
    assert window.app.audio.sounds == {}
    assert capsys.readouterr().err.count("no sound: ALSA") == 1


def test_missing_or_broken_sound_files_leave_the_game_silent(
    title_window: TitleWindow, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assets = tmp_path / "assets"
    (assets / "sounds").mkdir(parents=True)
    for folder in ("fonts", "map"):
        (assets / folder).symlink_to(assets_dir() / folder)
    (assets / "sounds" / "order.ogg").write_bytes(b"OggS" + bytes(200))  # broken; the others are missing
    window = title_window(assets=assets)
    audio = window.app.audio
    assert audio.track == "title" and audio.sounds["title"] is None
    session = start(window, "legion")
    to_the_map(window)
    select(window, session.world.unit_index[ECHELON])
    window.key(pygame.K_h)
    assert len(session.plan.listed()) == 1
    assert audio.sounds["order"] is None
    err = capsys.readouterr().err
    assert "the sound 'order' is silent" in err and "the sound 'title' is silent" in err


# --- the script that makes them --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def make_sounds() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sounds", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def loudness(samples: npt.NDArray[np.float64], rate: int) -> npt.NDArray[np.float64]:
    """The RMS level every 20 ms."""
    window = rate // 50
    n = len(samples) // window
    return np.sqrt(np.mean(samples[: n * window].reshape(n, window) ** 2, axis=1, dtype=np.float64))


def test_the_sounds_in_the_assets_are_the_ones_the_script_makes(
    make_sounds: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    pygame.mixer.init()
    mixer = pygame.mixer.get_init()
    assert mixer is not None
    rate, _, channels = mixer
    for name, made in make_sounds.render().items():
        decoded = pygame.sndarray.array(pygame.mixer.Sound(SOUNDS / f"{name}.ogg")).astype(np.float64) / 32768
        mono = decoded.mean(axis=1) if channels > 1 else decoded
        assert abs(len(mono) / rate - len(made) / make_sounds.RATE) < 0.01, name
        heard, rendered = loudness(mono, rate), loudness(made, make_sounds.RATE)
        n = min(len(heard), len(rendered))
        assert np.corrcoef(heard[:n], rendered[:n])[0, 1] > 0.998, name  # another seed: 0.99 at most


def test_the_script_makes_the_same_sounds_from_the_same_seed(make_sounds: ModuleType) -> None:
    once, again = make_sounds.render(only=("order", "trains")), make_sounds.render(only=("order", "trains"))
    other = make_sounds.render(seed=make_sounds.SEED + 1, only=("trains",))
    assert all(np.array_equal(once[k], again[k]) for k in once)
    assert not np.array_equal(once["trains"], other["trains"])
    assert np.array_equal(make_sounds.render(only=("trains",))["trains"], once["trains"])  # each from its own seed


def test_the_script_writes_byte_identical_files(tmp_path: Path) -> None:
    pytest.importorskip("soundfile")
    for out in ("a", "b"):
        command = [sys.executable, str(SCRIPT), "--out", str(tmp_path / out), "--only", "order,event"]
        subprocess.run(command, check=True, capture_output=True, timeout=120)
    for name in ("order.ogg", "event.ogg"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
