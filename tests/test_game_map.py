"""The map as drawn: a screenshot of the whole theatre, and its pixels where the stations and the railway are."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pygame
import pytest

from anabasis.engine import World
from anabasis.engine.game import Game
from anabasis.engine.report import Moved
from anabasis.engine.state import ACTIVE
from anabasis.engine.world import NOBODY
from anabasis_game import palette
from anabasis_game.app import App
from anabasis_game.mapview import Scene
from anabasis_game.projection import Lambert
from anabasis_game.screens.play import PlayScreen
from anabasis_game.session import Session
from anabasis_game.userdata import Settings

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGN = ROOT / "scenarios" / "revolt-1918.yaml"
SIZE = (1600, 900)
MAP_RIGHT = SIZE[0] - 390  # the side panel covers the rest


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    yield App(Settings(SIZE), tmp_path, fps=0)
    pygame.display.quit()


def whole_map(app: App, world: World, seed: int = 1) -> tuple[PlayScreen, Session]:
    """The play screen of a new campaign, zoomed out to the whole theatre, nothing selected."""
    session = Session(world.scenario, CAMPAIGN, Game(world, seed), humans=["legion"], skill=2, saves=app.saves)
    play = PlayScreen(app, session)
    app.push(play)
    play.view.camera.fit()
    play.show_minimap = False
    app.run_frames(2)
    return play, session


def test_the_whole_map_is_rendered_to_a_screenshot(app: App, campaign_world: World, tmp_path: Path) -> None:
    whole_map(app, campaign_world)
    shot = tmp_path / "map.png"
    pygame.image.save(app.screen, str(shot))
    image = pygame.image.load(str(shot))
    assert image.get_size() == SIZE
    pixels = pygame.surfarray.array3d(image).reshape(-1, 3)
    # Sea, land, track and faction colours: a real map has many colours, a blank or broken one few.
    assert len(np.unique(pixels, axis=0)) > 2000
    sea = np.all(pixels == palette.SEA, axis=1).mean()
    assert 0.02 < sea < 0.6


def _clear_of(points: np.ndarray, k: int, radius: float) -> bool:
    d = np.hypot(points[:, 0] - points[k, 0], points[:, 1] - points[k, 1])
    d[k] = np.inf
    return bool(d.min() > radius)


def station_mismatches(image: np.ndarray, play: PlayScreen, session: Session) -> tuple[int, int]:
    """(stations checked, stations whose centre pixel is not their holder's colour).

    Station positions come from the projection itself, not from the map view's code; stations with a
    neighbour or a counter too close to tell are left out.
    """
    w = session.world
    state = session.state
    x, y = Lambert().forward(w.lon, w.lat)
    sx, sy = play.view.camera.to_screen(x, y)
    points = np.column_stack([sx, sy])
    covered = [c.rect.inflate(4, 4) for c, _ in play.view.layout(state, play.faction)]
    checked = wrong = 0
    for s in range(w.n_stations):
        px, py = round(float(sx[s])), round(float(sy[s]))
        if not (10 < px < MAP_RIGHT - 10 and play.bar.height + 16 < py < SIZE[1] - 10):
            continue
        if not _clear_of(points, s, 14) or any(r.collidepoint(px, py) for r in covered):
            continue
        holder = int(state.control[s])
        expected = palette.NOBODY if holder == NOBODY else palette.hex_color(w.faction_colors[holder])
        checked += 1
        wrong += tuple(image[px, py]) != expected
    return checked, wrong


def track_hits(image: np.ndarray, play: PlayScreen, session: Session) -> tuple[int, int]:
    """(long visible segments checked, those with the railway's colour near their middle)."""
    w = session.world
    x, y = Lambert().forward(w.lon, w.lat)
    sx, sy = play.view.camera.to_screen(x, y)
    covered = [c.rect.inflate(4, 4) for c, _ in play.view.layout(session.state, play.faction)]
    checked = seen = 0
    for seg in range(len(w.seg_a)):
        a, b = int(w.seg_a[seg]), int(w.seg_b[seg])
        mx, my = (sx[a] + sx[b]) / 2, (sy[a] + sy[b]) / 2
        inside = 10 < mx < MAP_RIGHT - 10 and play.bar.height + 16 < my < SIZE[1] - 10
        if np.hypot(sx[a] - sx[b], sy[a] - sy[b]) < 60 or not inside:
            continue
        if any(r.collidepoint(mx, my) for r in covered):
            continue
        checked += 1
        around = image[round(mx) - 3 : round(mx) + 4, round(my) - 3 : round(my) + 4].reshape(-1, 3)
        seen += bool(np.any(np.all(around == palette.TRACK, axis=1)))
    return checked, seen


def test_a_screenshot_shows_each_station_in_its_holders_colour_and_the_railway_between(
    app: App, campaign_world: World, tmp_path: Path
) -> None:
    play, session = whole_map(app, campaign_world)
    play.view.camera.zoom(1.6, *play.view.station_xy(campaign_world.station_index["omsk"]))
    app.run_frames(2)
    shot = tmp_path / "map.png"
    pygame.image.save(app.screen, str(shot))
    image = pygame.surfarray.array3d(pygame.image.load(str(shot)))  # [x, y, rgb]

    checked, wrong = station_mismatches(image, play, session)
    assert checked >= 20 and wrong == 0
    segments, seen = track_hits(image, play, session)
    assert segments >= 10 and seen >= 0.9 * segments

    # The same checks fail on a blank map, and on one whose stations are drawn 12 px off.
    blank = np.zeros_like(image)
    blank[:] = palette.LAND
    assert station_mismatches(blank, play, session)[1] == station_mismatches(blank, play, session)[0]
    assert track_hits(blank, play, session)[1] == 0
    play.view.camera.pan(12, 0)
    app.run_frames(2)
    shifted = pygame.surfarray.array3d(app.screen)
    play.view.camera.pan(-12, 0)
    checked, wrong = station_mismatches(shifted, play, session)
    assert wrong > 0.8 * checked


def test_units_on_the_line_are_drawn_where_their_train_has_got_to(app: App, campaign_world: World) -> None:
    play, session = whole_map(app, campaign_world)
    w = campaign_world
    state = session.state.copy()
    unit = w.unit_index["legion_chelyabinsk_3rd_regiment"]
    seg = w.segment_between(w.station_index["chelyabinsk"], w.station_index["kurgan"])
    state.station[unit], state.segment[unit], state.progress[unit] = -1, seg, float(w.seg_km[seg]) / 2
    counter = next(c for c, _ in play.view.layout(state, play.faction) if c.units == (unit,))
    x, y = Lambert().forward(w.lon, w.lat)
    a, b = w.seg_a[seg], w.seg_b[seg]
    middle = play.view.camera.point(float((x[a] + x[b]) / 2), float((y[a] + y[b]) / 2))
    assert counter.rect.collidepoint(middle)
    surface = pygame.Surface(SIZE)
    play.view.draw(surface, Scene(state, play.faction))
    legion = palette.hex_color(w.faction_colors[w.faction_index["legion"]])
    inside = pygame.surfarray.array3d(surface.subsurface(counter.rect.inflate(-4, -6)))
    assert np.all(inside == legion, axis=2).mean() > 0.4


def test_seen_from_afar_counters_stand_beside_their_own_stations_without_hiding_each_other(
    app: App, campaign_world: World, tmp_path: Path
) -> None:
    play, session = whole_map(app, campaign_world)
    w = campaign_world
    state = session.state
    layout = play.view.layout(state, play.faction)
    assert sum(len(c.units) for c, _ in layout) == int(np.count_nonzero(state.status == ACTIVE))
    rects = [c.rect for c, _ in layout]
    overlaps = [(a, b) for i, a in enumerate(rects) for b in rects[:i] if a.colliderect(b)]
    assert overlaps == [], "counters pile on one another"
    x, y = Lambert().forward(w.lon, w.lat)
    for counter, faction in layout:
        u = counter.units[0]
        assert {int(w.unit_faction[v]) for v in counter.units} == {faction}
        assert len({int(state.station[v]) for v in counter.units}) == 1
        s = int(state.station[u])
        station = play.view.camera.point(float(x[s]), float(y[s]))
        # each stack (in its frame) touches its station's dot; a counter is at most a stack's height away from it
        reach = counter.rect.inflate(2 * (play.view._radius() + 6), 2 * (play.view._radius() + 6) + 4 * 17)
        assert reach.collidepoint(station), f"{w.unit_ids[u]} drawn away from {w.station_ids[s]}"
    # a person clicks a counter that had to stand aside, and gets its units
    shot = tmp_path / "afar.png"
    pygame.image.save(app.screen, str(shot))
    beside = next(c for c, _ in layout if c.rect.bottom > play.view.station_xy(int(state.station[c.units[0]]))[1])
    assert play.view.counter_at(beside.rect.center, state, play.faction) == beside


def test_close_up_a_stack_stands_above_its_station(app: App, campaign_world: World) -> None:
    play, session = whole_map(app, campaign_world)
    vladivostok = campaign_world.station_index["vladivostok"]
    model, camera = play.view.model, play.view.camera
    camera.centre_on(float(model.x[vladivostok]), float(model.y[vladivostok]))
    camera.zoom(8.0)
    app.run_frames(1)
    x, y = play.view.station_xy(vladivostok)
    state = session.state
    stack = [c for c, _ in play.view.layout(state, play.faction) if state.station[c.units[0]] == vladivostok]
    assert len(stack) == 3  # the Legion's, the Allies' and the Reds' men
    assert all(c.rect.bottom < y and c.rect.left < x < c.rect.right for c in stack)
    assert stack[0].rect.bottom > stack[1].rect.bottom > stack[-1].rect.bottom  # the first nearest the station
    # the holder's counter nearest the station, then the player's own
    assert campaign_world.unit_faction[stack[0].units[0]] == state.control[vladivostok] != play.faction
    assert campaign_world.unit_faction[stack[1].units[0]] == play.faction


def test_last_weeks_journeys_are_drawn_through_the_stations_passed_even_round_a_detour(
    app: App, campaign_world: World
) -> None:
    play, _ = whole_map(app, campaign_world)
    w = campaign_world
    # a way from a to c through b that is not the shortest line from a to c: a detour
    a, b, c = next(
        (a, b, c)
        for a in range(w.n_stations)
        for b, _ in w.adjacency[a]
        for c, _ in w.adjacency[b]
        if c != a and w.next_hop[a, c] != b
    )
    ids = w.station_ids
    seg = w.segment_between(b, c)
    along = f"{w.segment_names[seg]}@{round(float(w.seg_km[seg]) / 2)}km"
    through = Moved("any", ids[a], ids[c], 0.0, via=(ids[b], ids[c]))
    beyond = Moved("any", ids[a], along, 0.0, via=(ids[b],))
    model = play.view.model
    at = [(float(model.x[s]), float(model.y[s])) for s in (a, b, c)]
    assert play.view.journey_km(through) == at
    halfway = model.segment_point(seg, round(float(w.seg_km[seg]) / 2))
    assert play.view.journey_km(beyond) == [at[0], at[1], halfway]
