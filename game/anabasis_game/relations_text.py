"""The diplomacy panel in words: how every two factions stand now, and which events and decisions of the
scenario will change it, with when or on what they fire."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from anabasis.engine import GameState, World
from anabasis.engine.relations import StanceChange, changes_between, the
from anabasis.engine.world import ALLIED, NEUTRAL, WAR
from anabasis.scenario.models import After, AnyOf, Chosen, Controls, Evacuated, Fired, MenAtMost, Not
from anabasis_game.describe import Line, capital, day, men

STANCE_WORDS = {ALLIED: "allies", WAR: "at war"}  # and neutral otherwise
STANCE_STYLES = {ALLIED: "good", WAR: "bad"}
CHANGE_WORDS = {ALLIED: "become allies", NEUTRAL: "turn neutral", WAR: "go to war"}


def _faction(world: World, faction_id: str) -> str:
    return the(world.faction_names[world.faction_index[faction_id]])


def _event(world: World, event_id: str) -> str:
    return f"“{world.events[world.event_index[event_id]].name}”"


def _option(world: World, event_id: str, option_id: str) -> str:
    event = world.events[world.event_index[event_id]]
    return next(f"“{label}”" for oid, label, _ in event.options if oid == option_id)


_CONDITIONS: dict[type, Callable[[World, Any], str]] = {
    Controls: lambda w, c: f"{w.station_names[w.station_index[c.station]]} held by {_faction(w, c.faction)}",
    Fired: lambda w, c: f"after {_event(w, c.event)}",
    Chosen: lambda w, c: f"{_event(w, c.event)} answered {_option(w, c.event, c.option)}",
    After: lambda w, c: f"from {day(c.date)}",
    MenAtMost: lambda w, c: f"{_faction(w, c.faction)} down to {men(c.men)} men on the map",
    Evacuated: lambda w, c: f"{men(c.men)} men of {_faction(w, c.faction)} shipped out",
    AnyOf: lambda w, c: " or ".join(condition(w, x) for x in c.of),
    Not: lambda w, c: f"not ({condition(w, c.condition)})",
}


def condition(world: World, cond: Any) -> str:
    """One condition of an event, as a player reads it."""
    return _CONDITIONS[type(cond)](world, cond)


def stance_word(stance: int) -> str:
    return STANCE_WORDS.get(stance, "neutral")


def _when(state: GameState, change: StanceChange) -> str:
    """When the change comes: its event's date and conditions, and for a decision, whose answer it is."""
    w = state.world
    event = w.events[change.event]
    parts = []
    if state.fired[change.event]:
        parts.append("the decision is waiting")
    else:
        if event.turn is not None:
            parts.append(f"{'from' if event.when else 'on'} {day(w.date_of(max(event.turn, 0)))}")
        parts += [condition(w, c) for c in event.when]
    if change.option >= 0:
        deciding = the(w.faction_names[event.decision_faction])
        parts.append(f"if “{event.options[change.option][1]}” is chosen by {deciding}")
    return "; ".join(parts)


def relations_lines(state: GameState, player: int) -> list[Line]:
    """How every two factions stand, the player's first, and what will change each."""
    w = state.world
    n = w.n_factions
    pairs = sorted(((a, b) for a in range(n) for b in range(a + 1, n)), key=lambda p: player not in p)
    lines: list[Line] = [("head", "Now")]
    for a, b in pairs:
        stance = int(state.stance[a, b])
        pair = f"{capital(the(w.faction_names[a]))} and {the(w.faction_names[b])}"
        lines.append((STANCE_STYLES.get(stance, "warn"), f"{pair}: {stance_word(stance)}"))
    lines += [("text", ""), ("head", "What will change it")]
    coming = [(a, b, c) for a, b in pairs for c in changes_between(state, a, b) if c.stance != state.stance[a, b]]
    for a, b, change in coming:
        pair = f"{capital(the(w.faction_names[a]))} and {the(w.faction_names[b])}"
        lines.append(("text", f"{pair} {CHANGE_WORDS[change.stance]}: “{w.events[change.event].name}”"))
        lines.append(("dim", f"    {_when(state, change)}"))
    if not coming:
        lines.append(("dim", "Nothing in the scenario will change how the factions stand."))
    return lines
