"""Batches side by side (`anabasis compare`): win rates, points, key dates and event coverage, each as B minus A
with its 95% interval, and which differences are beyond chance.

Everything is counted again from the two `games.jsonl`, streamed a row at a time. Game i of a batch has a seed
spawned from the batch seed and i alone, so two batches run with the same seed and number of games play game i
from the same seed (common random numbers): as far as the variant leaves the games alike, they stay alike, and
comparing game i with game i (paired) gives much narrower intervals than comparing the batches as two samples.

With many comparisons some 95% intervals miss 0 by chance alone (about one in twenty): the comparison counts
them, says how many chance would give, and marks which differences stay beyond chance under Holm's correction
for all of them. Quantities that are the same in every game of both batches (an event that always fires) are
left out of that count.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anabasis.sim.stats import ALPHA, Difference, Mean, holm, mean_difference, share_difference
from anabasis.sim.summary import FORMAT, SWEEP_FORMAT, VERSION
from anabasis.userfiles import UnreadableFile, read_bounded

COMPARISON_FORMAT = "anabasis-comparison"
SUMMARY, GAMES = "summary.json", "games.jsonl"
MOST_SUMMARY_BYTES = 64 * 2**20
# What compare reads of a summary, by its format.
NEEDED = {
    FORMAT: ("scenario", "seed", "games", "overrides", "wins", "points", "key_dates", "events"),
    SWEEP_FORMAT: ("scenario", "sweep", "table"),
}
Row = dict[str, Any]
Value = bool | float | None


class NotComparable(ValueError):
    """Folders that cannot be compared: not finished batches, or batches whose games different sides win; says which."""


@dataclass(frozen=True)
class Batch:
    """A finished batch's folder, its label in the output, and its summary."""

    folder: Path
    label: str
    summary: dict[str, Any]

    @property
    def games(self) -> int:
        return int(self.summary["games"])


def read_summary(folder: Path) -> dict[str, Any]:
    """The folder's summary.json, of a batch or a sweep of this version; NotComparable says what is wrong."""
    if not folder.exists():
        raise NotComparable(f"{folder}: no such folder")
    if not folder.is_dir():
        raise NotComparable(f"{folder} is not a folder: give the --out folder of an `anabasis sim` batch")
    try:
        data = json.loads(read_bounded(folder / SUMMARY, MOST_SUMMARY_BYTES, "batch summary").decode("utf-8"))
    except UnreadableFile as error:
        if error.reason == "no such file":
            raise NotComparable(
                f"{folder} holds no {SUMMARY}: it is not a finished batch (a batch writes it last; "
                "`anabasis sim ... --resume` finishes one that was stopped)"
            ) from None
        raise NotComparable(f"{folder / SUMMARY} {error.reason}") from None
    except (ValueError, RecursionError):
        raise NotComparable(f"{folder / SUMMARY} is not JSON: it is not a batch summary") from None
    if isinstance(data, dict) and "format" not in data and {"scenario", "seed", "games"} <= set(data):
        raise NotComparable(
            f"{folder / SUMMARY} was written by an earlier anabasis, before summaries had a version: "
            "play the batch again with this one"
        )
    if not isinstance(data, dict) or data.get("format") not in (FORMAT, SWEEP_FORMAT):
        raise NotComparable(f"{folder / SUMMARY} is not the summary of an `anabasis sim` batch")
    if data.get("version") != VERSION:
        raise NotComparable(
            f"{folder / SUMMARY} is of version {data.get('version')}, and compare reads version {VERSION}: "
            "play the batch again with this version of anabasis"
        )
    missing = [key for key in NEEDED[data["format"]] if key not in data]
    if missing or not isinstance(data["scenario"], dict) or "id" not in data["scenario"]:
        raise NotComparable(f"{folder / SUMMARY} is damaged: it has no {', '.join(missing) or 'scenario id'}")
    return data


def open_batches(folders: list[Path]) -> list[Batch]:
    """The batches to compare: two batch folders, or the values of one sweep's folder, in order.

    NotComparable when a folder is not a finished batch, a sweep comes with another folder, or the batches' games
    are won by different sides. A variant (its own file and id, or `--set`) against its scenario is what a
    comparison is for."""
    summaries = [read_summary(folder) for folder in folders]
    sweeps = [folder for folder, s in zip(folders, summaries, strict=True) if s["format"] == SWEEP_FORMAT]
    if len(folders) == 1:
        if not sweeps:
            raise NotComparable(f"{folders[0]} is a single batch: give a second batch folder to compare it with")
        return _sweep_values(folders[0], summaries[0])
    if sweeps:
        raise NotComparable(
            f"{sweeps[0]} is a sweep's folder: give it alone to compare its values, or give two of its sub-folders"
        )
    batches = [Batch(folder, str(folder), s) for folder, s in zip(folders, summaries, strict=True)]
    sides = [sorted(side for side in b.summary["wins"] if side != "draw") for b in batches]
    if sides[0] != sides[1]:
        raise NotComparable(
            f"{folders[0]} is a batch of sides {', '.join(sides[0])} and {folders[1]} of {', '.join(sides[1])}: "
            "compare batches whose games the same sides win (a scenario and its variants)"
        )
    return batches


def _sweep_values(folder: Path, summary: dict[str, Any]) -> list[Batch]:
    """Each value's batch, labelled `PATH=VALUE`, from the sub-folders the sweep's table names."""
    try:
        values = [(str(row["value"]), folder / str(row["folder"])) for row in summary["table"]]
        path = summary["sweep"]["path"]
    except (KeyError, TypeError):
        raise NotComparable(f"{folder / SUMMARY} is damaged: its table does not name its values' folders") from None
    out = []
    for value, part in values:
        inner = read_summary(part)
        if inner["format"] != FORMAT:
            raise NotComparable(f"{part / SUMMARY} is not the summary of one batch")
        out.append(Batch(part, f"{path}={value}", inner))
    return out


def _week(day: str | None) -> float | None:
    """A date as a number of weeks (since the year 1): the difference of two is in weeks."""
    return None if day is None else dt.date.fromisoformat(day).toordinal() / 7


# How each kind of measure reads a game's row (`key` names the row's field, or the side for a win).
READERS: dict[str, Callable[[Row, str], Value]] = {
    "won": lambda row, side: row["winner"] == side,
    "amount": lambda row, key: float(row[key]),
    "happened": lambda row, key: row[key] is not None,
    "date": lambda row, key: _week(row[key]),
}
UNITS = {"won": "share", "amount": "points", "happened": "share", "date": "weeks"}


@dataclass(frozen=True)
class Measure:
    """One quantity compared: what it is, and where a game's row holds it (None read: the game does not count)."""

    group: str  # outcome, key dates, events
    key: str
    name: str
    kind: str  # a key of READERS
    field: str

    @property
    def unit(self) -> str:
        return UNITS[self.kind]

    def read(self, row: Row) -> Value:
        return READERS[self.kind](row, self.field)


def measures(a: dict[str, Any], b: dict[str, Any]) -> list[Measure]:
    """What two batches' summaries have in common to compare, in the order the output shows it."""
    out = [
        Measure("outcome", f"wins.{side}", f"{side} win rate", "won", side) for side in _common(a["wins"], b["wins"])
    ]
    for side in _common(a["points"], b["points"]):
        out.append(Measure("outcome", f"points.{side}", f"{side} points", "amount", f"side_points.{side}"))
    for key in _common(a["key_dates"], b["key_dates"]):
        name = a["key_dates"][key]["name"]
        out.append(Measure("key dates", f"happened.{key}", f"{name} (share of games)", "happened", f"date.{key}"))
        out.append(Measure("key dates", f"date.{key}", name, "date", f"date.{key}"))
    for event in _common(a["events"], b["events"]):
        out.append(Measure("events", f"fired.{event}", a["events"][event]["name"], "happened", f"fired.{event}"))
    return out


def _common(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    return [key for key in a if key in b]


@dataclass
class Tally:
    """One measure's values in the two batches (and, paired, their game-by-game differences)."""

    measure: Measure
    paired: bool
    a: Mean = field(default_factory=Mean)
    b: Mean = field(default_factory=Mean)
    pairs: Mean = field(default_factory=Mean)  # B - A, game by game
    table: list[int] = field(default_factory=lambda: [0, 0, 0, 0])  # yes in both, in A only, in B only, in neither

    def add(self, a: Value, b: Value) -> None:
        """Take game i's values in A and B (None: that game does not count; paired, neither does its pair)."""
        if self.paired:
            if a is None or b is None:
                return
            self.pairs.add(float(b) - float(a))
            self.table[(0 if a else 2) + (0 if b else 1)] += 1
        if a is not None:
            self.a.add(float(a))
        if b is not None:
            self.b.add(float(b))

    def difference(self) -> Difference | None:
        """B minus A with its interval; None when a batch has no game to count (or, for an amount, just one)."""
        if self.measure.unit == "share":
            if self.a.n == 0 or self.b.n == 0:
                return None
            yes_a, yes_b = round(self.a.mean * self.a.n), round(self.b.mean * self.b.n)
            counts = (self.table[0], self.table[1], self.table[2], self.table[3]) if self.paired else None
            return share_difference(yes_a, yes_b, self.a.n, self.b.n, counts)
        if min(self.a.n, self.b.n) < 2:  # no spread to judge chance by
            return None
        return mean_difference(self.a, self.b, self.pairs if self.paired else None)

    @property
    def alike(self) -> bool:
        """Whether every game gave the same value in A as in B (unpaired: one value in every game of both).

        Such a quantity cannot differ beyond chance whatever happens, so it is left out of the count of
        comparisons, as Tarone (1990) leaves out tests that cannot reach significance."""
        if self.paired:
            return self.pairs.low == self.pairs.high == 0
        return self.a.low == self.a.high == self.b.low == self.b.high


def _rows(batch: Batch) -> Iterator[Row]:
    """The batch's rows, one at a time; NotComparable when the file is not its whole games.jsonl."""
    path = batch.folder / GAMES
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise NotComparable(f"{path} is not a regular file: it is not a batch's games")
        rows = path.open(encoding="utf-8")
    except OSError as error:
        raise NotComparable(f"{path} cannot be read: {error.strerror or error}") from None
    count = 0
    with rows:
        for n, line in enumerate(rows, 1):
            try:
                row = json.loads(line)
            except (ValueError, RecursionError):
                raise NotComparable(f"{path}:{n}: not a row of a batch: the file is damaged") from None
            if not isinstance(row, dict):
                raise NotComparable(f"{path}:{n}: not a row of a batch: the file is damaged")
            count += 1
            if count > batch.games:
                break
            yield row
    if count != batch.games:
        raise NotComparable(f"{path} holds {count:,} games and {batch.folder / SUMMARY} counts {batch.games:,}")


def pairing(a: Batch, b: Batch) -> tuple[bool, str]:
    """Whether game i of A and game i of B were played from the same seed, and why (not), in words."""
    if a.summary["seed"] != b.summary["seed"]:
        return False, f"unpaired: seeds {a.summary['seed']} and {b.summary['seed']}"
    if a.games != b.games:
        return False, f"unpaired: {a.games:,} and {b.games:,} games"
    return True, f"paired: game i against game i, both from seed {a.summary['seed']} ({a.games:,} pairs)"


def compare_two(a: Batch, b: Batch) -> tuple[bool, str, list[Tally]]:
    """Whether two batches are paired (and why, in words), and every measure they share tallied from their rows."""
    paired, why = pairing(a, b)
    tallies = [Tally(m, paired) for m in measures(a.summary, b.summary)]
    try:
        if paired:
            for n, (row_a, row_b) in enumerate(zip(_rows(a), _rows(b), strict=True)):
                if row_a["seed"] != row_b["seed"]:
                    seeds = f"seed {row_a['seed']} in {a.label} and {row_b['seed']} in {b.label}"
                    raise NotComparable(f"game {n} has {seeds}: a folder changed after its batch was played")
                for t in tallies:
                    t.add(t.measure.read(row_a), t.measure.read(row_b))
        else:
            for row in _rows(a):
                for t in tallies:
                    t.add(t.measure.read(row), None)
            for row in _rows(b):
                for t in tallies:
                    t.add(None, t.measure.read(row))
    except NotComparable:
        raise
    except (KeyError, TypeError, ValueError) as error:
        raise NotComparable(f"a row of {a.label} or {b.label} lacks what its summary names ({error})") from None
    return paired, why, tallies


def comparison(batches: list[Batch]) -> dict[str, Any]:
    """Each batch after the first against the first, as JSON-ready data (see docs/batch-outputs.md)."""
    base = batches[0]
    compared = [(other, *compare_two(base, other)) for other in batches[1:]]
    found = [(t, t.difference()) for *_, tallies in compared for t in tallies]
    counted = [(k, d) for k, (t, d) in enumerate(found) if d is not None and not t.alike]
    adjusted = dict(zip((k for k, _ in counted), holm([d.p for _, d in counted]), strict=True))
    entries = iter(_entry(t, d, adjusted.get(k)) for k, (t, d) in enumerate(found))
    return {
        "format": COMPARISON_FORMAT,
        "version": VERSION,
        "batches": [
            {
                "label": b.label,
                "folder": str(b.folder),
                "scenario": b.summary["scenario"]["id"],
                "seed": b.summary["seed"],
                "games": b.games,
                "overrides": b.summary["overrides"],
            }
            for b in batches
        ],
        "comparisons": [
            {
                "a": base.label,
                "b": other.label,
                "paired": paired,
                "pairing": why,
                "differences": [next(entries) for _ in tallies],
            }
            for other, paired, why, tallies in compared
        ],
        "family": {
            "compared": len(counted),
            "beyond_chance": sum(_beyond(d) for _, d in counted),
            "expected_by_chance": round(ALPHA * len(counted), 1),
            "beyond_chance_holm": sum(p < ALPHA for p in adjusted.values()),
        },
    }


def _beyond(d: Difference | None) -> bool:
    """Whether the 95% interval leaves 0 out."""
    return d is not None and (d.low > 0 or d.high < 0)


def _entry(t: Tally, d: Difference | None, holm_p: float | None) -> dict[str, Any]:
    m = t.measure
    digits = 4 if m.unit == "share" else 2
    entry: dict[str, Any] = {
        "group": m.group,
        "key": m.key,
        "name": m.name,
        "unit": m.unit,
        "a": _shown(t.a, m.unit),
        "b": _shown(t.b, m.unit),
        "difference": None if d is None else round(d.value, digits),
        "low": None if d is None else round(d.low, digits),
        "high": None if d is None else round(d.high, digits),
        "p": None if d is None else round(d.p, 6),
        "alike": t.alike,
        "beyond_chance": holm_p is not None and _beyond(d),
        "beyond_chance_holm": holm_p is not None and holm_p < ALPHA,
    }
    return entry


def _shown(m: Mean, unit: str) -> float | str | None:
    """A batch's value: a share or mean points, or the mean of dates kept as weeks as a date; None for no games."""
    if m.n == 0:
        return None
    if unit == "weeks":
        return dt.date.fromordinal(round(m.mean * 7)).isoformat()
    return round(m.mean, 4 if unit == "share" else 2)
