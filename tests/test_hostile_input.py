"""Hostile scenario input meets a clear refusal through the real command line: exit 2, the file or option and
what is wrong, no traceback, in seconds. Special files are tried in a subprocess with a timeout, so a reader
that blocked on a FIFO would fail the test instead of hanging the suite."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from anabasis_game.userdata import Settings

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGN = ROOT / "scenarios" / "revolt-1918.yaml"
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"


def anabasis(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "240", "ANABASIS_DEBUG": ""}
    command = [sys.executable, "-m", "anabasis", *args]
    return subprocess.run(command, check=False, capture_output=True, text=True, timeout=60, cwd=cwd, env=env)


def refused(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    said = result.stdout + result.stderr
    assert result.returncode == 2, said
    assert "Traceback" not in said and "internal error" not in said, said
    for needle in needles:
        assert needle in said, said


@pytest.fixture
def sock() -> Iterator[Callable[[Path], Path]]:
    opened: list[socket.socket] = []

    def make(path: Path) -> Path:
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(path))
        opened.append(s)
        return path

    yield make
    for s in opened:
        s.close()


def special(kind: str, folder: Path, name: str, make_socket: Callable[[Path], Path]) -> Path:
    """A path of `kind` that an author or an attacker might hand the program in place of a YAML file."""
    path = folder / name
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        make_socket(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "symlink loop":
        path.symlink_to(folder / f"{name}.other")
        (folder / f"{name}.other").symlink_to(path)
    else:
        path.symlink_to(kind)  # a device
    return path


KINDS = {
    "fifo": "named pipe",
    "socket": "socket",
    "directory": "directory",
    "symlink loop": "loop of symbolic links",
    "/dev/zero": "device",
    "/dev/urandom": "device",
}


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_a_special_file_given_as_the_scenario_is_refused(
    command: str, kind: str, tmp_path: Path, sock: Callable[[Path], Path]
) -> None:
    path = special(kind, tmp_path, "s.yaml", sock)
    args = [command, str(path)] + (["--seed", "1", "--turns", "1"] if command == "run" else [])
    refused(anabasis(*args), str(path), KINDS[kind])


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_special_file_given_as_an_include_is_refused_at_the_include_line(
    kind: str, tmp_path: Path, sock: Callable[[Path], Path]
) -> None:
    special(kind, tmp_path, "part.yaml", sock)
    top = tmp_path / "top.yaml"
    top.write_text(MINI.read_text(encoding="utf-8").replace("scenario:\n", "include: [part.yaml]\nscenario:\n", 1))
    result = anabasis("validate", "top.yaml", cwd=tmp_path)
    refused(result, "top.yaml:2: include: part.yaml", KINDS[kind])


def test_an_include_that_is_not_yaml_is_refused_without_echoing_its_values(tmp_path: Path) -> None:
    (tmp_path / "secrets.env").write_text("stations: hunter2-secret\nscenario: {id: leaked}\n")
    top = tmp_path / "top.yaml"
    top.write_text(MINI.read_text(encoding="utf-8").replace("scenario:\n", "include: [secrets.env]\nscenario:\n", 1))
    result = anabasis("validate", "top.yaml", cwd=tmp_path)
    refused(result, "top.yaml:2: include: secrets.env is not a YAML file; an include names a .yaml or .yml file")
    assert "hunter2" not in result.stdout + result.stderr
    assert "leaked" not in result.stdout + result.stderr


def test_a_scenario_that_would_run_for_centuries_is_refused_with_the_limit() -> None:
    result = anabasis("run", str(CAMPAIGN), "--seed", "1", "--set", "scenario.end=9999-12-31")
    refused(result, "--set:1: scenario.end:", "421,680 turns", "at most 520 turns", "ends by 1928-04-29")


def test_a_unit_of_no_men_is_refused() -> None:
    result = anabasis("run", str(CAMPAIGN), "--seed", "1", "--set", "units[legion_penza_1st_regiment].men=0")
    refused(result, "units[legion_penza_1st_regiment].men", "greater than or equal to 1 (got 0)")


def test_a_rule_beyond_its_range_is_refused_with_the_range() -> None:
    result = anabasis("run", str(CAMPAIGN), "--seed", "1", "--set", "rules.odds_steepness=0.001")
    refused(result, "rules.odds_steepness", "greater than or equal to 0.5 (got 0.001)")


@pytest.mark.parametrize("kind", list(KINDS))
def test_settings_that_are_a_special_file_give_the_defaults_at_once(
    kind: str, tmp_path: Path, sock: Callable[[Path], Path]
) -> None:
    assert Settings.load(special(kind, tmp_path, "settings.json", sock)) == Settings()


def test_a_problem_on_line_100_is_printed_as_file_and_line_not_as_an_emoji(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("scenario: {}\n" + "#\n" * 98 + "scenario: {}\n")
    result = anabasis("validate", "s.yaml", cwd=tmp_path)
    refused(result, "s.yaml:100: scenario: the key 'scenario' appears twice in the same mapping (first at line 1)")
