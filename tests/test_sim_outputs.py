"""What a batch tells a designer beyond the win rates: who held every station week by week, how often each event
fired and each option was taken (and how those games went), the curves over time, points by objective and men
lost by contingent; all in summary.json and timeline.json, in a documented, versioned shape."""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from anabasis.cli.main import app
from anabasis.engine import World
from anabasis.engine.state import ACTIVE, GameState
from anabasis.sim.game import Matchup, simulate
from anabasis.sim.losses import ContingentLosses, loss_buckets
from anabasis.sim.seeds import game_seed

WorldOf = Callable[..., World]
MINI = Path(__file__).resolve().parent / "fixtures" / "mini.yaml"
FACTIONS = ("legion", "allies", "whites", "reds")
RANDOM_LEGION = ("--agent", "legion=random")  # it answers the Disarm! decision either way
GAMES, TURNS, SEED = 16, 10, 7


def batch(out: Path, *args: str) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """Play a small batch of the mini scenario into `out`: its summary, timeline and rows."""
    common = ["--games", str(GAMES), "--turns", str(TURNS), "--seed", str(SEED), "--workers", "1", "--json"]
    result = CliRunner().invoke(app, ["sim", str(MINI), "--out", str(out), *common, *args])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (out / "games.jsonl").read_text().splitlines()]
    return json.loads(result.stdout), json.loads((out / "timeline.json").read_text()), rows


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    return batch(tmp_path_factory.mktemp("batch") / "s", *RANDOM_LEGION)


def test_summary_and_timeline_say_their_format_and_version(played: Any) -> None:
    summary, timeline, _ = played
    assert (summary["format"], summary["version"]) == ("anabasis-summary", 1)
    assert (timeline["format"], timeline["version"]) == ("anabasis-timeline", 1)
    assert list(summary)[:2] == ["format", "version"]


def test_every_station_has_a_holder_in_every_game_every_week(played: Any, mini_world: WorldOf) -> None:
    _, timeline, _ = played
    world = mini_world()
    holders = timeline["station_holders"]
    assert holders["stations"] == world.station_ids
    counts = np.array([*holders["factions"].values(), holders["nobody"]])  # holder x week x station
    assert counts.shape == (len(FACTIONS) + 1, TURNS, world.n_stations)
    assert (counts.sum(axis=0) == GAMES).all()
    expected = np.zeros_like(counts)
    matchup = Matchup.of(world, {"legion": "random"})
    for i in range(GAMES):
        holder = simulate(world, i, game_seed(SEED, i), matchup, TURNS).timeline.holder
        for f in range(len(FACTIONS)):
            expected[f] += holder == f
        expected[-1] += holder < 0
    assert (counts == expected).all()
    # The key cities' shares by side are the same counts, summed over each side's factions.
    cities = [world.station_index[c] for c in timeline["cities"]]
    intervention = counts[:3][:, :, cities].sum(axis=0) / GAMES
    assert np.allclose(timeline["held_by_side"]["intervention"], intervention, atol=1e-4)


def test_an_event_that_always_fires_has_share_one_and_one_that_cannot_has_none(played: Any) -> None:
    summary, _, rows = played
    events = summary["events"]
    assert events["demand"] | {"games": GAMES, "rate": 1.0, "high": 1.0, "median": "1918-05-20"} == events["demand"]
    assert all(row["fired.demand"] == 1 for row in rows)  # the week of 25 May 1918 opens turn 1
    # The Americans go home on 11 November 1918, long after the batch's ten weeks.
    assert events["canadians_home"] | {"games": 0, "rate": 0.0, "low": 0.0, "median": None} == events["canadians_home"]
    assert all(row["fired.canadians_home"] is None for row in rows)
    fired = [row["fired.omsk_rising"] for row in rows if row["fired.omsk_rising"] is not None]
    assert events["omsk_rising"]["games"] == len(fired)
    assert events["omsk_rising"]["low"] <= events["omsk_rising"]["rate"] <= events["omsk_rising"]["high"]


def test_a_decisions_games_split_by_the_option_taken(played: Any) -> None:
    summary, _, rows = played
    demand = summary["decisions"]["demand"]
    assert (demand["faction"], demand["default"]) == ("legion", "fight")
    branches = {**demand["options"], None: demand["undecided"]}
    assert sum(b["games"] for b in branches.values()) == GAMES
    assert all(b["games"] > 0 for b in demand["options"].values()), "a random Legion takes both options"
    for option, branch in branches.items():
        taken = [row for row in rows if row["chosen.demand"] == option]
        assert branch["games"] == len(taken)
        assert branch["rate"] == round(len(taken) / GAMES, 4)
        if not taken:
            continue
        for side in ("intervention", "reds"):
            won = sum(row["winner"] == side for row in taken)
            assert branch["wins"][side]["games"] == won
            points = branch["points"][side]
            assert points["mean"] == pytest.approx(statistics.mean(r[f"side_points.{side}"] for r in taken), abs=0.01)
            assert points["low"] <= points["mean"] <= points["high"]
        dates = [row["date.changes_hands.syzran"] for row in taken if row["date.changes_hands.syzran"]]
        syzran = branch["key_dates"]["changes_hands.syzran"]
        assert syzran["median"] == (statistics.median_low(dates) if dates else None)
        assert syzran["games"] == len(dates)


def test_the_curves_band_holds_the_median_and_ends_where_the_games_did(played: Any) -> None:
    summary, timeline, rows = played
    curves = timeline["curves"]
    assert set(curves) == {"side_points", "strength", "casualties", "evacuated"}
    assert set(curves["side_points"]) == {"intervention", "reds"}
    for curve in ("strength", "casualties", "evacuated"):
        assert set(curves[curve]) == set(FACTIONS)
    for by in curves.values():
        for entry in by.values():
            assert all(len(entry[k]) == TURNS for k in ("mean", "p5", "p50", "p95"))
            band = zip(entry["p5"], entry["p50"], entry["p95"], strict=True)
            assert all(low <= mid <= high for low, mid, high in band)
    # The last week is the end of every game (--turns): its curves are the rows' totals.
    for side in ("intervention", "reds"):
        points = [row[f"side_points.{side}"] for row in rows]
        assert curves["side_points"][side]["mean"][-1] == pytest.approx(statistics.mean(points), abs=0.01)
        assert curves["side_points"][side]["p50"][-1] == pytest.approx(statistics.median_low(points), rel=0.008)
    for f in FACTIONS:
        evacuated = [row[f"evacuated.{f}"] for row in rows]
        assert curves["evacuated"][f]["mean"][-1] == summary["evacuated"][f]["mean"]
        assert curves["evacuated"][f]["p5"][-1] == pytest.approx(min(evacuated), rel=0.008)
        assert curves["evacuated"][f]["p95"][-1] == pytest.approx(max(evacuated), rel=0.008)  # rank ceil(15.2) of 16
        strength = [row[f"strength.{f}"] for row in rows]
        assert curves["strength"][f]["p50"][-1] == pytest.approx(statistics.median_low(strength), rel=0.008)


def test_points_by_objective_and_men_lost_by_contingent(played: Any) -> None:
    summary, _, rows = played
    objectives = summary["objective_points"]
    assert list(objectives) == ["legion_hold", "legion_home", "allies_stores", "reds_hold", "reds_kill"]
    for objective, entry in objectives.items():
        points = [r[f"objective_points.{objective}"] for r in rows]
        assert entry["mean"] == pytest.approx(statistics.mean(points), abs=0.01)
    for row in rows:
        for side, factions in (("intervention", ("legion", "allies", "whites")), ("reds", ("reds",))):
            assert row[f"side_points.{side}"] == pytest.approx(sum(row[f"faction_points.{f}"] for f in factions))
        for f in FACTIONS:
            lost = sum(v for k, v in row.items() if k.startswith(f"contingent_casualties.{f}."))
            assert lost == row[f"casualties.{f}"]
    losses = summary["contingent_casualties"]
    assert list(losses) == ["allies.japan", "allies.usa", "legion.(none)", "whites.(none)", "reds.(none)"]
    usa = losses["allies.usa"]
    assert usa | {"faction": "allies", "contingent": "usa", "name": "Americans"} == usa
    assert losses["reds.(none)"]["contingent"] is None
    assert losses["legion.(none)"]["mean"] == summary["casualties"]["legion"]["mean"]


def test_the_table_shows_events_decisions_objectives_and_contingents(tmp_path: Path) -> None:
    args = ["sim", str(MINI), "--out", str(tmp_path / "s"), "--games", "8", "--turns", "4", "--workers", "1"]
    table = CliRunner().invoke(app, [*args, *RANDOM_LEGION]).stdout
    for text in ("Victory points by objective", "Hold the Volga", "Men lost by contingent", "Americans"):
        assert text in table
    assert "1 of 3 events fired in every game; never fired: omsk_rising, canadians_home" in table
    for text in ("Decisions: the option taken", "Disarm!", "Fight", "(default)", "taken in"):
        assert text in table


def test_the_plots_include_the_station_heat_map_and_the_curves(tmp_path: Path) -> None:
    batch(tmp_path / "s")
    for name in ("holders.png", "curves.png"):
        assert (tmp_path / "s" / name).stat().st_size > 10_000


def test_games_jsonl_loads_into_pandas_as_the_docs_say(tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")  # not a dependency: designers install it where they analyse
    out = tmp_path / "s"
    batch(out)
    games = pandas.read_json(out / "games.jsonl", lines=True)
    assert len(games) == GAMES
    assert {"seed", "winner", "side_points.reds", "fired.demand", "chosen.demand"} <= set(games.columns)


# --- men lost by contingent, unit by unit ---------------------------------------------------------------


def shipped_and_killed(world: World) -> tuple[GameState, GameState]:
    """A week at Vladivostok: the Americans embark and 500 of them sail, 50 of them fall; 100 Japanese fall."""
    from anabasis.engine.game import Game  # noqa: PLC0415

    before = Game(world, 1).state
    after = before.copy()
    us, jp = world.unit_index["us_27"], world.unit_index["jp_12"]
    allies = world.faction_index["allies"]
    assert after.status[us] == after.status[jp] == ACTIVE
    after.embarking[us] = True
    after.men[us] -= 550
    after.men[jp] -= 100
    after.evacuated[allies] += 500
    after.casualties[allies] += 150
    return before, after


def test_men_shipped_out_are_no_loss_and_each_contingent_keeps_its_own(mini_world: WorldOf) -> None:
    world = mini_world()
    before, after = shipped_and_killed(world)
    losses = ContingentLosses.start(before)
    losses.observe(after)
    buckets, unit_bucket = loss_buckets(world)
    lost = dict(zip((b.key for b in buckets), losses.by_bucket(unit_bucket, len(buckets)), strict=True))
    assert lost == {"allies.japan": 100, "allies.usa": 50, "legion.(none)": 0, "whites.(none)": 0, "reds.(none)": 0}


def test_a_campaign_game_splits_every_factions_losses_among_its_contingents(campaign_world: World) -> None:
    row = simulate(campaign_world, 0, game_seed(1, 0), Matchup.of(campaign_world, {})).row
    assert row["evacuated.legion"] > 0 and row["casualties.legion"] > 0  # the Legion fought, and sailed
    for f in campaign_world.faction_ids:
        assert sum(v for k, v in row.items() if k.startswith(f"contingent_casualties.{f}.")) == row[f"casualties.{f}"]


def test_the_summary_names_games_worth_watching(played: Any) -> None:
    summary, _, rows = played
    watch = {h["kind"]: h for h in summary["watch"]}
    margins = [abs(r["side_points.intervention"] - r["side_points.reds"]) for r in rows]
    assert margins[watch["closest"]["index"]] == min(margins)
    assert margins[watch["lopsided"]["index"]] == max(margins)
    assert all(0 <= h["index"] < len(rows) and h["why"] for h in summary["watch"])


def test_the_summary_says_how_many_key_dates_retrace_history_and_each_ones_spread(tmp_path: Path) -> None:
    real = "history=[{milestone: changes_hands.syzran, date: 1918-05-27, source: {doc: history, note: test}}]"
    summary, _, rows = batch(tmp_path / "h", *RANDOM_LEGION, "--set", real)
    syzran = summary["key_dates"]["changes_hands.syzran"]
    taken = sorted(r["date.changes_hands.syzran"] for r in rows if r["date.changes_hands.syzran"] is not None)
    low, high = syzran["spread"]
    assert taken[0] <= low <= syzran["median"] <= high <= taken[-1]
    close = syzran["weeks_after_history"] is not None and abs(syzran["weeks_after_history"]) <= 2
    assert summary["history"] == {
        "dates": 1,
        "within": int(close),
        "share": float(close),
        "weeks": 2,
        "evacuation_weeks": 4,
    }
