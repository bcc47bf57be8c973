"""The map as the player sees it: the cached static layer, with stations, units and orders drawn on top.

`draw` reads the game and the player's choices (a `Scene`) and never changes either.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pygame

from anabasis.engine import Attack, GameState, Move, Order, Report
from anabasis.engine.report import Moved
from anabasis.engine.world import NOBODY, BoolArray, IntArray
from anabasis_game import palette
from anabasis_game.camera import Area, Camera
from anabasis_game.describe import position, short_men
from anabasis_game.fonts import Fonts
from anabasis_game.maplayers import StaticLayer, draw_track, track_width
from anabasis_game.mapmodel import MapModel
from anabasis_game.placement import Counter, Placement, Placer, dot_radius, unit_km
from anabasis_game.railuse import RailUse
from anabasis_game.reach import Reach
from anabasis_game.uiscale import px

HIT_RADIUS = 12  # px at UI scale 1 around a station that count as clicking it


@dataclass
class Scene:
    """What the map shows besides the scenery: the state, and what the player has chosen to see."""

    state: GameState
    player: int
    selected: int | None = None  # unit
    station: int | None = None  # station whose details are open
    reach: Reach | None = None
    orders: list[Order] = field(default_factory=list)
    paths: dict[int, list[tuple[float, float]]] = field(default_factory=dict)  # unit -> planned route, km
    target: int | None = None  # station whose attack odds are shown
    in_supply: BoolArray | None = None  # stations in supply for the player, when the overlay is on
    control: bool = False
    last: Report | None = None  # the last turn, to show its moves and battles
    rail: RailUse | None = None  # how full each line was, when the bottleneck overlay is on
    hidden: frozenset[int] = frozenset()  # units not drawn at their place (an animation is drawing them)
    holders: IntArray | None = None  # who each station is shown held by, when not `state.control` (an animation)


class MapView:
    """Camera, static layer and the live drawing of the railway war."""

    def __init__(self, model: MapModel, fonts: Fonts, area: Area, size: tuple[int, int]) -> None:
        self.model = model
        self.fonts = fonts
        self.size = size
        self.camera = Camera(area, model.extent)
        self.camera.fit()
        self.static = StaticLayer(model)
        self.placer = Placer(model, fonts)
        self.colors = [palette.hex_color(c) for c in model.world.faction_colors]

    def resize(self, area: Area, size: tuple[int, int]) -> None:
        self.size = size
        self.camera.set_area(area)

    # --- where things are on screen ----------------------------------------------------------------

    def station_xy(self, station: int) -> tuple[int, int]:
        return self.camera.point(float(self.model.x[station]), float(self.model.y[station]))

    def unit_km(self, state: GameState, unit: int) -> tuple[float, float]:
        return unit_km(self.model, state, unit)

    def station_at(self, pos: tuple[int, int]) -> int | None:
        """The station under the mouse, if any (the nearest within a few px)."""
        sx, sy = self.camera.to_screen(self.model.x, self.model.y)
        d = np.hypot(sx - pos[0], sy - pos[1])
        k = int(np.argmin(d))
        return k if d[k] <= px(HIT_RADIUS, self.fonts.scale) else None

    def counter_at(self, pos: tuple[int, int], state: GameState, player: int) -> Counter | None:
        """The counter under the mouse (the topmost, as drawn last), or the stack whose frame it is on."""
        placement = self.placement(state, player)
        for counter, _ in reversed(placement.counters):
            if counter.rect.collidepoint(pos):
                return counter
        for stack in reversed(placement.stacks):
            if stack.block.collidepoint(pos):
                return next(c for c, _ in placement.counters if c.station == stack.station)
        return None

    def segment_at(self, pos: tuple[int, int]) -> int | None:
        """The stretch of track under the mouse, if within a few px of it."""
        w = self.model.world
        sx, sy = self.camera.to_screen(self.model.x, self.model.y)
        ax, ay, bx, by = sx[w.seg_a], sy[w.seg_a], sx[w.seg_b], sy[w.seg_b]
        dx, dy = bx - ax, by - ay
        t = np.clip(((pos[0] - ax) * dx + (pos[1] - ay) * dy) / np.maximum(dx * dx + dy * dy, 1e-9), 0.0, 1.0)
        d = np.hypot(ax + t * dx - pos[0], ay + t * dy - pos[1])
        k = int(np.argmin(d))
        return k if d[k] <= 5 else None

    # --- drawing -----------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface, scene: Scene) -> None:
        """One frame of the map: the static layer, then everything that changes with the game."""
        surface.blit(self.static.get(self.camera, self.size), (0, 0))
        state = scene.state
        if scene.control:
            self._control(surface, state)
        if scene.rail is not None:
            self._rail(surface, scene.rail)
        self._damage(surface, state)
        if scene.last is not None:
            self._last_moves(surface, state, scene.last)
        if scene.reach is not None:
            self._reach(surface, scene.reach)
        self._orders(surface, scene)
        if scene.in_supply is not None:
            for s in np.flatnonzero(scene.in_supply).tolist():
                pygame.draw.circle(surface, palette.SUPPLY_OK, self.station_xy(s), self._radius() + 5, 2)
        self._stations(surface, state.control if scene.holders is None else scene.holders)
        if scene.last is not None:
            self._battles(surface, scene.last)
        placement = self.placement(state, scene.player, scene.hidden, scene.holders)
        self._units(surface, state, placement, scene.selected)
        self._labels(surface, placement)
        if scene.station is not None:
            pygame.draw.circle(surface, palette.SELECT, self.station_xy(scene.station), self._radius() + 4, 2)
        if scene.target is not None:
            pygame.draw.circle(surface, palette.ATTACK, self.station_xy(scene.target), self._radius() + 7, 3)

    def _radius(self) -> int:
        return dot_radius(self.camera.zoom_level, self.fonts.scale)

    def _control(self, surface: pygame.Surface, state: GameState) -> None:
        """Stretches of line between two stations of the same holder, banded in the holder's colour."""
        w = self.model.world
        held = state.control[w.seg_a]
        same = (held == state.control[w.seg_b]) & (held != NOBODY)
        zoom = self.camera.zoom_level
        for seg in np.flatnonzero(same).tolist():
            color = palette.mix(self.colors[int(held[seg])], palette.LAND, 0.35)
            pa = self.station_xy(int(w.seg_a[seg]))
            pb = self.station_xy(int(w.seg_b[seg]))
            pygame.draw.line(surface, color, pa, pb, track_width(bool(self.model.double[seg]), zoom) + 8)
        draw_track(surface, self.camera, self.model, np.flatnonzero(same).tolist())

    def _rail(self, surface: pygame.Surface, use: RailUse) -> None:
        """The bottleneck overlay: every stretch of line banded by how full it was that week."""
        w = self.model.world
        zoom = self.camera.zoom_level
        for seg, load in enumerate(use.load.tolist()):
            pa = self.station_xy(int(w.seg_a[seg]))
            pb = self.station_xy(int(w.seg_b[seg]))
            width = track_width(bool(self.model.double[seg]), zoom) + 8
            pygame.draw.line(surface, palette.rail_load(load), pa, pb, width)
        draw_track(surface, self.camera, self.model, range(len(w.seg_a)))

    def _damage(self, surface: pygame.Surface, state: GameState) -> None:
        for seg in np.flatnonzero(state.damage > 0).tolist():
            mx, my = self.camera.point(*self.model.segment_point(seg, float(self.model.world.seg_km[seg]) / 2))
            pygame.draw.line(surface, palette.DAMAGE, (mx - 6, my - 6), (mx + 6, my + 6), 3)
            pygame.draw.line(surface, palette.DAMAGE, (mx - 6, my + 6), (mx + 6, my - 6), 3)

    def _reach(self, surface: pygame.Surface, reach: Reach) -> None:
        r = self._radius()
        week = reach.this_week
        for s in np.flatnonzero(reach.anywhere).tolist():
            xy = self.station_xy(s)
            if week[s]:
                pygame.draw.circle(surface, palette.REACH_WEEK, xy, r + 5, 3)
            else:
                pygame.draw.circle(surface, palette.REACH_ANY, xy, r + 3, 2)
        for s in reach.attack:
            pygame.draw.circle(surface, palette.ATTACK, self.station_xy(s), r + 5, 2)

    def _arrow(self, surface: pygame.Surface, points: list[tuple[int, int]], color: palette.Color, width: int) -> None:
        if len(points) < 2 or points[-1] == points[-2]:
            return
        pygame.draw.lines(surface, color, False, points, width)
        (x0, y0), (x1, y1) = points[-2], points[-1]
        length = max(1.0, float(np.hypot(x1 - x0, y1 - y0)))
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        size = 6 + 2 * width
        head = [
            (x1, y1),
            (x1 - ux * size - uy * size * 0.6, y1 - uy * size + ux * size * 0.6),
            (x1 - ux * size + uy * size * 0.6, y1 - uy * size - ux * size * 0.6),
        ]
        pygame.draw.polygon(surface, color, head)

    def _orders(self, surface: pygame.Surface, scene: Scene) -> None:
        """The player's orders this turn: routes for moves, red arrows for attacks."""
        w = self.model.world
        state = scene.state
        for order in scene.orders:
            if isinstance(order, Move):
                u = w.unit_index[order.unit]
                km = scene.paths.get(u)
                if km:
                    pts = [self.camera.point(x, y) for x, y in km]
                    self._arrow(surface, pts, palette.REACH_WEEK if u == scene.selected else palette.SELECT, 3)
            elif isinstance(order, Attack):
                u = w.unit_index[order.unit]
                start = self.camera.point(*self.unit_km(state, u))
                end = self.station_xy(w.station_index[order.station])
                if start == end:
                    start = (end[0] - 22, end[1] - 22)
                self._arrow(surface, [start, end], palette.ATTACK, 3)

    def _last_moves(self, surface: pygame.Surface, state: GameState, report: Report) -> None:
        """Last week's journeys, thin in each faction's colour, so the player sees what the others did."""
        w = self.model.world
        for m in report.moves:
            u = w.unit_index[m.unit]
            color = palette.mix(self.colors[int(w.unit_faction[u])], palette.LAND, 0.2)
            pts = [self.camera.point(*p) for p in self.journey_km(m)]
            self._arrow(surface, pts, color, 1)

    def journey_km(self, move: Moved) -> list[tuple[float, float]]:
        """Km points of a reported journey: where it set out, each station it reached, where it stopped."""
        w, model = self.model.world, self.model

        def point(where: str) -> tuple[float, float]:
            station, seg, km = position(w, where)
            if station >= 0:
                return float(model.x[station]), float(model.y[station])
            return model.segment_point(seg, km)

        points = [point(move.start)] + [point(s) for s in move.via]
        if not move.via or move.end != move.via[-1]:
            points.append(point(move.end))
        return points

    def _stations(self, surface: pygame.Surface, holders: IntArray) -> None:
        r = self._radius()
        sx, sy = self.camera.to_screen(self.model.x, self.model.y)
        width, height = self.size
        for s in range(self.model.world.n_stations):
            x, y = round(float(sx[s])), round(float(sy[s]))
            if not (-10 <= x <= width + 10 and -10 <= y <= height + 10):
                continue
            holder = int(holders[s])
            color = palette.NOBODY if holder == NOBODY else self.colors[holder]
            if self.model.key[s]:
                pygame.draw.circle(surface, palette.STATION_EDGE, (x, y), r + 3)
                pygame.draw.circle(surface, palette.HALO, (x, y), r + 2)
            pygame.draw.circle(surface, palette.STATION_EDGE, (x, y), r + 1)
            pygame.draw.circle(surface, color, (x, y), r)

    def _battles(self, surface: pygame.Surface, report: Report) -> None:
        """Last week's battles: a burst at the station, in the colour of whoever won it."""
        w = self.model.world
        for b in report.battles:
            x, y = self.station_xy(w.station_index[b.station])
            winner = b.attacker if b.attacker_won else b.defender
            color = self.colors[w.faction_index[winner]] if winner else palette.NOBODY
            x -= 16
            for k in range(8):
                angle = k * np.pi / 4
                pygame.draw.line(surface, color, (x, y), (x + 8 * np.cos(angle), y + 8 * np.sin(angle)), 2)
            pygame.draw.circle(surface, palette.STATION_EDGE, (x, y), 3)

    def placement(
        self, state: GameState, player: int, hidden: frozenset[int] = frozenset(), holders: IntArray | None = None
    ) -> Placement:
        """Where the counters, the stations' stacks and the names go in this view (worked out once a zoom level)."""
        return self.placer.place(self.camera, state, player, hidden, state.control if holders is None else holders)

    def layout(self, state: GameState, player: int, hidden: frozenset[int] = frozenset()) -> list[tuple[Counter, int]]:
        """Where each counter goes, with its faction: a train on the line where it has got to; the units at a
        station in one stack per faction (the holder's first, then the player's), beside the station where it has
        most room. `hidden` units are left out."""
        return list(self.placement(state, player, hidden).counters)

    def _units(self, surface: pygame.Surface, state: GameState, placement: Placement, selected: int | None) -> None:
        """Each station's stack framed in its holder's colour, so who holds it shows at a glance; then the
        counters."""
        screen = pygame.Rect((0, 0), self.size)
        for stack in placement.stacks:
            if screen.colliderect(stack.block):
                color = palette.NOBODY if stack.holder == NOBODY else self.colors[stack.holder]
                pygame.draw.rect(surface, color, stack.block, border_radius=4)
                pygame.draw.rect(surface, palette.STATION_EDGE, stack.block, 1, 4)
        for counter, faction in placement.counters:
            if screen.colliderect(counter.rect):
                self._counter(surface, state, counter, faction, selected)

    def _labels(self, surface: pygame.Surface, placement: Placement) -> None:
        """The names, after the counters: placed clear of them, they are never hidden."""
        screen = pygame.Rect((0, 0), self.size)
        surface.blits([(label.text, label.rect) for label in placement.labels if screen.colliderect(label.rect)], False)

    def moving_counter(self, surface: pygame.Surface, state: GameState, unit: int, km: tuple[float, float]) -> None:
        """A unit's counter at a point of its journey (`km`), as an animation moves it along the line."""
        rect = pygame.Rect((0, 0), self.placer.counter_size())
        rect.center = self.camera.point(*km)
        self._counter(surface, state, Counter(rect, (unit,)), int(self.model.world.unit_faction[unit]), None)

    def _counter(
        self, surface: pygame.Surface, state: GameState, counter: Counter, faction: int, selected: int | None
    ) -> None:
        rect, units = counter.rect, list(counter.units)
        color = self.colors[faction]
        chosen = selected in units
        pygame.draw.rect(surface, color, rect, border_radius=3)
        pygame.draw.rect(surface, palette.SELECT if chosen else palette.STATION_EDGE, rect, 2 if chosen else 1, 3)
        strength = int(state.men[units].sum())
        label = short_men(strength) + (f"·{len(units)}" if len(units) > 1 else "")
        text = self.fonts.text(label, 10, palette.ink_on(color), bold=True)
        surface.blit(text, text.get_rect(center=(rect.centerx, rect.centery - 1)))
        # Supply: a bar under the counter, green while stores last two weeks, amber under two, red under one.
        stores = float(state.stores[units].min())
        bar = palette.SUPPLY_OK if stores >= 2 else palette.SUPPLY_LOW if stores >= 1 else palette.SUPPLY_OUT
        pygame.draw.rect(surface, bar, (rect.left + 3, rect.bottom - 3, rect.width - 6, 2))
        if bool(np.all(state.entrained[units])):
            # On trains: two wheels under the counter.
            for dx in (-8, 8):
                pygame.draw.circle(surface, palette.STATION_EDGE, (rect.centerx + dx, rect.bottom + 2), 2)
