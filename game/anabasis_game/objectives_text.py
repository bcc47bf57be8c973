"""What scores, side by side, in a player's words: each objective's stations and who holds them, what it pays this
week and next as things stand, and what starts or ends. Every number comes from the engine's `points_outlook`."""

from __future__ import annotations

from anabasis.engine import GameState
from anabasis.engine.outlook import Holding, Outlook, points_outlook
from anabasis.engine.world import NOBODY, World
from anabasis_game.describe import Line, capital, day, holder_name, the

PER_MEN = {"evacuate": "shipped out", "destroy": "killed, captured or dispersed"}


def objective_lines(state: GameState, faction: int) -> list[Line]:
    """The objectives panel for the player of `faction`: their side first, their own faction's objectives first."""
    w = state.world
    outlooks = points_outlook(state, weeks=2)
    own = int(w.side_of[faction])
    points = state.side_points()
    lines: list[Line] = [
        (
            "dim",
            f"Week of {day(state.date)}. Points a week as things stand: a station or stockpile that changes "
            "hands changes them. Men shipped out or lost count by the 1,000 as it happens.",
        ),
    ]
    sides = sorted(range(len(w.side_ids)), key=lambda k: k != own)
    for side in sides:
        factions = sorted((f for f in range(w.n_factions) if w.side_of[f] == side), key=lambda f: f != faction)
        mine = [o for o in outlooks if int(w.objective_faction[o.objective]) in factions]
        now, next_week = (sum(o.weekly[k] for o in mine) for k in (0, 1))
        who = "your side" if side == own else "the other side"
        lines += [
            ("text", ""),
            ("title", w.side_names[side]),
            (
                "dim",
                f"{capital(who)}: {float(points[side]):.1f} points so far; as things stand {now:.1f} this week, "
                f"{next_week:.1f} next week",
            ),
        ]
        for f in factions:
            lines += faction_lines(state, f, [o for o in mine if int(w.objective_faction[o.objective]) == f])
    return lines


def faction_lines(state: GameState, faction: int, outlooks: list[Outlook] | None = None) -> list[Line]:
    """One faction's objectives: those that count this week or next in full, those to come in a line each."""
    w = state.world
    if outlooks is None:
        outlooks = [o for o in points_outlook(state, weeks=2) if int(w.objective_faction[o.objective]) == faction]
    current = [o for o in outlooks if o.live[0] or o.live[1]]
    later = [o for o in outlooks if not (o.live[0] or o.live[1]) and w.objectives[o.objective].first_turn > state.turn]
    if not current and not later:
        return []
    lines: list[Line] = [("head", capital(the(w.faction_names[faction])))]
    for o in current:
        lines += _objective(state, o)
    for o in later:
        objective = w.objectives[o.objective]
        start = w.scenario.victory.objectives[o.objective].start if w.scenario.victory else None
        when = day(start) if start is not None else day(w.date_of(objective.first_turn))
        lines.append(("dim", f"From {when}: {objective.name} ({_rate(w, o)})"))
    return lines


def _objective(state: GameState, o: Outlook) -> list[Line]:
    w = state.world
    objective = w.objectives[o.objective]
    if o.per_men:
        style = "good" if o.scored > 0 else "text"
        lines: list[Line] = [(style, f"{objective.name}: {_rate(w, o)}; {o.scored:.1f} so far")]
    else:
        scoring = sum(h.scores for h in o.holdings)
        style = "good" if scoring else "bad"
        lines = [
            (
                style,
                f"{objective.name}: {_rate(w, o)}, {scoring} of {len(o.holdings)} now; "
                f"{o.weekly[0]:.1f} this week, {o.weekly[1]:.1f} next",
            ),
            ("dim", "  " + ", ".join(_holding(w, h) for h in o.holdings)),
        ]
    if o.live[0] and not o.live[1]:
        lines.append(("warn", "  Counts for the last time this week"))
    elif o.live[1] and not o.live[0]:
        lines.append(("warn", "  Starts to count next week"))
    return lines


def _rate(w: World, o: Outlook) -> str:
    objective = w.objectives[o.objective]
    if objective.kind in PER_MEN:
        men = (
            "1,000 of its men"
            if objective.of == objective.faction
            else f"1,000 men of {the(w.faction_names[objective.of])}"
        )
        return f"{objective.points:g} for each {men} {PER_MEN[objective.kind]}"
    what = "stockpile kept from the enemy" if objective.kind == "stockpile" else "station held"
    return f"{objective.points:g} a week for each {what}"


def _holding(w: World, h: Holding) -> str:
    name = w.stockpile_names[h.stockpile] if h.stockpile >= 0 else w.station_names[h.station]
    mark = "✓" if h.scores else "✗"
    holder = "nobody" if h.holder == NOBODY else holder_name(w, h.holder).removeprefix("the ")
    return f"{mark} {name} ({holder})"
