"""`anabasis compare`: batches side by side, game by game when they share their seeds; what differs beyond chance,
and nothing when nothing does; folders that are not batches of one scenario or its variants refused, saying why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from anabasis.cli.main import app

MINI = Path(__file__).resolve().parent / "fixtures" / "mini.yaml"
RANDOM = [arg for f in ("legion", "allies", "whites", "reds") for arg in ("--agent", f"{f}=random")]
# Worth 3 points a week instead of 1, the Legion's cities change no commander's play: only the score moves.
RICHER = ("--set", "victory.objectives[legion_hold].points=3")


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def sim(out: Path, *args: str, seed: int = 3, games: int = 20) -> Path:
    batch = ["--games", str(games), "--seed", str(seed), "--turns", "8", "--workers", "1", *RANDOM]
    result = invoke("sim", MINI, "--out", out, *batch, *args)
    assert result.exit_code == 0, result.output
    return out


def compared(*folders: Path) -> dict[str, Any]:
    result = invoke("compare", *folders, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def differences(data: dict[str, Any], k: int = 0) -> dict[str, dict[str, Any]]:
    return {d["key"]: d for d in data["comparisons"][k]["differences"]}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sim(tmp_path_factory.mktemp("compare") / "base")


def test_a_variant_run_with_the_same_seed_is_compared_game_by_game(base: Path, tmp_path: Path) -> None:
    data = compared(base, sim(tmp_path / "richer", *RICHER))
    assert (data["format"], data["version"]) == ("anabasis-comparison", 1)
    pair = data["comparisons"][0]
    assert pair["paired"] is True and "paired" in pair["pairing"] and "seed 3" in pair["pairing"]
    found = differences(data)
    points = found["points.intervention"]
    assert points["difference"] > 0 and points["low"] > 0  # every game scores more
    assert points["beyond_chance"] and points["beyond_chance_holm"]
    # The games themselves are the same: the Reds' points, the key dates, the events do not move at all.
    assert found["points.reds"]["alike"] and found["points.reds"]["difference"] == 0
    assert all(d["alike"] for d in found.values() if d["group"] != "outcome" and d["difference"] is not None)
    assert data["family"]["beyond_chance_holm"] >= 1
    assert data["batches"][1]["overrides"] == ["victory.objectives[legion_hold].points=3"]


def test_pairing_narrows_the_interval_of_the_same_difference(base: Path, tmp_path: Path) -> None:
    richer = sim(tmp_path / "richer", *RICHER)
    other_seed = sim(tmp_path / "other", *RICHER, seed=4)
    paired = differences(compared(base, richer))["points.intervention"]
    unpaired_data = compared(base, other_seed)
    assert unpaired_data["comparisons"][0]["paired"] is False
    assert "unpaired: seeds 3 and 4" in unpaired_data["comparisons"][0]["pairing"]
    unpaired = differences(unpaired_data)["points.intervention"]
    assert paired["high"] - paired["low"] < (unpaired["high"] - unpaired["low"]) / 3


def test_identical_batches_differ_in_nothing(base: Path, tmp_path: Path) -> None:
    data = compared(base, sim(tmp_path / "again"))
    assert data["comparisons"][0]["paired"] is True
    assert all(d["difference"] in (0, None) and not d["beyond_chance"] for d in differences(data).values())
    assert data["family"] == {"compared": 0, "beyond_chance": 0, "expected_by_chance": 0.0, "beyond_chance_holm": 0}
    table = invoke("compare", base, tmp_path / "again")
    assert table.exit_code == 0, table.output
    assert "0 differences compared" in table.stdout


def test_differences_and_their_intervals_are_counted_from_the_rows(base: Path, tmp_path: Path) -> None:
    other = sim(tmp_path / "other", seed=9, games=30)
    found = differences(compared(base, other))
    rows_a = [json.loads(line) for line in (base / "games.jsonl").read_text().splitlines()]
    rows_b = [json.loads(line) for line in (other / "games.jsonl").read_text().splitlines()]
    won = found["wins.reds"]
    share_a = sum(r["winner"] == "reds" for r in rows_a) / len(rows_a)
    share_b = sum(r["winner"] == "reds" for r in rows_b) / len(rows_b)
    assert (won["a"], won["b"]) == (round(share_a, 4), round(share_b, 4))
    assert won["difference"] == pytest.approx(share_b - share_a, abs=1e-4)
    assert won["low"] <= won["difference"] <= won["high"]
    for d in found.values():
        if d["difference"] is not None:
            assert d["low"] <= d["difference"] <= d["high"] and 0 <= d["p"] <= 1
            assert d["beyond_chance"] == (not d["alike"] and (d["low"] > 0 or d["high"] < 0))


def test_a_sweep_sets_each_value_beside_the_first(tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    sim(sweep, "--sweep", "victory.objectives[legion_hold].points=1,3,10", games=12)
    data = compared(sweep)
    assert [b["label"] for b in data["batches"]] == [
        f"victory.objectives[legion_hold].points={v}" for v in ("1", "3", "10")
    ]
    assert [(c["a"], c["b"]) for c in data["comparisons"]] == [
        (data["batches"][0]["label"], data["batches"][k]["label"]) for k in (1, 2)
    ]
    assert all(c["paired"] for c in data["comparisons"])
    gains = [differences(data, k)["points.intervention"]["difference"] for k in (0, 1)]
    assert 0 < gains[0] < gains[1]
    table = invoke("compare", sweep)
    assert table.exit_code == 0 and "points=10" in table.stdout


def refused(result: Result, *phrases: str) -> None:
    assert result.exit_code == 2, result.output
    for phrase in phrases:
        assert phrase in result.output, result.output
    assert "Traceback" not in result.output


def test_folders_that_are_not_batches_of_one_scenario_are_refused(base: Path, tmp_path: Path) -> None:
    refused(invoke("compare", base, tmp_path / "nowhere"), "nowhere: no such folder")
    (tmp_path / "empty").mkdir()
    refused(invoke("compare", base, tmp_path / "empty"), "holds no summary.json: it is not a finished batch")
    refused(invoke("compare", base, base / "games.jsonl"), "is not a folder")
    refused(invoke("compare", base), "is a single batch: give a second batch folder")
    refused(invoke("compare", base, base, base), "give two batch folders, or one sweep's folder, not 3")
    old = tmp_path / "old"
    old.mkdir()
    (old / "summary.json").write_text('{"scenario": {"id": "mini"}, "seed": 0, "games": 3, "wins": {}}')
    refused(invoke("compare", base, old), "written by an earlier anabasis, before summaries had a version")
    other = tmp_path / "other.yaml"
    text = MINI.read_text(encoding="utf-8").replace("id: mini\n", "id: mini_west\n", 1)
    other.write_text(text.replace("{id: reds, name: Soviets", "{id: soviets, name: Soviets"), encoding="utf-8")
    result = invoke("sim", other, "--out", tmp_path / "west", "--games", "2", "--turns", "2", "--workers", "1")
    assert result.exit_code == 0, result.output
    refused(invoke("compare", base, tmp_path / "west"), "of sides intervention, reds and", "of intervention, soviets")


def test_a_variant_with_its_own_id_is_compared_with_its_scenario(base: Path, tmp_path: Path) -> None:
    variant = tmp_path / "variant.yaml"
    text = MINI.read_text(encoding="utf-8").replace("id: mini\n", "id: mini_richer\n", 1)
    variant.write_text(
        text.replace("kind: hold, points: 1, stations: [samara", "kind: hold, points: 3, stations: [samara")
    )
    richer = tmp_path / "richer"
    batch = ["--games", "20", "--seed", "3", "--turns", "8", "--workers", "1", *RANDOM]
    assert invoke("sim", variant, "--out", richer, *batch).exit_code == 0
    data = compared(base, richer)
    assert data["comparisons"][0]["paired"]
    assert differences(data)["points.intervention"]["beyond_chance"]


def test_a_batch_whose_rows_do_not_match_its_summary_is_refused(base: Path, tmp_path: Path) -> None:
    cut = sim(tmp_path / "cut")
    lines = (cut / "games.jsonl").read_text().splitlines(keepends=True)
    (cut / "games.jsonl").write_text("".join(lines[:-1]))
    refused(invoke("compare", base, cut), "games.jsonl holds 19 games", "counts 20")
