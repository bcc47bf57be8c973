"""What each objective pays in the coming weeks if every station and stockpile stays in the hands it is in now:
the numbers of the objectives panel, counted by the scoring rule itself (`victory.counting`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anabasis.engine.state import GameState
from anabasis.engine.victory import HOLD, STOCKPILE, counting


@dataclass(frozen=True)
class Holding:
    """A station an objective is about (for a stockpile objective, where the stockpile lies): who holds it, and
    whether it scores for the objective now."""

    station: int
    holder: int  # faction index, -1 for nobody
    scores: bool
    stockpile: int = -1  # the stockpile, for a stockpile objective


@dataclass(frozen=True)
class Outlook:
    """One objective over the coming weeks, the first being this one."""

    objective: int  # index in `world.objectives`
    live: tuple[bool, ...]  # whether it counts in each coming week
    weekly: tuple[float, ...]  # points it pays in each coming week as things stand (hold and stockpile objectives)
    holdings: tuple[Holding, ...]
    scored: float  # points it has paid so far

    @property
    def per_men(self) -> bool:
        """Whether it pays by the 1,000 men (shipped out, or killed) rather than by the week."""
        return not self.holdings


def points_outlook(state: GameState, weeks: int = 2) -> list[Outlook]:
    """Every objective of the scenario with what it pays in each of the next `weeks` weeks, this one first, if no
    station or stockpile changes hands; `evacuate` and `destroy` objectives pay by the men, so 0 a week here."""
    w = state.world
    stations, stockpiles = counting(state)
    turns = state.turn + np.arange(weeks)
    live = (w.objective_first[:, None] <= turns) & (turns <= w.objective_last[:, None]) & (turns < w.turns)
    count = np.where(
        w.objective_kind == HOLD,
        np.count_nonzero(stations, axis=1),
        np.where(w.objective_kind == STOCKPILE, np.count_nonzero(stockpiles, axis=1), 0),
    )
    weekly = np.where(live, (w.objective_points * count)[:, None], 0.0)
    out = []
    for k, objective in enumerate(w.objectives):
        if w.objective_kind[k] == HOLD:
            holdings = tuple(
                Holding(s, int(state.control[s]), bool(stations[k, s])) for s in objective.stations.tolist()
            )
        elif w.objective_kind[k] == STOCKPILE:
            holdings = tuple(
                Holding(
                    int(w.stockpile_station[p]), int(state.control[w.stockpile_station[p]]), bool(stockpiles[k, p]), p
                )
                for p in objective.stockpiles.tolist()
            )
        else:
            holdings = ()
        out.append(
            Outlook(
                objective=k,
                live=tuple(bool(x) for x in live[k]),
                weekly=tuple(float(x) for x in weekly[k]),
                holdings=holdings,
                scored=float(state.points[k]),
            )
        )
    return out
