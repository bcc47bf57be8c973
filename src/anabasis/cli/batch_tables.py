"""A batch's summary, and a sweep's, as the tables `anabasis sim` prints: read from summary.json's data alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from anabasis.cli.console import out
from anabasis.sim.highlights import replay_command


def rate(wins: dict[str, Any]) -> str:
    """A rate with its (asymmetric) Wilson interval, in percent."""
    return f"{100 * wins['rate']:.1f}% ({100 * wins['low']:.1f}–{100 * wins['high']:.1f})"


def mean(row: dict[str, float], fmt: str) -> str:
    """A mean with the half-width of its (symmetric) interval."""
    return f"{row['mean']:{fmt}} ± {row['high'] - row['mean']:{fmt}}"


def off_history(key: dict[str, Any]) -> str:
    """How far the games' median fell from history, in weeks: `3 wk later`, `same week`."""
    after = key["weeks_after_history"]
    if after is None:
        return ""
    if abs(after) < 1:
        return "same week"
    return f"{abs(after):.0f} wk {'later' if after > 0 else 'earlier'}"


def _table(title: str, *columns: str) -> Table:
    """A table whose first column is left-aligned and the others, numbers, right-aligned."""
    table = Table(title=escape(title))
    for k, name in enumerate(columns):
        table.add_column(escape(name), justify="left" if k == 0 else "right")
    return table


def _between(low: str | None, high: str | None) -> str:
    """`05-27–06-03`: two dates in a year, short enough to sit under the median; with their years otherwise."""
    if low is None or high is None or low == high:
        return ""
    return f"{low[5:]}–{high[5:]}" if low[:4] == high[:4] else f"{low}–{high}"


def print_batch(summary: dict[str, Any], folder: Path) -> None:
    n = summary["games"]
    sides = _table(f"{n:,} games of {summary['scenario']['title']}, seed {summary['seed']} (95% CI)", "side")
    for name in ("won", "win rate", "victory points"):
        sides.add_column(name, justify="right")
    for side, wins in summary["wins"].items():
        points = summary["points"].get(side)
        sides.add_row(side, f"{wins['games']:,}", rate(wins), mean(points, ",.1f") if points else "")
    out.print(sides)
    factions = _table(
        "By faction (mean per game, 95% CI)", "faction", "victory points", "men shipped out", "casualties"
    )
    for f, points in summary["faction_points"].items():
        factions.add_row(
            f, mean(points, ",.1f"), mean(summary["evacuated"][f], ",.0f"), mean(summary["casualties"][f], ",.0f")
        )
    out.print(factions)
    objectives = _table("Victory points by objective (mean per game, 95% CI)", "objective", "faction", "points")
    for objective in summary["objective_points"].values():
        objectives.add_row(escape(objective["name"]), objective["faction"], mean(objective, ",.1f"))
    out.print(objectives)
    losses = _table("Men lost by contingent (mean per game, 95% CI)", "contingent", "faction", "men lost")
    for bucket in summary["contingent_casualties"].values():
        losses.add_row(escape(bucket["name"]), bucket["faction"], mean(bucket, ",.0f"))
    out.print(losses)
    dates = _table(
        "Key dates (median, and below it the middle 80% of the games where it happened), and in history",
        "what",
        "median date",
        "history",
        "vs history",
        "never in",
    )
    for key in summary["key_dates"].values():
        never = f"{100 * key['never']:.0f}% of games" if key["never"] else ""
        median = key["median"] or "never"
        spread = _between(*key["spread"])
        if spread:
            median += f"\n[dim]{spread}[/dim]"
        dates.add_row(escape(key["name"]), median, key["history"] or "", off_history(key), never)
    out.print(dates)
    history = summary.get("history", {})
    if history.get("dates"):
        share = f"{100 * history['share']:.0f}%"
        out.print(
            f"{history['within']} of {history['dates']} key dates with a real date ({share}) have their median "
            f"within {history['weeks']} weeks of it (the last ships: {history['evacuation_weeks']})."
        )
    _print_events(summary["events"], n)
    _print_decisions(summary["decisions"], list(summary["points"]))
    watch = _table("Games worth watching", "game", "why", "open it with")
    for column in watch.columns:
        column.justify = "left"
    for h in summary.get("watch", []):
        watch.add_row(f"{h['index']:,} ({h['kind']})", escape(h["why"]), escape(replay_command(folder, h["index"])))
    if watch.row_count:
        out.print(watch)


def _print_events(events: dict[str, Any], games: int) -> None:
    """The events that fired in some games but not all; the others are counted, or named, in a line below."""
    always = sum(e["games"] == games for e in events.values())
    never = [event for event, e in events.items() if e["games"] == 0]
    line = f"{always} of {len(events)} events fired in every game" + (
        f"; never fired: {', '.join(never)}" if never else "; every event fired in some game"
    )
    some = [e for e in events.values() if 0 < e["games"] < games]
    if not some:
        out.print(escape(line))
        return
    table = _table("Events that fired in some games (share of games, 95% CI)", "event", "fired in", "median date")
    for e in some:
        table.add_row(escape(e["name"]), short_rate(e), e["median"])
    table.caption = escape(line)
    out.print(table)


def short_rate(wins: dict[str, Any]) -> str:
    """A rate with its Wilson interval, in whole percent."""
    return f"{100 * wins['rate']:.0f}% ({100 * wins['low']:.0f}–{100 * wins['high']:.0f})"


def _print_decisions(decisions: dict[str, Any], sides: list[str]) -> None:
    """Each decision's options: how often taken, and who won and the points in the games where it was."""
    if not decisions:
        return
    table = _table(
        "Decisions: the option taken, and how those games went (95% CI)",
        "decision: option",
        "taken in",
        *(f"{side} won" for side in sides),
        *(f"{side} points" for side in sides),
    )
    for d in decisions.values():
        table.add_row(escape(d["name"]))
        branches = [(o["label"] + (" (default)" if oid == d["default"] else ""), o) for oid, o in d["options"].items()]
        for label, branch in [*branches, ("not answered", d["undecided"])]:
            taken = branch["games"] > 0
            table.add_row(
                "  " + escape(label),
                short_rate(branch),
                *(short_rate(branch["wins"][side]) if taken else "" for side in sides),
                *(mean(branch["points"][side], ",.1f") if taken else "" for side in sides),
            )
    out.print(table)


def print_sweep(summary: dict[str, Any]) -> None:
    table = summary["table"]
    sides = [s for s in table[0]["wins"] if s != "draw"]
    view = Table(title=escape(f"{summary['sweep']['path']}: {summary['games']:,} games a value (95% CI)"))
    for name in ("value", "side", "win rate", "victory points"):
        view.add_column(name, justify="right" if name in ("win rate", "victory points") else "left")
    for row in table:
        for k, side in enumerate(sides):
            value = escape(str(row["value"])) if k == 0 else ""
            view.add_row(value, side, rate(row["wins"][side]), mean(row["points"][side], ",.1f"))
        view.add_section()
    out.print(view)
