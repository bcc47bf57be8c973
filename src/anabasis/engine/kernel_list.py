"""`kernels.json`, recorded: the kernels a game calls from Python, with their types and the seconds each takes to
compile, for `warmup.prepare` to share among the cores on a fresh machine.

Run `python -m anabasis.engine.kernel_list` after changing a kernel's arguments or adding one (a test says when).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numba.core.dispatcher import Dispatcher

from anabasis.ai.registry import make_agent
from anabasis.engine.game import Game
from anabasis.engine.legal import legal_orders, why_illegal
from anabasis.engine.odds import preview_combat
from anabasis.engine.orders import Attack
from anabasis.engine.outlook import points_outlook
from anabasis.engine.shortage import supply_check
from anabasis.engine.state import ACTIVE, GameState
from anabasis.engine.warmup import MANIFEST, encode, skip_prepare
from anabasis.engine.world import compile_world
from anabasis.paths import scenarios_dir
from anabasis.scenario import load_scenario


class _Roots:
    """While open, notes each kernel compiled or loaded on a call from Python (not from inside another kernel's
    compile): its types and the seconds that took (a compile's only with an empty cache)."""

    def __init__(self) -> None:
        self.depth = 0
        self.found: list[dict[str, Any]] = []
        self.plain = Dispatcher.compile

    def __enter__(self) -> _Roots:
        plain, roots = self.plain, self

        def noted(found: Dispatcher, sig: Any) -> Any:
            module = getattr(found.py_func, "__module__", None) or ""
            if roots.depth or not module.startswith("anabasis.") or tuple(sig) in found.overloads:
                return plain(found, sig)
            roots.depth += 1
            began = time.perf_counter()
            try:
                return plain(found, sig)
            finally:
                roots.depth -= 1
                seconds = round(time.perf_counter() - began, 2)
                args = [encode(t) for t in sig]
                roots.found.append({"kernel": f"{module}:{found.py_func.__name__}", "args": args, "seconds": seconds})

        setattr(Dispatcher, "compile", noted)  # noqa: B010 (a method of numba's, replaced while recording)
        return self

    def __exit__(self, *exc: object) -> None:
        setattr(Dispatcher, "compile", self.plain)  # noqa: B010


def record(games: Callable[[], None]) -> list[dict[str, Any]]:
    """The kernels `games` calls from Python, in the order it first calls them, with the seconds each took to
    compile (run it with an empty cache for those)."""
    skip_prepare()  # as a game without the list: each kernel when first called
    with _Roots() as roots:
        games()
    return roots.found


def games() -> None:
    """What `kernels.json` is recorded from: the campaign with all four AIs, asked every few weeks what the window
    asks (the legal orders, the odds of attacks, why units go short, what the objectives pay), and a game of random
    orders."""
    for name, agent in (("revolt-1918", "ai"), ("summer-1918", "random")):
        world = compile_world(load_scenario(scenarios_dir() / f"{name}.yaml"))
        game = Game(world, 1)
        commanders = {f: make_agent(agent, f, 2) for f in world.faction_ids}
        while not game.state.ended:
            if game.turn % 10 == 0:
                _ask_as_the_window(game.state)
            game.play({f: c.orders(game.state, f, game.agent_rng(f)) for f, c in commanders.items()})


def _ask_as_the_window(state: GameState) -> None:
    """A player's questions about one week, for each faction."""
    w = state.world
    points_outlook(state)
    for f in w.faction_ids:
        orders = list(legal_orders(state, f))
        for order in orders[:20]:
            why_illegal(state, f, order)
        for attack in [o for o in orders if isinstance(o, Attack)][:3]:
            preview_combat(state, [w.unit_index[attack.unit]], w.station_index[attack.station])
        for unit in np.flatnonzero((state.status == ACTIVE) & (w.unit_faction == w.faction_index[f]))[:5].tolist():
            supply_check(state, unit)


def recorded() -> list[dict[str, Any]]:
    """What `games` calls, recorded in a process of its own (with the cache as it is)."""
    code = "import json; from anabasis.engine import kernel_list as k; print(json.dumps(k.record(k.games)))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        sys.exit(f"anabasis: recording the kernels failed:\n{run.stderr[-3000:]}")
    rows: list[dict[str, Any]] = json.loads(run.stdout.splitlines()[-1])
    return rows


def main() -> None:
    """Record `kernels.json` afresh: the seconds from an empty cache, the kernels and their order once it is full
    (a kernel first compiled inside another's is then seen to be called from Python too)."""
    if os.environ.get("NUMBA_DISABLE_JIT", "0") != "0":
        sys.exit("anabasis: the JIT is off (NUMBA_DISABLE_JIT); nothing would be compiled to record")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["NUMBA_CACHE_DIR"] = cache
        seconds = {r["kernel"]: r["seconds"] for r in recorded()}
        rows = [{**r, "seconds": seconds.get(r["kernel"], 0.0)} for r in recorded()]
    MANIFEST.write_text("[\n" + ",\n".join(json.dumps(r) for r in rows) + "\n]\n", encoding="utf-8")
    print(f"{MANIFEST}: {len(rows)} kernels, {sum(r['seconds'] for r in rows):.1f} s of compiling")


if __name__ == "__main__":
    main()
