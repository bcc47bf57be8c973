"""Where the counters and the names go at one zoom level, worked out once and kept while the player pans.

Panning only slides the map, so a placement is worked out for the whole theatre at a zoom level and slid with
the view; it is worked out again only when the zoom, the units' whereabouts, the holders or the UI scale change.
Counters come first, beside their own stations (keeping clear of where the key cities' names would go); then
the names, most important first, wherever they cover no counter, no station and no other name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pygame

from anabasis.engine import GameState
from anabasis.engine.state import ACTIVE
from anabasis.engine.world import IntArray
from anabasis_game import counters, labels, palette
from anabasis_game.camera import Camera
from anabasis_game.fonts import Fonts
from anabasis_game.maplayers import PLACE_NAMES, WATER_NAMES
from anabasis_game.mapmodel import MapModel
from anabasis_game.uiscale import px

COUNTER = (40, 16)  # px at UI scale 1: a unit counter
FRAME = 2  # px at UI scale 1: the holder's colour round a station's stack
FAR = 1.3  # zoom level below which junctions with no units and no objective go unnamed
NAME, KEY_NAME = 11, 13  # font sizes at UI scale 1: a station's name, a key city's (bold)
PLACE_HALO = palette.mix(palette.LAND, palette.SEA, 0.3)


@dataclass(frozen=True)
class Counter:
    """A counter on the map: the units of one faction at one place, where it was drawn, and their station
    (None for a train on the line)."""

    rect: pygame.Rect
    units: tuple[int, ...]
    station: int | None = None


@dataclass(frozen=True)
class Stack:
    """A station's counters together: the block they fill (the frame in the holder's colour included)."""

    station: int
    holder: int
    block: pygame.Rect


@dataclass(frozen=True)
class Label:
    """A name as drawn: what it says, its text and where."""

    name: str
    text: pygame.Surface
    rect: pygame.Rect


@dataclass(frozen=True)
class Placement:
    """Every counter (with its faction), every station's stack and every name, for a view whose km (0, 0) is at
    `origin` on the screen."""

    counters: tuple[tuple[Counter, int], ...]
    stacks: tuple[Stack, ...]
    labels: tuple[Label, ...]
    origin: tuple[float, float]

    def slid(self, origin: tuple[float, float]) -> Placement:
        """The same placement for a view panned so that km (0, 0) is at `origin`."""
        dx, dy = round(origin[0] - self.origin[0]), round(origin[1] - self.origin[1])
        if dx == 0 and dy == 0:
            return self
        return Placement(
            tuple((Counter(c.rect.move(dx, dy), c.units, c.station), f) for c, f in self.counters),
            tuple(Stack(s.station, s.holder, s.block.move(dx, dy)) for s in self.stacks),
            tuple(Label(label.name, label.text, label.rect.move(dx, dy)) for label in self.labels),
            (self.origin[0] + dx, self.origin[1] + dy),
        )


def dot_radius(zoom: float, scale: float) -> int:
    """A station's dot: a little larger when zoomed in, and with the UI scale."""
    return px(5 if zoom < 2 else 6 if zoom < 4 else 7, scale)


def unit_km(model: MapModel, state: GameState, unit: int) -> tuple[float, float]:
    """Where a unit is, in km: its station, or the point of the line its train has got to."""
    if state.station[unit] >= 0:
        s = int(state.station[unit])
        return float(model.x[s]), float(model.y[s])
    return model.segment_point(int(state.segment[unit]), float(state.progress[unit]))


class Placer:
    """Works out the placement for a view, and keeps it until the zoom or what is placed changes."""

    def __init__(self, model: MapModel, fonts: Fonts) -> None:
        self.model = model
        self.fonts = fonts
        self._key: Hashable = None
        self._placed: Placement | None = None
        self._seen: tuple[tuple[int, int], Placement] | None = None  # the last placement slid, and by how much
        self._texts: dict[tuple[str, int, bool, palette.Color, palette.Color, float], pygame.Surface] = {}

    def counter_size(self) -> tuple[int, int]:
        return px(COUNTER[0], self.fonts.scale), px(COUNTER[1], self.fonts.scale)

    def place(
        self, camera: Camera, state: GameState, player: int, hidden: frozenset[int], holders: IntArray
    ) -> Placement:
        """The placement for `camera`'s view of `state` (`hidden` units left out, stations held by `holders`)."""
        key = (
            camera.scale,
            self.fonts.scale,
            player,
            hidden,
            state.station.tobytes(),
            state.segment.tobytes(),
            state.progress.tobytes(),
            state.status.tobytes(),
            holders.tobytes(),
        )
        ox, oy = camera.to_screen(np.zeros(1), np.zeros(1))
        origin = float(ox[0]), float(oy[0])
        if self._placed is None or key != self._key:
            self._key, self._seen = key, None
            self._placed = self._work_out(camera, state, player=player, hidden=hidden, holders=holders, origin=origin)
        shift = round(origin[0] - self._placed.origin[0]), round(origin[1] - self._placed.origin[1])
        if self._seen is None or self._seen[0] != shift:
            self._seen = shift, self._placed.slid(origin)
        return self._seen[1]

    # --- working it out ------------------------------------------------------------------------------

    def _work_out(
        self,
        camera: Camera,
        state: GameState,
        *,
        player: int,
        hidden: frozenset[int],
        holders: IntArray,
        origin: tuple[float, float],
    ) -> Placement:
        """Trains where they have got to, then each station's stack beside it, then the names round them."""
        w, model = self.model.world, self.model
        sx, sy = camera.to_screen(model.x, model.y)
        xy = [(round(x), round(y)) for x, y in zip(sx.tolist(), sy.tolist(), strict=True)]
        radius = dot_radius(camera.zoom_level, self.fonts.scale)
        dots = [pygame.Rect(x - radius - 1, y - radius - 1, 2 * radius + 3, 2 * radius + 3) for x, y in xy]
        x0, y0, x1, y1 = model.extent
        left, top = camera.point(x0, y1)
        right, bottom = camera.point(x1, y0)
        theatre = pygame.Rect(left, top, right - left, bottom - top)  # counters and names keep to the map

        at: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        placed: list[tuple[Counter, int]] = []
        for u in np.flatnonzero(state.status == ACTIVE).tolist():
            if u in hidden:
                continue
            if state.station[u] >= 0:
                at[int(state.station[u])][int(w.unit_faction[u])].append(u)
            elif state.segment[u] >= 0:
                rect = pygame.Rect((0, 0), self.counter_size())
                rect.center = camera.point(*unit_km(model, state, u))
                placed.append((Counter(rect, (u,)), int(w.unit_faction[u])))
        trains = [c.rect for c, _ in placed]

        # The holder's counter nearest the station, then the player's, so who holds what shows at a glance.
        stations = sorted(at)
        factions = [sorted(at[s], key=lambda f: (f != holders[s], f != player, f)) for s in stations]
        names = self._names(camera, xy, radius, set(stations))
        keys = [name for s, name, _, _ in names if s is not None and model.key[s]]
        provisional = [p.rect for p in labels.place(keys, [], dots, theatre) if p]
        stacks = counters.place(
            [(xy[s], len(fs)) for s, fs in zip(stations, factions, strict=True)],
            self.counter_size(),
            radius,
            bounds=theatre,
            frame=px(FRAME, self.fonts.scale),
            fixed=trains,
            dots=dots,
            names=provisional,
        )
        for s, fs, stack in zip(stations, factions, stacks, strict=True):
            placed.extend((Counter(rect, tuple(at[s][f]), s), f) for f, rect in zip(fs, stack.rows, strict=True))
        blocks = tuple(Stack(s, int(holders[s]), st.block) for s, st in zip(stations, stacks, strict=True))
        where = labels.place([n for _, n, _, _ in names], trains + [b.block for b in blocks], dots, theatre)
        shown = tuple(
            Label(forms[p.form], texts[p.form], p.rect)
            for (_, _, forms, texts), p in zip(names, where, strict=True)
            if p is not None
        )
        return Placement(tuple(placed), blocks, shown, origin)

    def _names(
        self, camera: Camera, xy: list[tuple[int, int]], radius: int, manned: set[int]
    ) -> list[tuple[int | None, labels.Name, list[str], list[pygame.Surface]]]:
        """The names to place, most important first, with their station (None for a sea or a country), forms
        and texts: key cities, stations with units, cities and ports, the other junctions (not from afar), then
        the seas and the countries."""
        w, model = self.model.world, self.model
        out: list[tuple[int | None, labels.Name, list[str], list[pygame.Surface]]] = []
        for s in sorted(model.label_order, key=lambda s: (not model.key[s], s not in manned)):
            key = bool(model.key[s])
            if not key and s not in manned and camera.zoom_level < FAR and w.station_kind[s] == "junction":
                continue
            short = labels.shortened(w.station_names[s])
            forms = [w.station_names[s]] + ([short] if short else [])
            texts = [self._text(form, KEY_NAME if key else NAME, key, palette.LABEL, palette.HALO) for form in forms]
            # a key city's dot has a halo round it
            name = labels.Name(tuple(t.get_size() for t in texts), xy[s], radius + (3 if key else 1))
            out.append((s, name, forms, texts))
        for text, lon, lat, size in PLACE_NAMES:
            x, y = model.projection.forward(lon, lat)
            color = palette.RIVER if text in WATER_NAMES else palette.COUNTRY
            surface = self._text(text, size, False, color, PLACE_HALO)
            out.append(
                (None, labels.Name((surface.get_size(),), camera.point(float(x), float(y)), 0), [text], [surface])
            )
        return out

    def _text(self, text: str, size: int, bold: bool, color: palette.Color, halo: palette.Color) -> pygame.Surface:
        """A name with its halo, cropped to its ink so that names pack as closely as they look."""
        key = (text, size, bold, color, halo, self.fonts.scale)
        surface = self._texts.get(key)
        if surface is None:
            full = self.fonts.halo(text, size, color, halo, bold=bold)
            surface = full.subsurface(full.get_bounding_rect()).copy()
            self._texts[key] = surface
        return surface
