"""Every kind of mistake in a scenario file is reported as FILE:LINE: field: message, all at once.

Each test starts from a small valid scenario, breaks one thing, and checks what an author reads: the file,
the line, the field and a message that says what is wrong (and, where it can, what would be right).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from anabasis.scenario import Problem, ScenarioError, load_scenario
from anabasis.scenario.keydates import key_dates
from anabasis.scenario.yamltree import MAX_BYTES, MAX_DEPTH

VALID = """\
scenario:
  id: tiny
  title: Tiny
  start: 1918-05-13
  end: 1918-12-30
stations:
  - {id: penza, name: Penza, lat: 53.2, lon: 45.0, kind: city, theatre: line, held_by: reds, source: {doc: history, note: station}}
  - {id: samara, name: Samara, lat: 53.19, lon: 50.12, kind: city, theatre: line, source: {doc: history, note: station}}
  - id: vladivostok
    name: Vladivostok
    lat: 43.11
    lon: 131.88
    kind: port
    theatre: line
    port: {men_per_week: 3000, source: {doc: history, note: ships}}
    source: {doc: history, note: station}
segments:
  - {a: penza, b: samara, km: 390, track: single, trains_per_day: 6, line: West, source: {doc: history, note: by rail}}
  - {a: samara, b: vladivostok, km: 2900, track: single, trains_per_day: 6, line: East, source: {doc: history, note: by rail}}
regions:
  - {id: far_east, name: Far East, stations: [vladivostok], source: {doc: history, note: the east}}
factions:
  - {id: legion, name: Legion, color: "#2a7ab0", playable: true, source: {doc: history, note: the legion}}
  - id: allies
    name: Allies
    color: "#3a9a4a"
    contingents:
      - {id: japan, name: Japanese, limits: {region: far_east}, source: {doc: history, note: japan}}
    source: {doc: history, note: the allies}
  - {id: reds, name: Reds, color: "#c0282d", source: {doc: history, note: the reds}}
units:
  - {id: cz_penza, name: Penza group, faction: legion, kind: infantry, men: 8000, station: penza, source: {doc: history, note: men}}
  - {id: jp_12, name: 12th Division, faction: allies, contingent: japan, kind: infantry, men: 12000, station: vladivostok, source: {doc: history, note: men}}
  - {id: red_samara, name: Samara garrison, faction: reds, kind: infantry, men: 3000, station: samara, source: {doc: history, note: men}}
  - {id: red_reserve, name: Reserve, faction: reds, kind: infantry, men: 3000, station: samara, reserve: true, source: {doc: history, note: men}}
stockpiles:
  - {id: vlad_stores, name: Stores, station: vladivostok, owner: allies, tons: 1000, source: {doc: history, note: stores}}
events:
  - id: demand
    name: Disarm!
    date: 1918-05-25
    text: Moscow orders the Legion disarmed.
    decision:
      faction: legion
      prompt: Give up your rifles?
      default: fight
      options:
        - {id: fight, label: Fight}
        - {id: disarm, label: Disarm}
    source: {doc: history, note: the demand}
  - id: red_help
    name: Help
    when: [{kind: chosen, event: demand, option: fight}]
    text: The reds bring men.
    effects: [{kind: reinforce, units: [red_reserve]}]
    source: {doc: history, note: help}
victory:
  sides:
    - {id: intervention, name: Intervention, factions: [legion, allies]}
    - {id: soviets, name: Soviets, factions: [reds]}
  objectives:
    - {id: hold, faction: reds, name: Hold, kind: hold, points: 1, stations: [penza], source: {doc: history, note: hold}}
    - {id: keep, faction: allies, name: Keep, kind: stockpile, points: 1, stockpiles: [vlad_stores], source: {doc: history, note: keep}}
"""  # noqa: E501


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are named relative to the working directory, as an author running `anabasis validate` sees them."""
    monkeypatch.chdir(tmp_path)


def edit(old: str, new: str, text: str = VALID) -> str:
    """`text` with the one occurrence of `old` replaced: a test breaks exactly the thing it names."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def line_of(text: str, marker: str) -> int:
    """The 1-based line of the only line holding `marker`."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if marker in line]
    assert len(hits) == 1, f"{marker!r} is on lines {hits}"
    return hits[0]


def problems(text: str, name: str = "s.yaml", overrides: tuple[str, ...] = ()) -> list[Problem]:
    """Write `text` to `name` and load it: the problems the loader reports."""
    Path(name).write_text(text, encoding="utf-8")
    return problems_of_path(name, overrides)


def problems_of_path(path: str, overrides: tuple[str, ...] = ()) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, overrides=overrides)
    assert caught.value.problems, "a ScenarioError must list its problems"
    return caught.value.problems


def only(found: list[Problem]) -> Problem:
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def test_the_base_scenario_is_valid() -> None:
    Path("s.yaml").write_text(VALID, encoding="utf-8")
    assert load_scenario("s.yaml").meta.id == "tiny"


# --- Files that are not YAML scenarios ------------------------------------------------------------------


def test_yaml_syntax_error_names_the_line() -> None:
    text = edit("  title: Tiny", "  title: [Tiny")
    p = only(problems(text))
    assert (p.file, p.line) == ("s.yaml", line_of(text, "start: 1918-05-13"))
    assert p.message.startswith("YAML syntax:") and "']'" in p.message


def test_missing_file() -> None:
    p = only(problems_of_path("nowhere.yaml"))
    assert str(p) == "nowhere.yaml: no such file"


def test_directory() -> None:
    Path("scenarios").mkdir()
    p = only(problems_of_path("scenarios"))
    assert (p.file, p.message) == ("scenarios", "is a directory, not a scenario file")


def test_binary_junk_names_the_line_of_the_first_nul_byte() -> None:
    Path("junk.yaml").write_bytes(b"scenario:\n  id: x\n\x89PNG\x00\x01\xff\xfe")
    p = only(problems_of_path("junk.yaml"))
    assert (p.file, p.line) == ("junk.yaml", 3)
    assert "not a text file" in p.message


def test_text_in_another_encoding_names_the_line_and_the_byte() -> None:
    Path("latin.yaml").write_bytes(b"scenario:\n  id: x\n  title: Cech\xe9\n")
    p = only(problems_of_path("latin.yaml"))
    assert (p.line, p.message) == (3, "is not UTF-8 text (byte 0xe9); save it as UTF-8")


def test_file_over_the_size_limit_is_refused_before_it_is_read() -> None:
    with open("huge.yaml", "wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: no disk used
    p = only(problems_of_path("huge.yaml"))
    assert p.file == "huge.yaml"
    assert f"may be at most {MAX_BYTES // 2**20} MB" in p.message


def test_deep_nesting_is_refused_at_its_line() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 10)) + "  " * (MAX_DEPTH + 10) + "v\n"
    p = only(problems(text))
    assert p.line == MAX_DEPTH + 1
    assert p.message == f"nests deeper than {MAX_DEPTH} levels"


@pytest.mark.parametrize(
    ("shape", "text", "line"),
    [
        ("brackets", "stations: " + "[" * 50_000 + "]" * 50_000 + "\n", 1),
        ("braces over lines", "stations:\n" + "{a:\n" * 5_000 + "}" * 5_000 + "\n", MAX_DEPTH + 1),
        ("indentation", "".join(" " * i + f"k{i}:\n" for i in range(2_000)) + " " * 2_000 + "v\n", MAX_DEPTH + 1),
        ("dashes", "stations:\n  " + "- " * 5_000 + "x\n", 2),
    ],
)
def test_nesting_beyond_the_limit_gets_the_projects_message_at_any_depth(shape: str, text: str, line: int) -> None:
    """Far past the project's limit, where the YAML library may give up first, the message is still ours."""
    p = only(problems(text))
    assert p.message == f"nests deeper than {MAX_DEPTH} levels", shape
    assert p.line == line, shape


def test_alias_bomb_is_refused() -> None:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    p = only(problems(text))
    assert "expands to over 1,000,000 values (anchors and aliases?)" in p.message
    assert 1 < p.line <= 10


@pytest.mark.parametrize(
    "tag",
    ['!!python/object/apply:os.system ["touch pwned"]', "!!python/name:os.system", '!!python/object/new:str ["x"]'],
)
def test_tags_that_build_objects_are_refused_and_never_run(tag: str) -> None:
    text = edit("  title: Tiny", f"  title: {tag}")
    p = only(problems(text))
    assert p.line == line_of(text, "title:")
    assert p.message.endswith("is not allowed; a scenario holds plain values only")
    assert tag.split(maxsplit=1)[0] in p.message
    assert not Path("pwned").exists()


def test_duplicate_key_names_the_second_line() -> None:
    text = edit("  title: Tiny", "  title: Tiny\n  title: Other")
    p = only(problems(text))
    assert p.line == line_of(text, "title: Other")
    assert p.message.startswith("the key 'title' appears twice in the same mapping")


def test_duplicate_key_names_the_field_and_where_it_was_first() -> None:
    text = edit("  title: Tiny", "  title: Tiny\n  title: Other")
    p = only(problems(text))
    assert p.field == "scenario.title"
    assert f"first at line {line_of(text, 'title: Tiny')}" in p.message


@pytest.mark.parametrize(
    ("text", "kind"), [("- a\n- b\n", "a list"), ("just words\n", "a text"), ("# only a comment\n", "empty")]
)
def test_a_document_that_is_not_a_mapping(text: str, kind: str) -> None:
    p = only(problems(text))
    assert (p.file, p.line) == ("s.yaml", 1)
    assert p.message.startswith(f"is {kind}; a scenario file is a mapping of sections (scenario, ")


def test_two_documents_in_one_file() -> None:
    text = VALID + "---\nscenario: {}\n"
    p = only(problems(text))
    assert p.line in (line_of(text, "---"), line_of(text, "scenario: {}"))
    assert p.message == "holds more than one YAML document; a scenario file is one"


# --- Records that do not fit the schema -----------------------------------------------------------------


def test_unknown_field_suggests_the_right_one() -> None:
    text = edit("kind: infantry, men: 8000", "kind: infantry, mne: 8000")
    found = problems(text)
    unknown = next(p for p in found if "unknown" in p.message)
    assert (unknown.line, unknown.field) == (line_of(text, "cz_penza"), "units[cz_penza].mne")
    assert unknown.message.startswith("unknown field 'mne'; did you mean 'men'? fields here: id, name, faction")


def test_unknown_section_suggests_the_right_one() -> None:
    text = edit("stockpiles:\n", "stockpile:\n")
    unknown = next(p for p in problems(text) if p.field == "stockpile")
    assert unknown.line == line_of(text, "stockpile:")
    assert "did you mean 'stockpiles'?" in unknown.message


def test_missing_required_field_in_a_block_record_names_the_record_line() -> None:
    text = edit("    name: Vladivostok\n", "")
    p = only(problems(text))
    assert (p.line, p.field, p.message) == (
        line_of(text, "- id: vladivostok"),
        "stations[vladivostok].name",
        "required field is missing",
    )


def test_wrong_type() -> None:
    text = edit("men: 12000", "men: many")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "jp_12"), "units[jp_12].men")
    assert "valid integer" in p.message and "'many'" in p.message


def test_wrong_type_on_a_line_of_its_own() -> None:
    text = edit("    lat: 43.11", "    lat: [43, 11]")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "lat: [43, 11]"), "stations[vladivostok].lat")
    assert "valid number" in p.message and "(got a list)" in p.message


def test_value_out_of_range() -> None:
    text = edit("    lon: 131.88", "    lon: 231.88")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "lon: 231.88"), "stations[vladivostok].lon")
    assert p.message == "Input should be less than or equal to 180 (got 231.88)"


def test_problem_in_a_port_names_the_port_field() -> None:
    text = edit("men_per_week: 3000", "men_per_week: -3000")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "men_per_week"), "stations[vladivostok].port.men_per_week")


def test_unknown_source_of_a_port_is_not_blamed_on_the_station() -> None:
    text = edit("port: {men_per_week: 3000, source: {doc: history", "port: {men_per_week: 3000, source: {doc: histor")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "men_per_week"), "stations[vladivostok].port.source.doc")


def test_text_that_yaml_reads_as_a_boolean_says_to_quote_it() -> None:
    text = edit("note: the east", "note: yes")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "note: yes"), "regions[far_east].source.note")
    assert "quote" in p.message


def test_bad_enum_value_lists_the_allowed_ones() -> None:
    text = edit("kind: infantry, men: 8000", "kind: infantery, men: 8000")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "cz_penza"), "units[cz_penza].kind")
    assert "'infantry', 'cavalry', 'artillery', 'armoured_train' or 'partisans'" in p.message
    assert "(got 'infantery')" in p.message


def test_unknown_effect_kind_lists_the_kinds() -> None:
    text = edit("kind: reinforce", "kind: reinforcement")
    found = problems(text)
    p = next(p for p in found if p.field == "events[red_help].effects[0]")
    assert p.line == line_of(text, "kind: reinforcement")
    assert p.message.startswith("unknown kind 'reinforcement'; use one of 'stance', 'control', 'reinforce'")


def test_bad_id_suggests_a_good_one() -> None:
    text = edit("id: cz_penza", "id: CZ-Penza")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "CZ-Penza"), "units[CZ-Penza].id")
    assert p.message == (
        "'CZ-Penza' is not a valid id: use lowercase letters, digits and underscores, "
        "starting with a letter (e.g. 'cz_penza')"
    )


def test_unknown_source_document_lists_the_citable_ones() -> None:
    text = edit("{doc: history, note: the east}", "{doc: wikipedia, note: the east}")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "- {id: far_east"), "regions[far_east].source.doc")
    assert p.message.startswith("unknown source document 'wikipedia'; use one of: 000_c11097c14a899cd0.txt")
    assert p.message.endswith(", history")


def test_a_rule_of_record_is_checked_at_the_record() -> None:
    text = edit("men: 8000,", "men: 8000, reserve: true, arrives: 1918-06-01,")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "cz_penza"), "units[cz_penza]")
    assert p.message == "a unit either arrives on a date or is held in reserve for an event, not both"


# --- References between records -------------------------------------------------------------------------

REFERENCES = [
    # (what, text to break, broken text, line marker, field, message)
    ("station", "men: 8000, station: penza", "men: 8000, station: penzza", "cz_penza", "units[cz_penza].station",
     "no station 'penzza'; did you mean 'penza'?"),
    ("faction", "faction: legion, kind", "faction: legoin, kind", "cz_penza", "units[cz_penza].faction",
     "no faction 'legoin'; did you mean 'legion'?"),
    ("contingent", "contingent: japan", "contingent: japn", "jp_12", "units[jp_12].contingent",
     "faction 'allies' has no contingent 'japn'; did you mean 'japan'?"),
    ("unit", "units: [red_reserve]", "units: [red_reserv]", "units: [red_reserv]",
     "events[red_help].effects[0].units[0]", "no unit 'red_reserv'; did you mean 'red_reserve'?"),
    ("event", "event: demand,", "event: demnad,", "event: demnad", "events[red_help].when[0].event",
     "no event 'demnad'; did you mean 'demand'?"),
    ("option", "option: fight", "option: fihgt", "option: fihgt", "events[red_help].when[0].option",
     "event 'demand' has no option 'fihgt'; did you mean 'fight'?"),
    ("stockpile", "stockpiles: [vlad_stores]", "stockpiles: [vlad_store]", "vlad_store]",
     "victory.objectives[keep].stockpiles[0]", "no stockpile 'vlad_store'; did you mean 'vlad_stores'?"),
    ("region", "limits: {region: far_east}", "limits: {region: fareast}", "fareast",
     "factions[allies].contingents[japan].limits.region", "no region 'fareast'; did you mean 'far_east'?"),
    ("news for", "men.\n", "men.\n    news_for: [allis]\n", "news_for",
     "events[red_help].news_for[0]", "no faction 'allis'; did you mean 'allies'?"),
    ("objective station", "stations: [penza], source", "stations: [pnza], source", "pnza",
     "victory.objectives[hold].stations[0]", "no station 'pnza'; did you mean 'penza'?"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "marker", "field", "message"), [r[1:] for r in REFERENCES], ids=[r[0] for r in REFERENCES]
)
def test_unknown_reference_suggests_the_id_meant(old: str, new: str, marker: str, field: str, message: str) -> None:
    text = edit(old, new)
    p = next((p for p in problems(text) if p.field == field), None)
    assert p is not None
    assert (p.file, p.line, p.message) == ("s.yaml", line_of(text, marker), message)


def test_reference_to_nothing_like_any_id_has_no_suggestion() -> None:
    text = edit("men: 8000, station: penza", "men: 8000, station: tokyo")
    p = only(problems(text))
    assert p.message == "no station 'tokyo'"


def test_duplicate_id_names_both_places() -> None:
    text = edit("  - {id: red_samara,", "  - {id: cz_penza,")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "Samara garrison"), "units[cz_penza].id")
    assert p.message == f"unit id 'cz_penza' is used twice (first at s.yaml:{line_of(text, 'Penza group')})"


def test_segment_joining_a_station_to_itself() -> None:
    text = edit("segments:\n", "segments:\n  - {a: samara, b: samara, km: 5, track: single, trains_per_day: 6, "
                "line: West, source: {doc: history, note: by rail}}\n")  # fmt: skip
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "a: samara, b: samara"), "segments[samara-samara].b")
    assert p.message == "a segment joins two different stations, not 'samara' to itself"


def test_segment_joining_two_stations_twice() -> None:
    text = edit("segments:\n", "segments:\n  - {a: samara, b: penza, km: 390, track: double, trains_per_day: 9, "
                "line: West, source: {doc: history, note: by rail}}\n")  # fmt: skip
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "a: penza, b: samara"), "segments[penza-samara]")
    assert p.message == f"penza-samara is joined twice (first at s.yaml:{line_of(text, 'a: samara, b: penza')})"


def test_disconnected_theatre_names_the_stranded_stations() -> None:
    text = edit("  - {a: samara, b: vladivostok", "  # - {a: samara, b: vladivostok")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "    theatre: line"), "stations[vladivostok].theatre")
    assert p.message.startswith("theatre 'line' is not connected: vladivostok cannot be reached by rail within it")
    assert p.message.endswith("add a segment or put the station in another theatre")


def test_reserve_unit_never_brought_in() -> None:
    text = edit("[{kind: reinforce, units: [red_reserve]}]", "[{kind: points, faction: reds, points: 1}]")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "red_reserve"), "units[red_reserve].reserve")
    assert p.message == "reserve unit 'red_reserve' is never brought in: name it in some event's `reinforce` effect"


def test_reinforcing_a_unit_that_is_not_in_reserve() -> None:
    text = edit("units: [red_reserve]", "units: [red_reserve, red_samara]")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "red_samara]"), "events[red_help].effects[0].units[1]")
    assert p.message.startswith("unit 'red_samara' is not held in reserve (`reserve: true`)")


# --- Dates ------------------------------------------------------------------------------------------------


def test_date_before_the_start() -> None:
    text = edit("date: 1918-05-25", "date: 1918-03-25")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "date: 1918-03-25"), "events[demand].date")
    assert p.message.startswith("date 1918-03-25 is before the scenario starts (1918-05-13)")


def test_until_before_the_start_is_reported() -> None:
    text = edit("    when: [{kind: chosen", "    until: 1918-01-01\n    when: [{kind: chosen")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "until: 1918-01-01"), "events[red_help].until")
    assert "before the scenario starts (1918-05-13)" in p.message


def test_arrival_after_the_end_in_the_scenario_file() -> None:
    text = edit("men: 12000,", "men: 12000, arrives: 1919-02-01,")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "jp_12"), "units[jp_12].arrives")
    assert p.message == "arrival 1919-02-01 is after the scenario ends (1918-12-30)"


LATE_EVENT = (
    "events:\n"
    "  - {id: armistice, name: Armistice, date: 1919-11-11, text: The war ends.,\n"
    "     effects: [{kind: cohesion, faction: legion, delta: -0.1}], source: {doc: history, note: the date}}\n"
)


def test_dates_after_the_end_are_allowed_in_an_included_file() -> None:
    Path("later.yaml").write_text(LATE_EVENT, encoding="utf-8")
    Path("s.yaml").write_text("include: [later.yaml]\n" + VALID, encoding="utf-8")
    assert [e.id for e in load_scenario("s.yaml").events] == ["armistice", "demand", "red_help"]


def test_dates_before_the_start_are_refused_in_an_included_file() -> None:
    Path("earlier.yaml").write_text(LATE_EVENT.replace("1919-11-11", "1918-03-25"), encoding="utf-8")
    p = only(problems("include: [earlier.yaml]\n" + VALID))
    assert (p.file, p.line, p.field) == ("earlier.yaml", 2, "events[armistice].date")
    assert "before the scenario starts" in p.message


def test_invalid_date() -> None:
    text = edit("date: 1918-05-25", "date: 1918-13-45")
    p = only(problems(text))
    assert p.line == line_of(text, "1918-13-45")
    assert p.message == "'1918-13-45' is not a valid timestamp"


def test_end_before_start_names_the_end_line() -> None:
    text = edit("  end: 1918-12-30", "  end: 1918-01-30")
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "end: 1918-01-30"), "scenario.end")
    assert p.message == "end 1918-01-30 must come after start 1918-05-13"


# --- Includes -------------------------------------------------------------------------------------------


def test_missing_included_file() -> None:
    text = "include: [common/none.yaml]\n" + VALID
    p = only(problems(text))
    assert (p.file, p.line, p.field, p.message) == ("s.yaml", 1, "include", "no such file: common/none.yaml")


def test_missing_included_file_in_a_block_list_names_its_line() -> None:
    Path("ok.yaml").write_text("regions: []\n", encoding="utf-8")
    text = "include:\n  - ok.yaml\n  - none.yaml\n" + VALID
    p = only(problems(text))
    assert (p.file, p.line, p.field) == ("s.yaml", 3, "include")


def test_included_directory_names_the_include_line() -> None:
    Path("common").mkdir()
    p = only(problems("include: [common]\n" + VALID))
    assert (p.file, p.line, p.field) == ("s.yaml", 1, "include")
    assert "is a directory" in p.message


def test_include_cycle_shows_the_chain() -> None:
    Path("common").mkdir()
    Path("common/a.yaml").write_text("include: [b.yaml]\n", encoding="utf-8")
    Path("common/b.yaml").write_text("# b\ninclude: [a.yaml]\n", encoding="utf-8")
    p = only(problems("include: [common/a.yaml]\n" + VALID))
    assert (p.file, p.line, p.field) == ("common/b.yaml", 2, "include")
    assert p.message == "includes itself: s.yaml -> common/a.yaml -> common/b.yaml -> common/a.yaml"


def test_problems_in_an_included_file_name_that_file() -> None:
    Path("forces.yaml").write_text(
        "# forces\nunits:\n  - {id: cz_ufa, name: Ufa, faction: legion, kind: infantry, men: 500, station: ufa,\n"
        "     source: {doc: history, note: men}}\n",
        encoding="utf-8",
    )
    p = only(problems("include: [forces.yaml]\n" + VALID))
    assert (p.file, p.line, p.field, p.message) == ("forces.yaml", 3, "units[cz_ufa].station", "no station 'ufa'")


# --- --set overrides ------------------------------------------------------------------------------------

OVERRIDES = [
    ("rules.winter_ned=2", "rules.winter_ned", "unknown field 'winter_ned'; did you mean 'winter_need'?"),
    ("rules.winter_need=lots", "rules.winter_need", "valid number"),
    ("units[cz_penza].men=-5", "units[cz_penza].men", "greater than or equal to 1 (got -5)"),
    ("units[nobody].men=1", "units[nobody].men", "no item 'nobody' in units (items: cz_penza, jp_12,"),
    ("scenario.title.short=x", "scenario.title.short", "scenario.title is a single value"),
    ("rules.winter_need=[1", "rules.winter_need", "the value '[1' is not valid YAML"),
    ("rules.winter_need", "", "'rules.winter_need' is not PATH=VALUE (e.g. rules.winter_need=2.0)"),
    ("units[[x]].men=1", "", "is not a path like rules.winter_need or units[penza_group].men"),
]


@pytest.mark.parametrize(("assignment", "field", "message"), OVERRIDES, ids=[o[0] for o in OVERRIDES])
def test_override_error_is_located_at_its_set(assignment: str, field: str, message: str) -> None:
    p = only(problems(VALID, overrides=("rules.winter_need=2.0", assignment)))
    assert (p.file, p.line, p.field) == ("--set", 2, field)
    assert message in p.message
    assert str(p).startswith(f"--set:2: {field}:" if field else "--set:2: ")


def test_override_changes_the_loaded_scenario() -> None:
    Path("s.yaml").write_text(VALID, encoding="utf-8")
    scenario = load_scenario("s.yaml", overrides=["units[cz_penza].men=9000", "rules.winter_need=2"])
    assert (scenario.units[0].men, scenario.rules.winter_need) == (9000, 2.0)


def test_override_item_typo_suggests_the_id_meant() -> None:
    p = only(problems(VALID, overrides=("units[red_reserv].men=1",)))
    assert "did you mean 'red_reserve'?" in p.message


# --- All problems at once -------------------------------------------------------------------------------


def test_every_independent_problem_is_reported_sorted_by_file_and_line() -> None:
    Path("forces.yaml").write_text(
        "units:\n  - {id: cz_ufa, name: Ufa, faction: legoin, kind: infantry, men: 500, station: penza,\n"
        "     source: {doc: history, note: men}}\n",
        encoding="utf-8",
    )
    text = "include: [forces.yaml]\n" + VALID
    text = edit("lon: 45.0", "lon: 445.0", text)  # a record error
    text = edit("men: 8000", "men: lots", text)  # a record error
    text = edit("men: 12000, station: vladivostok", "men: 12000, station: vladivostock", text)  # a reference
    text = edit("date: 1918-05-25", "date: 1920-05-25", text)  # a date
    text = edit("stations: [penza], source", "stations: [pnza], source", text)  # a reference in victory
    found = problems(text)
    assert [(p.file, p.line, p.field) for p in found] == [
        ("forces.yaml", 2, "units[cz_ufa].faction"),
        ("s.yaml", line_of(text, "lon: 445.0"), "stations[penza].lon"),
        ("s.yaml", line_of(text, "men: lots"), "units[cz_penza].men"),
        ("s.yaml", line_of(text, "vladivostock"), "units[jp_12].station"),
        ("s.yaml", line_of(text, "1920-05-25"), "events[demand].date"),
        ("s.yaml", line_of(text, "pnza"), "victory.objectives[hold].stations[0]"),
    ]


def test_an_invalid_record_raises_no_false_alarm_about_its_references() -> None:
    # penza fails validation, but its id still counts as defined: the segment, unit and objective naming it stay quiet.
    text = edit("  - {id: penza, name: Penza, lat: 53.2", "  - {id: penza, name: Penza, lat: 153.2")
    p = only(problems(text))
    assert p.field == "stations[penza].lat"


def test_an_invalid_decision_event_named_by_a_condition_is_reported_not_crashed_on() -> None:
    text = edit("prompt: Give up your rifles?", 'prompt: ""')
    p = only(problems(text))
    assert (p.field, p.line) == ("events[demand].decision.prompt", line_of(text, "prompt:"))


def test_an_invalid_reserve_unit_named_by_reinforce_is_reported_not_crashed_on() -> None:
    text = edit("men: 3000, station: samara, reserve: true", "men: -3, station: samara, reserve: true")
    p = only(problems(text))
    assert p.field == "units[red_reserve].men"


def test_an_invalid_unit_named_by_withdraw_is_reported_not_crashed_on() -> None:
    withdraw = "{kind: withdraw, faction: legion, units: [cz_penza]}"
    text = edit("units: [red_reserve]}]", f"units: [red_reserve]}}, {withdraw}]")
    text = edit("men: 8000", "men: -1", text)
    p = only(problems(text))
    assert p.field == "units[cz_penza].men"


def test_an_invalid_segment_does_not_disconnect_its_theatre() -> None:
    text = edit("km: 2900", "km: 7000")
    p = only(problems(text))
    assert p.field == "segments[samara-vladivostok].km"


def test_an_invalid_event_does_not_strand_the_reserves_it_brings_in() -> None:
    text = edit("text: The reds bring men.", "text: ''")
    p = only(problems(text))
    assert p.field == "events[red_help].text"


def test_a_section_that_is_not_a_list_raises_no_false_alarms_about_its_ids() -> None:
    text = edit("stockpiles:\n  - {id: vlad_stores", "stockpiles:\n  {id: vlad_stores")
    p = only(problems(text))
    assert (p.field, p.line) == ("stockpiles", line_of(text, "  {id: vlad_stores") - 1)


def test_a_typo_in_the_scenario_block_does_not_hide_date_problems() -> None:
    text = edit("  title: Tiny", "  title: Tiny\n  turns_days: 7")
    text = edit("date: 1918-05-25", "date: 1920-05-25", text)
    assert [p.field for p in problems(text)] == ["scenario.turns_days", "events[demand].date"]


# --- History: the real dates designers compare the games with -------------------------------------------

HISTORY = """\
history:
  - {milestone: changes_hands.penza, date: 1918-05-29, source: {doc: history, note: taken}}
  - {milestone: last_evacuation, date: 1920-09-02, source: {doc: history, note: last ship}}
"""


def test_history_may_give_real_dates_of_key_dates_even_past_the_scenario_end() -> None:
    Path("s.yaml").write_text(VALID + HISTORY, encoding="utf-8")
    marks = load_scenario("s.yaml").history
    assert [(m.milestone, m.date.isoformat()) for m in marks] == [
        ("changes_hands.penza", "1918-05-29"),
        ("last_evacuation", "1920-09-02"),
    ]


def test_history_of_a_key_date_the_games_do_not_report_suggests_the_one_meant() -> None:
    text = VALID + edit("changes_hands.penza", "changes_hands.pensa", HISTORY)
    p = only(problems(text))
    assert (p.line, p.field) == (line_of(text, "pensa"), "history[changes_hands.pensa].milestone")
    assert p.message == "no key date 'changes_hands.pensa': no station 'pensa'; did you mean 'penza'?"


def test_a_city_history_dates_is_a_key_city_though_no_objective_names_it() -> None:
    Path("s.yaml").write_text(VALID + edit("changes_hands.penza", "returns.samara", HISTORY), encoding="utf-8")
    scenario = load_scenario("s.yaml")
    assert "returns.samara" in key_dates(scenario) and "changes_hands.samara" in key_dates(scenario)


LINK_UP = (
    "  - {milestone: link_up, date: 1918-08-31, faction: legion, between: [penza, vladivostok],"
    " source: {doc: history, note: met}}\n"
)


def test_history_dates_a_link_up_between_two_stations_of_a_faction() -> None:
    Path("s.yaml").write_text(VALID + HISTORY + LINK_UP, encoding="utf-8")
    assert "link_up" in key_dates(load_scenario("s.yaml"))
    Path("s.yaml").write_text(VALID + HISTORY, encoding="utf-8")
    assert "link_up" not in key_dates(load_scenario("s.yaml"))


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("faction: legion, ", "", "faction", "`link_up` needs the faction whose groups link up"),
        ("faction: legion", "faction: legoin", "faction", "no faction 'legoin'; did you mean 'legion'?"),
        ("[penza, vladivostok]", "[penza]", "between", "`link_up` needs two stations, not 1"),
        (
            "[penza, vladivostok]",
            "[penza, vladivostk]",
            "between[1]",
            "no station 'vladivostk'; did you mean 'vladivostok'?",
        ),
    ],
)
def test_a_link_up_without_its_faction_or_two_stations_is_refused(old: str, new: str, field: str, message: str) -> None:
    p = only(problems(VALID + HISTORY + edit(old, new, LINK_UP)))
    assert (p.field, p.message) == (f"history[link_up].{field}", message)


def test_only_the_link_up_names_a_faction_and_stations() -> None:
    text = VALID + edit("date: 1920-09-02,", "date: 1920-09-02, between: [penza, samara],", HISTORY)
    p = only(problems(text))
    assert (p.field, p.message) == ("history[last_evacuation].between", "only `link_up` takes it")


def test_history_giving_one_key_date_twice_names_both_places() -> None:
    text = VALID + edit("last_evacuation", "changes_hands.penza", HISTORY)
    p = only(problems(text))
    assert p.line == line_of(text, "last ship")
    assert p.message == f"key date 'changes_hands.penza' is given twice (first at s.yaml:{line_of(text, 'taken')})"
