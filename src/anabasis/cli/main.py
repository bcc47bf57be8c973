"""`anabasis`: one command with a subcommand for each job."""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

import typer

from anabasis.cli import compare_cmd, headless, play_cmd, scenario_cmds, snapshot_cmd, verify_cmd
from anabasis.cli.console import EXIT_FAILED, CompileBar, err
from anabasis.engine.jit import when_compiling

app = typer.Typer(
    name="anabasis",
    help="Anabasis: the Czechoslovak Legion and the Allied intervention in Russia, 1918-1920.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
app.command()(scenario_cmds.validate)
app.command()(scenario_cmds.schema)
app.command()(scenario_cmds.info)
app.command()(headless.run)
app.command()(headless.sim)
app.command()(compare_cmd.compare)
app.command()(verify_cmd.verify)
app.command()(snapshot_cmd.snapshot)
app.command()(play_cmd.play)


def _terminate(signum: int, frame: FrameType | None) -> None:
    """A SIGTERM unwinds like Ctrl-C does, so worker pools and temporary files are cleaned up."""
    raise SystemExit(128 + signum)


def main() -> None:
    """Run the command line; an unexpected failure is one clear line, not a traceback."""
    signal.signal(signal.SIGTERM, _terminate)
    if err.is_terminal:
        when_compiling(CompileBar())
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as error:
        if os.environ.get("ANABASIS_DEBUG"):
            raise
        err.print(f"[red]anabasis: internal error: {type(error).__name__}: {error}[/red]", markup=True)
        err.print("Set ANABASIS_DEBUG=1 to see where it happened, and please report it.")
        sys.exit(EXIT_FAILED)
