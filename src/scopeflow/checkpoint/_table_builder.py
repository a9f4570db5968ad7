"""SSTable writer reproducing TensorFlow's ``TableBuilder`` byte for byte (spec §10 step 4).

Responsibility: lay out sorted key/value pairs into 256 KiB data blocks (restart interval 16),
an empty metaindex block, an index block of shortest separators (restart interval 1) and the
footer — the same bytes TF's ``BundleWriter::Finish`` / ``MergeBundles`` produce.

Must not import: torch, tensorflow, numpy, or other scopeflow layers.
"""

from __future__ import annotations

from collections.abc import Iterable

from scopeflow.checkpoint._block import BlockBuilder
from scopeflow.checkpoint._table_format import (
    BLOCK_TRAILER_SIZE,
    BlockHandle,
    encode_block_handle,
    encode_footer,
    frame_block,
    frame_block_snappy,
)

__all__ = ["build_table", "shortest_separator", "short_successor"]

TF_BLOCK_SIZE = 262144
TF_RESTART_INTERVAL = 16


def shortest_separator(start: bytes, limit: bytes) -> bytes:
    """LevelDB ``BytewiseComparator::FindShortestSeparator``.

    >>> shortest_separator(b"image_filters/conv1/x", b"image_filters/conv2/a")
    b'image_filters/conv1/x'
    >>> shortest_separator(b"abc", b"azz")
    b'ac'
    """
    n = min(len(start), len(limit))
    i = 0
    while i < n and start[i] == limit[i]:
        i += 1
    if i >= n:
        return start
    byte = start[i]
    if byte < 0xFF and byte + 1 < limit[i]:
        return start[:i] + bytes((byte + 1,))
    return start


def short_successor(key: bytes) -> bytes:
    """LevelDB ``BytewiseComparator::FindShortSuccessor``.

    >>> short_successor(b"image_filters/conv2/weights")
    b'j'
    """
    for i, byte in enumerate(key):
        if byte != 0xFF:
            return key[:i] + bytes((byte + 1,))
    return key


def build_table(
    items: Iterable[tuple[bytes, bytes]],
    *,
    block_size: int = TF_BLOCK_SIZE,
    restart_interval: int = TF_RESTART_INTERVAL,
    snappy: bool = False,
) -> bytes:
    """Return the bytes of an SSTable holding ``items`` (which must be strictly sorted).

    Args:
        items: ``(key, value)`` pairs in strictly increasing bytewise key order.
        block_size: Target data block size; TF uses 256 KiB.
        restart_interval: Restart interval of data blocks; TF uses 16.
        snappy: Store every block Snappy-compressed (TF never does; for reader tests).

    Returns:
        The complete file contents.

    Raises:
        ValueError: If keys are not strictly increasing.
    """
    frame = frame_block_snappy if snappy else frame_block
    out = bytearray()
    data = BlockBuilder(restart_interval)
    index = BlockBuilder(1)
    pending: BlockHandle | None = None
    last_key: bytes | None = None

    def flush() -> None:
        nonlocal pending
        if data.empty():
            return
        framed = frame(data.finish())
        pending = BlockHandle(len(out), len(framed) - BLOCK_TRAILER_SIZE)
        out.extend(framed)
        data.reset()

    for key, value in items:
        if last_key is not None:
            if key <= last_key:
                raise ValueError(f"table keys out of order: {key!r} after {last_key!r}")
            if len(key) + len(value) >= 2 * block_size:
                flush()
        if pending is not None:
            assert last_key is not None
            index.add(shortest_separator(last_key, key), encode_block_handle(pending))
            pending = None
        data.add(key, value)
        last_key = key
        if data.size_estimate() >= block_size:
            flush()
    flush()
    metaindex_contents = BlockBuilder(restart_interval).finish()
    metaindex_framed = frame(metaindex_contents)
    metaindex = BlockHandle(len(out), len(metaindex_framed) - BLOCK_TRAILER_SIZE)
    out.extend(metaindex_framed)
    if pending is not None:
        assert last_key is not None
        index.add(short_successor(last_key), encode_block_handle(pending))
    index_framed = frame(index.finish())
    index_handle = BlockHandle(len(out), len(index_framed) - BLOCK_TRAILER_SIZE)
    out.extend(index_framed)
    out.extend(encode_footer(metaindex, index_handle))
    return bytes(out)
