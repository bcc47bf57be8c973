"""Every rule holds at the ends of its declared range: the engine and the AI play on, and nothing overflows.

A designer's `--set rules.X=...` is checked against these ranges; inside them, any value, and any mix of
values, must give a game that runs. Each rule is tried alone at each end, then hypothesis mixes them."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from annotated_types import Ge, Gt, Le
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic.fields import FieldInfo

from anabasis.engine.game import Game
from anabasis.engine.world import compile_world
from anabasis.scenario import Scenario, load_scenario
from anabasis.scenario.models import Rules
from anabasis.sim.game import Matchup, play

CAMPAIGN = Path(__file__).resolve().parents[1] / "scenarios" / "revolt-1918.yaml"
NUMBERS = {name: field for name, field in Rules.model_fields.items() if field.annotation in (int, float)}
TURNS = 6


def bounds(field: FieldInfo) -> tuple[float, float]:
    """The closed range a rule may take (an open lower end is approached by a hair)."""
    low = high = math.nan
    for limit in field.metadata:
        if isinstance(limit, Ge):
            low = float(limit.ge)  # type: ignore[arg-type]
        elif isinstance(limit, Gt):
            low = math.nextafter(float(limit.gt), math.inf)  # type: ignore[arg-type]
        elif isinstance(limit, Le):
            high = float(limit.le)  # type: ignore[arg-type]
    return low, high


@cache
def campaign() -> Scenario:
    return load_scenario(CAMPAIGN)


def play_a_few_turns(rules: Rules, seed: int = 1) -> Game:
    """The campaign under `rules`, played by the AIs for a few weeks."""
    world = compile_world(campaign().model_copy(update={"rules": rules}))
    game = Game(world, seed)
    for _ in play(game, Matchup.of(world, {}), TURNS):
        pass
    return game


def assert_sound(game: Game) -> None:
    s = game.state
    assert game.turn == TURNS
    assert (s.men_on_map() >= 0).all()
    assert np.isfinite(s.side_points()).all()
    assert (s.casualties >= 0).all()


def test_every_numeric_rule_has_a_closed_range() -> None:
    for name, field in NUMBERS.items():
        low, high = bounds(field)
        assert math.isfinite(low) and math.isfinite(high) and low < high, name


@pytest.mark.parametrize("end", ["low", "high"])
@pytest.mark.parametrize("name", sorted(NUMBERS))
def test_each_rule_alone_at_each_end_of_its_range(name: str, end: str) -> None:
    low, high = bounds(NUMBERS[name])
    value: float = low if end == "low" else high
    if NUMBERS[name].annotation is int:
        value = math.ceil(value) if end == "low" else math.floor(value)
    assert_sound(play_a_few_turns(Rules.model_validate({name: value})))


def rule_values() -> st.SearchStrategy[dict[str, Any]]:
    values: dict[str, st.SearchStrategy[Any]] = {}
    for name, field in NUMBERS.items():
        low, high = bounds(field)
        if field.annotation is int:
            values[name] = st.integers(math.ceil(low), math.floor(high))
        else:
            values[name] = st.floats(low, high, allow_nan=False)
    values["winter_months"] = st.lists(st.integers(1, 12), unique=True, max_size=12)
    return st.fixed_dictionaries(values)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=rule_values(), seed=st.integers(0, 2**32 - 1))
def test_any_mix_of_rules_in_range_gives_a_game_that_runs(values: dict[str, Any], seed: int) -> None:
    assert_sound(play_a_few_turns(Rules.model_validate(values), seed))
