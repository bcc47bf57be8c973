"""The map stays legible at every zoom the player can reach: no name covered by a counter or by another name,
each stack beside its own station and framed in its holder's colour, and a click on a counter picks its station.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pygame
import pytest

from anabasis.engine import World
from anabasis.engine.game import Game
from anabasis.engine.world import NOBODY
from anabasis_game import palette
from anabasis_game.app import App
from anabasis_game.camera import CLOSEST, FARTHEST
from anabasis_game.driver import Driver
from anabasis_game.placement import Placement
from anabasis_game.screens.play import PlayScreen
from anabasis_game.session import Session
from anabasis_game.userdata import Settings

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGN = ROOT / "scenarios" / "revolt-1918.yaml"
PlayRandom = Callable[..., Game]
ZOOMS = {"whole map": FARTHEST, "middle": 3.0, "closest": CLOSEST}
SIZES = [(1024, 700), (1600, 900)]


@pytest.fixture(params=SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def app(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    yield App(Settings(request.param, advisor=False), tmp_path, fps=0)
    pygame.display.quit()


def open_play(app: App, game: Game) -> PlayScreen:
    session = Session(game.world.scenario, CAMPAIGN, game, humans=["legion"], skill=2, saves=app.saves)
    play = PlayScreen(app, session)
    app.push(play)
    play.show_minimap = False
    app.run_frames(2)
    return play


def look(app: App, play: PlayScreen, zoom: float, station: str | None) -> Placement:
    """The view at `zoom`, over the whole theatre or centred on `station`; what it draws."""
    camera, model = play.view.camera, play.model
    camera.fit()
    camera.zoom(zoom / camera.zoom_level)
    if station is not None:
        s = play.session.world.station_index[station]
        camera.centre_on(float(model.x[s]), float(model.y[s]))
    app.run_frames(1)
    return play.view.placement(play.session.state, play.faction)


def on_map(play: PlayScreen, rects: list[pygame.Rect]) -> list[pygame.Rect]:
    area = pygame.Rect(play.view.camera.area)
    return [r for r in rects if area.colliderect(r)]


def shown(placement: Placement, play: PlayScreen, everywhere: bool) -> list[tuple[str, pygame.Rect]]:
    """The names drawn on the map part of the window (or `everywhere` in the theatre, panning), with where."""
    area = pygame.Rect(play.view.camera.area)
    return [(label.name, label.rect) for label in placement.labels if everywhere or area.colliderect(label.rect)]


def overlaps(placement: Placement, play: PlayScreen, everywhere: bool) -> list[str]:
    """Each name covered by another name or by a counter (its stack's frame included), as drawn on the map (or
    anywhere in the theatre)."""
    names = shown(placement, play, everywhere)
    counters = [c.rect for c, _ in placement.counters] + [s.block for s in placement.stacks]
    counters = counters if everywhere else on_map(play, counters)
    found = [f"{a} under {b}" for i, (a, ra) in enumerate(names) for b, rb in names[:i] if ra.colliderect(rb)]
    found += [f"{name} under a counter" for name, rect in names if rect.collidelist(counters) >= 0]
    return found


@pytest.mark.parametrize("zoom", list(ZOOMS))
@pytest.mark.parametrize("where", ["whole theatre", "samara"])
@pytest.mark.parametrize("turns", [0, 12])
def test_no_name_is_covered_by_a_counter_or_another_name(
    app: App, campaign_world: World, play_random: PlayRandom, *, zoom: str, where: str, turns: int
) -> None:
    """Over the whole theatre (the names of every part of it, as the player pans) and over the Volga-Urals (the
    names in the window), at the opening and after some weeks of war with trains on the line."""
    play = open_play(app, play_random(campaign_world, 5, turns) if turns else Game(campaign_world, 5))
    everywhere = where == "whole theatre"
    placement = look(app, play, ZOOMS[zoom], None if everywhere else where)
    assert overlaps(placement, play, everywhere) == []
    names = {name for name, _ in shown(placement, play, everywhere)}
    assert len(names) >= (5 if zoom == "whole map" else 8)  # names are there to be read, not all left out
    if not everywhere and zoom != "whole map":
        assert {"Samara", "Syzran"} <= names


def test_closest_every_station_in_view_is_named(app: App, campaign_world: World) -> None:
    play = open_play(app, Game(campaign_world, 5))
    placement = look(app, play, CLOSEST, "samara")
    w = campaign_world
    area = pygame.Rect(play.view.camera.area).inflate(-80, -40)
    seen = [w.station_names[s] for s in range(w.n_stations) if area.collidepoint(play.view.station_xy(s))]
    assert "Samara" in seen and len(seen) >= 3
    assert set(seen) <= {label.name for label in placement.labels}


def test_a_crowded_view_keeps_the_names_that_matter_and_shortens_or_drops_the_rest(
    app: App, campaign_world: World
) -> None:
    play = open_play(app, Game(campaign_world, 5))
    far = {label.name for label in look(app, play, FARTHEST, None).labels}
    near = {label.name for label in look(app, play, 3.0, "samara").labels}
    w, model = campaign_world, play.model
    key = {w.station_names[s] for s in range(w.n_stations) if model.key[s]}
    junctions = {w.station_names[s] for s in range(w.n_stations) if w.station_kind[s] == "junction"} - key

    def share(names: set[str], of: set[str]) -> float:
        """The share of `of` named in full or short (`Petrop.` for Petropavlovsk)."""
        return sum(n in names or any(x.endswith(".") and n.startswith(x[:-1]) for x in names) for n in of) / len(of)

    # from afar fewer names fit, but the key cities are named before the junctions
    assert len(far) < len(near)
    assert share(far, key) > share(far, junctions)
    assert any(name.endswith(".") for name in far)


def test_a_stack_stands_beside_its_own_station_with_the_holder_nearest_and_framed_in_its_colour(
    app: App, campaign_world: World
) -> None:
    play = open_play(app, Game(campaign_world, 5))
    w, state = campaign_world, play.session.state
    for zoom in ZOOMS.values():
        placement = look(app, play, zoom, "samara")
        pixels = pygame.surfarray.array3d(app.screen)
        radius = play.view._radius()
        others = [s.block for s in placement.stacks]
        for stack in placement.stacks:
            x, y = play.view.station_xy(stack.station)
            # anchored: the stack touches its own station's dot
            assert stack.block.inflate(2 * radius + 8, 2 * radius + 8).collidepoint(x, y), w.station_ids[stack.station]
            mine = [(c, f) for c, f in placement.counters if c.station == stack.station]
            assert all(stack.block.contains(c.rect) for c, _ in mine)
            first = min(mine, key=lambda cf: np.hypot(cf[0].rect.centerx - x, cf[0].rect.centery - y))
            holder = int(state.control[stack.station])
            if any(f == holder for _, f in mine):
                assert first[1] == holder, f"the holder's counter is not nearest {w.station_ids[stack.station]}"
            alone = sum(stack.block.colliderect(o) for o in others) == 1
            if alone and pygame.Rect(play.view.camera.area).contains(stack.block):
                color = palette.NOBODY if holder == NOBODY else palette.hex_color(w.faction_colors[holder])
                frame = stack.block.inflate(-2, -2)
                assert tuple(pixels[frame.centerx, frame.top]) == color, w.station_ids[stack.station]


def test_clicking_a_counter_picks_its_station_and_units_even_over_a_neighbours_dot(
    app: App, campaign_world: World
) -> None:
    play = open_play(app, Game(campaign_world, 5))
    driver = Driver(app)
    w = campaign_world
    clicked = 0
    for zoom in ZOOMS.values():
        placement = look(app, play, zoom, "samara")
        area = pygame.Rect(play.view.camera.area)
        for counter, faction in placement.counters:
            if counter.station is None or not area.contains(counter.rect):
                continue
            if any(other.rect.collidepoint(counter.rect.center) for other, _ in placement.counters if other != counter):
                continue  # half hidden under another stack: the one on top is the one clicked
            play.deselect()
            driver.click(counter.rect.center)
            clicked += 1
            assert play.station == counter.station, f"{w.station_ids[counter.station]} not picked"
            if faction == play.faction:
                assert play.selected in counter.units
    assert clicked >= 10
