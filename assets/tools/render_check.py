#!/usr/bin/env python3
"""Render assets/map/theatre.json (and relief.png) to a PNG, to check the map assets by eye.

Draws the whole theatre in a Lambert conformal conic projection (standard parallels 45 and 62 N,
central meridian 90 E) at 1600 x 900 px, with a few cities marked, and a second image of
4x zooms (equirectangular) around those cities. Reads only the files in ``assets/``.

Usage (from the repository root)::

    python assets/tools/render_check.py /tmp/map_check.png
    python assets/tools/render_check.py /tmp/map_check.png --no-relief

The zooms go to the same name with ``_zoom`` added (``/tmp/map_check_zoom.png``).
Needs numpy, matplotlib and pillow.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from PIL import Image

from anabasis_game.projection import Lambert  # the game's own projection: the check shows what players see

ASSETS = Path(__file__).resolve().parents[1]
FloatArray = npt.NDArray[np.float64]
Projector = Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]

CITIES: tuple[tuple[str, float, float], ...] = (  # name, lon, lat
    ("Samara", 50.12, 53.19),
    ("Omsk", 73.38, 54.94),
    ("Irkutsk", 104.26, 52.28),
    ("Vladivostok", 131.88, 43.11),
    ("Arkhangelsk", 40.54, 64.54),
    ("Harbin", 126.63, 45.76),
)
SEA, LAND, LAKE = "#a9c8dc", "#e9e2cc", "#8fb5d3"
RIVER, BORDER, MODERN = "#2f6fa8", "#b02020", "#888888"


def _proj_coords(ring: Sequence[Sequence[float]], proj: Projector) -> FloatArray:
    a = np.asarray(ring, dtype=float)
    x, y = proj(a[:, 0], a[:, 1])
    return np.column_stack([x, y])


def draw_layers(ax: Axes, theatre: dict[str, Any], proj: Projector, alpha_land: float, scale: float = 1.0) -> None:
    land = [_proj_coords(p[0], proj) for p in theatre["land"]]
    ax.add_collection(
        PolyCollection(land, facecolors=LAND, edgecolors="#6b6b5a", linewidths=0.4 * scale, alpha=alpha_land, zorder=2)
    )
    lakes = [_proj_coords(f["polygon"][0], proj) for f in theatre["lakes"]]
    holes = [_proj_coords(h, proj) for f in theatre["lakes"] for h in f["polygon"][1:]]
    ax.add_collection(PolyCollection(lakes, facecolors=LAKE, edgecolors="#46708f", linewidths=0.4 * scale, zorder=3))
    ax.add_collection(PolyCollection(holes, facecolors=LAND, edgecolors="#46708f", linewidths=0.3 * scale, zorder=3))
    modern = [_proj_coords(ln, proj) for f in theatre["modern_borders"] for ln in f["lines"]]
    ax.add_collection(LineCollection(modern, colors=MODERN, linewidths=0.6 * scale, linestyles=(0, (3, 2)), zorder=4))
    for f in theatre["rivers"]:
        lines = [_proj_coords(ln, proj) for ln in f["lines"]]
        width = (1.0 if f["rank"] == 1 else 0.6) * scale
        ax.add_collection(LineCollection(lines, colors=RIVER, linewidths=width, zorder=5))
        longest = max(lines, key=len)
        mid = longest[len(longest) // 2]
        ax.text(
            mid[0],
            mid[1],
            f["name"],
            fontsize=5.5 * scale,
            color=RIVER,
            style="italic",
            zorder=8,
            ha="center",
            va="bottom",
            clip_on=True,
        )
    borders = [_proj_coords(ln, proj) for f in theatre["borders"] for ln in f["lines"]]
    ax.add_collection(
        LineCollection(borders, colors=BORDER, linewidths=1.1 * scale, linestyles=(0, (5, 2, 1, 2)), zorder=6)
    )
    for name, lon, lat in CITIES:
        x, y = proj(np.array([lon]), np.array([lat]))
        ax.plot(x, y, "o", ms=4 * scale, mfc="black", mec="white", mew=0.8, zorder=9)
        ax.text(
            float(x[0]),
            float(y[0]),
            f" {name}",
            fontsize=7 * scale,
            weight="bold",
            zorder=9,
            va="bottom",
            clip_on=True,
        )


def warp_relief(
    relief: Image.Image,
    *,
    bbox: Sequence[float],
    lam: Lambert,
    xlim: Sequence[float],
    ylim: Sequence[float],
    size: tuple[int, int],
) -> npt.NDArray[np.uint8]:
    """Resample the equirectangular relief into the Lambert view (nearest neighbour, RGBA)."""
    w, h = size
    xs = np.linspace(xlim[0], xlim[1], w)
    ys = np.linspace(ylim[1], ylim[0], h)
    gx, gy = np.meshgrid(xs, ys)
    lon, lat = lam.inverse(gx, gy)
    src = np.asarray(relief.convert("RGB"))
    sh, sw = src.shape[:2]
    col = ((lon - bbox[0]) / (bbox[2] - bbox[0]) * sw).astype(int)
    row = ((bbox[3] - lat) / (bbox[3] - bbox[1]) * sh).astype(int)
    inside = (col >= 0) & (col < sw) & (row >= 0) & (row < sh)
    out = np.zeros((h, w, 4), dtype=np.uint8)
    out[inside, :3] = src[row[inside], col[inside]]
    out[inside, 3] = 255
    return out


def render_overview(
    theatre: dict[str, Any], relief: Image.Image | None, relief_bbox: Sequence[float], out: Path
) -> None:
    lam = Lambert()
    lon_w, lat_s, lon_e, lat_n = theatre["bbox"]
    edge_lon = np.concatenate(
        [
            np.linspace(lon_w, lon_e, 200),
            np.full(50, lon_e),
            np.linspace(lon_e, lon_w, 200),
            np.full(50, lon_w),
        ]
    )
    edge_lat = np.concatenate(
        [
            np.full(200, lat_s),
            np.linspace(lat_s, lat_n, 50),
            np.full(200, lat_n),
            np.linspace(lat_n, lat_s, 50),
        ]
    )
    ex, ey = lam.forward(edge_lon, edge_lat)
    fig = plt.figure(figsize=(16, 9), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_facecolor(SEA)
    pad = 0.01
    xlim = (float(ex.min()) - pad, float(ex.max()) + pad)
    ylim = (float(ey.min()) - pad, float(ey.max()) + pad)
    # keep 16:9 with equal scales
    cx, cy = sum(xlim) / 2, sum(ylim) / 2
    half_w = max(xlim[1] - xlim[0], (ylim[1] - ylim[0]) * 16 / 9) / 2
    xlim, ylim = (cx - half_w, cx + half_w), (cy - half_w * 9 / 16, cy + half_w * 9 / 16)
    if relief is not None:
        img = warp_relief(relief, bbox=relief_bbox, lam=lam, xlim=xlim, ylim=ylim, size=(1600, 900))
        ax.imshow(img, extent=(xlim[0], xlim[1], ylim[0], ylim[1]), zorder=1, interpolation="nearest")
    draw_layers(ax, theatre, lam.forward, alpha_land=0.35 if relief is not None else 1.0)
    ax.plot(ex, ey, color="black", lw=0.5, zorder=10)
    for lon in range(30, 151, 10):
        gx, gy = lam.forward(np.full(50, float(lon)), np.linspace(lat_s, lat_n, 50))
        ax.plot(gx, gy, color="white", lw=0.3, alpha=0.6, zorder=7)
    for lat in range(40, 71, 10):
        gx, gy = lam.forward(np.linspace(lon_w, lon_e, 200), np.full(200, float(lat)))
        ax.plot(gx, gy, color="white", lw=0.3, alpha=0.6, zorder=7)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.text(
        0.005,
        0.005,
        "theatre.json check: Lambert conformal conic 45/62 N, 90 E",
        transform=ax.transAxes,
        fontsize=8,
    )
    fig.savefig(out)
    plt.close(fig)


def render_zooms(theatre: dict[str, Any], relief: Image.Image | None, relief_bbox: Sequence[float], out: Path) -> None:
    """Panels at the pixel scale of a 4x zoom (a 1600 px view of a quarter of the theatre's width)."""
    fig, axes = plt.subplots(3, 2, figsize=(16, 13.5), dpi=100)
    coslat = math.cos(math.radians(55))
    px_per_deg = 1600 / ((theatre["bbox"][2] - theatre["bbox"][0]) / 4)
    w = 800 / px_per_deg  # degrees of longitude in an 800 px panel

    def ident(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
        return lon * coslat, lat

    for ax, (name, lon, lat) in zip(axes.flat, CITIES, strict=True):
        ax.set_facecolor(SEA)
        h = w * coslat * 9 / 16
        if relief is not None:
            ax.imshow(
                np.asarray(relief.convert("RGB")),
                extent=(relief_bbox[0] * coslat, relief_bbox[2] * coslat, relief_bbox[1], relief_bbox[3]),
                zorder=1,
            )
        draw_layers(ax, theatre, ident, alpha_land=0.35 if relief is not None else 1.0, scale=1.3)
        ax.set_xlim((lon - w / 2) * coslat, (lon + w / 2) * coslat)
        ax.set_ylim(lat - h / 2, lat + h / 2)
        ax.set_aspect("equal")
        ax.set_title(f"around {name}: {w:.1f} deg of longitude, 4x zoom scale, equirectangular", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Render the map assets to a PNG for a visual check.")
    p.add_argument("out", type=Path, help="PNG to write, e.g. /tmp/map_check.png")
    p.add_argument("--assets", type=Path, default=ASSETS, help="assets folder (default: this repository's)")
    p.add_argument("--no-relief", action="store_true", help="draw without the relief raster")
    args = p.parse_args(argv)
    theatre = json.loads((args.assets / "map" / "theatre.json").read_text(encoding="utf-8"))
    relief: Image.Image | None = None
    relief_bbox: Sequence[float] = theatre["bbox"]
    side = args.assets / "map" / "relief.json"
    if not args.no_relief and side.exists():
        meta = json.loads(side.read_text(encoding="utf-8"))
        relief = Image.open(args.assets / "map" / meta["file"])
        relief_bbox = meta["bbox"]
    render_overview(theatre, relief, relief_bbox, args.out)
    zoom = args.out.with_name(args.out.stem + "_zoom" + args.out.suffix)
    render_zooms(theatre, relief, relief_bbox, zoom)
    print(f"wrote {args.out} and {zoom}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
