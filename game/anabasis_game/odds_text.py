"""The attack preview in a player's words: the odds, what makes each side strong or weak, and what winning or
failing would likely cost. Every number comes from the engine's `Odds`."""

from __future__ import annotations

from anabasis.engine import Odds, World
from anabasis.engine.odds import Factor, Outcome
from anabasis_game.describe import Line, men, station_name

FACTOR_NAMES = {
    "armed": "Armed share",
    "cohesion": "Cohesion",
    "supply": "Supply",
    "kind": "Kind of troops (trains, guns, horse, partisans)",
    "dug_in": "Dug in",
    "entrained": "Caught on their trains",
    "fortification": "Fortification",
    "winter": "Winter",
}
ALWAYS_SHOWN = {"armed", "cohesion", "supply"}  # the rest are named only when they count


def _factor(factor: Factor) -> Line:
    change = factor.effect - 1.0
    effect = "no effect" if abs(change) < 0.005 else f"{change:+.0%} strength"
    style = "dim" if abs(change) < 0.005 else "good" if change > 0 else "bad"
    return style, f"  {FACTOR_NAMES[factor.name]}: {effect}"


def _factors(heading: str, soldiers: int, factors: tuple[Factor, ...]) -> list[Line]:
    shown = [f for f in factors if f.name in ALWAYS_SHOWN or abs(f.effect - 1.0) >= 0.005]
    return [("text", f"{heading}: {men(soldiers)} men"), *(_factor(f) for f in shown)]


def _outcome(world: World, heading: str, outcome: Outcome, beaten: str) -> list[Line]:
    lines: list[Line] = [
        (
            "text",
            f"{heading}: about {men(outcome.attacker_losses)} of yours fall, and {men(outcome.defender_losses)}"
            " of theirs",
        ),
    ]
    for unit, station in outcome.retreats:
        lines.append(
            ("dim", f"  {world.unit_names[world.unit_index[unit]]} falls back to {station_name(world, station)}")
        )
    for unit in outcome.taken:
        lines.append(("bad", f"  {world.unit_names[world.unit_index[unit]]} has no way back and is taken"))
    if beaten:
        lines.append(("dim", f"  {beaten}"))
    return lines


def odds_lines(world: World, station: int, odds: Odds, attackers: list[str]) -> list[Line]:
    """The odds before an attack, with their reasons and their cost, so the player decides knowing them."""
    defenders = [world.unit_names[world.unit_index[d]] for d in odds.defenders]
    style = "good" if odds.chance >= 0.6 else "warn" if odds.chance >= 0.4 else "bad"
    lines: list[Line] = [
        ("head", f"Attack {world.station_names[station]}?"),
        ("text", f"Attacking: {', '.join(attackers)}"),
        ("text", f"Defending: {', '.join(defenders) if defenders else 'no troops, only the flag'}"),
        ("text", f"Strength {odds.attack:,.0f} against {odds.defence:,.0f}"),
        (style, f"Chance of taking it: {odds.chance:.0%}"),
        *_factors("Your attack", odds.attack_men, odds.attack_factors),
    ]
    if defenders:
        lines += _factors("Their defence", odds.defence_men, odds.defence_factors)
        lines += _outcome(world, "If it succeeds", odds.if_won, "")
        lines += _outcome(world, "If it fails", odds.if_lost, "Your attackers lose some cohesion")
    else:
        lines.append(("good", "No one defends it: it is taken without a fight"))
    return lines
