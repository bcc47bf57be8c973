"""The key dates a batch of games reports (`anabasis sim`), by id, for a given scenario.

A key city is a station some `hold` objective names: the scenario's authors already said which places matter;
its key dates are the first time it changes hands and the first time it is back in the hands that held it at
the start (Samara retaken by the Reds). The link-up of the Legion's groups needs the Legion and both
ends of its way out. A scenario's `history:` gives the real date of some key dates, for the games to be set
beside.
"""

from __future__ import annotations

from anabasis.scenario.models import Scenario

LEGION = "legion"
LINK_WEST, LINK_EAST = "chelyabinsk", "vladivostok"
LINK_UP, FIRST_SHIPPED, LAST_SHIPPED = "link_up", "first_evacuation", "last_evacuation"
CHANGES_HANDS = "changes_hands."
RETURNS = "returns."


def key_city_ids(scenario: Scenario) -> list[str]:
    """Stations named by any `hold` objective, in the scenario's station order."""
    objectives = scenario.victory.objectives if scenario.victory is not None else []
    named = {station for o in objectives if o.kind == "hold" for station in o.stations}
    return [st.id for st in scenario.stations if st.id in named]


def has_link_up(scenario: Scenario) -> bool:
    """Whether the scenario has the Legion and both ends of its way out."""
    stations = {st.id for st in scenario.stations}
    return any(f.id == LEGION for f in scenario.factions) and {LINK_WEST, LINK_EAST} <= stations


def key_dates(scenario: Scenario) -> dict[str, str]:
    """Key date id -> what it means, in the order tables show them."""
    names = {
        LINK_UP: "the Legion's groups link up",
        FIRST_SHIPPED: "first men shipped out",
        LAST_SHIPPED: "last men shipped out",
    }
    if not has_link_up(scenario):
        del names[LINK_UP]
    station_names = {st.id: st.name for st in scenario.stations}
    cities = key_city_ids(scenario)
    for city in cities:
        names[CHANGES_HANDS + city] = f"{station_names[city]} first changes hands"
    for city in cities:
        names[RETURNS + city] = f"{station_names[city]} back with its first holder"
    return names
