"""Commanders by name, so the command line, the simulator and the window ask for agents the same way."""

from __future__ import annotations

from collections.abc import Callable

from anabasis.ai.agent import Agent
from anabasis.ai.baseline import PassiveAgent, RandomAgent
from anabasis.ai.commander import Commander

SKILLS = (1, 2, 3)

# name -> factory(faction, skill)
AGENTS: dict[str, Callable[[str, int], Agent]] = {
    "passive": lambda faction, skill: PassiveAgent(),
    "random": lambda faction, skill: RandomAgent(),
    "ai": lambda faction, skill: Commander(skill),  # its doctrine is the scenario's
}


def make_agent(name: str, faction: str, skill: int = 2) -> Agent:
    """An agent of kind `name` for `faction`; ValueError names the kinds there are."""
    if name not in AGENTS:
        raise ValueError(f"no agent {name!r}; agents are: {', '.join(AGENTS)}")
    if skill not in SKILLS:
        raise ValueError(f"skill {skill} is not one of {SKILLS}")
    return AGENTS[name](faction, skill)
