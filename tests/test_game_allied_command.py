"""The Allies as a person plays them, through posted clicks and keys: the first week's decision, the war with the
Bolsheviks announced as it is for the Legion, other sides' events in the log only when the settings say so, and a
move beside the Red Guards that says what it will mean before it is given."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from anabasis.engine import Move, World, initial_state
from anabasis.paths import default_scenario
from anabasis_game import hud
from anabasis_game.app import App
from anabasis_game.concerns import concerns
from anabasis_game.driver import Driver
from anabasis_game.screens.dialogs import EventDialog, ReportDialog
from anabasis_game.screens.play import PlayScreen
from anabasis_game.session import Opening, Session
from anabasis_game.userdata import Settings

WAR_LINE = "The Allies and the Bolsheviks are now at war"
ARKHANGELSK_WEEK = 11  # the turn of the British landing at Arkhangelsk, 2 August 1918


def open_game(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **settings: bool) -> Driver:
    """The window with the Allies commanded by a person (a fixed seed), the other sides by the AI."""
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    saves = tmp_path / "saves"
    saves.mkdir()
    chosen = Settings((1600, 900), ai_turn=False, warn_idle=False, advisor=False, **settings)
    app = App(chosen, saves, fps=0)
    session = Session.start(Opening(default_scenario(), ("allies",), seed=7), saves)
    app.routes.start_game(session)
    driver = Driver(app)
    driver.frames(2)
    return driver


@pytest.fixture
def window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Driver]:
    yield open_game(tmp_path, monkeypatch)
    pygame.display.quit()


@pytest.fixture
def window_log_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Driver]:
    yield open_game(tmp_path, monkeypatch, others_in_log=True)
    pygame.display.quit()


def play_screen(driver: Driver) -> PlayScreen:
    screen = driver.app.stack.find(PlayScreen)
    assert isinstance(screen, PlayScreen)
    return screen


def answer_the_first_decision(driver: Driver) -> None:
    """The first week puts a decision to the Allies: send the Americans, with the button that says so."""
    dialog = driver.top
    assert isinstance(dialog, EventDialog) and dialog.deciding
    session = play_screen(driver).session
    event = session.world.events[dialog.event]
    assert event.id == "american_expedition"
    both = next(label for oid, label, _ in event.options if oid == "both_fronts")
    driver.press(dialog.buttons[both])
    assert session.answer_of(event.id) is not None
    while isinstance(news := driver.top, EventDialog):  # the other events of the first week
        driver.press(news.buttons["Continue"])
    assert driver.top is play_screen(driver)


def week_before_arkhangelsk(driver: Driver) -> Session:
    """Answer the first decision in the window, then let the weeks up to the landing pass without orders."""
    answer_the_first_decision(driver)
    session = play_screen(driver).session
    while session.state.turn < ARKHANGELSK_WEEK - 1:
        session.end_turn()
    return session


def end_turn_and_read(driver: Driver) -> list[tuple[str, str]]:
    """Press End turn, then click through the week's dialogs: each one's title and text."""
    driver.press(play_screen(driver).buttons["end_turn"], frames=6)
    read = []
    while isinstance(dialog := driver.top, ReportDialog | EventDialog):
        read.append((dialog.title(), dialog.body()))
        if isinstance(dialog, EventDialog) and dialog.deciding:
            driver.press(dialog.buttons["Decide later"])
        else:
            driver.press(dialog.buttons["Continue"])
    return read


def test_the_allies_are_told_they_are_now_at_war_like_the_legion(window: Driver) -> None:
    session = week_before_arkhangelsk(window)
    read = dict(end_turn_and_read(window))
    assert session.state.turn == ARKHANGELSK_WEEK
    assert WAR_LINE in read["What happened"]
    assert WAR_LINE in read["The British land at Arkhangelsk"]
    assert "are now at war" not in read["The Allies land at Vladivostok"]  # it changes no one's stance


def test_other_sides_events_go_to_the_log_only_when_the_settings_say_so(window_log_only: Driver) -> None:
    session = week_before_arkhangelsk(window_log_only)
    titles = [title for title, _ in end_turn_and_read(window_log_only)]
    world = session.world
    allies = world.faction_index["allies"]
    fired = [world.event_index[e] for e in session.reports[-1].events]
    theirs = [world.events[k].name for k in fired if not concerns(session.state, k, allies)]
    assert "The British land at Arkhangelsk" in titles  # the Allies' own war: it always comes up
    assert theirs and not set(theirs) & set(titles)
    log = play_screen(window_log_only).panel.log.html_text
    assert all(f"Event: {name}" in log for name in theirs)


def test_every_event_comes_up_when_the_settings_keep_them(window: Driver) -> None:
    session = week_before_arkhangelsk(window)
    titles = [title for title, _ in end_turn_and_read(window)]
    names = [session.world.events[session.world.event_index[e]].name for e in session.reports[-1].events]
    assert titles == ["What happened", *names]


def test_a_move_beside_the_red_guards_says_before_it_is_given_that_there_is_no_war_yet(
    window: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_the_first_decision(window)
    play = play_screen(window)
    world = play.session.world
    nikolsk = world.station_index["nikolsk_ussuriysky"]
    marines = world.unit_index["japan_vladivostok_marines"]
    window.key(pygame.K_HOME)
    window.wheel(play.view.station_xy(world.station_index["vladivostok"]), 8)
    for _ in range(8):  # click the marines' counter (again, through the units there) until they are selected
        counter = next(c for c, _ in play.view.layout(play.session.state, play.faction) if marines in c.units)
        window.click(counter.rect.center)
        if play.selected == marines:
            break
    assert play.selected == marines
    shown: list[list[str]] = []
    monkeypatch.setattr(hud, "tooltip", lambda surface, fonts, lines, at, right: shown.append(lines))

    # Pointing at Nikolsk with the marines selected: the tooltip warns before any order is given.
    at = play.view.station_xy(nikolsk)
    pygame.mouse.set_pos(at)
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=at, rel=(0, 0), buttons=(0, 0, 0)))
    window.frames()
    warning = " ".join(line for line in shown[-1] if not line.startswith("Nikolsk-Ussuriysky —"))
    assert "Nikolsk-Ussuriysky is held by the Bolsheviks; you are not at war with them yet" in warning
    assert "cannot attack until “The British land at Arkhangelsk” (the week of 29 July 1918)" in warning
    assert not any(isinstance(order, Move) for order in play.session.plan.listed())

    # The rules allow the move: clicking gives it, and the message says the same.
    window.click(at)
    assert Move("japan_vladivostok_marines", "nikolsk_ussuriysky") in play.session.plan.listed()
    assert "you are not at war with them yet" in play.message


def test_an_event_concerns_the_sides_its_effects_options_or_conditions_name(campaign_world: World) -> None:
    state, _ = initial_state(campaign_world)
    w = campaign_world
    allies, legion = w.faction_index["allies"], w.faction_index["legion"]
    event = w.event_index
    assert concerns(state, event["arkhangelsk_landing"], allies)  # the Allies go to war
    assert concerns(state, event["disarm_demand"], allies)  # one answer hands them Vladivostok
    assert concerns(state, event["arkhangelsk_handed_over"], allies)  # it fires on their holding the port
    assert not concerns(state, event["chelyabinsk_incident"], allies)
    assert concerns(state, event["chelyabinsk_incident"], legion)
    assert not concerns(state, event["american_expedition"], legion)
    # Their own landing only lifts the Legion's spirits, but the scenario says it is news to the Allies.
    assert concerns(state, event["allied_landings_vladivostok"], allies)
