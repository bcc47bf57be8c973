"""What a variant changes against what it includes: records patched, added and removed, and each field's old
and new value, compared after every file's patches (what the game will play) and before `--set`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anabasis.scenario.assemble import LIST_SECTIONS, MAP_SECTIONS, record_key
from anabasis.scenario.loader import patched

PATCHED, ADDED, REMOVED = "patched", "added", "removed"


@dataclass(frozen=True)
class Change:
    """One difference: `units[penza_group].men` patched from 2500 to 3000, or a record added or removed."""

    section: str
    record: str
    path: str
    kind: str
    old: Any = None
    new: Any = None


def _named(items: list[Any]) -> dict[str, Any] | None:
    """A list of records by name, or None if some item has no name (or two share one)."""
    keys = [record_key(item) for item in items]
    if None in keys or len(set(keys)) != len(keys):
        return None
    return dict(zip((str(k) for k in keys), items, strict=True))


def _fields(old: Any, new: Any, path: str, out: list[tuple[str, Any, Any]]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            _fields(old.get(key), new.get(key), f"{path}.{key}", out)
        return
    if isinstance(old, list) and isinstance(new, list):
        before, after = _named(old), _named(new)
        if before is not None and after is not None:
            for key in [*before, *(k for k in after if k not in before)]:
                _fields(before.get(key), after.get(key), f"{path}[{key}]", out)
            return
        if len(old) == len(new) and all(isinstance(x, dict) for x in (*old, *new)):  # effects, conditions
            for k, (a, b) in enumerate(zip(old, new, strict=True)):
                _fields(a, b, f"{path}[{k}]", out)
            return
    out.append((path, old, new))


def _section(section: str, old: Any, new: Any) -> list[Change]:
    if section in MAP_SECTIONS:
        found: list[tuple[str, Any, Any]] = []
        _fields(old or {}, new or {}, section, found)
        return [Change(section, section, path, PATCHED, a, b) for path, a, b in found]
    before = _named(old or []) or {}
    after = _named(new or []) or {}
    out = [Change(section, key, f"{section}[{key}]", REMOVED) for key in before if key not in after]
    for key, record in after.items():
        if key not in before:
            out.append(Change(section, key, f"{section}[{key}]", ADDED))
            continue
        found = []
        _fields(before[key], record, f"{section}[{key}]", found)
        out += [Change(section, key, path, PATCHED, a, b) for path, a, b in found]
    return out


def changes(path: Path) -> list[Change] | None:
    """Every difference between what `path` includes and the scenario it makes, section by section; None when
    the file is no variant (it neither includes a whole scenario nor patches what it includes)."""
    base, _ = patched(path, own=False)
    full, _ = patched(path)
    if "scenario" not in base.data and not full.patches:
        return None
    out: list[Change] = []
    for section in (*MAP_SECTIONS, *LIST_SECTIONS):
        out += _section(section, base.data.get(section), full.data.get(section))
    return out


def counts(found: list[Change]) -> dict[str, Counter[str]]:
    """By section: how many records were patched, added and removed."""
    out: dict[str, Counter[str]] = {}
    seen: set[tuple[str, str, str]] = set()
    for change in found:
        key = (change.section, change.record, change.kind)
        if key not in seen:
            seen.add(key)
            out.setdefault(change.section, Counter())[change.kind] += 1
    return out
