"""Saved games: JSON with the scenario's id and hash, the seed, the order log and a snapshot.

Writes are atomic (a temporary file, then a rename), so a crash never leaves half a save and never
spoils the one that was there. Nothing from a file is ever evaluated or unpickled. A loaded game is the
replay of its orders, and the snapshot must agree with it, so no edit of a save changes the game unseen.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from anabasis.engine.difference import Difference, first_difference, snapshot_axes, week
from anabasis.engine.game import Game
from anabasis.engine.orders import Order
from anabasis.engine.world import World
from anabasis.userfiles import UnreadableFile, read_bounded

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
    seed: int = Field(ge=0)
    game: str = Field(default="", description="The game's own id, the same in each of its saves (empty if none).")
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
    game_id: str = "",
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
        game=game_id,
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
        raw = read_bounded(path, MAX_BYTES, "save")
    except UnreadableFile as err:
        raise SaveError(f"{path}: {'no such save' if err.reason == 'no such file' else err.reason}") from None
    return parse_save(raw, path)


def parse_save(raw: bytes, path: Path) -> SaveFile:
    """A save's bytes, read from `path`, checked for form; SaveError says what is wrong with them."""
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


def restore_game(save: SaveFile, world: World, scenario_hash: str, watch: Callable[[Game], None] | None = None) -> Game:
    """The saved game on `world`, rebuilt from its seed and orders; its snapshot must agree with that replay.

    The replay is the game; the snapshot, the engine's generator included, is the check that nothing was
    altered: an edited generator state would otherwise load quietly and play on into another future. `watch`
    sees the game at the start and after each week of the replay (the window keeps who held what, week by week)."""
    check_scenario(save, world, scenario_hash)
    game = replay_orders(save, world, watch)
    difference = snapshot_difference(save, game)
    if difference is not None:
        raise SaveError(
            f"the save is damaged or was altered: its snapshot of {week(world, game.turn)} "
            f"disagrees with the replay of its orders: {difference}"
        )
    return game


def check_scenario(save: SaveFile, world: World, scenario_hash: str) -> None:
    """Refuse a save of another scenario, or of this one before it changed."""
    if save.scenario_id != world.scenario.meta.id:
        raise SaveError(f"this save is of scenario {save.scenario_id!r}, not {world.scenario.meta.id!r}")
    if save.scenario_hash != scenario_hash:
        raise SaveError(
            f"scenario {save.scenario_id!r} has changed since this game was saved, so the game cannot be rebuilt "
            "exactly; load it with the scenario file it was played with"
        )


def replay_orders(save: SaveFile, world: World, watch: Callable[[Game], None] | None = None) -> Game:
    """The game that the save's orders make from its seed; SaveError when they cannot all be played."""
    if len(save.orders) > world.turns:
        raise SaveError(
            f"the save is damaged: it holds orders for {len(save.orders)} weeks, and the scenario has {world.turns}"
        )
    game = Game(world, save.seed)
    if watch is not None:
        watch(game)
    for turn, given in enumerate(save.orders):
        if game.state.ended:
            raise SaveError(f"the save is damaged: it holds orders for {week(world, turn)}, after the game ended")
        try:
            game.play({faction: [Order.parse(text) for text in texts] for faction, texts in given.items()})
        except (KeyError, TypeError, ValueError, OverflowError, IndexError) as err:
            raise SaveError(f"the save is damaged: the orders of {week(world, turn)} cannot be played: {err}") from None
        if watch is not None:
            watch(game)
    return game


def snapshot_difference(save: SaveFile, game: Game) -> Difference | None:
    """Where the save's snapshot first disagrees with `game`, the replay of its orders (None: it agrees)."""
    if save.snapshot is None:
        return None
    replayed = {"state": game.state.snapshot(), "rng": game.rng_state()}
    return first_difference(save.snapshot, replayed, snapshot_axes(game.world))
