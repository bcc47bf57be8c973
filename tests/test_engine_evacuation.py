"""Evacuation by sea: the ships take so many men a week; the rest wait on the quay."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from anabasis.engine import Entrain, Evacuate, GameState, Hold, Status, World, initial_state, step, why_illegal
from anabasis.engine.report import Report

WorldOf = Callable[..., World]


def shipped(report: Report) -> dict[str, int]:
    """Men shipped out this week by unit, from the report's lines."""
    out: dict[str, int] = {}
    for h in report.happenings:
        if h.kind == "evacuation":
            out[h.subject] = out.get(h.subject, 0) + int(h.text.split()[0])
    return out


def weeks(state: GameState, first: dict[str, list[Evacuate]], n: int) -> list[tuple[GameState, Report]]:
    rng = np.random.default_rng(0)
    out = []
    for k in range(n):
        state, report = step(state, first if k == 0 else {}, rng)
        out.append((state, report))
    return out


def test_ships_take_at_most_the_ports_capacity_a_week_and_the_rest_wait(mini_world: WorldOf) -> None:
    w = mini_world()
    state, _ = initial_state(w)
    capacity = int(w.port_men[w.station_index["vladivostok"]])
    u, legion = w.unit_index["cz_vlad"], w.faction_index["legion"]
    men = int(state.men[u])
    history = weeks(state, {"legion": [Evacuate("cz_vlad")]}, men // capacity + 2)
    per_week = [shipped(r).get("cz_vlad", 0) for _, r in history]
    full_weeks, rest = divmod(men, capacity)
    assert per_week == [capacity] * full_weeks + [rest, 0]
    # Between sailings the rest of the group waits on the quay, still on the map.
    after_first = history[0][0]
    assert after_first.status[u] == Status.ACTIVE and int(after_first.men[u]) == men - capacity
    last = history[-1][0]
    assert last.status[u] == Status.EVACUATED and int(last.evacuated[legion]) == men


def test_units_waiting_at_one_port_share_its_ships(mini_world: WorldOf) -> None:
    w = mini_world()
    state, _ = initial_state(w)
    capacity = int(w.port_men[w.station_index["vladivostok"]])
    history = weeks(state, {"legion": [Evacuate("cz_vlad")], "allies": [Evacuate("us_27")]}, 6)
    totals = [sum(shipped(r).values()) for _, r in history]
    assert all(t <= capacity for t in totals) and totals[0] == capacity
    assert sum(totals) == 14000 + 1500


def test_a_new_order_other_than_hold_takes_a_unit_out_of_the_queue(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world())
    rng = np.random.default_rng(0)
    state, _ = step(state, {"legion": [Evacuate("cz_vlad")]}, rng)
    _, report = step(state, {"legion": [Hold("cz_vlad")]}, rng)
    assert "cz_vlad" in shipped(report)
    state, report = step(state, {"legion": [Entrain("cz_vlad")]}, rng)
    assert "cz_vlad" not in shipped(report)
    state, report = step(state, {}, rng)
    assert "cz_vlad" not in shipped(report)


def test_only_a_unit_at_a_friendly_port_can_embark(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world())
    assert why_illegal(state, "legion", Evacuate("cz_chel")) == "Chelyabinsk group is not at a port"
    assert why_illegal(state, "legion", Evacuate("cz_vlad")) is None
    held, _ = initial_state(mini_world("stations[vladivostok].held_by=reds"))
    assert why_illegal(held, "legion", Evacuate("cz_vlad")) == "Vladivostok is not in friendly hands"
