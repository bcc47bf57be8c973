"""A batch's progress on disk, so that an interrupted batch (Ctrl-C, a killed job, a lost machine) goes on where
it stopped with `anabasis sim --resume`, and a finished one can be extended with more games.

`progress.json` says what the batch is (everything that decides its games), how many games `games.jsonl` held
and how many bytes long it was at that moment, and the running statistics then. It is rewritten atomically
as games stream in; rows written after it are cut off on resume and played again, with the same seeds and so
the same rows.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anabasis.sim.files import write_json
from anabasis.userfiles import UnreadableFile, read_bounded

PROGRESS = "progress.json"
FORMAT = 2  # 2: the running statistics hold the station holders, the curves' histograms and the event counts
# The campaign's progress file is some hundreds of KB (it grows with turns x stations and with the spread of the
# curves' values, not with the games); one this large is no such file.
MOST_BYTES = 64 * 2**20
AGAIN = "start the batch again with --overwrite instead of --resume"
# What decides a batch's games: the same values give the same rows, game for game.
IDENTITY = ("hash", "seed", "overrides", "agents", "skill", "max_turns")


class ResumeError(ValueError):
    """A batch cannot go on from its folder; the message says why and what to do."""


@dataclass(frozen=True)
class Checkpoint:
    """How far a batch got: what `progress.json` holds."""

    identity: dict[str, Any]
    games: int  # games written to games.jsonl and counted in `running`
    rows_bytes: int  # the length of games.jsonl after those games
    running: dict[str, Any]  # `BatchSummary.running()`


def identity(about: dict[str, Any]) -> dict[str, Any]:
    """The part of a batch's description that decides its games."""
    fields = {**about, "hash": about["scenario"]["hash"]}
    return {key: fields[key] for key in IDENTITY}


def save(folder: Path, progress: Checkpoint) -> None:
    """Write `progress.json` whole, over the last one."""
    write_json(
        folder / PROGRESS,
        {
            "format": FORMAT,
            "identity": progress.identity,
            "games": progress.games,
            "rows_bytes": progress.rows_bytes,
            "running": progress.running,
        },
        compact=True,
    )


def load(folder: Path) -> Checkpoint:
    """The progress saved in `folder`; ResumeError when there is none or it cannot be read."""
    path = folder / PROGRESS
    if not os.path.lexists(path):
        raise ResumeError(f"nothing to resume in {folder}: it has no {PROGRESS} ({AGAIN})")
    try:
        data = json.loads(read_bounded(path, MOST_BYTES, "progress file").decode("utf-8"))
    except UnreadableFile as error:
        raise ResumeError(f"{path} {error.reason}; {AGAIN}") from None
    except (ValueError, RecursionError) as error:  # not UTF-8, not JSON, numbers too long, nested too deep
        raise ResumeError(f"{path} cannot be read ({error}); {AGAIN}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ResumeError(f"{path} is not a progress file of this version; {AGAIN}")
    try:
        games, rows_bytes = int(data["games"]), int(data["rows_bytes"])
        progress = Checkpoint(dict(data["identity"]), games, rows_bytes, dict(data["running"]))
    except (KeyError, TypeError, ValueError, OverflowError):
        raise ResumeError(f"{path} is damaged; {AGAIN}") from None
    if progress.games < 0 or progress.rows_bytes < 0:
        raise ResumeError(f"{path} is damaged; {AGAIN}")
    return progress


def differences(saved: dict[str, Any], asked: dict[str, Any]) -> list[str]:
    """In words, how the batch asked for differs from the one saved, e.g. `seed 3, not 4`."""
    out = []
    for key in IDENTITY:
        was, now = saved.get(key), asked[key]
        if was == now:
            continue
        if key == "hash":
            out.append("the scenario's content changed since the batch was started")
        else:
            out.append(f"{key.replace('_', ' ')} {_shown(was)}, not {_shown(now)}")
    return out


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
