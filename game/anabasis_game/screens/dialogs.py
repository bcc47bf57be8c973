"""Boxes over the map: events and decisions, the week's report, the menu, the help, messages."""

from __future__ import annotations

import html
from collections.abc import Callable
from importlib import resources
from typing import TYPE_CHECKING

import pygame
import pygame_gui

from anabasis.engine import Answer, GameState, Report
from anabasis.scenario.models import SetStance
from anabasis_game import describe
from anabasis_game.effects_text import effects_text
from anabasis_game.screens.box import BoxDialog, Button
from anabasis_game.screens.text import markdown_html, to_html
from anabasis_game.session import Session

if TYPE_CHECKING:
    from anabasis_game.app import App


class EventDialog(BoxDialog):
    """An event as the designers wrote it; for a decision of the player's, its options as buttons."""

    def __init__(self, app: App, session: Session, event: int) -> None:
        self.session = session
        self.event = event
        self.chimed = False  # the telegraph sounds once, when the event first comes up to be read
        super().__init__(app)

    def update(self, dt: float) -> None:
        if not self.chimed:
            self.chimed = True
            self.app.audio.effect("event")
        super().update(dt)

    @property
    def deciding(self) -> bool:
        return self.event in self.session.decisions()

    def box_height(self) -> int:
        """Tall enough for the designers' text (about 90 characters a line) and the options."""
        e = self.session.world.events[self.event]
        words = len(e.text) + (len(e.prompt) + 200 if e.options else 0)
        rows = len(self._rows(self.choices(), self.width - 16))
        consequences = sum(len(effects) + 1 for _, _, effects in e.options) if self.deciding else 0
        return 150 + 22 * (words // 85 + 1 + consequences + len(self.stances())) + 38 * rows

    def title(self) -> str:
        return self.session.world.events[self.event].name

    def body(self) -> str:
        s = self.session
        e = s.world.events[self.event]
        lines: list[describe.Line] = [("dim", describe.day(s.state.date)), ("text", e.text), *self.stances()]
        if e.options and self.deciding:
            weeks = int(s.state.deadline[self.event]) - s.state.turn
            unanswered = e.options[e.default_option][1]
            lines += [("text", ""), ("head", e.prompt)]
            time = f"{weeks} week{'s' if weeks != 1 else ''}"
            lines.append(("dim", f"You have {time} to answer; unanswered, it will be “{unanswered}”."))
            for _, label, _ in e.options:
                lines += [("good", label), *(("dim", f"  • {line}") for line in self.consequences(label))]
            chosen = s.answer_of(e.id)
            if chosen is not None:
                lines.append(("good", f"Your answer this week: {describe.order_text(s.world, chosen)}"))
        elif e.options:
            who = describe.the(s.world.faction_names[e.decision_faction])
            lines += [("text", ""), ("dim", f"{describe.capital(who)} must decide: {e.prompt}")]
        return to_html(lines)

    def stances(self) -> list[describe.Line]:
        """Who is now at war (or at peace) because of the event, in the words of the week's report."""
        w = self.session.world
        return [
            describe.stance_line(w, *x.factions, x.stance)
            for x in w.events[self.event].effects
            if isinstance(x, SetStance)
        ]

    def choices(self) -> list[Button]:
        e = self.session.world.events[self.event]
        if not (e.options and self.deciding):
            return [("Continue", self.dismiss, None)]
        options: list[Button] = [(label, self._answer(oid), "#option") for oid, label, _ in e.options]
        return [*options, ("Decide later", self.dismiss, None)]

    def consequences(self, label: str) -> list[str]:
        """What taking the option labelled `label` does, from the scenario's effects."""
        w = self.session.world
        return next(effects_text(w, effects) for _, text, effects in w.events[self.event].options if text == label)

    def layout(self) -> None:
        """The options' buttons tell their consequences on hover too."""
        super().layout()
        if self.deciding:
            for _, label, _ in self.session.world.events[self.event].options:
                words = (html.escape(line, quote=False) for line in self.consequences(label))
                self.buttons[label].set_tooltip("<br>".join(words))

    def default(self) -> None:
        self.dismiss()

    def _answer(self, option: str) -> Callable[[], None]:
        def answer() -> None:
            self.session.give(Answer(self.session.world.events[self.event].id, option))
            self.dismiss()

        return answer


class EventRecord(BoxDialog):
    """An event as it fired in a replayed game: the designers' words, and the answer given when it asked one."""

    def __init__(self, app: App, state: GameState, event: int) -> None:
        self.state = state
        self.event = event
        super().__init__(app)

    def box_height(self) -> int:
        e = self.state.world.events[self.event]
        return 190 + 22 * ((len(e.text) + len(e.prompt)) // 85 + 1)

    def title(self) -> str:
        return self.state.world.events[self.event].name

    def body(self) -> str:
        w, state = self.state.world, self.state
        e = w.events[self.event]
        lines: list[describe.Line] = [("dim", describe.day(state.date)), ("text", e.text)]
        if e.options:
            who = describe.capital(describe.the(w.faction_names[e.decision_faction]))
            lines += [("text", ""), ("head", f"{who} had to decide: {e.prompt}")]
            taken = int(state.chosen[self.event])
            if taken >= 0:
                lines.append(("good", f"Chosen: {e.options[taken][1]}"))
            else:
                lines.append(("dim", "Not decided yet that week"))
        return to_html(lines)

    def choices(self) -> list[Button]:
        return [("Continue", self.dismiss, None)]


class ReportDialog(BoxDialog):
    """What happened in the week just played, for the player now at the map."""

    width = 760
    height = 600

    def __init__(self, app: App, session: Session, report: Report, index: int) -> None:
        self.session = session
        self.report = report
        self.index = index
        super().__init__(app)

    def title(self) -> str:
        return "What happened"

    def body(self) -> str:
        s = self.session
        k = self.index
        before = s.control[k - 1] if k > 0 else s.control[0]
        return to_html(describe.report_lines(s.world, self.report, s.player, before, s.control[k], opening=k == 0))

    def choices(self) -> list[Button]:
        return [("Continue", self.dismiss, None)]


class MessageDialog(BoxDialog):
    """A message, such as why a save could not be read."""

    height = 300

    def __init__(self, app: App, heading: str, message: str) -> None:
        self.heading, self.message = heading, message
        super().__init__(app)

    def title(self) -> str:
        return self.heading

    def body(self) -> str:
        return to_html([("text", self.message)])


class QuestionDialog(BoxDialog):
    """A question with its answers as buttons: Enter takes the first, Esc the last (the one that does nothing)."""

    height = 240

    def __init__(self, app: App, heading: str, question: str, answers: list[Button]) -> None:
        self.heading, self.question, self.answers = heading, question, answers
        super().__init__(app)

    def title(self) -> str:
        return self.heading

    def body(self) -> str:
        return to_html([("text", self.question)])

    def choices(self) -> list[Button]:
        return [(label, self._then(command), style) for label, command, style in self.answers]

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.choices()[-1][1]()
        else:
            super().handle(event)

    def _then(self, command: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            self.dismiss()
            command()

        return run


def help_text() -> str:
    """The help shown in the window; docs/how-to-play.md holds the same text."""
    return resources.files("anabasis_game").joinpath("help.md").read_text(encoding="utf-8")


class HelpDialog(BoxDialog):
    """How to play, and the keys."""

    width = 860
    height = 800

    def title(self) -> str:
        return "How to play"

    def body(self) -> str:
        return markdown_html(help_text())


class MenuDialog(BoxDialog):
    """Esc: save, load, settings, help, or leave (the game is autosaved first, by `closing`)."""

    width = 360
    height = 420

    def __init__(self, app: App, session: Session, closing: Callable[[], None], say: Callable[[str], None]) -> None:
        self.session = session
        self.before_leaving = closing
        self.say = say
        super().__init__(app)

    def title(self) -> str:
        return "Menu"

    def body(self) -> str:
        s = self.session
        return to_html([("dim", f"{s.world.scenario.meta.title}"), ("dim", f"Saves go to {s.saves}")])

    def choices(self) -> list[Button]:
        routes = self.app.routes
        return [
            ("Resume", self.dismiss, None),
            ("Save", self._then(lambda: routes.save_game(self.session, self.say)), None),
            ("Load", self._then(routes.load_game), None),
            ("Settings", self._then(routes.settings), None),
            ("Help", self._then(routes.help), None),
            ("Title screen", self._title, None),
            ("Quit", self.app.quit, "#danger"),
        ]

    def layout(self) -> None:
        """One button a row: a menu reads top to bottom."""
        w, h = self.app.size
        width, height = self.width, 60 + 40 * len(self.choices())
        self.panel = pygame_gui.elements.UIPanel(
            pygame.Rect((w - width) // 2, (h - height) // 2, width, height), 1, self.ui
        )
        pygame_gui.elements.UILabel(
            pygame.Rect(8, 8, width - 16, 30), self.title(), self.ui, container=self.panel, object_id="#heading"
        )
        for k, (label, command, object_id) in enumerate(self.choices()):
            self.buttons[label] = pygame_gui.elements.UIButton(
                pygame.Rect(20, 48 + 40 * k, width - 40, 32),
                label,
                self.ui,
                container=self.panel,
                object_id=object_id,
                command=self.later(command),
            )

    def _then(self, action: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            self.dismiss()
            action()

        return run

    def _title(self) -> None:
        self.before_leaving()
        self.app.routes.title()
