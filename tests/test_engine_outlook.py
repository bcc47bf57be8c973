"""The objectives panel's figures are the engine's: what `points_outlook` says a week pays is what the week scores
when nothing changes hands, and a dated objective says when it starts and stops counting."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from anabasis.engine import World, initial_state, step
from anabasis.engine.outlook import points_outlook

WorldOf = Callable[..., World]


def test_each_hold_objective_lists_its_stations_holders_and_weekly_points(mini_world: WorldOf) -> None:
    w = mini_world()
    state, _ = initial_state(w)
    by_id = {w.objectives[o.objective].id: o for o in points_outlook(state)}
    legion = by_id["legion_hold"]
    assert [(w.station_ids[h.station], h.scores) for h in legion.holdings] == [
        ("samara", False),
        ("omsk", False),
        ("chelyabinsk", True),
    ]
    assert legion.weekly == (1.0, 1.0) and legion.live == (True, True)
    assert by_id["reds_hold"].weekly == (4.0, 4.0)
    stores = by_id["allies_stores"]
    assert [(w.stockpile_ids[h.stockpile], h.scores) for h in stores.holdings] == [("vlad_stores", True)]
    assert stores.weekly == (0.5, 0.5)
    assert by_id["legion_home"].per_men and by_id["legion_home"].weekly == (0.0, 0.0)


def test_a_dated_objective_says_it_starts_next_week(mini_world: WorldOf) -> None:
    w = mini_world("victory.objectives[legion_hold].start=1918-05-20", "victory.objectives[reds_hold].end=1918-05-19")
    state, _ = initial_state(w)
    by_id = {w.objectives[o.objective].id: o for o in points_outlook(state, weeks=3)}
    assert by_id["legion_hold"].live == (False, True, True) and by_id["legion_hold"].weekly == (0.0, 1.0, 1.0)
    assert by_id["reds_hold"].live == (True, False, False) and by_id["reds_hold"].weekly == (4.0, 0.0, 0.0)


@pytest.mark.parametrize("scenario", ["campaign", "mini"])
def test_a_quiet_week_scores_what_the_outlook_said(scenario: str, campaign_world: World, mini_world: WorldOf) -> None:
    """With no orders nothing changes hands before the points are counted, so each week scores exactly the
    outlook's first week, objective by objective."""
    w = campaign_world if scenario == "campaign" else mini_world()
    state, _ = initial_state(w)
    rng = np.random.default_rng(0)
    for _ in range(4):
        outlook = points_outlook(state)
        before = state.points.copy()
        state, _ = step(state, {}, rng)
        for o in outlook:
            if not o.per_men:
                assert state.points[o.objective] - before[o.objective] == pytest.approx(o.weekly[0]), o
