"""Worker processes that end with the process that owns their pool, even when it is killed outright (kill -9).

A pool's workers wait on a queue their siblings also hold open, so a killed owner would leave them running for
good. Each worker holds the reading end of a pipe whose only writing end stays with the owner: the owner's death,
however it comes, closes that end, and a thread in the worker sees the pipe end and exits the worker. On Linux, a
worker whose parent is the owner also has the kernel kill it when the owner dies. Workers started by a fork
server are its children, and the server lives on while they do, so for them the pipe alone does it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from multiprocessing.connection import Connection, wait

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>: the signal this process gets when its parent dies
ORPHANED = 1  # a worker's exit status once its owner is gone


def bind(owner: int, reader: Connection, writer: Connection) -> None:
    """A pool's worker initializer: end this worker as soon as the process `owner` is gone.

    `reader` and `writer` are the ends of the owner's pipe (`multiprocessing.Pipe(duplex=False)`); the worker's own
    copy of `writer`, inherited by a fork or passed by a spawn, is closed so that only the owner's keeps the pipe up.
    """
    writer.close()
    if os.getppid() == owner:
        _kill_when_parent_dies()
        if os.getppid() != owner:  # the owner died before the kernel was asked
            os._exit(ORPHANED)
    threading.Thread(target=_exit_when_cut, args=(reader,), name="lifeline", daemon=True).start()


def _exit_when_cut(reader: Connection) -> None:
    """Wait until the pipe ends (the owner never writes to it), then end this process at once."""
    wait([reader])
    os._exit(ORPHANED)


def _kill_when_parent_dies() -> None:
    """Ask Linux for SIGKILL when this process's parent dies; elsewhere the pipe alone ends the worker."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # no usable libc: the pipe still ends the worker, a moment later
        return
