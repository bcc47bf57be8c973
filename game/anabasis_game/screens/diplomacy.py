"""The diplomacy panel: who is at war with whom, neutral or allied, and what in the scenario will change it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from anabasis_game.relations_text import relations_lines
from anabasis_game.screens.box import BoxDialog
from anabasis_game.screens.text import to_html
from anabasis_game.session import Session

if TYPE_CHECKING:
    from anabasis_game.app import App


class DiplomacyDialog(BoxDialog):
    """Every two factions' stance now, the player's first, and the events and decisions that would change it."""

    width = 860
    height = 760

    def __init__(self, app: App, session: Session) -> None:
        self.session = session
        super().__init__(app)

    def title(self) -> str:
        return "Relations"

    def body(self) -> str:
        s = self.session
        return to_html(relations_lines(s.state, s.world.faction_index[s.player]))
