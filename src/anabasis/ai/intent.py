"""What a commander wants this week, in the numbers the planner works with.

Each faction's doctrine turns the date, the board and its skill into an `Intent`; the planner turns any
intent into orders. Station values are in victory points a week, the currency the objectives pay in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from anabasis.ai.analysis import situation
from anabasis.engine.jit import kernel
from anabasis.engine.state import ACTIVE, GameState
from anabasis.engine.victory import DESTROY, HOLD
from anabasis.engine.world import NOBODY, BoolArray, FloatArray, IntArray, World
from anabasis.scenario.models import AnyOf, Controls, Reinforce

HORIZON = 8  # weeks over which a commander weighs what a station will be worth
DENIAL = 0.6  # worth of taking a station from an enemy who scores for it, against holding one's own
PARTNER = 0.5  # worth of a station an ally scores for, against one's own objective
DEPOT_WORTH = 0.01  # points a week per unit of supply a depot issues
RISING_WORTH = 0.1  # points a week per 1,000 men an event brings in once a station is taken
OWN_MEN = 0.3  # points 1,000 of one's own men are worth, beyond what the enemy scores for killing them


@dataclass(frozen=True)
class Skill:
    """How well a commander plays: how sure it wants to be, how quickly it reacts, which tricks it knows."""

    level: int
    chance: float  # the least chance of winning it attacks at
    margin: float  # extra strength it brings beyond the bare odds, so a plan survives a bad week
    boldness: float  # chance it gives up per point a week a prize is worth (up to two)
    reaction: int  # weeks late it reacts to a change of phase
    detrain: bool  # garrisons get off their trains to dig in
    slack: int | None  # weeks of queue at the port it sends men into (None: all at once)
    demolition: bool  # blows bridges behind it when it falls back
    retreat: bool  # pulls garrisons out of stations it cannot hold


SKILLS = {
    1: Skill(1, 0.85, margin=1.0, boldness=0.0, reaction=3, detrain=False, slack=None, demolition=False, retreat=False),
    2: Skill(2, 0.7, margin=1.1, boldness=0.05, reaction=0, detrain=True, slack=3, demolition=False, retreat=True),
    3: Skill(3, 0.7, margin=1.3, boldness=0.05, reaction=0, detrain=True, slack=1, demolition=True, retreat=True),
}


@dataclass
class Intent:
    """A faction's aims for the week."""

    value: FloatArray  # per station: points a week for holding it, or for taking it from the enemy
    foes: BoolArray  # per faction: whom it plans against (at war, or about to be)
    blood: float  # points a week's losses cost, per 1,000 men (the enemy scores for them, and they are gone)
    chance: float  # the least chance of winning it attacks at
    may_attack: BoolArray  # per station: where it is willing to attack at all
    hold: float = 0.7  # garrison kept at a threatened station, as a share of the enemy strength next to it
    fall_back: float = 3.0  # enemy strength able to strike a post, against its defence, at which it is left
    rear: int = -1  # the station to fall back toward (the port, the capital), -1 for none
    concentrate: bool = True  # gathers reserves against targets it is too weak to attack yet
    rally: int = -1  # where the units called back gather, -1 for none
    pull_out: BoolArray | None = None  # per unit: units called back to the rallying point whatever else they do
    evacuate: bool = False  # makes for the ports and ships out
    ports: list[int] = field(default_factory=list)  # ports to make for, nearest first for each unit
    stay: BoolArray | None = None  # per unit: garrisons that never leave their post (the Reds' first summer)
    unbound: BoolArray | None = None  # per unit: units free to attack outside `may_attack` (partisans)


def _weight(world: World, turn: int) -> FloatArray:
    """Per objective: the share of the coming `HORIZON` weeks in which it counts."""

    def share() -> FloatArray:
        start = np.maximum(world.objective_first, turn)
        stop = np.minimum(world.objective_last, turn + HORIZON - 1)
        out: FloatArray = np.clip(stop - start + 1, 0, HORIZON) / HORIZON
        return out

    return world.memo("ai.weight", turn, share)


def _holding(world: World, turn: int) -> FloatArray:
    """Faction x station: points a week holding the station earns the faction, over the horizon from `turn`."""

    def points() -> FloatArray:
        hold_w = np.where(world.objective_kind == HOLD, world.objective_points * _weight(world, turn), 0.0)
        out: FloatArray = ((world.objective_holders.T * hold_w[None, :]) @ world.objective_stations).astype(np.float64)
        return out

    return world.memo("ai.holding", turn, points)


# Events that bring men in once a station is held by a given faction (the Omsk underground): for each, the event,
# the station, the faction whose holding the station sets it off, and the men it brings to that faction's side.
# Plain tuples, here and in `Mouths`: numba takes one faster than a NamedTuple.
Risings = tuple[IntArray, IntArray, IntArray, FloatArray]


def _risings(world: World) -> Risings:
    hit = world.cache.get("ai.risings")
    if isinstance(hit, tuple):
        return hit
    rows: list[tuple[int, int, int, float]] = []
    for k, e in enumerate(world.events):
        brings = np.zeros(len(world.side_ids))
        for effect in e.effects:
            if isinstance(effect, Reinforce):
                for name in effect.units:
                    u = world.unit_index[name]
                    side = int(world.side_of[world.unit_faction[u]])
                    if side >= 0:
                        brings[side] += float(world.unit_men0[u])
        for cond in e.when:
            for c in cond.of if isinstance(cond, AnyOf) else [cond]:
                if isinstance(c, Controls):
                    holder = world.faction_index[c.faction]
                    side = int(world.side_of[holder])
                    if side >= 0 and brings[side] > 0:
                        rows.append((k, world.station_index[c.station], holder, float(brings[side])))
    out = (
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([r[1] for r in rows], dtype=np.int64),
        np.array([r[2] for r in rows], dtype=np.int64),
        np.array([r[3] for r in rows], dtype=np.float64),
    )
    world.cache["ai.risings"] = out
    return out


@dataclass(frozen=True)
class Stakes:
    """What every station is worth to every faction this week, worked out once for all commanders."""

    hold: FloatArray  # faction x station: points a week its holding the station earns, over the horizon (shared)
    rising: FloatArray  # faction x station: points a week for the men its taking the station would bring
    hunger: FloatArray  # by faction: the share of its men's need its depots fail to meet this week


def stakes(state: GameState) -> Stakes:
    """The `Stakes` of a state, shared by every commander that looks at it; what depends on the turn alone is
    shared by every game of the world, so no array of it is to be changed."""
    hit = state.cache.get("ai.stakes")
    if isinstance(hit, Stakes):
        return hit
    w = state.world
    r = _risings(w)
    sit = situation(state)
    mouths = (state.status, state.men, w.unit_faction, sit.supply, sit.node)
    rising, hunger = np.zeros(sit.supply.shape), np.empty(sit.supply.shape[0])
    _rising_and_hunger(r, state.fired, mouths, (rising, hunger))
    out = Stakes(_holding(w, state.turn), rising, hunger)  # whose holding pays counts
    state.cache["ai.stakes"] = out
    return out


# The units a faction must feed: their status (those on the map eat), their men, whose they are, how well fed each
# faction is at each station (faction x station), and the station each unit draws through.
Mouths = tuple[IntArray, IntArray, IntArray, FloatArray, IntArray]


@kernel
def _rising_and_hunger(r: Risings, fired: BoolArray, mouths: Mouths, out: tuple[FloatArray, FloatArray]) -> None:
    """Into `out` (the first zeroed): faction x station, points a week for the men a capture would bring in (events
    not yet fired); and by faction, the share of its men's need its depots fail to meet. Sums in unit order, as
    `np.bincount` did."""
    event, station, holder, brings = r
    status, men, faction, supply, node = mouths
    rising, hunger = out
    nf, n_stations = supply.shape
    for i in range(event.shape[0]):
        if not fired[event[i]]:
            rising[holder[i], station[i]] += brings[i]
    for f in range(nf):
        for s in range(n_stations):
            rising[f, s] = rising[f, s] * RISING_WORTH / 1000.0
    fed, total = np.zeros(nf), np.zeros(nf)
    for u in range(status.shape[0]):
        if status[u] == ACTIVE:
            f, m = faction[u], float(men[u])
            fed[f] += m * supply[f, node[u]]
            total[f] += m
    for f in range(nf):
        hunger[f] = 1.0 - fed[f] / max(total[f], 1.0)


class Reckoning(NamedTuple):
    """What a faction's objectives make of the board this week, against a set of foes."""

    value: FloatArray  # per station: points a week from aims, risings and depots (a new array, the caller's own)
    aimed: BoolArray  # per station: whether aims (own, allies', or a foe's holding to deny) pay anything for it
    blood: float  # points losing 1,000 men costs: the enemies' scores for them, and the men themselves


def reckon(state: GameState, faction: int, foes: BoolArray) -> Reckoning:
    """Per station: points a week from own objectives, allies' objectives and enemy objectives to deny, risings its
    capture would set off, and depots (the hungrier the faction, the more a depot is worth); and its `blood`."""
    w = state.world
    st = stakes(state)
    own, blood = w.memo(
        "ai.objectives", (faction, foes.tobytes(), state.turn), lambda: _objectives(w, faction, foes, state.turn)
    )
    rate = DEPOT_WORTH * (1.0 + 4.0 * st.hunger[faction])
    out = Reckoning(np.empty_like(own), np.empty(own.shape, dtype=np.bool_), blood)
    _valued(own, foes, (st.hold, state.control), (st.rising[faction], w.depot, float(rate)), (out.value, out.aimed))
    return out


def _objectives(world: World, faction: int, foes: BoolArray, turn: int) -> tuple[FloatArray, float]:
    """Per station: points a week from own and allies' objectives; and what losing 1,000 men costs (shared by
    every game of the world at this turn with these foes)."""
    own: FloatArray = _partners(world, faction, foes) @ _holding(world, turn)
    weight = _weight(world, turn)
    scored = (world.objective_kind == DESTROY) & (world.objective_of == faction) & foes[world.objective_faction]
    return own, OWN_MEN + float(world.objective_points[scored] @ weight[scored])


def _partners(world: World, faction: int, foes: BoolArray) -> FloatArray:
    """How much each faction's holdings count in `faction`'s aims."""
    side = world.side_of[faction]
    weights: FloatArray = np.where((world.side_of == side) & (side >= 0) & ~foes, PARTNER, 0.0)
    weights[faction] = 1.0
    return weights


@kernel
def _valued(
    own: FloatArray,
    foes: BoolArray,
    held: tuple[FloatArray, IntArray],
    gains: tuple[FloatArray, FloatArray, float],
    out: tuple[FloatArray, BoolArray],
) -> None:
    """Into `out`: `own` aims plus `DENIAL` of what each station held by a foe earns its holder (`held`: what
    holding each station earns each faction, and who holds it), then risings and depots (`gains`: those, and the
    points a week per unit of supply a depot is worth), added in that order; and where those aims pay anything.
    The caller makes the arrays: a kernel's call costs more for each array it returns."""
    hold, control = held
    rising, depot, rate = gains
    value, aimed = out
    for s in range(own.shape[0]):
        aim = own[s]
        holder = control[s]
        if holder != NOBODY and foes[holder]:
            aim += DENIAL * hold[holder, s]
        aimed[s] = aim > 0
        value[s] = aim + rising[s] + rate * depot[s]


def hold_values(state: GameState, faction: int) -> FloatArray:
    """Per station: points a week `faction` will score on average over the coming weeks for holding it (shared by
    every game of the world at this turn, so not to be changed)."""
    out: FloatArray = stakes(state).hold[faction]
    return out
