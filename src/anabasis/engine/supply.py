"""Supply along the railway: depots and stockpiles feed units joined to them by unbroken, unhostile track.

Each faction's network splits into pieces wherever the enemy holds a station or the line is cut; a
piece shares out what its depots issue. A unit short of supply lives on its stores; when they run out
it loses cohesion, and a broken, hungry unit loses men. Winter raises what every man needs.
"""

from __future__ import annotations

import numpy as np

from anabasis.engine.network import components, hostility
from anabasis.engine.report import Report, Shortage
from anabasis.engine.state import ACTIVE, DESTROYED, GameState
from anabasis.engine.world import ALLIED, NEUTRAL, FloatArray, IntArray

LOCAL_SHARE = 0.25  # what a unit can buy or requisition from a depot held by a neutral or by nobody
ALLIED_SHARE = 0.5  # what an ally's depot spares; Allied war material in a stockpile goes to all friends alike
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


def issued(state: GameState) -> FloatArray:
    """A faction-by-station table of supply a week: own depots, a share of neutral ones, stockpiles held."""
    w = state.world
    nf = w.n_factions
    control = state.control
    held = control >= 0
    own = control[None, :] == np.arange(nf)[:, None]
    local = np.zeros((nf, w.n_stations), dtype=np.bool_)
    local[:, held] = state.stance[:, control[held]] == NEUTRAL
    local[:, ~held] = True
    friend = np.zeros((nf, w.n_stations), dtype=np.bool_)
    friend[:, held] = state.stance[:, control[held]] == ALLIED
    friend &= ~own
    depot = w.depot[None, :]
    out = np.where(own, depot * state.supply_factor[:, None], 0.0)
    out += np.where(friend, depot * ALLIED_SHARE * state.supply_factor[np.maximum(control, 0)][None, :], 0.0)
    out += np.where(local, depot * LOCAL_SHARE, 0.0)
    if len(w.stockpile_ids):
        holder = control[w.stockpile_station]
        live = (state.stockpile_tons > 0) & (holder >= 0)
        for k in np.flatnonzero(live).tolist():
            h = int(holder[k])
            takers = (state.stance[h] == ALLIED) | (np.arange(nf) == h)
            out[takers, w.stockpile_station[k]] += w.stockpile_supply[k] * state.supply_factor[h]
    return out


def supply_pieces(state: GameState) -> tuple[IntArray, FloatArray]:
    """Each faction's network cut into pieces where enemies hold stations or the line is cut, and the supply
    a week each piece's depots and stockpiles issue. `labels[f, s]` is the piece of faction f that station s
    belongs to; `supply[label]` what it issues. Remembered per layout, for the engine and the AI alike."""
    return state.world.memo("supply", _layout_key(state), lambda: _pieces(state))


def _layout_key(state: GameState) -> bytes:
    """Everything the network's pieces and their depots' output depend on."""
    parts = (state.control, state.stance, state.damage > 0, state.supply_factor, state.stockpile_tons > 0)
    return hostility(state).tobytes() + b"".join(a.tobytes() for a in parts)


def _pieces(state: GameState) -> tuple[IntArray, FloatArray]:
    """Each faction's network cut into pieces (one label space for all factions: faction f's pieces are
    numbered from f * 2 * stations), and the supply a week each piece's depots issue."""
    w = state.world
    nf, ns = w.n_factions, w.n_stations
    labels = np.stack([components(state, f, -1) for f in range(nf)])
    labels = np.where(labels >= 0, labels, ns + (-1 - labels)) + (np.arange(nf) * 2 * ns)[:, None]
    supply = np.bincount(labels.ravel(), weights=issued(state).ravel(), minlength=nf * 2 * ns).astype(np.float64)
    return labels, supply


def resupply(state: GameState, report: Report) -> None:
    """One week of supply for every unit on the map, all factions at once."""
    w, r = state.world, state.world.rules
    winter = bool(w.winter[min(state.turn, w.turns - 1)])
    need = r.supply_need * (r.winter_need if winter else 1.0)
    units = np.flatnonzero(state.status == ACTIVE)
    if len(units) == 0:
        return
    nf, ns = w.n_factions, w.n_stations
    size = nf * 2 * ns
    labels, supply = supply_pieces(state)
    factions = w.unit_faction[units]
    unit_labels = labels[factions, _unit_nodes(state, units)]
    demand = np.bincount(unit_labels, weights=state.men[units] / 1000.0 * need, minlength=size)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(demand > 0, np.minimum(1.0, supply / demand), 1.0)
    got = ratio[unit_labels]
    stores = np.clip(state.stores[units] - 1.0 + 2.0 * got, 0.0, r.stores_weeks)
    state.stores[units] = stores
    empty = stores <= 0.0
    rested = units[~empty & (got >= 0.5)]
    state.cohesion[rested] = np.minimum(state.cohesion_cap[rested], state.cohesion[rested] + r.cohesion_gain)
    starving = units[empty]
    if len(starving) == 0:
        return
    state.cohesion[starving] = np.maximum(0.0, state.cohesion[starving] - r.cohesion_loss)
    broken = state.cohesion[starving] < BROKEN
    lost = np.where(broken, np.minimum(state.men[starving], np.ceil(state.men[starving] * r.attrition)), 0)
    lost = lost.astype(np.int64)
    state.men[starving] -= lost
    np.add.at(state.casualties, w.unit_faction[starving], lost)
    gone = starving[state.men[starving] <= 0]
    state.status[gone] = DESTROYED
    state.station[gone] = -1
    state.segment[gone] = -1
    for u, g, n in zip(starving.tolist(), got[empty].tolist(), lost.tolist(), strict=True):
        report.shortages.append(Shortage(w.unit_ids[u], round(g, 2), n))
    state.touch()
