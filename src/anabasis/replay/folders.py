"""Game N of a batch folder, played again: its seed from row N of `games.jsonl`, the batch's scenario, `--set`
changes, commanders and skill from its `summary.json` (or, for a batch stopped or still running, its
`progress.json`). The AI plays deterministically from the seed, so the game is the one the batch played; the row
it makes must be the row recorded."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anabasis.ai.registry import AGENTS
from anabasis.engine.difference import first_difference
from anabasis.engine.game import Game
from anabasis.engine.world import World, compile_world
from anabasis.replay.scenarios import ReplayError, load_checked, locate
from anabasis.replay.weeks import Provenance, Replay
from anabasis.scenario import Scenario, content_hash
from anabasis.sim.game import Matchup, play, simulate
from anabasis.sim.log import dumps
from anabasis.sim.progress import PROGRESS, ResumeError, load
from anabasis.sim.seeds import game_seed
from anabasis.userfiles import UnreadableFile, read_bounded

GAMES, SUMMARY = "games.jsonl", "summary.json"
MOST_ROW_BYTES = 4 * 2**20  # a campaign's row is some kilobytes
MOST_SUMMARY_BYTES = 64 * 2**20


@dataclass(frozen=True)
class Batch:
    """What decides a batch's games, as its folder records it."""

    seed: int
    overrides: tuple[str, ...]
    agents: dict[str, str]  # faction -> commander kind
    skill: int
    max_turns: int | None
    digest: str  # the scenario's content hash
    scenario_id: str | None  # the summary names the scenario; progress.json only hashes it
    scenario_file: str  # as given to `sim`, "" when not known


def open_batch_game(folder: Path, index: int, scenario: Path | None = None) -> Replay:
    """Game `index` of the batch in `folder`, played again and checked against its row."""
    if index < 0:
        raise ReplayError(f"--game {index}: games are numbered from 0")
    batch = _batch(folder)
    row = _row(folder, index)
    seed = row["seed"]
    if seed != game_seed(batch.seed, index):
        raise ReplayError(f"{folder / GAMES}: row {index} is damaged: its seed is not the batch's game {index} seed")
    record = folder / (SUMMARY if batch.scenario_id is not None else PROGRESS)
    where = scenario or locate(record, batch.scenario_file, lambda s: _same(s, batch), _named(batch), batch.overrides)
    loaded = load_checked(record, where, batch.overrides, batch.scenario_id, batch.digest)
    world = compile_world(loaded)
    matchup = _matchup(folder, world, batch)
    title = f"game {index} of {folder.name or folder}"
    game = Game(world, seed)
    replay = Replay.begin(game, Provenance(loaded, where, batch.overrides, batch.skill, title))
    for _ in play(game, matchup, batch.max_turns):
        replay.record(game)
    replayed = json.loads(dumps(simulate(world, index, seed, matchup, batch.max_turns).row))
    difference = first_difference(row, replayed)
    if difference is not None:
        raise ReplayError(
            f"{folder / GAMES}: game {index} does not replay as the batch played it ({difference}): the row was "
            "edited, or the rules or the AI changed since the batch ran"
        )
    return replay


def _same(scenario: Scenario, batch: Batch) -> bool:
    if batch.scenario_id is not None:
        return scenario.meta.id == batch.scenario_id
    return content_hash(scenario) == batch.digest


def _named(batch: Batch) -> str:
    return repr(batch.scenario_id) if batch.scenario_id is not None else f"(content hash {batch.digest})"


def _batch(folder: Path) -> Batch:
    """The batch's identity, from its summary, else its progress file."""
    path = folder / SUMMARY
    summary = _summary(path) if os.path.lexists(path) else None
    if summary is not None and "sweep" in summary:
        values = sorted(p.name for p in folder.iterdir() if (p / GAMES).is_file())
        example = folder / values[0] if values else folder / "01-..."
        raise ReplayError(f"{folder} holds a sweep: open the folder of one of its values, e.g. --replay {example}")
    if not (folder / GAMES).exists():
        raise ReplayError(f"{folder} holds no batch: it has no {GAMES}")
    if summary is None:
        try:
            identity = load(folder).identity
        except ResumeError:
            raise ReplayError(f"{folder} holds no readable batch: no {SUMMARY}, and no good {PROGRESS}") from None
        return _identity(folder / PROGRESS, identity, None, "")
    try:
        about = summary["scenario"]
        return _identity(path, {**summary, "hash": about["hash"]}, str(about["id"]), str(about.get("file") or ""))
    except (KeyError, TypeError):
        raise ReplayError(f"{path} is damaged: it does not say which scenario the batch played") from None


def _summary(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(read_bounded(path, MOST_SUMMARY_BYTES, "batch summary"))
    except UnreadableFile as error:
        raise ReplayError(str(error)) from None
    except (ValueError, RecursionError):
        raise ReplayError(f"{path} is damaged: it is not JSON") from None
    if not isinstance(data, dict):
        raise ReplayError(f"{path} is not the summary of a batch")
    return data


def _identity(path: Path, data: dict[str, Any], scenario_id: str | None, scenario_file: str) -> Batch:
    try:
        max_turns = data["max_turns"]
        batch = Batch(
            seed=int(data["seed"]),
            overrides=tuple(str(o) for o in data["overrides"]),
            agents={str(f): str(kind) for f, kind in dict(data["agents"]).items()},
            skill=int(data["skill"]),
            max_turns=None if max_turns is None else int(max_turns),
            digest=str(data["hash"]),
            scenario_id=scenario_id,
            scenario_file=scenario_file,
        )
    except (KeyError, TypeError, ValueError, OverflowError):
        raise ReplayError(f"{path} is damaged: it does not say how the batch's games were played") from None
    if batch.seed < 0:
        raise ReplayError(f"{path} is damaged: its seed is negative")
    return batch


def _row(folder: Path, index: int) -> dict[str, Any]:
    """Row `index` of games.jsonl (rows are written in game order), read without reading the rest."""
    path = folder / GAMES
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        raise ReplayError(f"{path} cannot be read: {error.strerror or error}") from None
    if not stat.S_ISREG(mode):
        raise ReplayError(f"{path} is not a regular file")
    with path.open("rb") as rows:
        for n in range(index + 1):
            line = rows.readline(MOST_ROW_BYTES + 1)
            if len(line) > MOST_ROW_BYTES:
                raise ReplayError(f"{path}: row {n} is damaged: it is longer than any row a batch writes")
            if not line.endswith(b"\n"):  # the end, or a row still being written
                games = f"{n} games (0 to {n - 1})" if n else "no finished game"
                raise ReplayError(f"{path} holds {games}: there is no game {index}")
    try:
        row = json.loads(line)
    except (ValueError, RecursionError):
        raise ReplayError(f"{path}: row {index} is damaged: it is not JSON") from None
    if not isinstance(row, dict) or row.get("index") != index:
        raise ReplayError(f"{path}: row {index} is damaged: it is not game {index}'s row")
    seed = row.get("seed")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ReplayError(f"{path}: row {index} is damaged: it has no seed")
    return row


def _matchup(folder: Path, world: World, batch: Batch) -> Matchup:
    """The batch's commanders, faction by faction, as the batch named them."""
    unknown = sorted(set(batch.agents) - set(world.faction_ids)) + sorted(set(batch.agents.values()) - set(AGENTS))
    if unknown or set(batch.agents) != set(world.faction_ids):
        raise ReplayError(
            f"{folder}: the batch's commanders ({', '.join(f'{f}={k}' for f, k in batch.agents.items())}) "
            "are not this game's factions and agents"
        )
    return Matchup(tuple((f, batch.agents[f]) for f in world.faction_ids), batch.skill)
