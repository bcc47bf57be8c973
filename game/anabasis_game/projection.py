"""The map projection: Lambert conformal conic, which keeps shapes true across 30-140 E of Siberia."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

EARTH_KM = 6371.0


class Lambert:
    """Spherical Lambert conformal conic: km east and north of the origin (lat0, lon0).

    Standard parallels at 45 and 62 N bracket the railway from Vladivostok to Arkhangelsk, so distortion
    stays within a few per cent; the central meridian at 90 E puts Siberia upright in the middle.
    """

    def __init__(self, lat1: float = 45.0, lat2: float = 62.0, lat0: float = 53.0, lon0: float = 90.0) -> None:
        p1, p2 = math.radians(lat1), math.radians(lat2)
        self.n = math.log(math.cos(p1) / math.cos(p2)) / math.log(
            math.tan(math.pi / 4 + p2 / 2) / math.tan(math.pi / 4 + p1 / 2)
        )
        self.f = math.cos(p1) * math.tan(math.pi / 4 + p1 / 2) ** self.n / self.n
        self.rho0 = self.f / math.tan(math.pi / 4 + math.radians(lat0) / 2) ** self.n
        self.lon0 = lon0

    def forward(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """(x, y) in km for longitudes and latitudes in degrees; y grows northwards."""
        rho = self.f / np.tan(np.pi / 4 + np.radians(np.asarray(lat, dtype=np.float64)) / 2) ** self.n
        theta = self.n * np.radians(np.asarray(lon, dtype=np.float64) - self.lon0)
        x: FloatArray = EARTH_KM * rho * np.sin(theta)
        y: FloatArray = EARTH_KM * (self.rho0 - rho * np.cos(theta))
        return x, y

    def inverse(self, x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Longitudes and latitudes in degrees for (x, y) in km."""
        xs = np.asarray(x, dtype=np.float64) / EARTH_KM
        dy = self.rho0 - np.asarray(y, dtype=np.float64) / EARTH_KM
        rho = np.sign(self.n) * np.hypot(xs, dy)
        theta = np.arctan2(xs, dy)
        lat: FloatArray = np.degrees(2 * np.arctan((self.f / rho) ** (1 / self.n)) - np.pi / 2)
        lon: FloatArray = self.lon0 + np.degrees(theta / self.n)
        return lon, lat

    def points(self, lonlat: npt.ArrayLike) -> FloatArray:
        """An (n, 2) array of [lon, lat] as an (n, 2) array of [x, y] km."""
        a = np.asarray(lonlat, dtype=np.float64).reshape(-1, 2)
        x, y = self.forward(a[:, 0], a[:, 1])
        out: FloatArray = np.column_stack([x, y])
        return out
