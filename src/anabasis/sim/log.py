"""The JSON-lines log of one game: a line a turn, then `{"result": ...}`.

Line t holds turn t, its date, the events that opened it, the battles fought during it, and where things stood
once it was resolved. Keys come in a fixed order and every value is a plain int, float, string or list, so the
same seed gives the same bytes in any process.
"""

from __future__ import annotations

import json
from typing import Any

from anabasis.engine.state import GameState
from anabasis.sim.game import Week, final_result
from anabasis.sim.milestones import Milestones


def dumps(line: dict[str, Any]) -> str:
    """One compact JSON line (no spaces, no newline)."""
    return json.dumps(line, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def turn_line(week: Week) -> dict[str, Any]:
    """The log line of a resolved week."""
    s = week.state
    w = s.world
    factions = w.faction_ids
    return {
        "turn": week.report.turn,
        "date": w.date_of(week.report.turn).isoformat(),
        "events": list(week.opening),
        "control": {
            sid: (factions[h] if h >= 0 else None) for sid, h in zip(w.station_ids, s.control.tolist(), strict=True)
        },
        "strength": dict(zip(factions, s.men_on_map().tolist(), strict=True)),
        "evacuated": dict(zip(factions, s.evacuated.tolist(), strict=True)),
        "casualties": dict(zip(factions, s.casualties.tolist(), strict=True)),
        "points": {side: round(float(p), 2) for side, p in zip(w.side_ids, s.side_points(), strict=True)},
        "battles": [
            {"station": b.station, "attacker": b.attacker, "defender": b.defender, "attacker_won": b.attacker_won}
            for b in week.report.battles
        ],
    }


def result_line(state: GameState, seed: int, milestones: Milestones) -> dict[str, Any]:
    """The last line: the engine's result plus the seed, the totals and the milestones' dates."""
    w = state.world
    body = final_result(state).to_dict()
    body["scenario"] = w.scenario.meta.id
    body["seed"] = seed
    body["evacuated"] = dict(zip(w.faction_ids, state.evacuated.tolist(), strict=True))
    body["casualties"] = dict(zip(w.faction_ids, state.casualties.tolist(), strict=True))
    body["dates"] = {
        key: (None if turn is None else w.date_of(turn).isoformat()) for key, turn in milestones.by_id().items()
    }
    return {"result": body}
