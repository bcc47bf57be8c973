"""The doctrine AI at its default skill beats the yardstick commanders on the real campaign, from either side:
commanding the intervention (the Legion, the Allies and the Whites) against random or passive Reds, and
commanding the Reds against random or passive intervention factions.
"""

from __future__ import annotations

import pytest

from anabasis.ai.registry import make_agent
from anabasis.engine import World, result
from anabasis.engine.game import Game

GAMES = 20
INTERVENTION = ("legion", "allies", "whites")


def winner(world: World, seed: int, kinds: dict[str, str]) -> str:
    game = Game(world, seed)
    commanders = {f: make_agent(kinds[f], f, 2) for f in world.faction_ids}
    while not game.state.ended:
        game.play({f: agent.orders(game.state, f, game.agent_rng(f)) for f, agent in commanders.items()})
    return result(game.state).winner


@pytest.mark.parametrize(
    ("ai_side", "opponent"),
    [("intervention", "passive"), ("intervention", "random"), ("reds", "passive"), ("reds", "random")],
)
def test_the_ai_wins_nine_games_in_ten_against_the_yardsticks(
    campaign_world: World, ai_side: str, opponent: str
) -> None:
    ai_factions = INTERVENTION if ai_side == "intervention" else ("reds",)
    kinds = {f: "ai" if f in ai_factions else opponent for f in campaign_world.faction_ids}
    wins = sum(winner(campaign_world, 100 + seed, kinds) == ai_side for seed in range(GAMES))
    assert wins >= 0.9 * GAMES
