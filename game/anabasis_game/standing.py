"""The standing of the war as the top bar says it to a player: their own points first, then their opponents'."""

from __future__ import annotations

from anabasis.engine import World
from anabasis.engine.world import FloatArray
from anabasis_game.describe import the

SEPARATOR = "  ·  "


def standing(world: World, faction: int, faction_points: FloatArray, side_points: FloatArray) -> str:
    """`Your points 2.5  ·  the Bolsheviks 4.0  ·  your side 6.1`: the player's faction's points, each other
    side's, and their own side's when it has other factions too."""
    own = int(world.side_of[faction])
    parts = [f"Your points {float(faction_points[faction]):.1f}"]
    parts += [f"{the(name)} {float(side_points[k]):.1f}" for k, name in enumerate(world.side_names) if k != own]
    if own >= 0 and int((world.side_of == own).sum()) > 1:
        parts.append(f"your side {float(side_points[own]):.1f}")
    return SEPARATOR.join(parts)
