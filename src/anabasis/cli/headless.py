"""`run` and `sim`: AI-vs-AI games without a window, one with its log or thousands with their statistics."""

from __future__ import annotations

import json
import shlex
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any, TextIO

import typer
from filelock import FileLock, Timeout
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from anabasis.ai.registry import AGENTS, SKILLS
from anabasis.cli.batch_tables import print_batch, print_sweep
from anabasis.cli.console import EXIT_BAD_INPUT, EXIT_FAILED, err, out
from anabasis.engine.game import Game
from anabasis.engine.save import save_data, write_save
from anabasis.engine.world import World, compile_world
from anabasis.machine import cores
from anabasis.scenario import Scenario, ScenarioError, content_hash, load_scenario
from anabasis.scenario.keydates import CHANGES_HANDS, RETURNS, key_dates
from anabasis.sim.batch import (
    MOST_GAMES,
    MOST_WORKERS_A_CORE,
    GameFailed,
    ScenarioChanged,
    SchedulerUnreachable,
    Setup,
    dask_pool,
    keeping,
    local_pool,
)
from anabasis.sim.files import atomic_writer
from anabasis.sim.game import Matchup, default_kind, final_result, play
from anabasis.sim.log import dumps, result_line, turn_line
from anabasis.sim.milestones import Milestones
from anabasis.sim.progress import PROGRESS, Checkpoint, ResumeError
from anabasis.sim.seeds import game_seed
from anabasis.sim.sweep import Sweep
from anabasis.userfiles import UnreadableFile, check_writable_target

ScenarioArg = Annotated[
    Path, typer.Argument(help="A scenario file, e.g. scenarios/revolt-1918.yaml.", show_default=False)
]
AgentOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--agent",
        metavar="FACTION=KIND",
        help=f"Who commands a faction: {', '.join(AGENTS)} (repeatable; default {default_kind()} for all).",
        show_default=False,
    ),
]
SkillOpt = Annotated[int, typer.Option(min=min(SKILLS), max=max(SKILLS), help="The AI's skill, 1 to 3.")]
SetOpt = Annotated[
    list[str] | None,
    typer.Option("--set", metavar="PATH=VALUE", help="Change a scenario value (repeatable).", show_default=False),
]
TurnsOpt = Annotated[int | None, typer.Option(min=1, help="Stop after this many turns.", show_default=False)]
LOCK = ".sim.lock"  # held by the batch writing the folder
SHOWN = 4  # files named when an --out is refused; the rest are counted


def _bad(message: str) -> typer.Exit:
    err.print(f"[red]{message}[/red]", markup=True, highlight=False)
    return typer.Exit(EXIT_BAD_INPUT)


def _load(path: Path, overrides: Sequence[str], trying: str = "") -> Scenario:
    """The scenario, or its FILE:LINE problems printed (after `trying`, what was being tried) and exit 2."""
    try:
        return load_scenario(path, overrides)
    except ScenarioError as error:
        if trying:
            err.print(f"{trying}:", markup=False, highlight=False)
        for problem in error.problems:
            err.print(str(problem), markup=False, highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _agents(world: World, specs: Sequence[str]) -> dict[str, str]:
    """`--agent FACTION=KIND` options as a dict, checked against the scenario and the registry."""
    chosen: dict[str, str] = {}
    for spec in specs:
        faction, _, kind = (part.strip() for part in spec.partition("="))
        if faction not in world.faction_index:
            raise _bad(f"--agent {spec!r}: no faction {faction!r}; factions are: {', '.join(world.faction_ids)}")
        if kind not in AGENTS:
            raise _bad(f"--agent {spec!r}: no agent {kind!r}; agents are: {', '.join(AGENTS)}")
        chosen[faction] = kind
    return chosen


def _date(world: World, turn: int | None) -> str:
    return "never" if turn is None else world.date_of(turn).isoformat()


# --- run ---------------------------------------------------------------------------------------------


@contextmanager
def _log_file(path: Path | None) -> Iterator[TextIO | None]:
    """Where the log goes: nowhere, standard output for `-`, or a file that appears whole when the game ends."""
    if path is None or str(path) == "-":
        yield None if path is None else sys.stdout
        return
    with ExitStack() as stack:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            sink = stack.enter_context(atomic_writer(path))
        except OSError as error:
            raise _bad(f"cannot write the log {path}: {error.strerror or error}") from None
        yield sink


def _writable(path: Path | None, what: str) -> None:
    """Refuse, before the game is played, a --log or --save that names a folder, a FIFO or a device."""
    if path is None or str(path) == "-":
        return
    try:
        check_writable_target(path)
    except UnreadableFile as error:
        raise _bad(f"cannot write the {what} {path}: {error.reason}") from None


def _save_game(path: Path, game: Game, *, scenario: Path, digest: str, matchup: Matchup, overrides: list[str]) -> None:
    """Write the game as the window saves one, so that `play --load` goes on with it and `verify` checks it."""
    sides = {faction: f"{kind}:{matchup.skill}" for faction, kind in matchup.agents}
    data = save_data(game, digest, scenario_path=str(scenario.resolve()), sides=sides, overrides=overrides)
    try:
        write_save(path, data)
    except OSError as error:
        raise _bad(f"cannot write the save {path}: {error.strerror or error}") from None


def run(
    scenario: ScenarioArg,
    *,
    seed: Annotated[int, typer.Option(min=0, help="The game's seed: the same seed plays the same game.")] = 0,
    log: Annotated[
        Path | None, typer.Option(help="Write the JSON-lines log here ('-': standard output).", show_default=False)
    ] = None,
    save: Annotated[
        Path | None, typer.Option(help="Also write the game as a save that `play --load` opens.", show_default=False)
    ] = None,
    turns: TurnsOpt = None,
    agent: AgentOpt = None,
    skill: SkillOpt = 2,
    set_: SetOpt = None,
) -> None:
    """Play one headless AI-vs-AI game and summarize it; --log writes a JSON line a turn and the result."""
    overrides = list(set_ or [])
    loaded = _load(scenario, overrides)
    digest = content_hash(loaded)
    world = compile_world(loaded)
    matchup = Matchup.of(world, _agents(world, agent or []), skill)
    _writable(log, "log")
    _writable(save, "save")
    game = Game(world, seed)
    milestones = Milestones.start(game.state)
    lines = 0
    with _log_file(log) as sink:
        for week in play(game, matchup, turns):
            milestones.observe(week.report.turn, week.state)
            if sink is not None:
                sink.write(dumps(turn_line(week, game.log[-1])) + "\n")
                lines += 1
        if sink is not None:
            last = result_line(
                game.state, seed, milestones, scenario_path=str(scenario), scenario_hash=digest, overrides=overrides
            )
            sink.write(dumps(last) + "\n")
            lines += 1
    if save is not None:
        _save_game(save, game, scenario=scenario, digest=digest, matchup=matchup, overrides=overrides)
    screen = err if log is not None and str(log) == "-" else out
    _print_game(screen, game, seed, matchup, milestones)
    if log is not None and str(log) != "-":
        screen.print(f"log: {log} ({lines} lines)", markup=False)
    if save is not None:
        screen.print(f"save: {save} (anabasis play --load, anabasis verify)", markup=False)


def _print_game(screen: Console, game: Game, seed: int, matchup: Matchup, milestones: Milestones) -> None:
    w = game.world
    state = game.state
    outcome = final_result(state)
    commanders = ", ".join(f"{faction} {kind}" for faction, kind in matchup.agents)
    screen.print(
        f"[bold]{escape(w.scenario.meta.title)}[/bold]: seed {seed}, {outcome.turns} turns "
        f"({w.date_of(0)} to {w.date_of(max(outcome.turns - 1, 0))}), ended by {outcome.reason}; "
        f"commanders: {commanders}, skill {matchup.skill}"
    )
    winner = w.side_names[w.side_ids.index(outcome.winner)] if outcome.winner in w.side_ids else outcome.winner
    screen.print(f"Winner: [bold]{escape(winner)}[/bold]")
    sides = Table(title="Victory points by side")
    sides.add_column("side")
    sides.add_column("points", justify="right")
    for side, points in outcome.sides.items():
        sides.add_row(side, f"{points:,.1f}")
    screen.print(sides)
    factions = Table(title="Factions at the end")
    for name in ("faction", "points", "men on the map", "shipped out", "casualties"):
        factions.add_column(name, justify="left" if name == "faction" else "right")
    men = state.men_on_map().tolist()
    for k, f in enumerate(w.faction_ids):
        factions.add_row(
            f,
            f"{outcome.factions[f]:,.1f}",
            f"{men[k]:,}",
            f"{int(state.evacuated[k]):,}",
            f"{int(state.casualties[k]):,}",
        )
    screen.print(factions)
    dates = Table(title="Key dates")
    dates.add_column("what")
    dates.add_column("when", justify="right")
    names = key_dates(w.scenario)
    unchanged = 0
    for key, turn in milestones.by_id().items():
        if key.startswith(CHANGES_HANDS) and turn is None:
            unchanged += 1
        elif key.startswith(RETURNS) and turn is None:
            continue
        else:
            dates.add_row(escape(names[key]), _date(w, turn))
    if unchanged:
        dates.add_row(f"{unchanged} other key cities never changed hands", "")
    screen.print(dates)


# --- sim ---------------------------------------------------------------------------------------------


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("games"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=err,
    )


def sim(
    ctx: typer.Context,
    scenario: ScenarioArg,
    *,
    games: Annotated[
        int, typer.Option(min=1, max=MOST_GAMES, help=f"How many games to play (at most {MOST_GAMES:,}).")
    ] = 100,
    seed: Annotated[int, typer.Option(min=0, help="The batch's seed; game i's seed is spawned from it.")] = 0,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, help="Worker processes (default: one a core; 1 plays in this process).", show_default=False
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Run on the Dask cluster whose scheduler is at this address.", show_default=False),
    ] = None,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds to wait for the Dask scheduler.")] = 10.0,
    set_: SetOpt = None,
    sweep: Annotated[
        str | None,
        typer.Option(metavar="PATH=V1,V2,...", help="Play the batch once for each value.", show_default=False),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the files (default out/sim-SCENARIO-SEED).", show_default=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON on standard output.")] = False,
    turns: TurnsOpt = None,
    agent: AgentOpt = None,
    skill: SkillOpt = 2,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Go on with the batch in --out where it stopped (same scenario, seed and options), "
            "or give a finished one more games.",
        ),
    ] = False,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite",
            help="Replace the files of an earlier batch in --out (only those: other files there are kept).",
        ),
    ] = False,
) -> None:
    """Play many seeded AI-vs-AI games in parallel; write games.jsonl, summary.json and plots; print the summary."""
    if workers is not None and scheduler is not None:
        raise _bad("give --workers or --scheduler, not both")
    if resume and overwrite:
        raise _bad("give --resume or --overwrite, not both")
    if workers is not None and workers > (most := MOST_WORKERS_A_CORE * cores()):
        raise _bad(f"--workers {workers:,}: at most {most} on this machine ({MOST_WORKERS_A_CORE} a core)")
    try:
        swept = Sweep.parse(sweep) if sweep is not None else None
    except ValueError as error:
        raise _bad(str(error)) from None
    from anabasis.sim import folder as files  # noqa: PLC0415  (it draws: matplotlib costs every other command 0.5 s)

    base = list(set_ or [])
    variants = [[*base, swept.assignment(v)] for v in swept.values] if swept else [base]
    scenarios = [_load(scenario, v, f"--sweep {v[-1]}" if swept else "") for v in variants]
    worlds = [compile_world(s) for s in scenarios]
    chosen = _agents(worlds[0], agent or [])
    folder = out_dir or Path("out") / f"sim-{scenarios[0].meta.id}-{seed}"
    named = f"--out {folder}" if out_dir else f"--out {folder} (the default)"
    parts = [swept.folder(k) for k in range(len(swept.values))] if swept else []
    _check_out(files, folder, parts, named, replace=resume or overwrite)
    ctx.call_on_close(_hold(folder).release)  # released however the command ends
    try:
        if not resume:
            for path in (folder, *(folder / part for part in parts)):
                files.clear(path)
        elif swept is not None:
            files.clear_results(folder)  # the sweep's own table and plot; each value's batch keeps its games
    except OSError as error:
        raise _bad(f"cannot write into {error.filename or folder}: {error.strerror or error}") from None
    about: dict[str, Any] = {
        "scenario": {"id": scenarios[0].meta.id, "title": scenarios[0].meta.title, "file": str(scenario)},
        "seed": seed,
        "games": games,
        "overrides": base,
        "agents": dict(Matchup.of(worlds[0], chosen, skill).agents),
        "skill": skill,
        "max_turns": turns,
    }
    batches = []
    for k, (overrides, loaded, world) in enumerate(zip(variants, scenarios, worlds, strict=True)):
        digest = content_hash(loaded)
        setup = Setup(str(scenario.resolve()), tuple(overrides), digest, Matchup.of(world, chosen, skill), seed, turns)
        where = folder if swept is None else folder / swept.folder(k)
        what = {**about, "scenario": {**about["scenario"], "hash": digest}, "overrides": overrides}
        batches.append(files.Batch(where, setup, world, what))
    points = _resume_points(files, batches, games, folder) if resume else [None] * len(batches)
    kept = sum(p.games for p in points if p is not None)
    pool = dask_pool(scheduler, timeout) if scheduler is not None else local_pool(min(workers or cores(), games))
    started = time.perf_counter()
    summaries = []
    try:
        with keeping((b.setup, b.world) for b in batches), pool as (executor, slots), _progress() as progress:
            bar = progress.add_task("playing", total=games * len(batches), completed=kept)
            for batch, point in zip(batches, points, strict=True):
                progress.update(bar, description=escape(" ".join(batch.setup.overrides[len(base) :]) or "playing"))
                on_game = lambda: progress.advance(bar)  # noqa: E731
                summaries.append(files.play_into(batch, games, on_game, executor, slots, resume=point))
    except SchedulerUnreachable as error:
        raise _bad(str(error)) from None
    except (KeyboardInterrupt, SystemExit):
        again = _resume_command(
            scenario,
            games=games,
            seed=seed,
            overrides=base,
            sweep=sweep,
            folder=folder,
            agent=agent,
            skill=skill,
            turns=turns,
        )
        kept = sum(files.games_kept(batch) for batch in batches)
        err.print(f"stopped: {kept:,} games are kept in {folder}; go on with: {again}", markup=False)
        raise
    except (GameFailed, ScenarioChanged, BrokenProcessPool) as error:
        err.print(f"[red]{error}[/red]", markup=True, highlight=False)
        if isinstance(error, GameFailed):
            err.print(f"replay it with: {_replay(scenario, error.seed, batches[0].setup, agent, skill)}", markup=False)
        raise typer.Exit(EXIT_FAILED) from None
    elapsed = time.perf_counter() - started
    summary = summaries[-1] if swept is None else files.write_sweep(folder, swept, summaries, about)
    if as_json:
        out.file.write(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    elif swept is None:
        print_batch(summary, folder)
    else:
        print_sweep(summary)
    played = games * len(batches) - kept
    rate = f"{played / elapsed:,.1f} games/s" if played else "nothing left to play"
    resumed = f", {kept:,} kept from before" if resume else ""
    err.print(f"{played:,} games in {elapsed:.1f} s ({rate}){resumed}; files in {folder}", markup=False)
    if swept is None:
        err.print(
            f"replay game 0 with: {_replay(scenario, game_seed(seed, 0), batches[0].setup, agent, skill)}", markup=False
        )


def _check_out(files: ModuleType, folder: Path, parts: list[str], named: str, *, replace: bool) -> None:
    """Refuse, leaving it untouched, an --out that is no folder, or that holds files of an earlier batch (or of
    the user's, by the same names) which the user did not say to go on with or replace."""
    if (what := files.not_a_folder(folder)) is not None:
        raise _bad(f"{named} {what}: give --out a folder, or a name not taken yet, for the batch's files")
    for path in (folder / part for part in parts):
        if (what := files.not_a_folder(path)) is not None:
            raise _bad(f"{named}: the sweep writes into {path}, which {what}: give another --out")
    found = [] if replace else files.files_of_a_batch(folder, parts)
    if not found:
        return
    if _busy(folder):
        raise _writing(folder)
    listed = ", ".join(found[:SHOWN]) + (f" and {len(found) - SHOWN} more" if len(found) > SHOWN else "")
    if any(Path(name).name == PROGRESS for name in found):
        raise _bad(
            f"{named} already holds an earlier batch ({listed}): add --resume to go on with it, give another "
            "--out, or add --overwrite to replace its files (nothing else in the folder is touched)"
        )
    them = "it" if len(found) == 1 else "them"
    raise _bad(
        f"{named} already holds {listed}, which the batch writes: give another --out, or add --overwrite to "
        f"replace {them} (nothing else in the folder is touched)"
    )


def _busy(folder: Path) -> bool:
    """Whether another `sim` holds the folder's lock; asked without making a lock file where there is none."""
    if not (folder / LOCK).is_file():
        return False
    lock = FileLock(folder / LOCK)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    except OSError:  # a lock we cannot even open: `_hold` says what is wrong with it
        return False
    lock.release()
    return False


def _writing(folder: Path) -> typer.Exit:
    return _bad(f"another `anabasis sim` is writing into {folder}: wait for it, or choose another --out")


def _hold(folder: Path) -> FileLock:
    """The lock on a batch's folder, held: two batches writing one folder would mix their rows unseen."""
    lock = FileLock(folder / LOCK)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout=0)
    except Timeout:
        raise _writing(folder) from None
    except OSError as error:
        raise _bad(f"cannot write into {folder}: {error.strerror or error}") from None
    return lock


def _replay(scenario: Path, seed: int, setup: Setup, agent: list[str] | None, skill: int) -> str:
    """The `anabasis run` command that plays one game of the batch again."""
    words = ["anabasis", "run", str(scenario), "--seed", str(seed)]
    for assignment in setup.overrides:
        words += ["--set", assignment]
    for spec in agent or []:
        words += ["--agent", spec]
    if skill != 2:
        words += ["--skill", str(skill)]
    if setup.max_turns is not None:
        words += ["--turns", str(setup.max_turns)]
    return shlex.join(words)


def _resume_points(files: ModuleType, batches: list[Any], games: int, folder: Path) -> list[Checkpoint | None]:
    """Where each batch goes on from; exit 2 when one cannot, or when no batch was ever started in `folder`."""
    try:
        points: list[Checkpoint | None] = [files.resume_point(batch, games) for batch in batches]
    except ResumeError as error:
        raise _bad(str(error)) from None
    if all(p is None for p in points):
        raise _bad(f"nothing to resume in {folder}: no batch was started there (start it without --resume)")
    return points


def _resume_command(
    scenario: Path,
    *,
    games: int,
    seed: int,
    overrides: list[str],
    sweep: str | None,
    folder: Path,
    agent: list[str] | None,
    skill: int,
    turns: int | None,
) -> str:
    """The `anabasis sim` command that goes on with an interrupted batch."""
    words = ["anabasis", "sim", str(scenario), "--games", str(games), "--seed", str(seed)]
    for assignment in overrides:
        words += ["--set", assignment]
    if sweep is not None:
        words += ["--sweep", sweep]
    for spec in agent or []:
        words += ["--agent", spec]
    if skill != 2:
        words += ["--skill", str(skill)]
    if turns is not None:
        words += ["--turns", str(turns)]
    return shlex.join([*words, "--out", str(folder), "--resume"])
