"""The window from 1024x700 to 2560x1440 and in full screen: the UI scale (automatic or chosen), a top bar
that nothing overlaps, a map that opens on the player's own forces, the player's own points first, and
screenshots of the three zooms at three sizes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pygame
import pytest
from pygame_gui.core import UIContainer
from pygame_gui.elements.ui_drop_down_menu import UIExpandedDropDownState

from anabasis.engine import World
from anabasis.engine.game import Game
from anabasis_game import hud, palette
from anabasis_game.app import App
from anabasis_game.camera import CLOSEST, FARTHEST
from anabasis_game.driver import Driver
from anabasis_game.screens.play import PlayScreen
from anabasis_game.session import Session
from anabasis_game.userdata import Settings

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGN = ROOT / "scenarios" / "revolt-1918.yaml"
SIZES = [(1024, 700), (1280, 720), (1600, 900), (1920, 1080), (2560, 1440)]
AUTOMATIC = {(1024, 700): 0.8, (1280, 720): 0.8, (1600, 900): 1.0, (1920, 1080): 1.2, (2560, 1440): 1.6}

OpenApp = Callable[[Settings], App]


@pytest.fixture
def open_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenApp]:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    yield lambda settings: App(settings, tmp_path, fps=0)
    pygame.display.quit()


def play(app: App, world: World, humans: tuple[str, ...] = ("legion",)) -> PlayScreen:
    session = Session(world.scenario, CAMPAIGN, Game(world, 5), humans=list(humans), skill=2, saves=app.saves)
    screen = PlayScreen(app, session)
    app.push(screen)
    app.run_frames(2)
    return screen


def bar_overlaps(screen: PlayScreen) -> list[str]:
    """What covers what on and around the top bar: its text, its buttons, and every panel or list of the screen."""
    w, _ = screen.app.size
    texts = hud.banner(pygame.Surface(screen.app.size), screen.app.fonts, *screen.banner_texts(), screen.bar)
    parts = {"date": texts[0], "standing": texts[1], "Jump to": screen.jump.rect}
    parts |= {name: button.rect for name, button in screen.buttons.items()}
    bar = pygame.Rect(0, 0, w, screen.bar.height)
    found = [
        f"{a} / {b}"
        for i, (a, ra) in enumerate(parts.items())
        for b, rb in list(parts.items())[:i]
        if ra.colliderect(rb)
    ]
    found += [f"{name} outside the bar" for name, rect in parts.items() if not bar.contains(rect)]
    mine = {id(button) for button in screen.buttons.values()} | {id(screen.jump)}
    root = screen.ui.get_root_container()
    assert isinstance(root, UIContainer)
    others = [e for e in root.elements if id(e) not in mine and e.visible]
    found += [f"{type(e).__name__} over the bar" for e in others if e.rect.colliderect(bar)]
    if screen.show_minimap:
        found += ["minimap over the bar"] * screen.minimap.rect(screen.app.size).colliderect(bar)
    return found


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_nothing_overlaps_the_top_bar_at_any_size(
    open_app: OpenApp, campaign_world: World, size: tuple[int, int]
) -> None:
    app = open_app(Settings(size))
    screen = play(app, campaign_world)
    assert app.scale == AUTOMATIC[size]
    assert bar_overlaps(screen) == []
    # the buttons grow with the scale, and the text fits its room whole
    assert screen.buttons["end_turn"].rect.height == round(30 * app.scale)
    texts = hud.banner(pygame.Surface(size), app.fonts, *screen.banner_texts(), screen.bar)
    assert texts[1].width == app.fonts.text(screen.banner_texts()[1], 12, palette.DIM_TEXT).get_width()
    # the Jump to list, open, covers none of the date, the turn and the points
    Driver(app).press(screen.jump)
    expanded = screen.jump.current_state
    assert isinstance(expanded, UIExpandedDropDownState) and expanded.options_selection_list is not None
    assert expanded.options_selection_list.rect.collidelist(texts) < 0
    # the map fills the rest: under the bar, beside the panel
    area = pygame.Rect(screen.view.camera.area)
    assert area.top == screen.bar.height and area.right == screen.panel.rect.left
    assert not area.colliderect(screen.panel.rect)


def test_a_chosen_ui_scale_and_full_screen_lay_the_bar_out_without_overlaps(
    open_app: OpenApp, campaign_world: World
) -> None:
    app = open_app(Settings((1600, 900), ui_scale=2.0))
    screen = play(app, campaign_world)
    assert app.scale == 2.0 and app.theme["button"]["font"]["size"] == "28"
    assert screen.bar.height > 2 * 44 and bar_overlaps(screen) == []
    # changed in the settings, the scale takes at once: text and widgets shrink back, still clear of each other
    app.apply(replace(app.settings, ui_scale=0.75))
    app.run_frames(2)
    assert app.scale == 0.75 and app.fonts.scale == 0.75
    assert screen.buttons["end_turn"].rect.height == round(30 * 0.75) and bar_overlaps(screen) == []
    app.apply(replace(app.settings, ui_scale=0.0, fullscreen=True))
    app.run_frames(2)
    assert app.size == pygame.display.get_desktop_sizes()[0] and bar_overlaps(screen) == []


def men_in_view(screen: PlayScreen) -> float:
    """The share of the player's men whose units are in the map part of the window."""
    session, view = screen.session, screen.view
    area = pygame.Rect(view.camera.area)
    units = session.units()
    seen = [area.collidepoint(view.camera.point(*view.unit_km(session.state, u))) for u in units]
    men = session.state.men[units].astype(np.float64)
    return float(men[seen].sum() / men.sum())


@pytest.mark.parametrize("side", ["legion", "allies"])
def test_the_map_opens_on_the_players_own_forces(open_app: OpenApp, campaign_world: World, side: str) -> None:
    app = open_app(Settings((1280, 720)))
    screen = play(app, campaign_world, (side,))
    assert screen.view.camera.zoom_level > 1.5
    assert men_in_view(screen) > 0.4
    screen.view.camera.fit()
    assert men_in_view(screen) == 1.0  # (the whole theatre shows them all, but small)


def test_in_hot_seat_the_map_opens_on_the_incoming_players_forces(open_app: OpenApp, campaign_world: World) -> None:
    app = open_app(Settings((1600, 900), warn_idle=False))
    screen = play(app, campaign_world, ("legion", "allies"))
    legion_view = men_in_view(screen)
    screen.finish_turn()  # the Legion is done: the Allies take the seat
    assert screen.session.player == "allies"
    assert screen.view.camera.zoom_level > 1.5 and men_in_view(screen) > 0.4
    assert legion_view > 0.4


def test_the_top_bar_gives_the_players_own_points_first_then_the_opponents(
    open_app: OpenApp, campaign_world: World
) -> None:
    app = open_app(Settings((1600, 900)))
    screen = play(app, campaign_world)
    w = campaign_world
    state = screen.session.state
    state.bonus_points[[w.faction_index["legion"], w.faction_index["allies"], w.faction_index["reds"]]] = (3, 2, 1)
    title, line = screen.banner_texts()
    assert title.startswith("Week of 13 May 1918")
    assert line == "Czechoslovak Legion  ·  Your points 3.0  ·  the Bolsheviks 1.0  ·  your side 5.0"


@pytest.mark.parametrize("size", [(1024, 700), (1600, 900), (2560, 1440)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_screenshots_of_the_three_zooms_show_every_name_where_it_was_placed(
    open_app: OpenApp, campaign_world: World, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = open_app(Settings(size, advisor=False))  # (the advisor's box would hide part of the map)
    screen = play(app, campaign_world)
    camera = screen.view.camera
    samara = campaign_world.station_index["samara"]
    for zoom in (FARTHEST, 3.0, CLOSEST):
        camera.zoom(zoom / camera.zoom_level)
        camera.centre_on(float(screen.model.x[samara]), float(screen.model.y[samara]))
        app.run_frames(2)
        shot = tmp_path / f"map-{size[0]}x{size[1]}-zoom-{zoom:g}.png"
        pygame.image.save(app.screen, str(shot))
        image = pygame.surfarray.array3d(pygame.image.load(str(shot)))  # [x, y, rgb]
        assert image.shape[:2] == size
        area = pygame.Rect(camera.area)
        if screen.show_minimap:
            area.height = screen.minimap.rect(size).top - area.top  # (the minimap covers the corner)
        labels = screen.view.placement(screen.session.state, screen.faction).labels
        inside = [label for label in labels if area.contains(label.rect)]
        assert len(inside) >= 5
        for label in inside:
            # each name's solid pixels are on the screenshot where the placement put them
            solid = pygame.surfarray.array_alpha(label.text) == 255
            drawn = image[label.rect.left : label.rect.right, label.rect.top : label.rect.bottom]
            assert np.array_equal(drawn[solid], pygame.surfarray.array3d(label.text)[solid]), label.name
