"""The window's game model without the window: plans of orders, turns, hot-seat seats, saves and autosaves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anabasis.engine import Answer, Entrain, Hold, Move, World
from anabasis.engine.game import Game
from anabasis.engine.save import SaveError, read_save
from anabasis_game.session import AUTOSAVES_KEPT, Opening, Session

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGN = ROOT / "scenarios" / "revolt-1918.yaml"
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"
ECHELON = "legion_chelyabinsk_3rd_regiment"


def campaign(world: World, saves: Path, humans: tuple[str, ...] = ("legion",), seed: int = 4) -> Session:
    return Session(world.scenario, CAMPAIGN, Game(world, seed), humans=humans, skill=2, saves=saves)


def test_an_order_replaces_the_units_last_one_and_undo_goes_back(campaign_world: World, tmp_path: Path) -> None:
    s = campaign(campaign_world, tmp_path)
    assert s.give(Move(ECHELON, "miass")) is None
    assert s.give(Entrain(ECHELON)) is None
    assert s.plan.listed() == [Entrain(ECHELON)]
    assert s.undo()
    assert s.plan.listed() == [Move(ECHELON, "miass")]
    assert s.cancel(ECHELON)
    assert s.plan.listed() == []
    assert s.undo() and s.order_of(ECHELON) == Move(ECHELON, "miass")


def test_a_refused_order_says_why_and_changes_nothing(campaign_world: World, tmp_path: Path) -> None:
    s = campaign(campaign_world, tmp_path, humans=("allies",))
    reason = s.give(Move("japan_vladivostok_marines", "irkutsk"))
    assert reason is not None and "East of Lake Baikal" in reason
    assert s.give(Hold(ECHELON)) is not None  # not theirs to command
    assert s.plan.listed() == []


def test_ending_the_turn_plays_the_plan_with_the_ais_orders(campaign_world: World, tmp_path: Path) -> None:
    s = campaign(campaign_world, tmp_path)
    s.give(Entrain(ECHELON))
    report = s.end_turn()
    assert s.state.turn == 1 and report.turn == 0
    assert s.game.log[0]["legion"] == [f"entrain {ECHELON}"]
    assert any(f != "legion" for f in s.game.log[0])  # the AI commanders gave orders too
    assert s.state.entrained[campaign_world.unit_index[ECHELON]]
    assert s.plan.listed() == []
    assert len(s.control) == 2 and len(s.reports) == 2


def test_a_decision_is_answered_through_the_plan(campaign_world: World, tmp_path: Path) -> None:
    s = campaign(campaign_world, tmp_path)
    s.end_turn()
    (k,) = s.decisions()
    event = campaign_world.events[k]
    options = [oid for oid, _, _ in event.options]
    assert s.give(Answer(event.id, "disarm")) is None
    assert s.answer_of(event.id) == Answer(event.id, "disarm")
    s.end_turn()
    assert s.state.chosen[k] == options.index("disarm")
    assert s.decisions() == []


def test_hotseat_passes_the_seat_then_plays_both_plans_in_one_week(campaign_world: World, tmp_path: Path) -> None:
    s = campaign(campaign_world, tmp_path, humans=("legion", "allies"))
    assert s.player == "legion" and s.hotseat
    s.give(Entrain(ECHELON))
    assert s.next_seat() and s.player == "allies"
    assert s.plan.listed() == []
    s.give(Hold("britain_suffolk_marines"))
    assert not s.next_seat()
    s.end_turn()
    assert s.game.log[0]["legion"] == [f"entrain {ECHELON}"]
    assert s.game.log[0]["allies"] == ["hold britain_suffolk_marines"]
    assert s.player == "legion"


def test_a_saved_game_loads_back_with_its_history(campaign_world: World, tmp_path: Path) -> None:
    s = campaign(campaign_world, tmp_path, humans=("legion", "allies"), seed=9)
    for _ in range(3):
        s.end_turn()
    path = tmp_path / "game.json"
    s.save(path)
    data = read_save(path)
    assert data.sides["legion"] == data.sides["allies"] == "human"
    assert data.orders == s.game.log
    loaded = Session.load(path, tmp_path)
    assert loaded.humans == ["legion", "allies"]
    assert loaded.state.snapshot() == s.state.snapshot()
    assert [c.tolist() for c in loaded.control] == [c.tolist() for c in s.control]
    assert [r.to_dict() for r in loaded.reports[1:]] == [r.to_dict() for r in s.reports[1:]]
    # And it plays on exactly as the original does.
    assert loaded.end_turn().to_dict() == s.end_turn().to_dict()


def test_an_altered_or_damaged_save_is_refused_with_a_reason(campaign_world: World, tmp_path: Path) -> None:
    s = campaign(campaign_world, tmp_path)
    s.end_turn()
    path = tmp_path / "game.json"
    s.save(path)
    data = json.loads(path.read_text("utf-8"))
    data["snapshot"]["state"]["men"][0] += 1000
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps(data), "utf-8")
    with pytest.raises(SaveError, match="altered"):
        Session.load(altered, tmp_path)
    truncated = tmp_path / "truncated.json"
    truncated.write_text(path.read_text("utf-8")[:500], "utf-8")
    with pytest.raises(SaveError, match="not valid JSON"):
        Session.load(truncated, tmp_path)
    with pytest.raises(SaveError, match="not 'mini'"):
        Session.load(path, tmp_path, MINI)


def test_autosaves_keep_only_the_last_few(tmp_path: Path) -> None:
    s = Session.start(Opening(MINI, ("legion",), seed=1), tmp_path)
    written = []
    for _ in range(AUTOSAVES_KEPT + 3):
        s.end_turn()
        written.append(s.autosave().name)
    kept = sorted(p.name for p in tmp_path.glob("autosave-*.json"))
    assert kept == sorted(written[-AUTOSAVES_KEPT:])
    assert read_save(tmp_path / written[-1]).orders == s.game.log


def test_orders_of_an_unfinished_turn_survive_a_save_and_load(campaign_world: World, tmp_path: Path) -> None:
    s = campaign(campaign_world, tmp_path)
    s.end_turn()
    assert s.give(Move(ECHELON, "miass")) is None
    path = s.autosave()
    assert read_save(path).pending == {"legion": [f"move {ECHELON} miass"]}
    again = Session.load(path, tmp_path, CAMPAIGN)
    assert again.state.turn == 1
    assert again.plan.listed() == [Move(ECHELON, "miass")]
    assert not again.undo()  # the restored plan is where the player left it, not a step to undo
