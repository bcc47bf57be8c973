"""`validate`, `schema` and `info`: the scenario author's commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from anabasis.cli.console import EXIT_BAD_INPUT, err, out
from anabasis.scenario import ScenarioError, load_scenario
from anabasis.scenario.info import summarize
from anabasis.scenario.schema import schema_text


def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to check.", show_default=False)],
) -> None:
    """Check scenario files; print FILE:LINE: field: message for every problem and exit 2 if any."""
    bad = 0
    for file in files:
        try:
            scenario = load_scenario(file)
        except ScenarioError as error:
            bad += 1
            for problem in error.problems:
                out.print(str(problem), markup=False)
            err.print(f"[red]{file}: {len(error.problems)} problem(s)[/red]")
        else:
            err.print(f"[green]{file}: valid[/green] ({scenario.meta.title})")
    if bad:
        raise typer.Exit(EXIT_BAD_INPUT)


def schema() -> None:
    """Print the JSON Schema of scenario files, for editors."""
    out.file.write(schema_text())


def info(file: Annotated[Path, typer.Argument(help="A scenario file.", show_default=False)]) -> None:
    """Summarize a scenario: stations, km of track by line, men by contingent, events by year."""
    try:
        scenario = load_scenario(file)
    except ScenarioError as error:
        for problem in error.problems:
            out.print(str(problem), markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    s = summarize(scenario)
    out.print(f"[bold]{s.title}[/bold]  {s.span}, {s.turns} turns")
    stations = Table(title="Stations")
    stations.add_column("theatre")
    stations.add_column("stations", justify="right")
    for theatre, n in sorted(s.stations_by_theatre.items()):
        stations.add_row(theatre, str(n))
    stations.add_row(
        "[bold]all[/bold]",
        f"[bold]{sum(s.stations_by_kind.values())}[/bold] "
        f"({', '.join(f'{n} {k}' for k, n in sorted(s.stations_by_kind.items()))})",
    )
    out.print(stations)
    track = Table(title="Track by line")
    track.add_column("line")
    track.add_column("km", justify="right")
    for line, km in s.km_by_line.items():
        track.add_row(line, f"{km:,.0f}")
    track.add_row("[bold]all[/bold]", f"[bold]{sum(s.km_by_line.values()):,.0f}[/bold]")
    out.print(track)
    forces = Table(title="Forces (men)")
    for name in ("faction", "contingent", "units", "at start", "arriving", "in reserve"):
        forces.add_column(name, justify="left" if name in ("faction", "contingent") else "right")
    for f in sorted(s.forces, key=lambda f: (f.faction, f.contingent)):
        forces.add_row(f.faction, f.contingent, str(f.units), f"{f.at_start:,}", f"{f.arriving:,}", f"{f.reserve:,}")
    out.print(forces)
    events = Table(title=f"Events ({s.decisions} with a decision)")
    events.add_column("year")
    events.add_column("events", justify="right")
    for year, n in s.events_by_year.items():
        events.add_row(str(year) if year else "on a condition", str(n))
    out.print(events)
