"""Who is at war with whom, what will change it, and refusals and warnings that say so in a player's words."""

from __future__ import annotations

from collections.abc import Callable

from anabasis.engine import Attack, Move, World, initial_state, why_illegal
from anabasis.engine.legal import why_no_attack
from anabasis.engine.relations import changes_between, move_warning, stance_changes
from anabasis.engine.world import WAR

WorldOf = Callable[..., World]
NEUTRAL_REDS = "relations[0]={factions: [legion, reds], stance: neutral, source: {doc: history, note: test}}"
ALLIED_REDS = "relations[0]={factions: [legion, reds], stance: allied, source: {doc: history, note: test}}"


def test_pressing_attack_at_penza_in_the_first_week_says_there_is_no_war_yet(campaign_world: World) -> None:
    state, _ = initial_state(campaign_world)
    w = campaign_world
    legion = w.faction_index["legion"]
    unit = next(u for u in state.units_at(w.station_index["penza"]) if w.unit_faction[u] == legion)
    expected = "the Czechoslovak Legion and the Bolsheviks are not at war yet: Penza cannot be attacked"
    assert why_illegal(state, "legion", Attack(w.unit_ids[unit], "penza")) == expected
    assert why_no_attack(state, "legion", w.unit_ids[unit]) == expected


def test_the_war_to_come_is_the_decision_that_declares_it(campaign_world: World) -> None:
    state, _ = initial_state(campaign_world)
    w = campaign_world
    coming = changes_between(state, w.faction_index["legion"], w.faction_index["reds"])
    assert any(c.stance == WAR and c.option >= 0 for c in coming)
    assert set(coming) <= set(stance_changes(w))


def test_neutrals_with_nothing_to_change_it_are_simply_not_at_war(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world(NEUTRAL_REDS))
    assert why_illegal(state, "legion", Attack("cz_penza", "penza")) == (
        "the Czechoslovak Legion and the Reds are not at war: Penza cannot be attacked"
    )


def test_allies_cannot_be_attacked(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world(ALLIED_REDS))
    assert why_illegal(state, "legion", Attack("cz_penza", "penza")) == (
        "the Czechoslovak Legion and the Reds are allies: Penza cannot be attacked"
    )


def test_a_move_beside_troops_one_is_not_at_war_with_says_what_will_happen(campaign_world: World) -> None:
    state, _ = initial_state(campaign_world)
    w = campaign_world
    allies = w.faction_index["allies"]
    marines = next(u for u in w.unit_ids if u.startswith("britain_north_murmansk"))
    move = Move(marines, "kem")
    assert why_illegal(state, allies, move) is None
    assert move_warning(state, allies, move) == (
        "Kem is held by the Bolsheviks; you are not at war with them yet: your troops will stand beside them and "
        "cannot attack until “The British land at Arkhangelsk” (the week of 29 July 1918); the station stays theirs"
    )


def test_the_war_the_player_declares_is_named_as_their_own_answer(campaign_world: World) -> None:
    state, _ = initial_state(campaign_world)
    w = campaign_world
    legion = w.faction_index["legion"]
    echelon = next(u for u in state.units_at(w.station_index["penza"]) if w.unit_faction[u] == legion)
    warning = move_warning(state, legion, Move(w.unit_ids[echelon], "syzran"))
    assert warning is not None
    assert warning.endswith(
        "cannot attack until you answer “Moscow demands the Legion's arms” with “Keep our rifles and fight our way "
        "east”; the station stays theirs"
    )


def test_neutrals_nothing_will_bring_to_war_are_never_to_be_attacked(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world(NEUTRAL_REDS))
    legion = state.world.faction_index["legion"]
    assert move_warning(state, legion, Move("cz_chel", "omsk")) == (
        "Omsk is held by the Reds; you are not at war with them: your troops will stand beside them and cannot "
        "attack them; the station stays theirs"
    )


def test_a_move_among_enemies_or_friends_has_no_warning(mini_world: WorldOf) -> None:
    state, _ = initial_state(mini_world())
    legion = state.world.faction_index["legion"]
    assert move_warning(state, legion, Move("cz_chel", "omsk")) is None  # the enemy's: an attack, not a move
    assert move_warning(state, legion, Move("cz_vlad", "chita")) is None  # the Whites are allies
