"""Which events concern a side: those that always come up to be read as they happen. The others may go to the log
only (`Settings.others_in_log`): a line there, no dialog to click through."""

from __future__ import annotations

from anabasis.engine import GameState
from anabasis.scenario.models import (
    AnyEffect,
    AnyOf,
    Cede,
    Chosen,
    Condition,
    Controls,
    Damage,
    Evacuated,
    MenAtMost,
    Not,
    Reinforce,
    SetControl,
    SetStance,
    Shipping,
)


def _named(state: GameState, effect: AnyEffect) -> set[int]:
    """The factions an effect names, or whose units, stations or lines it touches."""
    w = state.world
    if isinstance(effect, SetStance):
        return {w.faction_index[f] for f in effect.factions}
    if isinstance(effect, Reinforce):
        return {int(w.unit_faction[w.unit_index[u]]) for u in effect.units}
    if isinstance(effect, Damage):
        return {int(state.control[w.station_index[s]]) for s in effect.segment}
    if isinstance(effect, Shipping):
        return {int(state.control[w.station_index[effect.station]])}
    named = {w.faction_index[effect.faction]}
    if isinstance(effect, SetControl):
        named.add(int(state.control[w.station_index[effect.station]]))
    if isinstance(effect, Cede):
        named.add(w.faction_index[effect.to])
    return named


def _watched(state: GameState, condition: Condition) -> set[int]:
    """The factions a condition of the event watches: a station they hold, their men, their own answer."""
    w = state.world
    if isinstance(condition, Controls | MenAtMost | Evacuated):
        return {w.faction_index[condition.faction]}
    if isinstance(condition, Chosen):
        return {w.events[w.event_index[condition.event]].decision_faction}
    if isinstance(condition, AnyOf):
        return set().union(*(_watched(state, c) for c in condition.of))
    if isinstance(condition, Not):
        return _watched(state, condition.condition)
    return set()


def concerns(state: GameState, event: int, faction: int) -> bool:
    """Whether the decision is `faction`'s to take, `faction` is named in the event's effects, its options' or
    the conditions it fired on (a station of theirs handed over, a rising their troops set off), or the scenario
    says the event is news to them."""
    w = state.world
    e = w.events[event]
    if w.faction_ids[faction] in w.scenario.events[event].news_for:
        return True
    if e.decision_faction == faction or any(faction in _watched(state, c) for c in e.when):
        return True
    effects = [*e.effects, *(effect for _, _, option in e.options for effect in option)]
    return any(faction in _named(state, effect) for effect in effects)
