"""Where the game's data lives: next to the sources in a checkout, or inside the installed package."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parents[1]


def _first(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def scenarios_dir() -> Path:
    """The folder of the bundled scenarios."""
    return _first(_CHECKOUT / "scenarios", _PACKAGE / "_data" / "scenarios")


def assets_dir() -> Path:
    """The folder of maps and fonts."""
    return _first(_CHECKOUT / "assets", _PACKAGE.parent / "anabasis_game" / "_data" / "assets")


def default_scenario() -> Path:
    """The main campaign."""
    return scenarios_dir() / "revolt-1918.yaml"


def bundled_scenarios() -> list[Path]:
    """The scenario files that can be played (fragments in `common/` are not)."""
    return sorted(scenarios_dir().glob("*.yaml"))
