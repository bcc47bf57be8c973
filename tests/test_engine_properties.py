"""Invariants over whole games of random legal orders mixed with illegal ones, on the fixture and the campaign."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anabasis.ai.baseline import RandomAgent
from anabasis.engine import (
    Answer,
    Attack,
    Blow,
    Destroy,
    Detrain,
    Entrain,
    Evacuate,
    GameState,
    Hold,
    Move,
    Order,
    Repair,
    Status,
    World,
    why_illegal,
)
from anabasis.engine.game import Game
from anabasis.engine.report import Report

WorldOf = Callable[..., World]
GAMES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def stray_orders(state: GameState, faction: str, rng: np.random.Generator, n: int) -> list[Order]:
    """`n` orders picked at random from every kind, unit, station and segment (and some that name nothing)."""
    w = state.world
    units = [*w.unit_ids, "ghost"]
    stations = [*w.station_ids, "atlantis"]
    segments = [*w.segment_index, "penza-atlantis"]
    stockpiles = [*w.stockpile_ids, "gold"]
    events = [*w.event_index, "armistice"]

    def pick(names: list[str]) -> str:
        return names[int(rng.integers(len(names)))]

    makers: list[Callable[[], Order]] = [
        lambda: Move(pick(units), pick(stations)),
        lambda: Attack(pick(units), pick(stations)),
        lambda: Entrain(pick(units)),
        lambda: Detrain(pick(units)),
        lambda: Hold(pick(units)),
        lambda: Evacuate(pick(units)),
        lambda: Blow(pick(units), pick(segments)),
        lambda: Repair(pick(units), pick(segments)),
        lambda: Destroy(pick(units), pick(stockpiles)),
        lambda: Answer(pick(events), pick(["fight", "disarm", "yes"])),
    ]
    return [makers[int(rng.integers(len(makers)))]() for _ in range(n)]


def check_men_are_conserved(state: GameState) -> None:
    w = state.world
    on_map = state.status == Status.ACTIVE
    for f, fid in enumerate(w.faction_ids):
        present = int(state.men[on_map & (w.unit_faction == f)].sum())
        gone = int(state.casualties[f] + state.evacuated[f] + state.departed[f])
        assert int(state.arrived[f]) == present + gone, fid


def check_values_in_range(state: GameState) -> None:
    w = state.world
    active = state.status == Status.ACTIVE
    assert np.all(state.men >= 0) and np.all(state.men[active] > 0)
    assert np.all((state.stores >= 0) & (state.stores <= w.rules.stores_weeks))
    assert np.all((state.cohesion >= 0) & (state.cohesion <= 1)) and np.all(state.cohesion <= state.cohesion_cap)
    assert np.all((state.arms > 0) & (state.arms <= 1))
    assert np.all(state.damage >= 0) and np.all(state.stockpile_tons >= 0) and np.all(state.port_men >= 0)
    # A unit on the map is at one station or on one segment; a unit off it is nowhere.
    assert np.all((state.station[active] >= 0) != (state.segment[active] >= 0))
    assert np.all(state.station[~active] == -1)


def check_control_changes_by_battle_or_event(before: GameState, after: GameState, report: Report) -> None:
    w = after.world
    taken = {b.station for b in report.battles if b.attacker_won}
    handed = {h.subject for h in report.happenings if h.kind == "control"}
    changed = {w.station_ids[k] for k in np.flatnonzero(before.control != after.control).tolist()}
    assert changed <= taken | handed, changed - taken - handed


def places(state: GameState) -> list[tuple[int, float]]:
    """Where each unit is: (station, 0) or, between stations, (-1 - segment, km along it).

    A unit at 0 km or the far end of a segment counts as at that station, so a report that says where a unit
    stands is compared with where it is, whichever way it is written.
    """
    w = state.world
    out = []
    for station, seg, km in zip(state.station.tolist(), state.segment.tolist(), state.progress.tolist(), strict=True):
        at = station
        if station < 0 and seg >= 0 and km in (0.0, w.seg_km_list[seg]):
            at = int(w.seg_a[seg] if km == 0.0 else w.seg_b[seg])
        out.append((at, 0.0) if at >= 0 else (-1 - seg, km))
    return out


def check_every_move_is_reported(before: GameState, after: GameState, report: Report) -> None:
    """A unit changes place only by rail or march (in `moves`), by retreat, by entering a station it took, or by
    leaving a station an event handed to its enemy (a `withdrawal`)."""
    w = after.world
    stayed = (before.status == Status.ACTIVE) & (after.status == Status.ACTIVE)
    shifted = {
        w.unit_ids[u]
        for u, (a, b) in enumerate(zip(places(before), places(after), strict=True))
        if stayed[u] and a != b
    }
    explained = {m.unit for m in report.moves} | {h.subject for h in report.happenings if h.kind == "withdrawal"}
    for b in report.battles:
        explained |= {unit for unit, _ in b.retreats}
        if b.attacker_won:
            explained |= set(b.attackers)
    assert shifted <= explained, shifted - explained


def play_checked(world: World, seed: int, share: float, turns: int) -> Game:
    """A game of random commanders with stray orders mixed in, every invariant checked after every week."""
    game = Game(world, seed)
    agents = {f: RandomAgent(share) for f in world.faction_ids}
    noise = np.random.default_rng([seed, 7])
    check_men_are_conserved(game.state)
    while not game.state.ended and game.turn < turns:
        before = game.state
        orders = {f: agent.orders(before, f, game.agent_rng(f)) for f, agent in agents.items()}
        illegal: Counter[tuple[str, str, str]] = Counter()
        for f in world.faction_ids:
            for order in stray_orders(before, f, noise, 4):
                reason = why_illegal(before, f, order)
                if reason is not None:
                    orders[f].append(order)
                    illegal[(f, str(order), reason)] += 1
        orders["ottomans"] = [Hold(world.unit_ids[0])]
        illegal[("ottomans", str(Hold(world.unit_ids[0])), "there is no faction 'ottomans'")] += 1
        report = game.play(orders)
        assert Counter((r.faction, r.order, r.reason) for r in report.refused) == illegal
        check_men_are_conserved(game.state)
        check_values_in_range(game.state)
        check_control_changes_by_battle_or_event(before, game.state, report)
        check_every_move_is_reported(before, game.state, report)
        assert all(b.attacker_losses >= 0 and b.defender_losses >= 0 for b in report.battles)
    return game


@GAMES
@given(seed=st.integers(0, 2**32 - 1), share=st.floats(0.2, 1.0))
def test_whole_games_of_the_fixture_keep_the_invariants(mini_world: WorldOf, seed: int, share: float) -> None:
    w = mini_world()
    game = play_checked(w, seed, share, w.turns)
    assert game.state.ended


@GAMES
@given(seed=st.integers(0, 2**32 - 1), share=st.floats(0.2, 1.0))
def test_the_campaigns_opening_weeks_keep_the_invariants(campaign_world: World, seed: int, share: float) -> None:
    game = play_checked(campaign_world, seed, share, 12)
    assert game.turn == 12
