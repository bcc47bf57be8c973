"""What an event's or a decision's effects do, in the player's words: read from the scenario's effect values, so
the dialog tells what the rules will do rather than a copy of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from anabasis.engine import World
from anabasis.scenario.models import (
    AnyEffect,
    Arms,
    Cede,
    Cohesion,
    Damage,
    Limits,
    Reinforce,
    SetControl,
    SetLimits,
    SetStance,
    Shipping,
    SupplyFactor,
    VictoryPoints,
    Withdraw,
)
from anabasis_game.describe import capital, station_name, the

STANCES = {"war": "go to war", "neutral": "make peace and stand aside", "allied": "become allies"}
LISTED = 3  # units named before "and N more"


def faction(world: World, faction_id: str) -> str:
    """`the Allies`, as it reads inside a sentence."""
    return the(world.faction_names[world.faction_index[faction_id]])


def contingent(world: World, faction_id: str, contingent_id: str | None) -> str:
    """The contingent's name, or the whole faction's when there is none."""
    if contingent_id is None:
        return faction(world, faction_id)
    k = world.contingent_index[(faction_id, contingent_id)]
    return f"the {world.contingent_names[k]}"


def units(world: World, ids: list[str]) -> str:
    names = [world.unit_names[world.unit_index[u]] for u in ids]
    if len(names) > LISTED:
        return ", ".join(names[:LISTED]) + f" and {len(names) - LISTED} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def limits(world: World, rules: Limits) -> str:
    parts = []
    if rules.no_attack:
        parts.append("may not attack " + " or ".join(faction(world, f) for f in rules.no_attack))
    if rules.region is not None:
        parts.append(f"must stay in {world.region_names[world.region_ids.index(rules.region)]}")
    return " and ".join(parts) if parts else "may go anywhere and attack anyone"


def _stance(world: World, e: SetStance) -> str:
    a, b = (faction(world, f) for f in e.factions)
    return f"{capital(a)} and {b} {STANCES[e.stance]}"


def _control(world: World, e: SetControl) -> str:
    return f"{station_name(world, e.station)} passes to {faction(world, e.faction)}"


def _reinforce(world: World, e: Reinforce) -> str:
    return f"Reinforcements arrive: {units(world, e.units)}"


def _withdraw(world: World, e: Withdraw) -> str:
    gone = [contingent(world, e.faction, e.contingent)] if e.contingent is not None else []
    if e.units:
        gone.append(units(world, e.units))
    return "Withdrawn from the war: " + " and ".join(gone)


def _limits(world: World, e: SetLimits) -> str:
    return f"{capital(contingent(world, e.faction, e.contingent))} {limits(world, e.limits)}"


def _shipping(world: World, e: Shipping) -> str:
    port = station_name(world, e.station)
    if e.men_per_week == 0:
        return f"No more ships at {port}"
    return f"Ships at {port} take {e.men_per_week:,} men a week"


def _points(world: World, e: VictoryPoints) -> str:
    sign = "gain" if e.points >= 0 else "lose"
    return f"{capital(faction(world, e.faction))} {sign} {abs(e.points):g} victory points"


def _cohesion(world: World, e: Cohesion) -> str:
    way = "rises" if e.delta >= 0 else "falls"
    return f"The will to fight of {contingent(world, e.faction, e.contingent)} {way} by {abs(e.delta) * 100:.0f}%"


def _supply(world: World, e: SupplyFactor) -> str:
    way = "more" if e.factor >= 1 else "less"
    change = abs(e.factor - 1) * 100
    return f"The depots of {faction(world, e.faction)} issue {change:.0f}% {way} from now on"


def _arms(world: World, e: Arms) -> str:
    return f"{capital(contingent(world, e.faction, e.contingent))}: {e.arms * 100:.0f}% of the men armed from now on"


def _cede(world: World, e: Cede) -> str:
    which = ", ".join(station_name(world, s) for s in e.stations) if e.stations else "every station it holds"
    return f"{capital(faction(world, e.faction))} hands {which} to {faction(world, e.to)}"


def _damage(world: World, e: Damage) -> str:
    a, b = (station_name(world, s) for s in e.segment)
    return f"The line {a}–{b} is cut for {e.weeks} weeks"


WORDING: dict[type[Any], Callable[[World, Any], str]] = {
    SetStance: _stance,
    SetControl: _control,
    Reinforce: _reinforce,
    Withdraw: _withdraw,
    SetLimits: _limits,
    Shipping: _shipping,
    VictoryPoints: _points,
    Cohesion: _cohesion,
    SupplyFactor: _supply,
    Arms: _arms,
    Cede: _cede,
    Damage: _damage,
}


def effect_text(world: World, effect: AnyEffect) -> str:
    """One effect as a sentence without its full stop."""
    return WORDING[type(effect)](world, effect)


def effects_text(world: World, effects: tuple[AnyEffect, ...] | list[AnyEffect]) -> list[str]:
    """Every effect of an option (or event), in order; an option with none says so."""
    return [effect_text(world, e) for e in effects] or ["Nothing changes"]
