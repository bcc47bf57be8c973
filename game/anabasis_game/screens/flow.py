"""The order of screens around a turn: handing over in hot-seat, the week's report, its events, the end."""

from __future__ import annotations

from anabasis_game.app import App
from anabasis_game.screens.dialogs import EventDialog, ReportDialog
from anabasis_game.screens.handover import HandoverScreen
from anabasis_game.screens.play import PlayScreen
from anabasis_game.screens.victory import VictoryScreen
from anabasis_game.session import Session
from anabasis_game.state import State


def show(app: App, states: list[State]) -> None:
    """Put `states` on the stack so that the first of them is seen first."""
    for state in reversed(states):
        app.push(state)


def news(app: App, session: Session, report_index: int) -> list[State]:
    """The dialogs for a week's report: what happened, then each event in the designers' words."""
    report = session.reports[report_index]
    shown: list[State] = []
    if report_index > 0:
        shown.append(ReportDialog(app, session, report, report_index))
    fired = [session.world.event_index[e] for e in report.events]
    shown += [EventDialog(app, session, k) for k in fired]
    # Decisions still open from earlier weeks (after loading a game, say) are put to the player too.
    shown += [EventDialog(app, session, k) for k in session.decisions() if k not in fired]
    return shown


def start_game(app: App, session: Session) -> None:
    """A new or loaded game: the map, then (after the hand-over in hot-seat) the latest news."""
    app.stack.reset(PlayScreen(app, session))
    first = [HandoverScreen(app, session)] if session.hotseat else []
    show(app, first + news(app, session, len(session.reports) - 1))
    if session.over:
        app.push(VictoryScreen(app, session))


def hand_over(app: App, session: Session) -> None:
    """Hot-seat: the next person takes the seat, then sees the decisions waiting for them."""
    show(app, [HandoverScreen(app, session)] + [EventDialog(app, session, k) for k in session.decisions()])


def after_turn(app: App, session: Session) -> None:
    """After the week is played: the end of the war, or the news for the (first) player."""
    if session.over:
        app.push(VictoryScreen(app, session))
        return
    first = [HandoverScreen(app, session)] if session.hotseat else []
    show(app, first + news(app, session, len(session.reports) - 1))
