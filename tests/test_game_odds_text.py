"""The attack preview in words: each factor with its effect, and the likely losses if it succeeds or fails."""

from __future__ import annotations

from collections.abc import Callable

from anabasis.engine import World, initial_state, preview_combat
from anabasis_game.odds_text import odds_lines

WorldOf = Callable[..., World]


def test_the_preview_names_the_factors_and_the_cost_of_failure(mini_world: WorldOf) -> None:
    w = mini_world("units[cz_vlad].station=baikal", "stations[omsk].fortification=2", "units[cz_chel].arms=0.5")
    state, _ = initial_state(w)
    odds = preview_combat(state, [w.unit_index["cz_chel"]], w.station_index["omsk"])
    text = [line for _, line in odds_lines(w, w.station_index["omsk"], odds, ["Chelyabinsk group"])]
    assert "  Armed share: -50% strength" in text
    assert "  Fortification: +60% strength" in text
    assert "  Omsk garrison has no way back and is taken" in text
    lost = f"about {odds.if_lost.attacker_losses:,} of yours fall, and {odds.if_lost.defender_losses:,} of theirs"
    assert f"If it fails: {lost}" in text
