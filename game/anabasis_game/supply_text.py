"""Supply in a player's words: how a unit stands, why it goes short and what would feed it, from the engine's
`supply_check`; and the turn summary's list of units short of supply, grouped by why."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from anabasis.engine import GameState
from anabasis.engine.shortage import Cause, SupplyCheck
from anabasis_game.describe import Line, capital

SHOWN_GROUPS = 3  # groups of short units the summary lists; the rest are counted
SHOWN_PLACES = 5  # enemy-held stations the summary names


def unit_supply_lines(state: GameState, check: SupplyCheck) -> list[Line]:
    """The unit panel's supply: its stores, the share of its need it gets, and when short, why and the remedy."""
    stores = float(state.stores[check.unit])
    if not check.short:
        style = "good" if stores >= 2 else "warn"
        return [(style, f"Supply: {stores:.1f} weeks of stores, {check.reason}")]
    style = "bad" if stores < 1 or check.share == 0 else "warn"
    lines: list[Line] = [
        (style, f"Supply: {stores:.1f} weeks of stores, gets {check.share:.0%} of its need"),
        (style, f"  Why: {capital(check.reason)}"),
    ]
    if check.remedy:
        lines.append(("text", f"  To feed it: {check.remedy}"))
    return lines


def shortage_lines(state: GameState, checks: Sequence[SupplyCheck]) -> list[Line]:
    """The summary's units short of supply: those in the enemy's stations on one line, the rest in groups that go
    short for the same reason, the largest first."""
    w = state.world
    short = [c for c in checks if c.short]
    if not short:
        return []
    lines: list[Line] = [("bad", f"Short of supply: {len(short)} unit{'s' if len(short) > 1 else ''}")]
    inside = [c for c in short if c.cause is Cause.ENEMY_STATION]
    if inside:
        count = Counter(w.station_names[c.draws_on] for c in inside)
        places = ", ".join(f"{name} ({n})" if n > 1 else name for name, n in count.most_common(SHOWN_PLACES))
        more = ", …" if len(count) > SHOWN_PLACES else ""
        lines += [
            ("warn", f"  {len(inside)} in stations the enemy holds: {places}{more}"),
            ("dim", "    No depot feeds them there: take those stations (select a unit there, then A)"),
        ]
    groups: dict[tuple[Cause, int, int, int], list[SupplyCheck]] = {}
    for c in short:
        if c.cause is not Cause.ENEMY_STATION:
            groups.setdefault((c.cause, c.draws_on, c.station, c.segment), []).append(c)
    ordered = sorted(groups.values(), key=lambda g: -len(g))
    for group in ordered[:SHOWN_GROUPS]:
        first = group[0]
        names = ", ".join(w.unit_names[c.unit] for c in group[:2]) + (
            f" and {len(group) - 2} more" if len(group) > 2 else ""
        )
        lines.append(("warn", f"  {names}: {first.reason}"))
        if first.remedy:
            lines.append(("dim", f"    {capital(first.remedy)}"))
    rest = sum(len(g) for g in ordered[SHOWN_GROUPS:])
    if rest:
        lines.append(("dim", f"  {rest} more elsewhere: select them to see why"))
    return lines
