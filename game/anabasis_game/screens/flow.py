"""Every way from one screen to another, in one place: screens ask the app's routes for the next screen by
name and never import each other (the app's stack holds them; this module alone knows them all)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from anabasis.engine import GameState
from anabasis.replay import Observer, Replay
from anabasis_game.concerns import concerns
from anabasis_game.screens.box import Button
from anabasis_game.screens.briefing import BriefingDialog
from anabasis_game.screens.dialogs import (
    EventDialog,
    EventRecord,
    HelpDialog,
    MenuDialog,
    MessageDialog,
    QuestionDialog,
    ReportDialog,
)
from anabasis_game.screens.diplomacy import DiplomacyDialog
from anabasis_game.screens.handover import HandoverScreen
from anabasis_game.screens.objectives import ObjectivesDialog
from anabasis_game.screens.play import PlayScreen
from anabasis_game.screens.replay import ReplayScreen
from anabasis_game.screens.saves import LoadDialog, SaveDialog
from anabasis_game.screens.settings import SettingsDialog
from anabasis_game.screens.title import TitleScreen
from anabasis_game.screens.victory import VictoryScreen
from anabasis_game.session import Session
from anabasis_game.state import State

if TYPE_CHECKING:
    from anabasis_game.app import App


class Flow:
    """The routes between screens: the title, a game and the news around each turn, replays, dialogs."""

    def __init__(self, app: App) -> None:
        self.app = app

    def _show(self, states: list[State]) -> None:
        """Put `states` on the stack so that the first of them is seen first."""
        for state in reversed(states):
            self.app.push(state)

    # --- the title, and a game around its turns ------------------------------------------------------

    def title(self, scenario: Path | None = None) -> None:
        """Close every screen and show the title."""
        self.app.stack.reset(TitleScreen(self.app, scenario))

    def start_game(self, session: Session) -> None:
        """A new or loaded game: the map, then (after the hand-over in hot-seat) the briefing of a first turn and the
        latest news."""
        app = self.app
        app.stack.reset(PlayScreen(app, session))
        first = [HandoverScreen(app, session)] if session.hotseat else []
        self._show(first + self._briefing(session) + self._news(session, len(session.reports) - 1))
        if session.over:
            app.push(VictoryScreen(app, session))

    def hand_over(self, session: Session) -> None:
        """Hot-seat: the next person takes the seat, then reads their briefing (in the first week) and sees the
        decisions waiting for them."""
        self._show([HandoverScreen(self.app, session), *self._briefing(session), *self._decisions(session)])

    def after_turn(self, session: Session) -> None:
        """After the week is played: the end of the war, or the news for the (first) player."""
        if session.over:
            self.app.push(VictoryScreen(self.app, session))
            return
        first = [HandoverScreen(self.app, session)] if session.hotseat else []
        self._show(first + self._news(session, len(session.reports) - 1))

    def decisions(self, session: Session) -> None:
        """The decisions waiting for the player's answer, one dialog each."""
        self._show(self._decisions(session))

    def _briefing(self, session: Session) -> list[State]:
        """The player's briefing before the first turn, for those who keep the advisor's help on."""
        new = session.state.turn == 0 and len(session.reports) == 1
        return [BriefingDialog(self.app, session)] if new and self.app.settings.advisor else []

    def _decisions(self, session: Session) -> list[State]:
        return [EventDialog(self.app, session, k) for k in session.decisions()]

    def _news(self, session: Session, report_index: int) -> list[State]:
        """The dialogs for a week's report: what happened, then each event in the designers' words."""
        report = session.reports[report_index]
        shown: list[State] = []
        if report_index > 0:
            shown.append(ReportDialog(self.app, session, report, report_index))
        fired = [session.world.event_index[e] for e in report.events]
        shown += [EventDialog(self.app, session, k) for k in fired if self._pops_up(session, k)]
        # Decisions still open from earlier weeks (after loading a game, say) are put to the player too.
        shown += [EventDialog(self.app, session, k) for k in session.decisions() if k not in fired]
        return shown

    def _pops_up(self, session: Session, event: int) -> bool:
        """Every event comes up to be read, unless the settings send other sides' events to the log only: then
        only those that concern a player's side (the log has a line for every event either way)."""
        if not self.app.settings.others_in_log:
            return True
        humans = [session.world.faction_index[f] for f in session.humans]
        return any(concerns(session.state, event, f) for f in humans)

    # --- replays and the observer ---------------------------------------------------------------------

    def replay(self, replay: Replay) -> None:
        """Close every screen and show a recorded game from its first week."""
        self.app.stack.reset(ReplayScreen(self.app, replay))

    def watch(self, observer: Observer) -> None:
        """Close every screen and show the AI playing against itself."""
        self.app.stack.reset(ReplayScreen(self.app, observer.replay, observer))

    def take_command(self, replay: Replay, week: int, faction: str) -> None:
        """A player takes over `faction` at the start of `week` and plays on from there."""
        self.start_game(Session.taking_over(replay, week, faction, self.app.saves))

    def event_record(self, state: GameState, event: int) -> None:
        """An event of a replayed week, to read."""
        self.app.push(EventRecord(self.app, state, event))

    # --- dialogs over any screen -----------------------------------------------------------------------

    def save_game(self, session: Session, saved: Callable[[str], None]) -> None:
        self.app.push(SaveDialog(self.app, session, saved))

    def load_game(self) -> None:
        self.app.push(LoadDialog(self.app))

    def settings(self) -> None:
        self.app.push(SettingsDialog(self.app))

    def help(self) -> None:
        self.app.push(HelpDialog(self.app))

    def objectives(self, session: Session) -> None:
        self.app.push(ObjectivesDialog(self.app, session))

    def briefing(self, session: Session) -> None:
        self.app.push(BriefingDialog(self.app, session))

    def diplomacy(self, session: Session) -> None:
        self.app.push(DiplomacyDialog(self.app, session))

    def menu(self, session: Session, closing: Callable[[], None], say: Callable[[str], None]) -> None:
        self.app.push(MenuDialog(self.app, session, closing, say))

    def message(self, heading: str, text: str) -> None:
        self.app.push(MessageDialog(self.app, heading, text))

    def ask(self, heading: str, question: str, answers: list[Button]) -> None:
        self.app.push(QuestionDialog(self.app, heading, question, answers))
