"""`anabasis run`: one headless game, its JSON-lines log, its summary and its errors."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from anabasis.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"
CAMPAIGN = ROOT / "scenarios" / "revolt-1918.yaml"
FIELDS = {"turn", "date", "control", "strength", "evacuated", "events", "casualties", "points", "battles"}


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def read_log(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return lines[:-1], lines[-1]["result"]


def test_the_log_has_a_line_a_week_then_the_result(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    result = invoke("run", MINI, "--seed", "7", "--log", log)
    assert result.exit_code == 0, result.output
    turns, final = read_log(log)
    assert len(turns) == final["turns"] == 34  # 13 May to 30 December 1918, a turn a week
    for k, line in enumerate(turns):
        assert set(line) >= FIELDS
        assert line["turn"] == k
        assert line["date"] == (dt.date(1918, 5, 13) + dt.timedelta(weeks=k)).isoformat()
        assert set(line["control"]) >= {"penza", "samara", "chelyabinsk", "vladivostok"}
        assert set(line["control"].values()) <= {"legion", "allies", "whites", "reds", None}
        assert set(line["strength"]) == set(line["evacuated"]) == {"legion", "allies", "whites", "reds"}
    # The Bolsheviks' demand (25 May) fires at the end of the first week and opens the week of 20 May;
    # the Americans sail in the week that begins on 11 November.
    opened = {line["date"]: line["events"] for line in turns if line["events"]}
    assert opened["1918-05-20"] == ["demand"]
    assert opened["1918-11-11"] == ["canadians_home"]
    assert final["winner"] in {"intervention", "reds", "draw"}
    assert set(final["points"]) == {"intervention", "reds"}
    assert final["seed"] == 7
    assert final["evacuated"] == turns[-1]["evacuated"]
    assert final["reason"] == "date"


def test_the_terminal_summary_names_the_winner_points_evacuation_and_key_dates() -> None:
    result = invoke("run", MINI, "--seed", "3")
    assert result.exit_code == 0, result.output
    for text in ("Winner:", "intervention", "reds", "shipped out", "first men shipped out", "last men shipped out"):
        assert text in result.stdout
    assert "key cities never changed hands" in result.stdout or "first changes hands" in result.stdout


def run_in_process(args: list[str], hash_seed: str) -> subprocess.CompletedProcess[str]:
    """`anabasis ARGS` in a fresh interpreter with its own string hashing."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    command = [sys.executable, "-c", "from anabasis.cli.main import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=120)


@pytest.mark.parametrize(("scenario", "limit"), [(MINI, []), (CAMPAIGN, ["--turns", "12"])])
def test_the_same_seed_gives_the_same_bytes_in_another_process(
    tmp_path: Path, scenario: Path, limit: list[str]
) -> None:
    logs = []
    for hash_seed, seed in (("1", "11"), ("2", "11"), ("3", "12")):
        log = tmp_path / f"{hash_seed}.jsonl"
        done = run_in_process(["run", str(scenario), "--seed", seed, "--log", str(log), *limit], hash_seed)
        assert done.returncode == 0, done.stderr
        logs.append(log.read_bytes())
    assert logs[0] == logs[1]
    assert logs[0] != logs[2]


def test_turns_stops_the_game_early_and_says_so(tmp_path: Path) -> None:
    log = tmp_path / "short.jsonl"
    assert invoke("run", MINI, "--seed", "1", "--turns", "5", "--log", log).exit_code == 0
    turns, final = read_log(log)
    assert [t["turn"] for t in turns] == [0, 1, 2, 3, 4]
    assert final["turns"] == 5
    assert final["reason"] == "turn limit"


def test_log_dash_writes_the_log_on_stdout_and_the_summary_on_stderr() -> None:
    result = invoke("run", MINI, "--seed", "2", "--turns", "3", "--log", "-")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("turn") for line in lines[:-1]] == [0, 1, 2]
    assert "result" in lines[-1]
    assert "Winner:" in result.stderr


def test_agents_choose_who_commands(tmp_path: Path) -> None:
    still, busy = tmp_path / "passive.jsonl", tmp_path / "random.jsonl"
    agents = [a for f in ("legion", "allies", "whites", "reds") for a in ("--agent", f"{f}=passive")]
    assert invoke("run", MINI, "--seed", "5", "--log", still, *agents).exit_code == 0
    busy_agents = [a.replace("passive", "random") for a in agents]
    assert invoke("run", MINI, "--seed", "5", "--log", busy, *busy_agents).exit_code == 0
    passive, _ = read_log(still)
    active, _ = read_log(busy)
    # Commanders who give no orders fight no battle; random ones do.
    assert all(not t["battles"] for t in passive)
    assert any(t["battles"] for t in active)


def test_set_changes_the_scenario_for_the_run(tmp_path: Path) -> None:
    log = tmp_path / "set.jsonl"
    result = invoke("run", MINI, "--seed", "1", "--turns", "1", "--log", log, "--set", "units[cz_chel].men=1234")
    assert result.exit_code == 0, result.output
    turns, _ = read_log(log)
    plain = tmp_path / "plain.jsonl"
    invoke("run", MINI, "--seed", "1", "--turns", "1", "--log", plain)
    assert turns[0]["strength"]["legion"] - read_log(plain)[0][0]["strength"]["legion"] == 1234 - 8000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "no/such/scenario.yaml"], "no/such/scenario.yaml: no such file"),
        (["run", str(MINI), "--set", "rules.no_such_rule=1"], "--set:1: rules.no_such_rule: unknown field"),
        (["run", str(MINI), "--set", "units[cz_chel].men=-5"], "--set:1: units[cz_chel].men:"),
        (["run", str(MINI), "--agent", "tsar=random"], "no faction 'tsar'"),
        (["run", str(MINI), "--agent", "legion=genius"], "agents are: passive, random"),
        (["run", str(MINI), "--skill", "4"], "--skill"),
        (["run", str(MINI), "--seed", "-1"], "--seed"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_an_unwritable_log_is_bad_input(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = invoke("run", MINI, "--turns", "1", "--log", blocker / "game.jsonl")
    assert result.exit_code == 2
    assert "cannot write the log" in result.output
