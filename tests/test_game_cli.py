"""`anabasis play` before any window opens: no display, a bad scenario, a bad save, bad options."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anabasis.cli.main import app
from anabasis_game.screens.dialogs import help_text

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def play(runner: CliRunner, args: list[str], tmp_path: Path, display: bool = True) -> tuple[int, str]:
    env = {"DISPLAY": None, "WAYLAND_DISPLAY": None, "SDL_VIDEODRIVER": "dummy" if display else None}
    result = runner.invoke(app, ["play", *args], env={**env, "ANABASIS_SAVES": str(tmp_path)})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_without_a_display_it_says_so_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    code, output = play(runner, ["--side", "allies"], tmp_path, display=False)
    assert code == 1
    assert "needs a display" in output and "Traceback" not in output


def test_without_a_display_a_bad_file_is_still_bad_input(runner: CliRunner, tmp_path: Path) -> None:
    """What the player named is read first: a damaged record or save exits 2 whether or not a screen is there."""
    (tmp_path / "bad.jsonl").write_text('{"x": 1}\n')
    code, output = play(runner, ["--replay", str(tmp_path / "bad.jsonl")], tmp_path, display=False)
    assert code == 2 and "neither an Anabasis save nor an `anabasis run` log" in output
    code, output = play(runner, ["--load", "/dev/zero"], tmp_path, display=False)
    assert code == 2 and "is a device, not a save" in output


def test_a_bad_scenario_gives_file_and_line_and_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(MINI.read_text("utf-8").replace("km: 255", "km: -5"), "utf-8")
    code, output = play(runner, [str(broken)], tmp_path)
    assert code == 2
    assert f"{broken}:" in output and "km" in output and "Traceback" not in output
    code, output = play(runner, [str(tmp_path / "missing.yaml")], tmp_path)
    assert code == 2 and "Traceback" not in output


def test_a_bad_save_gives_its_message_and_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    save = tmp_path / "game.json"
    save.write_text('{"format": "anabasis-save", "version": 99}', "utf-8")
    code, output = play(runner, ["--load", str(save)], tmp_path)
    assert code == 2
    assert "newer Anabasis" in output and "Traceback" not in output
    code, output = play(runner, ["--load", str(tmp_path / "nothing.json")], tmp_path)
    assert code == 2 and "no such save" in output


def test_contradictory_or_malformed_options_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    assert play(runner, ["--hotseat", "--side", "legion"], tmp_path)[0] == 2
    code, output = play(runner, ["--window", "big"], tmp_path)
    assert code == 2 and "1600x900" in output
    assert play(runner, ["--skill", "7"], tmp_path)[0] == 2


def test_the_core_does_not_import_pygame() -> None:
    code = "import sys, anabasis.cli.main; print('pygame' in sys.modules, 'anabasis_game' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_the_help_in_the_window_is_the_help_in_the_docs() -> None:
    assert help_text() == (ROOT / "docs" / "how-to-play.md").read_text("utf-8")
    assert "## Keys" in help_text() and "saves" in help_text()
