"""Where a recorded game first disagrees with its replay: a save's snapshot, or a line of a `run` log.

Records are plain JSON values. A value agrees only when it is what the replay would have written: the same
type and the same value (`1` is neither `true` nor `1.0`), so an edited file cannot slip through by an
equal-looking value. Lists of the state are named by the ids of their axis: `men.legion_penza`, not
`men[3]`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from anabasis.engine.world import World

# Each labelled list's axes, by its place in the record (`state.stance`: faction by faction).
Axes = Mapping[str, tuple[Sequence[str], ...]]

MISSING: Final = object()  # the side of a comparison that has no such key or entry
_SHOWN = 60  # characters of a value shown in a message


@dataclass(frozen=True)
class Difference:
    """The first place a record and its replay disagree, and what each holds there."""

    field: str
    recorded: object
    replayed: object

    def __str__(self) -> str:
        return f"{self.field}: recorded {_shown(self.recorded)}, replayed {_shown(self.replayed)}"


def _shown(value: object) -> str:
    if value is MISSING:
        return "nothing"
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), default=str)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def first_difference(recorded: Any, replayed: Any, axes: Axes | None = None) -> Difference | None:
    """The first field of `replayed` (in its order) that `recorded` does not hold exactly, then any extra field."""
    # The quick check: a record that agrees is written just as the replay writes it.
    try:
        if json.dumps(recorded, default=str) == json.dumps(replayed, default=str):
            return None
    except RecursionError:  # nested deeper than any record: the walk below finds where
        pass
    return _walk(recorded, replayed, "", (), axes or {})


def _walk(recorded: Any, replayed: Any, field: str, here: tuple[Sequence[str], ...], axes: Axes) -> Difference | None:
    if isinstance(replayed, dict) and isinstance(recorded, dict):
        for key, value in replayed.items():
            inner = f"{field}.{key}" if field else str(key)
            found = _walk(recorded.get(key, MISSING), value, inner, tuple(axes.get(inner, ())), axes)
            if found is not None:
                return found
        extra = next((key for key in recorded if key not in replayed), None)
        if extra is None:
            return None
        return Difference(f"{field}.{extra}" if field else str(extra), recorded[extra], MISSING)
    if isinstance(replayed, list) and isinstance(recorded, list):
        labels, rest = (here[0], here[1:]) if here else ((), ())
        for i in range(max(len(recorded), len(replayed))):
            inner = f"{field}.{labels[i]}" if i < len(labels) else f"{field}[{i}]"
            if i >= len(recorded) or i >= len(replayed):
                return Difference(inner, _at(recorded, i), _at(replayed, i))
            found = _walk(recorded[i], replayed[i], inner, rest, axes)
            if found is not None:
                return found
        return None
    if type(recorded) is type(replayed) and recorded == replayed:
        return None
    return Difference(field, recorded, replayed)


def _at(values: list[Any], i: int) -> object:
    return values[i] if i < len(values) else MISSING


def snapshot_axes(world: World) -> Axes:
    """The ids along each array of a state's snapshot, so a difference names the unit, station or faction."""
    w = world
    units, stations, factions = w.unit_ids, w.station_ids, w.faction_ids
    by_unit = (
        *("men", "status", "station", "segment", "progress", "goal", "entrained"),
        *("stores", "cohesion", "cohesion_cap", "arms", "dug_in", "embarking"),
    )
    by_faction = ("supply_factor", "bonus_points", "arrived", "casualties", "evacuated", "departed")
    events = [e.id for e in w.events]
    arrays: dict[str, tuple[Sequence[str], ...]] = {
        **dict.fromkeys(by_unit, (units,)),
        **dict.fromkeys(("control", "port_men"), (stations,)),
        "damage": (w.segment_names,),
        "stockpile_tons": (w.stockpile_ids,),
        "stance": (factions, factions),
        "no_attack": (w.contingent_ids, factions),
        "region": (w.contingent_ids,),
        **dict.fromkeys(by_faction, (factions,)),
        **dict.fromkeys(("fired", "chosen", "deadline"), (events,)),
        "points": ([o.id for o in w.objectives],),
    }
    return {f"state.{name}": ids for name, ids in arrays.items()}


def week(world: World, turn: int) -> str:
    """A turn as messages name it: `week 12 (1918-08-05)`."""
    return f"week {turn} ({world.date_of(turn).isoformat()})"
