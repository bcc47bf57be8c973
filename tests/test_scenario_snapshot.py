"""`anabasis snapshot`: a scenario file that starts in one week of a game, and the engine starting from it as the
game stood that week; `scenarios/spring-1919.yaml`, made that way, validates and plays to its end."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner, Result

from anabasis.cli.main import app
from anabasis.engine import compile_world
from anabasis.engine.game import Game
from anabasis.engine.state import ACTIVE, GameState
from anabasis.engine.world import World
from anabasis.scenario import ScenarioError, load_scenario
from anabasis.sim.game import Matchup, play

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"
CAMPAIGN = ROOT / "scenarios" / "revolt-1918.yaml"
SPRING = ROOT / "scenarios" / "spring-1919.yaml"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def played(path: Path, seed: int, day: dt.date) -> GameState:
    """The state of the AIs' game of `path` at the start of the week holding `day`, as `snapshot` plays it."""
    world = compile_world(load_scenario(path))
    game = Game(world, seed)
    for _ in play(game, Matchup.of(world, {}), world.turn_of(day)):
        pass
    return game.state


def stands_at(state: GameState, u: int) -> str:
    """Where a unit is, as a snapshot promises it: its station, or the nearer end of the segment it is on."""
    w = state.world
    station, segment = int(state.station[u]), int(state.segment[u])
    if station < 0:
        near_a = state.progress[u] <= w.seg_km[segment] / 2
        station = int(w.seg_a[segment] if near_a else w.seg_b[segment])
    return w.station_ids[station]


def assert_starts_as(snap: World, source: GameState) -> None:
    """The snapshot's first week is the source game's week, as far as a snapshot carries it."""
    w = source.world
    start = Game(snap, 1).state
    assert start.date == source.date
    assert [snap.station_ids[c] if c >= 0 else None for c in start.control] == [
        w.station_ids[c] if c >= 0 else None for c in source.control
    ]
    gone = [w.unit_ids[u] for u in range(w.n_units) if source.status[u] not in (ACTIVE, 0, 5)]
    assert sorted(set(w.unit_ids) - set(snap.unit_ids)) == sorted(gone)
    for k, uid in enumerate(snap.unit_ids):
        u = w.unit_index[uid]
        assert (uid, int(start.status[k]), int(start.men[k])) == (uid, int(source.status[u]), int(source.men[u]))
        if source.status[u] == ACTIVE:
            assert (uid, stands_at(start, k)) == (uid, stands_at(source, u))
            assert bool(start.entrained[k]) == bool(source.entrained[u])
            assert abs(start.stores[k] - source.stores[u]) <= 0.005
        assert abs(start.arms[k] - source.arms[u]) <= 0.005
        assert abs(start.cohesion[k] - max(0.1, source.cohesion[u])) <= 0.005
        assert abs(start.cohesion_cap[k] - source.cohesion_cap[u]) <= 0.005
    assert np.array_equal(start.stance, source.stance)
    assert np.array_equal(start.damage, source.damage)
    assert np.array_equal(start.port_men, source.port_men)
    assert np.array_equal(start.no_attack, source.no_attack) and np.array_equal(start.region, source.region)
    assert np.allclose(start.stockpile_tons, source.stockpile_tons, atol=0.5)
    assert np.allclose(start.supply_factor, source.supply_factor, atol=1e-4)
    for k, event in enumerate(snap.events):
        e = w.event_index[event.id]
        assert (event.id, bool(start.fired[k]), int(start.chosen[k])) == (
            event.id,
            bool(source.fired[e]),
            int(source.chosen[e]),
        )


def test_a_snapshot_of_the_campaign_starts_where_the_game_stood(tmp_path: Path) -> None:
    out = tmp_path / "autumn.yaml"
    day = dt.date(1918, 9, 4)
    result = invoke("snapshot", CAMPAIGN, "--seed", "5", "--date", day.isoformat(), "--out", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "include:\n  - " in text and "revolt-1918.yaml" in text
    assert len(text.splitlines()) < 400  # it patches the campaign rather than copying it
    assert_starts_as(compile_world(load_scenario(out)), played(CAMPAIGN, 5, day))
    assert invoke("run", out, "--seed", "1", "--turns", "3").exit_code == 0


def test_a_decision_waiting_for_its_answer_waits_again_from_the_first_week(tmp_path: Path) -> None:
    """The Bolsheviks' demand fires at the end of the first week; a snapshot of the second puts it again."""
    out = tmp_path / "s.yaml"
    assert invoke("snapshot", MINI, "--date", "1918-05-21", "--out", out).exit_code == 0
    s = load_scenario(out)
    assert ("demand" in s.meta.fired, s.meta.chosen) == (True, {})
    world = compile_world(s)
    game = Game(world, 1)
    k = world.event_index["demand"]
    assert (bool(game.state.fired[k]), int(game.state.deadline[k])) == (True, 3)
    assert game.opening.events == []


def test_a_snapshot_from_a_save_is_that_of_its_game(tmp_path: Path) -> None:
    save = tmp_path / "game.json"
    assert invoke("run", MINI, "--seed", "4", "--turns", "12", "--save", save).exit_code == 0
    from_save = tmp_path / "from_save.yaml"
    assert invoke("snapshot", MINI, "--save", save, "--out", from_save).exit_code == 0
    earlier = tmp_path / "earlier.yaml"
    assert invoke("snapshot", MINI, "--save", save, "--date", "1918-06-17", "--out", earlier).exit_code == 0
    played_out = tmp_path / "played.yaml"
    assert invoke("snapshot", MINI, "--seed", "4", "--date", "1918-08-05", "--out", played_out).exit_code == 0

    def body(path: Path) -> list[str]:
        return [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]

    assert body(from_save) == body(played_out)
    assert load_scenario(earlier).meta.start == dt.date(1918, 6, 17)
    assert invoke("snapshot", MINI, "--save", save, "--date", "1918-09-02", "--out", tmp_path / "x.yaml").exit_code == 2


def test_a_snapshot_of_a_game_played_with_set_keeps_its_rules(tmp_path: Path) -> None:
    save = tmp_path / "game.json"
    played_with = ("--set", "rules.winter_need=2.5", "--set", "units[cz_chel].men=4000")
    assert invoke("run", MINI, "--seed", "4", "--turns", "6", *played_with, "--save", save).exit_code == 0
    out = tmp_path / "s.yaml"
    assert invoke("snapshot", MINI, "--save", save, "--out", out).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    header = " ".join(line.removeprefix("#").strip() for line in lines[: lines.index("")])
    assert "--set rules.winter_need=2.5, units[cz_chel].men=4000" in header
    s = load_scenario(out)
    assert (s.rules.winter_need, s.rules.train_km_per_day) == (2.5, 100)
    assert next(u.men for u in s.units if u.id == "cz_chel") <= 4000


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "s.yaml"
    out.write_text("mine\n", encoding="utf-8")
    refused = invoke("snapshot", MINI, "--date", "1918-06-03", "--out", out)
    assert refused.exit_code == 2
    assert "exists; --force replaces it" in refused.output
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert invoke("snapshot", MINI, "--date", "1918-06-03", "--out", out, "--force").exit_code == 0
    assert load_scenario(out).meta.start == dt.date(1918, 6, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]  # written aside, then renamed


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--date", "1917-01-01"), "is not in the scenario"),
        (("--date", "3 March"), "is not a date like"),
        ((), "give --date"),
        (("--save", "none.json"), "no such save"),
    ],
)
def test_bad_requests_exit_2_saying_why(tmp_path: Path, args: tuple[str, ...], said: str) -> None:
    result = invoke("snapshot", MINI, *args, "--out", tmp_path / "s.yaml")
    assert result.exit_code == 2
    assert said in result.output
    assert not (tmp_path / "s.yaml").exists()


# --- what a later start accepts ----------------------------------------------------------------------------


def later(tmp_path: Path, scenario: str) -> Path:
    (tmp_path / "mini.yaml").write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "later.yaml"
    path.write_text(f"include: [mini.yaml]\nscenario:\n{scenario}", encoding="utf-8")
    return path


def test_dated_events_before_a_later_start_must_be_listed_as_fired(tmp_path: Path) -> None:
    path = later(tmp_path, "  start: 1918-06-03\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    [problem] = caught.value.problems
    assert (Path(problem.file).name, problem.field) == ("mini.yaml", "events[demand].date")
    assert "list the event in `scenario.fired` if it has happened, or remove it with `patch`" in problem.message
    s = load_scenario(later(tmp_path, "  start: 1918-06-03\n  chosen: {demand: disarm}\n"))
    world = compile_world(s)
    state = Game(world, 1).state
    k = world.event_index["demand"]
    assert (bool(state.fired[k]), int(state.chosen[k]), int(state.deadline[k])) == (True, 1, -1)
    # An arrival and a prisoners' train dated before the new start come in, and run, from the first week.
    assert state.status[world.unit_index["red_army"]] == 0


def test_fired_and_chosen_name_events_and_options(tmp_path: Path) -> None:
    path = later(tmp_path, "  fired: [omsk_risin, demand]\n  chosen: {demand: disram, canadians_home: go}\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    said = {p.field: p.message for p in caught.value.problems}
    assert said == {
        "scenario.fired[0]": "no event 'omsk_risin'; did you mean 'omsk_rising'?",
        "scenario.chosen.demand": "event 'demand' has no option 'disram'; did you mean 'disarm'?",
        "scenario.chosen.canadians_home": "event 'canadians_home' puts no decision to anyone; list it in "
        "`scenario.fired`",
    }


# --- the shipped spring of 1919 ------------------------------------------------------------------------------


def test_spring_1919_starts_in_the_week_of_kolchaks_offensive_and_plays_to_its_end(tmp_path: Path) -> None:
    s = load_scenario(SPRING)
    assert (s.meta.start, s.meta.end) == (dt.date(1919, 3, 3), dt.date(1919, 7, 31))
    assert s.victory is not None
    assert all(o.start is None or o.start >= s.meta.start for o in s.victory.objectives)
    log = tmp_path / "spring.jsonl"
    result = invoke("run", SPRING, "--seed", "2", "--log", log)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert lines[-1]["result"]["reason"] == "date"
    assert lines[0]["date"] == "1919-03-03"
    world = compile_world(s)
    control = Game(world, 2).state.control
    assert [world.faction_ids[control[world.station_index[x]]] for x in ("ufa", "perm", "omsk")] == [
        "reds",
        "whites",
        "whites",
    ]
    fired_before = set(s.meta.fired) | set(s.meta.chosen)
    assert not fired_before & {e for line in lines[:-1] for e in line["events"]}
