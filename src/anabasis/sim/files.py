"""Files that appear whole or not at all: written beside their final name, then renamed over it."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO


@contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """A text file that appears under `path` whole, or not at all: written aside, then renamed."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as f:
            yield f
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_json(path: Path, data: dict[str, Any], *, compact: bool = False) -> None:
    """Write JSON atomically: indented for people, or `compact` (and several times quicker) for the machine."""
    with atomic_writer(path) as f:
        if compact:
            f.write(json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False))
        else:
            json.dump(data, f, indent=2, ensure_ascii=False, allow_nan=False)
        f.write("\n")
