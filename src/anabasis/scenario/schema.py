"""The JSON Schema of scenario files, for editors that complete and check fields as authors type.

A file that includes a whole scenario may give only the `scenario:` and `victory:` fields it changes, and may
`patch:` what it includes; the schema accepts both, so an editor checks variants as it checks scenarios.
"""

from __future__ import annotations

import json
import typing
from typing import Any

from pydantic import BaseModel

from anabasis.scenario.assemble import LIST_SECTIONS, MAP_SECTIONS
from anabasis.scenario.models import Scenario
from anabasis.scenario.patch import ADD, REMOVE, TAKE, field_shape

PARTIAL = ("Meta", "Victory")  # the mapping sections whose fields an including file may give only in part
PATCH_DESCRIPTION = (
    "Changes to the records of the files this one includes, by section and then by name (an id, `a-b` for a "
    "segment or a relation, the faction of a doctrine, the decision of an answer, the key date of a history mark): "
    f"a mapping of the fields to change, or `{REMOVE}`. A mapping given for a nested record changes only the "
    "fields it names; one given for a list of named records patches them by name; any other value replaces the "
    f"field and null puts it back to its default. `FIELD{ADD}: [...]` adds to a list, `FIELD{TAKE}: [...]` takes "
    "items (by name or by value) out of it."
)


def _patch_name(model: type[BaseModel]) -> str:
    return f"{model.__name__}Patch"


def _named_patches(model: type[BaseModel]) -> dict[str, Any]:
    """A mapping from a record's name to its patch, or `remove`."""
    return {
        "type": "object",
        "additionalProperties": {"anyOf": [{"const": REMOVE}, {"$ref": f"#/$defs/{_patch_name(model)}"}]},
    }


def _patch_defs(model: type[BaseModel], out: dict[str, Any]) -> None:
    """Add to `out` the schema of a patch of `model` and of the records it patches in turn."""
    name = _patch_name(model)
    if name in out:
        return
    out[name] = {}  # taken, while the records it reaches are added
    properties: dict[str, Any] = {}
    for field, info in model.model_fields.items():
        alias = info.alias or field
        base = {"$ref": f"#/$defs/{model.__name__}/properties/{alias}"}  # the field as a whole record has it
        shape, inner = field_shape(model, field)
        if shape == "records" and inner is not None:
            properties[alias] = {"anyOf": [base, _named_patches(inner)]}
            _patch_defs(inner, out)
        elif shape == "record" and inner is not None:
            properties[alias] = {"anyOf": [{"$ref": f"#/$defs/{_patch_name(inner)}"}, {"type": "null"}]}
            _patch_defs(inner, out)
        else:
            properties[alias] = {"anyOf": [base, {"type": "null"}]}
        if typing.get_origin(info.annotation) is list:
            properties[alias + ADD] = base
            names = {"type": "string"} if shape == "records" else {"$ref": f"{base['$ref']}/items"}
            properties[alias + TAKE] = {"type": "array", "items": names}
    out[name] = {
        "type": "object",
        "description": f"Changes to {'a' if model.__name__[0] not in 'AEIOU' else 'an'} {model.__name__}.",
        "properties": properties,
        "additionalProperties": False,
    }


def _patch_schema(defs: dict[str, Any]) -> dict[str, Any]:
    """The `patch:` section, and the patch schema of every record it can reach (added to `defs`)."""
    sections: dict[str, Any] = {}
    for section in (*LIST_SECTIONS, *MAP_SECTIONS):
        shape, model = field_shape(Scenario, section)
        assert model is not None
        patches: dict[str, Any] = {}
        _patch_defs(model, patches)
        defs.update(patches)
        sections[section] = _named_patches(model) if shape == "records" else {"$ref": f"#/$defs/{_patch_name(model)}"}
    return {"type": "object", "description": PATCH_DESCRIPTION, "properties": sections, "additionalProperties": False}


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file, a fragment, or a variant of another scenario."""
    schema = Scenario.model_json_schema(by_alias=True)
    defs = schema["$defs"]
    for name in PARTIAL:
        defs[name].pop("required", None)
        defs[name]["description"] += " A file that includes a whole scenario may give only the fields it changes."
    schema["properties"]["patch"] = _patch_schema(defs)
    schema["$defs"] = dict(sorted(defs.items()))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://anabasis.invalid/scenario.schema.json",
        **schema,
        "title": "Anabasis scenario",
    }


def schema_text() -> str:
    """The schema as the text `anabasis schema` prints and `scenarios/schema/` keeps."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"
