"""One game week by week, as a batch keeps it: who held every station, and the curves of points, men and losses.

Kept small, since a worker sends one per game: an int8 array turns x stations and an int32 one turns x curves
(about 25 KB for the campaign). Turns after the game ended repeat its last state, so games of any length line
up on the same calendar.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from anabasis.engine.state import ACTIVE, GameState
from anabasis.engine.world import FloatArray, IntArray, World

HolderArray = npt.NDArray[np.int8]
CurveArray = npt.NDArray[np.int32]
# The curves, each by side (points) or by faction (men), named as in a game's row.
BY_SIDE, BY_FACTION = ("side_points",), ("strength", "casualties", "evacuated")
POINTS_SCALE = 100  # points are kept in hundredths (the result's rounding), so every curve is whole numbers


def curve_columns(world: World) -> list[tuple[str, str]]:
    """(curve, side or faction) for each column of a game's curves, in a fixed order."""
    return [(c, side) for c in BY_SIDE for side in world.side_ids] + [
        (c, f) for c in BY_FACTION for f in world.faction_ids
    ]


def side_points(world: World, bonus: FloatArray, points: FloatArray) -> FloatArray:
    """`GameState.side_points` of many weeks at once (week x side), from each week's faction bonus and objective
    points: the same additions in the same order, so the same floats."""
    by_faction = bonus.copy()
    for k, objective in enumerate(world.objectives):
        by_faction[:, objective.faction] += points[:, k]
    out = np.zeros((len(bonus), len(world.side_ids)))
    for f, side in enumerate(world.side_of.tolist()):
        if side >= 0:
            out[:, side] += by_faction[:, f]
    return out


def men_on_map(world: World, men: IntArray, status: IntArray) -> IntArray:
    """`GameState.men_on_map` of many weeks at once (week x faction): whole numbers, so exact in any order."""
    active_men = np.where(status == ACTIVE, men, 0)
    return np.stack([active_men[:, world.unit_faction == f].sum(axis=1) for f in range(world.n_factions)], axis=1)


@dataclass(frozen=True)
class Timeline:
    """Per turn, after it was resolved: each station's holder and each curve's value."""

    holder: HolderArray  # turn x station: the holding faction's index, -1 for nobody
    curves: CurveArray  # turn x curve column (see `curve_columns`)


@dataclass
class TimelineRecorder:
    """Takes down each week's holders and the numbers behind the curves, and works the curves out at the end, for
    all the weeks at once: a week costs a few copied rows rather than the sums of its own."""

    world: World
    holder: HolderArray
    bonus: FloatArray  # turn x faction: the points events awarded
    points: FloatArray  # turn x objective
    men: IntArray  # turn x unit
    status: IntArray  # turn x unit
    casualties: IntArray  # turn x faction
    evacuated: IntArray  # turn x faction
    last: int = -1

    @classmethod
    def start(cls, world: World, turns: int) -> TimelineRecorder:
        by_faction, by_unit = (turns, world.n_factions), (turns, world.n_units)
        return cls(
            world,
            holder=np.full((turns, world.n_stations), -1, dtype=np.int8),
            bonus=np.zeros(by_faction),
            points=np.zeros((turns, len(world.objectives))),
            men=np.zeros(by_unit, dtype=np.int64),
            status=np.zeros(by_unit, dtype=np.int64),
            casualties=np.zeros(by_faction, dtype=np.int64),
            evacuated=np.zeros(by_faction, dtype=np.int64),
        )

    def observe(self, turn: int, state: GameState) -> None:
        self.holder[turn] = state.control
        self.bonus[turn] = state.bonus_points
        self.points[turn] = state.points
        self.men[turn] = state.men
        self.status[turn] = state.status
        self.casualties[turn] = state.casualties
        self.evacuated[turn] = state.evacuated
        self.last = turn

    def finish(self) -> Timeline:
        """The timeline, with the last observed turn carried forward to the end of the calendar."""
        w, seen = self.world, slice(0, self.last + 1)
        curves = np.zeros((len(self.holder), len(curve_columns(w))), dtype=np.int32)
        points = np.round(side_points(w, self.bonus[seen], self.points[seen]) * POINTS_SCALE).astype(np.int64)
        on_map = men_on_map(w, self.men[seen], self.status[seen])
        curves[seen] = np.concatenate([points, on_map, self.casualties[seen], self.evacuated[seen]], axis=1)
        if 0 <= self.last < len(self.holder) - 1:
            self.holder[self.last + 1 :] = self.holder[self.last]
            curves[self.last + 1 :] = curves[self.last]
        return Timeline(self.holder, curves)
