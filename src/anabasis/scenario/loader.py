"""Load a scenario: read it and its includes, apply overrides, validate records, then cross-check them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path as FsPath

from pydantic import ValidationError

from anabasis.scenario.assemble import LIST_SECTIONS, Assembled, assemble
from anabasis.scenario.crossref import Invalid, cross_check
from anabasis.scenario.messages import validation_problems
from anabasis.scenario.models import Scenario
from anabasis.scenario.overrides import apply_override
from anabasis.scenario.patch import apply_patches
from anabasis.scenario.problems import Problem, ScenarioError


def _without_invalid(doc: Assembled, err: ValidationError) -> tuple[Assembled, Invalid]:
    """The data with each record that failed validation left out, and what was left out."""
    invalid = Invalid()
    bad_items: dict[str, set[int]] = {}
    for detail in err.errors(include_url=False):
        loc = detail["loc"]
        if len(loc) >= 2 and loc[0] in LIST_SECTIONS and isinstance(loc[1], int):
            bad_items.setdefault(str(loc[0]), set()).add(loc[1])
        elif loc:
            invalid.sections.add(str(loc[0]))
    data = {k: v for k, v in doc.data.items() if k not in invalid.sections}
    where = {p: w for p, w in doc.where.items() if not p or p[0] not in invalid.sections}
    meta = doc.data.get("scenario")
    if "scenario" in invalid.sections and isinstance(meta, dict):
        start, end = meta.get("start"), meta.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start < end:
            invalid.window = (start, end)
    invalid.partial = set(bad_items)
    for section, bad in bad_items.items():
        items = doc.data[section]
        keep = [i for i in range(len(items)) if i not in bad]
        data[section] = [items[i] for i in keep]
        renumber = {old: new for new, old in enumerate(keep)}
        for p in [p for p in where if p[:1] == (section,) and len(p) > 1]:
            w = where.pop(p)
            if isinstance(p[1], int) and p[1] in renumber:
                where[(section, renumber[p[1]], *p[2:])] = w
        for i in bad:
            item = items[i]
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                invalid.records.setdefault(section, set()).add(item["id"])
            if section == "segments" and isinstance(item, dict):
                invalid.pairs.add(frozenset((str(item.get("a")), str(item.get("b")))))
    return Assembled(doc.top, data, where), invalid


def validate_assembled(doc: Assembled) -> Scenario:
    """Validate merged data into a Scenario, or raise ScenarioError with every problem found."""
    try:
        scenario = Scenario.model_validate(doc.data)
    except ValidationError as err:
        problems = validation_problems(err, Scenario, doc)
        valid_part, invalid = _without_invalid(doc, err)
        try:
            partial = Scenario.model_validate(valid_part.data)
        except ValidationError:
            raise ScenarioError(problems) from None
        raise ScenarioError(problems + cross_check(partial, valid_part, invalid)) from None
    problems = cross_check(scenario, doc)
    if problems:
        raise ScenarioError(problems)
    return scenario


def patched(path: str | FsPath, *, own: bool = True) -> tuple[Assembled, list[Problem]]:
    """The merged data of `path` (or only of what it includes) with every file's `patch:` applied, and the
    problems the patches had."""
    doc = assemble(FsPath(path), own=own)
    return doc, apply_patches(doc, doc.patches)


def load_scenario(path: str | FsPath, overrides: Sequence[str] = ()) -> Scenario:
    """The scenario in `path` with its patches, then `overrides` (PATH=VALUE), applied; ScenarioError lists all
    problems."""
    doc, problems = patched(path)
    for number, assignment in enumerate(overrides, start=1):
        apply_override(doc, assignment, number)
    try:
        scenario = validate_assembled(doc)
    except ScenarioError as error:
        raise ScenarioError(problems + error.problems) from None
    if problems:
        raise ScenarioError(problems)
    return scenario


def content_hash(scenario: Scenario) -> str:
    """A digest of the scenario's content, so a save can tell whether it belongs to this scenario. The real dates
    in `history` change no game, so adding one leaves saves and unfinished batches good."""
    canonical = json.dumps(
        scenario.model_dump(mode="json", by_alias=True, exclude={"include", "schema_", "history"}),
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]
