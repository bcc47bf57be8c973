"""The key dates a batch of games reports (`anabasis sim`), by id, for a given scenario.

A key city is a station some `hold` objective names, or one the scenario's `history:` dates: the authors already
said which places matter; its key dates are the first time it changes hands and the first time it is back in the
hands that held it at the start (Samara retaken by the Reds). The link-up is dated when `history:` says whose
groups link up between which two stations. A scenario's `history:` gives the real date of some key dates, for
the games to be set beside.
"""

from __future__ import annotations

from dataclasses import dataclass

from anabasis.scenario.models import Scenario

LINK_UP, FIRST_SHIPPED, LAST_SHIPPED = "link_up", "first_evacuation", "last_evacuation"
CHANGES_HANDS = "changes_hands."
RETURNS = "returns."


@dataclass(frozen=True)
class LinkUp:
    """Whose groups link up, and the two stations an unbroken friendly line must join."""

    faction: str
    west: str
    east: str


def dated_city(milestone: str) -> str | None:
    """The station a city's key date names (`changes_hands.kazan` -> `kazan`), or None for other key dates."""
    for prefix in (CHANGES_HANDS, RETURNS):
        if milestone.startswith(prefix):
            return milestone.removeprefix(prefix)
    return None


def key_city_ids(scenario: Scenario) -> list[str]:
    """Stations named by any `hold` objective or by a key date of `history:`, in the scenario's station order."""
    objectives = scenario.victory.objectives if scenario.victory is not None else []
    named = {station for o in objectives if o.kind == "hold" for station in o.stations}
    named |= {city for mark in scenario.history if (city := dated_city(mark.milestone)) is not None}
    return [st.id for st in scenario.stations if st.id in named]


def link_up(scenario: Scenario) -> LinkUp | None:
    """The link-up `history:` dates, when its faction and both stations are in the scenario."""
    mark = next((m for m in scenario.history if m.milestone == LINK_UP), None)
    if mark is None or mark.faction is None or len(mark.between) != 2:
        return None
    stations = {st.id for st in scenario.stations}
    if mark.faction not in {f.id for f in scenario.factions} or not set(mark.between) <= stations:
        return None
    return LinkUp(mark.faction, *mark.between)


def key_dates(scenario: Scenario) -> dict[str, str]:
    """Key date id -> what it means, in the order tables show them."""
    names: dict[str, str] = {}
    link = link_up(scenario)
    if link is not None:
        faction = next(f.name for f in scenario.factions if f.id == link.faction)
        names[LINK_UP] = f"the {faction}'s groups link up"
    names[FIRST_SHIPPED] = "first men shipped out"
    names[LAST_SHIPPED] = "last men shipped out"
    station_names = {st.id: st.name for st in scenario.stations}
    cities = key_city_ids(scenario)
    for city in cities:
        names[CHANGES_HANDS + city] = f"{station_names[city]} first changes hands"
    for city in cities:
        names[RETURNS + city] = f"{station_names[city]} back with its first holder"
    return names
