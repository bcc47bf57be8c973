"""Turn pydantic's validation errors into messages that say what is wrong and what would be right."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from anabasis.scenario.assemble import Assembled
from anabasis.scenario.problems import Path, Problem

# Fields that hold a union tagged by `kind`: pydantic names the chosen variant in `loc` right after them.
_TAGGED = {"effects", "when", "of", "condition"}


def data_path(data: Any, loc: tuple[int | str, ...]) -> Path:
    """pydantic's `loc` without the union tags it inserts, so it names a place in the data."""
    out: list[str | int] = []
    node = data
    field_name = ""
    for step in loc:
        tagged = field_name in _TAGGED and (not out or out[-1] == field_name or isinstance(out[-1], int))
        if tagged and isinstance(node, dict) and node.get("kind") == step:
            field_name = ""
            continue
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            node = None
        if isinstance(step, str):
            field_name = step
        out.append(step)
    return tuple(out)


def model_classes(annotation: Any) -> list[Any]:
    """The model classes an annotation can hold, through lists, optionals, unions and Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return model_classes(typing.get_args(annotation)[0])
    if origin in (list, tuple, typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in model_classes(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def model_at(root: type[BaseModel], data: Any, path: Path) -> type[BaseModel] | None:
    """The model that validates the mapping at `path`, chosen by `kind` where a union is tagged."""
    model: type[BaseModel] | None = root
    node = data
    for step in path:
        if model is None:
            return None
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and 0 <= step < len(node) else None
            continue
        info = model.model_fields.get(step) or next((f for f in model.model_fields.values() if f.alias == step), None)
        if info is None:
            return None
        node = node.get(step) if isinstance(node, dict) else None
        candidates = model_classes(info.annotation)
        model = _pick(candidates, node)
    return model


def _pick(candidates: list[type[BaseModel]], node: Any) -> type[BaseModel] | None:
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    item = node[0] if isinstance(node, list) and node else node
    kind = item.get("kind") if isinstance(item, dict) else None
    for model in candidates:
        tag = model.model_fields.get("kind")
        if tag is not None and typing.get_args(tag.annotation) == (kind,):
            return model
    return None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(err: ErrorDetails, root: type[BaseModel], data: Any, path: Path) -> str:
    kind = err["type"]
    msg = err["msg"]
    value = err.get("input")
    if kind == "extra_forbidden":
        model = model_at(root, data, path[:-1])
        name = str(path[-1])
        if model is None:
            return f"unknown field {name!r}"
        known = _field_names(model)
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return f"unknown field {name!r}; {hint}fields here: {', '.join(known)}"
    if kind == "missing":
        return "required field is missing"
    if kind == "string_pattern_mismatch" and "a-z" in str(err.get("ctx", {}).get("pattern", "")):
        fixed = re.sub(r"[^a-z0-9_]+", "_", str(value).lower()).strip("_")
        fixed = fixed if fixed[:1].isalpha() else f"x_{fixed}"
        return (
            f"{_shown(value)} is not a valid id: use lowercase letters, digits and underscores, "
            f"starting with a letter (e.g. {fixed!r})"
        )
    if kind in ("value_error", "assertion_error"):
        return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return f"unknown kind {_shown(ctx.get('tag', value))}; use one of {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return f"needs a `kind`: one of {', '.join(_kinds(root, data, path))}"
    if isinstance(value, dict | list):
        return f"{msg} (got {'a mapping' if isinstance(value, dict) else 'a list'})"
    if kind == "string_type":
        read_as = "nothing" if value is None else f"a {type(value).__name__}"
        return f"{msg} (got {_shown(value)}; YAML read it as {read_as}: put the text in quotes)"
    return f"{msg} (got {_shown(value)})"


def _kinds(root: type[BaseModel], data: Any, path: Path) -> list[str]:
    """The `kind` tags a tagged union at `path` accepts."""
    names = [i for i, step in enumerate(path) if isinstance(step, str)]
    if not names:
        return []
    parent = model_at(root, data, path[: names[-1]])
    info = parent.model_fields.get(str(path[names[-1]])) if parent is not None else None
    members = model_classes(info.annotation) if info is not None else []
    return [
        str(a) for m in members if "kind" in m.model_fields for a in typing.get_args(m.model_fields["kind"].annotation)
    ]


def validation_problems(err: ValidationError, root: type[BaseModel], doc: Assembled) -> list[Problem]:
    """One Problem per pydantic error, at the line of the field it concerns."""
    problems: list[Problem] = []
    for detail in err.errors(include_url=False):
        path = data_path(doc.data, detail["loc"])
        problems.append(doc.problem(path, _message(detail, root, doc.data, path)))
    return problems
