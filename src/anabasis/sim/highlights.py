"""Games of a batch worth watching: the closest, the most lopsided, the one nearest history, and those where a
rare event fired, each with the command that opens it in the window (`anabasis play --replay OUT --game N`).

It reads only the batch's rows (the dicts of `games.jsonl`): `side_points.SIDE`, `date.KEY` (ISO dates, None
for never) and, where the rows record events, `fired.EVENT` (the turn it fired, None for never).
"""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Mapping, Sequence
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
    rows: Sequence[Mapping[str, Any]], history: Mapping[str, dt.date | str], out: str | Path
) -> list[Highlight]:
    """A few games of the batch in `out` worth watching, from its rows and the real dates of its key dates."""
    found: list[tuple[str, int, str]] = []
    margins = [(_margin(row), k) for k, row in enumerate(rows)]
    scored = [(m, k) for m, k in margins if m is not None]
    if scored:
        (close, a), (wide, b) = min(scored), max(scored, key=lambda pair: (pair[0], -pair[1]))
        found.append(("closest", a, f"the sides finished {close:,.1f} points apart"))
        if b != a:
            found.append(("lopsided", b, f"the sides finished {wide:,.1f} points apart"))
    nearest = _nearest_history(rows, history)
    if nearest is not None:
        off, k, dates = nearest
        found.append(("history", k, f"its {dates} key dates came {off:.1f} weeks from history's, on average"))
    found += _rare_events(rows)
    return [Highlight(kind, _index(rows[k], k), why, _command(out, _index(rows[k], k))) for kind, k, why in found]


def _index(row: Mapping[str, Any], position: int) -> int:
    index = row.get("index", position)
    return index if isinstance(index, int) else position


def _command(out: str | Path, index: int) -> str:
    return shlex.join(["anabasis", "play", "--replay", str(out), "--game", str(index)])


def _margin(row: Mapping[str, Any]) -> float | None:
    """How far the leading side finished ahead of the next, in points (None without two sides)."""
    points = sorted((float(v) for key, v in row.items() if key.startswith("side_points.")), reverse=True)
    return points[0] - points[1] if len(points) >= 2 else None


def _nearest_history(
    rows: Sequence[Mapping[str, Any]], history: Mapping[str, dt.date | str]
) -> tuple[float, int, int] | None:
    """The game whose key dates came nearest history's (mean weeks off), its position, and how many dates."""
    real = {key: _day(day) for key, day in history.items()}
    keys = [key for key in real if rows and any(f"date.{key}" in row for row in rows)]
    if not keys:
        return None
    best: tuple[float, int] | None = None
    for k, row in enumerate(rows):
        offs = []
        for key in keys:
            when = row.get(f"date.{key}")
            offs.append(NEVER_WEEKS if when is None else abs((_day(when) - real[key]).days) / 7)
        off = sum(offs) / len(offs)
        if best is None or off < best[0]:
            best = (off, k)
    assert best is not None
    return best[0], best[1], len(keys)


def _rare_events(rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, int, str]]:
    """The rarest events that fired in a few games: (kind, the first game it fired in, why)."""
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    for k, row in enumerate(rows):
        for key, turn in row.items():
            if key.startswith("fired.") and turn is not None:
                event = key.removeprefix("fired.")
                first.setdefault(event, k)
                count[event] = count.get(event, 0) + 1
    n = len(rows)
    rare = sorted((c, event) for event, c in count.items() if c <= RARE * n)
    return [
        ("rare", first[event], f"{event} fired, as it did in only {c} of {n:,} games ({c / n:.1%})")
        for c, event in rare[:MOST_RARE]
    ]


def _day(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
