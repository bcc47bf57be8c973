"""The scenario a recorded game was played with: found where the record says, checked by id and content hash."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from anabasis.paths import bundled_scenarios
from anabasis.scenario import Scenario, ScenarioError, content_hash, load_scenario
from anabasis.sim.verify import scenario_candidates


class ReplayError(ValueError):
    """A record that cannot be replayed: damaged, foreign, or of a scenario that is not here as it was played."""


def locate(
    record: Path, recorded: str, wanted: Callable[[Scenario], bool], named: str, overrides: Sequence[str] = ()
) -> Path:
    """The scenario file a record names (from here, or beside the record), else the first bundled scenario that,
    with the record's `--set` changes, is `wanted`; ReplayError when there is none. `named` is how messages name
    the scenario."""
    for candidate in scenario_candidates(recorded, record):
        if candidate.is_file():
            return candidate
    for bundled in bundled_scenarios():
        try:
            if wanted(load_scenario(bundled, overrides)):
                return bundled
        except ScenarioError:
            continue
    raise ReplayError(
        f"{record}: its scenario {named} is not here; name the file it was played with: "
        f"anabasis play SCENARIO --replay {record}"
    )


def load_checked(record: Path, where: Path, overrides: Sequence[str], scenario_id: str | None, digest: str) -> Scenario:
    """The scenario at `where` with the record's `--set` changes, refused unless it is the one the game was played
    with (its id, when the record names it, and its content hash); ScenarioError for a scenario with problems."""
    loaded = load_scenario(where, overrides)
    if scenario_id is not None and loaded.meta.id != scenario_id:
        raise ReplayError(f"{record} is a game of scenario {scenario_id!r}, and {where} is of {loaded.meta.id!r}")
    if content_hash(loaded) != digest:
        raise ReplayError(
            f"{record}: scenario {loaded.meta.id!r} in {where} has changed since the game was played, so the game "
            "cannot be replayed exactly; name the file it was played with: anabasis play SCENARIO --replay ..."
        )
    return loaded
