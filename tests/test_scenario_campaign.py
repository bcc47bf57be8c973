"""The shipped scenarios load, and the main campaign agrees with the documents and with the real railway."""

from __future__ import annotations

import csv
import datetime as dt
import heapq
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from anabasis.scenario import Scenario, load_scenario
from anabasis.scenario.assemble import Assembled, assemble
from anabasis.scenario.models import Chosen, Reinforce
from anabasis.scenario.sources import CITABLE

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
CAMPAIGN = SCENARIOS / "revolt-1918.yaml"
DATA = Path(__file__).parent / "data"

# The station ids DESIGN.md requires.
REQUIRED_STATIONS = [
    "penza", "syzran", "samara", "kazan", "simbirsk", "ufa", "zlatoust", "chelyabinsk", "yekaterinburg", "kurgan",
    "petropavl", "omsk", "novonikolaevsk", "tomsk", "mariinsk", "krasnoyarsk", "kansk", "nizhneudinsk", "irkutsk",
    "verkhneudinsk", "chita", "manchuria", "harbin", "nikolsk_ussuriysky", "vladivostok", "khabarovsk",
    "blagoveshchensk", "moscow", "petrograd", "vologda", "arkhangelsk", "murmansk",
]  # fmt: skip


@pytest.fixture(scope="module")
def campaign() -> Scenario:
    return load_scenario(CAMPAIGN)


@pytest.fixture(scope="module")
def campaign_data() -> Assembled:
    return assemble(CAMPAIGN)


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("name", ["revolt-1918.yaml", "summer-1918.yaml"])
def test_shipped_scenario_loads(name: str) -> None:
    scenario = load_scenario(SCENARIOS / name)
    assert scenario.meta.start == dt.date(1918, 5, 13)
    assert scenario.units and scenario.events and scenario.stations


def test_every_required_station_exists(campaign: Scenario) -> None:
    ids = {st.id for st in campaign.stations}
    assert [name for name in REQUIRED_STATIONS if name not in ids] == []


def test_campaign_spans_the_documents_dates(campaign: Scenario) -> None:
    assert campaign.meta.start == dt.date(1918, 5, 13)
    assert campaign.meta.end == dt.date(1920, 9, 30)


@pytest.mark.parametrize("row", _rows("reference_stations.csv"), ids=lambda row: row["id"])
def test_well_known_station_stands_at_its_real_coordinates(campaign: Scenario, row: dict[str, str]) -> None:
    station = next((st for st in campaign.stations if st.id == row["id"]), None)
    assert station is not None, f"no station {row['id']!r}"
    assert abs(station.lat - float(row["lat"])) <= 0.3, f"{row['id']} latitude {station.lat}, real {row['lat']}"
    assert abs(station.lon - float(row["lon"])) <= 0.3, f"{row['id']} longitude {station.lon}, real {row['lon']}"


def _rail_km(scenario: Scenario, start: str, goal: str) -> float:
    """Length of the shortest route by rail through the scenario's segments."""
    links: dict[str, list[tuple[str, float]]] = {}
    for seg in scenario.segments:
        links.setdefault(seg.a, []).append((seg.b, seg.km))
        links.setdefault(seg.b, []).append((seg.a, seg.km))
    best = {start: 0.0}
    queue = [(0.0, start)]
    while queue:
        km, here = heapq.heappop(queue)
        if here == goal:
            return km
        if km > best[here]:
            continue
        for there, length in links.get(here, []):
            if km + length < best.get(there, float("inf")):
                best[there] = km + length
                heapq.heappush(queue, (km + length, there))
    return float("inf")


@pytest.mark.parametrize("row", _rows("reference_rail_lengths.csv"), ids=lambda row: f"{row['a']}-{row['b']}")
def test_rail_length_within_ten_percent_of_the_real_one(campaign: Scenario, row: dict[str, str]) -> None:
    real = float(row["km"])
    km = _rail_km(campaign, row["a"], row["b"])
    assert abs(km - real) <= 0.1 * real, f"{row['a']}-{row['b']} is {km:.0f} km by rail; really {real:.0f} km"


def test_every_record_cites_a_source(campaign_data: Assembled) -> None:
    data = campaign_data.data
    records = {
        section: list(data.get(section, []))
        for section in ("stations", "segments", "units", "events", "stockpiles", "traffic", "regions")
    }
    records["objectives"] = list(data["victory"]["objectives"])
    uncited = []
    for section, items in records.items():
        for i, item in enumerate(items):
            source = item.get("source")
            if not (
                isinstance(source, dict)
                and source.get("doc") in CITABLE
                and isinstance(source.get("note"), str)
                and len(source["note"].split()) >= 3
            ):
                file, line = campaign_data.locate((section, i))
                uncited.append(f"{file}:{line}: {section} {item.get('id') or (item.get('a'), item.get('b'))}")
    assert uncited == []


def _dates(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], dt.date]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _dates(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _dates(value, (*path, i))
    elif isinstance(node, dt.date):
        yield path, node


def test_every_date_falls_inside_the_campaign(campaign: Scenario, campaign_data: Assembled) -> None:
    start, end = campaign.meta.start, campaign.meta.end
    dated = [(path, day) for path, day in _dates(campaign_data.data) if path[0] != "scenario"]
    assert len(dated) > 50  # events, arrivals, traffic and objectives are dated
    outside = [
        f"{':'.join(map(str, campaign_data.locate(path)))}: {day}" for path, day in dated if not start <= day <= end
    ]
    assert outside == []


def _in_place_of_others(scenario: Scenario) -> set[str]:
    """Reserve units that only an event conditional on a decision's answer brings in: they land in place of the
    units that answer cancels (an expedition sent to another port), so they are not more men."""
    return {
        unit
        for e in scenario.events
        if any(isinstance(c, Chosen) for c in e.when)
        for effect in e.effects
        if isinstance(effect, Reinforce)
        for unit in effect.units
    }


def _men(scenario: Scenario, faction: str, contingent: str | None = None, *, at_start: bool = False) -> int:
    instead = _in_place_of_others(scenario)
    return sum(
        u.men
        for u in scenario.units
        if u.faction == faction
        and u.id not in instead
        and (contingent is None or u.contingent == contingent)
        and not (at_start and (u.reserve or (u.arrives is not None and u.arrives > scenario.meta.start)))
    )


def test_legion_strung_along_the_line_at_the_start(campaign: Scenario) -> None:
    # The documents: some 35,000-42,000 fighting men along the railway in May 1918.
    assert 35_000 <= _men(campaign, "legion", at_start=True) <= 42_000


def test_legion_at_its_peak(campaign: Scenario) -> None:
    # The documents give 50,000 and 60,000 for the Legion at its peak; arrivals and reserves are the men formed later.
    assert 50_000 <= _men(campaign, "legion") <= 62_000


@pytest.mark.parametrize(
    ("contingent", "low", "high"),
    [("usa", 7_950, 7_950), ("canada", 4_192, 4_192), ("britain", 1_500, 1_500), ("italy", 2_400, 2_400)],
)
def test_allied_contingent_matches_the_documents(campaign: Scenario, contingent: str, low: int, high: int) -> None:
    assert low <= _men(campaign, "allies", contingent) <= high


def test_japanese_up_to_seventy_thousand_over_time(campaign: Scenario) -> None:
    japanese = _men(campaign, "allies", "japan")
    assert 60_000 <= japanese <= 70_000
    assert _men(campaign, "allies", "japan", at_start=True) < japanese  # most of them came later
