"""A week of a game in the scenario's own terms, and the patch that makes a scenario start from it.

`anabasis snapshot` reads a game's state into a `Situation` (ids and plain numbers, no engine arrays) and
`situation_patch` says what differs from the scenario the game was played on: the records to patch, the units
gone, the events already fired and the decisions taken. A scenario that includes the old one and applies that
patch starts in that week.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from anabasis.scenario.keydates import CHANGES_HANDS, RETURNS
from anabasis.scenario.models import AnyEffect, Event, Reinforce, Scenario, Unit, Withdraw
from anabasis.scenario.patch import REMOVE

SHOWN_DIGITS = 2  # arms, cohesion and stores are written to the hundredth: what a designer reads and edits
MIN_COHESION = 0.1  # the least a scenario's unit may start with; a broken unit in the game may have less


@dataclass(frozen=True)
class UnitNow:
    """A unit in that week: on the map (at a station), still to come (waiting or in reserve), or gone."""

    status: str  # "map", "waiting", "reserve" or "gone"
    station: str
    men: int
    entrained: bool
    arms: float
    cohesion: float
    cohesion_cap: float
    stores: float


@dataclass
class Situation:
    """Everything a snapshot carries over from a week of a game."""

    start: dt.date
    units: dict[str, UnitNow]
    control: dict[str, str | None]  # station -> faction holding it
    port_men: dict[str, int]  # port -> men a week the ships take
    damage: dict[str, int]  # segment `a-b` -> weeks of repair it needs
    tons: dict[str, float]  # stockpile -> tons left
    stance: dict[tuple[str, str], str]  # (faction, faction) -> allied, neutral or war
    limits: dict[tuple[str, str], tuple[list[str], str | None]]  # (faction, contingent) -> (no_attack, region)
    supply_factor: dict[str, float]
    fired: list[str]  # events fired and not answered (no decision, or one still waiting), in the scenario's order
    chosen: dict[str, str]  # event -> option taken


def _rounded(value: float) -> float:
    return round(float(value), SHOWN_DIGITS)


def _unit_patch(unit: Unit, now: UnitNow, stores_weeks: float) -> dict[str, Any] | str:
    if now.status == "gone":
        return REMOVE
    cap = _rounded(now.cohesion_cap)
    wanted: dict[str, Any] = {
        "men": now.men,
        "arms": max(0.05, _rounded(now.arms)),
        "cohesion": min(cap, max(MIN_COHESION, _rounded(now.cohesion))),
        "cohesion_cap": max(MIN_COHESION, cap),
    }
    if now.status == "map":
        wanted |= {
            "station": now.station,
            "entrained": now.entrained,
            "stores": _rounded(now.stores),
            "arrives": None,
            "reserve": False,
        }
    defaults = {"stores": stores_weeks}
    out: dict[str, Any] = {}
    for name, value in wanted.items():
        current = getattr(unit, name)
        if current != value and not (current is None and value == defaults.get(name)):
            out[name] = value
    return out


def _effects_without(effects: tuple[AnyEffect, ...] | list[AnyEffect], gone: set[str]) -> list[AnyEffect] | None:
    """The effects with the units that are gone left out (an effect left with nothing to do is dropped), or
    None when none of them names a unit that is gone."""
    named = [e for e in effects if isinstance(e, Reinforce | Withdraw) and set(e.units) & gone]
    if not named:
        return None
    out: list[AnyEffect] = []
    for effect in effects:
        if not isinstance(effect, Reinforce | Withdraw):
            out.append(effect)
            continue
        units = [u for u in effect.units if u not in gone]
        if units or (isinstance(effect, Withdraw) and effect.contingent):
            out.append(effect.model_copy(update={"units": units}))
    return out


def _plain(effects: list[AnyEffect]) -> list[dict[str, Any]]:
    return [e.model_dump(mode="json", exclude_defaults=True) for e in effects]


def _event_patch(event: Event, gone: set[str]) -> dict[str, Any]:
    """The event's effects with the units that are gone left out: every unit an event names must exist, even
    in an event that has fired (the AI reads what each event brings in)."""
    out: dict[str, Any] = {}
    effects = _effects_without(event.effects, gone)
    if effects is not None:
        out["effects"] = _plain(effects)
    if event.decision is not None:
        options = {}
        for option in event.decision.options:
            kept = _effects_without(option.effects, gone)
            if kept is not None:
                options[option.id] = {"effects": _plain(kept)}
        if options:
            out["decision"] = {"options": options}
    return out


def situation_patch(scenario: Scenario, now: Situation) -> dict[str, dict[str, Any]]:
    """The patch, by section, that makes `scenario` start in the week of `now` (only what differs)."""
    patch: dict[str, dict[str, Any]] = {}

    def put(section: str, name: str, change: dict[str, Any] | str) -> None:
        if change:
            patch.setdefault(section, {})[name] = change

    stores_weeks = scenario.rules.stores_weeks
    for unit in scenario.units:
        put("units", unit.id, _unit_patch(unit, now.units[unit.id], stores_weeks))
    for st in scenario.stations:
        change: dict[str, Any] = {}
        if now.control[st.id] != st.held_by:
            change["held_by"] = now.control[st.id]
        if st.port is not None and now.port_men[st.id] != st.port.men_per_week:
            change["port"] = {"men_per_week": now.port_men[st.id]}
        put("stations", st.id, change)
    for seg in scenario.segments:
        weeks = now.damage[seg.key]
        if weeks != seg.damage:
            put("segments", seg.key, {"damage": weeks})
    for sp in scenario.stockpiles:
        tons = round(now.tons[sp.id])
        if tons != sp.tons:
            put("stockpiles", sp.id, {"tons": tons})
    for rel in scenario.relations:
        a, b = rel.factions
        if now.stance[(a, b)] != rel.stance:
            put("relations", f"{a}-{b}", {"stance": now.stance[(a, b)]})
    for faction in scenario.factions:
        change = {}
        factor = round(now.supply_factor[faction.id], 4)
        if factor != faction.supply_factor:
            change["supply_factor"] = factor
        contingents = {}
        for c in faction.contingents:
            no_attack, region = now.limits[(faction.id, c.id)]
            if sorted(no_attack) != sorted(c.limits.no_attack) or region != c.limits.region:
                contingents[c.id] = {"limits": {"no_attack": no_attack, "region": region}}
        if contingents:
            change["contingents"] = contingents
        put("factions", faction.id, change)
    gone = {name for name, unit in now.units.items() if unit.status == "gone"}
    for event in scenario.events:
        put("events", event.id, _event_patch(event, gone))
    for mark in scenario.history:
        # A key city's key dates are reckoned from who held it at the start: the new start makes them new ones.
        if mark.date < now.start or mark.milestone.startswith((CHANGES_HANDS, RETURNS)):
            put("history", mark.milestone, REMOVE)
    return patch


def new_relations(scenario: Scenario, now: Situation) -> list[tuple[str, str, str]]:
    """Pairs of factions with no relation in the scenario that stand other than neutral in that week."""
    written = {frozenset(rel.factions) for rel in scenario.relations}
    ids = [f.id for f in scenario.factions]
    return [
        (a, b, now.stance[(a, b)])
        for i, a in enumerate(ids)
        for b in ids[i + 1 :]
        if frozenset((a, b)) not in written and now.stance[(a, b)] != "neutral"
    ]
