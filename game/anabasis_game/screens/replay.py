"""A game week by week: a recorded game (a `run` log, a save, a batch's game) or the AI's game as it is played.

Right and Left step a week, Home and End go to the first and last, the slider at the bottom to any week; a
step forward plays the week out on the map. Space plays the weeks on by themselves (for the observer, the AI
plays them as they come). From any week a player can take command of a side and play on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIHorizontalSlider

from anabasis.engine import GameState
from anabasis.replay import Observer, Replay
from anabasis_game import describe, hud, palette
from anabasis_game.animation import WeekAnimation
from anabasis_game.mapmodel import build_model
from anabasis_game.mapview import MapView, Scene
from anabasis_game.mousemap import ZOOM_STEP, MouseMap
from anabasis_game.projection import Lambert
from anabasis_game.railuse import RailUse, rail_tip, rail_use
from anabasis_game.screens.panel import WIDTH as PANEL
from anabasis_game.screens.panel import Action, SidePanel
from anabasis_game.state import State
from anabasis_game.topbar import TopBar, lay_out
from anabasis_game.userdata import SPEEDS, settings_path, speed_name

if TYPE_CHECKING:
    from anabasis_game.app import App

TIMELINE = 40  # px at UI scale 1, the strip with the slider under the map
DATES = 140  # px at UI scale 1 beside the slider for the first and last date
MESSAGE_SECONDS = 5.0
PAN_STEP = 120


def week_title(state: GameState) -> str:
    """`Week of 22 July 1918`; after the campaign's last week, what that week was."""
    w = state.world
    if state.turn >= w.turns:
        return f"After the last week, of {describe.day(w.date_of(w.turns - 1))}"
    return f"Week of {describe.day(state.date)}"


def between_weeks(seconds: float) -> float:
    """How long a week stays on the screen after it has played out, when the weeks play on by themselves."""
    return 0.3 + 0.3 * seconds


class ReplayScreen(MouseMap, State):
    """The weeks of `replay` on the map, with its report and events; with an `observer`, the AI plays on."""

    def __init__(self, app: App, replay: Replay, observer: Observer | None = None) -> None:
        super().__init__(app)
        app.audio.music("map")
        self.replay = replay
        self.observer = observer
        self.world = replay.world
        model = build_model(self.world, Lambert(), app.geography())
        self.bar = TopBar(app.px(44), pygame.Rect(0, 0, 0, 0), ())
        self.view = MapView(model, app.fonts, self._map_area(), app.size)
        self.week = 0
        self.animation: WeekAnimation | None = None
        self.playing = observer is not None  # the weeks go on by themselves
        self.shown_for = 0.0  # seconds the week has been on the screen since it played out
        self.show_rail = False
        self.show_control = False
        self.show_last = True
        self.message = ""
        self.message_until = 0.0
        self.buttons: dict[str, UIButton] = {}
        self._rail: dict[int, RailUse] = {}
        self.layout()

    # --- layout ------------------------------------------------------------------------------------

    def _map_area(self) -> tuple[int, int, int, int]:
        w, h = self.app.size
        return (0, self.bar.height, w - self.app.px(PANEL), h - self.bar.height - self.app.px(TIMELINE))

    def layout(self) -> None:
        w, h = self.app.size
        ui = self.ui
        self.buttons = {}
        buttons = (
            ("play", self._play_label(), 96, "Play the weeks on, or stop (Space)"),
            ("rail", "Rail", 60, "How full each line was that week: the bottlenecks (F)"),
            ("control", "Control", 82, "Colour the line by who holds it (C)"),
            ("last", "Moves", 70, "Show the week's moves and battles (L)"),
            ("help", "Help", 64, "How to play, and the keys (F1)"),
            ("close", "Close", 70, "Back to the title screen (Esc)"),
        )
        widths = [self.app.px(100)] + [self.app.px(b[2]) for b in buttons]
        self.bar = lay_out(w, self._banner_width(), widths, self.app.scale)
        for (name, label, _, tip), rect in zip(buttons, self.bar.buttons[1:], strict=True):
            self.buttons[name] = pygame_gui.elements.UIButton(
                rect, label, ui, tool_tip_text=tip, command=self.later(self._commands()[name])
            )
        self.speed = pygame_gui.elements.UIDropDownMenu(
            list(SPEEDS), speed_name(self.app.settings.week_seconds), self.bar.buttons[0], ui
        )
        panel, timeline, dates = self.app.px(PANEL), self.app.px(TIMELINE), self.app.px(DATES)
        last = self.world.turns if self.observer is not None else max(self.replay.last, 1)
        along = pygame.Rect(dates, h - timeline + 7, w - panel - 2 * dates, timeline - 14)
        self.slider = UIHorizontalSlider(along, self.week, (0, last), ui)
        self.panel = SidePanel(ui, pygame.Rect(w - panel, self.bar.height, panel, h - self.bar.height), self.app.scale)
        self.view.resize(self._map_area(), (w, h))
        self.refresh()

    def _commands(self) -> dict[str, Callable[[], None]]:
        return {
            "play": self.toggle_playing,
            "rail": self.toggle_rail,
            "control": self.toggle_control,
            "last": self.toggle_last,
            "help": self.app.routes.help,
            "close": self.close,
        }

    def _play_label(self) -> str:
        return "❚❚ Pause" if self.playing else "▶ Play"

    # --- moving through the weeks --------------------------------------------------------------------

    def go(self, week: int, *, animate: bool = False) -> None:
        """Show `week`; a step of one week forward is played out on the map when `animate`."""
        week = min(max(week, 0), self.replay.last)
        seconds = self.app.settings.week_seconds
        r = self.replay
        if animate and week == self.week + 1 and seconds > 0:
            self.animation = WeekAnimation(self.view, r.states[week - 1], r.reports[week], r.states[week], seconds)
        else:
            self.animation = None
        self.week = week
        self.shown_for = 0.0
        self.refresh()

    def step(self, weeks: int) -> None:
        self.go(self.week + weeks, animate=weeks == 1)

    def first(self) -> None:
        self.go(0)

    def last(self) -> None:
        self.go(self.replay.last)

    def toggle_playing(self) -> None:
        """Play the weeks on by themselves, or stop."""
        self.playing = not self.playing
        self.shown_for = 0.0
        self.buttons["play"].set_text(self._play_label())

    def skip(self) -> None:
        """End the week's animation at once."""
        if self.animation is not None:
            self.animation.skip()

    def close(self) -> None:
        self.app.routes.title()

    def take_command(self, faction: str) -> Callable[[], None]:
        def take() -> None:
            self.app.routes.take_command(self.replay, self.week, faction)

        return take

    def open_event(self, event: int) -> Callable[[], None]:
        def open_it() -> None:
            self.app.routes.event_record(self.replay.states[self.week], event)

        return open_it

    # --- what the map shows ------------------------------------------------------------------------

    def rail(self) -> RailUse:
        """How full each line was in the week that led to the week shown (worked out once a week)."""
        if self.week not in self._rail:
            r = self.replay
            self._rail[self.week] = rail_use(self.world, r.reports[self.week], r.states[self.week])
        return self._rail[self.week]

    def scene(self) -> Scene:
        r = self.replay
        animation = self.animation
        return Scene(
            state=r.states[self.week],
            player=-1,
            control=self.show_control,
            last=r.reports[self.week] if self.show_last and self.week > 0 and animation is None else None,
            rail=self.rail() if self.show_rail else None,
            hidden=animation.hidden if animation is not None else frozenset(),
            holders=animation.holders if animation is not None else None,
        )

    def toggle_rail(self) -> None:
        self.show_rail = not self.show_rail
        if self.show_rail:
            self.say("Rail use: each line coloured by how full it was that week; point at one for the numbers")

    def toggle_control(self) -> None:
        self.show_control = not self.show_control

    def toggle_last(self) -> None:
        self.show_last = not self.show_last

    def say(self, message: str) -> None:
        self.message = message
        self.message_until = time.monotonic() + MESSAGE_SECONDS

    # --- events ------------------------------------------------------------------------------------

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED and event.ui_element is self.slider:
            self.go(int(event.value))
        elif event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.speed:
            self.set_speed(SPEEDS[event.text])
        elif self.move_map(event, self.on_map):
            pass
        elif event.type == pygame.MOUSEBUTTONUP and event.button in (1, 2):
            if self.let_go() and self.on_map(event.pos):
                self.skip()
        elif event.type == pygame.KEYDOWN:
            handler = self._keys().get(event.key)
            if handler is not None:
                handler()

    def _keys(self) -> dict[int, Callable[[], None]]:
        camera = self.view.camera
        return {
            pygame.K_RIGHT: lambda: self.step(1),
            pygame.K_LEFT: lambda: self.step(-1),
            pygame.K_HOME: self.first,
            pygame.K_END: self.last,
            pygame.K_SPACE: self.toggle_playing,
            pygame.K_RETURN: self.skip,
            pygame.K_KP_ENTER: self.skip,
            pygame.K_ESCAPE: self.skip if self.animation is not None else self.close,
            pygame.K_f: self.toggle_rail,
            pygame.K_c: self.toggle_control,
            pygame.K_l: self.toggle_last,
            pygame.K_F1: self.app.routes.help,
            pygame.K_UP: lambda: camera.pan(0, PAN_STEP),
            pygame.K_DOWN: lambda: camera.pan(0, -PAN_STEP),
            pygame.K_PLUS: lambda: camera.zoom(ZOOM_STEP),
            pygame.K_EQUALS: lambda: camera.zoom(ZOOM_STEP),
            pygame.K_KP_PLUS: lambda: camera.zoom(ZOOM_STEP),
            pygame.K_MINUS: lambda: camera.zoom(1 / ZOOM_STEP),
            pygame.K_KP_MINUS: lambda: camera.zoom(1 / ZOOM_STEP),
        }

    def on_map(self, pos: tuple[int, int]) -> bool:
        w, h = self.app.size
        return self.bar.height <= pos[1] < h - self.app.px(TIMELINE) and pos[0] < w - self.app.px(PANEL)

    def set_speed(self, seconds: float) -> None:
        """A new animation speed, kept with the other settings."""
        settings = replace(self.app.settings, week_seconds=seconds)
        self.app.apply(settings)
        try:
            settings.save(settings_path(self.app.saves))
        except OSError as error:
            self.say(f"The speed applies now but could not be kept: {error}")

    # --- update and draw -----------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        super().update(dt)
        if self.animation is not None:
            self.app.audio.effect(*self.animation.update(dt))
            if self.animation.done:
                self.animation = None
            return
        if not self.playing:
            return
        self.shown_for += dt
        if self.shown_for < between_weeks(self.app.settings.week_seconds):
            return
        if self.week < self.replay.last or (self.observer is not None and self.observer.play_week()):
            self.step(1)
        else:
            self.toggle_playing()
            self.say("The war is over" if self.replay.states[-1].ended else "The last week of the record")

    def refresh(self) -> None:
        """The slider, the panel and its buttons for the week shown."""
        self.slider.set_current_value(self.week, warn=False)
        r, k = self.replay, self.week
        state = r.states[k]
        self.panel.show(self._summary())
        actions = [
            Action(f"Take command of {describe.the(self.world.faction_names[f])}", self.take_command(fid), None)
            for f, fid in enumerate(self.world.faction_ids)
            if self.world.playable[f] and not state.ended
        ]
        actions += [
            Action(f"Event: {self.world.events[e].name}", self.open_event(e), style="#option")
            for e in (self.world.event_index[i] for i in r.reports[k].events)
        ]
        self.panel.set_actions(actions, self.later)
        before = r.states[k - 1].control if k > 0 else state.control
        self.panel.set_log(describe.report_lines(self.world, r.reports[k], None, before, state.control, opening=k == 0))

    def _summary(self) -> list[describe.Line]:
        r, k = self.replay, self.week
        lines: list[describe.Line] = [
            ("title", week_title(r.states[k])),
            ("dim", f"{'Watching' if self.observer is not None else 'Replay of'} {r.provenance.title}"),
        ]
        for name, points in zip(self.world.side_names, r.states[k].side_points().tolist(), strict=True):
            lines.append(("head", f"{name}: {points:,.0f} points"))
        if r.states[k].ended:
            lines.append(("warn", "The war is over"))
        lines.append(("dim", "Right / Left: a week on or back; Home / End: the first or last; Space: play or stop."))
        lines.append(("dim", "Take command of a side to play on from this week."))
        return lines

    def draw(self, surface: pygame.Surface) -> None:
        self.view.draw(surface, self.scene())
        if self.animation is not None:
            self.animation.draw(surface, self.view)
        if self.show_rail:
            hud.rail_legend(surface, self.app.fonts, (10, self.bar.height + 10))
        self._timeline(surface)
        self._banner(surface)
        self.ui.draw_ui(surface)
        self._tooltip(surface)
        self._message(surface)

    def _timeline(self, surface: pygame.Surface) -> None:
        """The strip under the map: the slider's ends, dated."""
        w, h = self.app.size
        panel, timeline, dates = self.app.px(PANEL), self.app.px(TIMELINE), self.app.px(DATES)
        pygame.draw.rect(surface, palette.BANNER, (0, h - timeline, w - panel, timeline))
        last = self.world.turns if self.observer is not None else self.replay.last
        for turn, x in ((0, dates // 2), (min(last, self.world.turns - 1), w - panel - dates // 2)):
            label = self.app.fonts.text(describe.day(self.world.date_of(turn)), 12, palette.DIM_TEXT)
            surface.blit(label, label.get_rect(center=(x, h - timeline // 2)))

    def _banner_texts(self, points: list[float]) -> tuple[str, str]:
        r = self.replay
        state = r.states[self.week]
        title = week_title(state)
        if state.turn < self.world.turns:
            title += f" — turn {state.turn + 1} of {self.world.turns}"
        standing = "   ".join(f"{name} {p:.0f}" for name, p in zip(self.world.side_names, points, strict=True))
        who = f"{'Watching' if self.observer is not None else 'Replay'}: {r.provenance.title}, seed {r.seed}"
        return title, f"{who}   ·   Victory points: {standing}"

    def _banner_width(self) -> int:
        """Room for the top bar's text at its longest: the longest date and points in three figures."""
        fonts, turns = self.app.fonts, self.world.turns
        title = fonts.text(f"{hud.LONGEST_WEEK} — turn {turns} of {turns}", 16, palette.PANEL_TEXT, True)
        _, line = self._banner_texts([888.0] * len(self.world.side_names))
        return max(title.get_width(), fonts.text(line, 12, palette.DIM_TEXT).get_width())

    def _banner(self, surface: pygame.Surface) -> None:
        points = self.replay.states[self.week].side_points().tolist()
        hud.banner(surface, self.app.fonts, *self._banner_texts(points), self.bar)

    def _tooltip(self, surface: pygame.Surface) -> None:
        if self.hover is None or self.dragging or not self.on_map(self.hover):
            return
        state = self.replay.states[self.week]
        station = self.view.station_at(self.hover)
        lines: list[str] = []
        if station is not None:
            lines = describe.station_tip(state, station, None, 1)
        elif (seg := self.view.segment_at(self.hover)) is not None:
            lines = rail_tip(self.world, self.rail(), seg) if self.show_rail else describe.segment_tip(state, seg)
        if lines:
            hud.tooltip(surface, self.app.fonts, lines, self.hover, surface.get_width() - self.app.px(PANEL))

    def _message(self, surface: pygame.Surface) -> None:
        w, h = self.app.size
        if self.animation is not None:
            text = "The week plays out — a click or Enter skips it"
        elif time.monotonic() <= self.message_until:
            text = self.message
        else:
            return
        hud.message(surface, self.app.fonts, text, ((w - self.app.px(PANEL)) // 2, h - self.app.px(TIMELINE) - 10))
