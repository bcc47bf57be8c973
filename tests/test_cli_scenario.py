"""The scenario author's commands: `anabasis validate`, `anabasis schema` and `anabasis info`."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from anabasis.cli.main import app
from anabasis.scenario import load_scenario
from anabasis.scenario.confidence import LEVELS, confidence_of, tally
from anabasis.scenario.models import Rules, Source
from anabasis.scenario.yamltree import read_yaml

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
CAMPAIGN = SCENARIOS / "revolt-1918.yaml"
SUMMER = SCENARIOS / "summer-1918.yaml"
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"

# FILE:LINE: field: message, or FILE:LINE: message where the fault lies below any field (a YAML syntax error).
PROBLEM_LINE = re.compile(r"^(?P<file>[^:\s]+):(?P<line>[1-9]\d*): (?:(?P<field>[^\s:]+): )?(?P<message>\S.*)$")

BROKEN = """\
scenario:
  id: broken
  title: Broken
  start: 1918-05-13
  end: 1918-12-30
stations:
  - {id: penza, name: Penza, lat: 53.2, lon: 45.0, kind: city, theatre: line, held_by: redz,
     source: {doc: history, note: station}}
  - {id: samara, name: Samara, lat: 53.19, lon: 50.12, kind: town, theatre: line, source: {doc: history, note: a city}}
segments:
  - {a: penza, b: samara, km: 390, track: single, trains_per_day: 6, line: West, source: {doc: history, note: by rail}}
factions:
  - {id: reds, name: Reds, color: "#c0282d", source: {doc: history, note: the reds}}
"""


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("COLUMNS", "240")  # rich tables at full width, so names are not cut
    return CliRunner()


def test_validate_accepts_the_shipped_scenarios(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(CAMPAIGN), str(SUMMER), str(MINI)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.count(": valid") == 3


def test_every_shipped_scenario_and_variant_is_valid(runner: CliRunner) -> None:
    files = sorted(SCENARIOS.glob("*.yaml")) + sorted(SCENARIOS.glob("variants/*.yaml"))
    assert len(files) >= 6
    result = runner.invoke(app, ["validate", *map(str, files)])
    assert result.exit_code == 0, result.output
    assert result.stderr.count(": valid") == len(files)


def test_validate_lists_every_problem_as_file_line_field_message(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text(BROKEN, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    matches = [PROBLEM_LINE.match(line) for line in lines]
    assert all(matches), lines
    assert [(m["line"], m["field"]) for m in matches if m] == [
        ("1", "victory"),
        ("7", "stations[penza].held_by"),
        ("9", "stations[samara].kind"),
    ]
    assert {m["file"] for m in matches if m} == {str(bad)}
    assert "no faction 'redz'; did you mean 'reds'?" in lines[1]
    assert "3 problem(s)" in result.stderr
    assert "Traceback" not in result.output


def test_validate_reports_only_the_bad_files_and_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("stations: [\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(MINI), str(bad), str(tmp_path / "none.yaml")])
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"{bad}:2: YAML syntax: did not find expected node content",
        f"{tmp_path / 'none.yaml'}: no such file",
    ]
    assert "mini.yaml: valid" in result.stderr


def test_validate_from_the_shell_exits_2_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text(BROKEN, encoding="utf-8")
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(bytes(range(256)) * 4)
    done = _anabasis("validate", str(bad), str(junk), str(tmp_path))
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert len(done.stdout.splitlines()) == 5


def test_validate_exits_2_when_an_event_named_by_another_is_invalid(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8").replace("prompt: Give up your rifles?", "prompt: ''")
    text = text.replace("    when: [{kind: controls, faction: legion, station: omsk}]",
                        "    when: [{kind: chosen, event: demand, option: fight}]")  # fmt: skip
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    done = _anabasis("validate", str(bad))
    assert "internal error" not in done.stderr
    assert done.returncode == 2


def _anabasis(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "240"}
    env.pop("ANABASIS_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "anabasis", *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


# --- schema ---------------------------------------------------------------------------------------------


def test_schema_is_the_committed_one(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert result.stdout == (SCENARIOS / "schema" / "scenario.schema.json").read_text(encoding="utf-8")


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def _resolves(schema: dict[str, Any], ref: str) -> bool:
    """Whether a `#/...` JSON pointer names something in `schema`."""
    node: Any = schema
    for step in ref.removeprefix("#/").split("/"):
        if not isinstance(node, dict) or step not in node:
            return False
        node = node[step]
    return True


def test_schema_is_a_self_contained_json_schema(runner: CliRunner) -> None:
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert {"scenario", "stations", "segments", "units", "events", "victory", "include"} <= set(schema["properties"])
    refs = _refs(schema)
    assert refs
    assert [ref for ref in refs if not _resolves(schema, ref)] == []
    assert "description" in schema["$defs"]["Unit"]["properties"]["station"]  # editors show field descriptions


def _as_json(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _as_json(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_as_json(value) for value in node]
    return node.isoformat() if isinstance(node, dt.date) else node


SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml")) + sorted(SCENARIOS.glob("*/*.yaml"))


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_every_shipped_file_passes_the_schema_an_editor_checks(runner: CliRunner, path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(_as_json(read_yaml(path).data)))
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []


def test_schema_accepts_a_variant_and_flags_a_bad_patch(runner: CliRunner) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads(runner.invoke(app, ["schema"]).stdout))
    good = {
        "include": ["../revolt-1918.yaml"],
        "scenario": {"id": "x", "title": "X", "fired": ["armistice"], "chosen": {"disarm_demand": "fight"}},
        "victory": {
            "sides": [{"id": "a", "name": "A", "factions": ["legion"]}, {"id": "b", "name": "B", "factions": ["reds"]}]
        },
        "patch": {
            "units": {"legion_penza_1st_regiment": {"men": 3000, "arrives": None}, "japan_3rd_division": "remove"},
            "regions": {"east_of_baikal": {"stations+": ["irkutsk"], "stations-": ["chita"]}},
            "doctrines": {"legion": {"answers": {"disarm_demand": {"choose": "disarm"}}}},
            "victory": {"objectives": {"legion_home": {"points": 2, "source": {"confidence": "assumed"}}}},
            "rules": {"winter_need": 2.0},
        },
    }
    assert [e.message for e in validator.iter_errors(good)] == []
    bad_patches: list[dict[str, Any]] = [
        {"patch": {"unitz": {}}},
        {"patch": {"units": {"x": "delete"}}},
        {"patch": {"units": {"x": {"mne": 1}}}},
        {"patch": {"units": {"x": {"men": "many"}}}},
        {"patch": {"regions": {"r": {"stations+": "irkutsk"}}}},
    ]
    for bad in bad_patches:
        assert list(validator.iter_errors(bad)), bad


def test_schema_flags_an_unknown_field_in_an_editor(runner: CliRunner) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors({"units": [{"id": "x", "mne": 5}]}))
    assert errors


# --- info -----------------------------------------------------------------------------------------------


def _table(output: str, title: str) -> list[list[str]]:
    """The body rows of the rich table titled `title`, as lists of cell texts."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(title))
    rows = []
    for line in lines[start + 1 :]:
        if line.startswith("└"):
            break
        if line.startswith("│"):
            rows.append([cell.strip() for cell in line.split("│")[1:-1]])
    return rows


def test_info_summarizes_the_campaign(runner: CliRunner) -> None:
    result = runner.invoke(app, ["info", str(CAMPAIGN)])
    assert result.exit_code == 0, result.output
    s = load_scenario(CAMPAIGN)
    first = result.stdout.splitlines()[0]
    assert first.startswith(s.meta.title)
    assert "1918-05-13 to 1920-09-30" in first
    assert re.search(r"\b12[4-6] turns\b", first)

    stations = {row[0]: row[1] for row in _table(result.stdout, "Stations")}
    for theatre, n in Counter(st.theatre for st in s.stations).items():
        assert stations[theatre] == str(n)
    assert stations["all"].startswith(f"{len(s.stations)} (")

    km: dict[str, float] = defaultdict(float)
    for seg in s.segments:
        km[seg.line] += seg.km
    track = {row[0]: row[1] for row in _table(result.stdout, "Track by line")}
    assert track == {**{line: f"{total:,.0f}" for line, total in km.items()}, "all": f"{sum(km.values()):,.0f}"}

    forces = {(row[0], row[1]): row[2:] for row in _table(result.stdout, "Forces")}
    men: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for u in s.units:
        row = men[(u.faction, u.contingent or "-")]
        row[0] += 1
        row[3 if u.reserve else 2 if u.arrives else 1] += u.men
    assert forces == {key: [f"{n:,}" for n in row] for key, row in men.items()}
    assert forces[("legion", "corps")][1] == "38,100"

    events = {row[0]: row[1] for row in _table(result.stdout, "Events")}
    years = Counter(str(e.date.year) if e.date else "on a condition" for e in s.events)
    assert events == {year: str(n) for year, n in years.items()}


def test_info_on_a_bad_file_prints_its_problems_and_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text(BROKEN, encoding="utf-8")
    result = runner.invoke(app, ["info", str(bad)])
    assert result.exit_code == 2
    assert all(PROBLEM_LINE.match(line) for line in result.stdout.splitlines())
    assert "Stations" not in result.stdout


def test_info_shows_every_rule_marking_those_changed(runner: CliRunner) -> None:
    result = runner.invoke(app, ["info", str(MINI)])
    assert result.exit_code == 0, result.output
    rows = {row[0]: row[1:] for row in _table(result.stdout, "Rules")}
    assert set(rows) == set(Rules.model_fields)
    assert rows["train_km_per_day"] == ["100.0", "250"]  # the mini scenario's trains are slow
    assert rows["winter_need"] == ["1.5", ""]
    assert "Rules (1 changed from the default)" in result.stdout


def test_info_says_what_the_facts_rest_on(runner: CliRunner) -> None:
    result = runner.invoke(app, ["info", str(CAMPAIGN)])
    assert result.exit_code == 0, result.output
    t = tally(load_scenario(CAMPAIGN))
    rows = {row[0]: row[1:] for row in _table(result.stdout, "What the facts rest on")}
    assert list(rows) == list(LEVELS)
    for level in LEVELS:
        men, km, events = rows[level]
        assert men.startswith(f"{t.men[level]:,} (")
        assert km.startswith(f"{t.km[level]:,.0f} (")
        assert events.startswith(f"{t.events[level]} (")
    assert sum(t.men.values()) == sum(u.men for u in load_scenario(CAMPAIGN).units)
    assert "Changes against" not in result.stdout  # the campaign is no variant


def test_info_on_a_variant_lists_what_it_changes(runner: CliRunner) -> None:
    result = runner.invoke(app, ["info", str(SCENARIOS / "variants" / "no-allies-in-siberia-1918.yaml")])
    assert result.exit_code == 0, result.output
    counts = {row[0]: row[1:] for row in _table(result.stdout, "Changes against what it includes")}
    assert counts["units"] == ["0", "0", "25"]  # the 23 Siberian units and the 2 an American answer could land
    assert counts["events"] == ["1", "0", "16"]
    lines = result.stdout.splitlines()
    assert "units[japan_12th_division]: removed" in lines
    assert "doctrines[allies].answers[japan_stays]: removed" in lines
    assert "scenario.id: revolt_1918 -> no_allies_in_siberia_1918" in lines
    assert any(line.startswith("events[japanese_link_up].text: Near the Onon") for line in lines)


def test_info_on_a_snapshot_shows_fields_old_and_new(runner: CliRunner) -> None:
    result = runner.invoke(app, ["info", str(SCENARIOS / "spring-1919.yaml")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "scenario.start: 1918-05-13 -> 1919-03-03" in lines
    assert "stations[omsk].held_by: reds -> whites" in lines
    assert "units[reds_5th_army].station: ryazan -> ufa" in lines


def test_confidence_defaults_to_documented_for_the_documents_and_estimated_for_history() -> None:
    assert confidence_of(Source(doc="000_c11097c14a899cd0.txt", note="said so")) == "documented"
    assert confidence_of(Source(doc="history", note="known")) == "estimated"
    assert confidence_of(Source(doc="history", note="known", confidence="documented")) == "documented"
    assert confidence_of(Source(doc="000_c11097c14a899cd0.txt", note="a guess", confidence="assumed")) == "assumed"
