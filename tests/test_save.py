"""Saved games: a loaded game plays on exactly as if never interrupted; bad saves are refused; old saves survive."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from anabasis.ai.baseline import RandomAgent
from anabasis.engine import World
from anabasis.engine.difference import snapshot_axes
from anabasis.engine.game import Game
from anabasis.engine.save import SaveError, read_save, restore_game, save_data, write_save
from anabasis.engine.state import new_state
from anabasis.engine.world import compile_world
from anabasis.scenario import content_hash, load_scenario

WorldOf = Callable[..., World]
MINI = Path(__file__).resolve().parent / "fixtures" / "mini.yaml"
PlayRandom = Callable[..., Game]


def hash_of(world: World) -> str:
    return content_hash(world.scenario)


def play_on(game: Game, turns: int) -> Game:
    """Continue `game` with random commanders until `turns` turns are played."""
    agents = {f: RandomAgent() for f in game.world.faction_ids}
    while not game.state.ended and game.turn < turns:
        game.play({f: agent.orders(game.state, f, game.agent_rng(f)) for f, agent in agents.items()})
    return game


def reports(game: Game) -> list[str]:
    """The reports of the turns played, as the log stores them."""
    return [json.dumps(r.to_dict()) for r in game.reports[1:]]


@pytest.fixture
def saved(mini_world: WorldOf, play_random: PlayRandom, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A save of a fixture game after six weeks, on disk and as data."""
    world = mini_world()
    data = save_data(play_random(world, 21, 6), hash_of(world))
    path = tmp_path / "game.json"
    write_save(path, data)
    return path, data


def rewrite(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def refused(path: Path, world: World) -> str:
    with pytest.raises(SaveError) as caught:
        restore_game(read_save(path), world, hash_of(world))
    return str(caught.value)


@pytest.mark.parametrize("how", ["snapshot", "replayed"])
def test_a_loaded_game_plays_on_exactly_as_the_uninterrupted_one(
    campaign_world: World, play_random: PlayRandom, tmp_path: Path, how: str
) -> None:
    whole = play_random(campaign_world, 3, 16)
    data = save_data(play_random(campaign_world, 3, 8), hash_of(campaign_world))
    if how == "replayed":
        data["snapshot"] = None
    write_save(tmp_path / "save.json", data)
    loaded = restore_game(read_save(tmp_path / "save.json"), campaign_world, hash_of(campaign_world))
    assert loaded.turn == 8 and loaded.seed == 3
    known = len(loaded.reports)
    play_on(loaded, 16)
    assert [json.dumps(r.to_dict()) for r in loaded.reports[known:]] == reports(whole)[8:]
    assert loaded.log == whole.log
    assert loaded.state.snapshot() == whole.state.snapshot()


def test_a_game_saved_twice_over_keeps_its_whole_history(
    mini_world: WorldOf, play_random: PlayRandom, tmp_path: Path
) -> None:
    world = mini_world()
    path = tmp_path / "autosave.json"
    write_save(path, save_data(play_random(world, 4, 3), hash_of(world)))
    game = play_on(restore_game(read_save(path), world, hash_of(world)), 7)
    write_save(path, save_data(game, hash_of(world)))
    again = restore_game(read_save(path), world, hash_of(world))
    assert again.log == play_random(world, 4, 7).log


def test_a_missing_save_or_a_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="no such save"):
        read_save(tmp_path / "nothing.json")
    with pytest.raises(SaveError, match="is a directory, not a save"):
        read_save(tmp_path)
    (tmp_path / "pipe.json").unlink(missing_ok=True)
    os.mkfifo(tmp_path / "pipe.json")
    with pytest.raises(SaveError, match=r"pipe\.json: is a named pipe \(FIFO\), not a save"):
        read_save(tmp_path / "pipe.json")
    with pytest.raises(SaveError, match="is a device, not a save"):
        read_save(Path("/dev/zero"))


def test_a_save_stays_good_when_the_scenario_gains_a_real_date(
    saved: tuple[Path, dict[str, Any]], mini_world: WorldOf, tmp_path: Path
) -> None:
    """`history:` changes no game: saves (and unfinished sim batches) made before a date was added still load."""
    path, _ = saved
    dated = tmp_path / "mini.yaml"
    mark = "  - {milestone: changes_hands.samara, date: 1918-06-08, source: {doc: history, note: Samara taken}}\n"
    dated.write_text(MINI.read_text(encoding="utf-8") + mark, encoding="utf-8")  # the fixture ends with `history:`
    world = compile_world(load_scenario(dated))
    assert [m.milestone for m in world.scenario.history] == ["link_up", "changes_hands.samara"]
    game = restore_game(read_save(path), world, hash_of(world))
    assert game.turn == 6


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda text: text[: len(text) // 2], "is damaged or not a save: it is not valid JSON"),
        (lambda text: text[:-40], "is damaged or not a save: it is not valid JSON"),
        (lambda text: "\x00\x01garbage" + text, "is damaged or not a save: it is not valid JSON"),
        (lambda text: "", "is damaged or not a save: it is not valid JSON"),
    ],
    ids=["half", "truncated", "garbage", "empty"],
)
def test_a_damaged_or_truncated_save_is_refused_with_a_message(
    saved: tuple[Path, dict[str, Any]], damage: Callable[[str], str], message: str
) -> None:
    path, _ = saved
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(SaveError) as caught:
        read_save(path)
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.json"
    path.write_bytes(b"\xff\xd8\xff\xe0 not text")
    with pytest.raises(SaveError, match="not valid JSON"):
        read_save(path)


@pytest.mark.parametrize(
    "content",
    [{"hello": "world"}, [1, 2, 3], "a string", {"format": "other-game", "version": 1}],
    ids=["object", "list", "string", "other-format"],
)
def test_json_that_is_not_a_save_is_refused(tmp_path: Path, content: object) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(SaveError, match="is not an Anabasis save"):
        read_save(path)


def test_the_scenario_schema_is_not_a_save() -> None:
    schema = Path(__file__).resolve().parents[1] / "scenarios" / "schema" / "scenario.schema.json"
    with pytest.raises(SaveError, match="is not an Anabasis save"):
        read_save(schema)


def test_a_save_from_a_newer_version_is_refused(saved: tuple[Path, dict[str, Any]]) -> None:
    path, data = saved
    rewrite(path, {**data, "version": data["version"] + 1})
    with pytest.raises(SaveError, match=r"saved by a newer Anabasis \(save format 2\); this one reads format 1"):
        read_save(path)


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [("orders", "move cz_chel omsk", "orders"), ("seed", "seven", "seed"), ("scenario_id", None, "scenario_id")],
)
def test_a_save_with_a_damaged_field_names_the_field(
    saved: tuple[Path, dict[str, Any]], field: str, value: object, where: str
) -> None:
    path, data = saved
    rewrite(path, {**data, field: value})
    with pytest.raises(SaveError, match=f"is damaged: {where}"):
        read_save(path)


def test_a_save_of_another_scenario_is_refused(saved: tuple[Path, dict[str, Any]], campaign_world: World) -> None:
    path, _ = saved
    campaign = campaign_world.scenario.meta.id
    assert refused(path, campaign_world) == f"this save is of scenario 'mini', not {campaign!r}"


def test_a_save_of_a_changed_scenario_is_refused(saved: tuple[Path, dict[str, Any]], mini_world: WorldOf) -> None:
    path, _ = saved
    message = refused(path, mini_world("units[cz_chel].men=9000"))
    assert "has changed since this game was saved" in message


ALTERED = "the save is damaged or was altered: its snapshot of week 6 (1918-06-24) disagrees with the replay"


@pytest.mark.parametrize(
    ("damage", "field"),
    [
        (lambda snap: snap["state"].update(men=[1, 2, 3]), "state.men.cz_penza: recorded 1, replayed 8000"),
        (lambda snap: snap["state"].pop("control"), "state.control: recorded nothing, replayed"),
        (lambda snap: snap["state"].update(turn="soon"), "state.turn: recorded soon, replayed 6"),
        (lambda snap: snap["state"].update(turn=10**30), "state.turn: recorded 1000000000000000000000000000000"),
        (lambda snap: snap["state"].update(turn=1e400), "state.turn: recorded Infinity, replayed 6"),
        (lambda snap: snap["state"].update(station=[99] * 9), "state.station.cz_penza: recorded 99, replayed"),
        (lambda snap: snap.update(rng={"state": 1}), "rng.bit_generator: recorded nothing, replayed PCG64"),
        (lambda snap: snap["rng"]["state"].update(state=snap["rng"]["state"]["state"] + 1), "rng.state.state:"),
        (lambda snap: snap["rng"].update(uinteger=snap["rng"]["uinteger"] ^ 1), "rng.uinteger: recorded"),
        (lambda snap: snap["state"]["entrained"].__setitem__(0, 1), "state.entrained.cz_penza: recorded 1, replayed"),
    ],
    ids=["shape", "missing", "turn", "huge", "infinite", "station", "rng", "rng-state", "rng-word", "bool-as-int"],
)
def test_a_snapshot_that_disagrees_with_the_replay_is_refused_naming_the_field(
    saved: tuple[Path, dict[str, Any]], mini_world: WorldOf, damage: Callable[[dict[str, Any]], None], field: str
) -> None:
    """Every load replays the orders; the snapshot, random generator included, must agree with the replay."""
    path, data = saved
    damage(data["snapshot"])
    message = refused(rewrite(path, data), mini_world())
    assert message.startswith(ALTERED) and f"of its orders: {field}" in message, message


def test_an_order_log_that_does_not_parse_is_refused(saved: tuple[Path, dict[str, Any]], mini_world: WorldOf) -> None:
    path, data = saved
    data["orders"][2] = {"legion": ["march cz_chel omsk"]}
    rewrite(path, data)
    message = "the save is damaged: the orders of week 2 (1918-05-27) cannot be played: 'march' is not an order"
    assert refused(path, mini_world()).startswith(message)
    data["snapshot"] = None
    assert refused(rewrite(path, data), mini_world()).startswith(message)


def test_orders_for_more_weeks_than_the_game_has_are_refused(
    saved: tuple[Path, dict[str, Any]], mini_world: WorldOf
) -> None:
    path, data = saved
    world = mini_world()
    data["orders"] += [{}] * world.turns
    assert refused(rewrite(path, data), world).startswith("the save is damaged: it holds orders for")


def test_a_tampered_snapshot_is_refused_on_every_load(saved: tuple[Path, dict[str, Any]], mini_world: WorldOf) -> None:
    path, data = saved
    world = mini_world()
    data["snapshot"]["state"]["men"][world.unit_index["cz_chel"]] += 5000
    assert "state.men.cz_chel: recorded" in refused(rewrite(path, data), world)


def test_a_tampered_order_log_is_refused(saved: tuple[Path, dict[str, Any]], mini_world: WorldOf) -> None:
    path, data = saved
    data["orders"][0] = {}
    assert refused(rewrite(path, data), mini_world()).startswith(ALTERED)


def test_a_negative_seed_is_refused(saved: tuple[Path, dict[str, Any]]) -> None:
    path, data = saved
    with pytest.raises(SaveError, match="is damaged: seed: Input should be greater than or equal to 0"):
        read_save(rewrite(path, {**data, "seed": -1}))


def _failing(name: str) -> Callable[..., None]:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, f"No space left on device ({name})")

    return fail


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_write_that_fails_leaves_the_previous_save_intact(
    saved: tuple[Path, dict[str, Any]],
    mini_world: WorldOf,
    play_random: PlayRandom,
    monkeypatch: pytest.MonkeyPatch,
    step: str,
) -> None:
    path, _ = saved
    before = path.read_bytes()
    world = mini_world()
    later = save_data(play_random(world, 21, 9), hash_of(world))
    monkeypatch.setattr(os, step, _failing(step))
    with pytest.raises(OSError, match="No space left"):
        write_save(path, later)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    assert restore_game(read_save(path), world, hash_of(world)).turn == 6


def test_an_interrupted_write_leaves_the_previous_save_intact(
    saved: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, data = saved
    before = path.read_bytes()

    def interrupt(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_save(path, {**data, "seed": 99})
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_refused_save_is_left_as_it_was(saved: tuple[Path, dict[str, Any]], campaign_world: World) -> None:
    path, _ = saved
    before = path.read_bytes()
    refused(path, campaign_world)
    assert path.read_bytes() == before


def test_a_difference_names_the_unit_station_or_faction_of_every_array(campaign_world: World) -> None:
    snapshot = new_state(campaign_world).snapshot()
    for place, axes in snapshot_axes(campaign_world).items():
        array = np.asarray(snapshot[place.removeprefix("state.")])
        assert array.shape == tuple(len(ids) for ids in axes), place
