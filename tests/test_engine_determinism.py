"""The same scenario, seed and orders give byte-identical reports, in this process or any other."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from anabasis.engine import World
from anabasis.engine.game import Game

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"
CAMPAIGN = ROOT / "scenarios" / "revolt-1918.yaml"

PlayRandom = Callable[..., Game]

# Replays an order log (JSON on stdin) and prints each report as a JSON line, then the random commanders'
# own game of the same seed, so both the engine and the agents are checked across processes.
REPLAY = """
import json, sys
from anabasis.ai.baseline import RandomAgent
from anabasis.engine import compile_world
from anabasis.engine.game import Game
from anabasis.scenario import load_scenario

world = compile_world(load_scenario(sys.argv[1]))
seed, turns = int(sys.argv[2]), int(sys.argv[3])
replayed = Game.replay(world, seed, json.load(sys.stdin))
game = Game(world, seed)
agents = {f: RandomAgent() for f in world.faction_ids}
while not game.state.ended and game.turn < turns:
    game.play({f: a.orders(game.state, f, game.agent_rng(f)) for f, a in agents.items()})
for g in (replayed, game):
    for report in g.reports:
        print(json.dumps(report.to_dict()))
"""


def lines(game: Game) -> list[str]:
    return [json.dumps(report.to_dict()) for report in game.reports]


def run_elsewhere(path: str, seed: int, turns: int, log: list[dict[str, list[str]]]) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": "12345" if os.environ.get("PYTHONHASHSEED") != "12345" else "54321"}
    done = subprocess.run(
        [sys.executable, "-c", REPLAY, path, str(seed), str(turns)],
        input=json.dumps(log),
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    return done.stdout.splitlines()


def test_a_game_is_the_same_in_another_process(
    mini_world: Callable[..., World], campaign_world: World, play_random: PlayRandom
) -> None:
    for path, world, seed, turns in ((MINI, mini_world(), 11, 40), (CAMPAIGN, campaign_world, 5, 20)):
        game = play_random(world, seed, turns)
        here = lines(game)
        assert len(here) == min(turns, world.turns) + 1
        # The replay holds the opening report and each turn's; the agents' game then the same again.
        assert run_elsewhere(str(path), seed, turns, game.log) == here + here


def test_replaying_the_order_log_gives_the_same_reports(campaign_world: World, play_random: PlayRandom) -> None:
    game = play_random(campaign_world, 8, 15)
    replayed = Game.replay(campaign_world, 8, game.log)
    assert lines(replayed) == lines(game)
    assert replayed.state.snapshot() == game.state.snapshot()


def test_another_seed_gives_another_game(mini_world: Callable[..., World], play_random: PlayRandom) -> None:
    games = [lines(play_random(mini_world(), seed, 10)) for seed in (1, 2)]
    assert games[0] != games[1]
