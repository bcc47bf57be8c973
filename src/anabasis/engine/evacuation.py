"""Evacuation by sea: ships at a port take so many men a week; the men shipped out leave and score."""

from __future__ import annotations

import numpy as np

from anabasis.engine.report import Report
from anabasis.engine.state import ACTIVE, EVACUATED, GameState
from anabasis.engine.world import ALLIED, NOBODY


def ship_out(state: GameState, report: Report) -> None:
    """Load the units waiting at each port, in order, until the week's shipping is used up."""
    w = state.world
    waiting = (state.status == ACTIVE) & state.embarking
    for port in np.flatnonzero(state.port_men > 0).tolist():
        space = int(state.port_men[port])
        holder = int(state.control[port])
        for u in np.flatnonzero(waiting & (state.station == port)).tolist():
            f = int(w.unit_faction[u])
            if holder == NOBODY or (holder != f and state.stance[f, holder] != ALLIED) or space <= 0:
                continue
            n = min(int(state.men[u]), space)
            space -= n
            state.men[u] -= n
            state.evacuated[f] += n
            report.note("evacuation", w.unit_ids[u], f"{n} men shipped from {w.station_ids[port]}")
            if state.men[u] == 0:
                state.status[u] = EVACUATED
                state.station[u] = -1
                state.embarking[u] = False
                state.touch()
