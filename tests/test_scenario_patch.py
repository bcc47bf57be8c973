"""A file that includes another patches its records by name: change fields, add to and take from lists, remove
records, replace or extend the victory; a bad patch is reported at its own FILE:LINE with a did-you-mean."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from anabasis.scenario import Problem, ScenarioError, load_scenario

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test writes `variant.yaml` beside a copy of the mini scenario, `base.yaml`, and runs there."""
    shutil.copy(MINI, tmp_path / "base.yaml")
    monkeypatch.chdir(tmp_path)


HEAD = "include: [base.yaml]\n"


def variant(body: str) -> Path:
    path = Path("variant.yaml")
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def problems(body: str) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(variant(body))
    return caught.value.problems


def line_of(body: str, marker: str) -> int:
    """The line of `marker` in the variant file written from `body`."""
    return next(i for i, line in enumerate((HEAD + body).splitlines(), start=1) if marker in line)


def line_of_base(base: str, marker: str) -> int:
    return next(i for i, line in enumerate(base.splitlines(), start=1) if marker in line)


def test_a_patch_changes_fields_and_leaves_the_rest() -> None:
    s = load_scenario(variant("patch:\n  units:\n    cz_penza: {men: 3000, station: syzran}\n"))
    unit = next(u for u in s.units if u.id == "cz_penza")
    assert (unit.men, unit.station, unit.arms, unit.entrained) == (3000, "syzran", 0.5, True)
    assert [u.id for u in s.units] == [u.id for u in load_scenario(MINI).units]


def test_a_patch_removes_records_and_null_restores_a_default() -> None:
    body = (
        "patch:\n"
        "  events:\n"
        "    canadians_home: remove\n"
        "  units:\n"
        "    red_army: {arrives: null}\n"
        "  doctrines:\n"
        "    reds: {phases-: [urals_1919, tobol_1919]}\n"
    )
    s = load_scenario(variant(body))
    assert "canadians_home" not in {e.id for e in s.events}
    assert next(u for u in s.units if u.id == "red_army").arrives is None
    reds = next(d for d in s.doctrines if d.faction == "reds")
    assert [p.id for p in reds.phases] == ["counter_offensive", "winter_1918", "siberia_1919", "far_east_1920"]


def test_nested_records_merge_and_named_lists_patch_by_name() -> None:
    body = (
        "patch:\n"
        "  factions:\n"
        "    allies: {contingents: {japan: {limits: {no_attack: [reds]}}}}\n"
        "  events:\n"
        "    demand: {decision: {default: disarm, options: {disarm: {label: Give them up}}}}\n"
        "  stations:\n"
        "    vladivostok: {port: {men_per_week: 500}}\n"
    )
    s = load_scenario(variant(body))
    japan = next(f for f in s.factions if f.id == "allies").contingents[0]
    assert (japan.limits.region, japan.limits.no_attack) == ("east_of_baikal", ["reds"])
    decision = next(e for e in s.events if e.id == "demand").decision
    assert decision is not None
    assert (decision.default, [o.label for o in decision.options]) == ("disarm", ["Fight", "Give them up"])
    port = next(st for st in s.stations if st.id == "vladivostok").port
    assert port is not None
    assert (port.men_per_week, port.source.note) == (500, "test port")


def test_lists_grow_with_plus_shrink_with_minus_and_are_replaced_whole() -> None:
    body = (
        "patch:\n"
        "  regions:\n"
        "    east_of_baikal: {stations+: [baikal], stations-: [chita]}\n"
        "  rules:\n"
        "    winter_months: [12, 1]\n"
        "  victory:\n"
        "    objectives+:\n"
        "      - {id: reds_omsk, faction: reds, name: Omsk, kind: hold, points: 2, stations: [omsk],\n"
        "         source: {doc: history, note: added}}\n"
        "    objectives: {legion_hold: {points: 3, stations-: [samara]}}\n"
    )
    s = load_scenario(variant(body))
    assert s.regions[0].stations == ["vladivostok", "baikal"]
    assert s.rules.winter_months == [12, 1]
    assert s.victory is not None
    objectives = {o.id: o for o in s.victory.objectives}
    assert (objectives["legion_hold"].points, objectives["legion_hold"].stations) == (3, ["omsk", "chelyabinsk"])
    assert objectives["reds_omsk"].stations == ["omsk"]


def test_records_keyed_by_faction_decision_ends_and_key_date_are_patchable() -> None:
    body = (
        "patch:\n"
        "  doctrines:\n"
        "    allies: {hold: 0.9}\n"
        "  relations:\n"
        "    reds-legion: {stance: neutral}\n"
        "  segments:\n"
        "    samara-syzran: {trains_per_day: 3}\n"
    )
    s = load_scenario(variant(body))
    assert next(d for d in s.doctrines if d.faction == "allies").hold == 0.9
    assert s.relations[0].stance == "neutral"
    assert s.segments[1].trains_per_day == 3


def test_a_variant_replaces_the_victory_by_giving_its_own_and_keeps_a_partial_scenario_block() -> None:
    body = (
        "scenario: {id: shorter, end: 1918-09-30}\n"
        "victory:\n"
        "  objectives:\n"
        "    - {id: only, faction: reds, name: Only, kind: hold, points: 1, stations: [penza],\n"
        "       source: {doc: history, note: only}}\n"
    )
    s = load_scenario(variant(body))
    assert (s.meta.id, s.meta.title, s.meta.end) == ("shorter", "Mini line", dt.date(1918, 9, 30))
    assert s.victory is not None
    assert [o.id for o in s.victory.objectives] == ["only"]
    assert [side.id for side in s.victory.sides] == ["intervention", "reds"]


def test_set_applies_after_the_patch() -> None:
    s = load_scenario(variant("patch:\n  units:\n    cz_penza: {men: 3000}\n"), ["units[cz_penza].men=4000"])
    assert next(u for u in s.units if u.id == "cz_penza").men == 4000


def test_a_patch_naming_no_record_says_which_it_meant() -> None:
    text = "patch:\n  units:\n    cz_pneza: {men: 3000}\n  evnts:\n    demand: remove\n"
    found = problems(text)
    assert [(p.file, p.line, p.field) for p in found] == [
        ("variant.yaml", line_of(text, "cz_pneza"), "patch.units[cz_pneza]"),
        ("variant.yaml", line_of(text, "evnts"), "patch.evnts"),
    ]
    assert found[0].message == "no unit 'cz_pneza' to patch in units; did you mean 'cz_penza'?"
    assert found[1].message.startswith("no section 'evnts' to patch; did you mean 'events'?")


def test_taking_out_what_is_not_there_and_malformed_patches_are_reported() -> None:
    text = (
        "patch:\n"
        "  regions:\n"
        "    east_of_baikal: {stations-: [chitta]}\n"
        "  units:\n"
        "    cz_chel: delete\n"
        "  events: [demand]\n"
    )
    found = {p.field: p for p in problems(text)}
    assert found["patch.regions[east_of_baikal].stations-"].message == (
        "'chitta' is not in regions[east_of_baikal].stations; did you mean 'chita'?"
    )
    assert found["patch.units[cz_chel]"].message.endswith("a mapping of the fields to change, or `remove`")
    assert found["patch.events"].message.startswith("is a list; patch a section with a mapping")
    assert [found[f].line for f in sorted(found)] == [line_of(text, m) for m in ("[demand]", "chitta", "delete")]


def test_a_patched_value_is_checked_at_the_patch_line() -> None:
    text = "patch:\n  units:\n    cz_penza:\n      men: -5\n    cz_chel:\n      station: tokyo\n"
    found = {p.field: p for p in problems(text)}
    assert (found["units[cz_penza].men"].file, found["units[cz_penza].men"].line) == ("variant.yaml", 5)
    assert found["units[cz_chel].station"].line == 7
    assert found["units[cz_chel].station"].message == "no station 'tokyo'"


def test_after_a_removal_later_records_keep_their_own_lines() -> None:
    """Taking out a record renumbers those after it: their problems must still name their own file and line."""
    text = "patch:\n  units:\n    cz_penza: remove\n    red_omsk: {station: omks}\n"
    found = problems(text)
    assert [(p.file, p.line, p.field) for p in found] == [("variant.yaml", 5, "units[red_omsk].station")]
    assert found[0].message == "no station 'omks'; did you mean 'omsk'?"


def test_a_removed_unit_named_by_an_event_is_reported_where_the_event_names_it() -> None:
    found = problems("patch:\n  units:\n    whites_omsk: remove\n")
    base = MINI.read_text(encoding="utf-8")
    assert [(p.file, p.line, p.field) for p in found] == [
        ("base.yaml", line_of_base(base, "units: [whites_omsk]"), "events[omsk_rising].effects[0].units[0]"),
    ]
    assert found[0].message.startswith("no unit 'whites_omsk'")


def test_a_record_given_again_says_to_patch_it() -> None:
    text = (
        "units:\n"
        "  - {id: cz_penza, name: Again, faction: legion, kind: infantry, men: 1, station: penza,\n"
        "     source: {doc: history, note: again}}\n"
    )
    found = problems(text)
    assert [(p.file, p.line) for p in found] == [("variant.yaml", line_of(text, "Again"))]
    assert "unit id 'cz_penza' is used twice (first at base.yaml:" in found[0].message
    assert found[0].message.endswith("patch it (`patch: {units: {cz_penza: ...}}`)")


def test_a_variant_of_a_variant_patches_after_the_one_it_includes() -> None:
    variant("scenario: {id: first}\npatch:\n  units:\n    cz_penza: {men: 3000, station: syzran}\n")
    Path("variant.yaml").rename("first.yaml")
    second = Path("second.yaml")
    second.write_text("include: [first.yaml]\nscenario: {id: second}\npatch:\n  units:\n    cz_penza: {men: 5000}\n")
    unit = next(u for u in load_scenario(second).units if u.id == "cz_penza")
    assert (unit.men, unit.station) == (5000, "syzran")
