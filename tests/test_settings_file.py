"""Settings survive between sessions, and a file from an older version or edited by hand still loads."""

from __future__ import annotations

import json
from pathlib import Path

from anabasis_game.userdata import Settings


def test_every_setting_is_kept(tmp_path: Path) -> None:
    kept = tmp_path / "settings.json"
    chosen = Settings(
        (1024, 700),
        fullscreen=True,
        ui_scale=1.5,
        advisor=False,
        others_in_log=True,
        effects_volume=0.3,
        music_volume=0.0,
        muted=True,
        warn_idle=False,
    )
    chosen.save(kept)
    assert Settings.load(kept) == chosen


def test_an_older_file_keeps_the_new_defaults(tmp_path: Path) -> None:
    kept = tmp_path / "settings.json"
    kept.write_text(json.dumps({"window": [1366, 768], "fullscreen": False, "week_seconds": 0.8}))
    assert Settings.load(kept) == Settings((1366, 768), week_seconds=0.8)


def test_nonsense_values_fall_back_or_are_clamped(tmp_path: Path) -> None:
    kept = tmp_path / "settings.json"
    kept.write_text(
        json.dumps(
            {"window": [1600, 900], "effects_volume": 7, "music_volume": "loud", "muted": "yes", "ui_scale": 0.1}
        )
    )
    loaded = Settings.load(kept)
    assert loaded.effects_volume == 1.0
    assert loaded.music_volume == Settings().music_volume
    assert loaded.muted is False
    assert loaded.ui_scale == 0.75
