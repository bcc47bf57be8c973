"""The field tables of `docs/scenario-format.md`, made from the models, so the document cannot drift from the
format (a test compares them): `python3 -m anabasis.scenario.fieldtables docs/scenario-format.md` rewrites them."""

from __future__ import annotations

import sys
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from anabasis.scenario.messages import model_classes
from anabasis.scenario.models import Scenario

BEGIN = "<!-- field tables: made from the models by `python3 -m anabasis.scenario.fieldtables`; edit the models -->"
END = "<!-- end of the field tables -->"
PATCH_MEANING = "Changes to the records of the files it includes, by name: see [Variants](#variants)."
GROUPS = {"stance": "effects", "controls": "conditions"}  # a tag of a tagged union -> the prose section on them


def records() -> list[type[BaseModel]]:
    """Every record of the format, from `Scenario` down, each where it is first met."""
    seen: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.append(model)
        for info in model.model_fields.values():
            for inner in model_classes(info.annotation):
                visit(inner)

    visit(Scenario)
    return seen


def _anchor(name: str) -> str:
    return f"[{name}](#{name.lower()})"


def type_text(prop: dict[str, Any]) -> str:
    """A JSON Schema property as an author reads it: `id`, `number (0 to 1)`, `list of [Unit](#unit)`."""
    if "$ref" in prop:
        return _anchor(prop["$ref"].rsplit("/", 1)[-1])
    if "discriminator" in prop:
        group = next(name for tag, name in GROUPS.items() if tag in prop["discriminator"]["mapping"])
        return f"one of the [{group}](#{group}), by `kind`"
    for key in ("anyOf", "oneOf"):
        if key in prop:
            return " or ".join(type_text(p) for p in prop[key] if p != {"type": "null"})
    if "enum" in prop:
        return ", ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    kind = prop.get("type")
    if kind == "array":
        if "prefixItems" in prop:
            return "pair of " + type_text(prop["prefixItems"][0])
        return "list of " + type_text(prop.get("items", {}))
    if kind == "object":
        patterns: dict[str, Any] = prop.get("patternProperties", {})
        value: Any = prop.get("additionalProperties") or next(iter(patterns.values()), {})
        return "mapping of id to " + (type_text(value) if isinstance(value, dict) and value else "value")
    if kind == "string":
        return "date" if prop.get("format") == "date" else "id" if "pattern" in prop else "text"
    if kind in ("integer", "number"):
        low = prop.get("minimum", prop.get("exclusiveMinimum"))
        high = prop.get("maximum", prop.get("exclusiveMaximum"))
        bounds = f" ({low:g} to {high:g})" if low is not None and high is not None else ""
        return ("whole number" if kind == "integer" else "number") + bounds
    if kind == "boolean":
        return "true or false"
    return "value"


def default_text(info: FieldInfo) -> str:
    """`required`, `none`, or the default as it would be written."""
    if info.is_required():
        return "required"
    value = info.get_default(call_default_factory=True)
    if value is None:
        return "none"
    if value == "":
        return '`""`'
    if isinstance(value, BaseModel):
        return "its defaults"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def meaning(name: str, info: FieldInfo) -> str:
    """The field's description, or what its name and type say where it has none."""
    if info.description:
        return info.description.replace("|", "\\|")
    tags = typing.get_args(info.annotation)
    if name == "kind" and len(tags) == 1:
        return f"Says which it is: `{tags[0]}`."
    if name == "source":
        return f"Where the fact comes from ({_anchor('Source')})."
    models = model_classes(info.annotation)
    if models:
        return f"See {_anchor(models[0].__name__)}."
    return f"The {name.replace('_', ' ')}, by id."


def table(model: type[BaseModel], schema: dict[str, Any]) -> str:
    """One record's heading, what it is, and a row a field."""
    props = schema["$defs"][model.__name__]["properties"] if model is not Scenario else schema["properties"]
    doc = (model.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
    rows = [f"### {model.__name__}", "", doc, "", "| field | type | default | meaning |", "|---|---|---|---|"]
    for name, info in model.model_fields.items():
        alias = info.alias or name
        rows.append(f"| `{alias}` | {type_text(props[alias])} | {default_text(info)} | {meaning(name, info)} |")
    if model is Scenario:  # applied before validation, so the schema has it and the model does not
        rows.append(f"| `patch` | mapping of section to changes | none | {PATCH_MEANING} |")
    return "\n".join(rows)


def field_tables() -> str:
    """The generated part of the document, markers included."""
    schema = Scenario.model_json_schema(by_alias=True)
    body = "\n\n".join(table(model, schema) for model in records())
    return f"{BEGIN}\n\n{body}\n\n{END}"


def rewritten(text: str) -> str:
    """The document `text` with its field tables made afresh."""
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + field_tables() + text[end:]


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        path = Path(arg)
        path.write_text(rewritten(path.read_text(encoding="utf-8")), encoding="utf-8")
