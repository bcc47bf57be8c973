"""Read a file the user named, whatever it turns out to be.

A path on the command line or in an `include:` may name a FIFO, a device, a socket, a directory or a
symlink loop. Such a file never blocks the program, never fills its memory, and is refused with one line
that says what it is. Only regular files are read, and never more than the caller's bound: a device
reports size 0, so the bound is enforced on the bytes read, not on `stat`.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "is a directory"),
    (stat.S_ISFIFO, "is a named pipe (FIFO)"),
    (stat.S_ISSOCK, "is a socket"),
    (stat.S_ISCHR, "is a device"),
    (stat.S_ISBLK, "is a device"),
)


class UnreadableFile(OSError):
    """A path that names no readable regular file, or one larger than allowed; `reason` is said to the user."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def _kind(mode: int, what: str) -> str:
    for test, kind in _KINDS:
        if test(mode):
            return f"{kind}, not a {what}"
    return f"is not a regular file, so not a {what}"


def _open_error(path: Path, err: OSError, what: str) -> UnreadableFile:
    if err.errno == errno.ENOENT:
        return UnreadableFile(path, "no such file")
    if err.errno == errno.ELOOP:
        return UnreadableFile(path, f"is a loop of symbolic links, not a {what}")
    if err.errno == errno.EISDIR:
        return UnreadableFile(path, f"is a directory, not a {what}")
    if err.errno in (errno.ENXIO, errno.EOPNOTSUPP):  # a socket, or a device with nothing behind it
        return UnreadableFile(path, f"is a socket or device, not a {what}")
    return UnreadableFile(path, f"cannot be read: {err.strerror or err}")


def read_bounded(path: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of the regular file at `path`, refusing anything else and anything over `limit` bytes.

    The file is opened without blocking (a FIFO with no writer would hang an ordinary open) and checked with
    `fstat` on the open descriptor, so it cannot be swapped between the check and the read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        raise _open_error(path, err, what) from None
    too_large = UnreadableFile(path, f"is too large: a {what} may be at most {_size(limit)}")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(path, _kind(info.st_mode, what))
        if info.st_size > limit:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # the file grew, or is a special file in disguise
                raise too_large
    except UnreadableFile:
        raise
    except OSError as err:
        raise UnreadableFile(path, f"cannot be read: {err.strerror or err}") from None
    finally:
        os.close(fd)


def check_writable_target(path: Path, what: str = "file") -> None:
    """Refuse a path to write that names something other than a regular file (or nothing yet)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as err:
        raise _open_error(path, err, what) from None
    if not stat.S_ISREG(mode):
        raise UnreadableFile(path, _kind(mode, what))


def _size(limit: int) -> str:
    return f"{limit / 2**20:.0f} MB" if limit >= 2**20 else f"{limit:,} bytes"
