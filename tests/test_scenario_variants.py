"""The shipped variants of the campaign: each validates, plays, and changes what its header says it changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from anabasis.cli.main import app
from anabasis.engine import compile_world
from anabasis.engine.game import Game
from anabasis.engine.state import ACTIVE
from anabasis.scenario import Scenario, load_scenario
from anabasis.scenario.models import Reinforce, Withdraw
from anabasis.sim.game import Matchup, play

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = sorted((ROOT / "scenarios" / "variants").glob("*.yaml"))
CAMPAIGN = load_scenario(ROOT / "scenarios" / "revolt-1918.yaml")


def variant(name: str) -> Scenario:
    return load_scenario(ROOT / "scenarios" / "variants" / name)


def test_there_are_variants_and_each_says_what_it_changes() -> None:
    assert len(VARIANTS) >= 3
    for path in VARIANTS:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../schema/scenario.schema.json\n#\n# What if")
        assert "include:\n  - ../revolt-1918.yaml\n" in text
        assert "patch:\n" in text


@pytest.mark.parametrize("path", VARIANTS, ids=lambda p: p.stem)
def test_each_variant_validates_and_plays(path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0
    result = runner.invoke(app, ["run", str(path), "--seed", "3", "--turns", "8", "--log", str(tmp_path / "g.jsonl")])
    assert result.exit_code == 0, result.output
    assert len((tmp_path / "g.jsonl").read_text(encoding="utf-8").splitlines()) == 9


def test_the_legion_disarms() -> None:
    s = variant("legion-disarms-1918.yaml")
    legion = next(d for d in s.doctrines if d.faction == "legion")
    assert next(a.choose for a in legion.answers if a.decision == "disarm_demand") == "disarm"
    world = compile_world(s)
    game = Game(world, 1)
    for _ in play(game, Matchup.of(world, {}), 3):
        pass
    k = world.event_index["disarm_demand"]
    assert game.state.chosen[k] == [o[0] for o in world.events[k].options].index("disarm")
    legion_units = world.unit_faction == world.faction_index["legion"]
    assert set(game.state.arms[legion_units].tolist()) == {0.1}
    assert game.state.stance[world.faction_index["legion"], world.faction_index["reds"]] != 2


def test_the_japanese_come_at_full_strength_with_no_baikal_limit() -> None:
    s = variant("japan-full-force-1918.yaml")
    japan = next(c for f in s.factions for c in f.contingents if c.id == "japan")
    assert japan.limits.region is None
    world = compile_world(s)
    state = Game(world, 1).state
    japanese = world.unit_contingent == world.contingent_index[("allies", "japan")]
    assert int(state.men[japanese & (state.status == ACTIVE)].sum()) == 70_000
    campaign_japanese = sum(u.men for u in CAMPAIGN.units if u.contingent == "japan")
    assert campaign_japanese == 70_000  # the same men, only sooner


SIBERIAN = {"japan", "usa", "britain", "canada", "italy", "china"}


def test_no_allied_soldier_goes_to_siberia_and_no_event_waits_for_one() -> None:
    s = variant("no-allies-in-siberia-1918.yaml")
    allied = [u for u in s.units if u.faction == "allies"]
    assert allied
    assert not [u.id for u in allied if u.contingent in SIBERIAN]
    assert {u.station for u in allied} <= {"murmansk", "arkhangelsk"}
    named = {
        name
        for e in s.events
        for effect in [*e.effects, *(x for o in (e.decision.options if e.decision else []) for x in o.effects)]
        if isinstance(effect, Reinforce | Withdraw)
        for name in effect.units
    }
    assert named <= {u.id for u in s.units}
    assert "allied_landings_vladivostok" not in {e.id for e in s.events}
    assert len(s.units) == len(CAMPAIGN.units) - 25  # with the 2 the call for American troops could land elsewhere
