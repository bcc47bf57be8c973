"""One game week by week, as a batch keeps it: who held every station, and the curves of points, men and losses.

Kept small, since a worker sends one per game: an int8 array turns x stations and an int32 one turns x curves
(about 25 KB for the campaign). Turns after the game ended repeat its last state, so games of any length line
up on the same calendar.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from anabasis.engine.state import GameState
from anabasis.engine.world import World

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


def curve_values(state: GameState) -> npt.NDArray[np.int64]:
    """The state's value of each curve column: points by side (hundredths), then men by faction."""
    points = np.round(state.side_points() * POINTS_SCALE).astype(np.int64)
    return np.concatenate([points, state.men_on_map(), state.casualties, state.evacuated])


@dataclass
class Timeline:
    """Per turn, after it was resolved: each station's holder and each curve's value."""

    holder: HolderArray  # turn x station: the holding faction's index, -1 for nobody
    curves: CurveArray  # turn x curve column (see `curve_columns`)
    last: int = -1

    @classmethod
    def start(cls, world: World, turns: int) -> Timeline:
        return cls(
            holder=np.full((turns, world.n_stations), -1, dtype=np.int8),
            curves=np.zeros((turns, len(curve_columns(world))), dtype=np.int32),
        )

    def observe(self, turn: int, state: GameState) -> None:
        self.holder[turn] = state.control
        self.curves[turn] = curve_values(state)
        self.last = turn

    def finish(self) -> None:
        """Carry the last observed turn forward to the end of the calendar."""
        if 0 <= self.last < len(self.holder) - 1:
            self.holder[self.last + 1 :] = self.holder[self.last]
            self.curves[self.last + 1 :] = self.curves[self.last]
