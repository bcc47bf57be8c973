"""The batch's pictures, drawn off-screen by matplotlib's Agg canvas (no display, no pyplot state)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import StrMethodFormatter

from anabasis.engine.world import World

PLOTS = ("win_rates.png", "points.png", "control.png", "evacuated.png", "holders.png", "curves.png")
FAR = ("holders.png", "curves.png")  # the slowest to draw: where there are idle workers, they draw these
SWEEP_PLOT = "sweep.png"
Target = Path | BinaryIO  # where a picture goes: its file, or memory
Drawing = Callable[[Target], None]
BINS = 40
NOBODY_COLOR = "#9e9e9e"
CURVE_TITLES = {
    "side_points": "victory points by side",
    "strength": "men on the map by faction",
    "casualties": "casualties by faction (men)",
    "evacuated": "men shipped out by faction",
}


@dataclass(frozen=True)
class Palette:
    """The scenario's colours: each faction's own, and each side's that of its first faction."""

    factions: dict[str, str]
    sides: dict[str, str]


def palette(world: World) -> Palette:
    """The colours the plots draw the scenario's factions and sides in."""
    factions = dict(zip(world.faction_ids, world.faction_colors, strict=True))
    sides = {}
    for k, side in enumerate(world.side_ids):
        members = np.flatnonzero(world.side_of == k).tolist()
        sides[side] = world.faction_colors[members[0]] if members else NOBODY_COLOR
    return Palette(factions, sides)


def _save(fig: Figure, path: Target) -> None:
    FigureCanvasAgg(fig)  # render with Agg, without touching pyplot's global backend
    fig.tight_layout()
    fig.set_layout_engine(None)  # else the engine left in its place has savefig draw the figure twice, once unseen
    fig.savefig(path, dpi=110)


def _ci_errors(rows: Sequence[dict[str, float]], centre: str) -> list[list[float]]:
    """Matplotlib's asymmetric error bars from rows with `low` and `high` around `centre`."""
    return [[max(0.0, r[centre] - r["low"]) for r in rows], [max(0.0, r["high"] - r[centre]) for r in rows]]


def plot_win_rates(summary: dict[str, Any], path: Target) -> None:
    """Share of games each side won (and drawn), with Wilson 95% intervals."""
    wins = summary["wins"]
    names = list(wins)
    rows = [wins[n] for n in names]
    fig = Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    ax.bar(names, [r["rate"] for r in rows], yerr=_ci_errors(rows, "rate"), capsize=6, color="#4a7ab0")
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of games won")
    ax.set_title(f"Win rates over {summary['games']} games (95% CI)")
    _save(fig, path)


def _edges(low: float, high: float) -> npt.NDArray[np.float64]:
    return np.linspace(low, high if high > low else low + 1.0, BINS + 1)


def points_histogram(games: Path, sides: Sequence[str], low: float, high: float) -> dict[str, list[int]]:
    """Histogram counts of each side's points, read back from games.jsonl one row at a time (nothing kept)."""
    edges = _edges(low, high)
    counts = {side: np.zeros(BINS, dtype=np.int64) for side in sides}
    with games.open(encoding="utf-8") as rows:
        for line in rows:
            row = json.loads(line)
            for side in sides:
                k = int(np.clip(np.searchsorted(edges, row[f"side_points.{side}"], side="right") - 1, 0, BINS - 1))
                counts[side][k] += 1
    return {side: c.tolist() for side, c in counts.items()}


def plot_points(summary: dict[str, Any], games: Path, path: Target) -> None:
    """The distribution of victory points by side."""
    points = summary["points"]
    sides = list(points)
    low = min(p["min"] for p in points.values())
    high = max(p["max"] for p in points.values())
    counts = points_histogram(games, sides, low, high)
    edges = _edges(low, high)
    fig = Figure(figsize=(7, 4))
    ax = fig.add_subplot()
    for side in sides:
        ax.stairs(counts[side], edges, label=f"{side} (mean {points[side]['mean']:g})", fill=True, alpha=0.45)
    ax.set_xlabel("victory points at the end")
    ax.set_ylabel("games")
    ax.set_title("Victory points by side")
    ax.legend()
    _save(fig, path)


def _week_edges(timeline: dict[str, Any]) -> npt.NDArray[np.datetime64]:
    """The first day of each turn and the day after the last one: the edges of the weekly cells."""
    starts = np.array(timeline["dates"], dtype="datetime64[D]")
    return np.append(starts, starts[-1] + np.timedelta64(7, "D"))


def plot_control(timeline: dict[str, Any], path: Target) -> None:
    """For each side, the share of games in which it held each key city, week by week."""
    held = timeline["held_by_side"]
    cities = timeline["cities"]
    edges = _week_edges(timeline)
    fig = Figure(figsize=(9, 1.2 + 0.35 * max(len(cities), 2) * len(held)))
    axes: list[Axes] = [fig.add_subplot(len(held), 1, k + 1) for k in range(len(held))]
    for ax, (side, shares) in zip(axes, held.items(), strict=True):
        grid = np.asarray(shares, dtype=float).reshape(len(edges) - 1, len(cities)).T
        mesh = ax.pcolormesh(edges, np.arange(len(cities) + 1), grid, vmin=0, vmax=1, cmap="Blues")
        ax.set_yticks(np.arange(len(cities)) + 0.5, cities)
        ax.invert_yaxis()
        ax.set_title(f"share of games in which {side} held each key city")
        fig.colorbar(mesh, ax=ax, fraction=0.03)
    fig.autofmt_xdate()
    _save(fig, path)


def plot_evacuated(timeline: dict[str, Any], colors: Palette, path: Target) -> None:
    """Each faction's men shipped out by each date, averaged over the games (factions that shipped none left out)."""
    fig = Figure(figsize=(8, 4))
    ax = fig.add_subplot()
    for faction, curve in timeline["curves"]["evacuated"].items():
        if any(curve["mean"]):
            ax.plot(_week_edges(timeline)[:-1], curve["mean"], color=colors.factions.get(faction), label=faction)
    ax.set_ylabel("men shipped out (mean over games)")
    ax.set_title("The evacuation")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8, loc="upper left")
    fig.autofmt_xdate()
    _save(fig, path)


def holder_colors(timeline: dict[str, Any], colors: Palette) -> npt.NDArray[np.float64]:
    """Station x week x RGB: the colour of whoever held the station in most games (ties to the first faction,
    nobody last), paled toward white by the share of games it held it in."""
    holders = timeline["station_holders"]
    counts = np.array([*holders["factions"].values(), holders["nobody"]], dtype=np.float64)  # holder x week x station
    shares = counts / max(int(timeline["games"]), 1)
    most = shares.argmax(axis=0)
    share = np.take_along_axis(shares, most[None], axis=0)[0]
    rgb = np.array([to_rgb(colors.factions[f]) for f in holders["factions"]] + [to_rgb(NOBODY_COLOR)])
    cells = 1.0 - share[..., None] * (1.0 - rgb[most])
    return np.transpose(cells, (1, 0, 2))


def plot_holders(timeline: dict[str, Any], colors: Palette, path: Target) -> None:
    """Every station week by week, coloured by who held it in most games and paler the fewer games that was."""
    stations = timeline["station_holders"]["stations"]
    edges = _week_edges(timeline)
    fig = Figure(figsize=(12, 1.6 + 0.13 * len(stations)))
    ax = fig.add_subplot()
    ax.pcolormesh(edges, np.arange(len(stations) + 1), holder_colors(timeline, colors))
    ax.set_yticks(np.arange(len(stations)) + 0.5, stations, fontsize=6)
    key = set(timeline["cities"])
    for label in ax.get_yticklabels():
        label.set_fontweight("bold" if label.get_text() in key else "normal")
    ax.invert_yaxis()
    ax.set_title(
        f"Who held each station at the end of each week, in most of {timeline['games']:,} games\n"
        "(full colour: in every game; paler: in fewer; key cities in bold)",
        fontsize=10,
    )
    legend = [Patch(color=c, label=f) for f, c in colors.factions.items()] + [Patch(color=NOBODY_COLOR, label="nobody")]
    ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    fig.autofmt_xdate()
    _save(fig, path)


def plot_curves(timeline: dict[str, Any], colors: Palette, path: Target) -> None:
    """Points by side and men by faction over time: the median game, and the band of the middle 90%."""
    ends = _week_edges(timeline)[1:]  # each value is the state at the end of its week
    curves = timeline["curves"]
    fig = Figure(figsize=(10, 3.0 * len(curves)))
    for k, (curve, series) in enumerate(curves.items()):
        ax = fig.add_subplot(len(curves), 1, k + 1)
        shades = colors.sides if curve == "side_points" else colors.factions
        for who, entry in series.items():
            low, middle, high = (np.array(entry[p], dtype=float) for p in ("p5", "p50", "p95"))
            ax.fill_between(ends, low, high, color=shades[who], alpha=0.2, linewidth=0)
            ax.plot(ends, middle, color=shades[who], label=who)
        ax.set_title(f"{CURVE_TITLES.get(curve, curve)}: median and 5th-95th percentile", fontsize=10)
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.legend(fontsize=8, loc="upper left")
    fig.autofmt_xdate()
    _save(fig, path)


def plot_batch(
    summary: dict[str, Any],
    timeline: dict[str, Any],
    games: Path,
    folder: Path,
    colors: Palette,
    *,
    helpers: Executor | None = None,
) -> list[Path]:
    """All the batch's pictures, written into `folder`; with `helpers` (idle workers of a pool on this machine), the
    slowest are drawn there while this process draws the rest."""
    drawings: dict[str, Drawing] = {
        "win_rates.png": partial(plot_win_rates, summary),
        "points.png": partial(plot_points, summary, games),
        "control.png": partial(plot_control, timeline),
        "evacuated.png": partial(plot_evacuated, timeline, colors),
        "holders.png": partial(plot_holders, timeline, colors),
        "curves.png": partial(plot_curves, timeline, colors),
    }
    away: dict[str, Future[bytes]] = {}
    if helpers is not None:
        away = {name: helpers.submit(drawn, drawings[name]) for name in FAR}
    for name, draw in drawings.items():
        if name not in away:
            draw(folder / name)
    for name, picture in away.items():
        (folder / name).write_bytes(picture.result())
    return [folder / name for name in PLOTS]


def drawn(draw: Drawing) -> bytes:
    """A picture drawn in memory, as the bytes of its PNG file: what a worker hands back."""
    png = io.BytesIO()
    draw(png)
    return png.getvalue()


def plot_sweep(path_name: str, table: list[dict[str, Any]], path: Path) -> None:
    """Win rate and mean points by side against the swept value, with 95% intervals."""
    fig = Figure(figsize=(8, 6))
    rate_ax, points_ax = fig.add_subplot(2, 1, 1), fig.add_subplot(2, 1, 2)
    x = np.arange(len(table))
    sides = [s for s in table[0]["wins"] if s != "draw"]
    for k, side in enumerate(sides):
        shift = (k - (len(sides) - 1) / 2) * 0.08
        wins = [row["wins"][side] for row in table]
        points = [row["points"][side] for row in table]
        rate_ax.errorbar(
            x + shift, [w["rate"] for w in wins], yerr=_ci_errors(wins, "rate"), capsize=4, marker="o", label=side
        )
        points_ax.errorbar(
            x + shift, [p["mean"] for p in points], yerr=_ci_errors(points, "mean"), capsize=4, marker="o"
        )
    for ax in (rate_ax, points_ax):
        ax.set_xticks(x, [str(row["value"]) for row in table])
    rate_ax.set_ylim(0, 1)
    rate_ax.set_ylabel("win rate")
    rate_ax.legend()
    rate_ax.set_title(f"Outcome against {path_name}")
    points_ax.set_ylabel("mean victory points")
    points_ax.set_xlabel(path_name)
    _save(fig, path)
