"""Supply along the railway: depots and stockpiles feed units joined to them by unbroken, unhostile track.

Each faction's network splits into pieces wherever the enemy holds a station or the line is cut; a
piece shares out what its depots issue. A unit short of supply lives on its stores; when they run out
it loses cohesion, and a broken, hungry unit loses men. Winter raises what every man needs.
"""

from __future__ import annotations

import numpy as np

from anabasis.engine.network import components
from anabasis.engine.report import Report, Shortage
from anabasis.engine.state import GameState, Status
from anabasis.engine.world import NEUTRAL, NOBODY, IntArray

LOCAL_SHARE = 0.25  # what a unit can buy or requisition from a depot held by a neutral or by nobody
BROKEN = 0.3  # below this cohesion, a unit out of stores starts to lose men


def _unit_nodes(state: GameState, units: IntArray) -> IntArray:
    """The station each unit draws through: where it stands, or the nearer end of its segment."""
    w = state.world
    st = state.station[units]
    seg = state.segment[units]
    on_line = st < 0
    if np.any(on_line):
        s = seg[on_line]
        near_a = state.progress[units][on_line] <= w.seg_km[s] / 2
        st = st.copy()
        st[on_line] = np.where(near_a, w.seg_a[s], w.seg_b[s])
    return st


def issued(state: GameState, faction: int) -> np.ndarray:
    """Supply a week each station issues to `faction`: its own depots, a share of neutral ones, stockpiles."""
    w = state.world
    holder = state.control
    own = holder == faction
    unheld = holder == NOBODY
    neutral = np.zeros(w.n_stations, dtype=np.bool_)
    held = ~unheld
    neutral[held] = state.stance[faction, holder[held]] == NEUTRAL
    out = np.where(own, w.depot * state.supply_factor[faction], 0.0)
    out += np.where(neutral | unheld, w.depot * LOCAL_SHARE, 0.0)
    if len(w.stockpile_ids):
        live = (state.stockpile_tons > 0) & (holder[w.stockpile_station] == faction)
        np.add.at(out, w.stockpile_station[live], w.stockpile_supply[live] * state.supply_factor[faction])
    return out


def resupply(state: GameState, report: Report) -> None:
    """One week of supply for every unit on the map."""
    w, r = state.world, state.world.rules
    winter = bool(w.winter[min(state.turn, w.turns - 1)])
    need = r.supply_need * (r.winter_need if winter else 1.0)
    active = state.status == Status.ACTIVE
    ns = w.n_stations
    for faction in range(w.n_factions):
        units = np.flatnonzero(active & (w.unit_faction == faction))
        if len(units) == 0:
            continue
        labels = components(state, faction, -1)
        labels = np.where(labels >= 0, labels, ns + (-1 - labels))
        nodes = _unit_nodes(state, units)
        demand = np.bincount(labels[nodes], weights=state.men[units] / 1000.0 * need, minlength=2 * ns)
        supply = np.bincount(labels, weights=issued(state, faction), minlength=2 * ns)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(demand > 0, np.minimum(1.0, supply / demand), 1.0)
        got = ratio[labels[nodes]]
        stores = np.clip(state.stores[units] - 1.0 + 2.0 * got, 0.0, r.stores_weeks)
        state.stores[units] = stores
        empty = stores <= 0.0
        fed = ~empty & (got >= 0.5)
        state.cohesion[units[fed]] = np.minimum(
            state.cohesion_cap[units[fed]], state.cohesion[units[fed]] + r.cohesion_gain
        )
        starving = units[empty]
        if len(starving) == 0:
            continue
        state.cohesion[starving] = np.maximum(0.0, state.cohesion[starving] - r.cohesion_loss)
        broken = starving[state.cohesion[starving] < BROKEN]
        lost = np.minimum(state.men[broken], np.ceil(state.men[broken] * r.attrition).astype(np.int64))
        state.men[broken] -= lost
        state.casualties[faction] += int(lost.sum())
        gone = broken[state.men[broken] <= 0]
        state.status[gone] = Status.DESTROYED
        state.station[gone] = -1
        state.segment[gone] = -1
        lost_by_unit = dict(zip(broken.tolist(), lost.tolist(), strict=True))
        for u, g in zip(starving.tolist(), got[empty].tolist(), strict=True):
            report.shortages.append(Shortage(w.unit_ids[u], round(g, 2), 0.0, int(lost_by_unit.get(u, 0))))
    state.touch()
