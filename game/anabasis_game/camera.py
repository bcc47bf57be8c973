"""Zoom and pan: which part of the projected map (km) shows where on the screen (px)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anabasis_game.projection import FloatArray

Box = tuple[float, float, float, float]  # x_min, y_min, x_max, y_max in km
Area = tuple[int, int, int, int]  # left, top, width, height in px

FARTHEST, CLOSEST = 0.9, 10.0  # the zoom levels the player can reach (1 shows the whole theatre)
BODY_KM = 900.0  # units this close to one another count as one body of troops
BODY_MARGIN_KM = 250.0  # room round a body of troops when the view opens on it
BODY_VIEW_KM = 1400.0  # the narrowest view to open on, so that a lone garrison is seen with its surroundings


@dataclass
class Camera:
    """The view: `scale` px per km, the km point at the centre of `area`, bounded by `extent`.

    `version` changes whenever the view does, so layers drawn for one view know when to redraw.
    """

    area: Area
    extent: Box
    cx: float = 0.0
    cy: float = 0.0
    scale: float = 0.2
    version: int = 0

    def fit(self, box: Box | None = None) -> None:
        """Show all of `box` (default: the extent) in the area; zooming out further than that is not useful.

        When the whole theatre does not fill the area's height, the spare room goes to the south: the arctic
        north is empty of railways, and China, Mongolia and Korea are part of the story.
        """
        x0, y0, x1, y1 = box or self.extent
        _, _, w, h = self.area
        self.scale = min(w / (x1 - x0), h / (y1 - y0))
        self.cx, self.cy = (x0 + x1) / 2, (y0 + y1) / 2
        if box is None:
            self.cy = y1 - h / self.scale / 2
        self._changed()

    def set_area(self, area: Area) -> None:
        """Keep the same centre and zoom level in a resized window (so the whole theatre still fits at zoom 1)."""
        level = self.zoom_level
        self.area = area
        self.scale = level * self.whole_scale
        self._changed()

    @property
    def whole_scale(self) -> float:
        """The scale at which the whole theatre just fits the area."""
        x0, y0, x1, y1 = self.extent
        _, _, w, h = self.area
        return min(w / (x1 - x0), h / (y1 - y0))

    @property
    def min_scale(self) -> float:
        return self.whole_scale * FARTHEST

    @property
    def max_scale(self) -> float:
        return self.whole_scale * CLOSEST

    @property
    def centre_px(self) -> tuple[float, float]:
        left, top, w, h = self.area
        return left + w / 2, top + h / 2

    def to_screen(self, x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
        ox, oy = self.centre_px
        return ox + (x - self.cx) * self.scale, oy - (y - self.cy) * self.scale

    def point(self, x: float, y: float) -> tuple[int, int]:
        ox, oy = self.centre_px
        return round(ox + (x - self.cx) * self.scale), round(oy - (y - self.cy) * self.scale)

    def to_world(self, sx: float, sy: float) -> tuple[float, float]:
        ox, oy = self.centre_px
        return self.cx + (sx - ox) / self.scale, self.cy - (sy - oy) / self.scale

    def visible(self) -> Box:
        """The km box the whole screen area shows."""
        left, top, w, h = self.area
        x0, y1 = self.to_world(left, top)
        x1, y0 = self.to_world(left + w, top + h)
        return x0, y0, x1, y1

    def pan(self, dx: float, dy: float) -> None:
        """Move the map by (dx, dy) px, as when it is dragged."""
        self.cx -= dx / self.scale
        self.cy += dy / self.scale
        self._changed()

    def zoom(self, factor: float, sx: float | None = None, sy: float | None = None) -> None:
        """Zoom by `factor` keeping the km point under (sx, sy) px (default: the centre) where it is."""
        if sx is None or sy is None:
            sx, sy = self.centre_px
        wx, wy = self.to_world(sx, sy)
        self.scale = float(np.clip(self.scale * factor, self.min_scale, self.max_scale))
        ox, oy = self.centre_px
        self.cx = wx - (sx - ox) / self.scale
        self.cy = wy + (sy - oy) / self.scale
        self._changed()

    def centre_on(self, x: float, y: float) -> None:
        self.cx, self.cy = x, y
        self._changed()

    @property
    def zoom_level(self) -> float:
        """1.0 when the whole theatre fits, more when zoomed in."""
        return self.scale / self.whole_scale

    def _changed(self) -> None:
        self.scale = float(np.clip(self.scale, self.min_scale, self.max_scale))
        x0, y0, x1, y1 = self.extent
        half_height = self.area[3] / self.scale / 2
        self.cx = min(max(self.cx, x0), x1)
        self.cy = min(max(self.cy, min(y0, y1 - half_height)), y1)
        self.version += 1


def main_body(points: FloatArray, men: FloatArray) -> Box:
    """The box round the largest body of troops: of the `points` (km, one row per unit), those within BODY_KM of
    the one with the most `men` within BODY_KM of it; with a margin, and no narrower than BODY_VIEW_KM."""
    apart = np.hypot(points[:, None, 0] - points[None, :, 0], points[:, None, 1] - points[None, :, 1])
    near = apart <= BODY_KM
    body = points[near[int(np.argmax(near @ men))]]
    (x0, y0), (x1, y1) = body.min(axis=0), body.max(axis=0)
    half_w = max((x1 - x0) / 2 + BODY_MARGIN_KM, BODY_VIEW_KM / 2)
    half_h = max((y1 - y0) / 2 + BODY_MARGIN_KM, BODY_VIEW_KM / 4)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return float(cx - half_w), float(cy - half_h), float(cx + half_w), float(cy + half_h)
