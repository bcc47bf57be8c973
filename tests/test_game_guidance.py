"""A new player is guided: a briefing before the first turn, the objectives panel (O) with the engine's figures,
the advisor's hints over the first weeks, units short of supply saying why and what would feed them, and refused
orders giving their reason. Played with posted clicks and keys, the advisor on as it is by default."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pygame
import pytest
from conftest import TitleWindow
from test_game_play import end_turn, look_at, play_screen, select, start, top

from anabasis.engine import Attack, Hold, World, initial_state
from anabasis.engine.outlook import points_outlook
from anabasis.engine.shortage import Cause, supply_check
from anabasis.paths import default_scenario
from anabasis_game.advisor import ADVISOR_WEEKS, advice
from anabasis_game.driver import Driver
from anabasis_game.screens.box import BoxDialog
from anabasis_game.screens.briefing import BriefingDialog
from anabasis_game.screens.dialogs import EventDialog, QuestionDialog
from anabasis_game.screens.handover import HandoverScreen
from anabasis_game.screens.objectives import ObjectivesDialog
from anabasis_game.screens.play import PlayScreen
from anabasis_game.session import Opening, Session
from anabasis_game.userdata import settings_path


@pytest.fixture
def driver(title_window: TitleWindow) -> Driver:
    return title_window()


def to_the_map(driver: Driver) -> PlayScreen:
    """Read every dialog over the map (events, the report) with its Continue or Decide later button."""
    for _ in range(12):
        dialog = top(driver)
        if not isinstance(dialog, BoxDialog):
            break
        button = next(b for label, b in dialog.buttons.items() if label in ("Continue", "Decide later", "Begin"))
        driver.press(button)
    play = play_screen(driver)
    assert top(driver) is play
    return play


def test_a_new_game_opens_with_the_briefing_and_the_objectives_show_the_engines_figures(driver: Driver) -> None:
    session = start(driver, "legion")
    briefing = top(driver)
    assert isinstance(briefing, BriefingDialog)
    assert briefing.title() == "Briefing: the Czechoslovak Legion"
    text = briefing.text.html_text
    assert "60,000 Czechoslovaks" in text and "not at war" in text  # the scenario's briefing of the Legion
    victory = session.world.scenario.victory
    assert victory is not None
    way_out = next(o for o in victory.objectives if o.id == "legion_way_out")
    w = session.world
    held = sum(int(session.state.control[w.station_index[s]]) == w.faction_index["legion"] for s in way_out.stations)
    assert "What scores" in text and f"{way_out.name}: " in text and f"{held} of {len(way_out.stations)} now" in text

    driver.press(briefing.buttons["All objectives (O)"])
    objectives = top(driver)
    assert isinstance(objectives, ObjectivesDialog)
    panel = objectives.text.html_text
    assert panel.index("The intervention") < panel.index("The Bolsheviks")  # the player's side first
    world = session.world
    volga = next(o for o in points_outlook(session.state) if world.objectives[o.objective].id == "reds_hold_the_volga")
    assert f"Hold the Volga: 0.2 a week for each station held, 5 of 5 now; {volga.weekly[0]:.1f} this week" in panel
    assert "✓ Penza (Bolsheviks)" in panel and "From 13 June 1918: An eastern front against Germany" in panel

    driver.press(objectives.buttons["Briefing"])
    again = top(driver)
    assert isinstance(again, BriefingDialog)
    driver.press(again.buttons["Begin"])
    assert isinstance(top(driver), EventDialog)  # then the news of the first week
    play = to_the_map(driver)

    # O opens the panel over the map and closes it again.
    driver.key(pygame.K_o)
    assert isinstance(top(driver), ObjectivesDialog)
    driver.key(pygame.K_o)
    assert top(driver) is play


def test_the_advisor_points_at_the_next_thing_to_do_and_can_be_sent_away(driver: Driver) -> None:
    session = start(driver, "legion")
    play = to_the_map(driver)
    box = play.advisor
    assert box.visible
    first = box.text.html_text
    assert "The Czechoslovak Legion and the Bolsheviks are not at war yet" in first
    assert "25 May 1918" in first
    w = session.world
    assert w.scenario.victory is not None
    legion_holds = {
        w.station_names[w.station_index[s]]
        for o in w.scenario.victory.objectives
        if o.faction == "legion" and o.kind == "hold"
        for s in o.stations
    }
    assert any(f"toward {name}, one of your objectives" in first for name in legion_holds)

    # Next tip: the units without orders; Show me selects the one it names.
    driver.press(box.buttons["Next tip"])
    assert "24 units have no orders" in box.text.html_text
    assert box.hint is not None
    driver.press(box.buttons["Show me"])
    assert play.selected == box.hint.unit

    # Hide: gone for this week, back the next.
    driver.press(box.buttons["Hide"])
    assert not box.visible
    end_turn(driver)
    to_the_map(driver)
    assert session.state.turn == 1 and box.visible
    assert "Moscow demands the Legion's arms: your answer is waiting" in box.text.html_text

    # Don't show again: off for good, and kept in the settings.
    driver.press(box.buttons["Don't show again"])
    assert not box.visible and driver.app.settings.advisor is False
    assert json.loads(settings_path(driver.app.saves).read_text())["advisor"] is False
    end_turn(driver)
    to_the_map(driver)
    assert session.state.turn == 2 and not box.visible

    # The settings bring it back.
    driver.app.apply(replace(driver.app.settings, advisor=True))
    driver.frames()
    assert box.visible


def test_units_short_of_supply_say_why_and_what_would_feed_them(driver: Driver) -> None:
    session = Session.start(Opening(default_scenario(), ("legion",), seed=3), driver.app.saves)
    for _ in range(2):  # Moscow's demand goes unanswered: the Legion fights, as it did
        session.end_turn()
    driver.app.routes.start_game(session)
    driver.frames()
    play = to_the_map(driver)
    world, state = session.world, session.state
    assert not isinstance(top(driver), BriefingDialog)  # no briefing for a game under way

    # The summary groups them by why; the advisor sends the player to take the stations they stand in.
    summary = play.panel.info.html_text
    legion = np.flatnonzero((state.status == 1) & (world.unit_faction == world.faction_index["legion"])).tolist()
    inside = [u for u in legion if supply_check(state, u).cause is Cause.ENEMY_STATION]
    assert len(inside) >= 10
    short = [u for u in legion if supply_check(state, u).short]
    assert f"Short of supply: {len(short)} units" in summary
    assert f"{len(inside)} in stations the enemy holds: " in summary and "take those stations" in summary
    assert "stand in stations the enemy holds" in play.advisor.text.html_text
    driver.press(play.advisor.buttons["Hide"])

    # The unit panel says the same for the unit, and so does the tooltip over its station.
    unit = inside[0]
    station = int(state.station[unit])
    look_at(driver, station)
    select(driver, unit)
    name = world.station_names[station]
    info = play.panel.info.html_text
    assert f"Why: {name} is held by the Bolsheviks" in info
    assert f"To feed it: take {name} (attack it)" in info
    assert play.shortage_tip(station)[0].startswith(f"Short of supply: {name} is held by the Bolsheviks")


def test_refused_orders_give_the_reason_in_the_players_words(driver: Driver) -> None:
    session = start(driver, "legion")
    play = to_the_map(driver)
    driver.press(play.advisor.buttons["Hide"])
    world = session.world
    penza = world.station_index["penza"]
    unit = world.unit_index["legion_penza_1st_regiment"]
    look_at(driver, penza)
    select(driver, unit)

    driver.key(pygame.K_a)
    assert play.message == (
        "Cannot attack: the Czechoslovak Legion and the Bolsheviks are not at war yet: Penza cannot be attacked"
    )
    driver.key(pygame.K_v)
    assert play.message == "Refused: 1st Jan Hus Rifle Regiment is not at a port"
    driver.key(pygame.K_b)
    assert play.message.startswith("Cannot blow: ") and "Penza–" in play.message
    assert "penza-" not in play.message  # stations by name, not by id
    assert session.plan.listed() == []


def test_in_hot_seat_each_commander_reads_their_own_briefing(driver: Driver) -> None:
    session = start(driver, "hotseat")
    driver.key(pygame.K_RETURN)  # the Legion's commander is ready
    legion = top(driver)
    assert isinstance(legion, BriefingDialog) and legion.title() == "Briefing: the Czechoslovak Legion"
    play = to_the_map(driver)
    driver.press(play.buttons["end_turn"], frames=5)
    question = top(driver)
    if isinstance(question, QuestionDialog):  # units without orders: end the turn all the same
        driver.press(question.buttons["End the turn"], frames=5)
    handover = top(driver)
    assert isinstance(handover, HandoverScreen)
    driver.press(handover.ready)
    allies = top(driver)
    assert session.player == "allies" and session.state.turn == 0
    assert isinstance(allies, BriefingDialog) and allies.title() == "Briefing: the Allies"
    assert "British marines have been at Murmansk since 6 March" in allies.text.html_text


def test_the_advisors_hints_move_on_as_the_orders_are_given(mini_world: Callable[..., World]) -> None:
    """The advisor is a pure function of the week and the orders so far: each order given takes its hint away."""
    w = mini_world()
    state, _ = initial_state(w)
    legion = w.faction_index["legion"]
    hints = advice(state, legion, [])
    assert hints[0].text.startswith("Penza group is short of supply — Penza is held by the Reds")
    assert hints[0].unit == w.unit_index["cz_penza"]
    attack = next(h for h in hints if "is within reach: select" in h.text)
    assert attack.text.startswith("Penza is within reach: select Penza group and press A")  # where it stands
    assert hints[-1].text.startswith("3 units have no orders this week")

    hints = advice(state, legion, [Attack("cz_penza", "penza")])
    assert not any("Penza" in h.text for h in hints) and hints[-1].text.startswith("2 units have no orders")
    done = [Attack("cz_penza", "penza"), Hold("cz_chel"), Hold("cz_vlad")]
    assert [h.text for h in advice(state, legion, done)] == ["Every unit has its orders: press Enter to end the turn."]

    later = replace(state, turn=ADVISOR_WEEKS)
    assert advice(later, legion, []) == []  # it speaks in the first weeks only
