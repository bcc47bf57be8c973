"""No edit of a save changes the game unseen: a mutated save is refused, or it is the same game as before."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anabasis.engine.game import Game
from anabasis.engine.save import SaveError, parse_save, restore_game, save_data
from anabasis.engine.world import World, compile_world
from anabasis.scenario import content_hash, load_scenario
from anabasis.sim.game import Matchup, play

MINI = Path(__file__).resolve().parent / "fixtures" / "mini.yaml"
FUZZ = Path("fuzzed.json")
Place = tuple[str | int, ...]


@cache
def original() -> tuple[World, str, bytes]:
    """A six-week game of the mini scenario by the AIs, and the bytes of its save."""
    scenario = load_scenario(MINI)
    world, digest = compile_world(scenario), content_hash(scenario)
    game = Game(world, 21)
    list(play(game, Matchup.of(world, {}), 6))
    data = save_data(game, digest, scenario_path=str(MINI), sides=dict.fromkeys(world.faction_ids, "ai:2"))
    return world, digest, json.dumps(data, separators=(",", ":")).encode()


def places(value: Any, here: Place = ()) -> list[Place]:
    """Every key and list entry in a JSON value, by its path."""
    found = [here]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += places(inner, (*here, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            found += places(inner, (*here, i))
    return found


def future(game: Game) -> tuple[str, dict[str, object], list[dict[str, list[str]]]]:
    """Three more weeks by fresh AIs: the state, the generator and the orders of those weeks."""
    known = len(game.log)
    list(play(game, Matchup.of(game.world, {}), game.turn + 3))
    return json.dumps(game.state.snapshot()), game.rng_state(), game.log[known:]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def nudged(value: Any) -> Any:
    """A value next to `value`: a flipped flag, a number one off, an order with another last word."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        return value.rsplit(" ", 1)[0] + " samara" if " " in value else value + "x"
    return None


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """The bytes of the original save, changed in one place."""
    _, _, raw = original()
    how = draw(st.sampled_from(["nudge", "replace", "delete", "truncate", "insert"]))
    if how == "truncate":
        return raw[: draw(st.integers(0, len(raw) - 1))]
    if how == "insert":
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    data = json.loads(raw)
    place = draw(st.sampled_from(places(data)[1:]))
    *path, last = place
    parent = data
    for step in path:
        parent = parent[step]
    if how == "delete":
        del parent[last]
    else:
        parent[last] = nudged(parent[last]) if how == "nudge" else draw(JSON_VALUES)
    return json.dumps(data).encode()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=mutated())
def test_a_mutated_save_is_refused_or_plays_on_as_the_original(raw: bytes) -> None:
    world, digest, clean = original()
    try:
        loaded = restore_game(parse_save(raw, FUZZ), world, digest)
    except SaveError:
        return  # refused cleanly, with a message
    game = restore_game(parse_save(clean, FUZZ), world, digest)
    assert loaded.turn == game.turn == 6
    assert loaded.seed == game.seed
    assert future(loaded) == future(game)
