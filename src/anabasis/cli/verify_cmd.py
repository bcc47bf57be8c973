"""`verify`: replay a save or a `run` log and say whether every recorded week agrees with the replay."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from anabasis.cli.console import EXIT_BAD_INPUT, err, out
from anabasis.engine.save import SaveError, SaveFile
from anabasis.engine.world import compile_world
from anabasis.paths import bundled_scenarios
from anabasis.scenario import Scenario, ScenarioError, content_hash, load_scenario
from anabasis.sim.log import LogError
from anabasis.sim.verify import Origin, read_record, scenario_candidates, verify_log, verify_save
from anabasis.userfiles import UnreadableFile


def _bad(message: str) -> typer.Exit:
    err.print(f"[red]{escape(message)}[/red]", markup=True, highlight=False)
    return typer.Exit(EXIT_BAD_INPUT)


def verify(
    file: Annotated[Path, typer.Argument(help="A save, or a log written by `anabasis run --log`.", show_default=False)],
    *,
    scenario: Annotated[
        Path | None,
        typer.Option(help="The scenario file it was played with (default: the one it names).", show_default=False),
    ] = None,
) -> None:
    """Replay a save or a run log from its scenario, seed and orders; exit 2 naming the first week that differs."""
    try:
        record = read_record(file)
    except (UnreadableFile, SaveError, LogError) as error:
        raise _bad(str(error)) from None
    origin = Origin.of(record)
    where = scenario or _find(file, origin.scenario_path, origin.scenario_id)
    loaded = _load(where, origin.overrides)
    if loaded.meta.id != origin.scenario_id:
        raise _bad(f"{file} is a game of scenario {origin.scenario_id!r}, and {where} is of {loaded.meta.id!r}")
    digest = content_hash(loaded)
    if digest != origin.scenario_hash:
        raise _bad(
            f"{file}: scenario {origin.scenario_id!r} in {where} has changed since the game was played (its content "
            f"hash is now {digest}, the game's was {origin.scenario_hash}), so the game cannot be replayed exactly; "
            "name the file it was played with: --scenario PATH"
        )
    world = compile_world(loaded)
    try:
        verdict = verify_save(record, world) if isinstance(record, SaveFile) else verify_log(record, world)
    except SaveError as error:
        raise _bad(f"{file}: {error}") from None
    if verdict.problem is not None:
        raise _bad(f"{file}: {verdict.problem}")
    played = f"scenario {origin.scenario_id}, seed {origin.seed}"
    if isinstance(record, SaveFile) and record.snapshot is None:
        out.print(f"{file}: {verdict.weeks} weeks of orders replay ({played}); no snapshot to compare", markup=False)
    else:
        checked = "the saved state and random generator" if isinstance(record, SaveFile) else "every turn, the result"
        out.print(f"{file}: {verdict.weeks} weeks agree ({checked}; {played})", markup=False)


def _find(file: Path, recorded: str, scenario_id: str) -> Path:
    """The scenario file a record names (from here, or beside the record), else a bundled one with its id."""
    for candidate in scenario_candidates(recorded, file):
        if candidate.is_file():
            return candidate
    for bundled in bundled_scenarios():
        try:
            if load_scenario(bundled).meta.id == scenario_id:
                return bundled
        except ScenarioError:
            continue
    shown = recorded or scenario_id
    raise _bad(f"{file}: its scenario {shown!r} is not here; name the file with --scenario PATH")


def _load(path: Path, overrides: list[str]) -> Scenario:
    """The scenario with the record's `--set` changes, or its FILE:LINE problems and exit 2."""
    try:
        return load_scenario(path, overrides)
    except ScenarioError as error:
        for problem in error.problems:
            err.print(str(problem), markup=False, highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
