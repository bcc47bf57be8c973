"""Opening a recorded game for replay: a `run --log`, a save, or game N of a batch folder.

Each is checked as `anabasis verify` and loading a save check them (a log line by line, a save against its
snapshot, a batch's game against its row), so the replay never shows a week other than the one played, and a
damaged or foreign file is refused with what is wrong with it.
"""

from __future__ import annotations

from pathlib import Path

from anabasis.engine.game import Game
from anabasis.engine.save import SaveError, SaveFile, restore_game
from anabasis.engine.world import compile_world
from anabasis.replay.folders import open_batch_game
from anabasis.replay.scenarios import ReplayError, load_checked, locate
from anabasis.replay.weeks import Provenance, Replay, replay_orders
from anabasis.scenario import content_hash
from anabasis.sim.log import LogError, RunLog
from anabasis.sim.verify import Origin, read_record, verify_log
from anabasis.userfiles import UnreadableFile


def open_replay(path: Path, game: int | None = None, scenario: Path | None = None) -> Replay:
    """Every week of the game recorded at `path` (game `game` of a batch folder), played with `scenario` when
    given, else with the one the record names; ReplayError (ScenarioError for its scenario) says what is wrong."""
    if path.is_dir():
        if game is None:
            raise ReplayError(f"{path} is a folder: name one of its batch's games with --game N")
        return open_batch_game(path, game, scenario)
    if game is not None:
        raise ReplayError(f"--game {game} picks a game of a batch folder, and {path} is no folder")
    try:
        record = read_record(path)
    except (UnreadableFile, SaveError, LogError) as error:
        raise ReplayError(str(error)) from None
    origin = Origin.of(record)
    where = scenario or locate(
        path, origin.scenario_path, lambda s: s.meta.id == origin.scenario_id, repr(origin.scenario_id)
    )
    loaded = load_checked(path, where, origin.overrides, origin.scenario_id, origin.scenario_hash)
    if isinstance(record, SaveFile):
        return _from_save(path, record, Provenance(loaded, where, tuple(origin.overrides), _skill(record), path.name))
    return _from_log(path, record, Provenance(loaded, where, tuple(origin.overrides), title=path.name))


def _from_save(path: Path, save: SaveFile, provenance: Provenance) -> Replay:
    """A save's weeks, rebuilt from its orders and checked against its snapshot as loading it does."""
    replay: Replay | None = None

    def keep(game: Game) -> None:
        nonlocal replay
        if replay is None:
            replay = Replay.begin(game, provenance)
        else:
            replay.record(game)

    world = compile_world(provenance.scenario)
    try:
        restore_game(save, world, content_hash(provenance.scenario), watch=keep)
    except SaveError as error:
        raise ReplayError(f"{path}: {error}") from None
    assert replay is not None  # the watch sees the game before its first week
    return replay


def _from_log(path: Path, log: RunLog, provenance: Provenance) -> Replay:
    """A log's weeks, once every line of it has been found to be what the replay writes."""
    world = compile_world(provenance.scenario)
    verdict = verify_log(log, world)
    if verdict.problem is not None:
        raise ReplayError(f"{path} does not replay as it was recorded: {verdict.problem}")
    return replay_orders(world, log.source.seed, log.orders, provenance)


def _skill(save: SaveFile) -> int:
    """The AI's skill in a saved game (`ai:3` in its sides), 2 when no AI played."""
    skills = [who.partition(":")[2] for who in save.sides.values() if ":" in who]
    return int(skills[0]) if skills and skills[0].isdigit() else 2
