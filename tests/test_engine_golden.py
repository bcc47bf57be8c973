"""A golden game: a fixed seed's full game on the fixture must not change by accident."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from anabasis.engine import World, result
from anabasis.engine.game import Game

GOLDEN = Path(__file__).parent / "golden" / "mini-seed-1977.jsonl"
SEED = 1977


def golden_lines(game: Game) -> list[str]:
    """One JSON line a turn (the orders given and the report), then the result."""
    orders = [{}, *game.log]
    out = [
        json.dumps({"turn": r.turn, "orders": given, "report": r.to_dict()})
        for given, r in zip(orders, game.reports, strict=True)
    ]
    out.append(json.dumps({"result": result(game.state).to_dict()}))
    return out


def test_the_golden_game_is_unchanged(
    mini_world: Callable[..., World], play_random: Callable[..., Game], request: pytest.FixtureRequest
) -> None:
    """Random commanders (drawing from `Game.agent_rng`) play the fixture with seed 1977 to its end.

    Any change to the rules, the random draws or the random commanders changes this game. When the change is
    meant, regenerate the file and review its diff:

        pytest tests/test_engine_golden.py --regen-golden
    """
    game = play_random(mini_world(), SEED)  # a seed whose game has battles, arrivals, evacuation, blown bridges
    assert game.state.ended
    played = golden_lines(game)
    if request.config.getoption("--regen-golden"):
        GOLDEN.write_text("\n".join(played) + "\n", encoding="utf-8")
        pytest.skip(f"rewrote {GOLDEN.name}")
    expected = GOLDEN.read_text(encoding="utf-8").splitlines()
    for line, (now, before) in enumerate(zip(played, expected, strict=False)):
        assert json.loads(now) == json.loads(before), f"the golden game differs from line {line + 1} on"
    assert played == expected
