"""SSTable blocks: prefix-compressed entries plus a restart array (spec §3.3).

Responsibility: encode a block the way LevelDB's ``BlockBuilder`` does and decode one with full
validation (restart count and positions, ``shared`` never longer than the previous key, every
length inside the entry area). Decoding is a single forward pass, bounded by the block length.

Must not import: torch, tensorflow, numpy, or other scopeflow layers.
"""

from __future__ import annotations

import struct

from scopeflow.checkpoint._errors import DataLossError
from scopeflow.checkpoint._wire import decode_varint, encode_fixed32, encode_varint

__all__ = ["BlockBuilder", "decode_block"]


class BlockBuilder:
    """Accumulates sorted key/value pairs into one block (LevelDB ``BlockBuilder``).

    Args:
        restart_interval: A restart point (an entry with ``shared == 0``) every this many
            entries; TF uses 16 for data blocks and 1 for the index block.
    """

    def __init__(self, restart_interval: int) -> None:
        self._interval = restart_interval
        self._buf = bytearray()
        self._restarts = [0]
        self._counter = 0
        self._last_key = b""

    def empty(self) -> bool:
        """Whether no entry has been added since the last :meth:`reset`."""
        return not self._buf

    def size_estimate(self) -> int:
        """Size of the block if finished now (LevelDB's ``CurrentSizeEstimate``)."""
        return len(self._buf) + 4 * len(self._restarts) + 4

    def add(self, key: bytes, value: bytes) -> None:
        """Append an entry; ``key`` must sort after the previous key."""
        shared = 0
        if self._counter < self._interval:
            last = self._last_key
            limit = min(len(last), len(key))
            while shared < limit and last[shared] == key[shared]:
                shared += 1
        else:
            self._restarts.append(len(self._buf))
            self._counter = 0
        buf = self._buf
        buf += encode_varint(shared)
        buf += encode_varint(len(key) - shared)
        buf += encode_varint(len(value))
        buf += key[shared:]
        buf += value
        self._last_key = key
        self._counter += 1

    def finish(self) -> bytes:
        """Return the block contents (entries, restart array, restart count)."""
        restarts = b"".join(encode_fixed32(r) for r in self._restarts)
        return bytes(self._buf) + restarts + encode_fixed32(len(self._restarts))

    def reset(self) -> None:
        """Start a new, empty block."""
        self._buf = bytearray()
        self._restarts = [0]
        self._counter = 0
        self._last_key = b""


def decode_block(contents: bytes) -> tuple[list[bytes], list[bytes]]:
    """Decode every entry of a block.

    Args:
        contents: The block bytes (already checksum-verified and decompressed).

    Returns:
        ``(keys, values)`` in stored order.

    Raises:
        DataLossError: If the restart array or any entry is malformed ("bad block contents",
            "bad entry in block").

    >>> b = BlockBuilder(16); b.add(b"ab", b"1"); b.add(b"ac", b"2")
    >>> decode_block(b.finish())
    ([b'ab', b'ac'], [b'1', b'2'])
    """
    n = len(contents)
    if n < 4:
        raise DataLossError("bad block contents: shorter than 4 bytes")
    num_restarts = int.from_bytes(contents[n - 4 :], "little")
    if num_restarts > (n - 4) // 4:
        raise DataLossError(f"bad block contents: {num_restarts} restarts do not fit")
    limit = n - 4 * (num_restarts + 1)
    restarts = struct.unpack_from(f"<{num_restarts}I", contents, limit)
    keys: list[bytes] = []
    values: list[bytes] = []
    add_key, add_value = keys.append, values.append
    full_key_starts = []  # offsets of entries with shared == 0 (valid restart points)
    key = b""
    pos = 0
    while pos < limit:
        entry_start = pos
        # limit <= len - 4, so these three reads stay inside the buffer.
        shared, non_shared, value_len = contents[pos], contents[pos + 1], contents[pos + 2]
        if (shared | non_shared | value_len) < 0x80:  # single-byte varints: the common case
            pos += 3
        else:
            shared, pos = decode_varint(contents, pos, limit)
            non_shared, pos = decode_varint(contents, pos, limit)
            value_len, pos = decode_varint(contents, pos, limit)
        if shared > len(key) or non_shared + value_len > limit - pos:
            raise DataLossError("bad entry in block")
        if not shared:
            full_key_starts.append(entry_start)
        key = key[:shared] + contents[pos : pos + non_shared]
        pos += non_shared
        add_key(key)
        add_value(contents[pos : pos + value_len])
        pos += value_len
    if limit == 0:
        if any(restarts):
            raise DataLossError("bad block contents: restart offset outside the entries")
    elif not set(restarts) <= set(full_key_starts):
        raise DataLossError("bad entry in block: restart point is not a full key")
    return keys, values
