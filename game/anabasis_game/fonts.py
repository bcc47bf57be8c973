"""Text for the map and the banners: DejaVu Sans from the assets, rendered once per string and kept."""

from __future__ import annotations

from pathlib import Path

import pygame

from anabasis_game.palette import Color

REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"
CACHE_LIMIT = 4000


class Fonts:
    """Fonts by size and weight, and a cache of rendered strings (labels and counters repeat every frame).

    Sizes are asked for as laid out at UI scale 1 and drawn at `scale`, so every text grows with the UI scale.
    """

    def __init__(self, folder: Path, scale: float = 1.0) -> None:
        self.folder = folder
        self.scale = scale
        self._fonts: dict[tuple[int, bool], pygame.font.Font] = {}
        self._texts: dict[tuple[str, int, bool, Color], pygame.Surface] = {}

    def set_scale(self, scale: float) -> None:
        """Draw text at another UI scale from now on (what was rendered at the old one is forgotten)."""
        if scale != self.scale:
            self.scale = scale
            self._texts.clear()

    def path(self, bold: bool = False) -> Path | None:
        """The font file, if the assets have it."""
        path = self.folder / (BOLD if bold else REGULAR)
        return path if path.is_file() else None

    def font(self, size: int, bold: bool = False) -> pygame.font.Font:
        """The font for text of `size` (at scale 1), at the current scale."""
        key = (max(6, round(size * self.scale)), bold)
        if key not in self._fonts:
            path = self.path(bold)
            font = pygame.font.Font(str(path) if path else None, key[0])
            if path is None:
                font.bold = bold
            self._fonts[key] = font
        return self._fonts[key]

    def text(self, text: str, size: int, color: Color, bold: bool = False) -> pygame.Surface:
        """`text` rendered antialiased with a transparent background, from the cache when seen before."""
        key = (text, size, bold, color)
        surface = self._texts.get(key)
        if surface is None:
            if len(self._texts) > CACHE_LIMIT:
                self._texts.clear()
            surface = self.font(size, bold).render(text, True, color)
            self._texts[key] = surface
        return surface

    def halo(self, text: str, size: int, color: Color, halo: Color, bold: bool = False) -> pygame.Surface:
        """Text with a one-pixel outline in `halo`, readable on any ground (map labels)."""
        key = (f"\0halo{halo}{text}", size, bold, color)
        surface = self._texts.get(key)
        if surface is None:
            inner = self.text(text, size, color, bold)
            edge = self.text(text, size, halo, bold)
            surface = pygame.Surface((inner.get_width() + 2, inner.get_height() + 2), pygame.SRCALPHA)
            for dx, dy in ((0, 1), (2, 1), (1, 0), (1, 2), (0, 0), (2, 2), (0, 2), (2, 0)):
                surface.blit(edge, (dx, dy))
            surface.blit(inner, (1, 1))
            self._texts[key] = surface
        return surface
