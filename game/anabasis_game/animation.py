"""A week played out on the map: the trains run along the stations they reached, then the battles flash where
they were fought with their result, and the stations take their new holders' colours.

It only draws, and says which sounds go with it: `update` returns the effects that begin with that step (the
trains as they set off, the battles as they flash). `t` runs from 0 to 1 over the chosen seconds; `skip` ends it
at once (a key or a click), and in silence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import accumulate, pairwise

import numpy as np
import pygame

from anabasis.engine import GameState, Report
from anabasis.engine.world import NOBODY, IntArray
from anabasis_game import palette
from anabasis_game.audio import Effect
from anabasis_game.describe import station_name, the
from anabasis_game.mapview import MapView

MOVES_END = 0.6  # the trains run in the first part of the week's time
BATTLES_FROM = 0.55  # then the battles flash
COLOURS_AT = 0.75  # and the stations change hands as they are decided


@dataclass(frozen=True)
class Journey:
    """A unit's way along the line this week, in km, with the distance covered at each point."""

    unit: int
    points: list[tuple[float, float]]
    along: list[float]

    def so_far(self, share: float) -> list[tuple[float, float]]:
        """The way covered when `share` (0 to 1) of it is behind: the points passed, then where the train is."""
        goal = share * self.along[-1]
        for k in range(1, len(self.points)):
            if self.along[k] >= goal:
                span = self.along[k] - self.along[k - 1]
                f = 0.0 if span <= 0 else (goal - self.along[k - 1]) / span
                (x0, y0), (x1, y1) = self.points[k - 1], self.points[k]
                return [*self.points[:k], (x0 + (x1 - x0) * f, y0 + (y1 - y0) * f)]
        return list(self.points)


def ease(x: float) -> float:
    """Slow to start and to stop, as trains are."""
    x = min(max(x, 0.0), 1.0)
    return x * x * (3 - 2 * x)


class WeekAnimation:
    """The week between `before` and `after`, as `report` tells it, played on `view` over `seconds`."""

    def __init__(self, view: MapView, before: GameState, report: Report, after: GameState, seconds: float) -> None:
        self.before, self.report, self.after = before, report, after
        self.seconds = seconds
        self.elapsed = 0.0
        world = after.world
        self.journeys = []
        for move in report.moves:
            points = view.journey_km(move)
            along = list(accumulate((math.dist(a, b) for a, b in pairwise(points)), initial=0.0))
            self.journeys.append(Journey(world.unit_index[move.unit], points, along))
        self.moving = frozenset(j.unit for j in self.journeys)
        self.changed = np.flatnonzero(before.control != after.control).tolist()
        self.cues: list[tuple[float, Effect]] = [(0.0, "trains")] if self.journeys else []
        self.cues += [(BATTLES_FROM, "battle")] if report.battles else []

    @property
    def t(self) -> float:
        return 1.0 if self.seconds <= 0 else min(1.0, self.elapsed / self.seconds)

    @property
    def done(self) -> bool:
        return self.t >= 1.0

    def update(self, dt: float) -> list[Effect]:
        """Move on by `dt` seconds; the sounds whose moment this step reached."""
        before = self.t
        self.elapsed += dt
        return [effect for at, effect in self.cues if before <= at < self.t]

    def skip(self) -> None:
        self.elapsed = self.seconds  # past every cue, so what was left of the week stays silent

    @property
    def hidden(self) -> frozenset[int]:
        """Units the animation draws itself, on their way, instead of at the place they reached."""
        return self.moving if self.t < MOVES_END else frozenset()

    @property
    def holders(self) -> IntArray:
        """Who each station is shown held by: the old holders until the battles decide."""
        return self.before.control if self.t < COLOURS_AT else self.after.control

    def draw(self, surface: pygame.Surface, view: MapView) -> None:
        t = self.t
        if t < MOVES_END:
            self._trains(surface, view, ease(t / MOVES_END))
        if t >= BATTLES_FROM:
            self._battles(surface, view, (t - BATTLES_FROM) / (1 - BATTLES_FROM))
        if t >= COLOURS_AT:
            self._new_holders(surface, view, (t - COLOURS_AT) / (1 - COLOURS_AT))

    def _trains(self, surface: pygame.Surface, view: MapView, share: float) -> None:
        """Each unit on its way: the line it has covered in its faction's colour, and its counter at the head."""
        world = self.after.world
        heads = []
        for journey in self.journeys:
            way = [view.camera.point(*p) for p in journey.so_far(share)]
            color = view.colors[int(world.unit_faction[journey.unit])]
            if len(way) >= 2 and way[0] != way[-1]:
                pygame.draw.lines(surface, color, False, way, 4)
            heads.append((journey.unit, journey.so_far(share)[-1]))
        for unit, km in heads:
            view.moving_counter(surface, self.after, unit, km)

    def _battles(self, surface: pygame.Surface, view: MapView, phase: float) -> None:
        """Each battle: a pulsing burst in the winner's colour, and what came of it."""
        world = self.after.world
        pulse = 0.5 + 0.5 * math.sin(phase * math.pi * 4)
        told: dict[str, int] = {}  # labels already over each station, so a second battle there goes above
        for b in self.report.battles:
            x, y = view.station_xy(world.station_index[b.station])
            winner = b.attacker if b.attacker_won else b.defender
            color = view.colors[world.faction_index[winner]] if winner else palette.NOBODY
            reach = 10 + 14 * ease(phase * 2) + 4 * pulse
            for k in range(12):
                angle = k * math.pi / 6
                inner = (x + 6 * math.cos(angle), y + 6 * math.sin(angle))
                pygame.draw.line(surface, color, inner, (x + reach * math.cos(angle), y + reach * math.sin(angle)), 3)
            pygame.draw.circle(surface, palette.ATTACK, (x, y), round(reach) + 3, 2)
            attacker = the(world.faction_names[world.faction_index[b.attacker]])
            defender = the(world.faction_names[world.faction_index[b.defender]]) if b.defender else "nobody"
            said = f"{attacker} took it" if b.attacker_won else f"{defender} held"
            label = view.fonts.halo(f"{station_name(world, b.station)}: {said}", 13, palette.LABEL, palette.HALO, True)
            above = told.get(b.station, 0)
            told[b.station] = above + 1
            surface.blit(label, label.get_rect(midbottom=(x, y - 30 - above * (label.get_height() + 2))))

    def _new_holders(self, surface: pygame.Surface, view: MapView, phase: float) -> None:
        """A ring spreading from each station that changed hands, in its new holder's colour."""
        for s in self.changed:
            holder = int(self.after.control[s])
            color = palette.NOBODY if holder == NOBODY else view.colors[holder]
            pygame.draw.circle(surface, color, view.station_xy(s), round(8 + 16 * ease(phase)), 3)
