"""The static map, drawn once per view: relief, water, rivers, borders and the railway.

It only changes when the player zooms or pans, so it is rendered to a surface that every frame blits. (The
names are placed with the counters, in `placement`, since they must keep clear of them.)
"""

from __future__ import annotations

import numpy as np
import pygame

from anabasis_game import palette
from anabasis_game.camera import Camera
from anabasis_game.geography import Relief, Shape
from anabasis_game.mapmodel import MapModel
from anabasis_game.projection import FloatArray

# Names on the map that are not stations: the states of 1918 around Russia, seas and the great lake.
PLACE_NAMES: tuple[tuple[str, float, float, int], ...] = (  # text, lon, lat, size
    ("C H I N A", 113.0, 41.0, 15),
    ("M A N C H U R I A", 124.5, 47.8, 12),
    ("M O N G O L I A", 101.0, 47.0, 15),
    ("K O R E A  (Japan)", 127.3, 40.2, 11),
    ("J A P A N", 140.8, 39.5, 12),
    ("Sea of Japan", 134.5, 40.5, 11),
    ("Sea of Okhotsk", 146.0, 55.0, 11),
    ("White Sea", 38.5, 65.6, 10),
    ("Barents Sea", 42.0, 70.3, 11),
    ("Kara Sea", 65.0, 71.0, 11),
    ("Lake Baikal", 109.5, 54.6, 10),
    ("Caspian Sea", 50.6, 42.6, 11),
)
WATER_NAMES = {"Sea of Japan", "Sea of Okhotsk", "White Sea", "Barents Sea", "Kara Sea", "Lake Baikal", "Caspian Sea"}
GRATICULE_STEP = 10


def screen_points(camera: Camera, points: FloatArray) -> list[tuple[int, int]]:
    sx, sy = camera.to_screen(points[:, 0], points[:, 1])
    xy = np.column_stack([np.rint(sx), np.rint(sy)]).astype(np.int64)
    return [(int(a), int(b)) for a, b in xy]


def _visible(shape: Shape, view: tuple[float, float, float, float]) -> bool:
    x0, y0, x1, y1 = shape.box
    return not (x1 < view[0] or x0 > view[2] or y1 < view[1] or y0 > view[3])


def _fill(surface: pygame.Surface, camera: Camera, shapes: list[Shape], color: palette.Color) -> None:
    view = camera.visible()
    for shape in shapes:
        if _visible(shape, view):
            pts = screen_points(camera, shape.points)
            if len(pts) >= 3:
                pygame.draw.polygon(surface, color, pts)


def _stroke(surface: pygame.Surface, camera: Camera, shapes: list[Shape], color: palette.Color, width: int) -> None:
    view = camera.visible()
    for shape in shapes:
        if _visible(shape, view):
            pts = screen_points(camera, shape.points)
            if len(pts) >= 2:
                pygame.draw.lines(surface, color, False, pts, width)


def _dashed(surface: pygame.Surface, camera: Camera, shapes: list[Shape], color: palette.Color, width: int) -> None:
    """Borders: dashes of 9 px with gaps of 5, measured along the line on screen."""
    view = camera.visible()
    for shape in shapes:
        if not _visible(shape, view):
            continue
        sx, sy = camera.to_screen(shape.points[:, 0], shape.points[:, 1])
        along = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(sx), np.diff(sy)))])
        on = (along % 14.0) < 9.0
        run: list[tuple[int, int]] = []
        for k in range(len(sx)):
            if on[k]:
                run.append((round(float(sx[k])), round(float(sy[k]))))
            elif run:
                run.append((round(float(sx[k])), round(float(sy[k]))))
                if len(run) >= 2:
                    pygame.draw.lines(surface, color, False, run, width)
                run = []
        if len(run) >= 2:
            pygame.draw.lines(surface, color, False, run, width)


class StaticLayer:
    """Renders the unchanging map for a camera, and keeps the result until the view changes."""

    def __init__(self, model: MapModel) -> None:
        self.model = model
        self.surface: pygame.Surface | None = None
        self.version = -1
        self.size = (0, 0)
        relief = model.geography.relief
        self.relief = _relief_surface(relief) if relief is not None else None

    def get(self, camera: Camera, size: tuple[int, int]) -> pygame.Surface:
        """The static map for this view, drawn again only if the view or the window changed."""
        if self.surface is None or self.version != camera.version or self.size != size:
            self.surface = self.render(camera, size)
            self.version, self.size = camera.version, size
        return self.surface

    def render(self, camera: Camera, size: tuple[int, int]) -> pygame.Surface:
        surface = pygame.Surface(size)
        self.ground(surface, camera)
        self._graticule(surface, camera)
        geo = self.model.geography
        lakes = [lake.outline for lake in geo.lakes]
        _stroke(surface, camera, list(geo.land), palette.COAST, 1)
        _stroke(surface, camera, lakes, palette.COAST, 1)
        zoom = camera.zoom_level
        for river in geo.rivers:
            if river.rank == 1 or zoom >= 1.8:
                _stroke(surface, camera, list(river.lines), palette.RIVER, 2 if river.rank == 1 and zoom >= 2.5 else 1)
        _dashed(surface, camera, list(geo.borders), palette.BORDER, 2)
        self._track(surface, camera)
        return surface

    # --- ground: relief on land, water, and nothing beyond the data ---------------------------------

    def ground(self, surface: pygame.Surface, camera: Camera) -> None:
        """Relief on the land, water in the seas and lakes, a neutral grey beyond the data."""
        geo = self.model.geography
        size = surface.get_size()
        if geo.frame is None:
            surface.fill(palette.LAND)
            return
        land = pygame.Surface(size)
        land.fill(palette.LAND)
        if self.relief is not None and geo.relief is not None:
            _blit_relief(land, camera, self.relief, geo.relief.box)
        # A mask: white on land (and on islands in lakes), black on water.
        mask = pygame.Surface(size)
        mask.fill((0, 0, 0))
        _fill(mask, camera, list(geo.land), (255, 255, 255))
        _fill(mask, camera, [lake.outline for lake in geo.lakes], (0, 0, 0))
        _fill(mask, camera, [hole for lake in geo.lakes for hole in lake.islands], (255, 255, 255))
        land.blit(mask, (0, 0), special_flags=pygame.BLEND_RGB_MULT)
        water = pygame.Surface(size)
        water.fill(palette.SEA)
        water.blit(mask, (0, 0), special_flags=pygame.BLEND_RGB_SUB)
        land.blit(water, (0, 0), special_flags=pygame.BLEND_RGB_ADD)
        # Beyond the frame of the map data there is no knowing what is land: a neutral ground.
        inside = pygame.Surface(size)
        inside.fill((0, 0, 0))
        _fill(inside, camera, [geo.frame], (255, 255, 255))
        land.blit(inside, (0, 0), special_flags=pygame.BLEND_RGB_MULT)
        surface.fill(palette.OFF_MAP)
        surface.blit(inside, (0, 0), special_flags=pygame.BLEND_RGB_SUB)
        surface.blit(land, (0, 0), special_flags=pygame.BLEND_RGB_ADD)

    def _graticule(self, surface: pygame.Surface, camera: Camera) -> None:
        proj = self.model.projection
        lats = np.linspace(35.0, 75.0, 81)
        lons = np.linspace(20.0, 160.0, 141)
        lines = []
        for lon in range(20, 161, GRATICULE_STEP):
            x, y = proj.forward(np.full_like(lats, float(lon)), lats)
            lines.append(np.column_stack([x, y]))
        for lat in range(40, 76, GRATICULE_STEP):
            x, y = proj.forward(lons, np.full_like(lons, float(lat)))
            lines.append(np.column_stack([x, y]))
        for line in lines:
            pygame.draw.lines(surface, palette.GRATICULE, False, screen_points(camera, line), 1)

    # --- the railway -----------------------------------------------------------------------------

    def _track(self, surface: pygame.Surface, camera: Camera) -> None:
        draw_track(surface, camera, self.model, range(len(self.model.world.seg_a)))
        w = self.model.world
        for seg in np.flatnonzero(self.model.bridges).tolist():
            # A bridge or tunnel that can be blown: a short bar across the line at its middle.
            a, b = int(w.seg_a[seg]), int(w.seg_b[seg])
            ax, ay = camera.point(float(self.model.x[a]), float(self.model.y[a]))
            bx, by = camera.point(float(self.model.x[b]), float(self.model.y[b]))
            length = max(1.0, float(np.hypot(bx - ax, by - ay)))
            nx, ny = -(by - ay) / length * 5, (bx - ax) / length * 5
            mx, my = (ax + bx) / 2, (ay + by) / 2
            pygame.draw.line(surface, palette.TRACK, (mx - nx, my - ny), (mx + nx, my + ny), 2)


def track_width(double: bool, zoom: float) -> int:
    """Double track is drawn twice as thick as single; both grow a little when zoomed in."""
    base = 2 if zoom < 2.5 else 3
    return base * 2 if double else base


def draw_track(surface: pygame.Surface, camera: Camera, model: MapModel, segments: range | list[int]) -> None:
    """The railway: a dark line per segment, double track thicker with a pale centre line."""
    w = model.world
    zoom = camera.zoom_level
    for seg in segments:
        a, b = int(w.seg_a[seg]), int(w.seg_b[seg])
        pa = camera.point(float(model.x[a]), float(model.y[a]))
        pb = camera.point(float(model.x[b]), float(model.y[b]))
        double = bool(model.double[seg])
        pygame.draw.line(surface, palette.TRACK, pa, pb, track_width(double, zoom))
        if double:
            pygame.draw.line(surface, palette.TRACK_FILL, pa, pb, 1)


def _relief_surface(relief: Relief) -> pygame.Surface:
    """The relief washed toward the paper colour, so it shapes the land without shouting."""
    wash = np.array(palette.LAND, dtype=np.float64)
    pixels = relief.pixels.astype(np.float64) * (1 - palette.RELIEF_WASH) + wash * palette.RELIEF_WASH
    return pygame.surfarray.make_surface(np.ascontiguousarray(pixels.astype(np.uint8).transpose(1, 0, 2)))


def _blit_relief(target: pygame.Surface, camera: Camera, relief: pygame.Surface, box: tuple[float, ...]) -> None:
    """Blit the part of the relief the view shows, scaled to the view."""
    x0, y0, x1, y1 = box
    left, top = camera.to_screen(np.array([x0]), np.array([y1]))
    right, bottom = camera.to_screen(np.array([x1]), np.array([y0]))
    screen = pygame.Rect(0, 0, *target.get_size())
    rw, rh = relief.get_size()
    px_x = (float(right[0]) - float(left[0])) / rw  # screen px per relief px
    px_y = (float(bottom[0]) - float(top[0])) / rh
    # The relief pixels the screen covers (one extra each side for rounding).
    sx0 = max(0, int((screen.left - float(left[0])) / px_x) - 1)
    sy0 = max(0, int((screen.top - float(top[0])) / px_y) - 1)
    sx1 = min(rw, int((screen.right - float(left[0])) / px_x) + 2)
    sy1 = min(rh, int((screen.bottom - float(top[0])) / px_y) + 2)
    if sx1 <= sx0 or sy1 <= sy0:
        return
    part = relief.subsurface(pygame.Rect(sx0, sy0, sx1 - sx0, sy1 - sy0))
    dest = (round(float(left[0]) + sx0 * px_x), round(float(top[0]) + sy0 * px_y))
    size = (max(1, round((sx1 - sx0) * px_x)), max(1, round((sy1 - sy0) * px_y)))
    target.blit(pygame.transform.smoothscale(part, size), dest)
