"""SSTable framing: block handles, block trailers, Snappy blocks and the 48-byte footer.

Responsibility: spec §3.1, §3.2 and §3.6 — everything between "bytes of the ``.index`` file"
and "verified block contents". Every offset and size is checked against the file length before
anything is read or allocated; a Snappy block's declared size is checked against the maximum
expansion ratio of the format before decompressing.

Must not import: torch, tensorflow, numpy, or other scopeflow layers.
"""

from __future__ import annotations

from typing import NamedTuple

import cramjam

from scopeflow.checkpoint._crc import crc32c, mask
from scopeflow.checkpoint._errors import DataLossError
from scopeflow.checkpoint._wire import decode_fixed32, decode_varint, encode_fixed32, encode_varint

__all__ = [
    "BLOCK_TRAILER_SIZE",
    "FOOTER_SIZE",
    "TABLE_MAGIC",
    "BlockHandle",
    "decode_block_handle",
    "decode_footer",
    "encode_block_handle",
    "encode_footer",
    "frame_block",
    "frame_block_snappy",
    "unframe_block",
]

TABLE_MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
BLOCK_TRAILER_SIZE = 5
_NO_COMPRESSION = 0
_SNAPPY = 1
# A Snappy element expands at most 64 output bytes per 3 input bytes (2-byte-offset copy).
_SNAPPY_MAX_RATIO = 22


class BlockHandle(NamedTuple):
    """Location of a block in the table file (``size`` excludes the 5-byte trailer)."""

    offset: int
    size: int


def encode_block_handle(handle: BlockHandle) -> bytes:
    """Encode a handle as two varints.

    >>> encode_block_handle(BlockHandle(0, 178)).hex()
    '00b201'
    """
    return encode_varint(handle.offset) + encode_varint(handle.size)


def decode_block_handle(buf: bytes, pos: int = 0) -> tuple[BlockHandle, int]:
    """Decode a handle at ``buf[pos:]``; trailing bytes are allowed (TF tolerates them).

    Returns:
        ``(handle, position after it)``.

    >>> decode_block_handle(bytes.fromhex("00b201"))
    (BlockHandle(offset=0, size=178), 3)
    """
    offset, pos = decode_varint(buf, pos, len(buf))
    size, pos = decode_varint(buf, pos, len(buf))
    return BlockHandle(offset, size), pos


def encode_footer(metaindex: BlockHandle, index: BlockHandle) -> bytes:
    """Encode the 48-byte table footer."""
    handles = encode_block_handle(metaindex) + encode_block_handle(index)
    return (
        handles.ljust(FOOTER_SIZE - 8, b"\x00")
        + encode_fixed32(TABLE_MAGIC & 0xFFFFFFFF)
        + encode_fixed32(TABLE_MAGIC >> 32)
    )


def decode_footer(footer: bytes) -> tuple[BlockHandle, BlockHandle]:
    """Decode the footer into ``(metaindex_handle, index_handle)``.

    Raises:
        DataLossError: "not an sstable (bad magic number)" or malformed handles.
    """
    if len(footer) != FOOTER_SIZE:
        raise DataLossError("not an sstable (file shorter than the 48-byte footer)")
    lo = decode_fixed32(footer, FOOTER_SIZE - 8, FOOTER_SIZE)
    hi = decode_fixed32(footer, FOOTER_SIZE - 4, FOOTER_SIZE)
    if (hi << 32) | lo != TABLE_MAGIC:
        raise DataLossError("not an sstable (bad magic number)")
    handles = footer[: FOOTER_SIZE - 8]
    metaindex, pos = decode_block_handle(handles)
    index, _ = decode_block_handle(handles, pos)
    return metaindex, index


def frame_block(contents: bytes) -> bytes:
    """Append the trailer (type 0 = uncompressed, masked CRC) to block contents."""
    trailer_type = bytes((_NO_COMPRESSION,))
    return contents + trailer_type + encode_fixed32(mask(crc32c(contents + trailer_type)))


def frame_block_snappy(contents: bytes) -> bytes:
    """Snappy-compress block contents and append a type-1 trailer.

    TF's bundle writer never does this; it exists so readers can be tested on the
    compressed form that old TF versions and other table writers produce.
    """
    compressed = bytes(cramjam.snappy.compress_raw(contents))
    trailer_type = bytes((_SNAPPY,))
    return compressed + trailer_type + encode_fixed32(mask(crc32c(compressed + trailer_type)))


def unframe_block(stored: bytes, trailer: bytes) -> bytes:
    """Verify a block's trailer and return its (decompressed) contents.

    Args:
        stored: The ``handle.size`` bytes of the block as stored.
        trailer: The 5 bytes that follow them.

    Raises:
        DataLossError: "block checksum mismatch", "bad block type", or a corrupt Snappy block.
    """
    block_type = trailer[0]
    expected = decode_fixed32(trailer, 1, BLOCK_TRAILER_SIZE)
    if mask(crc32c(stored + trailer[:1])) != expected:
        raise DataLossError("block checksum mismatch")
    if block_type == _NO_COMPRESSION:
        return stored
    if block_type != _SNAPPY:
        raise DataLossError(f"bad block type {block_type}")
    declared, _ = decode_varint(stored, 0, len(stored))
    if declared > _SNAPPY_MAX_RATIO * len(stored):
        raise DataLossError(f"corrupted compressed block (declares {declared} bytes)")
    try:
        out = bytes(cramjam.snappy.decompress_raw(stored))
    except Exception as exc:  # cramjam raises its own DecompressionError type
        raise DataLossError(f"corrupted compressed block ({exc})") from None
    if len(out) != declared:
        raise DataLossError("corrupted compressed block (length mismatch)")
    return out
