"""Checks across records: every id a record names exists, ids are unique, networks hang together, dates fit.

pydantic checks each record on its own; these checks need the whole scenario, and all problems are
collected so an author fixes them in one pass.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from anabasis.scenario.assemble import Assembled
from anabasis.scenario.keydates import LINK_UP, dated_city, key_dates
from anabasis.scenario.models import (
    AnyEffect,
    AnyOf,
    Arms,
    Cede,
    Chosen,
    Cohesion,
    Condition,
    Controls,
    Damage,
    Doctrine,
    Evacuated,
    Event,
    Fired,
    HistoryMark,
    MenAtMost,
    Not,
    Reinforce,
    Scenario,
    SetControl,
    SetLimits,
    SetStance,
    Shipping,
    SupplyFactor,
    VictoryPoints,
    Withdraw,
)
from anabasis.scenario.problems import Path, Problem


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class _Checker:
    def __init__(self, scenario: Scenario, doc: Assembled, invalid: Invalid) -> None:
        self.s = scenario
        self.doc = doc
        self.invalid = invalid
        self.problems: list[Problem] = []
        # Ids of records that failed validation still count as defined, to avoid a second, false alarm.
        self.stations = {st.id for st in scenario.stations} | invalid.ids("stations")
        self.factions = {f.id for f in scenario.factions} | invalid.ids("factions")
        self.contingents = {(f.id, c.id) for f in scenario.factions for c in f.contingents}
        self.units = {u.id: u for u in scenario.units}
        self.events = {e.id: e for e in scenario.events}
        self.regions = {r.id for r in scenario.regions} | invalid.ids("regions")
        self.stockpiles = {sp.id for sp in scenario.stockpiles} | invalid.ids("stockpiles")
        self.segments = {frozenset((seg.a, seg.b)) for seg in scenario.segments} | invalid.pairs
        meta = scenario.scenario
        # Events that happened before the start: their dates lie in the past and what they did is in the state.
        self.past = set(meta.fired) | set(meta.chosen) if meta is not None else set()
        self.answered = set(meta.chosen) if meta is not None else set()

    def report(self, path: Path, message: str) -> None:
        self.problems.append(self.doc.problem(path, message))

    def ref(self, path: Path, name: str, known: Iterable[str], what: str) -> bool:
        known = list(known)
        if name in known or name in self.invalid.ids(what + "s") or what + "s" in self.invalid.sections:
            return True
        self.report(path, f"no {what} {name!r}{_suggest(name, known)}")
        return False

    def station(self, path: Path, name: str) -> bool:
        return self.ref(path, name, self.stations, "station")

    def faction(self, path: Path, name: str) -> bool:
        return self.ref(path, name, self.factions, "faction")

    def contingent(self, path: Path, faction: str, name: str) -> None:
        if (
            faction in self.factions
            and (faction, name) not in self.contingents
            and faction not in self.invalid.ids("factions")
        ):
            own = [c for f, c in self.contingents if f == faction]
            self.report(path, f"faction {faction!r} has no contingent {name!r}{_suggest(name, own)}")

    def unique(self, section: str, ids: Sequence[str], what: str) -> None:
        first: dict[str, int] = {}
        for i, name in enumerate(ids):
            if name in first:
                file, line = self.doc.locate((section, first[name]))
                hint = ""
                if file != self.doc.locate((section, i))[0]:
                    hint = f"; to change that {what} from this file, patch it (`patch: {{{section}: {{{name}: ...}}}}`)"
                self.report((section, i, "id"), f"{what} id {name!r} is used twice (first at {file}:{line}){hint}")
            else:
                first[name] = i

    def in_window(self, path: Path, day: dt.date | None, what: str, *, must_fire: bool = False) -> None:
        """Dated things in the scenario's own file fall inside it. An included file may look past a short
        scenario's end, and before a later start (an arrival comes in the first week, a window opens early), but
        an event it dates before the start must be listed as fired: it would fire in the first week otherwise."""
        window = (self.s.meta.start, self.s.meta.end) if self.s.scenario is not None else self.invalid.window
        if day is None or window is None:
            return
        first, last = window
        own_file = self.doc.locate(path)[0] == self.doc.top
        if day < first and own_file:
            self.report(
                path,
                f"{what} {day} is before the scenario starts ({first}); "
                "put what happened earlier into the starting situation",
            )
        elif day < first and must_fire:
            self.report(
                path,
                f"{what} {day} is before the scenario starts ({first}); list the event in `scenario.fired` "
                "if it has happened, or remove it with `patch`",
            )
        elif day > last and own_file:
            self.report(path, f"{what} {day} is after the scenario ends ({last})")

    # --- sections ---------------------------------------------------------------------------------

    def check(self) -> list[Problem]:
        if self.s.scenario is None and "scenario" not in self.invalid.sections:
            self.report(
                ("scenario",),
                "a scenario needs a `scenario:` block (id, title, start, end); "
                "a fragment is checked through a scenario that includes it",
            )
            return self.problems
        if self.s.victory is None and "victory" not in self.invalid.sections:
            self.report(("victory",), "a scenario needs a `victory:` block with sides and objectives")
        self.check_network()
        self.check_factions()
        self.check_units()
        self.check_stockpiles_and_traffic()
        self.check_events()
        self.check_victory()
        self.check_doctrines()
        self.check_history()
        self.check_past()
        return self.problems

    def check_past(self) -> None:
        """`scenario.fired` and `scenario.chosen` name events, and decisions with their options."""
        meta = self.s.scenario
        if meta is None:
            return
        for i, name in enumerate(meta.fired):
            self.ref(("scenario", "fired", i), name, self.events, "event")
        for name, option in meta.chosen.items():
            at: Path = ("scenario", "chosen", name)
            event = self.events.get(name)
            if not self.ref(at, name, self.events, "event") or event is None:
                continue
            if event.decision is None:
                self.report(at, f"event {name!r} puts no decision to anyone; list it in `scenario.fired`")
                continue
            options = [o.id for o in event.decision.options]
            if option not in options:
                self.report(at, f"event {name!r} has no option {option!r}{_suggest(option, options)}")

    def check_doctrines(self) -> None:
        seen: dict[str, int] = {}
        for i, d in enumerate(self.s.doctrines):
            at: Path = ("doctrines", i)
            if self.faction((*at, "faction"), d.faction) and d.faction in seen:
                file, line = self.doc.locate(("doctrines", seen[d.faction]))
                self.report((*at, "faction"), f"faction {d.faction!r} has a doctrine already (at {file}:{line})")
            seen.setdefault(d.faction, i)
            for name in ("base", "rear", "line"):
                station = getattr(d, name)
                if station is not None:
                    self.station((*at, name), station)
            for k, region in enumerate(d.hold_fire_in or []):
                self.ref((*at, "hold_fire_in", k), region, self.regions, "region")
            self.answers(at, d)
            self.unique_in((*at, "phases"), [ph.id for ph in d.phases], "phase")
            for k, phase in enumerate(d.phases):
                if phase.line is not None:
                    self.station((*at, "phases", k, "line"), phase.line)
                for j, region in enumerate(phase.hold_fire_in or []):
                    self.ref((*at, "phases", k, "hold_fire_in", j), region, self.regions, "region")
                for j, cond in enumerate(phase.when):
                    self.condition((*at, "phases", k, "when", j), cond)

    def answers(self, at: Path, d: Doctrine) -> None:
        answered: set[str] = set()
        for k, answer in enumerate(d.answers):
            here: Path = (*at, "answers", k)
            event = self.events.get(answer.decision)
            if not self.ref((*here, "decision"), answer.decision, self.events, "event") or event is None:
                continue  # unknown (reported), or an event that failed validation itself
            decision = event.decision
            if decision is None:
                self.report((*here, "decision"), f"event {answer.decision!r} puts no decision to anyone")
                continue
            if decision.faction != d.faction:
                self.report(
                    (*here, "decision"),
                    f"the decision of {answer.decision!r} is {decision.faction!r}'s to answer, not {d.faction!r}'s",
                )
            if answer.decision in answered:
                self.report((*here, "decision"), f"decision {answer.decision!r} is answered twice")
            answered.add(answer.decision)
            options = [o.id for o in decision.options]
            chosen = [answer.choose] if isinstance(answer.choose, str) else list(answer.choose)
            for option in chosen:
                if option not in options:
                    self.report(
                        (*here, "choose"),
                        f"event {answer.decision!r} has no option {option!r}{_suggest(option, options)}; "
                        f"its options are {', '.join(options)}",
                    )

    def check_history(self) -> None:
        """Each historical date names a key date this scenario's games report, once."""
        if {"stations", "factions", "victory"} & (self.invalid.sections | self.invalid.partial):
            return  # the key dates depend on those: an author fixes them first
        known = key_dates(self.s)
        seen: dict[str, int] = {}
        for i, mark in enumerate(self.s.history):
            path = ("history", i, "milestone")
            self.check_link(i, mark)
            if mark.milestone not in known and mark.milestone != LINK_UP:  # a link-up's own problems are above
                city = dated_city(mark.milestone)
                if city is not None and city not in self.stations:
                    hint = f": no station {city!r}{_suggest(city, self.stations)}"
                else:
                    hint = _suggest(mark.milestone, known) or f"; key dates are: {', '.join(known)}"
                self.report(path, f"no key date {mark.milestone!r}{hint}")
            elif mark.milestone in seen:
                file, line = self.doc.locate(("history", seen[mark.milestone]))
                self.report(path, f"key date {mark.milestone!r} is given twice (first at {file}:{line})")
            else:
                seen[mark.milestone] = i

    def check_link(self, i: int, mark: HistoryMark) -> None:
        """The link-up names whose groups link up and the two stations; no other key date takes them."""
        here = ("history", i)
        if mark.milestone != LINK_UP:
            if mark.faction is not None or mark.between:
                self.report((*here, "faction" if mark.faction is not None else "between"), "only `link_up` takes it")
            return
        if mark.faction is None:
            self.report((*here, "faction"), "`link_up` needs the faction whose groups link up")
        elif mark.faction not in self.factions:
            self.report((*here, "faction"), f"no faction {mark.faction!r}{_suggest(mark.faction, self.factions)}")
        if len(mark.between) != 2:
            self.report((*here, "between"), f"`link_up` needs two stations, not {len(mark.between)}")
        for k, station in enumerate(mark.between):
            if station not in self.stations:
                self.report((*here, "between", k), f"no station {station!r}{_suggest(station, self.stations)}")

    def check_network(self) -> None:
        s = self.s
        self.unique("stations", [st.id for st in s.stations], "station")
        self.unique("regions", [r.id for r in s.regions], "region")
        for i, st in enumerate(s.stations):
            if st.held_by is not None:
                self.faction(("stations", i, "held_by"), st.held_by)
        seen: dict[frozenset[str], int] = {}
        for i, seg in enumerate(s.segments):
            ends_ok = self.station(("segments", i, "a"), seg.a) & self.station(("segments", i, "b"), seg.b)
            pair = frozenset((seg.a, seg.b))
            if seg.a == seg.b:
                self.report(("segments", i, "b"), f"a segment joins two different stations, not {seg.a!r} to itself")
            elif pair in seen:
                file, line = self.doc.locate(("segments", seen[pair]))
                self.report(("segments", i), f"{seg.a}-{seg.b} is joined twice (first at {file}:{line})")
            elif ends_ok:
                seen[pair] = i
        for i, region in enumerate(s.regions):
            for j, name in enumerate(region.stations):
                self.station(("regions", i, "stations", j), name)
        self.check_theatres()

    def check_theatres(self) -> None:
        members: dict[str, list[str]] = defaultdict(list)
        theatre = {}
        for st in self.s.stations:
            members[st.theatre].append(st.id)
            theatre[st.id] = st.theatre
        parent = {name: name for name in theatre}

        def root(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        pairs = [(seg.a, seg.b) for seg in self.s.segments]
        # A segment that failed validation still joins its stations: its own problem is reported already.
        pairs += [(a, b) for a, b in (sorted(pair) for pair in self.invalid.pairs if len(pair) == 2)]
        for a, b in pairs:
            if a in theatre and b in theatre and theatre[a] == theatre[b]:
                parent[root(a)] = root(b)
        index = {st.id: i for i, st in enumerate(self.s.stations)}
        for name, ids in members.items():
            groups: dict[str, list[str]] = defaultdict(list)
            for sid in ids:
                groups[root(sid)].append(sid)
            if len(groups) > 1:
                parts = sorted(groups.values(), key=len, reverse=True)
                for part in parts[1:]:
                    self.report(
                        ("stations", index[part[0]], "theatre"),
                        f"theatre {name!r} is not connected: {', '.join(part)} cannot be reached by rail within "
                        f"it from {parts[0][0]}; add a segment or put the station in another theatre",
                    )

    def check_factions(self) -> None:
        s = self.s
        self.unique("factions", [f.id for f in s.factions], "faction")
        all_contingents = [(i, j, c.id) for i, f in enumerate(s.factions) for j, c in enumerate(f.contingents)]
        first: dict[str, tuple[int, int]] = {}
        for i, j, cid in all_contingents:
            if cid in first:
                self.report(("factions", i, "contingents", j, "id"), f"contingent id {cid!r} is used twice")
            first.setdefault(cid, (i, j))
        for i, f in enumerate(s.factions):
            for j, c in enumerate(f.contingents):
                at = ("factions", i, "contingents", j, "limits")
                for k, other in enumerate(c.limits.no_attack):
                    self.faction((*at, "no_attack", k), other)
                if c.limits.region is not None:
                    self.ref((*at, "region"), c.limits.region, self.regions, "region")
        pairs: dict[frozenset[str], int] = {}
        for i, rel in enumerate(s.relations):
            a, b = rel.factions
            ok = self.faction(("relations", i, "factions", 0), a) & self.faction(("relations", i, "factions", 1), b)
            if a == b:
                self.report(("relations", i, "factions"), "a relation is between two different factions")
            elif frozenset((a, b)) in pairs:
                self.report(("relations", i), f"{a} and {b} already have a relation")
            elif ok:
                pairs[frozenset((a, b))] = i

    def check_units(self) -> None:
        s = self.s
        self.unique("units", [u.id for u in s.units], "unit")
        reinforced = {
            name for e in s.events for eff in self.all_effects(e) if isinstance(eff, Reinforce) for name in eff.units
        }
        for i, u in enumerate(s.units):
            if self.faction(("units", i, "faction"), u.faction) and u.contingent is not None:
                self.contingent(("units", i, "contingent"), u.faction, u.contingent)
            self.station(("units", i, "station"), u.station)
            self.in_window(("units", i, "arrives"), u.arrives, "arrival")
            events_whole = "events" not in self.invalid.sections and "events" not in self.invalid.partial
            if u.reserve and u.id not in reinforced and events_whole:
                self.report(
                    ("units", i, "reserve"),
                    f"reserve unit {u.id!r} is never brought in: name it in some event's `reinforce` effect",
                )

    def check_stockpiles_and_traffic(self) -> None:
        s = self.s
        self.unique("stockpiles", [sp.id for sp in s.stockpiles], "stockpile")
        for i, sp in enumerate(s.stockpiles):
            self.station(("stockpiles", i, "station"), sp.station)
            self.faction(("stockpiles", i, "owner"), sp.owner)
        self.unique("traffic", [t.id for t in s.traffic], "traffic")
        for i, t in enumerate(s.traffic):
            ok = all(self.station(("traffic", i, "route", j), name) for j, name in enumerate(t.route))
            if ok:
                for j, (a, b) in enumerate(zip(t.route, t.route[1:], strict=False)):
                    if frozenset((a, b)) not in self.segments:
                        self.report(("traffic", i, "route", j + 1), f"no segment joins {a} and {b}")
            if t.end < t.start:
                self.report(("traffic", i, "end"), f"ends {t.end} before it starts {t.start}")
            self.in_window(("traffic", i, "start"), t.start, "start")

    @staticmethod
    def all_effects(event: Event) -> list[AnyEffect]:
        out = list(event.effects)
        if event.decision is not None:
            for option in event.decision.options:
                out.extend(option.effects)
        return out

    def check_events(self) -> None:
        s = self.s
        self.unique("events", [e.id for e in s.events], "event")
        for i, e in enumerate(s.events):
            if e.id not in self.past:
                self.in_window(("events", i, "date"), e.date, "date", must_fire=not e.when)
                self.in_window(("events", i, "until"), e.until, "until")
            if e.until is not None and not e.when:
                self.report(("events", i, "until"), "`until` only makes sense with `when` conditions")
            for j, cond in enumerate(e.when):
                self.condition(("events", i, "when", j), cond)
            for j, faction in enumerate(e.news_for):
                self.faction(("events", i, "news_for", j), faction)
            # What a fired event did is in the starting situation already: the units it named may be gone.
            for j, eff in enumerate(e.effects if e.id not in self.past else []):
                self.effect(("events", i, "effects", j), eff)
            if e.decision is not None and e.id not in self.answered:
                d = e.decision
                self.faction(("events", i, "decision", "faction"), d.faction)
                ids = [o.id for o in d.options]
                for k, option in enumerate(d.options):
                    if ids.index(option.id) != k:
                        self.report(("events", i, "decision", "options", k, "id"), f"option {option.id!r} twice")
                    for j, eff in enumerate(option.effects):
                        self.effect(("events", i, "decision", "options", k, "effects", j), eff)

    def condition(self, at: Path, cond: Condition) -> None:
        if isinstance(cond, Controls):
            self.faction((*at, "faction"), cond.faction)
            self.station((*at, "station"), cond.station)
        elif isinstance(cond, Fired | Chosen):
            event = self.events.get(cond.event)
            if self.ref((*at, "event"), cond.event, self.events, "event") and isinstance(cond, Chosen) and event:
                decision = event.decision
                options = [o.id for o in decision.options] if decision else []
                if cond.option not in options:
                    self.report(
                        (*at, "option"),
                        f"event {cond.event!r} has no option {cond.option!r}{_suggest(cond.option, options)}",
                    )
        elif isinstance(cond, MenAtMost | Evacuated):
            self.faction((*at, "faction"), cond.faction)
        elif isinstance(cond, AnyOf):
            for k, sub in enumerate(cond.of):
                self.condition((*at, "of", k), sub)
        elif isinstance(cond, Not):
            self.condition((*at, "condition"), cond.condition)

    def effect(self, at: Path, eff: AnyEffect) -> None:
        if isinstance(eff, SetStance):
            for k, name in enumerate(eff.factions):
                self.faction((*at, "factions", k), name)
        elif isinstance(eff, SetControl):
            self.station((*at, "station"), eff.station)
            self.faction((*at, "faction"), eff.faction)
        elif isinstance(eff, Reinforce):
            for k, name in enumerate(eff.units):
                unit = self.units.get(name)
                if self.ref((*at, "units", k), name, self.units, "unit") and unit is not None and not unit.reserve:
                    self.report(
                        (*at, "units", k),
                        f"unit {name!r} is not held in reserve (`reserve: true`), "
                        "so it is on the map already or arrives on its date",
                    )
        elif isinstance(eff, Withdraw):
            if self.faction((*at, "faction"), eff.faction) and eff.contingent is not None:
                self.contingent((*at, "contingent"), eff.faction, eff.contingent)
            for k, name in enumerate(eff.units):
                unit = self.units.get(name)
                if self.ref((*at, "units", k), name, self.units, "unit") and unit and unit.faction != eff.faction:
                    self.report((*at, "units", k), f"unit {name!r} belongs to {unit.faction}, not {eff.faction}")
        elif isinstance(eff, SetLimits):
            if self.faction((*at, "faction"), eff.faction):
                self.contingent((*at, "contingent"), eff.faction, eff.contingent)
            for k, name in enumerate(eff.limits.no_attack):
                self.faction((*at, "limits", "no_attack", k), name)
            if eff.limits.region is not None:
                self.ref((*at, "limits", "region"), eff.limits.region, self.regions, "region")
        elif isinstance(eff, Shipping):
            self.station((*at, "station"), eff.station)
        elif isinstance(eff, VictoryPoints | SupplyFactor):
            self.faction((*at, "faction"), eff.faction)
        elif isinstance(eff, Arms):
            if self.faction((*at, "faction"), eff.faction) and eff.contingent is not None:
                self.contingent((*at, "contingent"), eff.faction, eff.contingent)
        elif isinstance(eff, Cohesion):
            if self.faction((*at, "faction"), eff.faction) and eff.contingent is not None:
                self.contingent((*at, "contingent"), eff.faction, eff.contingent)
        elif isinstance(eff, Cede):
            self.faction((*at, "faction"), eff.faction)
            self.faction((*at, "to"), eff.to)
            for k, name in enumerate(eff.stations):
                self.station((*at, "stations", k), name)
        elif isinstance(eff, Damage):
            a, b = eff.segment
            if self.station((*at, "segment", 0), a) & self.station((*at, "segment", 1), b) and (
                frozenset((a, b)) not in self.segments
            ):
                self.report((*at, "segment"), f"no segment joins {a} and {b}")

    def check_victory(self) -> None:
        v = self.s.victory
        if v is None:
            return
        side_of: dict[str, str] = {}
        self.unique_in(("victory", "sides"), [side.id for side in v.sides], "side")
        for i, side in enumerate(v.sides):
            for k, name in enumerate(side.factions):
                at_side: Path = ("victory", "sides", i, "factions", k)
                if self.faction(at_side, name) and name in side_of:
                    self.report(at_side, f"faction {name!r} is already on side {side_of[name]!r}")
                side_of.setdefault(name, side.id)
        for i, f in enumerate(self.s.factions):
            if f.id not in side_of:
                self.report(("factions", i, "id"), f"faction {f.id!r} is on no side of `victory.sides`")
        self.unique_in(("victory", "objectives"), [o.id for o in v.objectives], "objective")
        for i, o in enumerate(v.objectives):
            at: Path = ("victory", "objectives", i)
            self.faction((*at, "faction"), o.faction)
            for k, name in enumerate(o.stations):
                self.station((*at, "stations", k), name)
            for k, name in enumerate(o.holders):
                self.faction((*at, "holders", k), name)
            for k, name in enumerate(o.stockpiles):
                self.ref((*at, "stockpiles", k), name, self.stockpiles, "stockpile")
            if o.of is not None:
                self.faction((*at, "of"), o.of)
            self.in_window((*at, "start"), o.start, "start")
            self.in_window((*at, "end"), o.end, "end")
            if o.start and o.end and o.end < o.start:
                self.report((*at, "end"), f"ends {o.end} before it starts {o.start}")

    def unique_in(self, at: Path, ids: Sequence[str], what: str) -> None:
        seen: set[str] = set()
        for i, name in enumerate(ids):
            if name in seen:
                self.report((*at, i, "id"), f"{what} id {name!r} is used twice")
            seen.add(name)


@dataclass
class Invalid:
    """What failed record validation: whole sections, and the ids of single records left out."""

    sections: set[str] = field(default_factory=set)
    records: dict[str, set[str]] = field(default_factory=dict)
    pairs: set[frozenset[str]] = field(default_factory=set)
    partial: set[str] = field(default_factory=set)  # list sections with some record left out
    window: tuple[dt.date, dt.date] | None = None  # start and end, when the scenario block failed but they did not

    def ids(self, section: str) -> set[str]:
        return self.records.get(section, set())


def cross_check(scenario: Scenario, doc: Assembled, invalid: Invalid | None = None) -> list[Problem]:
    """Every cross-reference problem of a scenario whose records (or the valid part of them) validated."""
    return _Checker(scenario, doc, invalid or Invalid()).check()
