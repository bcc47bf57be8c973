"""What the player reads: units, stations, orders and each week's report in plain words.

Each function returns lines of (style, text); the screens decide how a style looks.
Styles: `title`, `head`, `text`, `dim`, `good`, `bad`, `warn`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import numpy as np

from anabasis.engine import (
    Answer,
    Attack,
    Blow,
    Destroy,
    Detrain,
    Entrain,
    Evacuate,
    GameState,
    Hold,
    Move,
    Order,
    Repair,
    Report,
    World,
)
from anabasis.engine.report import Battle
from anabasis.engine.world import NOBODY, UNIT_KINDS, IntArray

Line = tuple[str, str]
TIP_UNITS = 8  # unit lines a station's tooltip has room for

KIND_NAMES = {
    "infantry": "Infantry",
    "cavalry": "Cavalry",
    "artillery": "Artillery",
    "armoured_train": "Armoured train",
    "partisans": "Partisans",
}


def men(n: int | float) -> str:
    """3,000 men as `3,000`; for counters use `short_men`."""
    return f"{round(n):,}"


def short_men(n: int | float) -> str:
    """A strength that fits on a counter: 800, 3.5k, 12k."""
    n = round(n)
    if n < 1000:
        return str(n)
    if n < 10000:
        return f"{n / 1000:.1f}k"
    return f"{n / 1000:.0f}k"


def day(date: dt.date | str) -> str:
    d = dt.date.fromisoformat(date) if isinstance(date, str) else date
    return f"{d.day} {d:%B %Y}"


def the(name: str) -> str:
    """A faction's name inside a sentence: `The Allies` as `the Allies`, `Czechoslovak Legion` with `the`."""
    return "the " + (name[4:] if name.startswith("The ") else name)


# Words that end a unit's head phrase: `Echelons at Irkutsk`, `Battalion of the 7th Regiment`.
_PREPOSITIONS = frozenset({"at", "on", "of", "for", "from", "in", "to", "near", "under", "with"})
# Nouns in -s that name one body of troops.
_SINGULAR_IN_S = frozenset({"corps"})


def is_plural(name: str) -> bool:
    """Whether a unit's name is grammatically plural, judged by its head phrase: the words before any comma,
    parenthesis or preposition (`Chelyabinsk group echelons at Zlatoust`, `259th Battalion, Canadian Rifles`).
    Plural when they join two things with `and`, or end in a plural noun (`Guards`, `Cossacks`, `riflemen`)."""
    head: list[str] = []
    for word in re.sub(r"\([^)]*\)", " ", name).partition(",")[0].split():
        if word in _PREPOSITIONS:
            break
        head.append(word)
    if "and" in head:
        return True
    noun = head[-1].lower() if head else ""
    if noun.endswith("men"):
        return True
    return noun.endswith("s") and not noun.endswith(("ss", "'s")) and noun not in _SINGULAR_IN_S


def was(name: str) -> str:
    """`was`, or `were` after a plural name such as `Penza Red Guards and internationalists`."""
    return "were" if is_plural(name) else "was"


def capital(text: str) -> str:
    """`the Allies` at the start of a sentence."""
    return text[:1].upper() + text[1:]


def holder_name(world: World, holder: int) -> str:
    return "nobody" if holder == NOBODY else the(world.faction_names[holder])


def station_name(world: World, station_id: str) -> str:
    k = world.station_index.get(station_id)
    return world.station_names[k] if k is not None else station_id


def segment_label(world: World, name: str) -> str:
    a, _, b = name.partition("-")
    return f"{station_name(world, a)}–{station_name(world, b)}"


def position(world: World, where: str) -> tuple[int, int, float]:
    """A position as the engine reports it (`omsk`, or `omsk-tatarskaya@120km`) as (station, segment, km from
    the segment's first station); -1 for the one it is not."""
    if "@" not in where:
        return world.station_index[where], -1, 0.0
    seg, _, km = where.partition("@")
    return -1, world.segment_index[seg], float(km.removesuffix("km"))


def place(world: World, where: str) -> str:
    """A position as the engine reports it, in words."""
    station, seg, km = position(world, where)
    if station >= 0:
        return world.station_names[station]
    a = int(world.seg_a[seg])
    return f"on the line {segment_label(world, world.segment_names[seg])}, {km:g} km from {world.station_names[a]}"


def order_text(world: World, order: Order) -> str:
    """An order as the player would say it."""
    if isinstance(order, Move):
        return f"Move to {station_name(world, order.to)}"
    if isinstance(order, Attack):
        return f"Attack {station_name(world, order.station)}"
    if isinstance(order, Blow):
        return f"Blow the line {segment_label(world, order.segment)}"
    if isinstance(order, Repair):
        return f"Repair the line {segment_label(world, order.segment)}"
    if isinstance(order, Destroy):
        k = world.stockpile_index.get(order.stockpile)
        return f"Destroy {world.stockpile_names[k] if k is not None else order.stockpile}"
    if isinstance(order, Answer):
        k = world.event_index.get(order.event)
        if k is not None:
            labels = {oid: label for oid, label, _ in world.events[k].options}
            return f"{world.events[k].name}: {labels.get(order.option, order.option)}"
    simple: dict[type[Order], str] = {
        Entrain: "Board the trains",
        Detrain: "Leave the trains",
        Hold: "Hold and dig in",
        Evacuate: "Embark",
    }
    return simple.get(type(order), str(order))


def limits(state: GameState, unit: int) -> list[str]:
    """The contingent's limits, as its government set them."""
    w = state.world
    c = int(w.unit_contingent[unit])
    if c < 0:
        return []
    out = [f"Will not attack {the(w.faction_names[f])}" for f in np.flatnonzero(state.no_attack[c]).tolist()]
    if state.region[c] >= 0:
        out.append(f"Must stay in the region: {w.region_names[int(state.region[c])]}")
    return out


def where_is(state: GameState, unit: int) -> str:
    w = state.world
    if state.station[unit] >= 0:
        return f"At {w.station_names[int(state.station[unit])]}"
    seg = int(state.segment[unit])
    a, b = int(w.seg_a[seg]), int(w.seg_b[seg])
    return (
        f"On the line {w.station_names[a]}–{w.station_names[b]}, "
        f"{state.progress[unit]:.0f} km from {w.station_names[a]}"
    )


def unit_lines(state: GameState, unit: int, order: Order | None, supply: list[Line], week_km: float) -> list[Line]:
    """The unit panel: who it is, how strong and how fed (the `supply` lines), where, its limits and its order."""
    w = state.world
    f = int(w.unit_faction[unit])
    c = int(w.unit_contingent[unit])
    kind = KIND_NAMES[UNIT_KINDS[int(w.unit_kind[unit])]]
    lines: list[Line] = [("title", w.unit_names[unit])]
    who = w.faction_names[f] + (f" — {w.contingent_names[c]}" if c >= 0 else "")
    lines.append(("dim", f"{kind}, {who}"))
    if w.unit_commander[unit]:
        lines.append(("dim", f"Commander: {w.unit_commander[unit]}"))
    lines.append(("text", f"Strength: {men(int(state.men[unit]))} men, {state.arms[unit]:.0%} armed"))
    lines += supply
    lines.append(("text", f"Cohesion: {state.cohesion[unit]:.0%} (at most {state.cohesion_cap[unit]:.0%})"))
    travel = "on its trains" if state.entrained[unit] else "on foot"
    dug = ", dug in" if state.dug_in[unit] else ""
    lines.append(("text", f"{where_is(state, unit)}, {travel}{dug}"))
    lines.append(("dim", f"Covers {week_km:.0f} km a week {'by rail' if state.entrained[unit] else 'marching'}"))
    if state.goal[unit] >= 0:
        lines.append(("text", f"Heading for {w.station_names[int(state.goal[unit])]}"))
    if state.embarking[unit]:
        lines.append(("text", "Waiting for ships"))
    for limit in limits(state, unit):
        lines.append(("warn", limit))
    if order is not None:
        lines.append(("good", f"Order: {order_text(w, order)}"))
    else:
        lines.append(("dim", "No new order this week"))
    return lines


def station_lines(state: GameState, station: int, key: bool) -> list[Line]:
    """The station panel: who holds it, what is there, what it is worth."""
    w = state.world
    lines: list[Line] = [("title", w.station_names[station])]
    lines.append(("text", f"Held by {holder_name(w, int(state.control[station]))}"))
    facts = [w.station_kind[station].capitalize()]
    if w.depot[station] > 0:
        facts.append(f"depot {w.depot[station]:g}")
    if w.fortification[station] > 0:
        facts.append(f"fortification {int(w.fortification[station])}")
    if w.has_port[station]:
        facts.append(f"port, ships for {men(int(state.port_men[station]))} men a week")
    lines.append(("dim", ", ".join(facts)))
    if key:
        lines.append(("warn", "An objective: holding it scores points"))
    for k in np.flatnonzero(w.stockpile_station == station).tolist():
        lines.append(("text", f"{w.stockpile_names[k]}: {state.stockpile_tons[k]:,.0f} t"))
    for u in state.units_at(station):
        lines.append(("text", f"{w.unit_names[u]} ({w.faction_names[w.unit_faction[u]]}, {men(int(state.men[u]))})"))
    return lines


def battle_line(world: World, battle: Battle) -> Line:
    att = the(world.faction_names[world.faction_index[battle.attacker]])
    dfn = the(world.faction_names[world.faction_index[battle.defender]]) if battle.defender else "nobody"
    outcome = f"{att} took it" if battle.attacker_won else f"{dfn} held"
    text = (
        f"Battle at {station_name(world, battle.station)}: {att} attacked {dfn} "
        f"({battle.attack:,.0f} v {battle.defence:,.0f}, {battle.chance:.0%} chance); {outcome}. "
        f"Losses {men(battle.attacker_losses)} and {men(battle.defender_losses)}."
    )
    retreats = [
        f"{world.unit_names[world.unit_index[u]]} fell back to {station_name(world, s)}" for u, s in battle.retreats
    ]
    destroyed = [f"{(name := world.unit_names[world.unit_index[u]])} {was(name)} destroyed" for u in battle.destroyed]
    if retreats or destroyed:
        text += " " + "; ".join(retreats + destroyed) + "."
    return ("good" if battle.attacker_won else "bad", text)


def _happening(world: World, kind: str, subject: str, text: str) -> Line | None:
    unit = world.unit_index.get(subject)
    name = world.unit_names[unit] if unit is not None else subject
    if kind == "event":
        return ("head", f"Event: {text}")
    if kind == "decision":
        k = world.event_index[subject]
        option, _, by = text.partition(" ")
        labels = {oid: label for oid, label, _ in world.events[k].options}
        who = "by default" if by == "(default)" else ""
        return ("text", f"Decision on {world.events[k].name}: {labels.get(option, option)} {who}".rstrip())
    if kind == "arrival":
        return ("text", f"Arrived: {name} at {station_name(world, text)}")
    if kind == "departure":
        return ("text", f"Gone home: {name} ({text})")
    if kind == "evacuation":
        n, _, rest = text.partition(" men shipped from ")
        return ("good", f"Shipped out: {n} men of {name} from {station_name(world, rest)}")
    if kind == "blown":
        return ("warn", f"Line blown: {segment_label(world, subject)} ({text.partition(': ')[2]})")
    if kind == "repair":
        return ("text", f"Repairs on {segment_label(world, subject)}: {text}")
    if kind == "destroyed":
        return ("warn", f"Destroyed: {subject.replace('_', ' ')} ({text})")
    if kind == "control":
        return ("text", f"{station_name(world, subject)} passes to {holder_name(world, world.faction_index[text])}")
    if kind == "withdrawal":
        here, _, there = text.partition(" to ")
        return ("warn", f"{name} leaves {station_name(world, here)} for {station_name(world, there)} without a fight")
    if kind == "captured":
        return ("warn", f"{name} is taken prisoner at {station_name(world, text)}")
    if kind == "stance":
        a, _, b = subject.partition("-")
        return stance_line(world, a, b, text)
    return None


def stance_line(world: World, a: str, b: str, stance: str) -> Line:
    """Two factions' new stance, as the report and the event that changed it both say it: `are now at war`."""
    names = [the(world.faction_names[world.faction_index[x]]) for x in (a, b)]
    now = "at war" if stance == "war" else "allies" if stance == "allied" else stance
    return ("warn", f"{capital(names[0])} and {names[1]} are now {now}")


def control_changes(world: World, before: IntArray, after: IntArray) -> list[Line]:
    changed = np.flatnonzero(before != after).tolist()
    return [
        (
            "text",
            f"{world.station_names[s]}: {holder_name(world, int(before[s]))} → {holder_name(world, int(after[s]))}",
        )
        for s in changed
    ]


def _news_start(report: Report) -> int:
    """Where the happenings of the new week begin: decisions that timed out, arrivals, events.

    A turn's report tells first what was done in the week, then what the next week opened with.
    """
    for k, h in enumerate(report.happenings):
        if h.kind in ("event", "arrival") or (h.kind == "decision" and h.text.endswith("(default)")):
            return k
    return len(report.happenings)


def report_lines(
    world: World, report: Report, faction: str | None, before: IntArray, after: IntArray, *, opening: bool = False
) -> list[Line]:
    """What happened in a week, for the player of `faction` (None: an onlooker, told every side's moves alike);
    or, for the opening report, how the war begins."""
    f = world.faction_index[faction] if faction is not None else -1
    split = 0 if opening else _news_start(report)
    lines: list[Line] = [("title", f"{day(report.date)}: the start" if opening else f"Week of {day(report.date)}")]
    for h in report.happenings[:split]:
        line = _happening(world, h.kind, h.subject, h.text)
        if line is not None:
            lines.append(line)
    lines.extend(battle_line(world, b) for b in report.battles)
    lines.extend(control_changes(world, before, after))
    mine = [m for m in report.moves if world.unit_faction[world.unit_index[m.unit]] == f]
    for m in mine:
        stop = f" (stopped: {m.stopped})" if m.stopped else ""
        journey = f"{place(world, m.start)} → {place(world, m.end)}, {m.km:,.0f} km{stop}"
        lines.append(("text", f"{world.unit_names[world.unit_index[m.unit]]}: {journey}"))
    others = Counter(
        world.faction_names[world.unit_faction[world.unit_index[m.unit]]] for m in report.moves if m not in mine
    )
    for name, n in sorted(others.items()):
        lines.append(("dim", f"{capital(the(name))} moved {n} unit{'s' if n > 1 else ''}"))
    for s in report.shortages:
        u = world.unit_index[s.unit]
        if world.unit_faction[u] == f:
            lost = f", {men(s.men_lost)} men lost" if s.men_lost else ""
            lines.append(("bad", f"Out of supply: {world.unit_names[u]}{lost}"))
    for r in report.refused:
        if r.faction == faction:
            lines.append(("bad", f"Refused: {r.order}: {r.reason}"))
    news = [line for h in report.happenings[split:] if (line := _happening(world, h.kind, h.subject, h.text))]
    if news and not opening:
        lines.append(("head", f"News of the week of {day(world.date_of(report.turn + 1))}"))
    return lines + news


def station_tip(state: GameState, station: int, km: float | None, week_km: float) -> list[str]:
    """The tooltip over a station: who holds it, who is there, and how far the selected unit has to go."""
    w = state.world
    holder = int(state.control[station])
    lines = [f"{w.station_names[station]} — {holder_name(w, holder)}"]
    lines += units_by_faction(state, state.units_at(station), first=holder)
    if km is not None and np.isfinite(km):
        weeks = max(1, int(np.ceil(km / max(week_km, 1.0))))
        lines.append(f"{km:,.0f} km by rail, about {weeks} week{'s' if weeks > 1 else ''}")
    return lines


def units_by_faction(state: GameState, units: list[int], first: int = NOBODY, room: int = TIP_UNITS) -> list[str]:
    """Units grouped under their faction (`first`'s group first), each group headed by its count and men; at most
    `room` unit lines in all, shared so that every faction shows, each cut group ending `+N more`."""
    w = state.world
    groups: dict[int, list[int]] = {}
    for u in units:
        groups.setdefault(int(w.unit_faction[u]), []).append(u)
    order = sorted(groups, key=lambda f: (f != first, f))
    shown = dict.fromkeys(order, 0)
    while sum(shown.values()) < room and any(shown[f] < len(groups[f]) for f in order):
        for f in order:
            if shown[f] < len(groups[f]) and sum(shown.values()) < room:
                shown[f] += 1
    lines: list[str] = []
    for f in order:
        group = groups[f]
        count = f"{len(group)} unit{'s' if len(group) > 1 else ''}"
        lines.append(f"{w.faction_names[f]}: {count}, {men(int(state.men[group].sum()))} men")
        lines += [f"   {w.unit_names[u]}: {men(int(state.men[u]))}" for u in group[: shown[f]]]
        if len(group) > shown[f]:
            lines.append(f"   +{len(group) - shown[f]} more")
    return lines


def last_week_lines(world: World, report: Report) -> list[Line]:
    """The week just played in brief, beside its moves and battles on the map: each battle's outcome and each
    event that fired."""
    lines: list[Line] = [("head", f"Last week, the week of {day(report.date)}")]
    for b in report.battles:
        att = the(world.faction_names[world.faction_index[b.attacker]])
        dfn = the(world.faction_names[world.faction_index[b.defender]]) if b.defender else "nobody"
        where = station_name(world, b.station)
        outcome = f"{att} took it from {dfn}" if b.attacker_won else f"{dfn} held it against {att}"
        lines.append(("good" if b.attacker_won else "bad", f"Battle at {where}: {outcome}"))
    lines += [("text", f"Event: {world.events[world.event_index[e]].name}") for e in report.events]
    if len(lines) == 1:
        lines.append(("dim", "No battle was fought and no event fired"))
    return lines


def segment_tip(state: GameState, seg: int) -> list[str]:
    """The tooltip over the track: its line, length, track, capacity, bridges, and damage."""
    w = state.world
    spec = w.scenario.segments[seg]
    lines = [
        f"{w.seg_line[seg]}: {w.station_names[w.seg_a[seg]]}–{w.station_names[w.seg_b[seg]]}",
        f"{w.seg_km[seg]:,.0f} km, {spec.track} track, {spec.trains_per_day:g} trains a day",
    ]
    lines += [f"{f.kind.capitalize()}: {f.name}" for f in spec.features]
    if state.damage[seg] > 0:
        lines.append(f"Cut: {int(state.damage[seg])} weeks of repair")
    return lines
