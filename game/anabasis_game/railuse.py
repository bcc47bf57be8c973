"""How full each stretch of line was in a week: the prisoner-of-war trains, which take capacity first, and the
units' trains, against the trains a day the line takes. The map colours the track by it (the bottleneck overlay).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from anabasis.engine import GameState, Report, World
from anabasis.engine.report import Moved
from anabasis.engine.world import FloatArray
from anabasis_game.describe import day, position


@dataclass(frozen=True)
class RailUse:
    """Trains a day on each segment in one week, and who ran them."""

    week: int  # the turn the trains ran in
    capacity: FloatArray  # trains a day each segment takes
    prisoners: FloatArray  # trains a day of prisoner-of-war traffic
    units: FloatArray  # trains a day the units took
    users: dict[int, list[int]]  # segment -> units whose trains ran on it, in the order they moved

    @property
    def used(self) -> FloatArray:
        used: FloatArray = self.prisoners + self.units
        return used

    @property
    def load(self) -> FloatArray:
        """Used against capacity: 1 is a full line; above 1, the prisoners' trains alone overfill it."""
        load: FloatArray = self.used / np.maximum(self.capacity, 1e-9)
        return load


def rail_use(world: World, report: Report, after: GameState) -> RailUse:
    """The use of the line in the week `report` tells of; `after` is the state that week left (who rode trains)."""
    days = float(world.turn_days)
    week = min(report.turn, world.turns - 1)
    units = np.asarray(report.rail, dtype=np.float64) if report.rail else np.zeros(len(world.seg_a))
    users: dict[int, list[int]] = {}
    for move in report.moves:
        unit = world.unit_index[move.unit]
        if after.entrained[unit]:
            for seg in entered(world, move):
                users.setdefault(seg, []).append(unit)
    return RailUse(report.turn, world.seg_trains_week / days, world.reserved[week] / days, units / days, users)


def entered(world: World, move: Moved) -> list[int]:
    """The segments a journey entered from a station: those whose capacity a train takes (a train already on a
    segment at the start of the week had taken it the week before)."""
    stops = [position(world, where) for where in (move.start, *move.via)]
    if not move.via or move.end != move.via[-1]:
        stops.append(position(world, move.end))
    out = []
    for (a, _, _), (b, seg, _) in pairwise(stops):
        leg = -1 if a < 0 else seg if b < 0 else world.segment_between(a, b)
        if leg >= 0:
            out.append(leg)
    return out


def prisoner_trains(world: World, week: int, seg: int) -> list[str]:
    """The prisoner-of-war traffic running on a segment in `week`, by name."""
    names = []
    for traffic in world.scenario.traffic:
        legs = {world.segment_index[f"{x}-{y}"] for x, y in pairwise(traffic.route)}
        if seg in legs and world.turn_of(traffic.start) <= week <= world.turn_of(traffic.end):
            names.append(traffic.name)
    return names


def rail_tip(world: World, use: RailUse, seg: int) -> list[str]:
    """The tooltip over the track with the bottleneck overlay on: how full the line was that week, and with what."""
    used, capacity = float(use.used[seg]), float(use.capacity[seg])
    lines = [
        f"{world.seg_line[seg]}: {world.station_names[world.seg_a[seg]]}–{world.station_names[world.seg_b[seg]]}",
        f"Week of {day(world.date_of(use.week))}: {used:.1f} of {capacity:g} trains a day ({used / capacity:.0%})",
    ]
    if use.prisoners[seg] > 0:
        names = ", ".join(prisoner_trains(world, use.week, seg))
        lines.append(f"Prisoner-of-war trains: {use.prisoners[seg]:.1f} a day ({names})")
    riders = use.users.get(seg, [])
    if use.units[seg] > 0 or riders:
        lines.append(f"Troop trains: {use.units[seg]:.1f} a day")
        by_faction: dict[str, list[str]] = {}
        for u in riders:
            by_faction.setdefault(world.faction_names[world.unit_faction[u]], []).append(world.unit_names[u])
        for name, units in sorted(by_faction.items(), key=lambda item: -len(item[1])):
            shown = ", ".join(units[:3]) + (f" and {len(units) - 3} more" if len(units) > 3 else "")
            lines.append(f"  {name}: {shown}")
    if used == 0:
        lines.append("No trains ran here that week")
    return lines
