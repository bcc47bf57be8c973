"""The game's sound, the one owner of pygame.mixer: short effects for what the player should notice (an order
given or refused, trains on the move, a battle, a telegram) and a looping music track for each screen.

Sound is never needed to play: with no audio device, or a sound file missing or broken, the game goes on in
silence (and says why once, on stderr). The mixer opens at the first sound asked for, not before.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal, get_args

import pygame

from anabasis_game.userdata import Settings

Effect = Literal["order", "refused", "trains", "battle", "event"]
Track = Literal["title", "map"]
TRACKS: tuple[Track, ...] = get_args(Track)
FADE_MS = 1500  # one track fades out as the next fades in
MUSIC = (0, 1)  # the mixer channels kept for music: the track playing and the one fading out


class Audio:
    """Plays the files `{name}.ogg` of `folder` at the volumes of the player's settings."""

    def __init__(self, folder: Path, settings: Settings) -> None:
        self.folder = folder
        self.settings = settings
        self.working: bool | None = None  # None until the mixer is first needed
        self.sounds: dict[str, pygame.mixer.Sound | None] = {}  # None: the file could not be read
        self.track: Track | None = None
        self.lane = 0  # which of the MUSIC channels the track plays on

    def apply(self, settings: Settings) -> None:
        """New settings: the volumes change at once, for the sounds playing too."""
        self.settings = settings
        for name, sound in self.sounds.items():
            if sound is not None:
                sound.set_volume(self._volume(name))

    def effect(self, *names: Effect) -> None:
        """Play each named effect once, over whatever is playing."""
        if self.settings.muted or self.settings.effects_volume <= 0:
            return
        for name in names:
            sound = self._sound(name)
            if sound is not None:
                sound.play()

    def music(self, track: Track) -> None:
        """Loop `track`, fading out the one before; asked for the track already playing, it goes on undisturbed.
        Muted, the track still runs, silent, so unmuting brings it back where it is."""
        if track == self.track or not self._ready():
            return
        sound = self._sound(track)
        if self.track is not None:
            pygame.mixer.Channel(MUSIC[self.lane]).fadeout(FADE_MS)
        self.track, self.lane = track, 1 - self.lane
        if sound is not None:
            pygame.mixer.Channel(MUSIC[self.lane]).play(sound, loops=-1, fade_ms=FADE_MS)

    def _volume(self, name: str) -> float:
        if self.settings.muted:
            return 0.0
        return self.settings.music_volume if name in TRACKS else self.settings.effects_volume

    def _ready(self) -> bool:
        """Open the mixer the first time; False (for good) if there is no device to play on."""
        if self.working is None:
            try:
                if not pygame.mixer.get_init():
                    pygame.mixer.init()
                pygame.mixer.set_reserved(len(MUSIC))
                self.working = True
            except pygame.error as error:
                print(f"anabasis: no sound: {error}", file=sys.stderr)
                self.working = False
        return self.working

    def _sound(self, name: str) -> pygame.mixer.Sound | None:
        """The sound of `name`, read once; None when there is no mixer or the file will not load."""
        if not self._ready():
            return None
        if name not in self.sounds:
            try:
                sound = pygame.mixer.Sound(self.folder / f"{name}.ogg")
            except (pygame.error, OSError) as error:
                print(f"anabasis: the sound {name!r} is silent: {error}", file=sys.stderr)
                self.sounds[name] = None
            else:
                sound.set_volume(self._volume(name))
                self.sounds[name] = sound
        return self.sounds[name]
