"""Replays never disagree with the game: every week of a replayed log, save or batch game is the week the engine
had, and a damaged or foreign record is refused with what is wrong with it (exit 2 from `play --replay`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner, Result

from anabasis.cli.main import app
from anabasis.engine.game import Game
from anabasis.engine.world import compile_world
from anabasis.replay import Observer, Replay, ReplayError, open_replay
from anabasis.scenario import load_scenario
from anabasis.sim.game import Matchup, play
from anabasis_game import launch

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"


def invoke(*args: str | Path, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env=env)


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A whole game of the mini scenario by the AIs, as a `run` log and a save."""
    folder = tmp_path_factory.mktemp("played")
    log, save = folder / "game.jsonl", folder / "game.json"
    result = invoke("run", MINI, "--seed", "11", "--log", log, "--save", save)
    assert result.exit_code == 0, result.output
    return log, save


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch of three games of the mini scenario, played in this process."""
    folder = tmp_path_factory.mktemp("batch") / "out"
    result = invoke("sim", MINI, "--games", "3", "--seed", "5", "--workers", "1", "--out", folder)
    assert result.exit_code == 0, result.output
    return folder


def lines_of(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def assert_every_week_is_the_engines(replay: Replay) -> None:
    """Week k of the replay is the state a fresh replay of the first k weeks' orders reaches."""
    assert len(replay.states) == len(replay.reports) == len(replay.orders) + 1
    for week, state in enumerate(replay.states):
        fresh = Game.replay(replay.world, replay.seed, replay.orders[:week])
        assert state.turn == week
        assert state.snapshot() == fresh.state.snapshot(), f"week {week}"
        assert [r.to_dict() for r in replay.reports[: week + 1]] == [r.to_dict() for r in fresh.reports]


def test_every_week_of_a_replayed_log_is_the_week_recorded(played: tuple[Path, Path]) -> None:
    log, _ = played
    replay = open_replay(log)
    assert_every_week_is_the_engines(replay)
    recorded = lines_of(log)[:-1]
    assert len(recorded) == replay.last
    w = replay.world
    for line, state in zip(recorded, replay.states[1:], strict=True):
        holders = [None if h < 0 else w.faction_ids[h] for h in state.control.tolist()]
        assert line["control"] == dict(zip(w.station_ids, holders, strict=True)), line["date"]
        assert line["strength"] == dict(zip(w.faction_ids, state.men_on_map().tolist(), strict=True))
        assert line["date"] == w.date_of(line["turn"]).isoformat() and state.turn == line["turn"] + 1
    assert replay.states[-1].ended


def test_a_save_replays_as_its_log_and_taking_command_stands_at_the_week(played: tuple[Path, Path]) -> None:
    log, save = played
    from_save, from_log = open_replay(save), open_replay(log)
    assert from_save.orders == from_log.orders and from_save.seed == from_log.seed
    for a, b in zip(from_save.states, from_log.states, strict=True):
        assert a.snapshot() == b.snapshot()
    week = from_save.last // 2
    game = from_save.game_at(week)
    assert game.state.snapshot() == from_save.states[week].snapshot()
    assert game.log == from_save.orders[:week]


def test_a_batch_game_is_played_again_as_its_row_says(batch: Path) -> None:
    rows = [json.loads(line) for line in (batch / "games.jsonl").read_text("utf-8").splitlines()]
    replay = open_replay(batch, 2)
    assert replay.seed == rows[2]["seed"] and replay.provenance.title == "game 2 of out"
    assert_every_week_is_the_engines(replay)
    last = replay.states[-1]
    assert rows[2]["turns"] == last.turn
    for k, side in enumerate(replay.world.side_ids):
        assert rows[2][f"side_points.{side}"] == pytest.approx(float(last.side_points()[k]), abs=0.01)


def test_the_observer_plays_the_game_run_plays_from_its_seed() -> None:
    observer = Observer.of(MINI, skill=2, seed=9)
    weeks = 0
    while observer.play_week():
        weeks += 1
    assert observer.over and weeks == observer.replay.last
    world = compile_world(load_scenario(MINI))
    game = Game(world, 9)
    ran = [week.state.snapshot() for week in play(game, Matchup.of(world, {}, 2))]
    assert ran == [s.snapshot() for s in observer.replay.states[1:]]
    assert not observer.play_week()


# --- refusals ----------------------------------------------------------------------------------------


def write(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def damaged(kind: str, tmp: Path, played: tuple[Path, Path], batch: Path) -> tuple[Path, int | None, str]:
    """A record the replay must refuse, the --game to ask for, and what the message says."""
    log, save = played
    if kind == "edited-log":
        lines = lines_of(log)
        station = next(iter(lines[5]["control"]))
        lines[5]["control"][station] = "legion" if lines[5]["control"][station] != "legion" else "reds"
        return write(tmp / "edited.jsonl", lines), None, f"week 5 (1918-06-17): control.{station}: recorded"
    if kind == "cut-log":
        return write(tmp / "cut.jsonl", lines_of(log)[:4]), None, "the log ends without its result line"
    if kind == "edited-save":
        data = json.loads(save.read_text("utf-8"))
        data["snapshot"]["state"]["men"][0] += 1
        return write(tmp / "edited.json", [data]), None, "the save is damaged or was altered"
    if kind == "foreign":
        return write(tmp / "foreign.json", [{"hello": "world"}]), None, "neither an Anabasis save nor"
    if kind == "changed-scenario":
        moved = tmp / "mini.yaml"
        moved.write_text(MINI.read_text("utf-8").replace("km: 255", "km: 256"), "utf-8")
        lines = lines_of(log)
        lines[-1]["result"]["scenario_path"] = str(moved)
        return write(tmp / "changed.jsonl", lines), None, "has changed since the game was played"
    if kind == "missing":
        return tmp / "nothing.jsonl", None, "no such file"
    if kind == "folder-without-game":
        return batch, None, "name one of its batch's games with --game N"
    if kind == "no-such-game":
        return batch, 7, "holds 3 games (0 to 2): there is no game 7"
    if kind == "file-with-game":
        return log, 1, "picks a game of a batch folder"
    if kind == "not-a-batch":
        return tmp, 0, "holds no batch"
    if kind == "edited-row":
        copy = tmp / "batch"
        shutil.copytree(batch, copy)
        rows = (copy / "games.jsonl").read_text("utf-8").splitlines()
        row = json.loads(rows[1])
        row["seed"] += 1
        rows[1] = json.dumps(row)
        (copy / "games.jsonl").write_text("\n".join(rows) + "\n", "utf-8")
        return copy, 1, "row 1 is damaged"
    if kind == "edited-result":
        copy = tmp / "batch"
        shutil.copytree(batch, copy)
        rows = (copy / "games.jsonl").read_text("utf-8").splitlines()
        row = json.loads(rows[0])
        row["battles"] += 1
        rows[0] = json.dumps(row)
        (copy / "games.jsonl").write_text("\n".join(rows) + "\n", "utf-8")
        return copy, 0, "game 0 does not replay as the batch played it (battles: recorded"
    if kind == "sweep":
        sweep = tmp / "sweep"
        done = invoke("sim", MINI, "--games", "1", "--workers", "1", "--sweep", "rules.winter_need=1,2", "--out", sweep)
        assert done.exit_code == 0, done.output
        return sweep, 0, "holds a sweep: open the folder of one of its values"
    raise AssertionError(kind)


KINDS = [
    "edited-log",
    "cut-log",
    "edited-save",
    "foreign",
    "changed-scenario",
    "missing",
    "folder-without-game",
    "no-such-game",
    "file-with-game",
    "not-a-batch",
    "edited-row",
    "edited-result",
    "sweep",
]


@pytest.mark.parametrize("kind", KINDS)
def test_a_damaged_or_foreign_record_is_refused_with_what_is_wrong(
    kind: str, tmp_path: Path, played: tuple[Path, Path], batch: Path
) -> None:
    path, game, message = damaged(kind, tmp_path, played, batch)
    with pytest.raises(ReplayError) as refused:
        open_replay(path, game)
    assert message in str(refused.value)


@pytest.mark.parametrize("kind", ["edited-log", "foreign", "no-such-game", "edited-row"])
def test_play_replay_exits_2_with_the_message_before_any_window(
    kind: str, tmp_path: Path, played: tuple[Path, Path], batch: Path
) -> None:
    path, game, message = damaged(kind, tmp_path, played, batch)
    args: list[str | Path] = ["play", "--replay", path, *(["--game", str(game)] if game is not None else [])]
    result = invoke(*args, env={"SDL_VIDEODRIVER": "dummy", "ANABASIS_SAVES": str(tmp_path / "saves")})
    assert result.exit_code == 2, result.output
    assert " ".join(message.split()) in " ".join(result.output.split())
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--game", "3"], "--game N picks a game of a batch folder"),
        (["--replay", "x.jsonl", "--watch"], "give one of --replay, --watch"),
        (["--watch", "--side", "allies"], "--watch shows the AI's game"),
        (["--replay", "x.jsonl", "--load", "y.json"], "give one of --replay, --load"),
    ],
)
def test_play_refuses_options_that_contradict_each_other(args: list[str], message: str, tmp_path: Path) -> None:
    result = invoke("play", *args, env={"SDL_VIDEODRIVER": "dummy", "ANABASIS_SAVES": str(tmp_path)})
    assert result.exit_code == 2 and message in result.output, result.output


def test_a_replay_keeps_its_weeks_without_copying_them(played: tuple[Path, Path]) -> None:
    """States are the engine's own values: a week of the replay shares no array with the next (step copies)."""
    replay = open_replay(played[0])
    assert all(not np.shares_memory(a.men, b.men) for a, b in zip(replay.states, replay.states[1:], strict=False))


def test_play_opens_the_window_on_the_replay_or_the_observer(
    played: tuple[Path, Path], batch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []
    monkeypatch.setattr(launch, "run", lambda settings, saves, start, scenario: opened.append(start))
    env: dict[str, str | None] = {"SDL_VIDEODRIVER": "dummy", "ANABASIS_SAVES": str(tmp_path)}
    assert invoke("play", "--replay", played[0], env=env).exit_code == 0
    assert invoke("play", "--replay", batch, "--game", "1", env=env).exit_code == 0
    assert invoke("play", "--watch", MINI, "--skill", "3", env=env).exit_code == 0
    log, game, watched = opened
    assert isinstance(log, Replay) and log.last == len(lines_of(played[0])) - 1
    assert isinstance(game, Replay) and game.provenance.title == "game 1 of out"
    assert isinstance(watched, Observer) and watched.replay.provenance.skill == 3 and watched.replay.last == 0
