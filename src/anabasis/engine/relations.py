"""How the factions stand toward each other, what in the scenario will change it, and what standing beside a
faction one is not at war with means for a move: the diplomacy a player reads."""

from __future__ import annotations

from dataclasses import dataclass

from anabasis.engine.orders import Move, Order
from anabasis.engine.state import GameState
from anabasis.engine.world import ALLIED, NEUTRAL, NOBODY, STANCES, WAR, World
from anabasis.scenario.models import SetStance


@dataclass(frozen=True, slots=True)
class StanceChange:
    """An event, or one option of a decision, that sets how two factions stand.

    `option` is the option's index in the event's decision, or -1 when the event itself does it.
    """

    event: int
    option: int
    factions: tuple[int, int]
    stance: int


def the(name: str) -> str:
    """A faction's name inside a sentence: `The Allies` as `the Allies`, `Czechoslovak Legion` with `the`."""
    return "the " + (name[4:] if name.startswith("The ") else name)


def stance_changes(world: World) -> list[StanceChange]:
    """Every `stance` effect of the scenario's events and decision options, in the scenario's order."""
    changes = []
    for k, event in enumerate(world.events):
        sources = [(-1, event.effects), *((i, effects) for i, (_, _, effects) in enumerate(event.options))]
        for option, effects in sources:
            for effect in effects:
                if isinstance(effect, SetStance):
                    a, b = (world.faction_index[f] for f in effect.factions)
                    changes.append(StanceChange(k, option, (a, b), STANCES.index(effect.stance)))
    return changes


def still_to_come(state: GameState, change: StanceChange) -> bool:
    """Whether `change` may yet happen: its event has not fired (nor run out of time), or its decision is open."""
    event = state.world.events[change.event]
    if not state.fired[change.event]:
        return event.last_turn is None or event.last_turn >= state.turn
    return change.option >= 0 and int(state.chosen[change.event]) < 0


def changes_between(state: GameState, a: int, b: int) -> list[StanceChange]:
    """The changes still to come to how `a` and `b` stand toward each other."""
    return [c for c in stance_changes(state.world) if set(c.factions) == {a, b} and still_to_come(state, c)]


def not_at_war(state: GameState, faction: int, other: int) -> str:
    """Why `faction` may not attack `other`, in words: allies, or not at war (yet, if something may change it)."""
    w = state.world
    pair = f"{the(w.faction_names[faction])} and {the(w.faction_names[other])}"
    if state.stance[faction, other] == ALLIED:
        return f"{pair} are allies"
    coming = any(c.stance == WAR for c in changes_between(state, faction, other))
    return f"{pair} are not at war{' yet' if coming else ''}"


def _until(state: GameState, faction: int, change: StanceChange) -> str:
    """When a coming war starts, in words: the event and its week, or the answer to a decision that declares it."""
    w = state.world
    event = w.events[change.event]
    if change.option >= 0:
        who = (
            "you answer"
            if event.decision_faction == faction
            else f"{the(w.faction_names[event.decision_faction])} answers"
        )
        return f"{who} “{event.name}” with “{event.options[change.option][1]}”"
    if event.turn is None:
        return f"“{event.name}”"
    week = w.date_of(max(event.turn, state.turn))
    return f"“{event.name}” ({'from ' if event.when else ''}the week of {week.day} {week:%B %Y})"


def _first_war(state: GameState, faction: int, others: list[int]) -> StanceChange | None:
    """The earliest change still to come that puts `faction` at war with one of `others`: dated ones by their
    week, a decision already waiting first, conditional events without a date last."""
    wars = [c for f in others for c in changes_between(state, faction, f) if c.stance == WAR]

    def week(change: StanceChange) -> int:
        turn = state.world.events[change.event].turn
        return state.turn if state.fired[change.event] else turn if turn is not None else 1 << 30

    return min(wars, key=week, default=None)


def move_warning(state: GameState, faction: int, order: Order) -> str | None:
    """What a legal move into a station held or manned by a faction one is not at war with will mean, said before
    it is given: the troops stand beside them and cannot attack them until the scenario brings war, if it ever
    does, and the station stays theirs (moves change no hands; only battles and events do)."""
    if not isinstance(order, Move):
        return None
    w = state.world
    to = w.station_index.get(order.to, -1)
    if to < 0:
        return None
    holder = int(state.control[to])
    there = {holder, *(int(w.unit_faction[u]) for u in state.units_at(to))} - {NOBODY, faction}
    neutrals = sorted(f for f in there if state.stance[faction, f] == NEUTRAL)
    if not neutrals:
        return None
    station = w.station_names[to]
    guests = " and ".join(the(w.faction_names[f]) for f in neutrals if f != holder)
    if holder in neutrals:
        lead = f"{station} is held by {the(w.faction_names[holder])}" + (f", with troops of {guests}" if guests else "")
    else:
        lead = f"troops of {guests} stand at {station}"
    war = _first_war(state, faction, neutrals)
    beside = "your troops will stand beside them and cannot attack"
    if war is None:
        stand = f"you are not at war with them: {beside} them"
    else:
        stand = f"you are not at war with them yet: {beside} until {_until(state, faction, war)}"
    return f"{lead}; {stand}" + ("; the station stays theirs" if holder in neutrals else "")
