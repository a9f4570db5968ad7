"""Crash-safe file replacement: write under a temporary name, fsync, rename, fsync the directory.

Responsibility: the primitives behind atomic checkpoint and state-file saves. Temporary names
follow TensorFlow's ``<final name>.tempstate<random uint64>`` so leftovers from a killed save
are recognisable (and ignored by readers, which only open final names).

Must not import: torch, tensorflow, numpy, or other scopeflow layers.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

__all__ = ["atomic_write_bytes", "fsync_directory", "remove_quietly", "temp_name"]


def temp_name(path: str) -> str:
    """A fresh temporary name next to ``path``.

    >>> temp_name("/d/model.ckpt.index").startswith("/d/model.ckpt.index.tempstate")
    True
    """
    return f"{path}.tempstate{secrets.randbits(64)}"


def fsync_directory(directory: str) -> None:
    """Flush a directory entry change (a rename) to disk where the OS supports it."""
    try:
        fd = os.open(directory or ".", os.O_RDONLY)
    except OSError:  # e.g. Windows cannot open directories; renames are durable there anyway
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_quietly(path: str) -> None:
    """Delete ``path`` if it exists (cleanup after a failed save)."""
    with contextlib.suppress(FileNotFoundError):
        Path(path).unlink()


def atomic_write_bytes(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data`` so readers see either the old or the new file.

    Args:
        path: Destination file; its directory must exist.
        data: The complete new contents.
    """
    tmp = temp_name(path)
    try:
        with Path(tmp).open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        Path(tmp).replace(path)
    except BaseException:
        remove_quietly(tmp)
        raise
    fsync_directory(str(Path(path).parent))
