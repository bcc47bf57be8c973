"""Games of a batch worth watching: the closest, the most lopsided, the one nearest history, and those where a
rare event fired, each with the command that opens it in the window (`anabasis play --replay OUT --game N`).

It reads only the batch's rows (the dicts of `games.jsonl`): `side_points.SIDE`, `date.KEY` (ISO dates, None
for never) and, where the rows record events, `fired.EVENT` (the turn it fired, None for never).
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RARE = 0.05  # an event is rare when it fired in at most this share of the games
MOST_RARE = 3  # rare events named at most
NEVER_WEEKS = 52.0  # how far from history a key date counts when it never came


@dataclass(frozen=True)
class Highlight:
    """A game worth watching: what kind (`closest`, `lopsided`, `history`, `rare`), which, why, how to open it."""

    kind: str
    index: int
    why: str
    command: str


def highlights(
    rows: Iterable[Mapping[str, Any]], history: Mapping[str, dt.date | str], out: str | Path
) -> list[Highlight]:
    """A few games of the batch in `out` worth watching, from its rows and the real dates of its key dates.

    One pass over the rows, keeping only the best so far: a batch's games.jsonl is read back row by row."""
    real = {key: _day(day) for key, day in history.items()}
    closest: tuple[float, int] | None = None
    widest: tuple[float, int] | None = None
    nearest: tuple[float, int, int] | None = None
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    n = 0
    for row in rows:
        game = _index(row, n)
        n += 1
        margin = _margin(row)
        if margin is not None:
            if closest is None or margin < closest[0]:
                closest = (margin, game)
            if widest is None or margin > widest[0]:
                widest = (margin, game)
        off = _off_history(row, real)
        if off is not None and (nearest is None or off[0] < nearest[0]):
            nearest = (off[0], game, off[1])
        for key, turn in row.items():
            if key.startswith("fired.") and turn is not None:
                event = key.removeprefix("fired.")
                first.setdefault(event, game)
                count[event] = count.get(event, 0) + 1
    found: list[tuple[str, int, str]] = []
    if closest is not None and widest is not None:
        found.append(("closest", closest[1], f"the sides finished {closest[0]:,.1f} points apart"))
        if widest[1] != closest[1]:
            found.append(("lopsided", widest[1], f"the sides finished {widest[0]:,.1f} points apart"))
    if nearest is not None:
        found.append(
            (
                "history",
                nearest[1],
                f"its {nearest[2]} key dates came {nearest[0]:.1f} weeks from history's, on average",
            )
        )
    rare = sorted((c, event) for event, c in count.items() if c <= RARE * n)
    found += [
        ("rare", first[event], f"{event} fired, as it did in only {c} of {n:,} games ({c / n:.1%})")
        for c, event in rare[:MOST_RARE]
    ]
    return [Highlight(kind, game, why, _command(out, game)) for kind, game, why in found]


def _index(row: Mapping[str, Any], position: int) -> int:
    index = row.get("index", position)
    return index if isinstance(index, int) else position


def _command(out: str | Path, index: int) -> str:
    return shlex.join(["anabasis", "play", "--replay", str(out), "--game", str(index)])


def _margin(row: Mapping[str, Any]) -> float | None:
    """How far the leading side finished ahead of the next, in points (None without two sides)."""
    points = sorted((float(v) for key, v in row.items() if key.startswith("side_points.")), reverse=True)
    return points[0] - points[1] if len(points) >= 2 else None


def _off_history(row: Mapping[str, Any], real: Mapping[str, dt.date]) -> tuple[float, int] | None:
    """How far the game's key dates came from history's, in mean weeks (a date that never came counts as
    `NEVER_WEEKS` off), and how many it has; None when it records none of them."""
    keys = [key for key in real if f"date.{key}" in row]
    if not keys:
        return None
    offs = []
    for key in keys:
        when = row[f"date.{key}"]
        offs.append(NEVER_WEEKS if when is None else abs((_day(when) - real[key]).days) / 7)
    return sum(offs) / len(offs), len(keys)


def _day(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def worth_watching(games: Path, key_dates: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The highlights of a finished batch, read back from its games.jsonl a row at a time, as JSON-ready dicts
    without their command: the summary holds no path, so a folder moved or resumed elsewhere stays the same."""
    history = {key: str(date["history"]) for key, date in key_dates.items() if date.get("history")}
    with games.open(encoding="utf-8") as lines:
        found = highlights((json.loads(line) for line in lines if line.strip()), history, games.parent)
    return [{"kind": h.kind, "index": h.index, "why": h.why} for h in found]


def replay_command(out: str | Path, index: int) -> str:
    """The command that opens game `index` of the batch in `out` in the window."""
    return _command(out, index)
