"""The text of a snapshot scenario: a short file that includes the scenario a game was played on and patches
it to one week of that game, laid out for a designer to read and edit (a record a line, grouped by faction)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from anabasis.scenario.models import Scenario
from anabasis.scenario.situation import Situation, new_relations, situation_patch

WIDTH = 116  # the files' own line length
_SCHEMA_LINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)")
_SECTIONS = ("stations", "segments", "stockpiles", "factions", "relations", "units", "events", "history")


@dataclass(frozen=True)
class Origin:
    """Where a snapshot comes from: the scenario file, the game and its week, the command that made it, and the
    `--set` changes the game was played with (the rules among them, which the snapshot writes out)."""

    source: Path
    seed: int
    turn: int
    command: str
    overrides: tuple[str, ...] = ()
    rules: dict[str, Any] = field(default_factory=dict)


def _flow(value: Any) -> str:
    """A value as YAML on one line: `{men: 2100, station: ufa}`, `[a, b]`, `1919-03-03`, `null`."""
    text = yaml.safe_dump(value, default_flow_style=True, width=2**31, allow_unicode=True, sort_keys=False)
    return text.removesuffix("\n...\n").strip()


def _wrapped(head: str, opening: str, parts: list[str], closing: str, indent: int) -> Iterator[str]:
    """`head{opening}a, b, c{closing}`, broken between parts into lines of at most WIDTH characters."""
    line, fresh = head + opening, True
    for k, part in enumerate(parts):
        piece = part + (", " if k < len(parts) - 1 else closing)
        if not fresh and len(line) + len(piece.rstrip()) > WIDTH:
            yield line.rstrip()
            line = " " * indent
        line, fresh = line + piece, False
    yield line if parts else line + closing


def _record(head: str, value: Any, indent: int) -> Iterator[str]:
    if isinstance(value, dict):
        yield from _wrapped(head, "{", [f"{k}: {_flow(v)}" for k, v in value.items()], "}", indent)
    elif isinstance(value, list):
        yield from _wrapped(head, "[", [_flow(v) for v in value], "]", indent)
    else:
        yield head + _flow(value)


def _relative(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target.resolve(), start.resolve())).as_posix()


def _schema_line(origin: Origin, out: Path) -> list[str]:
    """The editor's schema line, pointing where the source's points, from the snapshot's folder."""
    try:
        first = origin.source.read_text(encoding="utf-8").splitlines()[:1]
    except OSError:
        return []
    found = _SCHEMA_LINE.match(first[0]) if first else None
    if found is None:
        return []
    schema = origin.source.parent / found.group(1)
    return [f"# yaml-language-server: $schema={_relative(schema, out.parent)}", "#"]


def _folded(text: str, prefix: str) -> list[str]:
    """`text` in lines of at most WIDTH characters, each starting with `prefix`."""
    lines, line = [], prefix
    for word in text.split():
        if len(line) + 1 + len(word) > WIDTH and line.strip():
            lines.append(line)
            line = prefix
        line += word if line == prefix else " " + word
    return [*lines, line]


def _header(scenario: Scenario, now: Situation, origin: Origin, out: Path) -> list[str]:
    meta = scenario.meta
    day = f"{now.start.day} {now.start:%B %Y}"
    text = (
        f"{meta.title}, as it stood in the week of {day} (week {origin.turn}) of the game with seed {origin.seed}, "
        f"made by `{origin.command}`. It includes that scenario and patches it to that week: where each unit "
        "stands, its men, arms, cohesion and stores; who holds each station; the stores left in the stockpiles; "
        "the damage to the line; the stances between factions and the contingents' limits; the ships at the "
        "ports; and, in `scenario.fired` and `scenario.chosen`, the events already past and the decisions taken "
        "(a decision fired but not answered waits for its answer again from the first week). A unit on its way "
        "between two stations stands at the nearer one; standing orders, men dug in or embarking, points, "
        "casualties and men shipped out are not carried over: the new game counts from its first week. The "
        "victory is the included scenario's, and the real dates of key cities changing hands, reckoned from who "
        "held them at the old start, are left out: give this one its own."
    )
    if origin.overrides:
        text += (
            f" The game was played with --set {', '.join(origin.overrides)}: the rules it changed are written below; "
            "its other changes are carried only as far as they show in the state of the week."
        )
    return _schema_line(origin, out) + _folded(text, "# ")


def snapshot_text(scenario: Scenario, now: Situation, origin: Origin, out: Path) -> str:
    """The scenario file, to be written at `out`, that starts `scenario` in the week of `now`."""
    meta = scenario.meta
    day = f"{now.start.day} {now.start:%B %Y}"
    lines = _header(scenario, now, origin, out)
    lines += [
        "",
        "scenario:",
        f"  id: {meta.id[:53]}_{now.start:%Y_%m_%d}",  # ids are at most 64 characters
        f"  title: {_flow(f'{meta.title}: from {day}')}",
        "  description: >-",
        *_folded(f"The game of {meta.title} as it stood in the week of {day}.", "    "),
        f"  start: {now.start.isoformat()}",
    ]
    lines += _record("  fired: ", now.fired, 4)
    lines += _record("  chosen: ", now.chosen, 4)
    lines += ["", "include:", f"  - {_relative(origin.source, out.parent)}"]
    if origin.rules:
        lines += ["", "rules:", *(f"  {name}: {_flow(value)}" for name, value in origin.rules.items())]
    added = new_relations(scenario, now)
    if added:
        lines += ["", "relations:"]
        note = f"The stance in the week of {day} of the game with seed {origin.seed}."
        for a, b, stance in added:
            source = {"doc": "history", "note": note, "confidence": "assumed"}
            record = {"factions": [a, b], "stance": stance, "source": source}
            lines += _record("  - ", record, 6)
    patch = situation_patch(scenario, now)
    if patch:
        lines += ["", "patch:"]
    factions = {u.id: u.faction for u in scenario.units}
    for section in _SECTIONS:
        if section not in patch:
            continue
        lines.append(f"  {section}:")
        shown = ""
        for name, change in patch[section].items():
            if section == "units" and factions[name] != shown:
                shown = factions[name]
                lines.append(f"    # {shown}")
            lines += _record(f"    {name}: ", change, 6)
    return "\n".join(lines) + "\n"
