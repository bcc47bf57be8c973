"""The week's report says how many trains the units took on each stretch of line (the bottleneck overlay's numbers)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from anabasis.engine import Move, World, initial_state, step
from anabasis.engine.game import Game
from anabasis_game.railuse import entered, rail_tip, rail_use

WorldOf = Callable[..., World]
# A Legion echelon of 7,000 men (seven trains) at Vladivostok, on a line to Chita that takes one train a day.
FULL_LINE = (
    "units[cz_vlad].men=7000",
    "units[cz_vlad].entrained=true",
    "segments[chita-vladivostok].trains_per_day=1",
)


def test_an_echelon_takes_its_trains_on_each_stretch_it_enters(mini_world: WorldOf) -> None:
    world = mini_world(*FULL_LINE)
    state, _ = initial_state(world)
    after, report = step(state, {"legion": [Move("cz_vlad", "chita")]}, np.random.default_rng(1))
    seg = world.segment_index["chita-vladivostok"]
    assert report.rail[seg] == 7.0 and sum(report.rail) == 7.0
    use = rail_use(world, report, after)
    assert use.load[seg] == 1.0 and use.users == {seg: [world.unit_index["cz_vlad"]]}
    # The prisoner-of-war trains of the Volga take half of the Volga bridge's two trains a day.
    assert use.load[world.segment_index["syzran-samara"]] == 0.5
    tip = rail_tip(world, use, seg)
    assert "Week of 13 May 1918: 1.0 of 1 trains a day (100%)" in tip
    assert "  Czechoslovak Legion: Vladivostok group" in tip
    assert "rail" not in report.to_dict()  # the log and the golden game keep their shape


def test_trains_run_only_on_lines_the_moves_entered_and_never_beyond_what_the_prisoners_leave(
    mini_world: WorldOf, play_random: Callable[..., Game]
) -> None:
    world = mini_world()
    game = play_random(world, 31)
    free = world.seg_trains_week - world.reserved
    used_some = False
    for turn, report in enumerate(game.reports[1:]):
        rail = np.asarray(report.rail or np.zeros(len(world.seg_a)))
        assert np.all(rail >= 0) and np.all(rail <= np.maximum(free[turn], 0) + 1e-9)
        assert set(np.flatnonzero(rail > 0).tolist()) <= {seg for m in report.moves for seg in entered(world, m)}
        used_some = used_some or bool(rail.any())
    assert used_some
