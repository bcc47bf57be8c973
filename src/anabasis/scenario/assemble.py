"""Gather a scenario file and the files it includes into one document that still knows every value's line."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from anabasis.scenario.problems import Path, Problem, ScenarioError
from anabasis.scenario.yamltree import Document, read_yaml

LIST_SECTIONS = (
    "stations",
    "segments",
    "regions",
    "factions",
    "relations",
    "units",
    "stockpiles",
    "traffic",
    "events",
    "doctrines",
    "history",
)
MAP_SECTIONS = ("scenario", "rules", "victory")
YAML_SUFFIXES = (".yaml", ".yml")
SECTIONS = ("$schema", "include", *MAP_SECTIONS, *LIST_SECTIONS, "patch")


@dataclass
class PatchBlock:
    """One file's `patch:` section and the line of each of its values (paths below `patch`)."""

    file: str
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path) -> int:
        """The line of `path` in the patch, or of its nearest ancestor that has one."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


@dataclass
class Assembled:
    """The merged data of a scenario and its includes; `where[path]` is the (file, line) of a value."""

    top: str
    data: dict[str, Any]
    where: dict[Path, tuple[str, int]] = field(default_factory=dict)
    patches: list[PatchBlock] = field(default_factory=list)  # each file's `patch:`, applied by the loader

    def locate(self, path: Path) -> tuple[str, int]:
        """File and line of `path`, or of its nearest ancestor that has one."""
        probe = path
        while probe not in self.where and probe:
            probe = probe[:-1]
        return self.where.get(probe, (self.top, 1))

    def problem(self, path: Path, message: str) -> Problem:
        """A problem at `path`, named the way an author reads it (units[penza_group].men)."""
        file, line = self.locate(path)
        return Problem(file, line, display_path(self.data, path), message)


def record_key(item: Any) -> str | None:
    """The name a list item goes by: its id, `a-b` for a segment or a relation, or what a keyless record is of
    (the key date of a history mark, the decision of an answer, the faction of a doctrine)."""
    if not isinstance(item, dict):
        return None
    if isinstance(item.get("id"), str):
        return str(item["id"])
    if isinstance(item.get("a"), str) and isinstance(item.get("b"), str):
        return f"{item['a']}-{item['b']}"
    if "kind" in item:  # an effect or a condition: named by its place in the list
        return None
    pair = item.get("factions")
    if isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair):
        return f"{pair[0]}-{pair[1]}"
    for field_name in ("milestone", "decision", "faction"):
        if isinstance(item.get(field_name), str):
            return str(item[field_name])
    return None


def display_path(data: Any, path: Path) -> str:
    """`units[penza_group].men` for ('units', 3, 'men'): list items by their `record_key` where they have one."""
    out = ""
    node = data
    for step in path:
        if isinstance(step, int):
            inside = isinstance(node, list) and 0 <= step < len(node)
            key = record_key(node[step]) if inside else None
            out += f"[{step if key is None else key}]"
            node = node[step] if inside else None
        else:
            out += f".{step}" if out else step
            node = node.get(step) if isinstance(node, dict) else None
    return out


def shown_name(path: FsPath) -> str:
    """How a file is named in messages: relative to the working directory when it is below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def value_kind(value: Any) -> str:
    """What a value is, as a message says it: `a mapping`, `a list`, `a text`, `empty`."""
    return {dict: "a mapping", list: "a list", str: "a text", type(None): "empty"}.get(type(value), "a value")


class _Gatherer:
    def __init__(self, own: bool) -> None:
        self.own = own  # whether the top file's own records are merged, or only what it includes
        self.problems: list[Problem] = []
        self.seen: set[FsPath] = set()
        self.merged: dict[str, Any] = {}
        self.where: dict[Path, tuple[str, int]] = {}
        self.patches: list[PatchBlock] = []

    def gather(self, path: FsPath, chain: tuple[FsPath, ...], included_at: tuple[str, int] | None) -> None:
        try:
            real = path.resolve()
        except (OSError, RuntimeError):  # a loop of symbolic links: reading it below says so
            real = path.absolute()
        shown = shown_name(path)
        if real in chain:
            cycle = " -> ".join(shown_name(p) for p in (*chain, real))
            self.problems.append(Problem(*(included_at or (shown, 1)), "include", f"includes itself: {cycle}"))
            return
        if real in self.seen:
            return
        self.seen.add(real)
        if included_at is not None and path.suffix.lower() not in YAML_SUFFIXES and not path.is_dir():
            # Never read it: its values (a `.env`, a key file) must not be echoed in messages.
            self.problems.append(
                Problem(*included_at, "include", f"{shown} is not a YAML file; an include names a .yaml or .yml file")
            )
            return
        try:
            doc = read_yaml(path, shown)
        except ScenarioError as err:
            first = err.problems[0]
            if included_at is not None and first.line == 0:  # the file itself could not be read
                said = f"no such file: {shown}" if first.message == "no such file" else f"{shown} {first.message}"
                self.problems.append(Problem(*included_at, "include", said))
            else:
                self.problems.extend(err.problems)
            return
        if not isinstance(doc.data, dict):
            self.problems.append(
                Problem(
                    shown,
                    1,
                    "",
                    f"is {value_kind(doc.data)}; a scenario file is a mapping of sections ({', '.join(SECTIONS[2:])})",
                )
            )
            return
        includes = doc.data.get("include")
        for i, name in enumerate(includes if isinstance(includes, list) else []):
            at = (shown, doc.line_of(("include", i)))
            if not isinstance(name, str) or not name.strip():
                self.problems.append(Problem(*at, "include", f"{name!r} is not a file name"))
                continue
            self.gather(path.parent / name, (*chain, real), at)
        if chain or self.own:
            self._merge(doc, top=not chain)

    def _merge(self, doc: Document, top: bool) -> None:
        offsets: dict[str, int] = {}
        for key, value in doc.data.items():
            here = (doc.file, doc.line_of((key,)))
            if key == "patch":
                lines = {sub[1:]: line for sub, line in doc.lines.items() if sub[:1] == ("patch",)}
                self.patches.append(PatchBlock(doc.file, value, lines))
            elif key in LIST_SECTIONS and isinstance(value, list) and isinstance(self.merged.get(key, []), list):
                base = self.merged.setdefault(key, [])
                offsets[key] = len(base)
                base.extend(value)
                self.where.setdefault((key,), here)
            elif key in MAP_SECTIONS and isinstance(value, dict) and isinstance(self.merged.get(key, {}), dict):
                self.merged.setdefault(key, {}).update(value)
                self.where.setdefault((key,), here)
                offsets[key] = -1
            elif key != "include" or top:
                self.merged[key] = value
                offsets[key] = -1
        for sub, line in doc.lines.items():
            if not sub or sub[0] not in offsets:
                continue
            offset = offsets[sub[0]]
            if offset > 0 and len(sub) > 1 and isinstance(sub[1], int):
                self.where[(sub[0], sub[1] + offset, *sub[2:])] = (doc.file, line)
            elif len(sub) > 1 or sub not in self.where:
                self.where[sub] = (doc.file, line)


def assemble(path: FsPath, *, own: bool = True) -> Assembled:
    """Read `path` and everything it includes (with `own=False`, only what it includes: what a variant changes);
    raise ScenarioError if any file cannot be read."""
    gatherer = _Gatherer(own)
    gatherer.gather(path, (), None)
    if gatherer.problems:
        raise ScenarioError(gatherer.problems)
    return Assembled(shown_name(path), gatherer.merged, gatherer.where, gatherer.patches)
