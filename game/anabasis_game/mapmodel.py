"""The scenario's railway projected for drawing: station points, track, and which labels matter most."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anabasis.engine import World
from anabasis_game.geography import Geography
from anabasis_game.projection import FloatArray, Lambert

MARGIN_KM = 350.0  # room around the outermost stations, so their labels and counters fit


@dataclass(frozen=True)
class MapModel:
    """Everything about the map that does not change during a game, in projected km."""

    world: World
    projection: Lambert
    geography: Geography
    x: FloatArray  # station x, km
    y: FloatArray  # station y, km
    double: np.ndarray  # segment has double track
    bridges: np.ndarray  # segment has a bridge or tunnel that can be blown
    label_order: list[int]  # stations by how much their name matters
    key: np.ndarray  # station is the subject of a `hold` objective
    extent: tuple[float, float, float, float]

    def segment_point(self, seg: int, km_from_a: float) -> tuple[float, float]:
        """The km point `km_from_a` along a segment (drawn straight between its stations)."""
        w = self.world
        a, b = int(w.seg_a[seg]), int(w.seg_b[seg])
        t = min(max(km_from_a / float(w.seg_km[seg]), 0.0), 1.0)
        return float(self.x[a] + (self.x[b] - self.x[a]) * t), float(self.y[a] + (self.y[b] - self.y[a]) * t)


def build_model(world: World, projection: Lambert, geography: Geography) -> MapModel:
    x, y = projection.forward(world.lon, world.lat)
    segments = world.scenario.segments
    double = np.array([s.track == "double" for s in segments], dtype=np.bool_)
    bridges = np.array([bool(s.features) for s in segments], dtype=np.bool_)
    key = np.zeros(world.n_stations, dtype=np.bool_)
    for o in world.objectives:
        if o.kind == "hold":
            key[o.stations] = True
    # Names that matter first: objectives, then ports and cities, then the busiest depots.
    rank = {"port": 1, "city": 1, "junction": 2}
    label_order = sorted(
        range(world.n_stations),
        key=lambda s: (not key[s], rank.get(world.station_kind[s], 3), -float(world.depot[s]), world.station_ids[s]),
    )
    extent = (
        float(x.min()) - MARGIN_KM,
        float(y.min()) - MARGIN_KM,
        float(x.max()) + MARGIN_KM,
        float(y.max()) + MARGIN_KM,
    )
    return MapModel(world, projection, geography, x, y, double, bridges, label_order, key, extent)
