"""The window speaks to the player: what a decision's options do, a warning before a turn ends with units idle,
a hand-over that shows nothing of the last player's, and a victory screen that says who won and by how much."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pygame
import pytest
from test_game_play import ECHELON, driver, end_turn, play_screen, read_news, select, start, top

from anabasis.paths import default_scenario
from anabasis_game.describe import day
from anabasis_game.driver import Driver
from anabasis_game.effects_text import effects_text
from anabasis_game.screens.dialogs import EventDialog, QuestionDialog
from anabasis_game.screens.handover import HandoverScreen
from anabasis_game.screens.settings import SettingsDialog
from anabasis_game.screens.title import TitleScreen
from anabasis_game.screens.victory import VictoryScreen
from anabasis_game.userdata import settings_path

__all__ = ["driver"]  # the window fixture, shared with test_game_play


def test_a_decision_tells_each_options_consequences_under_it_and_on_hover(driver: Driver, tmp_path: Path) -> None:
    session = start(driver, "legion")
    read_news(driver)
    world = session.world
    k = world.event_index["disarm_demand"]
    while session.state.turn < 6 and k not in session.decisions():
        session.end_turn()
    assert k in session.decisions()
    driver.app.push(EventDialog(driver.app, session, k))
    driver.frames(2)
    dialog = top(driver)
    assert isinstance(dialog, EventDialog) and dialog.deciding
    text = dialog.text.html_text
    for _, label, effects in world.events[k].options:
        for line in effects_text(world, effects):
            assert line in text
        tip = dialog.buttons[label].tool_tip_text
        assert tip is not None
        assert effects_text(world, effects)[0] in tip
    assert "The Czechoslovak Legion and the Bolsheviks go to war" in text
    driver.screenshot(str(tmp_path / "decision.png"))


def test_ending_a_turn_with_idle_units_asks_and_dont_ask_again_is_kept(driver: Driver) -> None:
    session = start(driver, "legion")
    read_news(driver)
    play = play_screen(driver)
    idle = len(session.idle_units())
    assert idle > 1
    driver.key(pygame.K_RETURN)
    question = top(driver)
    assert isinstance(question, QuestionDialog)
    assert f"{idle} units have no orders: end the turn anyway?" in question.text.html_text
    driver.key(pygame.K_ESCAPE)  # back to the map: nothing played
    assert top(driver) is play and session.state.turn == 0
    driver.press(play.buttons["end_turn"])
    question = top(driver)
    assert isinstance(question, QuestionDialog)
    driver.press(question.buttons["Don't ask again"], frames=5)
    if play.animation is not None:
        driver.key(pygame.K_SPACE)
    assert session.state.turn == 1
    assert not driver.app.settings.warn_idle
    kept = json.loads(settings_path(driver.app.saves).read_text())
    assert kept["warn_idle"] is False
    read_news(driver)
    while top(driver) is not play:  # a decision waits: later
        driver.key(pygame.K_ESCAPE)
    driver.app.routes.settings()  # the choice shows in the settings, where it can be turned back on
    settings = top(driver)
    assert isinstance(settings, SettingsDialog) and settings.checks["warn_idle"].get_state() is False
    driver.press(settings.checks["warn_idle"])
    driver.press(settings.buttons["Apply"])
    assert driver.app.settings.warn_idle
    driver.app.apply(replace(driver.app.settings, warn_idle=False))
    driver.key(pygame.K_RETURN, frames=5)  # no question this time
    assert not isinstance(top(driver), QuestionDialog)
    if play.animation is not None:
        driver.key(pygame.K_SPACE)
    assert session.state.turn == 2


def test_the_hand_over_shows_the_incoming_player_their_own_map(driver: Driver) -> None:
    session = start(driver, "hotseat")
    world = session.world
    driver.key(pygame.K_RETURN)  # the Legion's commander is ready
    read_news(driver)
    play = play_screen(driver)
    select(driver, world.unit_index[ECHELON])
    driver.key(pygame.K_e)
    legion_view = (play.view.camera.cx, play.view.camera.cy)
    play.say("Entrained: the Legion's secret")
    end_turn(driver)
    handover = top(driver)
    assert isinstance(handover, HandoverScreen)
    assert handover.heading() == "Hand over to the commander of the Allies"
    driver.press(handover.ready)
    assert session.player == "allies"
    assert play.message == "" and play.hover is None and play.selected is None
    assert (play.view.camera.cx, play.view.camera.cy) != legion_view
    # Back to the Legion after the week: the camera where the Legion left it.
    decision = driver.app.stack.top  # the Allies' first decision, put to them as they take the seat
    assert isinstance(decision, EventDialog) and decision.deciding
    driver.press(decision.buttons["Decide later"])
    select(driver, world.unit_index["britain_suffolk_marines"])
    driver.key(pygame.K_h)
    end_turn(driver)
    assert session.player == "legion"
    assert (play.view.camera.cx, play.view.camera.cy) == legion_view


def test_the_victory_screen_says_who_won_by_how_much_and_the_last_week(driver: Driver, tmp_path: Path) -> None:
    summer = default_scenario().with_name("summer-1918.yaml")
    title = top(driver)
    assert isinstance(title, TitleScreen)
    driver.press(title.buttons[str(summer)])
    session = start(driver, "legion")
    read_news(driver)
    while session.state.turn < session.world.turns - 1:
        session.end_turn()
    last = session.state.date  # the banner's "Week of ..." on the last turn
    end_turn(driver)
    victory = top(driver)
    assert isinstance(victory, VictoryScreen)
    world, result = session.world, session.result()
    side = world.side_ids[int(world.side_of[world.faction_index["legion"]])]
    margin = abs(result.sides[side] - max(p for s, p in result.sides.items() if s != side))
    word = "won" if result.winner == side else "lost"
    if result.winner != "draw":
        assert victory.headline() == f"You {word} by {margin:.1f} points"
    text = victory.text.html_text
    assert f"in the week of {day(last)}" in text
    for f, name in zip(world.faction_ids, world.faction_names, strict=True):
        if world.side_of[world.faction_index[f]] >= 0:
            assert f"{name}: {result.factions[f]:.1f}" in text
    assert len(session.points) == world.turns + 1
    assert victory.points.values[-1].tolist() == pytest.approx([result.sides[s] for s in world.side_ids], abs=0.01)
    driver.screenshot(str(tmp_path / "victory.png"))
