"""`play`: the game window. The front end (package `anabasis_game`, pygame) is imported only when it runs."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from anabasis.ai.registry import SKILLS
from anabasis.cli.console import EXIT_BAD_INPUT, EXIT_FAILED, err
from anabasis.engine.save import SaveError
from anabasis.paths import default_scenario
from anabasis.replay import Observer, Replay, ReplayError, open_replay
from anabasis.scenario import ScenarioError


class Side(StrEnum):
    legion = "legion"
    allies = "allies"


def has_display() -> bool:
    """Whether a window can open: always on Windows and macOS; on X11/Wayland only with a display to show it."""
    if sys.platform in ("win32", "darwin"):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"))


def play(
    scenario: Annotated[
        Path | None,
        typer.Argument(help="The scenario to play (default: the 1918-1920 campaign).", show_default=False),
    ] = None,
    *,
    side: Annotated[Side | None, typer.Option(help="Command this side; the AI plays the others.")] = None,
    hotseat: Annotated[bool, typer.Option("--hotseat", help="Two people: one the Legion, one the Allies.")] = False,
    load: Annotated[Path | None, typer.Option(help="Go on with a saved game.", show_default=False)] = None,
    skill: Annotated[int, typer.Option(min=min(SKILLS), max=max(SKILLS), help="The AI's skill, 1 to 3.")] = 2,
    replay: Annotated[
        Path | None,
        typer.Option(
            help="Step through a recorded game: a `run --log`, a save, or a `sim` folder with --game N "
            "(SCENARIO names its scenario file when it has moved).",
            show_default=False,
        ),
    ] = None,
    game: Annotated[
        int | None, typer.Option(min=0, help="With --replay FOLDER: the batch's game N.", show_default=False)
    ] = None,
    watch: Annotated[bool, typer.Option("--watch", help="Watch the AI play every side (of SCENARIO).")] = False,
    window: Annotated[str | None, typer.Option(help="Window size, e.g. 1600x900.", show_default=False)] = None,
    fullscreen: Annotated[bool, typer.Option("--fullscreen", help="Fill the screen.")] = False,
) -> None:
    """Open the game window. With a scenario, a side, --hotseat or --load it starts at once; --replay steps through a
    recorded game, --watch shows the AI playing itself; else the title screen."""
    _check_options(side=side, hotseat=hotseat, load=load, replay=replay, game=game, watch=watch)
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from anabasis_game.launch import WindowError, prepare, run  # noqa: PLC0415  (the core never imports pygame; only this command does)
    from anabasis_game.session import Opening, Session  # noqa: PLC0415
    from anabasis_game.userdata import Settings, parse_window, saves_dir, settings_path  # noqa: PLC0415

    saves = saves_dir()
    settings = Settings.load(settings_path(saves))
    try:
        if window is not None:
            settings.window = parse_window(window)
    except ValueError as error:
        err.print(f"[red]--window: {error}[/red]")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    settings.fullscreen = settings.fullscreen or fullscreen
    starts = scenario is not None or side is not None or hotseat
    humans = ("legion", "allies") if hotseat else ((side or Side.legion).value,)
    opening = Opening(scenario or default_scenario(), humans, skill) if starts else None
    start: Session | Replay | Observer | None
    try:
        if replay is not None:
            start = open_replay(replay, game, scenario)
        elif watch:
            start = Observer.of(scenario or default_scenario(), skill)
        else:
            start = prepare(opening, load, saves, scenario)
    except ScenarioError as error:
        for problem in error.problems:
            err.print(str(problem), markup=False, highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except (SaveError, ReplayError) as error:
        err.print(f"[red]{escape(str(error))}[/red]", markup=True, highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except ValueError as error:
        err.print(f"[red]{error}[/red]", markup=True, highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if not has_display():  # after the files were read: a bad one is bad input (exit 2) with or without a screen
        err.print("anabasis play needs a display to open its window, and there is none here (DISPLAY is not set).")
        err.print("Run it on a desktop, or use [bold]anabasis run[/bold] for a game without a window.")
        raise typer.Exit(EXIT_FAILED)
    try:
        run(settings, saves, start, scenario)
    except WindowError as error:
        err.print(f"[red]The window could not open: {error}[/red]")
        raise typer.Exit(EXIT_FAILED) from None


def _check_options(
    *, side: Side | None, hotseat: bool, load: Path | None, replay: Path | None, game: int | None, watch: bool
) -> None:
    """Refuse options that contradict each other (exit 2), before anything is opened."""
    starts = {"--replay": replay is not None, "--watch": watch, "--load": load is not None}
    chosen = [name for name, given in starts.items() if given]
    problem = None
    if hotseat and side is not None:
        problem = "--hotseat means both the Legion and the Allies are played by people; leave out --side"
    elif len(chosen) > 1:
        problem = f"give one of {', '.join(chosen)}: each opens the window on something else"
    elif chosen and chosen[0] != "--load" and (hotseat or side is not None):
        problem = f"{chosen[0]} shows the AI's game; take command of a side from it in the window (leave out --side)"
    elif game is not None and replay is None:
        problem = "--game N picks a game of a batch folder: give the folder with --replay FOLDER --game N"
    if problem is not None:
        err.print(f"[red]{problem}[/red]")
        raise typer.Exit(EXIT_BAD_INPUT)
