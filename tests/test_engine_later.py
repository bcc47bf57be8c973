"""A fresh machine plans interpreted while a helper compiles the planner: the same orders, compiled or not, and the
machine code taken up as soon as the helper leaves word that it is in the cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from anabasis.ai.doctrine import intent
from anabasis.ai.intent import SKILLS
from anabasis.ai.planner import PLANNING, Planner
from anabasis.ai.registry import make_agent
from anabasis.engine import World
from anabasis.engine.game import Game
from anabasis.engine.later import Later


def test_the_planner_interpreted_gives_the_very_orders_it_gives_compiled(campaign_world: World) -> None:
    w = campaign_world
    game = Game(w, 4)
    commanders = {f: make_agent("ai", f, 2) for f in w.faction_ids}
    interpreted = PLANNING.interpreted()
    compared = 0
    while game.turn < 40:
        if game.turn % 4 == 0:
            for f in range(w.n_factions):
                planner = Planner(game.state, f, intent(game.state, f, SKILLS[2]), SKILLS[2])
                compiled = PLANNING.kernel(*planner.records, planner.resolve)
                assert np.array_equal(interpreted(*planner.records, planner.resolve), compiled)
                compared += len(compiled)
        game.play({f: c.orders(game.state, f, game.agent_rng(f)) for f, c in commanders.items()})
    assert compared > 100, "enough orders were given to compare"


def test_a_kernel_runs_interpreted_until_word_comes_that_it_is_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = Later(PLANNING.kernel)
    monkeypatch.setattr(later, "kernel", lambda *args: "compiled")
    monkeypatch.setattr(later, "interpreted", lambda: lambda *args: "interpreted")
    assert later() == "compiled", "not told to wait: the machine code at once"
    word = tmp_path / "anabasis-ready"
    later.wait_for(word)
    assert later() == "interpreted"
    word.touch()
    assert later() == later() == "compiled"
