"""Any game can be verified: `run --save` writes a save the window opens, and `verify` replays saves and logs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from anabasis.cli.main import app
from anabasis.engine.game import Game
from anabasis.engine.save import SaveError, read_save, restore_game
from anabasis.engine.world import compile_world
from anabasis.scenario import content_hash, load_scenario
from anabasis.sim.game import Matchup, play
from anabasis_game.session import Session

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A whole game of the mini scenario by the AIs, with its log and its save."""
    folder = tmp_path_factory.mktemp("played")
    log, save = folder / "game.jsonl", folder / "game.json"
    result = invoke("run", MINI, "--seed", "7", "--log", log, "--save", save)
    assert result.exit_code == 0, result.output
    assert f"save: {save}" in result.output
    return log, save


def lines_of(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def write_lines(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


# --- run --save --------------------------------------------------------------------------------------


def test_a_run_with_turns_saves_a_game_that_plays_on_as_the_uninterrupted_one(tmp_path: Path) -> None:
    save = tmp_path / "early.json"
    assert invoke("run", MINI, "--seed", "3", "--turns", "8", "--save", save).exit_code == 0
    scenario = load_scenario(MINI)
    world = compile_world(scenario)
    loaded = restore_game(read_save(save), world, content_hash(scenario))
    assert loaded.turn == 8 and loaded.seed == 3
    list(play(loaded, Matchup.of(world, {})))
    whole = Game(world, 3)
    list(play(whole, Matchup.of(world, {})))
    assert loaded.log == whole.log
    assert loaded.state.snapshot() == whole.state.snapshot()
    assert loaded.rng_state() == whole.rng_state()


def test_a_run_save_is_a_save_like_the_windows(played: tuple[Path, Path]) -> None:
    _, save = played
    data = read_save(save)
    assert data.scenario_path == str(MINI.resolve())
    assert data.sides == dict.fromkeys(("legion", "allies", "whites", "reds"), "ai:2")
    assert data.snapshot is not None and data.pending == {}
    session = Session.load(save, save.parent)
    assert session.state.turn == len(data.orders) == 34
    assert session.over
    assert len(session.reports) == 35 and len(session.control) == 35


def test_play_load_goes_on_with_a_run_stopped_early(tmp_path: Path) -> None:
    save = tmp_path / "stopped.json"
    assert (
        invoke("run", MINI, "--seed", "4", "--turns", "5", "--set", "units[cz_chel].men=9000", "--save", save).exit_code
        == 0
    )
    session = Session.load(save, tmp_path)
    assert session.overrides == ["units[cz_chel].men=9000"]
    assert session.state.turn == 5 and not session.over
    assert session.end_turn().turn == 5


def test_a_save_with_an_edited_generator_is_refused_by_the_window_too(
    played: tuple[Path, Path], tmp_path: Path
) -> None:
    _, save = played
    data = json.loads(save.read_text(encoding="utf-8"))
    data["snapshot"]["rng"]["state"]["inc"] += 2
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SaveError, match=r"snapshot of week 34 \(1919-01-06\) disagrees .*: rng\.state\.inc: recorded"):
        Session.load(edited, tmp_path)


@pytest.mark.parametrize("target", ["folder", "fifo", "loop"])
def test_run_refuses_a_save_that_is_no_file_before_playing(tmp_path: Path, target: str) -> None:
    path = tmp_path / "save.json"
    if target == "folder":
        path.mkdir()
    elif target == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(path)
    log = tmp_path / "game.jsonl"
    result = invoke("run", MINI, "--seed", "1", "--log", log, "--save", path)
    assert result.exit_code == 2
    assert f"cannot write the save {path}" in result.output
    assert "Winner" not in result.output and not log.exists()  # refused before the game was played


# --- verify ------------------------------------------------------------------------------------------


def test_verify_agrees_with_a_log_and_a_save(played: tuple[Path, Path]) -> None:
    log, save = played
    on_log = invoke("verify", log)
    assert on_log.exit_code == 0, on_log.output
    assert on_log.stdout.strip() == f"{log}: 34 weeks agree (every turn, the result; scenario mini, seed 7)"
    on_save = invoke("verify", save)
    assert on_save.exit_code == 0, on_save.output
    assert "34 weeks agree (the saved state and random generator" in on_save.stdout


def test_the_log_records_the_orders_of_every_week_and_what_rebuilds_the_game(played: tuple[Path, Path]) -> None:
    log, save = played
    *turns, last = lines_of(log)
    assert [t["orders"] for t in turns] == read_save(save).orders
    assert {k: last["result"][k] for k in ("scenario", "scenario_path", "overrides", "seed")} == {
        "scenario": "mini",
        "scenario_path": str(MINI),
        "overrides": [],
        "seed": 7,
    }
    assert last["result"]["scenario_hash"] == content_hash(load_scenario(MINI))


def test_verify_names_the_first_week_and_field_of_a_tampered_log(played: tuple[Path, Path], tmp_path: Path) -> None:
    log, _ = played
    lines = lines_of(log)
    recorded = lines[5]["control"]["samara"]
    lines[5]["control"]["samara"] = "whites" if recorded != "whites" else "reds"
    lines[9]["strength"]["legion"] += 1  # a later change is not the first
    tampered = write_lines(tmp_path / "tampered.jsonl", lines)
    result = invoke("verify", tampered)
    assert result.exit_code == 2
    changed, held = lines[5]["control"]["samara"], recorded or "null"
    assert f"{tampered}: week 5 (1918-06-17): control.samara: recorded {changed}, replayed {held}" in result.output


def test_verify_names_a_tampered_result(played: tuple[Path, Path], tmp_path: Path) -> None:
    log, _ = played
    lines = lines_of(log)
    winner = lines[-1]["result"]["winner"]
    lines[-1]["result"]["winner"] = "nobody"
    result = invoke("verify", write_lines(tmp_path / "won.jsonl", lines))
    assert result.exit_code == 2
    assert f"the result after 34 weeks: result.winner: recorded nobody, replayed {winner}" in result.output


def test_verify_names_the_week_and_field_of_a_tampered_save(played: tuple[Path, Path], tmp_path: Path) -> None:
    _, save = played
    data = json.loads(save.read_text(encoding="utf-8"))
    data["orders"][3] = {}
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data), encoding="utf-8")
    result = invoke("verify", tampered)
    assert result.exit_code == 2
    assert f"{tampered}: week 34 (1919-01-06), the saved snapshot: state." in result.output
    assert "recorded" in result.output and "replayed" in result.output


def test_verify_finds_the_scenario_beside_the_log_or_as_named(played: tuple[Path, Path], tmp_path: Path) -> None:
    log, _ = played
    lines = lines_of(log)
    lines[-1]["result"]["scenario_path"] = "scenarios/mini.yaml"
    (tmp_path / "scenarios").mkdir()
    shutil.copy(MINI, tmp_path / "scenarios" / "mini.yaml")
    moved = write_lines(tmp_path / "moved.jsonl", lines)
    assert invoke("verify", moved).exit_code == 0  # found beside the log, not from here
    lines[-1]["result"]["scenario_path"] = "nowhere/mini.yaml"
    lost = write_lines(tmp_path / "lost.jsonl", lines)
    missing = invoke("verify", lost)
    assert missing.exit_code == 2 and "'nowhere/mini.yaml' is not here; name the file with --scenario" in missing.output
    assert invoke("verify", lost, "--scenario", MINI).exit_code == 0


def test_verify_refuses_a_changed_scenario(played: tuple[Path, Path], tmp_path: Path) -> None:
    log, _ = played
    changed = tmp_path / "mini.yaml"
    changed.write_text(MINI.read_text(encoding="utf-8").replace("men: 8000", "men: 8001", 1), encoding="utf-8")
    result = invoke("verify", log, "--scenario", changed)
    assert result.exit_code == 2
    assert f"scenario 'mini' in {changed} has changed since the game was played" in result.output


def test_verify_replays_the_set_changes_of_the_run(tmp_path: Path) -> None:
    log = tmp_path / "set.jsonl"
    assert (
        invoke(
            "run", MINI, "--seed", "2", "--turns", "6", "--set", "rules.train_km_per_day=300", "--log", log
        ).exit_code
        == 0
    )
    result = invoke("verify", log)
    assert result.exit_code == 0, result.output
    assert "6 weeks agree" in result.output


def verify_in_process(path: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "anabasis", "verify", str(path)]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=30)


def _old_log(tmp_path: Path, played: tuple[Path, Path]) -> Path:
    lines = lines_of(played[0])
    for line in lines[:-1]:
        del line["orders"]
    return write_lines(tmp_path / "old.jsonl", lines)


def _make(kind: str, tmp_path: Path, played: tuple[Path, Path]) -> tuple[Path, str]:
    """A file `verify` must refuse, and what the message says about it."""
    path = tmp_path / f"{kind}.json"
    if kind == "fifo":
        os.mkfifo(path)
        return path, "is a named pipe (FIFO), not a save or run log"
    if kind == "device":
        return Path("/dev/zero"), "is a device, not a save or run log"
    if kind == "folder":
        path.mkdir()
        return path, "is a directory, not a save or run log"
    if kind == "loop":
        path.symlink_to(path)
        return path, "is a loop of symbolic links"
    if kind == "huge":
        with path.open("wb") as f:
            f.truncate(65 * 2**20)  # sparse: costs no disk
        return path, "is too large"
    if kind == "foreign":
        path.write_text('{"hello": "world"}\n', encoding="utf-8")
        return path, "is neither an Anabasis save nor an `anabasis run` log"
    if kind == "garbage":
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
        return path, "is neither an Anabasis save nor an `anabasis run` log"
    if kind == "truncated-save":
        path.write_bytes(played[1].read_bytes()[:500])
        return path, "is damaged or not a save: it is not valid JSON"
    if kind == "truncated-log":
        path.write_bytes(b"".join(played[0].read_bytes().splitlines(keepends=True)[:4]))
        return path, ":4: the log ends without its result line: it is incomplete"
    if kind == "cut-line":
        path.write_bytes(played[0].read_bytes()[:3000])
        return path, "not valid JSON: the log is damaged"
    if kind == "old-log":
        return _old_log(tmp_path, played), "written before `anabasis run` recorded the orders"
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    [
        "fifo",
        "device",
        "folder",
        "loop",
        "huge",
        "foreign",
        "garbage",
        "truncated-save",
        "truncated-log",
        "cut-line",
        "old-log",
    ],
)
def test_verify_refuses_what_is_no_save_or_log_quickly_and_cleanly(
    tmp_path: Path, played: tuple[Path, Path], kind: str
) -> None:
    path, message = _make(kind, tmp_path, played)
    done = verify_in_process(path)
    assert done.returncode == 2, done.stderr
    assert str(path) in done.stderr and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr + done.stdout and "internal error" not in done.stderr
