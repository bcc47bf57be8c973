"""The JSON Schema of scenario files, for editors that complete and check fields as authors type."""

from __future__ import annotations

import json
from typing import Any

from anabasis.scenario.models import Scenario


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file or fragment."""
    schema = Scenario.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://anabasis.invalid/scenario.schema.json",
        **schema,
        "title": "Anabasis scenario",
    }


def schema_text() -> str:
    """The schema as the text `anabasis schema` prints and `scenarios/schema/` keeps."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"
