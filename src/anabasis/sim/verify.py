"""Any game can be verified: replay a save or a `run` log from its scenario, seed and orders, and compare.

A log is checked line by line against the lines the replay writes, then its result; a save's snapshot (state
and the engine's generator) against the state the replay reaches. The first disagreement is named by its week
and field: `week 12 (1918-08-05): control.kazan: recorded reds, replayed legion`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from anabasis.engine import save
from anabasis.engine.difference import first_difference, week
from anabasis.engine.game import Game
from anabasis.engine.orders import Order
from anabasis.engine.save import SaveFile, parse_save, replay_orders, snapshot_difference
from anabasis.engine.world import World
from anabasis.sim import log as run_log
from anabasis.sim.game import Week
from anabasis.sim.log import LogError, RunLog, dumps, parse_log, result_line, turn_line
from anabasis.sim.milestones import Milestones
from anabasis.userfiles import read_bounded


@dataclass(frozen=True)
class Origin:
    """What a record was played from: the scenario (its id, the path it was given as, its hash, the `--set`
    changes) and the seed."""

    scenario_id: str
    scenario_path: str
    scenario_hash: str
    overrides: list[str]
    seed: int

    @classmethod
    def of(cls, record: SaveFile | RunLog) -> Origin:
        if isinstance(record, SaveFile):
            return cls(record.scenario_id, record.scenario_path, record.scenario_hash, record.overrides, record.seed)
        s = record.source
        return cls(s.scenario, s.scenario_path, s.scenario_hash, s.overrides, s.seed)


@dataclass(frozen=True)
class Verdict:
    """What a replay found: how many recorded weeks were checked, and the first disagreement if any."""

    weeks: int
    problem: str | None = None


def read_record(path: Path) -> SaveFile | RunLog:
    """The save or `run` log at `path`; UnreadableFile, SaveError or LogError says why it cannot be read."""
    return parse_record(read_bounded(path, max(save.MAX_BYTES, run_log.MAX_BYTES), "save or run log"), path)


def parse_record(raw: bytes, path: Path) -> SaveFile | RunLog:
    """A save or a `run` log, told apart by their first lines; SaveError or LogError says what is wrong."""
    first, _, rest = raw.lstrip().partition(b"\n")
    head = _json(first)
    if _logged(head) or (head is None and _logged(_json(rest.partition(b"\n")[0]))):
        return parse_log(raw, path)
    if (head is None and first.startswith(b"{")) or (isinstance(head, dict) and "format" in head):
        return parse_save(raw, path)  # a damaged save is refused with what is wrong with it
    raise LogError(f"{path} is neither an Anabasis save nor an `anabasis run` log")


def _json(line: bytes) -> object:
    try:
        return json.loads(line)
    except (ValueError, RecursionError):
        return None


def _logged(line: object) -> bool:
    return isinstance(line, dict) and ("turn" in line or "result" in line)


def verify_log(log: RunLog, world: World) -> Verdict:
    """Play the log's orders again and compare every turn line, then the result, with what the replay writes."""
    source = log.source
    game = Game(world, source.seed)
    milestones = Milestones.start(game.state)
    opening = list(game.opening.events)
    for turn, (recorded, given) in enumerate(zip(log.turns, log.orders, strict=True)):
        if game.state.ended:
            return Verdict(turn, f"{week(world, turn)}: recorded, but the replayed game had ended before it")
        try:
            report = game.play({faction: [Order.parse(text) for text in texts] for faction, texts in given.items()})
        except (KeyError, ValueError, IndexError) as error:
            return Verdict(turn, f"{week(world, turn)}: its orders cannot be played: {error}")
        milestones.observe(report.turn, game.state)
        replayed = turn_line(Week(opening, report, game.state), game.log[-1])
        opening = list(report.events)
        difference = first_difference(recorded, json.loads(dumps(replayed)))
        if difference is not None:
            return Verdict(turn, f"{week(world, turn)}: {difference}")
    final = result_line(
        game.state,
        source.seed,
        milestones,
        scenario_path=source.scenario_path,
        scenario_hash=source.scenario_hash,
        overrides=source.overrides,
    )
    difference = first_difference(log.result, json.loads(dumps(final)))
    if difference is not None:
        return Verdict(len(log.turns), f"the result after {len(log.turns)} weeks: {difference}")
    return Verdict(len(log.turns))


def verify_save(save: SaveFile, world: World) -> Verdict:
    """Play the save's orders again and compare its snapshot, the engine's generator included, with the replay.

    SaveError when the orders cannot be played at all."""
    game = replay_orders(save, world)
    difference = snapshot_difference(save, game)
    if difference is not None:
        return Verdict(len(save.orders), f"{week(world, game.turn)}, the saved snapshot: {difference}")
    return Verdict(len(save.orders))


def scenario_candidates(recorded: str, record: Path) -> list[Path]:
    """Where the scenario a record names may be: as written (from here), then beside the record."""
    if not recorded:
        return []
    named = Path(recorded)
    return [named] if named.is_absolute() else [named, record.parent / named]
