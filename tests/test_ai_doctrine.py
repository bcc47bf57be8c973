"""The doctrine AI in small situations: it fights only at odds worth the men, keeps each contingent within its
government's limits, answers the decisions put to it, ships out when the ships come and pulls back to be fed; it
falls back toward its ships, leaves posts it could be cut off in, brings reserves where they can strike, clears a
blown line in front of it, and never leaves a train standing on the line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

import numba
import numpy as np
import pytest

from anabasis.ai.agent import Agent
from anabasis.ai.attack import HUNGRY_CHANCE, LEAST_CHANCE, odds, options
from anabasis.ai.baseline import PassiveAgent
from anabasis.ai.doctrine import intent
from anabasis.ai.intent import SKILLS
from anabasis.ai.planner import Planner
from anabasis.ai.registry import make_agent
from anabasis.ai.theatre import LEGAL, Plan, Resolve, Theatre, new_plan
from anabasis.engine import Evacuate, Move, Order, Repair, Report, World, why_illegal
from anabasis.engine.game import Game
from anabasis.engine.odds import preview_combat
from anabasis.engine.report import Battle
from anabasis.engine.world import IntArray

WorldOf = Callable[..., World]
FAR_EAST = "ai_far_east.yaml"
# Nothing in the Far East then holds a contingent back but its limits, and the Whites' guard at Harbin comes too late
# to take Chita before the Allies can.
WEAK_IRKUTSK = ("units[red_irkutsk].men=600", "units[horvat].arrives=1918-12-23")
# Samara and Penza held in strength: no attack on them can be made at decent odds.
STRONG_VOLGA = ("units[red_samara].men=12000", "units[red_penza].men=12000")
# A Legion echelon caught among the Samara Reds, with a well-stocked Chelyabinsk two stations back.
CAUGHT = (
    "units[cz_penza].station=samara",
    "units[red_samara].men=20000",
    "rules.stores_weeks=2",
    "stations[chelyabinsk].depot=30",
)
WAY_HOME = "ai_way_home.yaml"
VOLGA = "ai_volga.yaml"
LATER = "1920-01-05"  # an arrival date after the end of every test: the unit stays off the map
# The Whites' People's Army holds the Ruzayevka junction behind Kazan.
JUNCTION_HELD = ("units[komuch].arrives=null",)
# The 5th Red Army, half as strong again as the Penza group, has taken Ruzayevka next door; Kazan is empty.
PENZA_PRESSED = (
    "units[red_army].station=ruzayevka",
    "stations[ruzayevka].held_by=reds",
    "units[red_army].men=9000",
    f"units[cz_kazan].arrives={LATER}",
)
RTISHCHEVO_NOT_OURS = "stations[rtishchevo].held_by=null"  # beaten at Penza, the Legion would fall back to Syzran
# Only the Samara group is on the map, and the Reds are far off.
SAMARA_GROUP_ALONE = (
    f"units[cz_penza].arrives={LATER}",
    f"units[cz_kazan].arrives={LATER}",
    f"units[red_army].arrives={LATER}",
)
# Omsk starts empty; the 1st Red Army arrives there in the second week, while a Legion train bound for Baikal is on
# the line from Chelyabinsk. The men carry stores enough not to go hungry meanwhile.
OMSK_RETAKEN = (
    "stations[omsk].held_by=null",
    "units[red_omsk].station=penza",
    "units[red_army].station=omsk",
    "units[red_army].arrives=1918-05-20",
    "units[cz_chel].entrained=true",
    "rules.stores_weeks=12",
)


def play(
    world: World, agents: Mapping[str, Agent], turns: int | None = None, seed: int = 1
) -> tuple[Game, list[Report]]:
    """A game with the given commanders (passive for the other factions), checking every order the AIs give."""
    game = Game(world, seed)
    commanders = {f: agents.get(f, PassiveAgent()) for f in world.faction_ids}
    reports = []
    while not game.state.ended and (turns is None or game.turn < turns):
        orders = {f: agent.orders(game.state, f, game.agent_rng(f)) for f, agent in commanders.items()}
        for f, given in orders.items():
            assert all(why_illegal(game.state, f, order) is None for order in given), f
        reports.append(game.play(orders))
    return game, reports


def stations_of(game: Game, unit: int) -> list[int]:
    """Stations a unit stood at, week by week (replayed from the game's order log)."""
    replay = Game(game.world, game.seed)
    out = [int(replay.state.station[unit])]
    for orders in game.log:
        replay.play({f: [Order.parse(text) for text in given] for f, given in orders.items()})
        out.append(int(replay.state.station[unit]))
    return [s for s in out if s >= 0]


def station_of(game: Game, unit: str) -> str:
    """Where a unit stands now: a station id, or "" out on the line."""
    here = int(game.state.station[game.world.unit_index[unit]])
    return game.world.station_ids[here] if here >= 0 else ""


def ai(*factions: str, skill: int = 2) -> dict[str, Agent]:
    return {f: make_agent("ai", f, skill) for f in factions}


def battles(reports: list[Report], attacker: str) -> list[Battle]:
    return [b for r in reports for b in r.battles if b.attacker == attacker]


def test_it_waits_rather_than_attack_at_bad_odds(mini_world: WorldOf) -> None:
    _, reports = play(mini_world(*STRONG_VOLGA), ai("legion"), turns=10)
    fought = battles(reports, "legion")
    assert not [b for b in fought if b.station in ("samara", "penza")]
    assert all(b.chance >= HUNGRY_CHANCE for b in fought)
    # Against the garrisons as they are, the same commander does take Samara.
    _, reports = play(mini_world(), ai("legion"), turns=10)
    assert [b for b in battles(reports, "legion") if b.station == "samara" and b.attacker_won]


def test_a_cautious_commander_attacks_only_at_great_odds(mini_world: WorldOf) -> None:
    _, cautious = play(mini_world(), ai("legion", skill=1), turns=12)
    _, default = play(mini_world(), ai("legion", skill=2), turns=12)
    assert battles(cautious, "legion")
    assert all(b.chance >= SKILLS[1].chance for b in battles(cautious, "legion"))
    assert all(b.chance >= LEAST_CHANCE for b in battles(default, "legion"))
    assert any(b.chance < SKILLS[1].chance for b in battles(default, "legion"))


@pytest.mark.parametrize("skill", [1, 2, 3])
def test_no_order_is_refused_and_each_contingent_keeps_its_limits(fixture_world: WorldOf, skill: int) -> None:
    w = fixture_world(FAR_EAST, *WEAK_IRKUTSK)
    game, reports = play(w, ai(*w.faction_ids, skill=skill))
    assert not [r for report in reports for r in report.refused]
    japanese = w.unit_index["jp_12"]
    east = set(w.scenario.regions[0].stations)
    assert all(w.station_ids[s] in east for s in stations_of(game, japanese))
    assert not [b for b in battles(reports, "allies") if "us_27" in b.attackers]
    assert [b for b in battles(reports, "allies") if "jp_12" in b.attackers]  # the Japanese do fight


def attacks_by(game: Game, unit: str) -> list[str]:
    """The stations a unit was ordered to attack, in the game's order log."""
    return [
        text.split()[2]
        for orders in game.log
        for text in orders.get("allies", [])
        if text.startswith(f"attack {unit} ")
    ]


def test_without_their_limits_the_americans_and_japanese_would_act(fixture_world: WorldOf) -> None:
    limited = fixture_world(FAR_EAST, *WEAK_IRKUTSK)
    game, _ = play(limited, ai(*limited.faction_ids))
    assert attacks_by(game, "us_27") == []
    assert "baikal" not in attacks_by(game, "jp_12")
    free_americans = fixture_world(FAR_EAST, *WEAK_IRKUTSK, "factions[allies].contingents[usa].limits.no_attack=[]")
    game, _ = play(free_americans, ai(*free_americans.faction_ids))
    assert attacks_by(game, "us_27")
    free_japanese = fixture_world(FAR_EAST, *WEAK_IRKUTSK, "factions[allies].contingents[japan].limits.region=null")
    game, _ = play(free_japanese, ai(*free_japanese.faction_ids))
    assert "baikal" in attacks_by(game, "jp_12")


def test_it_evacuates_when_the_ships_are_there_and_not_before(fixture_world: WorldOf) -> None:
    w = fixture_world(FAR_EAST)
    arrive = w.turn_of(w.scenario.events[0].date)  # type: ignore[arg-type]
    game, reports = play(w, ai(*w.faction_ids))
    legion = w.faction_index["legion"]
    boarded = [r.turn for r in reports for h in r.happenings if h.kind == "evacuation"]
    assert boarded and min(boarded) >= arrive
    assert int(game.state.evacuated[legion]) == int(game.state.arrived[legion]) - int(game.state.casualties[legion])


def test_a_good_commander_sets_out_for_the_port_before_the_ships_come(fixture_world: WorldOf) -> None:
    w = fixture_world(FAR_EAST)
    arrive = w.turn_of(w.scenario.events[0].date)  # type: ignore[arg-type]
    first = {}
    for skill in (2, 3):
        _, reports = play(w, ai(*w.faction_ids, skill=skill))
        first[skill] = min(r.turn for r in reports for h in r.happenings if h.kind == "evacuation")
    assert first[3] == arrive < first[2]


def test_without_ships_it_does_not_go_to_the_quay(mini_world: WorldOf) -> None:
    _, reports = play(mini_world("stations[vladivostok].port.men_per_week=0"), ai("legion"), turns=8)
    assert not [r for r in reports for h in r.happenings if h.kind == "evacuation"]
    game, reports = play(mini_world(), ai("legion"), turns=8)
    assert game.state.evacuated[game.world.faction_index["legion"]] > 0


@pytest.mark.parametrize("skill", [1, 2, 3])
def test_it_answers_the_decisions_put_to_it(mini_world: WorldOf, skill: int) -> None:
    _, reports = play(mini_world(), ai("legion", skill=skill), turns=6)
    answers = [h.text for r in reports for h in r.happenings if h.kind == "decision" and h.subject == "demand"]
    assert answers == ["fight (legion)"]  # answered by the Legion itself, not left to the default


def test_a_slow_commander_answers_late_and_a_quick_one_at_once(fixture_world: WorldOf) -> None:
    w = fixture_world(FAR_EAST)
    when = {}
    for skill in (1, 2):
        _, reports = play(w, ai(*w.faction_ids, skill=skill), turns=6)
        when[skill] = [r.turn for r in reports for h in r.happenings if h.kind == "decision"]
    fired = w.turn_of(w.scenario.events[1].date)  # type: ignore[arg-type]
    assert when[2] == [fired]
    assert when[1] == [fired + w.events[1].weeks - 1]


def test_it_pulls_a_unit_back_to_be_fed_rather_than_let_it_starve(mini_world: WorldOf) -> None:
    w = mini_world(*CAUGHT)
    hunger = {}
    for name, agents in (("ai", ai("legion")), ("passive", {})):
        _, reports = play(w, agents, turns=12)
        hunger[name] = sum(s.men_lost for r in reports for s in r.shortages if s.unit == "cz_penza")
    assert hunger["passive"] > 0
    assert hunger["ai"] == 0


def test_the_same_seed_gives_the_same_game(mini_world: WorldOf) -> None:
    w = mini_world()
    first, _ = play(w, ai(*w.faction_ids))
    second, _ = play(w, ai(*w.faction_ids))
    assert first.log == second.log


def test_evacuation_orders_leave_men_on_the_quay_alone(fixture_world: WorldOf) -> None:
    w = fixture_world(FAR_EAST)
    for skill in (2, 3):
        game, _ = play(w, ai(*w.faction_ids, skill=skill))
        given = [o for orders in game.log for o in orders.get("legion", [])]
        boarded = given.index(str(Evacuate("cz_harbin")))
        assert given[boarded + 1 :] == []  # once on the quay, no order takes the echelon off it again


F = TypeVar("F", bound=Callable[..., Any])


def _compiled(fn: F) -> F:
    """`fn` compiled for this run only: cached, a test's kernel would keep the code of the kernels it calls as they
    were first compiled."""
    return cast(F, numba.njit(fn))


@_compiled
def _options(th: Theatre, r: Resolve, plan: Plan, u: int) -> list[int]:
    """`attack.options`, asked from Python (it is compiled for kernels only)."""
    out = np.empty(th.flags.shape[1], dtype=np.int64)
    return list(out[: options(th, r, plan, u, out)])


@_compiled
def _odds(th: Theatre, r: Resolve, chosen: IntArray, t: int) -> tuple[float, float]:
    """`attack.odds`, asked from Python."""
    return odds(th, r, chosen, t)


def test_it_reckons_a_battle_at_the_odds_the_player_is_shown(campaign_world: World) -> None:
    w = campaign_world
    game = Game(w, 3)
    commanders = {f: make_agent("ai", f, 2) for f in w.faction_ids}
    compared = 0
    while game.turn < 60:
        state = game.state
        for f in range(w.n_factions):
            planner = Planner(state, f, intent(state, f, SKILLS[1]), SKILLS[1])
            theatre, resolve = planner.theatre(), Resolve(*planner.resolve)
            plan = new_plan(theatre)
            for t in np.flatnonzero(theatre.flags[LEGAL]).tolist():
                near = [u for u in theatre.mine.tolist() if t in _options(theatre, resolve, plan, u)]
                if near:
                    chance, ratio = _odds(theatre, resolve, np.array(near), t)
                    shown = preview_combat(state, near, t)
                    assert chance == shown.chance
                    assert ratio == (shown.attack / shown.defence if shown.defence > 0 else float("inf"))
                    compared += 1
        game.play({f: agent.orders(game.state, f, game.agent_rng(f)) for f, agent in commanders.items()})
    assert compared > 50


def test_after_the_armistice_the_legion_falls_back_along_the_line_toward_its_ships(fixture_world: WorldOf) -> None:
    # Arkhangelsk is nearer Ufa than Vladivostok is, but the Legion's ships come to Vladivostok: the echelon left
    # in the Urals joins the westmost post it guards on the way there.
    game, _ = play(fixture_world(WAY_HOME), ai("legion"), turns=3)
    assert station_of(game, "cz_ufa") == "omsk"
    assert station_of(game, "cz_irkutsk") == "irkutsk"


def test_it_leaves_a_branch_line_when_the_enemy_closes_on_the_junction_behind_it(fixture_world: WorldOf) -> None:
    # The 5th Red Army at Ryazan can cut Ruzayevka, the only way back from Kazan: the Kazan group comes out.
    game, _ = play(fixture_world(VOLGA), ai("legion"), turns=3)
    assert station_of(game, "cz_kazan") not in ("kazan", "sviyazhsk")
    # With friends holding the junction in strength, Kazan is held.
    game, _ = play(fixture_world(VOLGA, *JUNCTION_HELD), ai("legion"), turns=3)
    assert station_of(game, "cz_kazan") == "kazan"


def test_it_gives_up_a_post_where_a_defeat_would_drive_it_into_a_pocket(fixture_world: WorldOf) -> None:
    # Beaten at Penza, the Legion would fall back into Rtishchevo, its own station and first in the line's order,
    # a dead end cut off once Penza is lost: pressed by a stronger army, it leaves Penza for Syzran in time.
    game, _ = play(fixture_world(VOLGA, *PENZA_PRESSED), ai("legion"), turns=3)
    assert station_of(game, "cz_penza") == "syzran"
    # Where a defeat would send it back toward Syzran instead, it holds Penza against the same army.
    game, _ = play(fixture_world(VOLGA, *PENZA_PRESSED, RTISHCHEVO_NOT_OURS), ai("legion"), turns=3)
    assert station_of(game, "cz_penza") == "penza"


def test_against_the_red_autumn_offensive_no_legion_echelon_is_trapped_at_penza(fixture_world: WorldOf) -> None:
    w = fixture_world(VOLGA, *PENZA_PRESSED, "scenario.start=1918-09-02")
    game, reports = play(w, ai("legion", "reds"), turns=8)
    assert [b for b in battles(reports, "reds") if b.station == "penza"]  # the Reds do take Penza
    assert not [b for b in battles(reports, "reds") if b.station == "penza" and b.defenders]
    rtishchevo = w.station_index["rtishchevo"]
    assert all(rtishchevo not in stations_of(game, w.unit_index[u]) for u in ("cz_penza", "cz_samara"))
    assert game.state.casualties[w.faction_index["legion"]] == 0


def test_reserves_go_for_an_empty_enemy_station_two_stops_away(fixture_world: WorldOf) -> None:
    # Penza is the Reds' but empty; nobody of the Legion stands next to it, the Samara group two stops off.
    w = fixture_world(VOLGA, *SAMARA_GROUP_ALONE, "stations[penza].held_by=reds", "units[cz_samara].entrained=true")
    game, _ = play(w, ai("legion"), turns=3)
    assert w.faction_ids[game.state.control[w.station_index["penza"]]] == "legion"


def test_men_on_foot_board_their_trains_to_strike_beyond_a_weeks_march(fixture_world: WorldOf) -> None:
    # Samara is held by a few Red Guards 455 km from Ufa, where the Samara group stands on foot: no march reaches
    # it in a week, a train does.
    w = fixture_world(
        VOLGA,
        *SAMARA_GROUP_ALONE,
        "units[cz_samara].station=ufa",
        "stations[samara].held_by=reds",
        "units[red_samara].arrives=null",
    )
    game, reports = play(w, ai("legion"), turns=3)
    assert game.log[0]["legion"] == ["entrain cz_samara"]
    assert [b for b in battles(reports, "legion") if b.station == "samara" and b.attacker_won]


@pytest.mark.parametrize(("red_army", "then"), [(20000, "chelyabinsk"), (1000, "omsk")])
def test_a_train_halted_short_of_a_station_the_enemy_took_goes_back_or_takes_it(
    mini_world: WorldOf, red_army: int, then: str
) -> None:
    w = mini_world(*OMSK_RETAKEN, f"units[red_army].men={red_army}")
    game = Game(w, 1)
    game.play({"legion": [Move("cz_chel", "baikal")]})
    game.play({})
    assert station_of(game, "cz_chel") == ""  # halted on the line short of Omsk, which the Red Army now holds
    commander = make_agent("ai", "legion", 2)
    game.play({"legion": commander.orders(game.state, "legion", game.agent_rng("legion"))})
    # Too strong to attack, the Red Army sends the echelon back to Chelyabinsk; a weak one is attacked from the line.
    assert station_of(game, "cz_chel") == then


def test_it_clears_a_blown_line_between_its_men_and_the_station_it_means_to_take(mini_world: WorldOf) -> None:
    """As the Legion cleared the Baikal tunnel the Reds blew behind them, and went on round the lake."""
    w = mini_world()
    game = Game(w, 1)
    seg = w.segment_between(w.station_index["chelyabinsk"], w.station_index["omsk"])
    game.state.damage[seg] = 2  # the Reds blew the line in front of the Chelyabinsk group
    game.state.touch()
    orders = make_agent("ai", "legion").orders(game.state, "legion", game.agent_rng("legion"))
    assert Repair("cz_chel", "chelyabinsk-omsk") in orders
    game.play({"legion": orders})
    game.play({"legion": make_agent("ai", "legion").orders(game.state, "legion", game.agent_rng("legion"))})
    assert game.state.damage[seg] == 0  # two weeks' damage, one crew: open again in two weeks
