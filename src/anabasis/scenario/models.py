"""The scenario format: pydantic models whose field descriptions become the JSON Schema editors show.

A scenario is data, one record per entity keyed by a stable id; cross-references between records are
checked after validation by `crossref`. Every figure carries a `source`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from anabasis.scenario.sources import CITABLE

Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        max_length=64,
        description="A stable id: lowercase ASCII letters, digits and underscores, starting with a letter.",
    ),
]
Men = Annotated[int, Field(ge=0, le=2_000_000, description="Men under arms.")]
MAX_TURNS = 520  # ten years of weeks: four times the campaign, and a game that still ends in seconds


class Record(BaseModel):
    """Base of every scenario record: unknown fields are errors, values never change once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


Confidence = Literal["documented", "estimated", "assumed"]


class Source(Record):
    """Where a fact comes from: one of the seed documents by file name, or `history`; and how sure it is."""

    doc: str = Field(
        description="A seed document's file name (for example 000_c11097c14a899cd0.txt) or `history` "
        "for well-established facts the documents do not give (coordinates, rail distances)."
    )
    note: str = Field(min_length=3, description="A short note, in your own words, of what the source says.")
    confidence: Confidence | None = Field(
        default=None,
        description="`documented` (the source says so), `estimated` (worked out from sources, within some "
        "per cent) or `assumed` (the designers' guess where sources are silent). When absent: `documented` for "
        "a seed document, `estimated` for `history`, whose figures mostly come from derived reference tables.",
    )

    @field_validator("doc")
    @classmethod
    def _known_document(cls, doc: str) -> str:
        if doc not in CITABLE:
            raise ValueError(f"unknown source document {doc!r}; use one of: {', '.join(CITABLE)}")
        return doc


class Meta(Record):
    """What the scenario is: its id, title and the span of time it covers."""

    id: Id
    title: str = Field(min_length=1, description="The title players read.")
    description: str = Field(default="", description="A paragraph on what is at stake, for the title screen.")
    start: dt.date = Field(description="Date of the first turn.")
    turn_days: int = Field(default=7, ge=1, le=31, description="Days a turn covers; one week by design.")
    end: dt.date = Field(
        description=f"The game ends after the turn that contains this date; a scenario lasts at most {MAX_TURNS} turns."
    )
    fired: list[Id] = Field(
        default_factory=list,
        description="Events that happened before the start (a scenario made from a week of a game): they never "
        "fire again, `fired` conditions on them hold, and their dates may fall before the start.",
    )
    chosen: dict[Id, Id] = Field(
        default_factory=dict,
        description="Decisions answered before the start, as event: option; these events count as fired too. "
        "An event in `fired` whose decision is not here waits for its answer from the first turn.",
    )

    @field_validator("end")
    @classmethod
    def _a_playable_span(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start, days = info.data.get("start"), info.data.get("turn_days", 7)
        if not isinstance(start, dt.date):
            return end
        if end <= start:
            raise ValueError(f"end {end} must come after start {start}")
        turns = (end - start).days // days + 1
        if turns > MAX_TURNS:
            latest = start + dt.timedelta(days=days * MAX_TURNS - 1)
            raise ValueError(
                f"from {start} to {end} is {turns:,} turns of {days} days; a scenario lasts at most {MAX_TURNS} "
                f"turns, so it ends by {latest}"
            )
        return end


class Port(Record):
    """A port: where men can be shipped out, and how many a week when ships are there."""

    men_per_week: int = Field(
        ge=0, le=200_000, description="Men the ships can take a week at the start; events may change it."
    )
    source: Source


class Station(Record):
    """A station of the 1918 network at its real coordinates, and what stands there."""

    id: Id
    name: str = Field(min_length=1, description="The name in 1918.")
    other_names: list[str] = Field(default_factory=list, description="Modern or other names.")
    lat: float = Field(ge=-90, le=90, description="Latitude in decimal degrees.")
    lon: float = Field(ge=-180, le=180, description="Longitude in decimal degrees (east positive).")
    kind: Literal["city", "junction", "port"] = Field(description="A city, a railway junction, or a port.")
    theatre: Id = Field(description="The theatre whose network the station belongs to, e.g. `siberia` or `north`.")
    held_by: Id | None = Field(default=None, description="The faction that holds the station at the start.")
    depot: float = Field(default=0, ge=0, le=1000, description="Supply a week the depot issues to its holder.")
    fortification: int = Field(default=0, ge=0, le=3, description="0 open ground to 3 a fortress.")
    port: Port | None = Field(default=None, description="Present when ships can load here.")
    source: Source


class Feature(Record):
    """A bridge or tunnel on a segment, which can be blown and then repaired."""

    kind: Literal["bridge", "tunnel"] = Field(description="What can be blown: a bridge or a tunnel.")
    name: str = Field(description="Its name, e.g. `Volga bridge at Syzran`.")
    count: int = Field(default=1, ge=1, le=100, description="How many (the Circum-Baikal line had dozens).")
    repair_weeks: int = Field(default=4, ge=1, le=52, description="Weeks of work to repair once blown.")
    source: Source


class Segment(Record):
    """A rail link between two stations with its length and capacity as they were in 1918."""

    a: Id = Field(description="Station id at one end.")
    b: Id = Field(description="Station id at the other end.")
    km: float = Field(gt=0, le=3000, description="Length by rail in kilometres.")
    track: Literal["single", "double"] = Field(description="Single or double track in 1918.")
    trains_per_day: float = Field(gt=0, le=100, description="Trains a day the segment can pass each way.")
    line: str = Field(min_length=1, description="The railway line it belongs to, e.g. `Trans-Siberian`.")
    features: list[Feature] = Field(default_factory=list, description="Bridges and tunnels that can be blown.")
    damage: int = Field(default=0, ge=0, le=104, description="Weeks of repair it needs at the start; 0 is open.")
    source: Source

    @property
    def key(self) -> str:
        """The segment's id: its two station ids joined by a hyphen."""
        return f"{self.a}-{self.b}"


class Region(Record):
    """A named set of stations, used by contingents' limits (e.g. the Japanese stay east of Baikal)."""

    id: Id
    name: str = Field(description="The name players read.")
    stations: list[Id] = Field(min_length=1, description="The stations it is made of.")
    source: Source


class Limits(Record):
    """Standing restrictions a contingent's government put on its troops."""

    no_attack: list[Id] = Field(
        default_factory=list, description="Factions this contingent will not attack (the Americans and the Reds)."
    )
    region: Id | None = Field(default=None, description="A region the contingent must stay within.")


class Contingent(Record):
    """A national or political part of a faction with limits of its own."""

    id: Id
    name: str = Field(description="The name players read.")
    limits: Limits = Field(default_factory=Limits, description="What its government lets it do at the start.")
    source: Source


class Briefing(Record):
    """What a player of the faction reads before the first turn: the situation, the aims and the first steps."""

    text: str = Field(
        min_length=1,
        description="A few short paragraphs in your own words, separated by blank lines; what scores is shown "
        "beside them from the objectives.",
    )
    source: Source


class Faction(Record):
    """A side's faction: who it is, whether a person can command it, and its contingents."""

    id: Id
    name: str = Field(description="The name players read.")
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$", description="Map colour as #rrggbb.")
    playable: bool = Field(default=False, description="Whether a person can command it.")
    supply_factor: float = Field(
        default=1.0, ge=0, le=5, description="Multiplies its depots' output at the start; `supply` effects change it."
    )
    contingents: list[Contingent] = Field(default_factory=list, description="Its national or political parts.")
    briefing: Briefing | None = Field(
        default=None, description="For a playable faction: what its player reads before the first turn."
    )
    source: Source


Stance = Literal["allied", "neutral", "war"]


class Relation(Record):
    """How two factions stand toward each other at the start."""

    factions: tuple[Id, Id] = Field(description="The two factions, by id.")
    stance: Stance = Field(description="`allied`, `neutral` or `war`; factions with no relation are neutral.")
    source: Source


UnitKind = Literal["infantry", "cavalry", "artillery", "armoured_train", "partisans"]


class Unit(Record):
    """A unit of the order of battle: an echelon, a garrison, a regiment, an armoured train."""

    id: Id
    name: str = Field(description="The name players read.")
    faction: Id = Field(description="The faction it fights for.")
    contingent: Id | None = Field(default=None, description="The contingent of its faction it belongs to.")
    kind: UnitKind = Field(description="What it fights as; the rules weigh each kind (`rules.*_factor`).")
    men: int = Field(ge=1, le=2_000_000, description="Men under arms; a unit has at least one man.")
    station: Id = Field(description="Where it stands at the start, or where it arrives.")
    entrained: bool = Field(default=False, description="On its train, ready to move by rail.")
    arms: float = Field(
        default=1.0, ge=0.05, le=1.0, description="Share of its men with rifles and guns (the Legion gave up most)."
    )
    cohesion: float = Field(
        default=1.0,
        ge=0.1,
        le=1.0,
        description="Its order and will at the start; it recovers toward `cohesion_cap` when fed.",
    )
    cohesion_cap: float = Field(
        default=1.0,
        ge=0.1,
        le=1.0,
        description="The most cohesion it recovers to; `cohesion` effects move it (the Red Guards of 1918, "
        "war-weariness).",
    )
    stores: float | None = Field(
        default=None, ge=0, le=26, description="Weeks of supply it carries at the start; absent: `rules.stores_weeks`."
    )
    arrives: dt.date | None = Field(default=None, description="Date it arrives, for later arrivals.")
    reserve: bool = Field(default=False, description="Enters only when an event's `reinforce` names it.")
    commander: str | None = Field(default=None, description="Who led it, for players to read.")
    source: Source

    @model_validator(mode="after")
    def _one_way_in(self) -> Unit:
        if self.arrives is not None and self.reserve:
            raise ValueError("a unit either arrives on a date or is held in reserve for an event, not both")
        if self.cohesion > self.cohesion_cap:
            raise ValueError(f"cohesion {self.cohesion:g} is above its cohesion_cap {self.cohesion_cap:g}")
        return self


class Stockpile(Record):
    """War material stored at a station, which its owner must keep from the enemy."""

    id: Id
    name: str = Field(description="The name players read.")
    station: Id = Field(description="Where it lies.")
    owner: Id = Field(description="The faction whose material it is.")
    tons: int = Field(ge=0, le=5_000_000, description="Tons of war material; destroyed stores are 0.")
    supply: float = Field(default=0, ge=0, le=1000, description="Supply a week it adds to its holder's depots.")
    source: Source


class Traffic(Record):
    """Trains that are not units but take rail capacity first, like the prisoner-of-war trains."""

    id: Id
    name: str = Field(description="The name players read.")
    kind: Literal["pow_trains"] = Field(default="pow_trains", description="Prisoner-of-war trains, the only kind.")
    route: list[Id] = Field(min_length=2, description="Stations in order along the rail.")
    trains_per_day: float = Field(gt=0, le=100, description="Trains a day they take on each segment of the route.")
    start: dt.date = Field(description="First day they run.")
    end: dt.date = Field(description="Last day they run.")
    source: Source


# --- Effects of events and decisions -------------------------------------------------------------


class Effect(Record):
    """Base of an event's effects; `kind` says which."""


class SetStance(Effect):
    """Two factions change how they stand toward each other."""

    kind: Literal["stance"]
    factions: tuple[Id, Id] = Field(description="The two factions, by id.")
    stance: Stance = Field(description="How they stand from now on.")


class SetControl(Effect):
    """A station changes hands without a battle (a rising, a coup, a handover)."""

    kind: Literal["control"]
    station: Id
    faction: Id


class Reinforce(Effect):
    """Reserve units enter the map where they are placed."""

    kind: Literal["reinforce"]
    units: list[Id] = Field(min_length=1, description="Units held in reserve (`reserve: true`) to bring in.")


class Withdraw(Effect):
    """Troops go home: a whole contingent, a faction's listed units, or both."""

    kind: Literal["withdraw"]
    faction: Id
    contingent: Id | None = Field(default=None, description="The whole contingent goes.")
    units: list[Id] = Field(default_factory=list, description="These units go.")

    @model_validator(mode="after")
    def _something(self) -> Withdraw:
        if self.contingent is None and not self.units:
            raise ValueError("name a contingent or some units to withdraw")
        return self


class SetLimits(Effect):
    """A government changes what its contingent may do."""

    kind: Literal["limits"]
    faction: Id
    contingent: Id
    limits: Limits = Field(description="Its limits from now on, in place of the old ones.")


class Shipping(Effect):
    """Ships arrive at (or leave) a port: men it can take a week from now on."""

    kind: Literal["shipping"]
    station: Id
    men_per_week: int = Field(ge=0, le=200_000, description="Men the ships take a week from now on; 0: none.")


class VictoryPoints(Effect):
    """Points for a faction, once."""

    kind: Literal["points"]
    faction: Id
    points: float = Field(ge=-1000, le=1000, description="Points, added once (negative: taken away).")


class Cohesion(Effect):
    """A faction's (or contingent's) will to fight rises or falls."""

    kind: Literal["cohesion"]
    faction: Id
    contingent: Id | None = Field(default=None, description="Only this contingent's units; all when absent.")
    delta: float = Field(ge=-1, le=1, description="Added to the units' cohesion and to its cap.")


class SupplyFactor(Effect):
    """A faction's depots issue more or less from now on (other fronts, war-weariness): the factor multiplies
    what they issued before, so 0.85 then 1.1 leaves 0.935."""

    kind: Literal["supply"]
    faction: Id
    factor: float = Field(ge=0, le=5, description="Multiplies the faction's depot output from now on.")


class Arms(Effect):
    """A faction's units (or one contingent's) gain or give up arms: the disarmament terms, Allied shipments."""

    kind: Literal["arms"]
    faction: Id
    contingent: Id | None = Field(default=None, description="Only this contingent's units; all when absent.")
    arms: float = Field(ge=0.05, le=1.0, description="The share of men armed from now on.")


class Cede(Effect):
    """A faction hands the stations it holds (all, or those listed) to another: a handover, a withdrawal."""

    kind: Literal["cede"]
    faction: Id = Field(description="The faction giving the stations up.")
    to: Id = Field(description="The faction taking them over.")
    stations: list[Id] = Field(default_factory=list, description="Only these, of those it holds; all when empty.")


class Damage(Effect):
    """A segment is cut (a bridge or tunnel blown) for some weeks."""

    kind: Literal["damage"]
    segment: tuple[Id, Id] = Field(description="The segment, by its two stations.")
    weeks: int = Field(ge=1, le=104, description="Weeks of repair it needs.")


AnyEffect = Annotated[
    SetStance
    | SetControl
    | Reinforce
    | Withdraw
    | SetLimits
    | Shipping
    | VictoryPoints
    | Cohesion
    | SupplyFactor
    | Arms
    | Cede
    | Damage,
    Field(discriminator="kind"),
]


# --- Conditions that trigger events ----------------------------------------------------------------


class Controls(Record):
    """True while `faction` holds `station`."""

    kind: Literal["controls"]
    faction: Id
    station: Id


class Fired(Record):
    """True once the event `event` has fired."""

    kind: Literal["fired"]
    event: Id


class Chosen(Record):
    """True once the decision of `event` was answered with `option`."""

    kind: Literal["chosen"]
    event: Id
    option: Id


class After(Record):
    """True on and after `date`."""

    kind: Literal["after"]
    date: dt.date = Field(description="From this day on.")


class MenAtMost(Record):
    """True while `faction` has at most `men` on the map."""

    kind: Literal["men_at_most"]
    faction: Id
    men: Men


class Evacuated(Record):
    """True once `faction` has shipped out at least `men`."""

    kind: Literal["evacuated"]
    faction: Id
    men: Men


class AnyOf(Record):
    """True when any of the conditions holds."""

    kind: Literal["any"]
    of: list[Condition] = Field(min_length=1, description="The conditions, one of which must hold.")


class Not(Record):
    """True when the condition does not hold."""

    kind: Literal["not"]
    condition: Condition = Field(description="The condition that must not hold.")


Condition = Annotated[
    Controls | Fired | Chosen | After | MenAtMost | Evacuated | AnyOf | Not, Field(discriminator="kind")
]


class Option(Record):
    """One answer to a decision and what follows from it."""

    id: Id
    label: str = Field(min_length=1, description="What the player reads on the button.")
    effects: list[AnyEffect] = Field(default_factory=list, description="What follows from taking it.")


class Decision(Record):
    """A choice history hinged on, put to the faction that owned it."""

    faction: Id = Field(description="The faction that answers.")
    prompt: str = Field(min_length=1, description="The question, as the player reads it.")
    options: list[Option] = Field(min_length=2, description="The answers it can give.")
    default: Id = Field(
        description="The option taken if no answer comes in time: history's choice, or doing without where history "
        "took a step someone had to decide on (sending troops, signing an agreement)."
    )
    weeks: int = Field(default=3, ge=1, le=52, description="Weeks the faction has to answer.")

    @model_validator(mode="after")
    def _default_is_an_option(self) -> Decision:
        ids = [o.id for o in self.options]
        if self.default not in ids:
            raise ValueError(f"default {self.default!r} is not one of the options: {', '.join(ids)}")
        return self


class Event(Record):
    """A dated or conditional historical event, with its effects and perhaps a decision."""

    id: Id
    name: str = Field(min_length=1, description="Its title, as the player reads it.")
    date: dt.date | None = Field(default=None, description="Fires in the turn containing this date.")
    until: dt.date | None = Field(
        default=None, description="A conditional event that has not fired by this date never fires."
    )
    when: list[Condition] = Field(
        default_factory=list, description="Fires in the first turn (on or after `date`) when all of these hold."
    )
    text: str = Field(min_length=1, description="What happened, in your own words, as the player reads it.")
    effects: list[AnyEffect] = Field(default_factory=list, description="What it changes when it fires.")
    decision: Decision | None = Field(default=None, description="A choice it puts to a faction when it fires.")
    news_for: list[Id] = Field(
        default_factory=list,
        description="Factions to whom it is news as it happens, beyond those its effects, decision and conditions "
        "name (their own troops landing, say): a player of theirs always sees it, even with other sides' "
        "events in the log only.",
    )
    source: Source

    @model_validator(mode="after")
    def _has_trigger(self) -> Event:
        if self.date is None and not self.when:
            raise ValueError("an event needs a `date`, a `when` condition, or both")
        if self.until is not None and self.date is not None and self.until < self.date:
            raise ValueError(f"until {self.until} comes before date {self.date}")
        return self


# --- Victory -------------------------------------------------------------------------------------


class Side(Record):
    """A coalition whose points are summed to decide who won."""

    id: Id
    name: str = Field(description="The name players read.")
    factions: list[Id] = Field(min_length=1, description="The factions whose points it sums.")


class Objective(Record):
    """Points a faction earns, with the window of dates in which they count.

    `hold`: `points` each turn for each of `stations` the faction (or one of `holders`) holds.
    `evacuate`: `points` for each 1,000 men of `of` (default: the faction itself) shipped out.
    `stockpile`: `points` each turn for each of `stockpiles` no enemy of the faction holds.
    `destroy`: `points` for each 1,000 men of `of` killed, captured or dispersed.
    """

    id: Id
    faction: Id = Field(description="The faction that scores it.")
    name: str = Field(description="The name players read.")
    kind: Literal["hold", "evacuate", "stockpile", "destroy"] = Field(description="What it pays for (see above).")
    points: float = Field(gt=0, le=1000, description="Points a turn (`hold`, `stockpile`) or a 1,000 men.")
    stations: list[Id] = Field(default_factory=list, description="For `hold`: the stations.")
    holders: list[Id] = Field(
        default_factory=list,
        description="For `hold`: the factions whose holding counts (the Allies' aim was a White front); "
        "the objective's own faction when empty.",
    )
    stockpiles: list[Id] = Field(default_factory=list, description="For `stockpile`: the stockpiles.")
    of: Id | None = Field(default=None, description="For `evacuate` and `destroy`: whose men.")
    start: dt.date | None = Field(default=None, description="First date the objective counts.")
    end: dt.date | None = Field(default=None, description="Last date the objective counts.")
    source: Source

    @model_validator(mode="after")
    def _targets(self) -> Objective:
        need = {"hold": ("stations", self.stations), "stockpile": ("stockpiles", self.stockpiles)}
        if self.kind in need and not need[self.kind][1]:
            raise ValueError(f"a `{self.kind}` objective needs `{need[self.kind][0]}`")
        if self.kind == "destroy" and self.of is None:
            raise ValueError("a `destroy` objective needs `of`: whose men")
        return self


class Victory(Record):
    """Who plays against whom, and what each faction scores for."""

    sides: list[Side] = Field(min_length=2, description="The coalitions that play against each other.")
    objectives: list[Objective] = Field(min_length=1, description="What each faction scores for.")


class HistoryMark(Record):
    """When a key date of `anabasis sim` happened in history, for a batch's games to be set beside it."""

    milestone: str = Field(
        description="The key date's id as the summary names it: `link_up`, `first_evacuation`, `last_evacuation`, "
        "`changes_hands.STATION` or `returns.STATION` (naming a station here makes it a key city)."
    )
    date: dt.date = Field(description="The day it happened.")
    faction: Id | None = Field(
        default=None, description="For `link_up`: the faction whose groups link up (its allies' stations count)."
    )
    between: list[Id] = Field(
        default_factory=list, description="For `link_up`: the two stations an unbroken friendly line joins."
    )
    source: Source


# --- Rules: the numbers the engine plays by, which designers tune with --set and --sweep ----------


class Rules(Record):
    """The tunable numbers of the rules; defaults are the designers' best reading of 1918."""

    train_km_per_day: float = Field(default=250, ge=20, le=1000, description="Km a train covers in a day.")
    march_km_per_day: float = Field(default=20, ge=1, le=100, description="Km men on foot cover in a day.")
    men_per_train: int = Field(default=1000, ge=100, le=5000, description="Men one train (echelon) carries.")
    neutral_transit_cost: float = Field(
        default=2.0, ge=1, le=10, description="Trains used per train passing a station held by a neutral faction."
    )
    supply_need: float = Field(default=1.0, ge=0.05, le=10, description="Supply a week per 1,000 men.")
    winter_need: float = Field(default=1.5, ge=1, le=5, description="Multiplier on supply need in winter.")
    winter_months: list[Annotated[int, Field(ge=1, le=12)]] = Field(
        default_factory=lambda: [11, 12, 1, 2, 3], max_length=12, description="Months (1-12) that count as winter."
    )
    stores_weeks: float = Field(default=4, ge=0.5, le=26, description="Weeks of supply a unit can carry.")
    cohesion_loss: float = Field(default=0.15, ge=0, le=1, description="Cohesion lost a week without supply.")
    cohesion_gain: float = Field(default=0.05, ge=0, le=1, description="Cohesion regained a week in supply.")
    attrition: float = Field(default=0.04, ge=0, le=1, description="Men lost a week when starving and broken.")
    armoured_train_factor: float = Field(default=4.0, ge=1, le=20, description="Fighting worth of a man on one.")
    artillery_factor: float = Field(default=1.5, ge=1, le=10, description="Fighting worth of a gunner.")
    cavalry_factor: float = Field(default=1.1, ge=1, le=10, description="Fighting worth of a horseman.")
    partisans_factor: float = Field(default=0.7, ge=0.1, le=10, description="Fighting worth of a partisan.")
    fortification_bonus: float = Field(default=0.3, ge=0, le=3, description="Defence per fortification level.")
    dug_in_bonus: float = Field(default=0.2, ge=0, le=3, description="Defence for a unit that held last turn.")
    entrained_defence: float = Field(default=0.6, ge=0.1, le=1, description="Defence of men caught on trains.")
    winter_attack: float = Field(default=0.8, ge=0.1, le=1, description="Attack multiplier in winter.")
    odds_steepness: float = Field(
        default=2.2,
        ge=0.5,
        le=10,
        description="How sharply odds decide a battle: at 0.5 two to one wins 59% of the time, at 10 almost always.",
    )
    loss_rate: float = Field(default=0.08, ge=0, le=1, description="Share of the loser's men lost in a battle.")
    repair_per_week: int = Field(default=1, ge=1, le=10, description="Weeks of damage one unit repairs a week.")
    capture_arms: float = Field(default=0.15, ge=0, le=1, description="Arms gained when taking a depot.")


# --- Doctrine: how each faction's AI commander makes war ----------------------------------------------


class Answer(Record):
    """How a faction's commander answers a decision put to it: always one option, or each with a chance."""

    decision: Id = Field(description="The event whose decision this answers.")
    choose: Id | dict[Id, float] = Field(
        description="The option taken, or {option: probability} with probabilities summing to 1: the commander "
        "draws once a game, so a batch explores every branch in proportion."
    )
    source: Source

    @field_validator("choose")
    @classmethod
    def _probabilities(cls, choose: str | dict[str, float]) -> str | dict[str, float]:
        if isinstance(choose, dict):
            if not choose:
                raise ValueError("name at least one option")
            if any(not 0.0 <= p <= 1.0 for p in choose.values()):
                raise ValueError("each probability lies between 0 and 1")
            if abs(sum(choose.values()) - 1.0) > 1e-9:
                raise ValueError(f"the probabilities sum to {sum(choose.values()):g}, not 1")
        return choose


class Posture(Record):
    """The numbers a commander plays by; in a phase, only what the phase changes (the rest carries over)."""

    attack_chance: float | None = Field(
        default=None,
        ge=0.5,
        le=0.99,
        description="The least chance of winning it attacks at (never below its skill's).",
    )
    hold: float | None = Field(
        default=None,
        ge=0,
        le=5,
        description="Garrison kept at a threatened station, as a share of the enemy next to it.",
    )
    stores_hold: float | None = Field(
        default=None,
        ge=0,
        le=5,
        description="Guards the stockpiles its objectives pay for, with this garrison share while it has any.",
    )
    fall_back: float | None = Field(
        default=None,
        gt=0,
        le=100,
        description="Enemy strength able to strike a post, against the post's defence, at which the post is left.",
    )
    stand: bool | None = Field(
        default=None,
        description="Units on the map at the start hold their posts: none leaves, none falls back, no reserves gather.",
    )
    reach_km: float | None = Field(
        default=None, ge=0, le=50_000, description="How far by rail from its `base` it attacks (absent: anywhere)."
    )
    line: Id | None = Field(
        default=None,
        description="A station: the railway from where its units start to this station is its line of advance.",
    )
    line_value: float | None = Field(
        default=None,
        ge=0,
        le=10,
        description="Points a week it puts on each station of its line while it fights for it.",
    )
    withdraw_to_rear: bool | None = Field(
        default=None,
        description="Guards the railway from its farthest held objective back to `rear` and gives up what lies beyond.",
    )
    embark: bool | None = Field(
        default=None, description="Makes for a friendly port when ships are there or due, and ships out."
    )
    hold_fire_in: list[Id] | None = Field(
        default=None, description="Regions where it starts no battle (units there wait on events, not on odds)."
    )


class Phase(Posture):
    """A change of doctrine that holds while all its conditions do (an event fired, a date, a balance of men)."""

    id: Id
    when: list[Condition] = Field(min_length=1, description="All must hold for the phase to apply.")
    source: Source


class Doctrine(Posture):
    """A faction's way of war, for its AI commander: what it fights for, how boldly, and how it answers.

    The phases whose conditions hold are laid over the doctrine's own numbers in the order written."""

    faction: Id
    base: Id | None = Field(default=None, description="The station its offensives are reckoned from.")
    rear: Id | None = Field(default=None, description="The station it falls back toward (a port, the capital).")
    unbound: list[UnitKind] = Field(
        default_factory=list, description="Kinds of unit free to attack anywhere (partisans), whatever `reach_km` says."
    )
    answers: list[Answer] = Field(default_factory=list, description="Its answers to the decisions put to it.")
    phases: list[Phase] = Field(default_factory=list)
    source: Source


class Scenario(Record):
    """A whole scenario, or a fragment of one when it is only included by others."""

    schema_: str | None = Field(default=None, alias="$schema", description="The JSON Schema, for editors.")
    include: list[str] = Field(
        default_factory=list, description="Files, relative to this one, whose records are added to these."
    )
    scenario: Meta | None = Field(default=None, description="What the scenario is: its id, title and dates.")
    rules: Rules = Field(default_factory=Rules, description="The tunable numbers of the rules.")
    stations: list[Station] = Field(default_factory=list, description="The stations of the network.")
    segments: list[Segment] = Field(default_factory=list, description="The rail links between stations.")
    regions: list[Region] = Field(default_factory=list, description="Named sets of stations, for limits.")
    factions: list[Faction] = Field(default_factory=list, description="Who fights, with their contingents.")
    relations: list[Relation] = Field(default_factory=list, description="How factions stand at the start.")
    units: list[Unit] = Field(default_factory=list, description="The order of battle.")
    stockpiles: list[Stockpile] = Field(default_factory=list, description="War material stored at stations.")
    traffic: list[Traffic] = Field(default_factory=list, description="Trains that take rail capacity first.")
    events: list[Event] = Field(default_factory=list, description="Dated or conditional events and decisions.")
    victory: Victory | None = Field(default=None, description="The sides and what each faction scores for.")
    doctrines: list[Doctrine] = Field(
        default_factory=list,
        description="How each faction's AI commander makes war; a faction without one fights for its objectives.",
    )
    history: list[HistoryMark] = Field(
        default_factory=list, description="Real dates of key dates, for designers to compare the games with."
    )

    model_config = ConfigDict(populate_by_name=True)

    @property
    def meta(self) -> Meta:
        """The scenario block; the loader guarantees it is present in a loaded scenario."""
        assert self.scenario is not None, "a fragment has no scenario block"
        return self.scenario


AnyOf.model_rebuild()
Not.model_rebuild()
