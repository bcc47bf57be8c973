"""The week's end, after the battles: who dug in, a week's supply, the ships' loading and the points, in one pass.

These four steps read and change the same arrays one after another, with nothing for Python to decide between
them; called as four kernels, handing over their arrays and the Python between them cost more than their work.
One kernel takes them in the rules' order, and the report hears of the shortages and the men shipped afterwards.
"""

from __future__ import annotations

import numpy as np

from anabasis.engine.evacuation import ship_out
from anabasis.engine.jit import kernel
from anabasis.engine.network import _hostility
from anabasis.engine.report import Report
from anabasis.engine.state import ACTIVE, GameState
from anabasis.engine.supply import resupply, shortages, week_need
from anabasis.engine.victory import Objectives, objectives, score_turn
from anabasis.engine.world import BoolArray, FloatArray, IntArray

# What the week's end reads and changes, as plain tuples (numba takes those fastest).
Before = tuple[IntArray, IntArray, FloatArray, BoolArray]  # station, segment, km along it before the moves; at work
Standing = tuple[IntArray, IntArray, IntArray, IntArray, IntArray]  # stance, control, status, station, unit faction
# supply factors, stockpiles' tons, damage, port capacity; then as `resupply` reads the network: segments' ends and
# km, depots, stockpiles' stations and issue
Stocks = tuple[
    FloatArray, FloatArray, IntArray, IntArray, IntArray, IntArray, FloatArray, FloatArray, IntArray, FloatArray
]
# men, segment, km along it, stores, cohesion and its cap, goal, dug in, embarking
Troops = tuple[IntArray, IntArray, FloatArray, FloatArray, FloatArray, FloatArray, IntArray, BoolArray, BoolArray]
Toll = tuple[IntArray, IntArray, FloatArray, IntArray]  # as `resupply` fills it: casualties, then the starving
Shipping = tuple[IntArray, IntArray]  # men shipped out by faction; the week's loadings, as `ship_out` fills them
Tally = tuple[Objectives, int, IntArray, FloatArray]  # objectives, turn, casualties at the start, points


def close_week(s: GameState, casualties_before: IntArray, before: Before, report: Report) -> None:
    """End the week of `s` after its battles (`casualties_before`: by faction, at the start of the week; `before`:
    the units' stations, segments and km along them before they moved, and which were at work all week)."""
    w, r = s.world, s.world.rules
    standing = (s.stance, s.control, s.status, s.station, w.unit_faction)
    stocks = (
        s.supply_factor, s.stockpile_tons, s.damage, s.port_men,
        w.seg_a, w.seg_b, w.seg_km, w.depot, w.stockpile_station, w.stockpile_supply,
    )  # fmt: skip
    troops = (s.men, s.segment, s.progress, s.stores, s.cohesion, s.cohesion_cap, s.goal, s.dug_in, s.embarking)
    hunger = (week_need(s), float(r.stores_weeks), float(r.cohesion_gain), float(r.cohesion_loss), float(r.attrition))
    n = w.n_units
    starving, got, lost = np.empty(n, dtype=np.int64), np.empty(n), np.empty(n, dtype=np.int64)
    shipped = np.empty((n, 3), dtype=np.int64)
    tally = (objectives(w), s.turn, casualties_before, s.points)
    toll = (s.casualties, starving, got, lost)
    n_short, n_shipped, gone = _week_end(before, standing, stocks, troops, hunger, toll, (s.evacuated, shipped), tally)
    if n_short:
        report.shortages += shortages(w, starving[:n_short], got[:n_short], lost[:n_short])
    for u, men, port in shipped[:n_shipped].tolist():
        report.note("evacuation", w.unit_ids[u], f"{men} men shipped from {w.station_ids[port]}")
    if gone:  # only units gone change who stands where
        s.touch()


@kernel
def _week_end(  # noqa: PLR0917 (a kernel: numba calls it with its arguments in order)
    before: Before,
    standing: Standing,
    stocks: Stocks,
    troops: Troops,
    hunger: tuple[float, float, float, float, float],
    toll: Toll,
    shipping: Shipping,
    tally: Tally,
) -> tuple[int, int, bool]:
    """Dig in the men who stood still, feed every unit (`resupply`), ship out the men waiting at the ports
    (`ship_out`) and add the week's points (`score_turn`), in that order. Puts the starving units into `toll` (after
    the casualties: unit, share of need got, men lost) and the loadings into `shipping`; returns how many of each,
    and whether any unit left the map."""
    station_before, segment_before, progress_before, at_work = before
    stance, control, status, station, faction = standing
    factor, tons, damage, port_men = stocks[:4]
    men, segment, progress, stores, cohesion, cap, goal, dug_in, embarking = troops
    casualties = toll[0]
    evacuated, shipped = shipping
    for u in range(status.shape[0]):
        dug_in[u] = (
            station[u] == station_before[u]
            and segment[u] == segment_before[u]
            and progress[u] == progress_before[u]
            and status[u] == ACTIVE
            and station[u] >= 0
            and not at_work[u]
            and goal[u] < 0
        )
    hostile = _hostility(stance, control, status, station, faction)
    n_short, starved_out = resupply(
        (hostile, control, stance, factor, tons, damage),
        stocks[4:],
        (status, faction, men, station, segment, progress, stores, cohesion, cap),
        hunger,
        toll,
    )
    evacuated_before = evacuated.copy()
    n_shipped, shipped_out = ship_out(
        (port_men, control, stance), (status, embarking, station, men, faction), evacuated, shipped
    )
    objectives_, turn, casualties_before, points = tally
    men_gone = (evacuated, evacuated_before, casualties, casualties_before)
    score_turn(objectives_, turn, (control, stance, tons), men_gone, points)
    return n_short, n_shipped, starved_out or shipped_out
