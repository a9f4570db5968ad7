"""Lazy reader of an SSTable file (the ``.index`` file of a bundle).

Responsibility: footer → index block → data blocks (spec §3), reading each block only when a
lookup or a scan needs it, verifying its CRC on every read from disk and caching the decoded
entries. Point lookups binary-search the index separators and then the block's keys; full
scans check that keys are strictly increasing across the whole table.

Must not import: torch, tensorflow, numpy, or other scopeflow layers.
"""

from __future__ import annotations

import bisect
import itertools
import os
from collections.abc import Iterator

from scopeflow.checkpoint._block import decode_block
from scopeflow.checkpoint._errors import CheckpointNotFoundError, DataLossError
from scopeflow.checkpoint._table_format import (
    BLOCK_TRAILER_SIZE,
    FOOTER_SIZE,
    BlockHandle,
    decode_block_handle,
    decode_footer,
    unframe_block,
)

__all__ = ["TableReader"]


class TableReader:
    """Read-only view of one SSTable file.

    Args:
        path: The table file (a bundle's ``.index``).

    Raises:
        CheckpointNotFoundError: If the file does not exist.
        DataLossError: If the footer, the index block or a data block handle is invalid.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self._fd: int | None = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        except FileNotFoundError:
            raise CheckpointNotFoundError("index file not found", path=path) from None
        try:
            self._size = os.fstat(self._fd).st_size
            self._load_index()
        except BaseException:
            self.close()
            raise
        self._blocks: dict[int, tuple[list[bytes], list[bytes]]] = {}

    def _pread(self, offset: int, size: int) -> bytes:
        assert self._fd is not None, "table is closed"
        data = os.pread(self._fd, size, offset)
        if len(data) != size:
            raise DataLossError("file truncated while reading", path=self.path)
        return data

    def _read_block(self, handle: BlockHandle, what: str) -> bytes:
        end = handle.offset + handle.size + BLOCK_TRAILER_SIZE
        if end > self._size - FOOTER_SIZE:
            raise DataLossError(
                f"{what} block handle ({handle.offset}, {handle.size}) beyond end of file "
                f"({self._size} bytes)",
                path=self.path,
            )
        raw = self._pread(handle.offset, handle.size + BLOCK_TRAILER_SIZE)
        try:
            return unframe_block(raw[: handle.size], raw[handle.size :])
        except DataLossError as exc:
            raise DataLossError(f"{exc.reason} in {what} block", path=self.path) from None

    def _load_index(self) -> None:
        if self._size < FOOTER_SIZE:
            raise DataLossError(
                f"not an sstable (file has {self._size} bytes, fewer than the footer)",
                path=self.path,
            )
        try:
            _, index_handle = decode_footer(self._pread(self._size - FOOTER_SIZE, FOOTER_SIZE))
            keys, values = decode_block(self._read_block(index_handle, "index"))
            handles = [decode_block_handle(v)[0] for v in values]
        except DataLossError as exc:
            if exc.path is not None:
                raise
            raise DataLossError(exc.reason, path=self.path) from None
        for i, handle in enumerate(handles):
            if handle.offset + handle.size + BLOCK_TRAILER_SIZE > self._size - FOOTER_SIZE:
                raise DataLossError(
                    f"data block {i} handle ({handle.offset}, {handle.size}) beyond end of file "
                    f"({self._size} bytes)",
                    path=self.path,
                )
            if i and keys[i] < keys[i - 1]:
                raise DataLossError("index block separators are not sorted", path=self.path)
        self._separators = keys
        self._handles = handles

    @property
    def num_blocks(self) -> int:
        """Number of data blocks listed in the index block."""
        return len(self._handles)

    def block(self, i: int) -> tuple[list[bytes], list[bytes]]:
        """Return ``(keys, values)`` of data block ``i``, reading and verifying it once.

        Raises:
            DataLossError: On a checksum mismatch, a malformed block, keys out of order, or
                keys that do not fit the block's separator range.
        """
        cached = self._blocks.get(i)
        if cached is not None:
            return cached
        contents = self._read_block(self._handles[i], f"data block {i}")
        try:
            keys, values = decode_block(contents)
        except DataLossError as exc:
            raise DataLossError(f"{exc.reason} (data block {i})", path=self.path) from None
        if not keys:
            raise DataLossError(f"data block {i} is empty", path=self.path)
        low = self._separators[i - 1] if i else None
        high = self._separators[i]
        if keys[-1] > high or (low is not None and keys[0] <= low):
            raise DataLossError(f"data block {i} keys outside its index range", path=self.path)
        if any(a >= b for a, b in itertools.pairwise(keys)):
            raise DataLossError(f"data block {i} keys are not sorted", path=self.path)
        self._blocks[i] = (keys, values)
        return keys, values

    def get(self, key: bytes) -> bytes | None:
        """Return the value stored under ``key``, or ``None`` if absent."""
        i = bisect.bisect_left(self._separators, key)
        if i >= len(self._handles):
            return None
        keys, values = self.block(i)
        j = bisect.bisect_left(keys, key)
        if j < len(keys) and keys[j] == key:
            return values[j]
        return None

    def first(self) -> tuple[bytes, bytes] | None:
        """Return the first ``(key, value)`` of the table, or ``None`` if it has no entries."""
        if not self._handles:
            return None
        keys, values = self.block(0)
        return keys[0], values[0]

    def items(self) -> Iterator[tuple[bytes, bytes]]:
        """Yield every ``(key, value)`` in stored (sorted) order."""
        for i in range(len(self._handles)):
            keys, values = self.block(i)
            yield from zip(keys, values, strict=True)

    def close(self) -> None:
        """Close the file; cached blocks stay readable."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
