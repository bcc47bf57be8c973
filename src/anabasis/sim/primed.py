"""Imported by the fork server the simulator's local workers are forked from: the simulator's modules, and the
rules' machine code loaded from numba's cache (compiled first on a fresh machine), so that every worker starts with
them instead of loading them itself at its first game.
"""

from __future__ import annotations

import contextlib
import warnings

import anabasis.sim.batch  # noqa: F401  (what every worker runs)
from anabasis.engine.warmup import load

# The server reaps whichever of its children ends, and warns of any it did not fork for a pool: the helper that
# `load` may start to compile the planner is one, and ends on its own.
warnings.filterwarnings("ignore", message="forkserver: waitpid returned unexpected pid")

# Only a head start: should loading fail here (a cache folder it may not write, say), each worker loads the code,
# or compiles it, at its first game as it would have without the fork server, and meets the error there if any.
with contextlib.suppress(Exception):
    load()
