"""What this machine gives the process: how many cores it may run on (for worker and compile processes)."""

from __future__ import annotations

import os


def cores() -> int:
    """The cores this process may run on: its affinity where the system tells it (Linux), else all of them."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
