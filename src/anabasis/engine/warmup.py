"""The first compile of the rules, shared among the machine's cores: the first game after an install waits for the
largest share of the kernels rather than for all of them in turn.

`kernels.json` lists the kernels a game calls from Python, the types it calls them with and the seconds each took to
compile (with the kernels it calls). `prepare()`, on the first world a process builds, compiles the first of them;
if that came from numba's cache on disk there is nothing to do. Otherwise it splits the list into one share per core
(four at most), has helper processes compile all shares but one into the cache while it compiles that one, and the
game then loads them; a lock in the cache folder keeps a second process starting at the same time (a sim worker, a
second game) from compiling them all again. A kernel the list misses compiles when first called, as it would without
the list, so the list only ever saves time: `python -m anabasis.engine.kernel_list` writes it again after a kernel's
arguments change, and a test says when that is due. The kernels a game can start without (`later`: the planner, the
longest of all to compile, and the battles) are left out of that wait: a detached helper compiles them while the
game runs them interpreted.

numba checks a kernel's machine code on disk against the kernel's own file only: a kernel in a file left as it was
would go on running the code of the kernels it calls as they were compiled, after those were changed in another
file (a `git pull`, an edit). So the cache is kept for one version of the rules' code: `prepare()` clears what
another version compiled before it compiles anything.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple

import numba
import numpy as np
from filelock import FileLock, Timeout
from numba.core import types
from numba.core.dispatcher import Dispatcher
from numba.np.numpy_support import from_dtype

from anabasis.engine.jit import compiled_share
from anabasis.engine.later import Later, later_kernels
from anabasis.machine import cores

MANIFEST = Path(__file__).with_name("kernels.json")

Code = str | list[Any]  # a numba type as JSON: a scalar's name, or [kind, ...]


class Entry(NamedTuple):
    """A kernel by `module:name`, the types of one call to it, and the seconds its compile took."""

    kernel: str
    args: tuple[types.Type, ...]
    seconds: float


def encode(t: types.Type) -> Code:
    """A kernel argument's type as JSON (the few kinds the rules pass: scalars, arrays, tuples, named tuples)."""
    if isinstance(t, (types.Integer, types.Float, types.Boolean)):
        return str(t.name)
    if isinstance(t, types.Array):
        return ["array", str(t.dtype.name), int(t.ndim), str(t.layout), *([] if t.mutable else ["readonly"])]
    if isinstance(t, (types.NamedTuple, types.NamedUniTuple)):
        return ["named", f"{t.instance_class.__module__}:{t.instance_class.__qualname__}", [encode(x) for x in t]]
    if isinstance(t, (types.Tuple, types.UniTuple)):
        return ["tuple", [encode(x) for x in t]]
    raise ValueError(f"a kernel takes a {t}, which kernels.json cannot name; add its kind to warmup.encode")


def decode(code: Code) -> types.Type:
    """The numba type `encode` wrote."""
    if isinstance(code, str):
        scalar: types.Type = from_dtype(np.dtype(code))
        return scalar
    kind, *rest = code
    if kind == "array":
        return types.Array(from_dtype(np.dtype(rest[0])), rest[1], rest[2], readonly="readonly" in rest[3:])
    if kind == "tuple":
        fields = [decode(x) for x in rest[0]]  # a UniTuple when they agree, as numba types the value
        return types.Tuple(fields)  # type: ignore[no-untyped-call]
    if kind == "named":
        module, name = rest[0].split(":")
        cls = getattr(importlib.import_module(module), name)
        fields = [decode(x) for x in rest[1]]
        if len(set(fields)) == 1:
            return types.NamedUniTuple(fields[0], len(fields), cls)  # type: ignore[no-untyped-call]
        return types.NamedTuple(fields, cls)  # type: ignore[no-untyped-call]
    raise ValueError(f"no such kind of type in kernels.json: {kind!r}")


def read_manifest(path: Path = MANIFEST) -> list[Entry]:
    """The kernels to compile ahead; none if the list is missing or names what this version does not have."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [Entry(r["kernel"], tuple(decode(a) for a in r["args"]), float(r["seconds"])) for r in rows]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ImportError):
        return []


def dispatcher(kernel: str) -> Dispatcher | None:
    """The compiled kernel `module:name`; None with the JIT off (kernels are plain functions) or if it is gone."""
    module, name = kernel.split(":")
    try:
        found = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None
    return found if isinstance(found, Dispatcher) else None


def shares(entries: Sequence[Entry], n: int) -> list[list[Entry]]:
    """`entries` in `n` shares of about equal seconds, the longest first into the lightest share."""
    out: list[list[Entry]] = [[] for _ in range(n)]
    load = [0.0] * n
    for entry in sorted(entries, key=lambda e: (-e.seconds, e.kernel)):
        k = load.index(min(load))
        out[k].append(entry)
        load[k] += entry.seconds
    return [share for share in out if share]


def compile_entry(entry: Entry) -> None:
    """Compile an entry, or load it from the cache; one whose kernel is gone is skipped."""
    found = dispatcher(entry.kernel)
    if found is not None:
        found.compile(entry.args)


def _compiled_now(entry: Entry) -> bool:
    """Compile `entry`; whether that was a compile rather than a load from the cache."""
    found = dispatcher(entry.kernel)
    if found is None or entry.args in found.overloads:
        return False
    misses = sum(found.stats.cache_misses.values())
    found.compile(entry.args)
    return sum(found.stats.cache_misses.values()) > misses


MOST_PROCESSES = 4  # beyond this the longest kernel sets the wait, and each helper costs its imports and memory
PATIENCE = 600.0  # seconds a helper is given; what one still had left then compiles when the game first calls it

_prepared: list[bool] = []


def skip_prepare() -> None:
    """Leave each kernel to compile when first called, as without the list (to record the list)."""
    _prepared.append(True)


def prepare() -> None:
    """Make sure the kernels are compiled for this machine, on all its cores at once if none are (once a process)."""
    if _prepared:
        return
    _prepared.append(True)
    entries = read_manifest()
    if not entries or dispatcher(entries[0].kernel) is None:
        return  # no list, or the JIT is off
    for module in {e.kernel.split(":")[0] for e in entries}:
        importlib.import_module(module)  # which registers the kernels a game can start without
    later = {k.name: k for k in later_kernels()}
    now = [e for e in entries if e.kernel not in later]
    probe = now[0]  # the first a game calls
    lock = _lock(probe)
    try:
        forget_other_versions({f for e in entries if (f := _cache_folder(e)) is not None}, _version())
        if _compiled_now(probe):
            _compile_shared(now[1:])
        # else the cache holds them: the game loads each when it first calls it
    finally:
        if lock is not None:
            lock.release()
    after = [e for e in entries if e.kernel in later]
    if after:
        _compile_later(after, list(later.values()))


RULES_STAMP = "anabasis-rules-"  # and the version: what the machine code in a cache folder was compiled from
READY = "anabasis-ready-"  # and the version: word from a helper that the kernels left to it are compiled


def forget_other_versions(folders: Iterable[Path], version: str) -> None:
    """Remove from each cache folder the machine code another version of the rules compiled (a folder keeps a
    stamp of the version its code is for)."""
    for folder in folders:
        stamp = folder / f"{RULES_STAMP}{version}"
        if stamp.exists():
            continue
        try:
            code = ("*.nbi", "*.nbc", f"{RULES_STAMP}*", f"{READY}*")  # the code, and word of it
            for old in [path for pattern in code for path in folder.glob(pattern)]:
                old.unlink(missing_ok=True)
            folder.mkdir(parents=True, exist_ok=True)
            stamp.touch()
        except OSError:  # a folder it may not write: numba keeps no code there
            continue


def load() -> None:
    """Have the machine code of every listed kernel in this process now, rather than at each one's first call: for
    a process others are forked from, so that each starts with it. Kernels still left to a helper stay as they
    are (interpreted until its word comes)."""
    prepare()
    for entry in ready():
        compile_entry(entry)


def ready() -> list[Entry]:
    """The listed kernels a process may have compiled now: all but those left to a helper and not compiled yet."""
    waiting = {k.name for k in later_kernels() if k.word is not None}
    return [entry for entry in read_manifest() if entry.kernel not in waiting]


def _compile_later(entries: Sequence[Entry], kernels: Sequence[Later]) -> None:
    """Have the kernels a game can start without run interpreted until a helper has compiled `entries` into the
    cache and left word of it; unless word is there already. One helper at a time compiles them on a machine."""
    folder = _cache_folder(entries[0])
    if folder is None:
        return  # no cache to compile into: they compile when first called
    word = _word(folder)
    if word.exists():
        return
    for k in kernels:
        k.wait_for(word)
    busy = FileLock(folder / LATER_LOCK, timeout=0)
    try:
        busy.acquire()  # free: no helper at it now; let go at once for the helper to take
        busy.release()
    except Timeout:
        return  # a helper is at it already
    _detached([e.kernel for e in entries])


def _cache_folder(entry: Entry) -> Path | None:
    """The folder numba keeps the entry's kernel in; None with no kernel or no cache."""
    found = dispatcher(entry.kernel)
    folder = found.stats.cache_path if found is not None else None
    return None if folder is None else Path(folder)


def _word(folder: Path) -> Path:
    """The file a helper leaves in `folder` once the kernels a game can start without are compiled there."""
    return folder / f"{READY}{_version()}"


LATER_LOCK = "anabasis-later.lock"  # held by the helper compiling the kernels a game can start without


@functools.cache
def _version() -> str:
    """A digest of the rules' code and of numba: word of a compile is good for the very code it compiled (the code
    this process imported: worked out once)."""
    digest = hashlib.sha256(numba.__version__.encode())
    package = Path(__file__).resolve().parents[1]
    for source in sorted(package.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


LATER = "from anabasis.engine.warmup import help_compile_later; help_compile_later()"


def _detached(names: list[str]) -> None:
    """Start a helper that outlives this process to compile the kernels `names` (`help_compile_later`)."""
    quiet = subprocess.DEVNULL
    try:
        helper = subprocess.Popen(
            [sys.executable, "-c", LATER], stdin=subprocess.PIPE, stdout=quiet, stderr=quiet, env=_helper_env(),
            text=True, start_new_session=True,
        )  # fmt: skip
        assert helper.stdin is not None
        with helper.stdin:
            helper.stdin.write(json.dumps(names))
    except OSError:  # no interpreter to start, or it died at once: the kernels stay interpreted this time
        return


def help_compile_later() -> None:
    """A helper's work: the kernels named on standard input compiled into the cache, and word left that they are."""
    names = set(json.loads(sys.stdin.read()))
    skip_prepare()
    entries = [e for e in read_manifest() if e.kernel in names]
    folder = _cache_folder(entries[0]) if entries else None
    if folder is None:
        return
    busy = FileLock(folder / LATER_LOCK, timeout=0)
    try:
        with busy:
            for entry in entries:
                compile_entry(entry)
            _word(folder).touch()
    except Timeout:
        return  # another helper is at it


def _lock(probe: Entry) -> FileLock | None:
    """The machine's lock on compiling the list into this cache, acquired: a second game or sim worker starting
    cold waits for the first to finish, then loads what it compiled. None if no lock can be had (a cache folder
    it may not write, or too long a wait): then each process compiles what it needs."""
    folder = _cache_folder(probe)
    if folder is None:
        return None
    lock = FileLock(folder / "anabasis-warmup.lock", timeout=PATIENCE)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except (OSError, Timeout):
        return None
    return lock


def _compile_shared(entries: Sequence[Entry]) -> None:
    """Compile `entries`, a share in this process and the others each in a helper process of its own, telling how
    far the work has got as it goes (`jit.compiled_share`)."""
    first, *others = shares(entries, min(cores(), MOST_PROCESSES)) or [[]]
    done = _Done(entries)
    helpers = []
    for share in others:
        helper = _helper(share, done)
        if helper is None:
            first += share  # no helper to be had: this process compiles its share too
        else:
            helpers.append(helper)
    try:
        for entry in first:
            compile_entry(entry)
            done.add(entry.kernel)
            done.tell()
    finally:
        deadline = time.monotonic() + PATIENCE
        for helper in helpers:
            _await(helper, deadline, done)
        for reader in done.readers:  # at the end of their helper's output now: none is left running
            reader.join()
    compiled_share(1.0)


class _Done:
    """The seconds of the list compiled so far, in this process and by the helpers (whose readers add to it from
    their threads; only this process's own thread tells it on)."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.seconds = {e.kernel: e.seconds for e in entries}
        self.total = sum(self.seconds.values()) or 1.0
        self.so_far = 0.0
        self.readers: list[threading.Thread] = []  # the threads reading the helpers' output

    def add(self, kernel: str) -> None:
        self.so_far += self.seconds.get(kernel, 0.0)

    def tell(self) -> None:
        compiled_share(min(self.so_far / self.total, 1.0))


def _await(helper: subprocess.Popen[str], deadline: float, done: _Done) -> None:
    """Wait for a helper, telling the progress meanwhile; one still busy at `deadline` is stopped."""
    while True:
        try:
            helper.wait(timeout=TICK)
            return
        except subprocess.TimeoutExpired:
            if time.monotonic() > deadline:
                helper.kill()
                helper.wait()
                return
            done.tell()


TICK = 0.1  # seconds between tellings of the progress while the helpers finish
HELP = "from anabasis.engine.warmup import help_compile; help_compile()"


def _helper(share: list[Entry], done: _Done) -> subprocess.Popen[str] | None:
    """A process that compiles `share` into the cache: it reads the kernels' names on its input and names each
    on its output once compiled, for `done`. None if no process could be started."""
    pipe = subprocess.PIPE
    try:
        helper = subprocess.Popen(
            [sys.executable, "-c", HELP],
            stdin=pipe,
            stdout=pipe,
            stderr=subprocess.DEVNULL,
            env=_helper_env(),
            text=True,
        )
    except OSError:  # no interpreter to start
        return None
    assert helper.stdin is not None and helper.stdout is not None
    try:
        with helper.stdin:
            helper.stdin.write(json.dumps([e.kernel for e in share]))
    except OSError:  # it died at once
        helper.wait()
        return None
    reader = threading.Thread(target=_read, args=(helper.stdout, done), daemon=True)
    reader.start()
    done.readers.append(reader)
    return helper


def _helper_env() -> dict[str, str]:
    """A helper's environment: this one, with the folder this anabasis is imported from first on its path."""
    src = str(Path(__file__).resolve().parents[2])
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}


def _read(names: IO[str], done: _Done) -> None:
    """A helper's output, the kernels it has compiled, one a line, added to `done` as they come."""
    with names:
        for name in names:
            done.add(name.strip())


def help_compile() -> None:
    """A helper's work: the kernels named on standard input, compiled into the cache."""
    names = set(json.loads(sys.stdin.read()))
    for entry in read_manifest():
        if entry.kernel in names:
            compile_entry(entry)
            print(entry.kernel, flush=True)
