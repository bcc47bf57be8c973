"""The window and its loop: events -> update -> draw -> flip -> tick, over a stack of screens."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pygame
import pygame_gui

from anabasis.engine.jit import when_compiling
from anabasis.paths import assets_dir
from anabasis_game import hud
from anabasis_game.audio import Audio
from anabasis_game.fonts import Fonts
from anabasis_game.geography import Geography, load_geography
from anabasis_game.projection import Lambert
from anabasis_game.screens.flow import Flow
from anabasis_game.state import State, StateStack
from anabasis_game.theme import FONT, theme
from anabasis_game.uiscale import effective, px
from anabasis_game.userdata import Settings

TITLE = "Anabasis"
COMPILING_TEXT = "Preparing the rules for this computer: once after an install, about ten seconds…"
FPS = 60
# The font sizes the widgets use, loaded before the first frame so text never waits for a font file.
UI_FONTS: tuple[tuple[int, bool], ...] = ((14, False), (14, True), (12, False), (16, True), (18, True), (34, True))


@cache
def theatre_geography(folder: Path) -> Geography:
    """The map of the land, read and projected once per run (it takes a moment)."""
    return load_geography(folder, Lambert())


class App:
    """The pygame window, the screen stack, the routes between screens and the player's settings.

    Screens reach one another only through `routes` (they import this module for its type alone)."""

    def __init__(self, settings: Settings, saves: Path, fps: int = FPS, assets: Path | None = None) -> None:
        pygame.display.init()
        pygame.font.init()
        pygame.key.set_repeat(300, 40)
        self.assets = assets or assets_dir()
        self.settings = settings
        self.audio = Audio(self.assets / "sounds", settings)
        self.saves = saves
        self.fps = fps
        self.screen = self._open_window()
        self.scale = effective(settings.ui_scale, self.size)
        self.fonts = Fonts(self.assets / "fonts", self.scale)
        self.theme = theme(self.assets / "fonts", self.scale)
        pygame.display.set_caption(TITLE)
        self.clock = pygame.time.Clock()
        self.stack = StateStack()
        self.routes = Flow(self)
        self.running = True
        self._veil: pygame.Surface | None = None
        self._before_compiling: pygame.Surface | None = None  # the screen under the compile's note
        when_compiling(self.show_compiling)

    def show_compiling(self, done: float) -> None:
        """Over the screen as it was when the wait began (the first game after an install): what the wait is for,
        and a bar of how far it has got. The window's events are read meanwhile, so it does not seem hung."""
        if pygame.display.get_surface() is not self.screen:
            return  # this window is closed
        if self._before_compiling is None or done <= 0.0:
            self._before_compiling = self.screen.copy()
        w, h = self.size
        self.screen.blit(self._before_compiling, (0, 0))
        self.screen.blit(self.veil(self.size), (0, 0))
        hud.message(self.screen, self.fonts, COMPILING_TEXT, (w // 2, h // 2))
        hud.progress_bar(
            self.screen, pygame.Rect(w // 2 - px(160, self.scale), h // 2 + 12, px(320, self.scale), 8), done
        )
        pygame.display.flip()
        pygame.event.pump()
        if done >= 1.0:
            self._before_compiling = None

    def _open_window(self) -> pygame.Surface:
        if self.settings.fullscreen:
            sizes = pygame.display.get_desktop_sizes()
            return pygame.display.set_mode(sizes[0] if sizes else self.settings.window, pygame.FULLSCREEN)
        return pygame.display.set_mode(self.settings.window)

    @property
    def size(self) -> tuple[int, int]:
        return self.screen.get_size()

    def px(self, length: float) -> int:
        """A length laid out for UI scale 1, at the scale in force."""
        return px(length, self.scale)

    def geography(self) -> Geography:
        return theatre_geography(self.assets / "map")

    def new_ui(self) -> pygame_gui.UIManager:
        """A widget manager for one screen, in the game's theme, with its fonts loaded."""
        ui = pygame_gui.UIManager(self.size, self.theme, enable_live_theme_updates=False)
        if self.fonts.path() is not None:
            known = ui.get_theme().get_font_dictionary()
            missing: list[dict[str, str | int | float]] = [
                {"name": FONT, "point_size": size, "style": "bold" if bold else "regular"}
                for size, bold in {(self.px(size), bold) for size, bold in UI_FONTS}
                if not known.check_font_preloaded(known.create_font_id(size, FONT, bold, False, True))
            ]
            ui.preload_fonts(missing)
        return ui

    def veil(self, size: tuple[int, int]) -> pygame.Surface:
        """A translucent dark sheet that dims what is behind a dialog."""
        if self._veil is None or self._veil.get_size() != size:
            self._veil = pygame.Surface(size, pygame.SRCALPHA)
            self._veil.fill((10, 12, 16, 150))
        return self._veil

    # --- the loop ----------------------------------------------------------------------------------

    def run(self) -> None:
        while self.running:
            self.frame()
        pygame.display.quit()

    def frame(self) -> None:
        """One turn of the loop: events to the top screen, update it, draw the stack, show it, wait."""
        dt = self.clock.tick(self.fps) / 1000.0
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                self.quit()
                return
            top = self.stack.top
            if top is not None:
                top.process_event(event)
        top = self.stack.top
        if top is None:
            self.running = False
            return
        top.update(dt)
        self.screen.fill((0, 0, 0))
        self.stack.draw(self.screen)
        pygame.display.flip()

    def run_frames(self, n: int) -> None:
        """Run `n` turns of the loop (tests and scripted screenshots drive the window this way)."""
        for _ in range(n):
            if not self.running:
                return
            self.frame()

    def quit(self) -> None:
        """Close the window; every screen first keeps what must not be lost (the game is autosaved)."""
        for state in reversed(self.stack.states):
            state.closing()
        self.running = False

    def push(self, state: State) -> None:
        self.stack.push(state)

    def apply(self, settings: Settings) -> None:
        """Take the new settings; if the window or the UI scale changes, open the window again and lay every screen
        out again (in a theme of the new scale)."""
        same = (settings.window, settings.fullscreen) == (self.settings.window, self.settings.fullscreen)
        self.settings = settings
        self.audio.apply(settings)  # the volumes, at once
        if not same:
            self.screen = self._open_window()
            self._veil = None
        scale = effective(settings.ui_scale, self.size)
        if scale != self.scale:
            self.scale = scale
            self.fonts.set_scale(scale)
            self.theme = theme(self.assets / "fonts", scale)
            for state in self.stack.states:
                state.ui = self.new_ui()
        elif same:
            return
        for state in self.stack.states:
            state.resize(self.size)
