"""The installed project is the project's own names only: a wheel adds `anabasis` and `anabasis_game` to
site-packages, never a module as common as `game` that could shadow, or be shadowed by, someone else's."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    command = [*pip, "-w", str(out), str(ROOT)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    (built,) = out.glob("anabasis-*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_installs_only_the_projects_own_top_level_names(wheel: zipfile.ZipFile) -> None:
    tops = {name.split("/", 1)[0] for name in wheel.namelist()}
    assert {t for t in tops if not t.endswith((".dist-info", ".data"))} == {"anabasis", "anabasis_game"}


def test_the_wheel_carries_the_scenarios_the_maps_the_sounds_and_the_help(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "anabasis/_data/scenarios/revolt-1918.yaml" in names
    assert "anabasis/_data/scenarios/common/forces-1918.yaml" in names
    assert "anabasis_game/help.md" in names
    assert any(n.startswith("anabasis_game/_data/assets/") for n in names)
    assert "anabasis_game/_data/assets/sounds/title.ogg" in names
    assert "anabasis_game/screens/play.py" in names
