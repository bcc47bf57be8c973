"""Supply along the railway: a garrison cut off from its depot goes hungry, then breaks, then dwindles."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import numpy as np
import pytest

from anabasis.engine import Blow, GameState, World, initial_state, step
from anabasis.engine.report import Report, Shortage

WorldOf = Callable[..., World]

# The Legion holds Ufa (no depot) and Chelyabinsk (a depot that feeds 10,000 men); a bridge between them.
UFA_POCKET = (
    "stations[ufa].held_by=legion",
    "stations[ufa].depot=0",
    "stations[chelyabinsk].depot=10",
    "units[cz_penza].station=ufa",
    "units[cz_penza].men=4000",
    "units[cz_chel].men=4000",
    "segments[ufa-chelyabinsk].features=[{kind: bridge, name: Ufa bridge, repair_weeks: 20,"
    " source: {doc: history, note: test bridge}}]",
)
# The Chelyabinsk group of 8,000 on a depot issuing 5 a week: enough in summer, short when winter raises the need.
THIN_DEPOT = ("stations[chelyabinsk].depot=5", "stations[ufa].depot=0")


def weeks(state: GameState, n: int, first: dict[str, list[Blow]] | None = None) -> list[tuple[GameState, Report]]:
    """The states and reports of `n` weeks, the first with `first` orders and the rest with none."""
    rng = np.random.default_rng(0)
    out = []
    for k in range(n):
        state, report = step(state, (first or {}) if k == 0 else {}, rng)
        out.append((state, report))
    return out


def shortage(report: Report, unit: str) -> Shortage | None:
    return next((s for s in report.shortages if s.unit == unit), None)


def test_a_garrison_cut_off_from_its_depot_starves_while_the_connected_one_is_fed(mini_world: WorldOf) -> None:
    w = mini_world(*UFA_POCKET)
    state, _ = initial_state(w)
    cut, fed = w.unit_index["cz_penza"], w.unit_index["cz_chel"]
    history = weeks(state, 14, {"legion": [Blow("cz_chel", "ufa-chelyabinsk")]})

    stores = [float(s.stores[cut]) for s, _ in history]
    assert stores[0] < w.rules.stores_weeks
    empty = stores.index(0.0)
    assert all(a > b for a, b in pairwise(stores[: empty + 1]))

    # Once its stores are gone the report lists it each week: first its cohesion falls, then it loses men.
    short = [shortage(r, "cz_penza") for _, r in history]
    assert all(x is None for x in short[:empty]) and all(x is not None for x in short[empty:])
    cohesion = [float(s.cohesion[cut]) for s, _ in history[empty:]]
    assert cohesion[0] < 1.0 and all(a >= b for a, b in pairwise(cohesion))
    lost = [x.men_lost for x in short[empty:] if x is not None]
    assert lost[0] == 0 and lost[-1] > 0
    assert int(history[-1][0].men[cut]) == 4000 - sum(lost)
    assert int(history[-1][0].casualties[w.faction_index["legion"]]) >= sum(lost)

    assert all(shortage(r, "cz_chel") is None for _, r in history)
    assert [float(s.stores[fed]) for s, _ in history] == [w.rules.stores_weeks] * len(history)
    assert int(history[-1][0].men[fed]) == 4000 and float(history[-1][0].cohesion[fed]) == 1.0


def test_with_the_line_open_the_same_garrison_is_fed(mini_world: WorldOf) -> None:
    w = mini_world(*UFA_POCKET)
    state, _ = initial_state(w)
    history = weeks(state, 6)
    assert all(shortage(r, "cz_penza") is None for _, r in history)
    assert float(history[-1][0].stores[w.unit_index["cz_penza"]]) == w.rules.stores_weeks


@pytest.mark.parametrize("winter", [False, True])
def test_winter_raises_what_a_garrison_needs(mini_world: WorldOf, winter: bool) -> None:
    # The fixture starts in May; calling May and June winter is the only difference between the two games.
    w = mini_world(*THIN_DEPOT, f"rules.winter_months={[5, 6] if winter else [11, 12]}")
    state, _ = initial_state(w)
    u = w.unit_index["cz_chel"]
    stores = [float(s.stores[u]) for s, _ in weeks(state, 4)]
    if winter:
        assert all(a > b for a, b in zip([w.rules.stores_weeks, *stores], stores, strict=False))
    else:
        assert stores == [w.rules.stores_weeks] * 4


def test_an_allied_port_with_a_depot_and_stores_feeds_the_legion(mini_world: WorldOf) -> None:
    w = mini_world()
    state, _ = initial_state(w)
    history = weeks(state, 8)
    assert all(shortage(r, "cz_vlad") is None for _, r in history)
