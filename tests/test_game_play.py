"""Playing the window as a person would: clicks and keys posted to pygame, the app's own loop between them.

Each step checks the engine afterwards: the plan of orders, the unit's journey, the turn, the decision
taken, the save on disk and the game loaded back from it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame
import pytest
from conftest import TitleWindow

from anabasis.engine import Answer, Attack, Move
from anabasis.engine.save import read_save
from anabasis.paths import default_scenario
from anabasis_game import palette
from anabasis_game.driver import Driver
from anabasis_game.reach import reach_of
from anabasis_game.screens.dialogs import EventDialog, MenuDialog, QuestionDialog, ReportDialog
from anabasis_game.screens.handover import HandoverScreen
from anabasis_game.screens.play import PlayScreen
from anabasis_game.screens.saves import LoadDialog, SaveDialog
from anabasis_game.screens.title import TitleScreen
from anabasis_game.screens.victory import VictoryScreen
from anabasis_game.session import Session
from anabasis_game.userdata import Settings

ECHELON = "legion_chelyabinsk_3rd_regiment"


@pytest.fixture
def driver(title_window: TitleWindow) -> Driver:
    return title_window(advisor=False)  # no briefing nor advisor: tests/test_game_guidance.py plays with them


def top(driver: Driver) -> object:
    return driver.app.stack.top


def play_screen(driver: Driver) -> PlayScreen:
    screen = driver.app.stack.find(PlayScreen)
    assert isinstance(screen, PlayScreen)
    return screen


def start(driver: Driver, side: str) -> Session:
    """Choose the side on the title screen and press Start."""
    title = top(driver)
    assert isinstance(title, TitleScreen)
    driver.press(title.buttons[side])
    driver.press(title.buttons["start"], frames=4)
    return play_screen(driver).session


def read_news(driver: Driver) -> list[str]:
    """Click through the report and event dialogs (without answering decisions); their titles."""
    seen = []
    while isinstance(top(driver), ReportDialog | EventDialog):
        dialog = top(driver)
        assert isinstance(dialog, ReportDialog | EventDialog)
        seen.append(dialog.title())
        if isinstance(dialog, EventDialog) and dialog.deciding:
            return seen
        driver.press(dialog.buttons["Continue"])
    return seen


def select(driver: Driver, unit: int) -> None:
    """Click the unit's station (again and again through the units there) until the unit is selected."""
    play = play_screen(driver)
    state = play.session.state
    for _ in range(8):
        if state.station[unit] >= 0:
            driver.click(play.view.station_xy(int(state.station[unit])))
        else:
            counter = next(c for c, _ in play.view.layout(state, play.faction) if unit in c.units)
            driver.click(counter.rect.center)
        if play.selected == unit:
            return
    raise AssertionError(f"could not select unit {unit} by clicking")


def look_at(driver: Driver, station: int) -> None:
    """Home (the whole theatre), then the mouse wheel over the station: it stays under the pointer, bigger."""
    play = play_screen(driver)
    driver.key(pygame.K_HOME)
    driver.wheel(play.view.station_xy(station), 4)


def end_turn(driver: Driver) -> None:
    """End the turn, and skip the week's moves playing out on the map with a key, straight to the report."""
    play = play_screen(driver)
    driver.press(play.buttons["end_turn"], frames=5)
    question = top(driver)
    if isinstance(question, QuestionDialog):  # units without orders: end the turn all the same
        driver.press(question.buttons["End the turn"], frames=5)
    if play.animation is not None:
        driver.key(pygame.K_SPACE)
    assert play.animation is None


def test_a_turn_as_the_legion_select_move_attack_decide_save_and_load(driver: Driver) -> None:
    session = start(driver, "legion")
    world = session.world
    assert session.humans == ["legion"] and session.state.turn == 0
    assert read_news(driver) == ["A call for American troops", "The Chelyabinsk incident"]  # the first for the Allies
    play = play_screen(driver)
    assert top(driver) is play

    # Zoom in on Chelyabinsk with the wheel, then click it: the echelon there is selected and described.
    look_at(driver, world.station_index["chelyabinsk"])
    assert play.view.camera.zoom_level > 2
    echelon = world.unit_index[ECHELON]
    select(driver, echelon)
    assert "3rd Jan Zizka Rifle Regiment" in play.panel.info.html_text
    assert "30% armed" in play.panel.info.html_text

    # The reach drawn for it comes from the engine; click a station it can reach this week: a Move.
    reach = reach_of(session.state, echelon)
    near = int(np.flatnonzero(reach.this_week)[0])
    driver.click(play.view.station_xy(near))
    assert session.plan.listed() == [Move(ECHELON, world.station_ids[near])]
    assert f"Order: Move to {world.station_names[near]}" in play.panel.info.html_text

    # Undo takes it back; a right click gives it again.
    driver.key(pygame.K_u)
    assert session.plan.listed() == []
    driver.click(play.view.station_xy(near), button=3)
    assert session.plan.listed() == [Move(ECHELON, world.station_ids[near])]

    # Attacking the Reds is not possible yet (no war): the reason is shown, no order is given.
    driver.key(pygame.K_a)
    assert "the Czechoslovak Legion and the Bolsheviks are not at war yet" in play.message
    assert len(session.plan.listed()) == 1

    end_turn(driver)
    assert session.state.turn == 1
    assert session.game.log[0]["legion"] == [f"move {ECHELON} {world.station_ids[near]}"]
    state = session.state
    assert state.station[echelon] == near or state.goal[echelon] == near or state.segment[echelon] >= 0

    # The week's report, then Moscow's demand: a decision for the Legion, answered with a button.
    assert read_news(driver)[0] == "What happened"
    dialog = top(driver)
    assert isinstance(dialog, EventDialog) and dialog.deciding
    event = world.events[dialog.event]
    fight = next(label for oid, label, _ in event.options if oid == "fight")
    driver.press(dialog.buttons[fight])
    assert session.plan.listed() == [Answer(event.id, "fight")]
    assert top(driver) is play
    end_turn(driver)
    assert session.state.turn == 2
    assert session.state.chosen[dialog.event] == [oid for oid, _, _ in event.options].index("fight")
    read_news(driver)

    # At war now: pick a Legion unit with an enemy in reach, click the enemy: the odds, then Attack.
    legion = world.faction_index["legion"]
    attacker = next(
        u
        for u in np.flatnonzero((session.state.status == 1) & (world.unit_faction == legion)).tolist()
        if reach_of(session.state, u).attack and session.state.station[u] >= 0
    )
    target = reach_of(session.state, attacker).attack[0]
    look_at(driver, target)
    select(driver, attacker)
    driver.click(play.view.station_xy(target))
    assert play.target == target
    assert "Chance of taking it" in play.panel.info.html_text
    assert "Armed share" in play.panel.info.html_text
    attack = Attack(world.unit_ids[attacker], world.station_ids[target])
    driver.press(play.panel.buttons[f"Attack {world.station_names[target]}"])
    assert attack in session.plan.listed()

    # Save through the dialog: the file holds the scenario, the seed and the order log so far.
    driver.press(play.buttons["save"])
    save_dialog = top(driver)
    assert isinstance(save_dialog, SaveDialog)
    name = save_dialog.suggested()
    driver.press(save_dialog.buttons["Save"])
    saved = driver.app.saves / f"{name}.json"
    data = read_save(saved)
    assert data.scenario_id == world.scenario.meta.id
    assert data.seed == session.game.seed
    assert data.orders == session.game.log and len(data.orders) == 2
    assert data.sides["legion"] == "human" and data.sides["reds"] != "human"

    # The attack is fought at the end of the turn.
    end_turn(driver)
    battles = session.reports[-1].battles
    assert any(b.station == world.station_ids[target] and world.unit_ids[attacker] in b.attackers for b in battles)
    read_news(driver)

    # A damaged save shows its message in the dialog; the good one loads the game as it was saved.
    (driver.app.saves / "broken.json").write_text('{"format": "anabasis-save", "version": 1, "seed": "x"', "utf-8")
    driver.press(play.buttons["load"])
    load_dialog = top(driver)
    assert isinstance(load_dialog, LoadDialog)
    pick(driver, load_dialog, "broken")
    driver.press(load_dialog.buttons["Load"])
    assert top(driver) is load_dialog
    assert "cannot be loaded" in load_dialog.text.html_text
    pick(driver, load_dialog, name)
    driver.press(load_dialog.buttons["Load"], frames=4)
    loaded = play_screen(driver).session
    assert loaded is not session
    assert loaded.state.turn == 2
    assert loaded.game.log == data.orders
    assert loaded.state.snapshot() == Session.load(saved, driver.app.saves).state.snapshot()


def pick(driver: Driver, dialog: LoadDialog, stem: str) -> None:
    """Click a save in the dialog's list by its name."""
    item = next(i for i in dialog.list.item_list if i["text"].startswith(f"{stem} "))
    driver.press(item["button_element"])


def test_the_allies_see_their_limits_and_hotseat_passes_the_turn(driver: Driver) -> None:
    session = start(driver, "allies")
    world = session.world
    assert session.humans == ["allies"]
    assert read_news(driver) == ["A call for American troops"]  # their decision, left for later
    decision = top(driver)
    assert isinstance(decision, EventDialog) and decision.deciding
    driver.press(decision.buttons["Decide later"])
    read_news(driver)
    play = play_screen(driver)

    # The Japanese marines at Vladivostok: their government keeps them east of Lake Baikal.
    marines = world.unit_index["japan_vladivostok_marines"]
    vladivostok = world.station_index["vladivostok"]
    look_at(driver, vladivostok)
    select(driver, marines)
    assert "Must stay in the region: East of Lake Baikal" in play.panel.info.html_text
    irkutsk = world.station_index["irkutsk"]
    look_at(driver, irkutsk)
    driver.click(play.view.station_xy(irkutsk), button=3)
    assert session.plan.listed() == []
    assert "Refused" in play.message and "Lake Baikal" in play.message
    nikolsk = world.station_index["nikolsk_ussuriysky"]
    look_at(driver, nikolsk)
    driver.click(play.view.station_xy(nikolsk), button=3)
    assert session.plan.listed() == [Move("japan_vladivostok_marines", "nikolsk_ussuriysky")]
    end_turn(driver)
    assert session.state.turn == 1
    assert session.game.log[0]["allies"] == ["move japan_vladivostok_marines nikolsk_ussuriysky"]
    assert session.state.station[marines] == nikolsk or session.state.goal[marines] == nikolsk

    # Back to the title: hot-seat, the Legion and the Allies each played by a person.
    driver.key(pygame.K_ESCAPE)  # closes the report
    while not isinstance(top(driver), PlayScreen):
        driver.key(pygame.K_ESCAPE)
    driver.key(pygame.K_ESCAPE)  # the menu
    menu = top(driver)
    assert isinstance(menu, MenuDialog)
    driver.press(menu.buttons["Title screen"])
    assert isinstance(top(driver), TitleScreen)
    session = start(driver, "hotseat")
    assert session.humans == ["legion", "allies"]
    handover = top(driver)
    assert isinstance(handover, HandoverScreen) and handover.faction == "legion"
    driver.key(pygame.K_RETURN)
    read_news(driver)
    play = play_screen(driver)
    assert session.player == "legion"
    echelon = world.unit_index[ECHELON]
    select(driver, echelon)
    driver.key(pygame.K_e)
    assert (
        session.plan.listed() == [session.plan.orders[ECHELON]]
        and str(session.plan.orders[ECHELON]) == f"entrain {ECHELON}"
    )

    # End of the Legion's orders: the map hides behind the hand-over screen until the Allies are ready.
    end_turn(driver)
    assert session.state.turn == 0
    handover = top(driver)
    assert isinstance(handover, HandoverScreen) and handover.faction == "allies"
    assert driver.app.stack.states[-1].opaque
    driver.press(handover.ready)
    assert session.player == "allies"
    decision = top(driver)  # the Allies' first decision, put to them as they take the seat
    assert isinstance(decision, EventDialog) and decision.deciding
    driver.press(decision.buttons["Decide later"])
    select(driver, world.unit_index["britain_suffolk_marines"])
    driver.key(pygame.K_h)
    end_turn(driver)

    # Both people's orders went into the same week.
    assert session.state.turn == 1
    assert session.game.log[0]["legion"] == [f"entrain {ECHELON}"]
    assert session.game.log[0]["allies"] == ["hold britain_suffolk_marines"]
    assert session.state.entrained[echelon]
    handover = top(driver)
    assert isinstance(handover, HandoverScreen) and handover.faction == "legion"
    assert session.player == "legion"


def test_the_war_ends_with_the_points_by_objective_and_the_cities_changing_hands(
    driver: Driver, tmp_path: Path
) -> None:
    summer = default_scenario().with_name("summer-1918.yaml")
    title = top(driver)
    assert isinstance(title, TitleScreen)
    driver.press(title.buttons[str(summer)])
    session = start(driver, "legion")
    assert session.world.scenario.meta.id == "summer_1918"
    read_news(driver)
    while session.state.turn < session.world.turns - 1:
        session.end_turn()
    end_turn(driver)
    assert session.over
    victory = top(driver)
    assert isinstance(victory, VictoryScreen)
    result = session.result()
    world = session.world
    assert victory.headline().startswith(("You won by", "You lost by", "The war ends in a draw"))
    text = victory.text.html_text
    for o in world.objectives:
        assert f"{o.name} ({world.faction_names[o.faction]}): {result.objectives[o.id]:.1f}" in text
    # The chart's numbers: how many key cities each faction held, from the turn-by-turn record.
    key = session.key_stations()
    assert victory.counts.shape == (world.turns + 1, world.n_factions)
    for t in (0, world.turns // 2, world.turns):
        held = session.control[t][key]
        assert victory.counts[t].tolist() == [int((held == f).sum()) for f in range(world.n_factions)]
    shot = tmp_path / "victory.png"
    driver.screenshot(str(shot))
    image = pygame.image.load(str(shot))
    reds = palette.hex_color(world.faction_colors[world.faction_index["reds"]])
    w = driver.app.size[0]
    chart = pygame.surfarray.array3d(image.subsurface(pygame.Rect(w // 2, 110, w // 2 - 30, 500)))
    assert np.all(chart == reds, axis=2).sum() > 200  # the Bolsheviks' line
    # The autosave of the last turn is on disk.
    number = session.turn_number
    assert (driver.app.saves / f"autosave-summer_1918-{session.game_id}-turn{number:03d}.json").is_file()


def test_closing_the_window_autosaves_and_a_new_window_size_lays_the_map_out_again(driver: Driver) -> None:
    session = start(driver, "legion")
    read_news(driver)
    play = play_screen(driver)
    session.give(Move(ECHELON, "miass"))
    end_turn(driver)
    read_news(driver)
    driver.app.apply(Settings((1280, 720)))
    driver.frames(2)
    assert driver.app.size == (1280, 720)
    assert play.panel.rect.right == 1280 and play.buttons["end_turn"].rect.right <= 1280
    assert play.view.camera.area[2] == 1280 - play.panel.rect.width
    for autosave in driver.app.saves.glob("autosave-*.json"):
        autosave.unlink()  # the one written at the end of the turn: closing must write its own
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    driver.frames(1)
    assert not driver.app.running
    autosave = driver.app.saves / f"autosave-revolt_1918-{session.game_id}-turn002.json"  # the top bar's turn 2
    assert read_save(autosave).orders == session.game.log
