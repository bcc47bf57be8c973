"""Where the player's saves and settings live.

Saves go to `$ANABASIS_SAVES` if set; otherwise to the user's data folder (`$XDG_DATA_HOME/anabasis/saves`,
by default `~/.local/share/anabasis/saves` on Linux, `~/Library/Application Support/Anabasis/saves` on macOS,
`%APPDATA%\\Anabasis\\saves` on Windows); if that cannot be made, to `saves/` in the current folder.
Settings are `settings.json` next to the saves folder.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from anabasis.engine.save import write_atomic
from anabasis.userfiles import read_bounded

WINDOW_SIZES = ((1280, 720), (1366, 768), (1600, 900), (1920, 1080))
DEFAULT_WINDOW = (1600, 900)


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


@dataclass
class Settings:
    """What the player chose on the settings screen."""

    window: tuple[int, int] = DEFAULT_WINDOW
    fullscreen: bool = False

    @classmethod
    def load(cls, path: Path) -> Settings:
        """The saved settings, or the defaults if there are none or they cannot be read."""
        try:
            data = json.loads(read_bounded(path, SETTINGS_BYTES, "settings file"))
            w, h = (int(v) for v in data["window"])
            return cls((max(640, w), max(480, h)), bool(data.get("fullscreen", False)))
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

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
