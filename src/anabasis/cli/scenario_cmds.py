"""`validate`, `schema` and `info`: the scenario author's commands."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from anabasis.cli.console import EXIT_BAD_INPUT, err, out
from anabasis.scenario import ScenarioError, load_scenario
from anabasis.scenario.changes import ADDED, PATCHED, REMOVED, Change, changes, counts
from anabasis.scenario.confidence import LEVELS
from anabasis.scenario.info import Summary, summarize
from anabasis.scenario.schema import schema_text

SHOWN = 70  # characters of a changed value shown


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
    """Summarize a scenario: stations, track, forces, events, the rules in effect, what its facts rest on, and
    for a variant what it changes against what it includes."""
    try:
        scenario = load_scenario(file)
    except ScenarioError as error:
        for problem in error.problems:
            out.print(str(problem), markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    s = summarize(scenario)
    _print_contents(s)
    _print_rules(s)
    _print_sources(s)
    found = changes(file)
    if found is not None:
        _print_changes(found)


def _print_contents(s: Summary) -> None:
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


def _print_rules(s: Summary) -> None:
    rules = Table(title=f"Rules ({sum(r.changed for r in s.rules)} changed from the default)")
    for name in ("rule", "value", "default"):
        rules.add_column(name, justify="left" if name == "rule" else "right")
    for rule in s.rules:
        value = escape(_shown(rule.value))
        rules.add_row(
            rule.name,
            f"[bold]{value}[/bold]" if rule.changed else value,
            escape(_shown(rule.default)) if rule.changed else "",
        )
    out.print(rules)


def _print_sources(s: Summary) -> None:
    sources = Table(title="What the facts rest on (by the confidence of their sources)")
    for name in ("confidence", "men", "km of track", "events"):
        sources.add_column(name, justify="left" if name == "confidence" else "right")
    t = s.sources
    men, km, events = t.shares("men"), t.shares("km"), t.shares("events")
    for level in LEVELS:
        sources.add_row(
            level,
            f"{t.men[level]:,} ({men[level]:.0%})",
            f"{t.km[level]:,.0f} ({km[level]:.0%})",
            f"{t.events[level]} ({events[level]:.0%})",
        )
    out.print(sources)


def _print_changes(found: list[Change]) -> None:
    summary = Table(title="Changes against what it includes (records)")
    for name in ("section", PATCHED, ADDED, REMOVED):
        summary.add_column(name, justify="left" if name == "section" else "right")
    for section, n in counts(found).items():
        summary.add_row(section, str(n[PATCHED]), str(n[ADDED]), str(n[REMOVED]))
    out.print(summary)
    for change in found:
        out.print(_change_line(change), markup=False, highlight=False)


def _change_line(change: Change) -> str:
    """`units[x].men: 2500 -> 3000`; a record added or taken out, even inside another, says so."""
    if change.kind != PATCHED:
        return f"{change.path}: {change.kind}"
    if change.path.endswith("]") and change.old is None:
        return f"{change.path}: {ADDED}"
    if change.path.endswith("]") and change.new is None:
        return f"{change.path}: {REMOVED}"
    return f"{change.path}: {_shown(change.old)} -> {_shown(change.new)}"


def _shown(value: object) -> str:
    """A value as an author wrote it, cut short: `none` for what is not there."""
    if value is None:
        return "none"
    text = value.isoformat() if isinstance(value, dt.date) else json.dumps(value, default=str, ensure_ascii=False)
    text = text.strip('"') if isinstance(value, str) else text
    return text if len(text) <= SHOWN else text[: SHOWN - 3] + "..."
