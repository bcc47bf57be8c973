"""`anabasis sim --scheduler`: the same games on a Dask cluster give the same files as on local workers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anabasis.cli.main import app

distributed = pytest.importorskip("distributed")
MINI = Path(__file__).resolve().parent / "fixtures" / "mini.yaml"


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A real two-process cluster on this machine."""
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        yield str(cluster.scheduler_address)


def test_a_dask_cluster_plays_the_same_games_as_local_workers(tmp_path: Path, scheduler: str) -> None:
    runner = CliRunner()
    batch = [str(MINI), "--games", "16", "--seed", "4", "--turns", "10"]
    local = runner.invoke(app, ["sim", *batch, "--workers", "1", "--out", str(tmp_path / "local")])
    assert local.exit_code == 0, local.output
    remote = runner.invoke(app, ["sim", *batch, "--scheduler", scheduler, "--out", str(tmp_path / "dask")])
    assert remote.exit_code == 0, remote.output
    for name in ("games.jsonl", "summary.json"):
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name
