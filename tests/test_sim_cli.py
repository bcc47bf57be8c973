"""`anabasis sim`: a batch's files, its summary, its independence from the workers, sweeps and errors."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from anabasis.cli.main import app
from anabasis.sim.game import default_kind, simulate
from anabasis.sim.seeds import game_seed

MINI = Path(__file__).resolve().parent / "fixtures" / "mini.yaml"
PLOTS = ["control.png", "curves.png", "evacuated.png", "holders.png", "points.png", "win_rates.png"]
FACTIONS = ("legion", "allies", "whites", "reds")


def commanders(kind: str) -> list[str]:
    """`--agent` options giving every faction of the fixture the same kind of commander."""
    return [arg for f in FACTIONS for arg in ("--agent", f"{f}={kind}")]


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def sim(out: Path, *args: str) -> Result:
    result = invoke("sim", MINI, "--out", out, *args)
    assert result.exit_code == 0, result.output
    return result


def rows(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / "games.jsonl").read_text().splitlines()]


def test_the_files_do_not_depend_on_the_number_of_workers(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    sim(one, "--games", "24", "--seed", "5", "--turns", "12", "--workers", "1")
    sim(two, "--games", "24", "--seed", "5", "--turns", "12", "--workers", "2")
    for name in ("games.jsonl", "summary.json", "timeline.json"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    games = rows(one)
    assert [g["index"] for g in games] == list(range(24))
    assert [g["seed"] for g in games] == [game_seed(5, i) for i in range(24)]
    assert sorted(p.name for p in two.glob("*.png")) == PLOTS
    assert all((two / name).stat().st_size > 5000 for name in PLOTS)


def test_a_game_of_the_batch_replays_with_run_and_its_seed(tmp_path: Path) -> None:
    sim(tmp_path / "s", "--games", "6", "--seed", "8", "--workers", "1")
    game = rows(tmp_path / "s")[4]
    log = tmp_path / "replay.jsonl"
    assert invoke("run", MINI, "--seed", str(game["seed"]), "--log", log).exit_code == 0
    final = json.loads(log.read_text().splitlines()[-1])["result"]
    assert final["winner"] == game["winner"]
    assert final["points"] == {side: game[f"side_points.{side}"] for side in ("intervention", "reds")}
    assert final["evacuated"] == {f: game[f"evacuated.{f}"] for f in ("legion", "allies", "whites", "reds")}
    assert final["dates"]["first_evacuation"] == game["date.first_evacuation"]


def test_json_prints_the_summary_and_nothing_else_on_stdout(tmp_path: Path) -> None:
    result = sim(tmp_path / "s", "--games", "30", "--seed", "2", "--turns", "10", "--json")
    summary = json.loads(result.stdout)
    assert summary == json.loads((tmp_path / "s" / "summary.json").read_text())
    assert summary["games"] == 30
    assert sum(w["games"] for w in summary["wins"].values()) == 30
    for side in ("intervention", "reds", "draw"):
        w = summary["wins"][side]
        assert w["low"] <= w["rate"] <= w["high"]
    for side in ("intervention", "reds"):
        p = summary["points"][side]
        assert p["low"] <= p["mean"] <= p["high"]
        assert p["min"] <= p["mean"] <= p["max"]
    games = rows(tmp_path / "s")
    mean_evacuated = sum(g["evacuated.allies"] for g in games) / 30
    assert summary["evacuated"]["allies"]["mean"] == pytest.approx(mean_evacuated, abs=0.05)
    for key, stats in summary["key_dates"].items():
        happened = [g[f"date.{key}"] for g in games if g[f"date.{key}"] is not None]
        assert stats["median"] == (statistics.median_low(happened) if happened else None)
        assert stats["never"] == pytest.approx(1 - len(happened) / 30, abs=1e-4)
    assert set(summary["key_dates"]) >= {"first_evacuation", "last_evacuation", "changes_hands.samara"}
    assert "games/s" in result.stderr
    assert summary["agents"] == dict.fromkeys(FACTIONS, default_kind())  # the doctrine AI once registered


def test_the_table_shows_win_rates_points_factions_and_key_dates(tmp_path: Path) -> None:
    out = sim(tmp_path / "s", "--games", "10", "--turns", "6", "--workers", "1", *commanders("passive")).stdout
    for text in ("win rate", "victory points", "intervention", "reds", "men shipped out", "casualties", "median date"):
        assert text in out
    assert "never" in out  # commanders who give no orders take no city


def test_set_changes_the_outcome(tmp_path: Path) -> None:
    batch = ["--games", "12", "--turns", "8", "--json", *commanders("random")]
    plain = json.loads(sim(tmp_path / "a", *batch).stdout)
    rich = json.loads(
        sim(
            tmp_path / "b",
            "--games",
            "12",
            "--turns",
            "8",
            "--json",
            "--set",
            "victory.objectives[legion_hold].points=50",
        ).stdout
    )
    # Fifty points a week for each city the Legion holds outweighs anything the Reds can score.
    assert plain["wins"]["intervention"]["rate"] < rich["wins"]["intervention"]["rate"] == 1.0
    assert rich["overrides"] == ["victory.objectives[legion_hold].points=50"]


def test_sweep_plays_the_same_seeds_for_each_value_and_tabulates_the_outcome(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    sweep = ["--sweep", "victory.objectives[legion_hold].points=0.5,3,50"]
    result = sim(out, "--games", "10", "--turns", "8", *sweep, *commanders("random"))
    summary = json.loads((out / "summary.json").read_text())
    assert summary["sweep"] == {"path": "victory.objectives[legion_hold].points", "values": ["0.5", "3", "50"]}
    table = summary["table"]
    rates = [row["wins"]["intervention"]["rate"] for row in table]
    points = [row["points"]["intervention"]["mean"] for row in table]
    assert rates[0] <= rates[1] <= rates[2] == 1.0
    assert points[0] < points[1] < points[2]
    seeds = [[g["seed"] for g in rows(out / row["folder"])] for row in table]
    assert seeds[0] == seeds[1] == seeds[2]
    assert (out / "sweep.png").stat().st_size > 5000
    assert "victory.objectives[legion_hold].points" in result.stdout
    assert "win rate" in result.stdout


def test_a_failed_game_exits_1_names_its_seed_and_leaves_no_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "s"
    sim(out, "--games", "3", "--turns", "2", "--workers", "1")

    def flaky(world: Any, index: int, seed: int, *rest: Any) -> Any:
        if index == 2:
            raise RuntimeError("the engine broke")
        return simulate(world, index, seed, *rest)

    monkeypatch.setattr("anabasis.sim.batch.simulate", flaky)
    again = ["--games", "5", "--seed", "1", "--turns", "2", "--workers", "1", "--overwrite"]
    result = invoke("sim", MINI, "--out", out, *again)
    assert result.exit_code == 1
    assert f"game 2 (seed {game_seed(1, 2)}) failed: RuntimeError: the engine broke" in result.output
    assert f"anabasis run {MINI} --seed {game_seed(1, 2)} --turns 2" in result.output
    assert not (out / "summary.json").exists()  # the earlier, complete run's summary is gone too


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--games", "0"], "--games"),
        (["--set", "rules.train_km_per_day=fast"], "--set:1: rules.train_km_per_day:"),
        (["--sweep", "rules.train_km_per_day"], "is not PATH=V1,V2,..."),
        (["--sweep", "rules.train_km_per_day=100,,200"], "none of them empty"),
        (["--sweep", "rules..x=1,2"], "is not a path"),
        (["--sweep", "rules.train_km_per_day=100,-3"], "--sweep rules.train_km_per_day=-3:\n--set:1: rules.train"),
        (["--workers", "2", "--scheduler", "tcp://127.0.0.1:9"], "not both"),
        (["--scheduler", "tcp://127.0.0.1:9", "--timeout", "0.5"], "cannot reach the Dask scheduler"),
        (["--scheduler", "no such address::"], "cannot reach the Dask scheduler"),
        (["--agent", "legion"], "no agent ''"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(tmp_path: Path, args: list[str], message: str) -> None:
    result = invoke("sim", MINI, "--out", tmp_path / "s", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert not (tmp_path / "s" / "summary.json").exists()


def test_an_unknown_scenario_exits_2(tmp_path: Path) -> None:
    result = invoke("sim", tmp_path / "nowhere.yaml", "--games", "2")
    assert result.exit_code == 2
    assert "nowhere.yaml: no such file" in result.output


def test_key_dates_are_set_beside_the_history_the_scenario_gives(tmp_path: Path) -> None:
    scenario = tmp_path / "mini.yaml"
    scenario.write_text(
        MINI.read_text(encoding="utf-8")  # ends with its `history:`, which dates the link-up
        + "  - {milestone: changes_hands.samara, date: 1918-06-08, source: {doc: history, note: Samara taken}}\n"
        + "  - {milestone: last_evacuation, date: 1920-09-02, source: {doc: history, note: the last ship}}\n",
        encoding="utf-8",
    )
    args = ["sim", str(scenario), "--out", str(tmp_path / "s"), "--games", "12", "--turns", "12", "--workers", "1"]
    summary = json.loads(invoke(*args, "--json").stdout)["key_dates"]
    given = {"link_up": "1918-08-31", "changes_hands.samara": "1918-06-08", "last_evacuation": "1920-09-02"}
    for key, stats in summary.items():
        assert stats["history"] == given.get(key)  # none for the key dates the scenario gives no date of
        if stats["history"] is None or stats["median"] is None:
            assert stats["weeks_after_history"] is None
        else:
            days = (dt.date.fromisoformat(stats["median"]) - dt.date.fromisoformat(stats["history"])).days
            assert stats["weeks_after_history"] == round(days / 7, 1)
    samara = summary["changes_hands.samara"]
    assert samara["median"] is not None
    weeks = (dt.date.fromisoformat(samara["median"]) - dt.date(1918, 6, 8)).days / 7
    table = invoke(*args, "--overwrite").stdout
    assert "history" in table and "1918-06-08" in table and "1920-09-02" in table
    gap = "same week" if abs(weeks) < 1 else f"{abs(weeks):.0f} wk {'later' if weeks > 0 else 'earlier'}"
    assert gap in table


def test_ctrl_c_inside_a_compiled_kernels_call_back_stops_the_batch_rather_than_failing_a_game(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interrupt raised while a kernel calls back into Python comes out of the kernel as a `SystemError` it
    caused: the person pressed Ctrl-C, and no game failed."""

    def interrupted(world: Any, index: int, seed: int, *rest: Any) -> Any:
        if index == 2:
            try:
                raise KeyboardInterrupt
            except KeyboardInterrupt as interrupt:
                raise SystemError(
                    "CPUDispatcher(<function _pack>) returned a result with an exception set"
                ) from interrupt
        return simulate(world, index, seed, *rest)

    monkeypatch.setattr("anabasis.sim.batch.simulate", interrupted)
    out = tmp_path / "s"
    result = invoke("sim", MINI, "--out", out, "--games", "5", "--turns", "2", "--workers", "1")
    assert f"stopped: 2 games are kept in {out}" in result.output
    assert "failed" not in result.output
    assert result.exit_code != 0
