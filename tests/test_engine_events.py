"""Events, decisions, arrivals and withdrawals: history arriving on its dates and on its conditions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from anabasis.engine import Answer, Attack, Order, Status, World, initial_state, legal_orders, step
from anabasis.engine import why_illegal as why
from anabasis.engine.network import components
from anabasis.engine.report import Report

WorldOf = Callable[..., World]


class Play:
    """A game of the fixture turn by turn, keeping every report."""

    def __init__(self, world: World) -> None:
        self.state, opening = initial_state(world)
        self.reports: list[Report] = [opening]
        self.rng = np.random.default_rng(0)

    def turn(self, orders: Mapping[str, Sequence[Order]] | None = None) -> Report:
        self.state, report = step(self.state, orders or {}, self.rng)
        self.reports.append(report)
        return report

    def until(self, date: dt.date) -> None:
        """Play quiet weeks until the current week is the one containing `date`."""
        while not self.state.date <= date < self.state.date + dt.timedelta(days=7):
            self.turn()

    def status(self, unit: str) -> Status:
        return Status(int(self.state.status[self.state.world.unit_index[unit]]))

    def at(self, unit: str) -> str:
        w = self.state.world
        return w.station_ids[int(self.state.station[w.unit_index[unit]])]


def fired_in(reports: list[Report], event: str) -> list[int]:
    return [k for k, r in enumerate(reports) if event in r.events]


def test_a_dated_event_fires_in_the_week_of_its_date(mini_world: WorldOf) -> None:
    game = Play(mini_world())
    game.until(dt.date(1918, 5, 25))
    # Fired as the week opened: reported with the turn just resolved, never before.
    assert fired_in(game.reports, "demand") == [len(game.reports) - 1]
    for _ in range(3):
        game.turn()
    assert fired_in(game.reports, "demand") == [len(game.reports) - 4]


def test_taking_omsk_brings_the_white_rising(mini_world: WorldOf) -> None:
    game = Play(
        mini_world("units[cz_chel].entrained=true", "rules.train_km_per_day=250", "units[red_omsk].station=penza")
    )
    for _ in range(3):
        game.turn()
    assert fired_in(game.reports, "omsk_rising") == [] and game.status("whites_omsk") == Status.RESERVE
    report = game.turn({"legion": [Attack("cz_chel", "omsk")]})
    assert "omsk_rising" in report.events
    assert ("arrival", "whites_omsk", "omsk") in [(h.kind, h.subject, h.text) for h in report.happenings]
    assert game.status("whites_omsk") == Status.ACTIVE and game.at("whites_omsk") == "omsk"
    for _ in range(2):
        game.turn()
    assert len(fired_in(game.reports, "omsk_rising")) == 1


def test_a_conditional_event_past_its_until_date_never_fires(mini_world: WorldOf) -> None:
    game = Play(
        mini_world(
            "units[cz_chel].entrained=true",
            "rules.train_km_per_day=250",
            "units[red_omsk].station=penza",
            "events[omsk_rising].until=1918-05-27",
        )
    )
    for _ in range(3):
        game.turn()
    report = game.turn({"legion": [Attack("cz_chel", "omsk")]})
    assert report.battles[0].attacker_won
    for _ in range(2):
        game.turn()
    assert fired_in(game.reports, "omsk_rising") == [] and game.status("whites_omsk") == Status.RESERVE


def test_a_decision_waits_for_its_faction_then_takes_its_default(mini_world: WorldOf) -> None:
    game = Play(mini_world())
    game.turn()
    asked = [o for o in legal_orders(game.state, "legion") if isinstance(o, Answer)]
    assert asked == [Answer("demand", "fight"), Answer("demand", "disarm")]
    assert why(game.state, "reds", Answer("demand", "fight")) == "no decision of yours is waiting on 'demand'"
    weeks = game.state.world.events[game.state.world.event_index["demand"]].weeks
    legion = game.state.world.faction_index["legion"]
    for _ in range(weeks - 1):
        report = game.turn()
        assert not [h for h in report.happenings if h.kind == "decision"]
        assert Answer("demand", "disarm") in legal_orders(game.state, "legion")
    report = game.turn()
    assert [(h.subject, h.text) for h in report.happenings if h.kind == "decision"] == [("demand", "fight (default)")]
    assert game.state.bonus_points[legion] == 1.0
    assert Answer("demand", "disarm") not in legal_orders(game.state, "legion")


def test_an_answer_applies_its_effects_at_once_and_only_once(mini_world: WorldOf) -> None:
    w = mini_world()
    game = Play(w)
    game.turn()
    report = game.turn({"legion": [Answer("demand", "disarm")]})
    assert ("decision", "demand", "disarm (legion)") in [(h.kind, h.subject, h.text) for h in report.happenings]
    legion_units = w.unit_faction == w.faction_index["legion"]
    assert np.all(game.state.arms[legion_units] == 0.1)
    assert np.all(game.state.arms[~legion_units] == w.unit_arms0[~legion_units])
    report = game.turn({"legion": [Answer("demand", "fight")]})
    assert [r.reason for r in report.refused] == ["no decision of yours is waiting on 'demand'"]
    for _ in range(4):
        report = game.turn()
        assert not [h for h in report.happenings if h.kind == "decision"]
    assert game.state.bonus_points[w.faction_index["legion"]] == 0.0


def test_an_arrival_comes_on_its_date(mini_world: WorldOf) -> None:
    game = Play(mini_world())
    game.until(dt.date(1918, 8, 26))
    arrivals = [[(h.kind, h.subject) for h in r.happenings] for r in game.reports]
    assert [k for k, seen in enumerate(arrivals) if ("arrival", "red_army") in seen] == [len(game.reports) - 1]
    assert game.status("red_army") == Status.ACTIVE and game.at("red_army") == "penza"
    w = game.state.world
    reds = w.faction_index["reds"]
    assert int(game.state.arrived[reds]) == int(w.unit_men0[w.unit_faction == reds].sum())


def test_an_arrival_waits_while_its_port_is_held_by_the_enemy_and_no_friend_holds_a_station(
    mini_world: WorldOf,
) -> None:
    # The Reds hold every station the Allies or their friends held; the American 27th, due in the third week,
    # has nowhere to land.
    held = [f"stations[{s}].held_by=reds" for s in ("vladivostok", "chita", "chelyabinsk")]
    game = Play(mini_world(*held, "units[us_27].arrives=1918-05-27"))
    for _ in range(5):
        game.turn()
    assert game.status("us_27") == Status.WAITING
    reason = why(game.state, "allies", Attack("us_27", "vladivostok"))
    assert reason is not None and "not arrived yet" in reason
    report = game.turn({"legion": [Attack("cz_vlad", "vladivostok")]})
    assert report.battles[0].attacker_won
    assert ("arrival", "us_27", "vladivostok") in [(h.kind, h.subject, h.text) for h in report.happenings]
    assert game.status("us_27") == Status.ACTIVE


def test_an_arrival_whose_station_the_enemy_holds_comes_in_at_the_nearest_friendly_one(mini_world: WorldOf) -> None:
    # The Reds hold Vladivostok; the Whites (the Allies' friends) hold Chita, the nearest station by rail.
    game = Play(mini_world("stations[vladivostok].held_by=reds", "units[us_27].arrives=1918-05-27"))
    arrivals = []
    for _ in range(3):
        arrivals += [(h.subject, h.text) for h in game.turn().happenings if h.kind == "arrival"]
    assert arrivals == [("us_27", "chita (instead of vladivostok, held by the enemy)")]
    assert game.status("us_27") == Status.ACTIVE and game.at("us_27") == "chita"


def test_an_arrival_kept_to_a_region_comes_in_only_inside_it(mini_world: WorldOf) -> None:
    # The Japanese must stay east of Baikal (Chita, Vladivostok). With Vladivostok and Chita Red, the nearest
    # friendly station is the Legion's Chelyabinsk: outside their region, so they wait off the map.
    held = [f"stations[{s}].held_by=reds" for s in ("vladivostok", "chita")]
    game = Play(mini_world(*held, "units[jp_12].arrives=1918-05-27"))
    for _ in range(4):
        game.turn()
    assert game.status("jp_12") == Status.WAITING
    game = Play(mini_world("stations[vladivostok].held_by=reds", "units[jp_12].arrives=1918-05-27"))
    for _ in range(4):
        game.turn()
    assert game.status("jp_12") == Status.ACTIVE and game.at("jp_12") == "chita"


def test_a_withdrawn_contingent_counts_its_men_as_departed(mini_world: WorldOf) -> None:
    w = mini_world()
    game = Play(w)
    game.until(dt.date(1918, 11, 11))
    assert "canadians_home" in game.reports[-1].events
    assert game.status("us_27") == Status.DEPARTED
    assert int(game.state.departed[w.faction_index["allies"]]) == 1500
    assert ("departure", "us_27", "1500 men") in [(h.kind, h.subject, h.text) for h in game.reports[-1].happenings]
    reason = why(game.state, "allies", Attack("us_27", "vladivostok"))
    assert reason == "27th Infantry has gone home"


def test_a_contingent_withdrawn_before_it_arrives_never_comes(mini_world: WorldOf) -> None:
    w = mini_world("units[us_27].arrives=1918-12-02")
    game = Play(w)
    game.until(dt.date(1918, 12, 9))
    assert game.status("us_27") == Status.CANCELLED
    allies = w.faction_index["allies"]
    assert int(game.state.departed[allies]) == 0 and int(game.state.arrived[allies]) == 12000


def test_a_ceded_station_passes_to_the_other_faction_and_only_those_listed(mini_world: WorldOf) -> None:
    # The Legion holds Chelyabinsk and Omsk; it cedes Chelyabinsk and Penza, which the Reds hold already.
    cede = "[{kind: cede, faction: legion, to: reds, stations: [chelyabinsk, penza]}]"
    game = Play(mini_world(f"events[demand].decision.options[disarm].effects={cede}", "stations[omsk].held_by=legion"))
    w = game.state.world
    game.until(dt.date(1918, 5, 25))
    game.turn({"legion": [Answer("demand", "disarm")]})
    held = {w.station_ids[k]: w.faction_ids[int(f)] for k, f in enumerate(game.state.control.tolist()) if f >= 0}
    assert held["chelyabinsk"] == "reds"  # listed and the Legion's: handed over
    assert held["omsk"] == "legion"  # the Legion's but not listed: kept
    assert held["penza"] == "reds"  # listed but never the Legion's: unchanged
    handed = [h.subject for r in game.reports for h in r.happenings if h.kind == "control"]
    assert handed == ["chelyabinsk"]


def test_a_unit_starts_with_the_cohesion_its_scenario_gives_and_recovers_when_fed(mini_world: WorldOf) -> None:
    game = Play(mini_world("units[red_omsk].cohesion=0.6"))
    u = game.state.world.unit_index["red_omsk"]
    assert float(game.state.cohesion[u]) == 0.6
    game.turn()
    assert 0.6 < float(game.state.cohesion[u]) <= 1.0


def test_a_port_handed_over_by_a_landing_is_cleared_of_the_enemy_garrison_and_supplies_the_landing(
    campaign_world: World,
) -> None:
    # The British land at Arkhangelsk on 2 August 1918: the port is theirs, so the Red garrison leaves it without
    # a battle (to the nearest station the Reds still hold) and Poole's force, ashore, draws on the port.
    game = Play(campaign_world)
    game.until(dt.date(1918, 8, 2))
    w, state = campaign_world, game.state
    assert "arkhangelsk_landing" in game.reports[-1].events
    port, reds = w.station_index["arkhangelsk"], w.faction_index["reds"]
    garrison = w.unit_index["reds_arkhangelsk_garrison"]
    red_there = (state.status == Status.ACTIVE) & (state.station == port) & (w.unit_faction == reds)
    assert not red_there.any()
    settled = [(h.kind, h.subject) for h in game.reports[-1].happenings if h.kind in ("withdrawal", "captured")]
    assert settled == [("withdrawal" if state.status[garrison] == Status.ACTIVE else "captured", w.unit_ids[garrison])]
    if state.status[garrison] == Status.ACTIVE:
        assert int(state.control[int(state.station[garrison])]) == reds
    # Poole's force stands in a port of its own: on its side's network, fed from the port, nothing to attack there.
    allies, poole = w.faction_index["allies"], w.unit_index["britain_north_poole_landing"]
    assert components(state, allies, -1)[port] >= 0
    game.turn()
    assert float(game.state.stores[poole]) == w.rules.stores_weeks
    assert why(game.state, "allies", Attack("britain_north_poole_landing", "arkhangelsk")) is not None
