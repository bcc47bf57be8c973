"""Details a player found wrong (issue 13): the turn in save names and each game's own autosaves, the panel's
buttons following the selection, last week's battles and events, station tooltips that name every faction,
`were` after a plural unit's name, and no date on the victory screen after the last week played."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pygame
import pygame_gui
from test_game_play import ECHELON, driver, end_turn, pick, play_screen, read_news, select, start, top

from anabasis.engine import Answer, Attack, GameState, World, compile_world
from anabasis.engine.game import Game
from anabasis.engine.report import Battle
from anabasis.engine.save import read_save
from anabasis.scenario import load_scenario
from anabasis_game.chart import week_ticks
from anabasis_game.describe import TIP_UNITS, battle_line, report_lines, station_tip, was
from anabasis_game.driver import Driver
from anabasis_game.reach import reach_of
from anabasis_game.screens.dialogs import MenuDialog
from anabasis_game.screens.play import PlayScreen
from anabasis_game.screens.saves import LoadDialog, SaveDialog
from anabasis_game.screens.title import TitleScreen
from anabasis_game.session import AUTOSAVES_KEPT, Opening, Session

__all__ = ["driver"]  # the window fixture, shared with test_game_play

MINI = Path(__file__).resolve().parent / "fixtures" / "mini.yaml"


def back_to_the_map(driver: Driver) -> PlayScreen:
    """Read the week's news and put any decision aside, to the map."""
    read_news(driver)
    while not isinstance(top(driver), PlayScreen):
        driver.key(pygame.K_ESCAPE)
    return play_screen(driver)


def leave_for_the_title(driver: Driver) -> None:
    """Esc, then Title screen in the menu: the game is autosaved on the way out."""
    driver.key(pygame.K_ESCAPE)
    menu = top(driver)
    assert isinstance(menu, MenuDialog)
    driver.press(menu.buttons["Title screen"], frames=4)


def test_save_names_carry_the_top_bars_turn_and_quitting_keeps_other_games_autosaves(driver: Driver) -> None:
    first = start(driver, "legion")
    play = back_to_the_map(driver)
    end_turn(driver)
    play = back_to_the_map(driver)
    assert " turn 2 of " in play.banner_texts()[0]
    driver.press(play.buttons["save"])
    dialog = top(driver)
    assert isinstance(dialog, SaveDialog)
    assert dialog.suggested() == "legion-revolt_1918-turn002"
    driver.press(dialog.buttons["Cancel"])
    leave_for_the_title(driver)
    saves = driver.app.saves
    kept = saves / f"autosave-revolt_1918-{first.game_id}-turn002.json"
    assert read_save(kept).orders == first.game.log
    before = kept.read_bytes()

    # Another game of the same scenario, quit on the same turn: its autosave is its own.
    second = start(driver, "legion")
    back_to_the_map(driver)
    end_turn(driver)
    back_to_the_map(driver)
    leave_for_the_title(driver)
    assert second.game_id != first.game_id
    assert read_save(saves / f"autosave-revolt_1918-{second.game_id}-turn002.json").orders == second.game.log
    assert kept.read_bytes() == before

    # An autosave of an older version (no game id, the old name) still loads, and is left alone afterwards.
    old = json.loads(before)
    del old["game"]
    older = saves / "autosave-revolt_1918-turn001.json"
    older.write_text(json.dumps(old), "utf-8")
    title = top(driver)
    assert isinstance(title, TitleScreen)
    driver.press(title.buttons["load"])
    load = top(driver)
    assert isinstance(load, LoadDialog)
    pick(driver, load, older.stem)
    driver.press(load.buttons["Load"], frames=4)
    loaded = back_to_the_map(driver).session
    assert loaded.game.log == first.game.log and loaded.game_id not in (first.game_id, second.game_id)
    leave_for_the_title(driver)
    assert older.read_text("utf-8") == json.dumps(old)
    assert (saves / f"autosave-revolt_1918-{loaded.game_id}-turn002.json").is_file()


def test_games_keep_their_own_last_autosaves_and_a_loaded_game_its_id(tmp_path: Path) -> None:
    ours, theirs = (Session.start(Opening(MINI, ("legion",), seed=1), tmp_path) for _ in range(2))
    theirs.end_turn()
    other = theirs.autosave()
    written = []
    for _ in range(AUTOSAVES_KEPT + 2):
        ours.end_turn()
        written.append(ours.autosave())
    assert other.is_file() and other.name != written[0].name  # the same seed and turn, another game
    assert sorted(tmp_path.glob(f"autosave-*-{ours.game_id}-*.json")) == sorted(written[-AUTOSAVES_KEPT:])
    again = Session.load(written[-1], tmp_path, MINI)
    assert again.game_id == ours.game_id
    # A save naming its game with anything but an id gets a new one: nothing from a file goes into a file name.
    data = json.loads(written[-1].read_text("utf-8"))
    data["game"] = "../../elsewhere"
    (tmp_path / "odd.json").write_text(json.dumps(data), "utf-8")
    odd = Session.load(tmp_path / "odd.json", tmp_path, MINI)
    assert odd.autosave().parent == tmp_path and "elsewhere" not in odd.game_id


def test_the_panels_buttons_belong_to_the_selection(driver: Driver) -> None:
    session = start(driver, "legion")
    play = back_to_the_map(driver)
    world = session.world
    echelon = world.unit_index[ECHELON]
    chelyabinsk, omsk = world.station_index["chelyabinsk"], world.station_index["omsk"]
    select(driver, echelon)
    assert "Hold (H)" in play.panel.buttons
    legion = world.faction_index["legion"]
    here = [u for u in session.state.units_at(chelyabinsk) if u != echelon and world.unit_faction[u] == legion]
    companions = [f"» {world.unit_names[u]}" for u in here]
    assert companions and all(label in play.panel.buttons for label in companions)

    def jump(station: int) -> None:
        name = world.station_names[station]
        pygame.event.post(pygame.event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED, text=name, ui_element=play.jump))
        driver.frames()

    # Jumping to Omsk with the echelon selected: the echelon stays the selection, with its own buttons.
    jump(omsk)
    assert play.selected == echelon and play.station == chelyabinsk
    assert all(label in play.panel.buttons for label in companions)
    assert not any(f"» {world.unit_names[u]}" in play.panel.buttons for u in session.state.units_at(omsk))
    # Nothing selected: a jump selects the station, which has no buttons.
    driver.key(pygame.K_ESCAPE)
    assert play.panel.buttons == {}
    jump(omsk)
    assert play.selected is None and play.station == omsk
    assert play.panel.buttons == {} and world.station_names[omsk] in play.panel.info.html_text
    # A click on a station with none of the player's units, then on nothing: never the last unit's buttons.
    select(driver, echelon)
    assert "Hold (H)" in play.panel.buttons
    driver.key(pygame.K_ESCAPE)
    driver.click(play.view.station_xy(omsk))
    assert play.station == omsk and play.panel.buttons == {}
    select(driver, echelon)
    empty = (play.view.camera.area[0] + 5, play.view.camera.area[1] + play.view.camera.area[3] - 5)
    driver.click(empty)
    assert play.selected is None and play.panel.buttons == {}


def test_last_week_shows_the_battle_fought_and_its_button_says_whether_it_is_on(driver: Driver) -> None:
    session = start(driver, "legion")
    play = back_to_the_map(driver)
    assert not play.buttons["last"].is_selected  # no week played yet
    world = session.world
    end_turn(driver)
    back_to_the_map(driver)
    session.give(Answer("disarm_demand", "fight"))
    end_turn(driver)
    play = back_to_the_map(driver)
    # At war: one of the Legion's units attacks a Red station in reach.
    legion = world.faction_index["legion"]
    state = session.state
    attacker = next(
        u
        for u in np.flatnonzero((state.status == 1) & (world.unit_faction == legion)).tolist()
        if reach_of(state, u).attack and state.station[u] >= 0
    )
    target = reach_of(state, attacker).attack[0]
    assert session.give(Attack(world.unit_ids[attacker], world.station_ids[target])) is None
    end_turn(driver)
    play = back_to_the_map(driver)
    assert " turn 4 of " in play.banner_texts()[0]
    report = session.reports[-1]
    assert report.date == world.date_of(session.state.turn - 1).isoformat()
    fought = next(b for b in report.battles if b.station == world.station_ids[target])
    battle = f"Battle at {world.station_names[target]}"

    # Shown after the turn: the button pressed, the battles on the map, and in the panel with the week's events.
    assert play.buttons["last"].is_selected
    assert play.scene().last is report and fought in report.battles
    text = play.panel.info.html_text
    assert "Last week, the week of" in text and battle in text
    assert all(world.events[world.event_index[e]].name in text for e in report.events)
    # The button hides it all, and says so; pressed again, it shows it all again.
    driver.press(play.buttons["last"])
    assert not play.buttons["last"].is_selected and play.scene().last is None
    assert battle not in play.panel.info.html_text and play.message == "Last week hidden"
    driver.key(pygame.K_l)
    assert play.buttons["last"].is_selected and play.scene().last is report
    assert battle in play.panel.info.html_text and play.message.startswith("Last week shown: ")


def at_vladivostok(world: World) -> tuple[GameState, int]:
    return Game(world, 1).state, world.station_index["vladivostok"]


def test_a_station_tooltip_names_every_faction_there_and_how_many_it_leaves_out(campaign_world: World) -> None:
    state, vladivostok = at_vladivostok(campaign_world)
    w = campaign_world
    units = state.units_at(vladivostok)
    factions = {int(w.unit_faction[u]) for u in units}
    assert len(units) > TIP_UNITS and len(factions) >= 3
    lines = station_tip(state, vladivostok, None, 1)
    for f in factions:
        group = [u for u in units if w.unit_faction[u] == f]
        assert any(line.startswith(f"{w.faction_names[f]}: {len(group)} unit") for line in lines)
    named = [u for u in units if any(line.strip().startswith(f"{w.unit_names[u]}:") for line in lines)]
    more = sum(int(line.strip()[1:].split()[0]) for line in lines if line.strip().startswith("+"))
    assert len(named) == TIP_UNITS and more == len(units) - TIP_UNITS
    # The holder's group comes first, under the station's own line.
    assert lines[1].startswith(w.faction_names[int(state.control[vladivostok])])


def test_plural_unit_names_take_were() -> None:
    plural = [
        "Penza Red Guards and internationalists",
        "Chelyabinsk group echelons at Zlatoust",
        "Kalmykov's Cossacks at Khabarovsk",
        "Latvian riflemen at Sviyazhsk",
        "9th and 10th Rifle Regiments (3rd Division)",
        "Volunteers from the 13th and 62nd Infantry",
    ]
    singular = [
        "Penza armoured train",
        "259th Battalion, Canadian Rifles",
        "Battalion of the 7th Regiment at Vladivostok",
        "West Siberian (Steppe) Corps",
        "339th Infantry Regiment (Polar Bears)",
        "Southern Group of the Eastern Front",
        "Trotsky's train",
    ]
    assert [was(name) for name in plural] == ["were"] * len(plural)
    assert [was(name) for name in singular] == ["was"] * len(singular)


def test_a_battle_says_the_red_guards_were_destroyed(campaign_world: World) -> None:
    battle = Battle(
        station="penza",
        attacker="legion",
        defender="reds",
        attackers=("legion_penza_1st_regiment",),
        defenders=("reds_penza_garrison", "reds_penza_armoured_train"),
        attack=5000,
        defence=900,
        chance=0.9,
        attacker_won=True,
        attacker_losses=120,
        defender_losses=900,
        destroyed=("reds_penza_garrison", "reds_penza_armoured_train"),
    )
    text = battle_line(campaign_world, battle)[1]
    assert "Penza Red Guards and internationalists were destroyed" in text
    assert "Penza armoured train was destroyed" in text


def test_the_weeks_news_says_the_red_garrison_left_arkhangelsk_to_the_british_without_a_fight(
    campaign_world: World,
) -> None:
    game = Game(campaign_world, 1)
    before = game.state.control
    while "arkhangelsk_landing" not in game.reports[-1].events:
        before = game.state.control
        game.play({})
    lines = report_lines(campaign_world, game.reports[-1], "allies", before, game.state.control)
    texts = [text for _, text in lines]
    garrison = campaign_world.unit_names[campaign_world.unit_index["reds_arkhangelsk_garrison"]]
    assert any(text.startswith(f"{garrison} leaves Arkhangelsk for ") and "without a fight" in text for text in texts)


def test_the_victory_charts_date_no_day_after_the_last_week_played(campaign_world: World) -> None:
    # The text says "in the week of" the last turn's date; the charts' dates stop there too.
    for turns in (1, 6, 20, campaign_world.turns):
        ticks = week_ticks(turns)
        assert ticks[0] == 0
        assert campaign_world.date_of(max(ticks)) <= campaign_world.date_of(turns - 1)


def test_the_top_bar_after_the_last_week_says_the_war_is_over(driver: Driver) -> None:
    """Not "turn 34 of 33": once the last week is played the top bar says the war is over, and after how long."""
    world = compile_world(load_scenario(MINI))
    game = Game(world, 1)
    while not game.state.ended:
        game.play({})
    session = Session(world.scenario, MINI, game, humans=["legion"], skill=2, saves=driver.app.saves)
    title = PlayScreen(driver.app, session).banner_texts()[0]
    assert title.endswith(f"the war is over after {world.turns} turns")
    assert f"of {world.turns}" not in title
