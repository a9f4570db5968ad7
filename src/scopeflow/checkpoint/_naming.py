"""File names of a bundle: ``<prefix>.index`` and ``<prefix>.data-NNNNN-of-MMMMM`` (spec §1).

Responsibility: the exact printf patterns, and converting keys between ``str`` (the public API)
and ``bytes`` (what the index stores). Non-UTF-8 keys survive the round trip through
``surrogateescape``.

Must not import: torch, tensorflow, numpy, or other scopeflow layers.
"""

from __future__ import annotations

import os

__all__ = ["data_path", "index_path", "key_to_bytes", "key_to_str"]


def index_path(prefix: str | os.PathLike[str]) -> str:
    """Return the index file of a checkpoint prefix.

    >>> index_path("/train/model.ckpt-1000")
    '/train/model.ckpt-1000.index'
    """
    return f"{os.fspath(prefix)}.index"


def data_path(prefix: str | os.PathLike[str], shard_id: int, num_shards: int) -> str:
    """Return the data file of shard ``shard_id`` of ``num_shards``.

    >>> data_path("model.ckpt", 0, 1)
    'model.ckpt.data-00000-of-00001'
    """
    return f"{os.fspath(prefix)}.data-{shard_id:05d}-of-{num_shards:05d}"


def key_to_bytes(key: str | bytes) -> bytes:
    """Encode a tensor name for the index (UTF-8; ``bytes`` pass through).

    >>> key_to_bytes("dense/kernel")
    b'dense/kernel'
    """
    if isinstance(key, bytes):
        return key
    return key.encode("utf-8", "surrogateescape")


def key_to_str(key: bytes) -> str:
    """Decode an index key for display and dict keys (inverse of :func:`key_to_bytes`).

    >>> key_to_str(b"dense/kernel")
    'dense/kernel'
    """
    return key.decode("utf-8", "surrogateescape")
