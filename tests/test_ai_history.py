"""Left to themselves, the default AIs retrace the broad course of 1918-1920 on the real campaign, in most games:
the Legion and its allies take the railway cities in the summer of 1918, the Reds win the Volga back that
autumn, the Whites' Siberia falls to the Reds by early 1920, and the Legion is shipped out by the end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pytest

from anabasis.ai.registry import make_agent
from anabasis.engine import GameState, World
from anabasis.engine.game import Game

SEEDS = (7, 8, 9, 10)
MOST = 3  # games out of four
# The railway cities on the Legion's way from the Volga to the Pacific.
RAILWAY = ("samara", "ufa", "chelyabinsk", "omsk", "novonikolaevsk", "krasnoyarsk", "irkutsk", "chita", "vladivostok")
WAY_OUT = ("chelyabinsk", "omsk", "novonikolaevsk", "vladivostok")
VOLGA = ("kazan", "simbirsk", "samara")
DATES = {
    "railway": dt.date(1918, 9, 16),
    "volga": dt.date(1918, 12, 2),
    "collapse": dt.date(1920, 3, 1),
}


@dataclass
class Course:
    """What the tests look at in one game: who held what on the dates, and how the Legion ended."""

    control: dict[str, np.ndarray]  # date name -> holder of each station
    shipped: int
    left: int
    side_of: np.ndarray


def course(world: World, seed: int) -> Course:
    game = Game(world, seed)
    commanders = {f: make_agent("ai", f, 2) for f in world.faction_ids}
    control: dict[str, np.ndarray] = {}
    while not game.state.ended:
        game.play({f: agent.orders(game.state, f, game.agent_rng(f)) for f, agent in commanders.items()})
        for name, day in DATES.items():
            if name not in control and game.state.date >= day:
                control[name] = game.state.control.copy()
    legion = world.faction_index["legion"]
    state: GameState = game.state
    return Course(control, int(state.evacuated[legion]), int(state.men_on_map()[legion]), world.side_of)


@pytest.fixture(scope="module")
def courses(campaign_world: World) -> list[Course]:
    return [course(campaign_world, seed) for seed in SEEDS]


def held_by(world: World, c: Course, date: str, stations: tuple[str, ...], side: str) -> int:
    holders = c.control[date][[world.station_index[s] for s in stations]]
    wanted = world.side_ids.index(side)
    return int(sum(h >= 0 and c.side_of[h] == wanted for h in holders.tolist()))


def test_the_legion_and_its_allies_hold_the_railway_by_september_1918(
    campaign_world: World, courses: list[Course]
) -> None:
    w = campaign_world
    assert sum(held_by(w, c, "railway", WAY_OUT, "intervention") == len(WAY_OUT) for c in courses) >= MOST
    assert sum(held_by(w, c, "railway", RAILWAY, "intervention") >= 5 for c in courses) >= MOST


def test_the_reds_take_the_volga_back_in_the_autumn_of_1918(campaign_world: World, courses: list[Course]) -> None:
    assert sum(held_by(campaign_world, c, "volga", VOLGA, "reds") == len(VOLGA) for c in courses) >= MOST


def test_the_whites_siberia_falls_to_the_reds(campaign_world: World, courses: list[Course]) -> None:
    assert sum(held_by(campaign_world, c, "collapse", ("omsk",), "reds") == 1 for c in courses) >= MOST


def test_the_legion_is_shipped_out_by_the_end(courses: list[Course]) -> None:
    assert all(c.left == 0 for c in courses)
    assert sum(c.shipped >= 30_000 for c in courses) >= MOST
