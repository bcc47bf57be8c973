"""`snapshot`: a scenario file that starts in one week of a game, for a designer to edit into a new scenario."""

from __future__ import annotations

import datetime as dt
import shlex
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from anabasis.cli.console import EXIT_BAD_INPUT, err, out
from anabasis.cli.headless import ScenarioArg, SkillOpt
from anabasis.engine.game import Game
from anabasis.engine.save import SaveError, SaveFile, read_save, restore_game, write_atomic
from anabasis.engine.state import ACTIVE, RESERVE, WAITING, GameState
from anabasis.engine.world import STANCES, World, compile_world
from anabasis.scenario import Scenario, ScenarioError, content_hash, load_scenario
from anabasis.scenario.models import Rules
from anabasis.scenario.situation import Situation, UnitNow
from anabasis.scenario.snapshot import Origin, snapshot_text
from anabasis.sim.game import Matchup, play
from anabasis.userfiles import UnreadableFile, check_writable_target

_STATUS = {ACTIVE: "map", WAITING: "waiting", RESERVE: "reserve"}  # any other status: gone


def _bad(message: str) -> typer.Exit:
    err.print(message, markup=False, highlight=False)
    return typer.Exit(EXIT_BAD_INPUT)


def _load(path: Path, overrides: list[str]) -> Scenario:
    try:
        return load_scenario(path, overrides)
    except ScenarioError as error:
        for problem in error.problems:
            err.print(str(problem), markup=False, highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _unit_now(state: GameState, u: int) -> UnitNow:
    w = state.world
    station = int(state.station[u])
    segment = int(state.segment[u])
    if station < 0 <= segment:  # on its way: it stands at the nearer end, as supply reckons it
        near_a = float(state.progress[u]) <= float(w.seg_km[segment]) / 2
        station = int(w.seg_a[segment] if near_a else w.seg_b[segment])
    return UnitNow(
        status=_STATUS.get(int(state.status[u]), "gone"),
        station=w.station_ids[station] if station >= 0 else w.station_ids[int(w.unit_station0[u])],
        men=int(state.men[u]),
        entrained=bool(state.entrained[u]),
        arms=float(state.arms[u]),
        cohesion=float(state.cohesion[u]),
        cohesion_cap=float(state.cohesion_cap[u]),
        stores=float(state.stores[u]),
    )


def situation_of(state: GameState) -> Situation:
    """The state at the start of a turn, in the scenario's ids."""
    w = state.world
    factions = w.faction_ids
    limits: dict[tuple[str, str], tuple[list[str], str | None]] = {}
    for (faction, contingent), c in w.contingent_index.items():
        region = int(state.region[c])
        no_attack = [factions[k] for k in np.flatnonzero(state.no_attack[c]).tolist()]
        limits[(faction, contingent)] = (no_attack, w.region_ids[region] if region >= 0 else None)
    return Situation(
        start=state.date,
        units={uid: _unit_now(state, u) for u, uid in enumerate(w.unit_ids)},
        control={
            sid: factions[c] if c >= 0 else None for sid, c in zip(w.station_ids, state.control.tolist(), strict=True)
        },
        port_men=dict(zip(w.station_ids, state.port_men.tolist(), strict=True)),
        damage=dict(zip(w.segment_names, state.damage.tolist(), strict=True)),
        tons=dict(zip(w.stockpile_ids, state.stockpile_tons.tolist(), strict=True)),
        stance={
            (a, b): STANCES[int(state.stance[i, j])]
            for i, a in enumerate(factions)
            for j, b in enumerate(factions)
            if i != j
        },
        limits=limits,
        supply_factor=dict(zip(factions, state.supply_factor.tolist(), strict=True)),
        fired=[e.id for k, e in enumerate(w.events) if state.fired[k] and state.chosen[k] < 0],
        chosen={e.id: e.options[int(state.chosen[k])][0] for k, e in enumerate(w.events) if state.chosen[k] >= 0},
    )


def _turn(world: World, day: dt.date) -> int:
    turn = world.turn_of(day)
    if not 0 <= turn < world.turns:
        last = world.date_of(world.turns - 1)
        raise _bad(f"--date {day} is not in the scenario, which runs from {world.start} to the week of {last}")
    return turn


def _from_save(world: World, digest: str, saved: SaveFile, day: dt.date | None) -> Game:
    """The saved game, replayed to the week of `day` (or to where it was saved)."""
    try:
        game = restore_game(saved, world, digest)
    except SaveError as error:
        raise _bad(str(error)) from None
    if day is None:
        return game
    turn = _turn(world, day)
    if turn > game.turn:
        raise _bad(f"--date {day} is after the save's week ({world.date_of(game.turn)})")
    return Game.replay(world, saved.seed, saved.orders[:turn])


def _played(world: World, seed: int, skill: int, day: dt.date) -> Game:
    """A game of the AIs, played to the week of `day`."""
    turn = _turn(world, day)
    game = Game(world, seed)
    for _ in play(game, Matchup.of(world, {}, skill), turn):
        pass
    if game.turn < turn:
        raise _bad(f"the game with seed {seed} ended in the week of {world.date_of(game.turn)}, before {day}")
    return game


def _rules_set(own: Scenario, played: Scenario) -> dict[str, object]:
    """The rules the game was played with (`--set`) that the scenario file itself does not give."""
    return {
        name: getattr(played.rules, name)
        for name in Rules.model_fields
        if getattr(played.rules, name) != getattr(own.rules, name)
    }


def _write(path: Path | None, text: str, force: bool) -> None:
    if path is None or str(path) == "-":
        out.file.write(text)
        return
    try:
        check_writable_target(path)
    except UnreadableFile as error:
        raise _bad(f"cannot write {path}: {error.reason}") from None
    if path.exists() and not force:
        raise _bad(f"{path} exists; --force replaces it")
    try:
        write_atomic(path, text)
    except OSError as error:
        raise _bad(f"cannot write {path}: {error.strerror or error}") from None


def snapshot(
    scenario: ScenarioArg,
    *,
    seed: Annotated[int, typer.Option(min=0, help="The seed of the game the AIs play to that week.")] = 0,
    date: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="The week to start from.", show_default=False)
    ] = None,
    save: Annotated[
        Path | None, typer.Option(help="Start from this saved game instead (at --date, or where it was saved).")
    ] = None,
    out_: Annotated[
        Path | None,
        typer.Option("--out", help="Write the scenario here ('-' or none: standard output).", show_default=False),
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace --out if it exists.")] = False,
    skill: SkillOpt = 2,
) -> None:
    """Write a scenario that starts in one week of a game: the AIs play to --date, or a save is replayed."""
    try:
        day = dt.date.fromisoformat(date) if date is not None else None
    except ValueError:
        raise _bad(f"--date {date!r} is not a date like 1919-03-03") from None
    if day is None and save is None:
        raise _bad("give --date YYYY-MM-DD (the AIs play to that week), or --save FILE")
    try:
        saved = read_save(save) if save is not None else None
    except SaveError as error:
        raise _bad(str(error)) from None
    loaded = _load(scenario, saved.overrides if saved is not None else [])
    world = compile_world(loaded)
    if saved is not None:
        game = _from_save(world, content_hash(loaded), saved, day)
        made = f"--save {save}" + (f" --date {day}" if day else "")
    else:
        assert day is not None
        game = _played(world, seed, skill, day)
        made = f"--seed {seed} --date {day}" + (f" --skill {skill}" if skill != 2 else "")
    command = f"anabasis snapshot {shlex.quote(str(scenario))} {made}"
    target = out_ if out_ is not None and str(out_) != "-" else Path("snapshot.yaml")
    overrides = tuple(saved.overrides) if saved is not None else ()
    own = _load(scenario, []) if overrides else loaded  # what the snapshot includes, and so patches
    origin = Origin(scenario, game.seed, game.turn, command, overrides, _rules_set(own, loaded))
    _write(out_, snapshot_text(own, situation_of(game.state), origin, target), force)
    if out_ is not None and str(out_) != "-":
        err.print(f"{out_}: the week of {game.state.date} (week {game.turn}); check it with anabasis validate")
