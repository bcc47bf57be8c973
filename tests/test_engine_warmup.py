"""The first compile of the rules runs on all the machine's cores from a list of the kernels a game calls; the list is
kept up to date with the kernels, and without it (or with a stale one) games are the same, only slower to start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from numba.core import types

from anabasis.engine import warmup
from anabasis.engine.kernel_list import recorded
from anabasis.engine.warmup import MANIFEST, Entry, decode, encode, read_manifest, shares

JIT_ON = os.environ.get("NUMBA_DISABLE_JIT", "0") == "0"

# Builds the campaign's world (the first in the process compiles the list), then plays three weeks with all four AIs
# and says which kernels the game itself still had to compile.
FIRST_GAME = """
import sys
from numba.core import event
from anabasis.ai.registry import make_agent
from anabasis.engine.game import Game
from anabasis.engine.world import compile_world
from anabasis.paths import default_scenario
from anabasis.scenario import load_scenario

world = compile_world(load_scenario(default_scenario()))

class Compiles(event.Listener):
    def on_start(self, ev):
        print("compiled", ev.data["dispatcher"].py_func.__name__)
    def on_end(self, ev):
        pass

event.register("numba:compile", Compiles())
game = Game(world, 3)
commanders = {f: make_agent("ai", f, 2) for f in world.faction_ids}
while game.turn < 3:
    game.play({f: c.orders(game.state, f, game.agent_rng(f)) for f, c in commanders.items()})
print("week", game.turn)
"""


def test_each_kernels_types_read_back_as_the_same_numba_types() -> None:
    entries = read_manifest()
    named = [t for e in entries for t in e.args if isinstance(t, (types.NamedTuple, types.NamedUniTuple))]
    assert named, "the list holds the named tuples the movement and the survey take"
    for entry in entries:
        assert tuple(decode(encode(t)) for t in entry.args) == entry.args, entry.kernel
    readonly = types.Array(types.float64, 2, "A", readonly=True)
    assert decode(encode(readonly)) == readonly
    with pytest.raises(ValueError, match="cannot name"):
        encode(types.unicode_type)


def test_the_shares_are_even_and_hold_every_kernel_once() -> None:
    entries = [Entry(f"m:k{i}", (), s) for i, s in enumerate([5.0, 4.0, 3.0, 3.0, 2.0, 1.0])]
    two = shares(entries, 2)
    assert sorted(e.kernel for share in two for e in share) == sorted(e.kernel for e in entries)
    assert sorted(sum(e.seconds for e in share) for share in two) == [9.0, 9.0]
    assert len(shares(entries[:1], 4)) == 1, "no empty share, so no idle helper process"


def test_a_missing_or_broken_list_is_no_list(tmp_path: Path) -> None:
    broken = tmp_path / "kernels.json"
    broken.write_text('[{"kernel": "anabasis.engine.movement:_move_all", "args": [["vector"]]}]')
    assert read_manifest(broken) == []
    assert read_manifest(tmp_path / "absent.json") == []


def test_without_a_helper_process_this_one_compiles_the_share(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", "/nowhere/python3")
    assert warmup._helper(read_manifest()[:1], warmup._Done([])) is None, "prepare() then compiles that share itself"


@pytest.mark.skipif(not JIT_ON, reason="nothing is compiled with the JIT off")
def test_the_list_names_every_kernel_a_game_calls_with_the_types_it_calls_it_with() -> None:
    """A kernel that takes new arguments, or a new one, would compile in the first game's own time again."""
    listed = [(r["kernel"], r["args"]) for r in json.loads(MANIFEST.read_text(encoding="utf-8"))]
    now = [(r["kernel"], r["args"]) for r in recorded()]
    assert listed == now, "src/anabasis/engine/kernels.json is out of date: run python -m anabasis.engine.kernel_list"


@pytest.mark.skipif(not JIT_ON, reason="nothing is compiled with the JIT off")
def test_on_a_fresh_machine_the_list_is_compiled_once_before_the_games_and_they_compile_nothing(tmp_path: Path) -> None:
    """Two games start at once on a machine that has compiled nothing: one compiles the list (with helpers), the
    other waits for it and loads what it compiled; neither game then compiles a kernel of its own. The planner, the
    longest to compile, they run interpreted while a helper compiles it; the next game runs it compiled."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    run = [sys.executable, "-c", FIRST_GAME]
    both = [subprocess.Popen(run, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in "ab"]
    (out_a, err_a), (out_b, err_b) = (game.communicate(timeout=600) for game in both)
    assert [game.returncode for game in both] == [0, 0], err_a + err_b
    assert out_a.splitlines() == out_b.splitlines() == ["week 3"], "every kernel the games called was compiled ahead"
    assert (err_a + err_b).count("compiling the rules") == 1, "the second waited for the first's compile"
    deadline = time.monotonic() + 600  # the planner, which the games ran interpreted, is compiled by a helper
    while not list(tmp_path.rglob("anabasis-ready-*")) and time.monotonic() < deadline:
        time.sleep(1.0)
    cached = {p.name.split(".")[1].split("-")[0] for p in tmp_path.rglob("*.nbi")}
    assert {e.kernel.split(":")[1] for e in read_manifest()} <= cached, "each one is on disk for the next game"
    folders = {p.parent for p in tmp_path.rglob("*.nbi")}
    stamped = {p.parent for p in tmp_path.rglob(f"{warmup.RULES_STAMP}{warmup._version()}")}
    assert folders <= stamped, "each folder says which version of the rules its code is for"
    again = subprocess.run(run, capture_output=True, text=True, env=env, timeout=600, check=True)
    assert again.stdout == out_a
    assert "compiling the rules" not in again.stderr


def test_machine_code_of_another_version_of_the_rules_is_not_kept(tmp_path: Path) -> None:
    """numba checks a kernel's code on disk against its own file only, so a caller left unchanged would keep running
    the code of a kernel since changed in another file; the cache is kept for one version of the rules."""
    old = ["turn._take_effect-140.py311.nbi", "turn._take_effect-140.py311.1.nbc", "anabasis-ready-aaaa"]
    for name in old:
        (tmp_path / name).write_text("x")
    (tmp_path / "anabasis-warmup.lock").write_text("")
    warmup.forget_other_versions([tmp_path], "aaaa")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["anabasis-rules-aaaa", "anabasis-warmup.lock"]
    for name in old:  # compiled again by this version: kept while the version is the same
        (tmp_path / name).write_text("x")
    warmup.forget_other_versions([tmp_path], "aaaa")
    assert len(list(tmp_path.iterdir())) == 5
    warmup.forget_other_versions([tmp_path, tmp_path / "not-made-yet"], "bbbb")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["anabasis-rules-bbbb", "anabasis-warmup.lock", "not-made-yet"]
