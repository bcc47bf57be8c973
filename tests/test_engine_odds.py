"""The attack preview explains itself: its factors, strengths and expected losses are those `fight` plays by."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from anabasis.engine import Attack, GameState, Odds, World, initial_state, preview_combat, step

WorldOf = Callable[..., World]

AT_OMSK = ("units[cz_chel].entrained=true", "rules.train_km_per_day=250")


def odds(state: GameState, attackers: list[str], station: str) -> Odds:
    w = state.world
    return preview_combat(state, [w.unit_index[u] for u in attackers], w.station_index[station])


def factors(shown: Odds, side: str) -> dict[str, float]:
    return {f.name: f.effect for f in (shown.attack_factors if side == "attack" else shown.defence_factors)}


@pytest.mark.parametrize("men", [2500, 5000])
def test_expected_losses_are_the_mean_of_the_battles_fought(mini_world: WorldOf, men: int) -> None:
    state, _ = initial_state(mini_world(*AT_OMSK, f"units[cz_chel].men={men}"))
    shown = odds(state, ["cz_chel"], "omsk")
    fought: dict[bool, list[tuple[int, int]]] = {True: [], False: []}
    for seed in range(300):
        _, report = step(state, {"legion": [Attack("cz_chel", "omsk")]}, np.random.default_rng(seed))
        [battle] = report.battles
        assert battle.attack == round(shown.attack, 1) and battle.defence == round(shown.defence, 1)
        fought[battle.attacker_won].append((battle.attacker_losses, battle.defender_losses))
    for won, outcome in ((True, shown.if_won), (False, shown.if_lost)):
        assert len(fought[won]) > 20
        mean_a, mean_d = np.mean(fought[won], axis=0)
        assert outcome.attacker_losses == pytest.approx(mean_a, rel=0.05, abs=5)
        assert outcome.defender_losses == pytest.approx(mean_d, rel=0.05, abs=5)


def test_the_factors_multiply_to_the_strengths(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world(*AT_OMSK, "stations[omsk].fortification=2", "rules.winter_months=[5]"))
    later, _ = step(state, {}, np.random.default_rng(0))
    shown = odds(later, ["cz_chel"], "omsk")
    attack, defence = factors(shown, "attack"), factors(shown, "defence")
    assert attack["winter"] == later.world.rules.winter_attack
    assert defence["fortification"] == pytest.approx(1 + 2 * later.world.rules.fortification_bonus)
    assert defence["dug_in"] == pytest.approx(1 + later.world.rules.dug_in_bonus)
    # One unit a side: its men times every factor is its strength.
    assert shown.attack == pytest.approx(shown.attack_men * np.prod(list(attack.values())))
    assert shown.defence == pytest.approx(shown.defence_men * np.prod(list(defence.values())))


def test_men_caught_on_trains_show_as_a_factor(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world())
    shown = odds(state, ["red_penza"], "penza")
    assert factors(shown, "defence")["entrained"] == state.world.rules.entrained_defence


def test_a_defeat_says_who_falls_back_and_who_is_taken(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world(*AT_OMSK, "units[cz_vlad].station=baikal"))
    shown = odds(state, ["cz_chel"], "omsk")
    assert shown.if_won.taken == ("red_omsk",) and shown.if_won.retreats == ()
    assert shown.if_won.defender_losses == shown.defence_men
    # The Chelyabinsk group attacks from the next station: beaten, it stays where it is.
    assert shown.if_lost.retreats == () and shown.if_lost.taken == ()
