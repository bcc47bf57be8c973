"""The key dates a batch reports: what counts as a link-up, a city changing hands, the end of the evacuation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anabasis.cli.main import app
from anabasis.engine import compile_world, initial_state
from anabasis.engine.state import GameState, Status
from anabasis.scenario import load_scenario
from anabasis.sim.milestones import key_cities, linked_up

MINI = Path(__file__).resolve().parent / "fixtures" / "mini.yaml"
# Omsk in the Legion's hands and its Red garrison gone: an open line from Chelyabinsk to Vladivostok.
OPEN_LINE = ["stations[omsk].held_by=legion", "units[red_omsk].station=penza"]


def opening(overrides: list[str]) -> GameState:
    state, _ = initial_state(compile_world(load_scenario(MINI, overrides)))
    return state


def link(state: GameState) -> bool:
    w = state.world
    return linked_up(state, w.faction_index["legion"], w.station_index["chelyabinsk"], w.station_index["vladivostok"])


def test_the_line_is_linked_when_friends_or_nobody_hold_every_station_and_no_bridge_is_down() -> None:
    assert not link(opening([]))  # the Reds hold Omsk
    state = opening(OPEN_LINE)
    assert link(state)  # nobody holds the junction at Baikal: no one there to stop a train
    w = state.world
    blown = state.copy()
    blown.damage[w.segment_index["omsk-baikal"]] = 3
    assert not link(blown)
    occupied = state.copy()
    red = w.unit_index["red_penza"]
    occupied.station[red], occupied.status[red] = w.station_index["baikal"], Status.ACTIVE
    assert not link(occupied)  # Red troops standing on the empty junction block it


def test_key_cities_are_the_stations_of_hold_objectives() -> None:
    w = opening([]).world
    assert [w.station_ids[k] for k in key_cities(w)] == ["penza", "syzran", "samara", "chelyabinsk", "omsk"]


def invoke(*args: str | Path | int) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("seed", [1, 4, 9])
def test_the_result_dates_agree_with_the_log(tmp_path: Path, seed: int) -> None:
    log = tmp_path / "game.jsonl"
    invoke("run", MINI, "--seed", seed, "--log", log)
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    turns, dates = lines[:-1], lines[-1]["result"]["dates"]
    start = {"penza": "reds", "syzran": "reds", "samara": "reds", "chelyabinsk": "legion", "omsk": "reds"}
    for city, holder in start.items():
        changed = [t["date"] for t in turns if t["control"][city] != holder]
        assert dates[f"changes_hands.{city}"] == (changed[0] if changed else None)
    shipped, before = [], 0
    for t in turns:
        total = sum(t["evacuated"].values())
        if total > before:
            shipped.append(t["date"])
        before = total
    assert dates["first_evacuation"] == (shipped[0] if shipped else None)
    assert dates["last_evacuation"] == (shipped[-1] if shipped else None)


def test_sim_reports_the_link_up_date_and_never_when_it_does_not_happen(tmp_path: Path) -> None:
    passive = [a for f in ("legion", "allies", "whites", "reds") for a in ("--agent", f"{f}=passive")]
    batch = ["--games", "4", "--turns", "3", "--workers", "1", "--json", *passive]
    sets = [a for s in OPEN_LINE for a in ("--set", s)]
    linked = json.loads(invoke("sim", MINI, *batch, "--out", tmp_path / "a", *sets))["key_dates"]["link_up"]
    assert linked["median"] == "1918-05-13"
    assert linked["never"] == 0
    cut = json.loads(invoke("sim", MINI, *batch, "--out", tmp_path / "b"))["key_dates"]["link_up"]
    assert cut["median"] is None
    assert cut["never"] == 1.0
