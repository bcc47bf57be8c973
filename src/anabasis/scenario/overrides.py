"""`--set PATH=VALUE`: change one value of a scenario for a run, checked like the file itself."""

from __future__ import annotations

import difflib
import re
from typing import Any

from anabasis.scenario.assemble import Assembled, record_key
from anabasis.scenario.problems import Path, Problem, ScenarioError
from anabasis.scenario.yamltree import parse_yaml

SET_FILE = "--set"
_STEP = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")
_WHOLE = re.compile(r"^[^.\[\]]+(\.[^.\[\]]+|\[[^\]]+\])*$")


def parse_path(text: str) -> list[str]:
    """`units[penza_group].men` or `units.penza_group.men` -> ['units', 'penza_group', 'men']."""
    if not _WHOLE.match(text):
        raise ValueError(f"{text!r} is not a path like rules.winter_need or units[penza_group].men")
    return [(m.group(1) or m.group(2)).strip() for m in _STEP.finditer(text)]


def _item_index(items: list[Any], key: str) -> int | None:
    if key.isdigit():
        return int(key) if int(key) < len(items) else None
    for i, item in enumerate(items):
        if record_key(item) == key:
            return i
    return None


def _ids(items: list[Any]) -> list[str]:
    return [key for key in map(record_key, items) if key is not None]


def apply_override(doc: Assembled, assignment: str, number: int) -> None:
    """Apply one `PATH=VALUE` to the assembled data, or raise ScenarioError saying why not."""

    def fail(message: str, field: str = "") -> ScenarioError:
        return ScenarioError([Problem(SET_FILE, number, field, message)])

    if "=" not in assignment:
        raise fail(f"{assignment!r} is not PATH=VALUE (e.g. rules.winter_need=2.0)")
    text, raw = (part.strip() for part in assignment.split("=", 1))
    try:
        steps = parse_path(text)
    except ValueError as err:
        raise fail(str(err)) from err
    try:
        value = parse_yaml(raw, SET_FILE).data if raw else ""
    except ScenarioError as err:
        raise fail(f"the value {raw!r} is not valid YAML: {err.problems[0].message}", text) from err
    node: Any = doc.data
    path: Path = ()
    for depth, step in enumerate(steps):
        last = depth == len(steps) - 1
        if isinstance(node, list):
            index = _item_index(node, step)
            if index is None:
                ids = _ids(node)
                close = difflib.get_close_matches(step, ids, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f" (items: {', '.join(ids[:12])}"
                hint += ", ...)" if not close and len(ids) > 12 else (")" if not close else "")
                raise fail(f"no item {step!r} in {'.'.join(steps[:depth])}{hint}", text)
            if last:
                node[index] = value
            path = (*path, index)
            node = node[index]
        elif isinstance(node, dict):
            if last:
                node[step] = value
            elif step not in node:
                node[step] = {} if not steps[depth + 1].isdigit() else []
            path = (*path, step)
            node = node[step]
        else:
            raise fail(f"{'.'.join(steps[:depth])} is a single value; {step!r} cannot be inside it", text)
    doc.where[path] = (SET_FILE, number)
    for key in [k for k in doc.where if k[: len(path)] == path and len(k) > len(path)]:
        del doc.where[key]
