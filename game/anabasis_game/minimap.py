"""The whole theatre small in a corner, with the part the main view shows outlined; a click goes there."""

from __future__ import annotations

import pygame

from anabasis_game import palette
from anabasis_game.camera import Camera
from anabasis_game.maplayers import StaticLayer, draw_track
from anabasis_game.mapmodel import MapModel


class Minimap:
    """The whole theatre in a corner, with the part the view shows outlined; a click goes there."""

    def __init__(self, model: MapModel, size: tuple[int, int]) -> None:
        self.size = size
        self.camera = Camera((0, 0, *size), model.extent)
        self.camera.fit()
        # The ground and the track of the whole theatre, small (no names: they would not fit).
        self.surface = pygame.Surface(size)
        StaticLayer(model).ground(self.surface, self.camera)
        draw_track(self.surface, self.camera, model, range(len(model.world.seg_a)))

    def rect(self, window: tuple[int, int]) -> pygame.Rect:
        return pygame.Rect(8, window[1] - self.size[1] - 8, *self.size)

    def to_world(self, pos: tuple[int, int], window: tuple[int, int]) -> tuple[float, float]:
        r = self.rect(window)
        return self.camera.to_world(pos[0] - r.left, pos[1] - r.top)

    def draw(self, surface: pygame.Surface, view: Camera, window: tuple[int, int]) -> None:
        r = self.rect(window)
        surface.blit(self.surface, r)
        x0, y0, x1, y1 = view.visible()
        ax, ay = self.camera.point(x0, y1)
        bx, by = self.camera.point(x1, y0)
        box = pygame.Rect(ax, ay, bx - ax, by - ay).move(r.left, r.top).clip(r)
        pygame.draw.rect(surface, palette.SELECT, box, 1)
        pygame.draw.rect(surface, palette.STATION_EDGE, r, 1)
