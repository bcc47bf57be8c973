"""`patch:`: a file that includes others changes, extends or removes their records by name.

    patch:
      units:
        legion_penza_1st_regiment: {men: 3000}
        japan_3rd_division: remove
      regions:
        east_of_baikal: {stations+: [irkutsk], stations-: [chita]}
      doctrines:
        legion: {answers: {disarm_demand: {choose: disarm}}}

Records are named as messages name them (`record_key`: an id, `a-b`, a faction, a decision, a key date). Inside
a record, a mapping given for a nested record (limits, port, a decision) changes only the fields it names, and one
given for a list of named records (contingents, options, answers, phases, objectives) patches them by name; any
other value replaces the field, and `null` puts it back to its default. `field+: [...]` adds to a list and
`field-: [...]` takes items out of it (named records by name, plain values by value). Patches apply after all
files are merged, in the order the files are read (includes first), and each value keeps its own FILE:LINE.
"""

from __future__ import annotations

import bisect
import difflib
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from anabasis.scenario.assemble import (
    LIST_SECTIONS,
    MAP_SECTIONS,
    Assembled,
    PatchBlock,
    display_path,
    record_key,
    value_kind,
)
from anabasis.scenario.messages import model_classes
from anabasis.scenario.models import Scenario
from anabasis.scenario.problems import Path, Problem

REMOVE = "remove"
ADD, TAKE = "+", "-"
PATCHABLE = (*LIST_SECTIONS, *MAP_SECTIONS)


def find_item(items: list[Any], name: str) -> int | None:
    """The index of the item named `name` (a segment or relation also by its ends the other way round)."""
    ends = name.split("-")
    swapped = "-".join(reversed(ends)) if len(ends) == 2 else name
    for i, item in enumerate(items):
        if record_key(item) in (name, swapped):
            return i
    return None


def _names(items: list[Any]) -> list[str]:
    return [key for key in map(record_key, items) if key is not None]


def _hint(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
    return f" (there are: {shown})" if known else " (there are none)"


def field_shape(model: type[BaseModel] | None, name: str) -> tuple[str, type[BaseModel] | None]:
    """How a patch treats field `name` of `model`: `records` (a list of named records, patched by name), `record`
    (a nested record, merged) or `value` (replaced); and the record's model."""
    info = model.model_fields.get(name) if model is not None else None
    if info is None:
        return "value", None
    models = model_classes(info.annotation)
    origin = typing.get_origin(info.annotation)
    if origin is list and len(models) == 1 and is_named(models[0]):
        return "records", models[0]
    if origin is not list and len(models) == 1:
        return "record", models[0]
    return "value", None


def is_named(model: type[BaseModel]) -> bool:
    """Whether records of `model` go by a name a patch can use (see `record_key`)."""
    return any(name in model.model_fields for name in ("id", "a", "milestone", "decision", "faction", "factions"))


@dataclass(frozen=True)
class _Spot:
    """A mapping being patched: where its changes stand in the patch (`at`) and it in the data (`path`), the
    model that validates it, and the mapping itself."""

    at: Path
    path: Path
    model: type[BaseModel] | None
    mapping: dict[str, Any]


class _Patcher:
    def __init__(self, doc: Assembled, block: PatchBlock) -> None:
        self.doc = doc
        self.block = block
        self.problems: list[Problem] = []

    def fail(self, at: Path, field_path: str, message: str) -> None:
        shown = f"patch.{field_path}" if field_path else "patch"
        self.problems.append(Problem(self.block.file, self.block.line(at), shown, message))

    # --- locations --------------------------------------------------------------------------------------

    def forget(self, path: Path, old: Any) -> None:
        """Drop the locations of everything below `path`, whose value `old` is being replaced."""
        if isinstance(old, dict | list):  # a plain value has nothing below it: spare the search
            for key in [k for k in self.doc.where if k[: len(path)] == path and len(k) > len(path)]:
                del self.doc.where[key]

    def locate(self, target: Path, source: Path, value: Any) -> None:
        """Give `target` the line of `source` in the patch, and everything below it (`value`) the lines below."""
        self.doc.where[target] = (self.block.file, self.block.line(source))
        if isinstance(value, dict | list):
            for sub, line in self.block.lines.items():
                if sub[: len(source)] == source:
                    self.doc.where[(*target, *sub[len(source) :])] = (self.block.file, line)

    def take_out(self, items: list[Any], path: Path, gone: set[int]) -> None:
        """Take the items `gone` out of the list `items` at `path`, and move the locations of those after them up."""
        for k in sorted(gone, reverse=True):
            del items[k]
        depth = len(path)
        below = sorted(gone)
        moved: dict[Path, tuple[str, int]] = {}
        for key in [k for k in self.doc.where if k[:depth] == path and len(k) > depth]:
            step = key[depth]
            if not isinstance(step, int) or step < below[0]:
                continue
            where = self.doc.where.pop(key)
            if step not in gone:
                moved[(*path, step - bisect.bisect_left(below, step), *key[depth + 1 :])] = where
        self.doc.where.update(moved)

    # --- the patch --------------------------------------------------------------------------------------

    def apply(self) -> None:
        patch = self.block.data
        if not isinstance(patch, dict):
            self.fail((), "", f"is {value_kind(patch)}; a patch is a mapping of sections ({', '.join(PATCHABLE)})")
            return
        top = _Spot((), (), Scenario, self.doc.data)
        for section, changes in patch.items():
            if section in PATCHABLE and not isinstance(changes, dict):
                example = "{ID: {FIELD: VALUE}}" if section in LIST_SECTIONS else "{FIELD: VALUE}"
                said = f"is {value_kind(changes)}; patch a section with a mapping: {example}"
                self.fail((section,), str(section), said)
            elif section in PATCHABLE:
                self.fields(top, {section: changes})
            else:
                self.fail((section,), str(section), f"no section {section!r} to patch{_hint(str(section), PATCHABLE)}")

    def fields(self, spot: _Spot, changes: Any) -> None:
        """Change the fields of the mapping at `spot` as `changes` say."""
        shown = display_path(self.doc.data, spot.path)
        if not isinstance(changes, dict):
            self.fail(spot.at, shown, f"is {value_kind(changes)}; a patch of {shown} is a mapping of fields")
            return
        for key, value in changes.items():
            name = str(key)
            if name.endswith((ADD, TAKE)) and len(name) > 1:
                self.extend(spot, name, value)
                continue
            shape, inner = field_shape(spot.model, name)
            here: Path = (*spot.at, key)
            path: Path = (*spot.path, name)
            if value is None:
                self.forget(path, spot.mapping.pop(name, None))
                self.doc.where[path] = (self.block.file, self.block.line(here))
            elif shape == "records" and isinstance(value, dict):
                self.records(spot, name, value)
            elif shape == "record" and isinstance(value, dict):
                current = spot.mapping.get(name)
                if not isinstance(current, dict):
                    current = spot.mapping[name] = {}
                self.fields(_Spot(here, path, inner, current), value)
            else:
                self.forget(path, spot.mapping.get(name))
                spot.mapping[name] = value
                self.locate(path, here, value)

    def records(self, spot: _Spot, name: str, changes: dict[Any, Any]) -> None:
        """Patch the named records of the list `name` of the mapping at `spot`, by name."""
        path: Path = (*spot.path, name)
        shown = display_path(self.doc.data, path)
        items = spot.mapping.setdefault(name, [])
        if not isinstance(items, list):
            self.fail((*spot.at, name), shown, f"{shown} is {value_kind(items)}, not a list of records")
            return
        model = field_shape(spot.model, name)[1]
        gone: set[int] = set()
        for key, change in changes.items():
            here: Path = (*spot.at, name, key)
            index = find_item(items, str(key))
            if index is None:
                what = model.__name__.lower() if model is not None else "record"
                hint = _hint(str(key), _names(items))
                self.fail(here, f"{shown}[{key}]", f"no {what} {key!r} to patch in {shown}{hint}")
            elif change == REMOVE:
                gone.add(index)
            elif isinstance(change, dict) and isinstance(items[index], dict):
                self.fields(_Spot(here, (*path, index), model, items[index]), change)
            else:
                self.fail(
                    here,
                    f"{shown}[{key}]",
                    f"is {value_kind(change)}; patch a record with a mapping of the fields to change, or `{REMOVE}`",
                )
        if gone:
            self.take_out(items, path, gone)

    def extend(self, spot: _Spot, key: str, value: Any) -> None:
        """`name+: [...]` adds to the list; `name-: [...]` takes the named items (or values) out of it."""
        name, how = key[:-1], key[-1]
        at: Path = (*spot.at, key)
        path: Path = (*spot.path, name)
        shown = display_path(self.doc.data, path)
        if not isinstance(value, list):
            self.fail(at, f"{shown}{how}", f"is {value_kind(value)}; `{key}` takes a list")
            return
        current = spot.mapping.setdefault(name, [])
        if not isinstance(current, list):
            self.fail(at, f"{shown}{how}", f"{shown} is {value_kind(current)}, not a list")
            return
        if how == ADD:
            start = len(current)
            current.extend(value)
            for j, item in enumerate(value):
                self.locate((*path, start + j), (*at, j), item)
            return
        named = field_shape(spot.model, name)[0] == "records"
        gone: set[int] = set()
        for j, item in enumerate(value):
            if named:
                index = find_item(current, str(item))
            else:
                index = next((i for i, x in enumerate(current) if x == item and i not in gone), None)
            if index is None:
                known = _names(current) if named else [str(x) for x in current]
                self.fail((*at, j), f"{shown}{how}", f"{item!r} is not in {shown}{_hint(str(item), known)}")
                continue
            gone.add(index)
        if gone:
            self.take_out(current, path, gone)


def apply_patches(doc: Assembled, blocks: list[PatchBlock]) -> list[Problem]:
    """Apply each file's patch to the merged data, in order; the problems found (the rest still apply)."""
    problems: list[Problem] = []
    for block in blocks:
        patcher = _Patcher(doc, block)
        patcher.apply()
        problems.extend(patcher.problems)
    return problems
