"""Left to themselves, the default AIs retrace the course of 1918-1920 on the real campaign, in most games: the
Legion and its allies take the railway from the Volga to the Pacific in the summer of 1918, the Reds win the
Volga back that autumn, the Whites' front and Omsk fall to the Reds by early 1920, and the Legion is shipped out
by the end; week by week, most of the key dates of `history:` come within two weeks of history's. And history
stays changeable: a stronger Legion on the Volga holds Kazan longer, a Legion that gives up its arms never takes
the railway.

The games are the first of `anabasis sim scenarios/revolt-1918.yaml --seed 1`, whose table gives each key date's
median beside history's and the share that retrace it (the goal: 80% over 200 games). These tests play fewer
games, so "most" here is two in three, and the share may fall a little short of the goal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from anabasis.ai.registry import make_agent
from anabasis.engine import World, compile_world
from anabasis.engine.game import Game
from anabasis.engine.state import GameState
from anabasis.scenario import load_scenario
from anabasis.sim.game import Matchup, play, simulate
from anabasis.sim.milestones import Milestones, linked_up
from anabasis.sim.seeds import game_seed
from anabasis.sim.summary import BatchSummary

GAMES = 12
MOST = 8  # two in three
INTERVENTION, REDS = "intervention", "reds"
# The Legion's way out (Chelyabinsk to Vladivostok), the railway cities from the Volga to the Pacific, the Volga.
WAY_OUT = ("chelyabinsk", "omsk", "novonikolaevsk", "vladivostok")
RAILWAY = ("samara", "ufa", "chelyabinsk", "omsk", "novonikolaevsk", "krasnoyarsk", "irkutsk", "chita", "vladivostok")
VOLGA = ("penza", "syzran", "samara", "simbirsk", "kazan")
WATCHED = (*VOLGA, *RAILWAY[1:])
WAY_OUT_BY = dt.date(1918, 7, 1)  # history: Chelyabinsk 27 May, Omsk 7 June, Vladivostok 29 June
VOLGA_TAKEN_BY = dt.date(1918, 9, 1)  # history: Samara 8 June, Kazan 7 August
RAILWAY_BY = dt.date(1918, 9, 23)  # history: the link-up in Transbaikalia, 31 August-5 September
LINKED_BY = dt.date(1918, 10, 14)  # an unbroken line Chelyabinsk-Vladivostok: history 31 August, the Baikal tunnel
# cleared (over 200 games: 58% by 23 September, 85% by 14 October)
VOLGA_BACK_BY = dt.date(1918, 12, 2)  # history: Kazan 10 September, Simbirsk 12 September, Samara 7 October
WHITE_FRONT_BREAKS = dt.date(1919, 7, 1)  # history: Ufa 9 June, Zlatoust and Yekaterinburg mid-July
SIBERIA_FALLS_BY = dt.date(1920, 3, 1)  # history: Omsk 14 November 1919, Krasnoyarsk 7 January 1920


@dataclass
class Course:
    """One game as the tests see it: the side holding each watched city week by week, and the Legion's end."""

    held: dict[str, list[str]]  # city -> side holding it after each week ("" for nobody)
    dates: list[dt.date]  # the date after each week
    arrived: int
    shipped: int
    left: int
    linked: dt.date | None  # the first date of an unbroken friendly line from Chelyabinsk to Vladivostok

    def side_on(self, city: str, day: dt.date) -> str:
        """Who held `city` on `day` (after the last week that ended by then)."""
        week = max(k for k, d in enumerate(self.dates) if d <= day)
        return self.held[city][week]

    def first(self, city: str, side: str, after: dt.date | None = None) -> dt.date | None:
        """The first date (after `after`, if given) on which `side` held `city`, or None."""
        for day, holder in zip(self.dates, self.held[city], strict=True):
            if holder == side and (after is None or day > after):
                return day
        return None

    def retaken(self, city: str) -> dt.date | None:
        """The first date the Reds held `city` again after the intervention had taken it, or None."""
        taken = self.first(city, INTERVENTION)
        return None if taken is None else self.first(city, REDS, after=taken)


def sides(world: World, state: GameState) -> list[str]:
    """The side holding each watched city."""
    holders = state.control[[world.station_index[c] for c in WATCHED]].tolist()
    return [world.side_ids[world.side_of[h]] if h >= 0 and world.side_of[h] >= 0 else "" for h in holders]


def course(world: World, seed: int) -> Course:
    game = Game(world, seed)
    commanders = {f: make_agent("ai", f, 2) for f in world.faction_ids}
    weeks: list[list[str]] = []
    dates: list[dt.date] = []
    ends = (world.faction_index["legion"], world.station_index["chelyabinsk"], world.station_index["vladivostok"])
    linked = None
    while not game.state.ended:
        game.play({f: agent.orders(game.state, f, game.agent_rng(f)) for f, agent in commanders.items()})
        weeks.append(sides(world, game.state))
        dates.append(game.state.date)
        if linked is None and linked_up(game.state, *ends):
            linked = game.state.date
    legion = world.faction_index["legion"]
    state = game.state
    held = {city: [week[k] for week in weeks] for k, city in enumerate(WATCHED)}
    return Course(
        held, dates, int(state.arrived[legion]), int(state.evacuated[legion]), int(state.men_on_map()[legion]), linked
    )


@pytest.fixture(scope="module")
def courses(campaign_world: World) -> list[Course]:
    return [course(campaign_world, game_seed(1, i)) for i in range(GAMES)]


def held(c: Course, cities: tuple[str, ...], side: str, day: dt.date) -> int:
    return sum(c.side_on(city, day) == side for city in cities)


def taken_by(c: Course, city: str, day: dt.date) -> bool:
    taken = c.first(city, INTERVENTION)
    return taken is not None and taken <= day


def test_the_legion_takes_its_way_out_by_july_1918(courses: list[Course]) -> None:
    assert sum(held(c, WAY_OUT, INTERVENTION, WAY_OUT_BY) == len(WAY_OUT) for c in courses) >= MOST


def test_the_legion_and_komuch_take_the_volga_in_the_summer_of_1918(courses: list[Course]) -> None:
    assert sum(taken_by(c, "samara", VOLGA_TAKEN_BY) and taken_by(c, "kazan", VOLGA_TAKEN_BY) for c in courses) >= MOST


def test_the_legion_and_its_allies_hold_the_railway_by_september_1918(courses: list[Course]) -> None:
    assert sum(held(c, RAILWAY, INTERVENTION, RAILWAY_BY) == len(RAILWAY) for c in courses) >= MOST


def test_the_legions_groups_link_up_along_an_unbroken_line_in_the_autumn_of_1918(courses: list[Course]) -> None:
    assert sum(c.linked is not None and c.linked <= LINKED_BY for c in courses) >= MOST


def test_the_reds_take_the_volga_back_in_the_autumn_of_1918(courses: list[Course]) -> None:
    back = [c.side_on("kazan", VOLGA_BACK_BY) == REDS and held(c, VOLGA, REDS, VOLGA_BACK_BY) >= 4 for c in courses]
    assert sum(back) >= MOST


def test_the_whites_siberia_falls_to_the_reds_by_early_1920(courses: list[Course]) -> None:
    def fallen(c: Course) -> bool:
        omsk = c.retaken("omsk")
        return omsk is not None and WHITE_FRONT_BREAKS <= omsk <= SIBERIA_FALLS_BY

    assert sum(fallen(c) and c.side_on("chelyabinsk", SIBERIA_FALLS_BY) == REDS for c in courses) >= MOST


def test_the_legion_is_shipped_out_by_the_end(courses: list[Course]) -> None:
    assert all(c.left == 0 for c in courses)
    # Most of the Legion comes home: far more men shipped out than lost, in every game.
    assert all(c.shipped >= 2 * (c.arrived - c.shipped) for c in courses)
    assert all(c.shipped >= 40_000 for c in courses)


HISTORY_GAMES = 24  # the first of the 200 the goal is measured on: enough for a stable share, quick enough for CI
HISTORY_SHARE = 0.7  # the goal is 0.8 over 200 games; over fewer games the medians wander, so the bar is lower
ROOT = Path(__file__).resolve().parents[1]


def test_most_key_dates_come_within_two_weeks_of_history(campaign_world: World) -> None:
    summary = BatchSummary(campaign_world, campaign_world.turns)
    matchup = Matchup.of(campaign_world, {})
    for i in range(HISTORY_GAMES):
        summary.add(simulate(campaign_world, i, game_seed(1, i), matchup))
    history = summary.to_dict()["history"]
    assert history["dates"] >= 30  # the whole war and every theatre
    assert history["share"] >= HISTORY_SHARE, history


def kazan_dates(world: World, games: int = 8) -> list[tuple[int, int]]:
    """For each game, the turns Kazan first changed hands and was back with the Reds (the end when never)."""
    out = []
    for seed in range(games):
        game = Game(world, game_seed(1, seed))
        milestones = Milestones.start(game.state)
        for week in play(game, Matchup.of(world, {})):
            milestones.observe(week.report.turn, week.state)
        dates = milestones.by_id()
        taken, back = dates["changes_hands.kazan"], dates["returns.kazan"]
        out.append((world.turns if taken is None else taken, world.turns if back is None else back))
    return out


def median(values: list[int]) -> int:
    return sorted(values)[len(values) // 2]


def test_a_legion_reinforced_on_the_volga_takes_kazan_sooner_and_holds_it_past_historys_date() -> None:
    campaign = load_scenario(ROOT / "scenarios" / "revolt-1918.yaml")
    volga = {"penza", "syzran", "rtishchevo", "samara"}
    doubled = tuple(
        f"units[{u.id}].men={2 * u.men}" for u in campaign.units if u.faction == "legion" and u.station in volga
    )
    usual = kazan_dates(compile_world(campaign))
    world = compile_world(load_scenario(ROOT / "scenarios" / "revolt-1918.yaml", doubled))
    stronger = kazan_dates(world)
    assert median([taken for taken, _ in stronger]) <= median([taken for taken, _ in usual]) - 2, (usual, stronger)
    history = world.turn_of(dt.date(1918, 9, 10))  # the Reds had Kazan back on 10 September 1918
    held = [taken < world.turns and back > history for taken, back in stronger]
    assert sum(held) >= 2 * len(held) // 3, stronger


def test_a_legion_that_gives_up_its_arms_never_takes_the_railway() -> None:
    world = compile_world(load_scenario(ROOT / "scenarios" / "variants" / "legion-disarms-1918.yaml"))
    legion = world.faction_index["legion"]
    railway = [world.station_index[city] for city in RAILWAY]
    for seed in range(4):
        game = Game(world, game_seed(1, seed))
        for week in play(game, Matchup.of(world, {}), 30):  # to the end of 1918
            assert not (week.state.control[railway] == legion).any(), week.report.date
