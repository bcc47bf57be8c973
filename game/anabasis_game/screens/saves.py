"""Saving and loading from a dialog; a damaged save shows its message here, never a crash."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pygame
import pygame_gui

from anabasis.engine.save import SaveError
from anabasis.replay import ReplayError, open_replay
from anabasis.scenario import ScenarioError
from anabasis_game.screens.box import BoxDialog, Button
from anabasis_game.screens.text import to_html
from anabasis_game.session import Session

if TYPE_CHECKING:
    from anabasis_game.app import App

_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def save_files(folder: Path) -> list[Path]:
    """The saves in `folder`, newest first."""
    try:
        return sorted(folder.glob("*.json"), key=lambda p: (-p.stat().st_mtime, p.name))
    except OSError:
        return []


def describe_save(path: Path) -> str:
    """One line for the list: name, and when it was saved (the file says more once it is read)."""
    try:
        when = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%d %b %Y %H:%M")
    except OSError:
        when = "?"
    return f"{path.stem}  ({when})"


def file_name(text: str) -> str:
    """What the player typed as a safe file name ending in .json."""
    stem = _SAFE.sub("-", text.strip()).strip("-.") or "game"
    return stem.removesuffix(".json") + ".json"


class SaveDialog(BoxDialog):
    """Name the save (or pick one to overwrite) and write it atomically; `saved` is told where it went."""

    height = 520

    def __init__(self, app: App, session: Session, saved: Callable[[str], None]) -> None:
        self.session = session
        self.saved = saved
        self.files = save_files(session.saves)
        super().__init__(app)

    def title(self) -> str:
        return "Save the game"

    def body(self) -> str:
        return to_html([("dim", f"Saves go to {self.session.saves}")])

    def choices(self) -> list[Button]:
        return [("Save", self.save, "#end_turn"), ("Cancel", self.dismiss, None)]

    def suggested(self) -> str:
        """`legion-revolt_1918-turn004`: the turn numbered as the top bar and the autosaves number it."""
        s = self.session
        return f"{s.player}-{s.world.scenario.meta.id}-turn{s.turn_number:03d}"

    def layout(self) -> None:
        super().layout()
        inner = self.panel.relative_rect.width - 16
        self.text.set_dimensions((inner, 40))
        self.name = pygame_gui.elements.UITextEntryLine(
            pygame.Rect(8, 92, inner, 34), self.ui, container=self.panel, initial_text=self.suggested()
        )
        self.list = pygame_gui.elements.UISelectionList(
            pygame.Rect(8, 134, inner, self.panel.relative_rect.height - 134 - 60),
            [(describe_save(p), p.name) for p in self.files],
            self.ui,
            container=self.panel,
        )

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION and event.ui_element is self.list:
            chosen = self.list.get_single_selection(include_object_id=True)
            if chosen:
                self.name.set_text(Path(chosen[1]).stem)
        elif event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element is self.name:
            self.save()
        else:
            super().handle(event)

    def default(self) -> None:
        self.dismiss()

    def save(self) -> None:
        path = self.session.saves / file_name(self.name.get_text())
        try:
            self.session.save(path)
        except OSError as error:
            self.text.set_text(to_html([("bad", f"Could not save to {path}: {error.strerror or error}")]))
            return
        self.dismiss()
        self.saved(f"Saved to {path}")


class LoadDialog(BoxDialog):
    """Pick a save to go on with, or to watch again week by week; if it cannot be read, say why and stay open."""

    height = 560

    def __init__(self, app: App) -> None:
        self.files = save_files(app.saves)
        super().__init__(app)

    def title(self) -> str:
        return "Load a game"

    def body(self) -> str:
        if not self.files:
            return to_html([("dim", f"There are no saves in {self.app.saves} yet.")])
        return to_html([("dim", f"Saves in {self.app.saves}, newest first")])

    def choices(self) -> list[Button]:
        return [
            ("Load", self.load_selected, "#end_turn"),
            ("Replay", self.replay_selected, None),
            ("Cancel", self.dismiss, None),
        ]

    def default(self) -> None:
        self.dismiss()

    def layout(self) -> None:
        super().layout()
        inner = self.panel.relative_rect.width - 16
        self.text.set_dimensions((inner, 74))
        self.list = pygame_gui.elements.UISelectionList(
            pygame.Rect(8, 124, inner, self.panel.relative_rect.height - 124 - 60),
            [(describe_save(p), p.name) for p in self.files],
            self.ui,
            container=self.panel,
        )

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame_gui.UI_SELECTION_LIST_DOUBLE_CLICKED_SELECTION and event.ui_element is self.list:
            self.load_selected()
        else:
            super().handle(event)

    def selected(self) -> Path | None:
        """The save chosen in the list, or None (and a word to choose one)."""
        chosen = self.list.get_single_selection(include_object_id=True)
        if not chosen:
            self.text.set_text(to_html([("warn", "Choose a save from the list first.")]))
            return None
        return self.app.saves / chosen[1]

    def load_selected(self) -> None:
        path = self.selected()
        if path is not None:
            self.load(path)

    def replay_selected(self) -> None:
        """Watch the chosen game again from its first week, or show why it cannot be replayed."""
        path = self.selected()
        if path is None:
            return
        try:
            replay = open_replay(path)
        except ReplayError as error:
            self.text.set_text(to_html([("bad", f"This save cannot be replayed: {error}")]))
            return
        except ScenarioError as error:
            problems = "; ".join(str(p) for p in error.problems[:3])
            self.text.set_text(to_html([("bad", f"The save's scenario has problems: {problems}")]))
            return
        self.app.routes.replay(replay)

    def load(self, path: Path) -> None:
        """Open the save at `path` as the game in the window, or show what is wrong with it."""
        try:
            session = Session.load(path, self.app.saves)
        except SaveError as error:
            self.text.set_text(to_html([("bad", f"This save cannot be loaded: {error}")]))
            return
        except ScenarioError as error:
            problems = "; ".join(str(p) for p in error.problems[:3])
            self.text.set_text(to_html([("bad", f"The save's scenario has problems: {problems}")]))
            return
        except (OSError, json.JSONDecodeError) as error:
            self.text.set_text(to_html([("bad", f"This save cannot be read: {error}")]))
            return
        self.app.routes.start_game(session)
