"""Where the player's saves and settings live.

Saves go to `$ANABASIS_SAVES` if set; otherwise to the user's data folder (`$XDG_DATA_HOME/anabasis/saves`,
by default `~/.local/share/anabasis/saves` on Linux, `~/Library/Application Support/Anabasis/saves` on macOS,
`%APPDATA%\\Anabasis\\saves` on Windows); if that cannot be made, to `saves/` in the current folder.
Settings are `settings.json` next to the saves folder.
"""

from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from anabasis.engine.save import write_atomic
from anabasis.userfiles import read_bounded
from anabasis_game.uiscale import HIGHEST, clamp

WINDOW_SIZES = ((1024, 700), (1280, 720), (1366, 768), (1600, 900), (1920, 1080), (2560, 1440))
DEFAULT_WINDOW = (1600, 900)
# How long a week takes to play out on the map (trains running, battles flashing), in seconds; 0 shows it at once.
SPEEDS = {"Off": 0.0, "Fast": 0.8, "Normal": 1.6, "Slow": 3.2}
DEFAULT_SPEED = SPEEDS["Normal"]


def speed_name(seconds: float) -> str:
    """The name of the animation speed nearest `seconds` a week."""
    return min(SPEEDS, key=lambda name: abs(SPEEDS[name] - seconds))


def data_dir() -> Path:
    """The per-user folder for Anabasis's files on this platform."""
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming") / "Anabasis"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "Anabasis"
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "anabasis"


def saves_dir() -> Path:
    """The folder saves go to (made if need be)."""
    chosen = os.environ.get("ANABASIS_SAVES")
    for folder in ([Path(chosen)] if chosen else [data_dir() / "saves"]) + [Path.cwd() / "saves"]:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        return folder
    return Path.cwd()


SETTINGS_BYTES = 64 * 1024


UI_SCALES = {"Automatic": 0.0, "75%": 0.75, "100%": 1.0, "125%": 1.25, "150%": 1.5, "200%": 2.0}


def scale_name(scale: float) -> str:
    """The name of the UI scale nearest `scale` (0 is automatic)."""
    return min(UI_SCALES, key=lambda name: abs(UI_SCALES[name] - scale))


@dataclass
class Settings:
    """What the player chose on the settings screen."""

    window: tuple[int, int] = DEFAULT_WINDOW
    fullscreen: bool = False
    week_seconds: float = DEFAULT_SPEED  # how long a week plays out on the map
    ai_turn: bool = True  # after the player's turn, play the other sides' moves on the map before the report
    warn_idle: bool = True  # ask before ending a turn while units that could act have no orders
    ui_scale: float = 0.0  # text and panels grow by this; 0 picks it from the window's size
    advisor: bool = True  # the briefing before the first turn, and the advisor's hints over the first weeks
    others_in_log: bool = False  # events that do not concern the player's side go to the log, not a pop-up
    effects_volume: float = 0.8  # 0-1
    music_volume: float = 0.5  # 0-1
    muted: bool = False

    @classmethod
    def load(cls, path: Path) -> Settings:
        """The saved settings, or the defaults if there are none or they cannot be read; a field that is missing
        or makes no sense keeps its default, so settings from an older version still load."""
        try:
            data = json.loads(read_bounded(path, SETTINGS_BYTES, "settings file"))
            w, h = (int(v) for v in data["window"])
        except (OSError, ValueError, KeyError, TypeError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        default = cls()

        def flag(name: str) -> bool:
            value = data.get(name)
            return value if isinstance(value, bool) else bool(getattr(default, name))

        def number(name: str, low: float, high: float) -> float:
            value = data.get(name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                return float(getattr(default, name))
            return min(max(float(value), low), high)

        scale = number("ui_scale", 0.0, HIGHEST)
        return cls(
            window=(max(640, w), max(480, h)),
            fullscreen=flag("fullscreen"),
            week_seconds=number("week_seconds", 0.0, max(SPEEDS.values())),
            ai_turn=flag("ai_turn"),
            warn_idle=flag("warn_idle"),
            ui_scale=scale and clamp(scale),  # 0 stays automatic
            advisor=flag("advisor"),
            others_in_log=flag("others_in_log"),
            effects_volume=number("effects_volume", 0.0, 1.0),
            music_volume=number("music_volume", 0.0, 1.0),
            muted=flag("muted"),
        )

    def save(self, path: Path) -> None:
        """Write the settings (atomically); OSError says why it could not be done."""
        write_atomic(path, json.dumps(asdict(self)) + "\n")


def settings_path(saves: Path) -> Path:
    return saves.parent / "settings.json"


def parse_window(text: str) -> tuple[int, int]:
    """`1600x900` as (1600, 900); ValueError for anything else."""
    w, sep, h = text.lower().partition("x")
    if not sep or not w.strip().isdigit() or not h.strip().isdigit():
        raise ValueError(f"{text!r} is not a window size like 1600x900")
    size = int(w), int(h)
    if size[0] < 640 or size[1] < 480:
        raise ValueError(f"{text!r} is too small: the window needs at least 640x480")
    return size
