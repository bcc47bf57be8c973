"""Kernels a game can start without: run as plain Python until a helper process has compiled them.

The AI's planner is one kernel over the whole week, and numba takes longer to compile it than all the rest of the
rules together; the week's battles, one kernel too, call much that other kernels compile again in another process.
On a fresh machine a game need not wait for them: `Later` calls the very same code interpreted (the kernels it calls
interpreted too, as with `NUMBA_DISABLE_JIT=1`, which gives the same results), while `warmup` has a helper compile
it into the cache, and switches to the machine code once the helper leaves word that it is there. A process that
finds it compiled already, or that is not told to wait, calls the compiled kernel at once.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from numba.core.dispatcher import Dispatcher

_later: list[Later] = []  # every kernel that may be compiled later, for `warmup`


class Later:
    """A kernel called through this while its machine code may not be ready: `wait_for(word)` has it run
    interpreted until the file `word` exists."""

    def __init__(self, kernel: Callable[..., Any]) -> None:
        self.kernel = kernel
        self.word: Path | None = None
        self._interpreted: Callable[..., Any] | None = None
        _later.append(self)

    @property
    def name(self) -> str:
        """`module:name`, as `kernels.json` names it."""
        fn = getattr(self.kernel, "py_func", self.kernel)
        return f"{fn.__module__}:{fn.__name__}"

    def wait_for(self, word: Path) -> None:
        """Run interpreted until `word` exists (a helper writes it once the kernel is in the cache)."""
        self.word = word

    def __call__(self, *args: Any) -> Any:
        if self.word is not None:
            if not self.word.exists():
                return self.interpreted()(*args)
            self.word = None  # compiled now: load it from the cache
        return self.kernel(*args)

    def interpreted(self) -> Callable[..., Any]:
        """The kernel as plain Python, calling the kernels of its modules as plain Python too."""
        if self._interpreted is None:
            self._interpreted = _Twins(self.kernel).of(self.kernel)
        return self._interpreted


def later_kernels() -> list[Later]:
    """The kernels a game may start without."""
    return list(_later)


class _Twins:
    """Plain-Python twins of the kernels of a package: each function runs with globals in which the kernels (and the
    modules holding them) it names are twins in turn. Other packages' kernels stay compiled."""

    def __init__(self, root: Callable[..., Any]) -> None:
        fn = getattr(root, "py_func", root)
        self.package = fn.__module__.rpartition(".")[0] + "."
        self.functions: dict[int, Callable[..., Any]] = {}
        self.modules: dict[str, types.SimpleNamespace] = {}
        self.scopes: dict[str, dict[str, Any]] = {}

    def of(self, value: Any) -> Any:
        """The twin of a global a kernel names: a kernel of the package, a module of it, or the value itself."""
        if isinstance(value, Dispatcher) and value.py_func.__module__.startswith(self.package):
            return self._function(value.py_func)
        if isinstance(value, types.ModuleType) and value.__name__.startswith(self.package):
            return self._module(value)
        return value

    def _function(self, fn: types.FunctionType) -> Callable[..., Any]:
        hit = self.functions.get(id(fn))
        if hit is None:
            hit = types.FunctionType(fn.__code__, self._scope(fn.__module__), fn.__name__, fn.__defaults__)
            self.functions[id(fn)] = hit
        return hit

    def _module(self, module: types.ModuleType) -> types.SimpleNamespace:
        hit = self.modules.get(module.__name__)
        if hit is None:
            hit = self.modules[module.__name__] = types.SimpleNamespace()
            for name, value in vars(module).items():
                setattr(hit, name, self.of(value))
        return hit

    def _scope(self, module: str) -> dict[str, Any]:
        """A module's globals with its kernels and the package's modules twinned (filled in as the twins are made,
        so that kernels calling each other find each other)."""
        hit = self.scopes.get(module)
        if hit is None:
            hit = self.scopes[module] = dict(vars(sys.modules[module]))
            for name, value in list(hit.items()):
                hit[name] = self.of(value)
        return hit
