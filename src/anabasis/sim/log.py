"""The JSON-lines log of one game: a line a turn, then `{"result": ...}`; and reading one back.

Line t holds turn t, its date, the events that opened it, the battles fought during it, where things stood
once it was resolved, and the orders given for it. The result line names the scenario (the path given to
`run`, its id and content hash, the `--set` changes) and the seed, so that `anabasis verify` can rebuild the
game from the log alone. Keys come in a fixed order and every value is a plain int, float, string or list, so
the same seed gives the same bytes in any process.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from anabasis.engine.game import OrderLog
from anabasis.engine.state import GameState
from anabasis.sim.game import Week, final_result
from anabasis.sim.milestones import Milestones
from anabasis.userfiles import read_bounded

MAX_BYTES = 64 * 1024 * 1024  # a campaign's log is well under a megabyte
_ORDERS = TypeAdapter(dict[str, list[str]])


class LogError(ValueError):
    """A file that is not a whole `run` log with its orders; the message names the file and the line."""


class Source(BaseModel):
    """What rebuilds a logged game: the scenario as named to `run`, its id and hash, the `--set` changes, the seed."""

    model_config = ConfigDict(extra="ignore")

    scenario: str
    scenario_path: str
    scenario_hash: str
    overrides: list[str]
    seed: int = Field(ge=0)


@dataclass(frozen=True)
class RunLog:
    """A `run` log read back: its turn lines, its result line, and what it was played from."""

    turns: list[dict[str, Any]]
    result: dict[str, Any]  # the whole last line, `{"result": {...}}`
    source: Source
    orders: OrderLog


def dumps(line: dict[str, Any]) -> str:
    """One compact JSON line (no spaces, no newline)."""
    return json.dumps(line, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def turn_line(week: Week, orders: dict[str, list[str]]) -> dict[str, Any]:
    """The log line of a resolved week, with the `orders` given for it (as the game's order log holds them)."""
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
        "orders": orders,
    }


def result_line(
    state: GameState,
    seed: int,
    milestones: Milestones,
    *,
    scenario_path: str,
    scenario_hash: str,
    overrides: Sequence[str],
) -> dict[str, Any]:
    """The last line: the engine's result, what the game was played from, the totals and the milestones' dates."""
    w = state.world
    body = final_result(state).to_dict()
    body["scenario"] = w.scenario.meta.id
    body["scenario_path"] = scenario_path
    body["scenario_hash"] = scenario_hash
    body["overrides"] = list(overrides)
    body["seed"] = seed
    body["evacuated"] = dict(zip(w.faction_ids, state.evacuated.tolist(), strict=True))
    body["casualties"] = dict(zip(w.faction_ids, state.casualties.tolist(), strict=True))
    body["dates"] = {
        key: (None if turn is None else w.date_of(turn).isoformat()) for key, turn in milestones.by_id().items()
    }
    return {"result": body}


def read_log(path: Path) -> RunLog:
    """Read a `run` log; LogError (or UnreadableFile, for what is no regular file) says what is wrong."""
    return parse_log(read_bounded(path, MAX_BYTES, "run log"), path)


def parse_log(raw: bytes, path: Path) -> RunLog:
    """A log's bytes, read from `path`: every line an object, turn lines with their orders, the result last."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise LogError(f"{path} is not a run log: it is not UTF-8 text") from None
    lines = [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    if not lines:
        raise LogError(f"{path} is empty: not a run log")
    objects = [(n, _object(path, n, line)) for n, line in lines]
    *turns, (last_n, last) = objects
    if "result" not in last:
        raise LogError(f"{path}:{last_n}: the log ends without its result line: it is incomplete")
    for n, line in turns:
        if "result" in line:
            raise LogError(f"{path}:{n}: a result line before the end: the log is damaged")
    if not isinstance(last["result"], dict):
        raise LogError(f"{path}:{last_n}: the result is not an object: the log is damaged")
    return RunLog([line for _, line in turns], last, _source(path, last_n, last["result"]), _orders(path, turns))


def _object(path: Path, n: int, line: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        raise LogError(f"{path}:{n}: not valid JSON: the log is damaged, or this is not a run log") from None
    if not isinstance(value, dict) or not ("turn" in value or "result" in value):
        raise LogError(f"{path}:{n}: not a line of a run log (a turn or the result)")
    return value


_OLD = "written before `anabasis run` recorded {what}, this log cannot be replayed (play its game again with run)"


def _source(path: Path, n: int, result: dict[str, Any]) -> Source:
    if "scenario_hash" not in result:
        raise LogError(f"{path}:{n}: {_OLD.format(what='its scenario')}")
    try:
        return Source.model_validate(result)
    except ValidationError as err:
        raise LogError(f"{path}:{n}: {_place('result', err)}: the log is damaged") from None


def _orders(path: Path, turns: list[tuple[int, dict[str, Any]]]) -> OrderLog:
    log: OrderLog = []
    for n, line in turns:
        if "orders" not in line:
            raise LogError(f"{path}:{n}: {_OLD.format(what='the orders')}")
        try:
            log.append(_ORDERS.validate_python(line["orders"], strict=True))
        except ValidationError as err:
            raise LogError(f"{path}:{n}: {_place('orders', err)}: the log is damaged") from None
    return log


def _place(field: str, err: ValidationError) -> str:
    """`orders.legion.0: Input should be a valid string`: where the first problem is, and what it is."""
    first = err.errors()[0]
    return f"{'.'.join([field, *(str(p) for p in first['loc'])])}: {first['msg']}"
