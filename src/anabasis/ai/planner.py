"""From an intent to a week's orders: the planner's working state, and the order of its steps.

The planner reads the shared `Situation` and gives orders only where something should change: a unit that
holds its post or is on its way somewhere gets no order, so a quiet week costs little. Every order it gives
is one the rules allow (`why_illegal` is asked about each before it is returned). The steps live in their
own modules (`attack`, `posture`, `gathering`, `logistics`); they read Python lists, converted once per state
for all commanders by `analysis`, since a week's plan looks at single units and stations far more than at
whole arrays. The shared lists are read, never changed: what a plan changes (values, targets) is its own.
"""

from __future__ import annotations

import numpy as np

from anabasis.ai import attack, gathering, logistics, posture
from anabasis.ai.analysis import Opposition, Situation, footing, opposition, situation
from anabasis.ai.intent import Intent, Skill
from anabasis.engine.combat import garrisons, ratio_for
from anabasis.engine.jit import kernel
from anabasis.engine.legal import reachable, refusals
from anabasis.engine.network import components
from anabasis.engine.orders import Entrain, Move, Order
from anabasis.engine.state import GameState
from anabasis.engine.world import BoolArray, FloatArray

THE_WAY = 1.0  # points a week an enemy station blocking the way home is worth fighting for
HUNGRY = 0.5  # share of need below which men count as going hungry
HUNGRY_DEPOT = 0.08  # points a week per unit of supply a depot issues, to men who are starving near it


class Planner:
    """One faction's orders for one week, and what the steps need to know to give them."""

    def __init__(self, state: GameState, faction: int, intent: Intent, skill: Skill) -> None:
        w = state.world
        sit: Situation = situation(state)
        self.state, self.world, self.faction, self.sit = state, w, faction, sit
        self.intent, self.skill = intent, skill
        self.footing = footing(state, faction)
        rows = sit.rows
        self.mine: list[int] = rows.mine[faction]
        self.orders: dict[int, Order] = {}
        self.taken: set[int] = set()  # units with a task this week, ordered or kept where they are
        self.post: dict[int, int] = {}  # garrisons and the station each guards
        self.given_up: set[int] = set()  # posts a garrison falls back from this week: no reserves go there
        self.stalled: list[int] = []  # units whose destination was shut: told to halt unless given a task
        self.crews: dict[int, int] = {}  # cut segments and how many more repair crews they can use this week
        self.train_km = w.rules.train_km_per_day * w.turn_days
        self.march_km = w.rules.march_km_per_day * w.turn_days
        self.need_ratio = ratio_for(intent.chance, w.rules.odds_steepness)
        # units, as lists (shared by all commanders: never changed here)
        cols = sit.columns
        self.at, self.node, self.entrained, self.goal = cols.at, cols.node, cols.entrained, cols.goal
        self.worth, self.guard, self.men, self.stores = cols.worth, cols.guard, cols.men, cols.stores
        self.region, self.damage = cols.region, cols.damage
        self.contingent: list[int] = sit.net.contingent
        self.barred: list[bool] = rows.barred
        self.near_targets: dict[tuple[int, bool, bool, int], list[int]] = {}
        # stations and segments, as lists (shared ones are never changed here either)
        enemy = opposition(state, intent.foes)
        self.enemy: Opposition = enemy
        self.enemy_defence: list[float] = enemy.defence
        self.enemy_strength: list[float] = enemy.strength
        self.foe_stations: list[bool] = enemy.station_list
        targets = enemy.stations & intent.may_attack
        self.targets: list[bool] = targets.tolist()
        self.target_array: BoolArray = targets
        # an attack is allowed where a faction we are at war with holds the station or stands in it
        at_war = opposition(state, sit.war[faction])
        self.legal: list[bool] = at_war.station_list
        self.war_defence: list[float] = at_war.defence
        self.at_war: list[bool] = rows.war[faction]
        self.hostile: list[bool] = rows.hostile[faction]
        self.threat: list[float] = rows.threat[faction]
        self.defence: list[float] = rows.defence[faction]
        self.strength: list[float] = rows.strength[faction]
        self.supply: list[float] = rows.supply[faction]
        bread = self._bread(targets)
        self.value_array: FloatArray = intent.value + bread if bread is not None else intent.value.copy()
        self.value: list[float] = self.value_array.tolist()
        self.incoming: list[float] = [0.0] * w.n_stations  # strength on its way to each station
        self._labels: dict[int, list[int]] = {-1: self.footing.labels}
        self._defended: dict[int, float] = {}
        self._exits: dict[int, list[int]] = {}
        self.junctions: dict[int, float] = {}  # junctions behind our posts, and our side's defence there
        self.friends: list[int] = rows.friends[faction]  # itself and its allies
        # the doctrine's lists of units, as Python lists
        self.stay: list[bool] | None = None if intent.stay is None else intent.stay.tolist()
        self.unbound: list[bool] | None = None if intent.unbound is None else intent.unbound.tolist()

    def _bread(self, targets: BoolArray) -> FloatArray | None:
        """Per station: what the depot of an enemy station is worth to the nearest of our men going hungry;
        None while none of our men go hungry."""
        if self.footing.lowest_supply >= HUNGRY:
            return None
        w, sit, f = self.world, self.sit, self.faction
        return _depot_values(targets, w.depot, w.distance, sit.strength[f], sit.supply[f])

    def plan(self) -> list[Order]:
        """Orders for the week, each one legal."""
        embarking = self.sit.columns.embarking
        self.taken.update(u for u in self.mine if embarking[u])  # any order but `hold` takes it off the quay
        if self.intent.evacuate:
            logistics.ship_out(self)
        gathering.pull_out(self)
        posture.keep_goals(self)
        posture.garrison(self)
        front = attack.front(self)
        marches = attack.lead_on(self, front)
        deficits = attack.attack(self, front)
        for t, missing in marches.items():
            deficits.setdefault(t, missing)
        logistics.feed(self)
        logistics.mend(self)
        if self.skill.retreat:
            posture.fall_back(self)
        if self.intent.concentrate:
            gathering.reinforce(self, deficits)
        posture.get_going(self)
        given = list(self.orders.values())
        return [o for o, why in zip(given, refusals(self.state, self.faction, given), strict=True) if why is None]

    # --- what the steps share ---------------------------------------------------------------------

    def give(self, u: int, order: Order) -> None:
        self.orders[u] = order
        self.taken.add(u)

    def free(self) -> list[int]:
        """Units without a task yet this week."""
        taken = self.taken
        return [u for u in self.mine if u not in taken]

    def region_ok(self, u: int, station: int) -> bool:
        """Whether the unit's contingent may go to `station` (the Japanese east of Baikal...)."""
        region = self.region[u]
        return region < 0 or self.sit.net.regions[region][station]

    def labels(self, region: int) -> list[int]:
        """Pieces of our network a unit kept to `region` can travel within (see `components`)."""
        out = self._labels.get(region)
        if out is None:
            out = components(self.state, self.faction, region).tolist()
            self._labels[region] = out
        return out

    def can_reach(self, u: int, station: int) -> bool:
        """Whether a move order to `station` would be legal (the engine's `reachable`, fast for most units) and
        take the unit there: a train out on the line heads for the nearer end first, and halts for good if the
        enemy holds it."""
        here = self.at[u]
        if here >= 0:
            labels = self.labels(self.region[u])
            if labels[here] >= 0:
                return here != station and labels[station] == labels[here]
        elif self.hostile[self.ends(u, station)[0]]:
            return False
        return bool(reachable(self.state, u)[station]) and self.region_ok(u, station)

    def ends(self, u: int, goal: int) -> tuple[int, int]:
        """The two ends of the segment a unit is out on, the one its train heads for first: the nearer by way of
        `goal`, or simply the nearer with no goal (the rules' choice)."""
        w, s = self.world, self.state
        seg = int(s.segment[u])
        a, b = int(w.seg_a[seg]), int(w.seg_b[seg])
        along = float(s.progress[u])
        to_a, to_b = along, w.seg_km_list[seg] - along
        if goal >= 0:
            to_a += w.distance[a, goal]
            to_b += w.distance[b, goal]
        return (a, b) if to_a <= to_b else (b, a)

    def send(self, u: int, station: int) -> bool:
        """Order a unit toward a station (boarding its trains first if it is on foot); False if it cannot go."""
        w = self.world
        here = self.at[u]
        if here == station or not self.can_reach(u, station):
            return False
        if not self.entrained[u] and here >= 0 and w.distance[here, station] > self.march_km:
            self.give(u, Entrain(w.unit_ids[u]))
        else:
            self.give(u, Move(w.unit_ids[u], w.station_ids[station]))
        self.incoming[station] += self.worth[u]
        return True

    def open_the_way(self, st: int) -> None:
        """An enemy station blocks our way home or to the rallying point: it becomes a target worth a fight."""
        self.targets[st] = True
        self.target_array[st] = True
        self.value[st] = max(self.value[st], THE_WAY)
        self.value_array[st] = self.value[st]

    def defended(self, st: int) -> float:
        """The defence an attack of ours on `st` meets: the engine's `defence_strength` of the units there we
        are at war with, summed in the engine's order so that the odds are exactly those `preview_combat` shows."""
        hit = self._defended.get(st)
        if hit is None:
            war, faction, cover = self.at_war, self.sit.net.faction, self.sit.columns.cover
            total = 0.0
            for u in garrisons(self.state).get(st, ()):
                if war[faction[u]]:
                    total += cover[u]
            hit = self._defended[st] = total * self.sit.net.fort_list[st]
        return hit

    def links(self, entrained: bool) -> list[list[int]]:
        """Per station: the neighbours a unit could attack this week, by train or on foot."""
        layout = self.sit.layout
        return layout.train_links if entrained else layout.foot_links

    def exits(self, st: int) -> list[int]:
        """Neighbours of `st` along open track that are not in enemy hands."""
        out = self._exits.get(st)
        if out is None:
            hostile = self.hostile
            out = self._exits[st] = [other for other in self.sit.layout.open_links[st] if not hostile[other]]
        return out


@kernel
def _depot_values(
    targets: BoolArray, depot: FloatArray, distance: FloatArray, strength: FloatArray, supply: FloatArray
) -> FloatArray:
    """`Planner._bread`'s values: each target depot's issue, weighed by how hungry the men nearest to it are (the
    first of equally near stations where we have strength, in station order)."""
    out = np.zeros(depot.shape[0])
    for d in range(depot.shape[0]):
        if not (targets[d] and depot[d] > 0):
            continue
        nearest = -1
        for s in range(strength.shape[0]):
            if strength[s] > 0 and (nearest < 0 or distance[d, s] < distance[d, nearest]):
                nearest = s
        out[d] = HUNGRY_DEPOT * (1.0 - supply[nearest]) * depot[d]
    return out
