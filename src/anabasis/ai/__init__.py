"""Agents that give orders: `agent.orders(state, faction, rng) -> list[Order]`."""
