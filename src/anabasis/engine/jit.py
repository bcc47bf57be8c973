"""Compiled kernels: the rules' hot loops, compiled by numba and cached on disk, with a word on the first compile.

A kernel is ordinary Python over numpy arrays and scalars; `@kernel` compiles it on first use and keeps the
machine code beside the module (`cache=True`), so later runs load it in milliseconds. The kernels are the rules,
not a copy of them: with `NUMBA_DISABLE_JIT=1` they run as plain Python and give the same results, for
debugging. No `fastmath`: the floating-point operations are those written, in the order written.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
from numba.core import event

_F = TypeVar("_F", bound=Callable[..., Any])
_njit: Any = numba.njit  # (it takes options its type hints do not list)


def kernel(fn: _F) -> _F:
    """Compile `fn` with numba on its first call (nopython mode, cached on disk). It counts its arrays' references
    even when a `borrowing_kernel` calls it (numba would otherwise compile it as its first caller is), so the
    machine code does not depend on which kernel is compiled first."""
    return cast(_F, _njit(cache=True, _nrt=True)(fn))


def inner_kernel(fn: _F) -> _F:
    """A `kernel` only other kernels call: compiled without the wrapper that would let Python call it, which for a
    record of many arrays takes longer to build than the kernel itself."""
    return cast(_F, _njit(cache=True, _nrt=True, no_cpython_wrapper=True, no_cfunc_wrapper=True)(fn))


def borrowing_kernel(fn: _F) -> _F:
    """An `inner_kernel` that makes no array and hands none back; it only reads and writes those it is handed.
    Compiled without numba's reference counting (`_nrt=False`): counting a reference to each array going in and
    out of a call costs ~6 ns an array (a record of 30, ~0.2 us, most of what a small question costs) and keeps
    LLVM from inlining it. numba refuses to compile one that makes an array itself; the kernels it calls must
    hand back none either (`tests/test_kernels_memory.py` reads them), or the caller would never let it go."""
    return cast(_F, _njit(cache=True, _nrt=False, no_cpython_wrapper=True, no_cfunc_wrapper=True)(fn))


def small_kernel(fn: _F) -> _F:
    """An `inner_kernel` small and called often, compiled into each kernel that calls it (numba's `inline`). A call
    to a compiled function that takes a record of many arrays counts a reference to each array going in and coming
    out, which costs more than such a kernel's own work."""
    return cast(_F, _njit(cache=True, inline="always", no_cpython_wrapper=True, no_cfunc_wrapper=True)(fn))


COMPILING = "compiling the rules for this machine; this happens once"

_tell: list[Callable[[float], None]] = []  # at most one: the window now open, or the terminal's bar


def when_compiling(tell: Callable[[float], None]) -> None:
    """Have `tell(done)` called while this process compiles the kernels: once with 0.0, before the wait, then with
    the share of the work done as `warmup` compiles its list (1.0 at the end). The window open now shows it on
    screen, where the terminal's line would go unseen. It replaces any earlier teller."""
    _tell[:] = [tell]


def compiled_share(done: float) -> None:
    """Tell whoever asked (`when_compiling`) the share of the compile done so far."""
    for tell in _tell:
        tell(done)


class _FirstCompile(event.Listener):
    """Says once per process, before the wait, that the kernels are being compiled (a fresh install, or a new
    version of the rules); loads from the cache compile nothing and say nothing."""

    def __init__(self) -> None:
        self.said = False

    def on_start(self, ev: event.Event) -> None:
        dispatcher = ev.data.get("dispatcher") if isinstance(ev.data, dict) else None
        module = getattr(getattr(dispatcher, "py_func", None), "__module__", None) or ""  # None for exec'd code
        if not self.said and module.startswith("anabasis."):
            self.said = True
            print(f"anabasis: {COMPILING}", file=sys.stderr, flush=True)
            compiled_share(0.0)

    def on_end(self, ev: event.Event) -> None:
        return None


event.register("numba:compile", _FirstCompile())  # type: ignore[no-untyped-call]
