"""The land, water, rivers and borders under the railway, read from `assets/map/` and projected once.

The files are optional: without them the map still shows the railway on a plain ground.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from anabasis_game.projection import FloatArray, Lambert

Pixels = npt.NDArray[np.uint8]

THEATRE_FILE = "theatre.json"
RELIEF_FILE = "relief.json"
RELIEF_WIDTH = 1800  # px of the warped relief across the whole map: about the source's own 16 px a degree


@dataclass(frozen=True)
class Shape:
    """Projected points (n, 2) in km, with their bounding box for culling."""

    points: FloatArray
    box: tuple[float, float, float, float]

    @classmethod
    def of(cls, lonlat: Any, projection: Lambert) -> Shape:
        pts = projection.points(lonlat)
        return cls(
            pts, (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max()))
        )


@dataclass(frozen=True)
class Lake:
    name: str
    outline: Shape
    islands: tuple[Shape, ...]


@dataclass(frozen=True)
class River:
    name: str
    rank: int
    lines: tuple[Shape, ...]


@dataclass(frozen=True)
class Relief:
    """The shaded relief resampled onto the projection: RGB rows top to bottom over `box` (km)."""

    pixels: Pixels
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class Geography:
    """Everything drawn under the railway, in projected km."""

    frame: Shape | None = None  # the edge of the map data: outside it there is no data, not sea
    land: tuple[Shape, ...] = ()
    lakes: tuple[Lake, ...] = ()
    rivers: tuple[River, ...] = ()
    borders: tuple[Shape, ...] = ()
    relief: Relief | None = None
    notes: list[str] = field(default_factory=list)


def _frame(bbox: list[float], projection: Lambert) -> Shape:
    """The data's lon/lat box as a projected outline (its parallels are arcs in a conic projection)."""
    lon0, lat0, lon1, lat1 = bbox
    lons = np.linspace(lon0, lon1, 200)
    lats = np.linspace(lat0, lat1, 60)
    ring = np.concatenate(
        [
            np.column_stack([lons, np.full_like(lons, lat0)]),
            np.column_stack([np.full_like(lats, lon1), lats]),
            np.column_stack([lons[::-1], np.full_like(lons, lat1)]),
            np.column_stack([np.full_like(lats, lon0), lats[::-1]]),
        ]
    )
    return Shape.of(ring, projection)


def warp_relief(
    image: Pixels, bbox: list[float], projection: Lambert, box: tuple[float, float, float, float], width: int
) -> Relief:
    """Resample an equirectangular image (rows north to south) onto the projection over `box` (km)."""
    x0, y0, x1, y1 = box
    height = max(1, round(width * (y1 - y0) / (x1 - x0)))
    gx, gy = np.meshgrid(np.linspace(x0, x1, width), np.linspace(y1, y0, height))
    lon, lat = projection.inverse(gx, gy)
    rows, cols = image.shape[:2]
    lon0, lat0, lon1, lat1 = bbox
    col = np.clip(((lon - lon0) / (lon1 - lon0) * cols).astype(np.int64), 0, cols - 1)
    row = np.clip(((lat1 - lat) / (lat1 - lat0) * rows).astype(np.int64), 0, rows - 1)
    return Relief(np.ascontiguousarray(image[row, col, :3]), box)


def _read_image(path: Path) -> Pixels:
    """An image file as an (rows, cols, 3) array; pygame reads PNG without any other dependency."""
    import pygame  # noqa: PLC0415  (kept out of the module so that geography loads without a display)

    surface = pygame.image.load(str(path))
    rgb: Pixels = pygame.surfarray.array3d(surface).transpose(1, 0, 2)
    return rgb


def load_geography(folder: Path, projection: Lambert) -> Geography:
    """Read `theatre.json` (and the relief, if there) from `folder`; missing files give a bare map."""
    notes: list[str] = []
    path = folder / THEATRE_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return Geography(notes=[f"no map of the land ({path}: {error})"])
    land = tuple(Shape.of(polygon[0], projection) for polygon in doc.get("land", []) if polygon and polygon[0])
    lakes = tuple(
        Lake(
            str(lake.get("name") or ""),
            Shape.of(lake["polygon"][0], projection),
            tuple(Shape.of(hole, projection) for hole in lake["polygon"][1:]),
        )
        for lake in doc.get("lakes", [])
    )
    rivers = tuple(
        River(str(r["name"]), int(r.get("rank", 1)), tuple(Shape.of(line, projection) for line in r["lines"]))
        for r in doc.get("rivers", [])
    )
    borders = tuple(Shape.of(line, projection) for b in doc.get("borders", []) for line in b["lines"])
    frame = _frame(list(doc["bbox"]), projection)
    relief = None
    side = folder / RELIEF_FILE
    if side.is_file():
        try:
            meta = json.loads(side.read_text(encoding="utf-8"))
            image = _read_image(folder / str(meta["file"]))
            relief = warp_relief(image, list(meta["bbox"]), projection, frame.box, RELIEF_WIDTH)
        except (OSError, ValueError, KeyError, RuntimeError) as error:  # pygame.error is a RuntimeError
            notes.append(f"no relief ({side}: {error})")
    return Geography(frame, land, lakes, rivers, borders, relief, notes)
