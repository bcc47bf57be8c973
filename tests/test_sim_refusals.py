"""`anabasis sim` given hostile input: an --out holding results or naming no folder, absurd sizes, special files
where its progress should be, and a kill -9. Each is refused at once with exit 2 and a message saying what is
wrong and what to do, leaving the folder as it was; a killed batch leaves no worker behind."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from anabasis.cli.main import app
from anabasis.sim.batch import MOST_GAMES, Setup, run_batch
from anabasis.sim.game import Matchup

MINI = Path(__file__).resolve().parent / "fixtures" / "mini.yaml"
BATCH = ("--games", "4", "--seed", "4", "--turns", "3", "--workers", "1")
SWEEP = ("--sweep", "rules.train_km_per_day=300,600")


def sim(out: Path | str, *args: str) -> Result:
    return CliRunner().invoke(app, ["sim", str(MINI), "--out", str(out), *BATCH, *args])


def played(out: Path, *args: str) -> Result:
    result = sim(out, *args)
    assert result.exit_code == 0, result.output
    return result


def refused(result: Result, *phrases: str) -> None:
    """Exit 2 with every phrase in one clean message."""
    assert result.exit_code == 2, result.output
    for phrase in phrases:
        assert phrase in result.output, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert isinstance(result.exception, SystemExit)


def contents(folder: Path) -> dict[str, bytes | None]:
    """Every path under `folder` (dot-files too) with its bytes; None for a folder."""
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None for p in sorted(folder.rglob("*"))}


def test_a_finished_batch_is_refused_without_resume_and_replaced_only_with_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "s"
    played(out)
    (out / "notes.txt").write_text("the designer's own notes")
    before = contents(out)
    refused(
        sim(out),
        f"--out {out} already holds an earlier batch (games.jsonl, progress.json, summary.json, timeline.json and 6",
        "add --resume to go on with it",
        "give another --out",
        "add --overwrite to replace its files",
    )
    assert contents(out) == before
    played(out, "--seed", "5", "--overwrite")
    assert (out / "notes.txt").read_text() == "the designer's own notes"
    assert '"seed": 5' in (out / "summary.json").read_text()


def test_a_summary_of_ones_own_is_refused_and_the_folder_left_untouched(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "summary.json").write_text('{"mine": true}')
    refused(
        sim(out), f"--out {out} already holds summary.json, which the batch writes", "add --overwrite to replace it"
    )
    assert "--resume" not in sim(out).output  # there is no batch to go on with
    assert contents(out) == {"summary.json": b'{"mine": true}'}  # not even a lock file was made


def test_a_sweep_is_refused_where_one_of_its_values_already_has_files(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    played(out, *SWEEP)
    (out / "summary.json").unlink()
    (out / "sweep.png").unlink()
    before = contents(out)
    refused(sim(out, *SWEEP), "already holds an earlier batch (01-300/games.jsonl, 01-300/progress.json")
    assert contents(out) == before
    played(out, *SWEEP, "--overwrite")


def test_a_folder_holding_only_a_stale_lock_is_no_batch(tmp_path: Path) -> None:
    out = tmp_path / "s"
    out.mkdir()
    (out / ".sim.lock").touch()  # left by a batch long finished
    played(out)


def test_the_default_out_is_refused_too_and_says_it_is_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["sim", str(MINI), *BATCH]
    assert CliRunner().invoke(app, args).exit_code == 0
    refused(CliRunner().invoke(app, args), "(the default) already holds an earlier batch")


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (lambda p: p.write_text("x"), "is a file, not a folder"),
        (os.mkfifo, "is a named pipe (FIFO), not a folder"),
        (lambda p: p.symlink_to(p), "is a loop of symbolic links"),
    ],
    ids=["file", "fifo", "loop"],
)
def test_an_out_that_is_no_folder_is_refused(tmp_path: Path, make: Callable[[Path], None], what: str) -> None:
    out = tmp_path / "out"
    make(out)
    refused(sim(out), f"--out {out} {what}", "give --out a folder")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_resume_and_overwrite_together_are_refused(tmp_path: Path) -> None:
    refused(sim(tmp_path / "s", "--resume", "--overwrite"), "give --resume or --overwrite, not both")


def test_more_games_than_a_batch_may_hold_are_refused_at_once(tmp_path: Path) -> None:
    started = time.monotonic()
    refused(sim(tmp_path / "s", "--games", "100000000000"), "'--games'", "less than or equal to 10000000")
    assert time.monotonic() - started < 5
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize(
    ("workers", "message"),
    [("0", "'--workers'"), ("-3", "'--workers'"), ("1000000000", "--workers 1,000,000,000: at most")],
)
def test_an_absurd_number_of_workers_is_refused(tmp_path: Path, workers: str, message: str) -> None:
    refused(sim(tmp_path / "s", "--workers", workers), message)
    assert not (tmp_path / "s").exists()


def test_a_sweep_of_too_many_values_is_refused(tmp_path: Path) -> None:
    values = ",".join(str(100 + v) for v in range(5000))
    refused(sim(tmp_path / "s", "--sweep", f"rules.train_km_per_day={values}"), "5,000 values, more than the 99")
    assert not (tmp_path / "s").exists()


class Instant(Executor):
    """Runs no game: every chunk comes back at once, empty; counts what was asked of it."""

    def __init__(self, most: int) -> None:
        self.asked = 0
        self.most = most

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.asked += 1
        if self.asked > self.most:
            raise InterruptedError
        future: Future[Any] = Future()
        future.set_result([])
        return future


def test_the_largest_batch_streams_its_chunks_in_a_window_without_listing_them() -> None:
    setup = Setup(str(MINI), (), "", Matchup((), 2), 0)
    executor = Instant(most=1000)
    tracemalloc.start()
    try:
        with pytest.raises(InterruptedError):
            run_batch(setup, range(MOST_GAMES), lambda outcome: None, executor, slots=2)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert executor.asked == 1001
    assert peak < 256 * 1024, f"{peak:,} bytes for {MOST_GAMES:,} games"  # a list of the chunks would be ~30 MB


def sparse(path: Path) -> None:
    """A file of a GB that takes no room on the disk."""
    with path.open("wb") as f:
        f.truncate(2**30)


@pytest.mark.parametrize(
    ("name", "damage", "message"),
    [
        ("progress.json", os.mkfifo, "is a named pipe (FIFO)"),
        ("progress.json", lambda p: p.symlink_to("/dev/zero"), "is a device"),
        ("progress.json", Path.mkdir, "is a directory"),
        ("progress.json", lambda p: p.symlink_to(p), "is a loop of symbolic links"),
        ("progress.json", sparse, "is too large"),
        ("progress.json", lambda p: p.write_text("[" * 100_000), "cannot be read"),
        ("progress.json", lambda p: p.write_text('{"format": 2, "games": 1e999}'), "is damaged"),
        ("games.jsonl", os.mkfifo, "is a named pipe (FIFO)"),
        ("games.jsonl", lambda p: p.symlink_to("/dev/zero"), "is a device"),
        ("games.jsonl", Path.mkdir, "is a directory"),
    ],
    ids=["fifo", "device", "directory", "loop", "huge", "nested", "infinite", "rows-fifo", "rows-device", "rows-dir"],
)
def test_resume_refuses_what_is_not_its_own_file(
    tmp_path: Path, name: str, damage: Callable[[Path], None], message: str
) -> None:
    out = tmp_path / "s"
    played(out)
    (out / name).unlink()
    damage(out / name)
    before = {p.name for p in out.iterdir()}
    started = time.monotonic()
    result = sim(out, "--games", "6", "--resume")
    refused(result, f"{out / name} {message}", "start the batch again with --overwrite instead of --resume")
    assert time.monotonic() - started < 10
    assert {p.name for p in out.iterdir()} == before


def test_workers_end_when_the_batch_is_killed_outright(tmp_path: Path) -> None:
    """kill -9 gives the batch no chance to stop its workers: they must see it gone and end by themselves."""
    psutil = pytest.importorskip("psutil")
    out = tmp_path / "s"
    command = [sys.executable, "-m", "anabasis", "sim", str(MINI), "--games", "100000", "--turns", "8"]
    batch = subprocess.Popen(
        [*command, "--workers", "2", "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        owner = psutil.Process(batch.pid)
        deadline = time.monotonic() + 60
        while not ((out / "games.jsonl").exists() and (out / "games.jsonl").stat().st_size > 0):
            assert batch.poll() is None and time.monotonic() < deadline, "the batch never started playing"
            time.sleep(0.05)
        helpers = owner.children(recursive=True)  # the workers, and whatever multiprocessing starts beside them
        workers = [p for p in helpers if p.cmdline() == owner.cmdline()]  # forked from the batch
        assert len(workers) == 2, helpers
        os.kill(batch.pid, signal.SIGKILL)
        batch.wait(timeout=10)

        def gone(p: Any) -> bool:
            try:
                return not p.is_running() or p.status() == psutil.STATUS_ZOMBIE
            except psutil.NoSuchProcess:
                return True

        deadline = time.monotonic() + 10
        while not all(gone(p) for p in helpers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [p.pid for p in helpers if not gone(p)] == []
    finally:
        with contextlib.suppress(ProcessLookupError):  # whatever is left of the batch, so a failure leaves nothing
            os.killpg(batch.pid, signal.SIGKILL)
        batch.wait()
