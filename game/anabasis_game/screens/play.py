"""The main screen: the map, the unit panel, the log, and the turn's orders.

Input changes only what the player sees and the plan of orders (through the Session); the engine moves
only when the turn ends. Keys and clicks are listed in the help (`game/help.md`).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pygame
import pygame_gui
from pygame_gui.elements import UIButton

from anabasis.engine import (
    Attack,
    Blow,
    Destroy,
    Detrain,
    Entrain,
    Evacuate,
    GameState,
    Hold,
    Move,
    Order,
    Repair,
    UnitOrder,
    legal_orders,
    preview_combat,
    why_illegal,
)
from anabasis.engine.legal import why_no_attack
from anabasis.engine.relations import move_warning
from anabasis.engine.shortage import SupplyCheck, supply_check
from anabasis.engine.world import BoolArray
from anabasis_game import describe, hud, palette
from anabasis_game.advisor import Hint, advice
from anabasis_game.advisor_box import AdvisorBox
from anabasis_game.animation import WeekAnimation
from anabasis_game.camera import main_body
from anabasis_game.mapmodel import build_model
from anabasis_game.mapview import MapView, Scene
from anabasis_game.minimap import Minimap
from anabasis_game.mousemap import ZOOM_STEP, MouseMap
from anabasis_game.odds_text import odds_lines
from anabasis_game.preview import move_preview
from anabasis_game.projection import Lambert
from anabasis_game.railuse import RailUse, rail_tip, rail_use
from anabasis_game.reach import Reach, reach_of, supplied_stations
from anabasis_game.screens.panel import WIDTH as PANEL
from anabasis_game.screens.panel import Action, SidePanel
from anabasis_game.session import Session
from anabasis_game.standing import SEPARATOR, standing
from anabasis_game.state import State
from anabasis_game.supply_text import shortage_lines, unit_supply_lines
from anabasis_game.topbar import TopBar, lay_out
from anabasis_game.userdata import settings_path
from anabasis_game.widgets import set_enabled, set_selected

if TYPE_CHECKING:
    from anabasis_game.app import App

MINIMAP = (240, 140)  # px at UI scale 1
MESSAGE_SECONDS = 6.0
PAN_STEP = 120  # px per arrow key press


class PlayScreen(MouseMap, State):
    """The war on the map, and the player's orders for the week."""

    def __init__(self, app: App, session: Session) -> None:
        super().__init__(app)
        app.audio.music("map")
        self.session = session
        geography = app.geography()
        self.model = build_model(session.world, Lambert(), geography)
        self.bar = TopBar(app.px(44), pygame.Rect(0, 0, 0, 0), ())
        self.view = MapView(self.model, app.fonts, self._map_area(), app.size)
        self.minimap = Minimap(self.model, (app.px(MINIMAP[0]), app.px(MINIMAP[1])))
        self.selected: int | None = None
        self.station: int | None = None
        self.target: int | None = None
        self.show_supply = False
        self.show_control = False
        self.show_rail = False
        self.show_last = True
        self.show_minimap = True
        self.message = ""
        self.message_until = 0.0
        self.resolving = 0  # frames until the turn is played (one frame shows "the other sides move")
        self.animation: WeekAnimation | None = None  # the week just played, playing out before the report
        self.buttons: dict[str, UIButton] = {}
        self._cached_for: GameState | None = None
        self._cached_key: tuple[int, int] = (-1, -1)
        self._cache: dict[object, object] = {}
        self._plan_seen: tuple[int, int, int, int] = (-1, -1, -1, -1)
        self.cameras: dict[int, tuple[float, float, float]] = {}  # hot-seat: each seat's view (x, y, scale)
        self.layout()
        self.focus_player()

    # --- layout ------------------------------------------------------------------------------------

    def _map_area(self) -> tuple[int, int, int, int]:
        w, h = self.app.size
        return (0, self.bar.height, w - self.app.px(PANEL), h - self.bar.height)

    def layout(self) -> None:
        w, h = self.app.size
        ui, px = self.ui, self.app.px
        self.buttons = {}
        buttons = (
            ("supply", "Supply", 78, "Show which stations are in supply (S)", None),
            ("control", "Control", 82, "Colour the line by who holds it (C)", None),
            ("rail", "Rail", 52, "How full each line was last week: the bottlenecks (F)", None),
            ("last", "Last week", 88, "Show last week's moves and battles (L)", None),
            ("decisions", "Decisions", 104, "Decisions waiting for your answer (D)", "#option"),
            ("relations", "Relations", 90, "Who is at war with whom, and what will change it (W)", None),
            ("objectives", "Objectives", 100, "What scores this week and next, for each side (O)", None),
            ("save", "Save", 64, "Save the game (F5)", None),
            ("load", "Load", 64, "Load a game (F9)", None),
            ("help", "Help", 64, "How to play, and the keys (F1)", None),
            ("menu", "Menu", 70, "Settings, quit (Esc)", None),
            ("end_turn", "End turn ▶", 120, "Give the week's orders and let the others move (Enter)", "#end_turn"),
        )
        self.bar = lay_out(w, self._banner_width(), [px(132)] + [px(b[2]) for b in buttons], self.app.scale)
        for (name, label, _, tip, object_id), rect in zip(buttons, self.bar.buttons[1:], strict=True):
            self.buttons[name] = pygame_gui.elements.UIButton(
                rect, label, ui, tool_tip_text=tip, object_id=object_id, command=self.later(self._commands()[name])
            )
        names = sorted(range(self.session.world.n_stations), key=lambda s: self.session.world.station_names[s])
        self.jump_names = {self.session.world.station_names[s]: s for s in names}
        self.jump = pygame_gui.elements.UIDropDownMenu(
            ["Jump to…", *self.jump_names], "Jump to…", self.bar.buttons[0], ui
        )
        panel = pygame.Rect(w - px(PANEL), self.bar.height, px(PANEL), h - self.bar.height)
        self.panel = SidePanel(ui, panel, self.app.scale)
        corner = (panel.left - px(8), self.bar.height + px(8))
        self.advisor = AdvisorBox(ui, corner, self.app.scale, self.later, act=self.follow_hint, never=self.never_advise)
        self.view.resize(self._map_area(), (w, h))
        minimap = (px(MINIMAP[0]), px(MINIMAP[1]))
        if self.minimap.size != minimap:
            self.minimap = Minimap(self.model, minimap)
        self._plan_seen = (-1, -1, -1, -1)
        self.refresh_log()

    def _commands(self) -> dict[str, Callable[[], None]]:
        return {
            "supply": self.toggle_supply,
            "control": self.toggle_control,
            "rail": self.toggle_rail,
            "last": self.toggle_last,
            "decisions": self.open_decisions,
            "relations": self.open_relations,
            "objectives": self.open_objectives,
            "save": self.open_save,
            "load": self.open_load,
            "help": self.open_help,
            "menu": self.open_menu,
            "end_turn": self.end_turn,
        }

    # --- what the map shows ------------------------------------------------------------------------

    @property
    def faction(self) -> int:
        return self.session.world.faction_index[self.session.player]

    def _answers(self) -> dict[object, object]:
        """Answers worked out for the current state (and seat), forgotten when either changes."""
        key = (self.session.state.turn, self.session.seat)
        if self._cached_for is not self.session.state or self._cached_key != key:
            self._cached_for, self._cached_key = self.session.state, key
            self._cache = {}
        return self._cache

    def reach(self, unit: int) -> Reach:
        answers = self._answers()
        if ("reach", unit) not in answers:
            answers[("reach", unit)] = reach_of(self.session.state, unit)
        reach = answers[("reach", unit)]
        assert isinstance(reach, Reach)
        return reach

    def in_supply(self) -> BoolArray:
        """Stations joined by open track through passable stations to a source of supply for the player."""
        answers = self._answers()
        if "supply" not in answers:
            answers["supply"] = supplied_stations(self.session.state, self.faction)
        fed = answers["supply"]
        assert isinstance(fed, np.ndarray)
        return fed

    def rail(self) -> RailUse:
        """How full each line was last week (worked out once a week)."""
        answers = self._answers()
        if "rail" not in answers:
            answers["rail"] = rail_use(self.session.world, self.session.reports[-1], self.session.state)
        use = answers["rail"]
        assert isinstance(use, RailUse)
        return use

    def scene(self) -> Scene:
        s = self.session
        orders = s.plan.listed()
        paths = {}
        for order in orders:
            if isinstance(order, Move):
                u = s.world.unit_index[order.unit]
                paths[u] = self._path(u, s.world.station_index[order.to])
        return Scene(
            state=s.state,
            player=self.faction,
            selected=self.selected,
            station=self.station,
            reach=self.reach(self.selected) if self.selected is not None else None,
            orders=orders,
            paths=paths,
            target=self.target,
            in_supply=self.in_supply() if self.show_supply else None,
            control=self.show_control,
            last=s.reports[-1] if self.show_last and len(s.reports) > 1 and self.animation is None else None,
            rail=self.rail() if self.show_rail else None,
            hidden=self.animation.hidden if self.animation is not None else frozenset(),
            holders=self.animation.holders if self.animation is not None else None,
        )

    def _path(self, unit: int, goal: int) -> list[tuple[float, float]]:
        """The route a move will follow, in km, from the unit to its destination."""
        reach = self.reach(unit)
        state = self.session.state
        points: list[tuple[float, float]] = []
        here = goal
        while here >= 0 and len(points) <= len(reach.back):
            points.append((float(self.model.x[here]), float(self.model.y[here])))
            here = int(reach.back[here])
        points.append(self.view.unit_km(state, unit))
        return points[::-1]

    # --- events ----------------------------------------------------------------------------------

    def handle(self, event: pygame.event.Event) -> None:
        if self.resolving:
            return
        if self.animation is not None:
            if event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN):
                self.animation.skip()  # any key or click: straight to the report
            return
        if self.move_map(event, self.on_map):
            pass
        elif event.type == pygame.MOUSEBUTTONUP and event.button in (1, 2, 3):
            clicked = self.let_go()
            if event.button == 1 and clicked:
                self.left_click(event.pos)
            elif event.button == 3:
                self.right_click(event.pos)
        elif event.type == pygame.KEYDOWN:
            self.key(event)
        elif event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.jump:
            station = self.jump_names.get(event.text)
            if station is not None:
                self.jump_to(station)

    def key(self, event: pygame.event.Event) -> None:
        k, mods = event.key, event.mod
        pans = {
            pygame.K_LEFT: (PAN_STEP, 0),
            pygame.K_RIGHT: (-PAN_STEP, 0),
            pygame.K_UP: (0, PAN_STEP),
            pygame.K_DOWN: (0, -PAN_STEP),
        }
        if k in pans:
            self.view.camera.pan(*pans[k])
        elif k in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.view.camera.zoom(ZOOM_STEP)
        elif k in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.view.camera.zoom(1 / ZOOM_STEP)
        elif k == pygame.K_HOME:
            self.view.camera.fit()
        elif (k == pygame.K_z and mods & pygame.KMOD_CTRL) or k == pygame.K_u:
            self.undo()
        elif k in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.end_turn()
        elif k == pygame.K_ESCAPE:
            if self.target is not None or self.selected is not None or self.station is not None:
                self.deselect()
            else:
                self.open_menu()
        elif k == pygame.K_TAB:
            self.next_unit(-1 if mods & pygame.KMOD_SHIFT else 1)
        else:
            handler = self._keys().get(k)
            if handler is not None:
                handler()

    def _keys(self) -> dict[int, Callable[[], None]]:
        return {
            pygame.K_e: lambda: self.order_for_selected(Entrain),
            pygame.K_t: lambda: self.order_for_selected(Detrain),
            pygame.K_h: lambda: self.order_for_selected(Hold),
            pygame.K_v: lambda: self.order_for_selected(Evacuate),
            pygame.K_a: self.attack_key,
            pygame.K_b: lambda: self.segment_key(Blow),
            pygame.K_r: lambda: self.segment_key(Repair),
            pygame.K_x: self.cancel_selected,
            pygame.K_DELETE: self.cancel_selected,
            pygame.K_SPACE: self.centre_selected,
            pygame.K_s: self.toggle_supply,
            pygame.K_c: self.toggle_control,
            pygame.K_f: self.toggle_rail,
            pygame.K_l: self.toggle_last,
            pygame.K_m: self.toggle_minimap,
            pygame.K_d: self.open_decisions,
            pygame.K_w: self.open_relations,
            pygame.K_o: self.open_objectives,
            pygame.K_F1: self.open_help,
            pygame.K_QUESTION: self.open_help,
            pygame.K_F5: self.open_save,
            pygame.K_F9: self.open_load,
        }

    # --- selecting and ordering with the mouse ----------------------------------------------------

    def on_map(self, pos: tuple[int, int]) -> bool:
        """Whether the point is on the map itself, not under the banner or the panel."""
        return pos[1] >= self.bar.height and not self.panel.rect.collidepoint(pos)

    def left_click(self, pos: tuple[int, int]) -> None:
        if not self.on_map(pos):
            return
        if self.show_minimap and self.minimap.rect(self.app.size).collidepoint(pos):
            self.view.camera.centre_on(*self.minimap.to_world(pos, self.app.size))
            return
        s = self.session
        counter = self.view.counter_at(pos, s.state, self.faction)
        # A counter stands for its own station, even where it lies over a neighbour's dot.
        station = self.view.station_at(pos) if counter is None else counter.station
        mine = [u for u in counter.units if s.world.unit_faction[u] == self.faction] if counter else []
        if mine and (self.selected is None or station is None or not self._is_target(station)):
            self.select_among(mine)
            return
        if station is None:
            self.deselect()
            return
        here = [u for u in s.state.units_at(station) if s.world.unit_faction[u] == self.faction]
        if self.selected is not None and (self._is_target(station) or not here):
            self.order_at(station)
        elif here:
            self.select_among(here)
        else:
            self.deselect()
            self.station = station
            self.mark_dirty()

    def right_click(self, pos: tuple[int, int]) -> None:
        station = self.view.station_at(pos) if self.on_map(pos) else None
        if self.selected is not None and station is not None:
            self.order_at(station)

    def _is_target(self, station: int) -> bool:
        assert self.selected is not None
        reach = self.reach(self.selected)
        return (
            bool(reach.anywhere[station])
            or station in reach.attack
            or self.session.state.hostile_at(station, self.faction)
        )

    def select_among(self, units: list[int]) -> None:
        """Select the first of `units`, or the next one if one of them is already selected."""
        here = units.index(self.selected) + 1 if self.selected in units else 0
        self.select(units[here % len(units)])

    def select(self, unit: int) -> None:
        self.selected, self.target = unit, None
        state = self.session.state
        self.station = int(state.station[unit]) if state.station[unit] >= 0 else None
        self.mark_dirty()

    def deselect(self) -> None:
        self.selected = self.station = self.target = None
        self.mark_dirty()

    def order_at(self, station: int) -> None:
        """The selected unit's order for a station clicked: move there, or show the odds of attacking it."""
        assert self.selected is not None
        s = self.session
        state = s.state
        unit = s.world.unit_ids[self.selected]
        if state.hostile_at(station, self.faction):
            self.target = station
            reason = why_illegal(state, s.player, Attack(unit, s.world.station_ids[station]))
            if reason:
                self.say(f"Cannot attack: {reason}")
            self.mark_dirty()
            return
        self.give(Move(unit, s.world.station_ids[station]))

    def give(self, order: Order) -> bool:
        """Add an order to the plan, or tell the player why the rules refuse it."""
        reason = self.session.give(order)
        self.app.audio.effect("refused" if reason is not None else "order")
        if reason is not None:
            self.say(f"Refused: {reason}")
            return False
        self.target = None
        warning = move_warning(self.session.state, self.faction, order)
        self.say(describe.order_text(self.session.world, order) + (f" ({warning})" if warning else ""))
        self.mark_dirty()
        return True

    def order_for_selected(self, kind: type[UnitOrder]) -> None:
        if self.selected is None:
            self.say("Select one of your units first: click its station or counter")
            return
        self.give(kind(self.session.world.unit_ids[self.selected]))

    def attack_key(self) -> None:
        if self.selected is None:
            self.say("Select one of your units first")
            return
        targets = self.reach(self.selected).attack
        if len(targets) == 1:
            self.target = targets[0]
            self.mark_dirty()
        else:
            unit = self.session.world.unit_ids[self.selected]
            reason = why_no_attack(self.session.state, self.faction, unit)
            self.say("Click the station to attack" if targets else f"Cannot attack: {reason}")

    def confirm_attack(self) -> None:
        if self.selected is not None and self.target is not None:
            w = self.session.world
            self.give(Attack(w.unit_ids[self.selected], w.station_ids[self.target]))

    def segment_key(self, kind: type[Blow] | type[Repair]) -> None:
        if self.selected is None:
            self.say("Select one of your units first")
            return
        options = [o for o in self.legal_for_selected() if isinstance(o, kind)]
        if len(options) == 1:
            self.give(options[0])
        elif options:
            self.say(f"Choose the line to {'blow' if kind is Blow else 'repair'} in the panel")
        else:
            self.say(f"Cannot {'blow' if kind is Blow else 'repair'}: {'; '.join(self._segment_refusals(kind))}")

    def _segment_refusals(self, kind: type[Blow] | type[Repair]) -> list[str]:
        """Why the selected unit can blow (or repair) none of the lines it stands by, a reason for each line."""
        assert self.selected is not None
        s, u = self.session, self.selected
        w, state = s.world, s.state
        seg = int(state.segment[u])
        ends = [int(state.station[u])] if seg < 0 else [int(w.seg_a[seg]), int(w.seg_b[seg])]
        names = list(dict.fromkeys(w.segment_name(other) for end in ends for _, other in w.adjacency[end]))
        reasons = []
        for name in names:
            reason = why_illegal(state, s.player, kind(w.unit_ids[u], name)) or ""
            reasons.append(reason.replace(name, describe.segment_label(w, name)))
        return list(dict.fromkeys(reasons)) or ["no line runs from here"]

    def legal_for_selected(self) -> list[Order]:
        if self.selected is None:
            return []
        s = self.session
        return list(legal_orders(s.state, s.player, unit=s.world.unit_ids[self.selected]))

    def cancel_selected(self) -> None:
        if self.selected is not None and self.session.cancel(self.session.world.unit_ids[self.selected]):
            self.say("Order withdrawn")
            self.mark_dirty()

    def undo(self) -> None:
        self.say("Undone" if self.session.undo() else "Nothing to undo this turn")
        self.mark_dirty()

    def next_unit(self, step: int) -> None:
        """Cycle through the player's units, those still without an order first."""
        s = self.session
        units = s.units()
        if not units:
            return
        idle = [u for u in units if s.order_of(s.world.unit_ids[u]) is None] or units
        if self.selected in idle:
            unit = idle[(idle.index(self.selected) + step) % len(idle)]
        else:
            unit = idle[0 if step > 0 else -1]
        self.select(unit)
        self.centre_selected()

    def centre_selected(self) -> None:
        if self.selected is not None:
            self.view.camera.centre_on(*self.view.unit_km(self.session.state, self.selected))

    def jump_to(self, station: int) -> None:
        """Centre on a station. A selected unit stays the selection (its station ringed, its buttons in the panel),
        so the place it is to go can be clicked; with none, the station becomes the selection."""
        camera = self.view.camera
        if camera.zoom_level < 2.5:
            camera.zoom(2.5 / camera.zoom_level)
        camera.centre_on(float(self.model.x[station]), float(self.model.y[station]))
        if self.selected is None:
            self.station = station
            self.mark_dirty()

    def focus_player(self) -> None:
        """Start on the player's own forces, where the first orders will be given: zoomed on the stretch of line
        where most of their men are."""
        units = self.session.units()
        if units:
            state = self.session.state
            points = np.array([self.view.unit_km(state, u) for u in units])
            self.view.camera.fit(main_body(points, state.men[units].astype(np.float64)))
            self.view.camera.zoom(1.0)  # within the bounds of zoom

    def toggle_supply(self) -> None:
        self.show_supply = not self.show_supply
        self.say("Supply shown: green rings are stations in supply" if self.show_supply else "Supply hidden")

    def toggle_control(self) -> None:
        self.show_control = not self.show_control

    def toggle_rail(self) -> None:
        self.show_rail = not self.show_rail
        if self.show_rail:
            self.say("Rail use: each line coloured by how full it was last week; point at one for the numbers")

    def toggle_last(self) -> None:
        """Last week's moves and battles on the map, and in the panel its battles and events (the button stays
        pressed while they are shown, as they are after each turn)."""
        if len(self.session.reports) < 2:
            self.say("No week has been played yet")
            return
        self.show_last = not self.show_last
        report = self.session.reports[-1]
        battles, events = len(report.battles), len(report.events)
        shown = f"{battles} battle{'s' if battles != 1 else ''}, {events} event{'s' if events != 1 else ''}"
        self.say(f"Last week shown: {shown}" if self.show_last else "Last week hidden")
        self.mark_dirty()

    def toggle_minimap(self) -> None:
        self.show_minimap = not self.show_minimap

    def say(self, message: str) -> None:
        self.message = message
        self.message_until = time.monotonic() + MESSAGE_SECONDS

    # --- dialogs ---------------------------------------------------------------------------------

    def open_decisions(self) -> None:
        if not self.session.decisions():
            self.say("No decision is waiting for you")
        self.app.routes.decisions(self.session)

    def open_save(self) -> None:
        self.app.routes.save_game(self.session, self.say)

    def open_load(self) -> None:
        self.app.routes.load_game()

    def open_help(self) -> None:
        self.app.routes.help()

    def open_relations(self) -> None:
        self.app.routes.diplomacy(self.session)

    def open_objectives(self) -> None:
        self.app.routes.objectives(self.session)

    # --- the advisor -------------------------------------------------------------------------------

    def refresh_advisor(self) -> None:
        """The advisor's hints for the orders as they stand (none once it is turned off)."""
        s, on = self.session, self.app.settings.advisor
        self.advisor.show(advice(s.state, self.faction, s.plan.listed()) if on else [], s.state.turn, on)

    def follow_hint(self, hint: Hint) -> None:
        """Show me: select the unit the hint is about, or look at its station."""
        if hint.unit >= 0 and self.session.state.status[hint.unit] == 1:
            self.select(hint.unit)
            self.centre_selected()
        elif hint.station >= 0:
            self.jump_to(hint.station)

    def never_advise(self) -> None:
        """Don't show again: the advisor is off from now on (kept in the settings, where it can come back)."""
        settings = replace(self.app.settings, advisor=False)
        self.app.apply(settings)
        try:
            settings.save(settings_path(self.app.saves))
        except OSError as error:
            self.say(f"The setting could not be kept: {error}")
        self.refresh_advisor()

    def open_menu(self) -> None:
        self.app.routes.menu(self.session, self.closing, self.say)

    # --- the end of the turn -----------------------------------------------------------------------

    def end_turn(self) -> None:
        """The player is done: pass the seat in hot-seat, or let the week be played."""
        if self.session.over:
            self.say("The war is over")
            return
        if self.resolving or self.animation is not None:
            return
        idle = len(self.session.idle_units())
        if idle and self.app.settings.warn_idle:
            self.app.routes.ask(
                "End the turn?",
                f"{idle} unit{'s have' if idle > 1 else ' has'} no orders: end the turn anyway?",
                [
                    ("End the turn", self.finish_turn, "#end_turn"),
                    ("Don't ask again", self.never_ask, None),
                    ("Back to the map", lambda: None, None),
                ],
            )
            return
        self.finish_turn()

    def never_ask(self) -> None:
        """End the turn, and from now on without asking about idle units (kept in the settings)."""
        settings = replace(self.app.settings, warn_idle=False)
        self.app.apply(settings)
        try:
            settings.save(settings_path(self.app.saves))
        except OSError as error:
            self.say(f"The setting could not be kept: {error}")
        self.finish_turn()

    def finish_turn(self) -> None:
        """Pass the seat in hot-seat, or let the week be played."""
        self.deselect()
        seat = self.session.seat
        if self.session.next_seat():
            self.take_seat(seat)
            self.app.routes.hand_over(self.session)
            return
        self.resolving = 2

    def take_seat(self, previous: int) -> None:
        """Hot-seat: the incoming player sees none of the last one's message, tooltip or selection, and the camera
        where they themselves left it (at first, on their own forces)."""
        camera = self.view.camera
        self.cameras[previous] = (camera.cx, camera.cy, camera.scale)
        self.message, self.hover = "", None
        self.deselect()
        kept = self.cameras.get(self.session.seat)
        if kept is None:
            self.focus_player()
        else:
            camera.zoom(kept[2] / camera.scale)
            camera.centre_on(kept[0], kept[1])

    def resolve(self) -> None:
        """Play the week; then its moves and battles play out on the map (if the player wants them) before the
        report."""
        before = self.session.state
        seat = self.session.seat
        report = self.session.end_turn()
        if self.session.hotseat:
            self.take_seat(seat)
        self.show_last = True
        self.message = ""
        self.deselect()
        self.refresh_panel()
        try:
            self.session.autosave()
        except OSError as error:
            self.say(f"Autosave failed: {error}")
        self.refresh_log()
        settings = self.app.settings
        if settings.ai_turn and settings.week_seconds > 0:
            self.animation = WeekAnimation(self.view, before, report, self.session.state, settings.week_seconds)
        else:
            self.app.routes.after_turn(self.session)

    def closing(self) -> None:
        """The window is closing: autosave first, so nothing played is lost."""
        try:
            path = self.session.autosave()
        except OSError as error:
            print(f"anabasis: could not autosave before closing: {error}", file=sys.stderr)
        else:
            print(f"anabasis: game saved to {path}", file=sys.stderr)

    # --- update and draw -----------------------------------------------------------------------------

    def mark_dirty(self) -> None:
        self._plan_seen = (-1, -1, -1, -1)

    def update(self, dt: float) -> None:
        super().update(dt)
        if self.animation is not None:
            self.app.audio.effect(*self.animation.update(dt))
            if self.animation.done:
                self.animation = None
                self.app.routes.after_turn(self.session)
            return
        if self.resolving:
            self.resolving -= 1
            if self.resolving == 0:
                self.resolve()
            return
        s = self.session
        seen = (s.state.turn, s.seat, len(s.plan.history), len(s.plan.orders))
        if seen != self._plan_seen:
            self._plan_seen = seen
            if self.selected is not None and s.state.status[self.selected] != 1:
                self.selected = None
            self.refresh_panel()
            self.refresh_advisor()
        elif self.advisor.enabled != self.app.settings.advisor:  # turned on or off in the settings
            self.refresh_advisor()

    def refresh_panel(self) -> None:
        """Rebuild the side panel: the selected unit, the odds of an attack, or the station or turn summary."""
        s = self.session
        state = s.state
        decisions = s.decisions()
        self.buttons["decisions"].set_text(f"Decisions ({len(decisions)})" if decisions else "Decisions")
        set_enabled(self.buttons["decisions"], bool(decisions))
        set_selected(self.buttons["last"], self.show_last and len(s.reports) > 1)
        if self.selected is not None:
            u = self.selected
            order = s.order_of(s.world.unit_ids[u])
            supply = unit_supply_lines(state, self.supply(u))
            lines = describe.unit_lines(state, u, order, supply, self.reach(u).week)
            if self.target is not None:
                attackers = [u] + [
                    s.world.unit_index[o.unit]
                    for o in s.plan.listed()
                    if isinstance(o, Attack)
                    and s.world.station_index[o.station] == self.target
                    and o.unit != s.world.unit_ids[u]
                ]
                odds = preview_combat(state, attackers, self.target)
                names = [s.world.unit_names[a] for a in attackers]
                lines = [*odds_lines(s.world, self.target, odds, names), ("text", ""), *lines]
            self.panel.show(lines)
            self.panel.set_actions(self._unit_actions(u), self.later)
        elif self.station is not None:
            self.panel.show(describe.station_lines(state, self.station, bool(self.model.key[self.station])))
            self.panel.set_actions([], self.later)
        else:
            self.panel.show(self._summary())
            self.panel.set_actions([], self.later)

    def supply(self, unit: int) -> SupplyCheck:
        """How the unit stands for supply, why it goes short and what would feed it (worked out once a week)."""
        answers = self._answers()
        if ("shortage", unit) not in answers:
            answers[("shortage", unit)] = supply_check(self.session.state, unit)
        check = answers[("shortage", unit)]
        assert isinstance(check, SupplyCheck)
        return check

    def _summary(self) -> list[describe.Line]:
        s = self.session
        units = s.units()
        ordered = sum(1 for u in units if s.order_of(s.world.unit_ids[u]) is not None)
        lines: list[describe.Line] = [
            ("title", s.world.faction_names[self.faction]),
            ("text", f"{len(units)} units on the map, {ordered} with new orders this week"),
        ]
        lines += shortage_lines(s.state, [self.supply(u) for u in units])
        for k in s.decisions():
            answer = s.answer_of(s.world.events[k].id)
            left = int(s.state.deadline[k]) - s.state.turn
            state = "answered" if answer else f"waiting, {left} week{'s' if left != 1 else ''} left"
            lines.append(("warn", f"Decision: {s.world.events[k].name} ({state})"))
        if self.show_last and len(s.reports) > 1:
            lines += [("text", ""), *describe.last_week_lines(s.world, s.reports[-1]), ("text", "")]
        lines += [
            ("dim", "Click a station with your counters to select a unit; Tab goes to the next one."),
            ("dim", "Then click a station to move there, or an enemy station to see the odds of attacking it."),
            ("dim", "Enter ends the turn. F1 shows the help."),
        ]
        return lines

    def _unit_actions(self, unit: int) -> list[Action]:
        """What the selected unit can do besides moving, each with the reason when it cannot."""
        s = self.session
        name = s.world.unit_ids[unit]
        actions: list[Action] = []
        if self.target is not None:
            attack = Attack(name, s.world.station_ids[self.target])
            label = f"Attack {s.world.station_names[self.target]}"
            actions.append(Action(label, self.confirm_attack, why_illegal(s.state, s.player, attack), "#danger"))
            actions.append(Action("Cancel", self._clear_target))
        for kind, label in (
            (Entrain, "Entrain (E)"),
            (Detrain, "Detrain (T)"),
            (Hold, "Hold (H)"),
            (Evacuate, "Evacuate (V)"),
        ):
            simple = kind(name)
            actions.append(Action(label, self._giver(simple), why_illegal(s.state, s.player, simple)))
        for order in self.legal_for_selected():
            if isinstance(order, Blow | Repair | Destroy):
                actions.append(Action(describe.order_text(s.world, order), self._giver(order)))
        at = int(s.state.station[unit])
        here = s.state.units_at(at) if at >= 0 else []  # the unit's companions, wherever the map was moved to
        for other in here:
            if s.world.unit_faction[other] == self.faction and other != unit:
                actions.append(Action(f"» {s.world.unit_names[other]}", self._selector(other), style="#option"))
        if s.order_of(name) is not None:
            actions.append(Action("Withdraw the order (X)", self.cancel_selected))
        return actions

    def _giver(self, order: Order) -> Callable[[], None]:
        def give() -> None:
            self.give(order)

        return give

    def _selector(self, unit: int) -> Callable[[], None]:
        return lambda: self.select(unit)

    def _clear_target(self) -> None:
        self.target = None
        self.mark_dirty()

    def refresh_log(self) -> None:
        """The log: the last few weeks' reports, newest first."""
        s = self.session
        lines: list[describe.Line] = []
        for k in range(len(s.reports) - 1, max(-1, len(s.reports) - 5), -1):
            before = s.control[k - 1] if k > 0 else s.control[0]
            lines += describe.report_lines(s.world, s.reports[k], s.player, before, s.control[k], opening=k == 0)
            lines.append(("text", ""))
        self.panel.set_log(lines)

    def draw(self, surface: pygame.Surface) -> None:
        self.view.draw(surface, self.scene())
        if self.animation is not None:
            self.animation.draw(surface, self.view)
        if self.show_rail:
            hud.rail_legend(surface, self.app.fonts, (10, self.bar.height + 10))
        if self.show_minimap:
            self.minimap.draw(surface, self.view.camera, self.app.size)
        self._banner(surface)
        self.ui.draw_ui(surface)
        self._tooltip(surface)
        self._message(surface)

    def banner_texts(self) -> tuple[str, str]:
        """The top bar's two lines: the week, and whose orders these are with the standing of the war."""
        s = self.session
        state = s.state
        turns = s.world.turns
        turn = (
            f"Week of {describe.day(state.date)} — turn {state.turn + 1} of {turns}"
            if state.turn < turns
            else f"{describe.day(state.date)} — the war is over after {turns} turns"
        )
        points = standing(s.world, self.faction, state.faction_points(), state.side_points())
        return turn, f"{s.world.faction_names[self.faction]}{SEPARATOR}{points}"

    def _banner_width(self) -> int:
        """Room for the top bar's text at its longest: the longest date, points in two figures, any seat."""
        w, fonts = self.session.world, self.app.fonts
        title = fonts.text(f"{hud.LONGEST_WEEK} — turn {w.turns} of {w.turns}", 16, palette.PANEL_TEXT, True)
        most = np.full(len(w.faction_ids), 88.8), np.full(len(w.side_ids), 88.8)
        lines = [
            f"{w.faction_names[f]}{SEPARATOR}{standing(w, f, *most)}"
            for f in (w.faction_index[h] for h in self.session.humans)
        ]
        return max([title.get_width()] + [fonts.text(line, 12, palette.DIM_TEXT).get_width() for line in lines])

    def _banner(self, surface: pygame.Surface) -> None:
        hud.banner(surface, self.app.fonts, *self.banner_texts(), self.bar)
        line = (0, self.bar.height - 3, surface.get_width() - self.app.px(PANEL), 3)
        pygame.draw.rect(surface, self.view.colors[self.faction], line)

    def _tooltip(self, surface: pygame.Surface) -> None:
        if self.hover is None or self.dragging or not self.on_map(self.hover):
            return
        state = self.session.state
        station = self.view.station_at(self.hover)
        if station is not None:
            reach = self.reach(self.selected) if self.selected is not None else None
            lines = describe.station_tip(
                state, station, reach.km[station] if reach else None, reach.week if reach else 1
            )
            lines += self.shortage_tip(station)
            if self.selected is not None:
                lines += self.preview(self.selected, station)
        elif (seg := self.view.segment_at(self.hover)) is not None:
            lines = rail_tip(state.world, self.rail(), seg) if self.show_rail else describe.segment_tip(state, seg)
        else:
            lines = []
        if lines:
            hud.tooltip(surface, self.app.fonts, lines, self.hover, surface.get_width() - self.app.px(PANEL))

    def shortage_tip(self, station: int) -> list[str]:
        """Why the player's units at `station` go short of supply, and what would feed them."""
        w = self.session.world
        for u in self.session.state.units_at(station):
            if w.unit_faction[u] == self.faction and (check := self.supply(u)).short:
                remedy = [f"To feed them: {check.remedy}"] if check.remedy else []
                return [f"Short of supply: {check.reason}", *remedy]
        return []

    def preview(self, unit: int, station: int) -> list[str]:
        """What moving `unit` to `station` would mean, worked out once a turn for each pair."""
        answers = self._answers()
        if ("preview", unit, station) not in answers:
            answers[("preview", unit, station)] = move_preview(self.session.state, self.faction, unit, station)
        lines = answers[("preview", unit, station)]
        assert isinstance(lines, list)
        return lines

    def _message(self, surface: pygame.Surface) -> None:
        busy = "The other commanders are moving…" if self.resolving else ""
        if self.animation is not None:
            busy = "The week plays out — any key or a click skips to the report"
        text = busy or self.message
        if text and (busy or time.monotonic() <= self.message_until):
            w, h = self.app.size
            hud.message(surface, self.app.fonts, text, ((w - self.app.px(PANEL)) // 2, h - 16))
