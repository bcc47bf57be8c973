"""Whatever an author does to the main campaign, the loader answers with a scenario or with clean problems.

Hypothesis breaks the assembled data of `scenarios/revolt-1918.yaml` the ways authors do (a value of the
wrong type, a deleted or misspelt key, an id replaced by another or by a typo, a list item duplicated or
dropped, a date moved) and validates it again: the result is a Scenario or a ScenarioError whose every
problem names a file of the scenario, a line and a message, never another exception.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from anabasis.scenario import Scenario, ScenarioError
from anabasis.scenario.assemble import Assembled, assemble
from anabasis.scenario.loader import validate_assembled
from anabasis.scenario.problems import Path as DataPath

CAMPAIGN = Path(__file__).resolve().parents[1] / "scenarios" / "revolt-1918.yaml"
ID = re.compile(r"^[a-z][a-z0-9_]*$")

Mutation = Callable[[Any, Any, st.DataObject, list[str]], None]


@functools.cache
def campaign() -> Assembled:
    return assemble(CAMPAIGN)


@functools.cache
def places() -> list[DataPath]:
    """Every value in the campaign's data, by its path."""
    found: list[DataPath] = []

    def walk(node: Any, path: DataPath) -> None:
        if path:
            found.append(path)
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            walk(value, (*path, key))

    walk(campaign().data, ())
    return found


@functools.cache
def places_by_section() -> dict[str, list[DataPath]]:
    """The same places grouped by section, so small sections (`scenario`, `victory`) get broken too."""
    grouped: dict[str, list[DataPath]] = {}
    for path in places():
        grouped.setdefault(str(path[0]), []).append(path)
    return grouped


@functools.cache
def ids() -> list[str]:
    """The ids an author could put in the wrong place."""
    return sorted({v for p in places() if isinstance(v := _get(campaign().data, p), str) and ID.match(v)})


def _get(root: Any, path: DataPath) -> Any:
    node = root
    for step in path:
        node = node[step]
    return node


def _writable_parent(root: dict[str, Any], path: DataPath) -> Any:
    """The container holding `path`, copied along the way so the shared campaign data is never changed."""
    node: Any = root
    for step in path[:-1]:
        child = node[step]
        node[step] = child = dict(child) if isinstance(child, dict) else list(child)
        node = child
    return node


def _resolves(root: Any, path: DataPath) -> bool:
    node = root
    for step in path:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            return False
    return True


def _typo(word: str, data: st.DataObject) -> str:
    if len(word) < 2:
        return word + "x"
    i = data.draw(st.integers(0, len(word) - 2))
    how = data.draw(st.sampled_from(["drop", "swap", "double"]))
    if how == "drop":
        return word[:i] + word[i + 1 :]
    if how == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[: i + 1] + word[i:]


ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.dates(dt.date(1900, 1, 1), dt.date(1950, 12, 31)),
    st.just([]),
    st.just({}),
    st.just(["penza"]),
    st.just({"kind": "controls"}),
)


def retype(parent: Any, key: Any, data: st.DataObject, known_ids: list[str]) -> None:
    parent[key] = data.draw(ODD_VALUES)


def delete(parent: Any, key: Any, data: st.DataObject, known_ids: list[str]) -> None:
    del parent[key]


def rename_key(parent: Any, key: Any, data: st.DataObject, known_ids: list[str]) -> None:
    if isinstance(parent, dict):
        others = [k for k in parent if k != key]
        new = data.draw(st.sampled_from([_typo(str(key), data), *others[:5]]))
        parent[new] = parent.pop(key)


def replace_id(parent: Any, key: Any, data: st.DataObject, known_ids: list[str]) -> None:
    value = parent[key]
    word = value if isinstance(value, str) and value else data.draw(st.sampled_from(known_ids))
    parent[key] = data.draw(st.one_of(st.sampled_from(known_ids), st.just(_typo(word, data))))


def duplicate_item(parent: Any, key: Any, data: st.DataObject, known_ids: list[str]) -> None:
    if isinstance(parent, list):
        parent.insert(data.draw(st.integers(0, len(parent))), parent[key])


def move_date(parent: Any, key: Any, data: st.DataObject, known_ids: list[str]) -> None:
    value = parent[key]
    if isinstance(value, dt.date):
        parent[key] = value + dt.timedelta(days=data.draw(st.integers(-1500, 1500)))


def scale_number(parent: Any, key: Any, data: st.DataObject, known_ids: list[str]) -> None:
    value = parent[key]
    if isinstance(value, int | float) and not isinstance(value, bool):
        parent[key] = value * data.draw(st.sampled_from([-1, 0, 0.5, 1.5, 1000]))


MUTATIONS: list[Mutation] = [retype, delete, rename_key, replace_id, duplicate_item, move_date, scale_number]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # hypothesis's failure report imports libcst
@settings(
    max_examples=1000,
    deadline=None,
    derandomize=True,
    database=None,
    report_multiple_bugs=False,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],  # no `explain`: it adds nothing here and is slow
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_a_mutated_campaign_loads_or_reports_clean_problems(data: st.DataObject) -> None:
    base = campaign()
    root = dict(base.data)
    chance = data.draw(st.randoms(use_true_random=True), label="chance")
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        section = data.draw(st.sampled_from(sorted(places_by_section())) | st.none(), label="section")
        path = chance.choice(places_by_section()[section] if section else places())
        if not _resolves(root, path):
            continue
        mutate = data.draw(st.sampled_from(MUTATIONS), label="how")
        mutate(_writable_parent(root, path), path[-1], data, ids())
    files = {file for file, _ in base.where.values()}
    try:
        scenario = validate_assembled(Assembled(base.top, root, base.where))
    except ScenarioError as err:
        assert err.problems
        for problem in err.problems:
            assert problem.file in files, str(problem)
            assert problem.line >= 1, str(problem)
            assert problem.message.strip(), str(problem)
            assert str(problem).startswith(f"{problem.file}:{problem.line}: ")
        assert err.problems == sorted(err.problems, key=lambda p: (p.file, p.line, p.field))
    else:
        assert isinstance(scenario, Scenario)
