"""A batch's folder kept safe: `anabasis sim --resume` goes on with an interrupted batch where it stopped, and
gives a finished one more games, with files exactly like those of a batch that ran straight through; a folder it
cannot go on from, or one another batch is writing, is refused and left as it was."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock
from typer.testing import CliRunner, Result

from anabasis.cli.main import app
from anabasis.sim.folder import stops_held
from anabasis.sim.game import simulate

MINI = Path(__file__).resolve().parent / "fixtures" / "mini.yaml"
FILES = ("games.jsonl", "summary.json", "timeline.json")
BATCH = ("--seed", "4", "--turns", "8")


def sim(out: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["sim", str(MINI), "--out", str(out), *BATCH, *args])


def played(out: Path, *args: str) -> Result:
    result = sim(out, *args)
    assert result.exit_code == 0, result.output
    return result


def same_files(a: Path, b: Path) -> None:
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def games_in(folder: Path) -> int:
    return len((folder / "games.jsonl").read_text().splitlines())


def test_a_finished_batch_takes_more_games_as_if_it_had_been_that_long(tmp_path: Path) -> None:
    straight, grown = tmp_path / "straight", tmp_path / "grown"
    played(straight, "--games", "20", "--workers", "1")
    played(grown, "--games", "8", "--workers", "2")
    result = played(grown, "--games", "20", "--workers", "2", "--resume")
    assert "12 games in" in result.output and "8 kept from before" in result.output
    same_files(straight, grown)
    assert json.loads((grown / "summary.json").read_text())["games"] == 20


def test_a_batch_stopped_by_a_failed_game_goes_on_once_the_fault_is_mended(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    straight, mended = tmp_path / "straight", tmp_path / "mended"
    played(straight, "--games", "12", "--workers", "1")

    def broken(world: Any, index: int, seed: int, *rest: Any) -> Any:
        if index == 7:
            raise RuntimeError("the engine broke")
        return simulate(world, index, seed, *rest)

    monkeypatch.setattr("anabasis.sim.batch.simulate", broken)
    assert sim(mended, "--games", "12", "--workers", "1").exit_code == 1
    assert games_in(mended) == 7 and not (mended / "summary.json").exists()
    monkeypatch.undo()
    played(mended, "--games", "12", "--workers", "1", "--resume")
    same_files(straight, mended)


def test_a_row_half_written_after_the_last_save_is_played_again(tmp_path: Path) -> None:
    straight, torn = tmp_path / "straight", tmp_path / "torn"
    played(straight, "--games", "10", "--workers", "1")
    played(torn, "--games", "6", "--workers", "1")
    with (torn / "games.jsonl").open("a") as rows:
        rows.write('{"index": 6, "seed": 12')  # the machine went down as game 6 was being written
    played(torn, "--games", "10", "--workers", "1", "--resume")
    same_files(straight, torn)


def test_a_sweep_goes_on_value_by_value(tmp_path: Path) -> None:
    sweep = ("--sweep", "rules.train_km_per_day=300,600", "--workers", "1")
    straight, grown = tmp_path / "straight", tmp_path / "grown"
    played(straight, "--games", "6", *sweep)
    played(grown, "--games", "3", *sweep)
    played(grown, "--games", "6", *sweep, "--resume")
    assert (straight / "summary.json").read_bytes() == (grown / "summary.json").read_bytes()
    for part in sorted(p.name for p in straight.iterdir() if p.is_dir()):
        same_files(straight / part, grown / part)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--seed", "5"], "holds another batch: seed 4, not 5"),
        (["--turns", "9"], "holds another batch: max turns 8, not 9"),
        (["--skill", "3"], "holds another batch: skill 2, not 3"),
        (["--set", "rules.train_km_per_day=300"], 'overrides [], not ["rules.train_km_per_day=300"]'),
        (["--agent", "reds=passive"], "holds another batch: agents"),
        (["--games", "3"], "already holds 6 games: ask for at least that many with --games"),
    ],
)
def test_a_folder_holding_another_batch_is_refused_and_left_as_it_was(
    tmp_path: Path, change: list[str], message: str
) -> None:
    out = tmp_path / "s"
    played(out, "--games", "6", "--workers", "1")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    args = ["sim", str(MINI), "--out", str(out), "--games", "6", *BATCH, *change, "--resume"]
    result = CliRunner().invoke(app, args)  # later options win: `change` overrides BATCH
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda f: (f / "progress.json").unlink(), "has no progress.json"),
        (lambda f: (f / "progress.json").write_text("{not json"), "progress.json cannot be read"),
        (lambda f: (f / "progress.json").write_text('{"format": 99}'), "is not a progress file of this version"),
        (lambda f: (f / "progress.json").write_text('{"format": 2, "games": 2}'), "progress.json is damaged"),
        (lambda f: (f / "games.jsonl").write_text(""), "games.jsonl is shorter than progress.json says"),
    ],
)
def test_damaged_progress_is_refused_with_what_to_do(tmp_path: Path, damage: Any, message: str) -> None:
    out = tmp_path / "s"
    played(out, "--games", "4", "--workers", "1")
    damage(out)
    result = sim(out, "--games", "6", "--resume")
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "start the batch again with --overwrite instead of --resume" in result.output
    assert "Traceback" not in result.output


def test_resume_in_an_empty_folder_says_there_is_nothing_to_resume(tmp_path: Path) -> None:
    result = sim(tmp_path / "empty", "--games", "4", "--resume")
    assert result.exit_code == 2
    assert "nothing to resume" in result.output and "start it without --resume" in result.output


def test_ctrl_c_keeps_the_games_played_and_says_how_to_go_on(tmp_path: Path) -> None:
    """A person presses Ctrl-C (SIGINT to the whole process group) half-way through a batch on two workers,
    then runs the command the message gives."""
    out = tmp_path / "s"
    command = [sys.executable, "-m", "anabasis", "sim", str(MINI), "--games", "300", *BATCH, "--workers", "2"]
    batch = subprocess.Popen(
        [*command, "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    rows = out / "games.jsonl"
    deadline = time.monotonic() + 120
    while not (rows.exists() and games_in(out) >= 20) and batch.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(batch.pid, signal.SIGINT)
    _, err = batch.communicate(timeout=60)
    message = err.decode()
    assert batch.returncode == 130, message
    kept = json.loads((out / "progress.json").read_text())["games"]
    assert 20 <= kept < 300 and games_in(out) == kept
    assert f"stopped: {kept} games are kept in {out}; go on with: anabasis sim {MINI}" in message
    again = message.split("go on with: ")[1].splitlines()[0].split()
    assert again[-3:] == ["--out", str(out), "--resume"]

    resumed = subprocess.run([sys.executable, "-m", "anabasis", *again[1:]], capture_output=True, check=False)
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert f"{300 - kept} games in" in resumed.stderr.decode()
    played(tmp_path / "straight", "--games", "300", "--workers", "2")
    same_files(tmp_path / "straight", out)


def test_ctrl_c_waits_until_the_row_being_written_is_counted() -> None:
    """Stopped between a row and its count, a batch could not save its progress on the way out."""
    counted = []
    with pytest.raises(KeyboardInterrupt), stops_held():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # long enough for the interrupt to have come, were it not held
        counted.append("row")
    assert counted == ["row"]


def test_a_second_batch_into_a_folder_being_written_is_refused(tmp_path: Path) -> None:
    """Two batches in one folder (two terminals, or two sweeps left on the default --out) would mix their rows."""
    out = tmp_path / "s"
    played(out, "--games", "4", "--workers", "1")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with FileLock(out / ".sim.lock"):  # as a batch still running in another process holds it
        for extra in ([], ["--resume"]):
            result = sim(out, "--games", "8", "--workers", "1", *extra)
            assert result.exit_code == 2, result.output
            assert f"another `anabasis sim` is writing into {out}" in result.output
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    played(out, "--games", "8", "--workers", "1", "--resume")  # once it is done, the folder is free again
    assert games_in(out) == 8
