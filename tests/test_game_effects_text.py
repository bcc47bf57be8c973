"""Each kind of effect a decision can have, as the decision dialog words it."""

from __future__ import annotations

import pytest

from anabasis.engine import World
from anabasis.scenario.models import (
    AnyEffect,
    Arms,
    Cede,
    Cohesion,
    Damage,
    Limits,
    Reinforce,
    SetControl,
    SetLimits,
    SetStance,
    Shipping,
    SupplyFactor,
    VictoryPoints,
    Withdraw,
)
from anabasis_game.effects_text import WORDING, effect_text, effects_text

CASES: list[tuple[AnyEffect, str]] = [
    (
        SetStance(kind="stance", factions=("legion", "reds"), stance="war"),
        "The Czechoslovak Legion and the Bolsheviks go to war",
    ),
    (SetControl(kind="control", station="vladivostok", faction="allies"), "Vladivostok passes to the Allies"),
    (
        Reinforce(kind="reinforce", units=["legion_armoured_trains", "legion_volga_volunteers"]),
        "Reinforcements arrive: Legion armoured trains and Volga volunteers and released prisoners",
    ),
    (
        Withdraw(kind="withdraw", faction="allies", contingent="japan"),
        "Withdrawn from the war: the Imperial Japanese Army",
    ),
    (
        SetLimits(
            kind="limits",
            faction="allies",
            contingent="britain",
            limits=Limits(no_attack=["whites"], region="east_of_baikal"),
        ),
        "The British forces in Siberia may not attack the Whites and must stay in East of Lake Baikal",
    ),
    (Shipping(kind="shipping", station="vladivostok", men_per_week=1000), "Ships at Vladivostok take 1,000 men a week"),
    (VictoryPoints(kind="points", faction="reds", points=25), "The Bolsheviks gain 25 victory points"),
    (
        Cohesion(kind="cohesion", faction="legion", delta=-0.1),
        "The will to fight of the Czechoslovak Legion falls by 10%",
    ),
    (SupplyFactor(kind="supply", faction="whites", factor=0.85), "The depots of the Whites issue 15% less from now on"),
    (Arms(kind="arms", faction="legion", arms=0.1), "The Czechoslovak Legion: 10% of the men armed from now on"),
    (
        Cede(kind="cede", faction="legion", to="reds", stations=["penza", "samara"]),
        "The Czechoslovak Legion hands Penza, Samara to the Bolsheviks",
    ),
    (Damage(kind="damage", segment=("baikal", "slyudyanka"), weeks=16), "is cut for 16 weeks"),
]


@pytest.mark.parametrize(("effect", "words"), CASES, ids=[type(e).__name__ for e, _ in CASES])
def test_each_effect_kind_in_words(campaign_world: World, effect: AnyEffect, words: str) -> None:
    assert words in effect_text(campaign_world, effect)


def test_every_kind_has_its_wording_and_every_option_of_the_campaign_reads(campaign_world: World) -> None:
    assert {type(e) for e, _ in CASES} == set(WORDING)
    for event in campaign_world.events:
        for _, _, effects in event.options:
            assert all(line and "_" not in line for line in effects_text(campaign_world, effects))
    assert effects_text(campaign_world, ()) == ["Nothing changes"]
