"""Saved games: JSON with the scenario's id and hash, the seed, the order log and a snapshot.

Writes are atomic (a temporary file, then a rename), so a crash never leaves half a save and never
spoils the one that was there. Nothing from a file is ever evaluated or unpickled.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from anabasis.engine.game import Game
from anabasis.engine.state import GameState
from anabasis.engine.world import World

FORMAT = "anabasis-save"
VERSION = 1
MAX_BYTES = 64 * 1024 * 1024


class SaveError(ValueError):
    """A save that cannot be read or does not belong to this scenario; the message says which."""


class SaveFile(BaseModel):
    """What a save holds."""

    model_config = ConfigDict(extra="ignore")

    format: str
    version: int
    scenario_id: str
    scenario_hash: str
    scenario_path: str = ""
    overrides: list[str] = Field(default_factory=list)
    seed: int
    sides: dict[str, str] = Field(default_factory=dict)
    orders: list[dict[str, list[str]]]
    pending: dict[str, list[str]] = Field(
        default_factory=dict, description="Orders given for the current turn but not yet played, by faction."
    )
    snapshot: dict[str, Any] | None = None
    saved_at: str = ""


def save_data(
    game: Game,
    scenario_hash: str,
    *,
    scenario_path: str = "",
    sides: dict[str, str] | None = None,
    overrides: list[str] | None = None,
    pending: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """The JSON-ready content of a save of `game`."""
    return SaveFile(
        format=FORMAT,
        version=VERSION,
        scenario_id=game.world.scenario.meta.id,
        scenario_hash=scenario_hash,
        scenario_path=scenario_path,
        overrides=list(overrides or []),
        seed=game.seed,
        sides=dict(sides or {}),
        orders=game.log,
        pending=dict(pending or {}),
        snapshot={"state": game.state.snapshot(), "rng": game.rng_state()},
        saved_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    ).model_dump()


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_save(path: Path, data: dict[str, Any]) -> None:
    """Save atomically to `path`."""
    write_atomic(path, json.dumps(data, separators=(",", ":")) + "\n")


def read_save(path: Path) -> SaveFile:
    """Read and check a save file's form, or raise SaveError saying what is wrong with it."""
    try:
        if path.is_dir():
            raise SaveError(f"{path} is a directory, not a save")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SaveError(f"{path} is {size // 2**20} MB, too large to be a save")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SaveError(f"{path}: no such save") from None
    except OSError as err:
        raise SaveError(f"{path} cannot be read: {err.strerror or err}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        where = f" (line {err.lineno})" if isinstance(err, json.JSONDecodeError) else ""
        raise SaveError(f"{path} is damaged or not a save: it is not valid JSON{where}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SaveError(f"{path} is not an Anabasis save")
    version = data.get("version")
    if isinstance(version, int) and version > VERSION:
        raise SaveError(
            f"{path} was saved by a newer Anabasis (save format {version}); this one reads format {VERSION}"
        )
    try:
        return SaveFile.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        raise SaveError(f"{path} is damaged: {place}: {first['msg']}") from None


def restore_game(save: SaveFile, world: World, scenario_hash: str, verify: bool = False) -> Game:
    """The saved game on `world`: from its snapshot, or by replaying its orders when asked or needed."""
    if save.scenario_id != world.scenario.meta.id:
        raise SaveError(f"this save is of scenario {save.scenario_id!r}, not {world.scenario.meta.id!r}")
    if save.scenario_hash != scenario_hash:
        raise SaveError(
            f"scenario {save.scenario_id!r} has changed since this game was saved, so the game cannot be rebuilt "
            "exactly; load it with the scenario file it was played with"
        )
    try:
        replayed = Game.replay(world, save.seed, save.orders) if verify or save.snapshot is None else None
        if save.snapshot is not None:
            state = GameState.from_snapshot(world, save.snapshot["state"])
            game = Game.restore(world, save.seed, save.orders, state, save.snapshot["rng"])
            if replayed is not None and replayed.state.snapshot() != state.snapshot():
                raise SaveError("the save's snapshot does not match its order log: the save was altered")
            return game
    except (KeyError, TypeError, ValueError, OverflowError, IndexError) as err:
        if isinstance(err, SaveError):
            raise
        raise SaveError(f"the save is damaged: {err}") from None
    assert replayed is not None
    return replayed
