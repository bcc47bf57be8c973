"""`--sweep PATH=V1,V2,...`: the same batch of seeds once for each value of one scenario setting."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from anabasis.scenario.overrides import parse_path

MOST_VALUES = 99  # each value is a batch, loaded up front, in a sub-folder numbered 01 to 99


@dataclass(frozen=True)
class Sweep:
    """One scenario setting and the values to try it at, in the order given."""

    path: str
    values: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Sweep:
        """`rules.winter_need=1,1.5,2` -> Sweep; ValueError says what is wrong with the text."""
        if "=" not in text:
            raise ValueError(f"--sweep {text!r} is not PATH=V1,V2,... (e.g. rules.winter_need=1,1.5,2)")
        path, raw = (part.strip() for part in text.split("=", 1))
        parse_path(path)
        values = tuple(v.strip() for v in raw.split(","))
        if len(values) > MOST_VALUES:
            raise ValueError(
                f"--sweep {path}=...: {len(values):,} values, more than the {MOST_VALUES} a sweep takes; "
                "split them into several sweeps, each with its own --out"
            )
        if any(not v for v in values):
            raise ValueError(f"--sweep {text!r} needs values separated by commas, none of them empty")
        if len(set(values)) != len(values):
            raise ValueError(f"--sweep {text!r} gives the same value twice")
        return cls(path, values)

    def assignment(self, value: str) -> str:
        """The `--set` that puts the setting at `value`."""
        return f"{self.path}={value}"

    def folder(self, position: int) -> str:
        """The sub-folder of --out that holds the batch for the value at `position`."""
        value = self.values[position]
        return f"{position + 1:02d}-{re.sub(r'[^A-Za-z0-9._-]+', '_', value)[:40]}"


def sweep_table(sweep: Sweep, summaries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row a value: win rates with their intervals and mean points, by side."""
    rows = []
    for position, (value, summary) in enumerate(zip(sweep.values, summaries, strict=True)):
        rows.append(
            {
                "value": value,
                "folder": sweep.folder(position),
                "games": summary["games"],
                "wins": summary["wins"],
                "points": {side: {k: p[k] for k in ("mean", "low", "high")} for side, p in summary["points"].items()},
            }
        )
    return rows
