"""The first game after an install waits while the rules are compiled; the window says what the wait is for, with a
bar that fills as it goes, instead of freezing without a word."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Opens the window on the title screen, starts a game as its Start does, and ends the first week as End turn does.
FIRST_GAME = """
import os, sys
from pathlib import Path
import pygame
from anabasis_game.app import App
from anabasis_game.screens.title import TitleScreen
from anabasis_game.userdata import Settings

app = App(Settings((1024, 700), advisor=False), Path(sys.argv[1]), fps=0)
shown = []
def show(done):
    shown.append(done)
    App.show_compiling(app, done)
    if 0.4 < done < 1.0:  # the bar under way
        pygame.image.save(app.screen, sys.argv[2])
from anabasis.engine.jit import when_compiling
when_compiling(show)
title = TitleScreen(app)
app.push(title)
app.run_frames(2)
title.start()
app.run_frames(2)
while len(app.stack.states) > 1:  # the first week's news, read
    app.stack.top.dismiss()
    app.run_frames(1)
app.stack.states[0].finish_turn()  # the map's End turn, without asking about idle units
app.run_frames(4)
rising = len(shown) > 2 and shown[0] == 0.0 and shown[-1] == 1.0 and all(a <= b for a, b in zip(shown, shown[1:]))
print("shown", rising, "week", app.stack.states[0].session.state.turn)
"""


@pytest.mark.skipif(os.environ.get("NUMBA_DISABLE_JIT", "0") != "0", reason="nothing is compiled with the JIT off")
def test_the_first_game_says_it_prepares_the_rules_and_the_next_does_not(tmp_path: Path) -> None:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache"), "SDL_VIDEODRIVER": "dummy"}
    env["SDL_AUDIODRIVER"] = "dummy"
    shot = tmp_path / "first.png"
    run = [sys.executable, "-c", FIRST_GAME, str(tmp_path / "saves"), str(shot)]
    first = subprocess.run(run, capture_output=True, text=True, env=env, timeout=600, check=True, cwd=ROOT)
    assert "shown True week 1" in first.stdout, first.stderr[-2000:]
    assert shot.exists()
    again = subprocess.run(run, capture_output=True, text=True, env=env, timeout=600, check=True, cwd=ROOT)
    assert "shown False week 1" in again.stdout
