"""Screens know the app's routes, not each other: only `screens/flow.py` imports the screens, so no import circle
can grow between them (and the app, which holds the routes, is imported by a screen for its type alone)."""

from __future__ import annotations

import ast
from pathlib import Path

from anabasis_game import screens

FOLDER = Path(screens.__file__).parent
HELPERS = {"box", "panel", "text"}  # the base of the dialogs, the side panel, text to HTML: parts, not screens
SCREENS = sorted(p.stem for p in FOLDER.glob("*.py") if p.stem not in {"__init__", "flow", *HELPERS})


def imports(path: Path) -> tuple[set[str], set[str]]:
    """The anabasis_game modules a file imports when it runs, and those it imports only for type checking."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only |= {n.module or "" for n in ast.walk(node) if isinstance(n, ast.ImportFrom)}
    every = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    return {m for m in every - typing_only if m.startswith("anabasis_game")}, typing_only


def test_no_screen_imports_another_screen_or_the_app_at_run_time() -> None:
    assert {"play", "replay", "title", "dialogs", "saves", "settings", "victory", "handover"} <= set(SCREENS)
    for name in SCREENS + sorted(HELPERS):
        run_time, _ = imports(FOLDER / f"{name}.py")
        others = {m for m in run_time if m.removeprefix("anabasis_game.screens.") in [*SCREENS, "flow"]}
        assert not others, f"screens/{name}.py imports {sorted(others)}: go through app.routes instead"
        assert "anabasis_game.app" not in run_time, f"screens/{name}.py imports the app at run time"


def test_the_flow_knows_every_screen() -> None:
    run_time, _ = imports(FOLDER / "flow.py")
    assert {f"anabasis_game.screens.{name}" for name in SCREENS} <= run_time
