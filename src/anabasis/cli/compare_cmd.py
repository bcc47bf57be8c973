"""`compare`: batches side by side, B minus A, with intervals and what is beyond chance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from anabasis.cli.console import EXIT_BAD_INPUT, err, out
from anabasis.sim.compare import NotComparable, comparison, open_batches

GROUPS = ("outcome", "key dates", "events")


def _bad(message: str) -> typer.Exit:
    err.print(f"[red]{escape(message)}[/red]", markup=True, highlight=False)
    return typer.Exit(EXIT_BAD_INPUT)


def compare(
    folders: Annotated[
        list[Path],
        typer.Argument(help="Two batch folders, A then B; or one sweep's folder.", metavar="A [B]", show_default=False),
    ],
    *,
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON on standard output.")] = False,
) -> None:
    """Set two `sim` batches (or a sweep's values) side by side: B minus A for win rates, points, key dates and
    events, with 95% intervals and which differences are beyond chance. Batches run with the same --seed and
    --games are compared game by game (paired)."""
    if len(folders) > 2:
        raise _bad(f"give two batch folders, or one sweep's folder, not {len(folders)}")
    try:
        result = comparison(open_batches(folders))
    except NotComparable as error:
        raise _bad(str(error)) from None
    if as_json:
        out.file.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        return
    for pair in result["comparisons"]:
        _print_pair(pair)
    family = result["family"]
    out.print(
        f"{family['compared']} differences compared (what was the same in every game of both batches is left out): "
        f"{family['beyond_chance']} have a 95% interval that excludes 0, where chance alone would give about "
        f"{family['expected_by_chance']:g}; {family['beyond_chance_holm']} stay beyond chance under Holm's "
        f"correction for all {family['compared']}.",
        markup=False,
    )


def _print_pair(pair: dict[str, Any]) -> None:
    table = Table(title=escape(f"B = {pair['b']} minus A = {pair['a']} ({pair['pairing']})"))
    for k, name in enumerate(("what", "A", "B", "B − A (95% CI)", "beyond chance")):
        table.add_column(name, justify="left" if k in (0, 4) else "right")
    hidden = 0
    for group in GROUPS:
        rows = [d for d in pair["differences"] if d["group"] == group]
        shown = [d for d in rows if d["difference"] is not None and not d["alike"]]
        hidden += len(rows) - len(shown)
        if group != "outcome" and shown:
            table.add_section()
            table.add_row(f"[bold]{group}[/bold]")
        for d in shown:
            table.add_row(escape(d["name"]), _value(d, d["a"]), _value(d, d["b"]), _difference(d), _verdict(d))
    if hidden:
        table.caption = f"{hidden} more were the same in every game of both, or too seldom in one to compare"
    out.print(table)


def _value(d: dict[str, Any], value: Any) -> str:
    if value is None:
        return "never"
    if d["unit"] == "share":
        return f"{100 * value:.1f}%"
    if d["unit"] == "points":
        return f"{value:,.1f}"
    return str(value)  # a mean date


def _difference(d: dict[str, Any]) -> str:
    scale, fmt, unit = {"share": (100, "+.1f", " pts"), "points": (1, "+,.1f", ""), "weeks": (1, "+.1f", " wk")}[
        d["unit"]
    ]
    value, low, high = (scale * d[k] for k in ("difference", "low", "high"))
    return f"{value:{fmt}}{unit} ({low:{fmt}} to {high:{fmt}})"


def _verdict(d: dict[str, Any]) -> str:
    if d["beyond_chance_holm"]:
        return "yes"
    return "95% CI only" if d["beyond_chance"] else ""
