"""docs/scenario-format.md cannot drift from the format: its field tables are the models', every field of the
schema is in them, and its worked variant is a valid scenario."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from anabasis.scenario import load_scenario
from anabasis.scenario.fieldtables import BEGIN, END, field_tables
from anabasis.scenario.schema import scenario_schema

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "scenario-format.md"
SCENARIOS = ROOT / "scenarios"


def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_the_field_tables_are_the_models() -> None:
    text = doc()
    made = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert made == field_tables(), "run: python3 -m anabasis.scenario.fieldtables docs/scenario-format.md"


def test_every_field_of_the_schema_is_in_the_document() -> None:
    text = doc()
    schema = scenario_schema()
    sections = {m.group(1): m.end() for m in re.finditer(r"^### (\w+)$", text, re.M)}
    missing = []
    records = {name: d for name, d in schema["$defs"].items() if not name.endswith("Patch")}
    for name, definition in [("Scenario", schema), *records.items()]:
        start = sections.get(name)
        if start is None:
            missing.append(name)
            continue
        table = text[start : text.find("\n### ", start)]
        missing += [f"{name}.{field}" for field in definition["properties"] if f"| `{field}` |" not in table]
    assert missing == []


def test_the_readme_sends_authors_to_the_document() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    authors = readme[readme.index("## For scenario authors") : readme.index("## The commanders")]
    assert "[docs/scenario-format.md](docs/scenario-format.md)" in authors


def test_the_worked_variant_is_valid(tmp_path: Path) -> None:
    shutil.copytree(SCENARIOS / "common", tmp_path / "common")
    shutil.copy(SCENARIOS / "revolt-1918.yaml", tmp_path)
    example = re.search(r"### A worked variant.*?```yaml\n(.*?)```", doc(), re.S)
    assert example is not None
    path = tmp_path / "variants" / "graves-fights-1918.yaml"
    path.parent.mkdir()
    path.write_text(example.group(1), encoding="utf-8")
    s = load_scenario(path)
    assert s.meta.id == "graves_fights_1918"
    usa = next(c for f in s.factions for c in f.contingents if c.id == "usa")
    assert (usa.limits.no_attack, usa.source.confidence) == ([], "assumed")
