"""Games worth watching, named from a batch's rows: the closest, the most lopsided, the nearest history, the rare."""

from __future__ import annotations

import datetime as dt
from typing import Any

from anabasis.sim.highlights import Highlight, highlights

HISTORY = {"changes_hands.kazan": dt.date(1918, 8, 7), "link_up": dt.date(1918, 9, 1)}


def row(
    index: int, legion: float, reds: float, kazan: str | None, link: str | None, **fired: int | None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "index": index,
        "seed": 1000 + index,
        "winner": "intervention" if legion > reds else "reds",
        "side_points.intervention": legion,
        "side_points.reds": reds,
        "date.changes_hands.kazan": kazan,
        "date.link_up": link,
        "date.first_evacuation": "1919-12-01",  # no history date: not compared
    }
    out.update({f"fired.{event}": turn for event, turn in fired.items()})
    return out


ROWS = [
    row(0, 50, 40, "1918-08-26", "1918-09-16", gajda_rising=80),
    row(1, 45, 44.5, "1918-09-30", None, gajda_rising=81),  # the closest, but far from history
    row(2, 90, 10, "1918-08-05", "1918-09-02", gajda_rising=79),  # lopsided, and nearest history
    row(3, 20, 60, None, None, gajda_rising=80, japan_goes_west=30),  # the only game where Japan went west
]
for k in range(4, 30):  # more ordinary games, so that one game in thirty is rare
    ROWS.append(row(k, 40 + k % 3, 30, "1918-08-26", "1918-09-16", gajda_rising=80, japan_goes_west=None))


def by_kind(found: list[Highlight]) -> dict[str, Highlight]:
    return {h.kind: h for h in found}


def test_the_closest_the_most_lopsided_and_the_nearest_history_with_the_command_to_open_each() -> None:
    found = by_kind(highlights(ROWS, HISTORY, "out/base"))
    assert found["closest"].index == 1 and "0.5 points apart" in found["closest"].why
    assert found["lopsided"].index == 2 and "80.0 points apart" in found["lopsided"].why
    assert found["history"].index == 2 and "2 key dates came 0.2 weeks from history's" in found["history"].why
    assert found["closest"].command == "anabasis play --replay out/base --game 1"


def test_a_rare_event_names_the_first_game_it_fired_in() -> None:
    rare = [h for h in highlights(ROWS, HISTORY, "out/base") if h.kind == "rare"]
    assert [(h.index, h.why) for h in rare] == [(3, "japan_goes_west fired, as it did in only 1 of 30 games (3.3%)")]


def test_rows_without_events_history_or_sides_name_what_they_can() -> None:
    plain = [{"index": k, "side_points.a": float(k), "side_points.b": 5.0} for k in range(4)]
    assert [(h.kind, h.index) for h in highlights(plain, {}, "o")] == [("closest", 3), ("lopsided", 0)]
    assert highlights([{"index": 0}], HISTORY, "o") == []
    assert highlights([], HISTORY, "o") == []


def test_a_command_quotes_a_folder_with_spaces() -> None:
    (first, *_) = highlights(ROWS, HISTORY, "my runs/base")
    assert first.command == "anabasis play --replay 'my runs/base' --game 1"
