"""Little-endian fixed-width integers and LEB128 varints, bounds-checked.

Responsibility: the primitive encodings shared by the SSTable container, the protobuf messages
and the string tensor payloads (spec §2). Decoders never read past the end they are given and
raise :class:`~scopeflow.checkpoint._errors.DataLossError` on truncated or over-long input.

Must not import: torch, tensorflow, numpy, or other scopeflow layers.
"""

from __future__ import annotations

import struct

from scopeflow.checkpoint._errors import DataLossError

__all__ = [
    "decode_fixed32",
    "decode_varint",
    "encode_fixed32",
    "encode_fixed64",
    "encode_varint",
]

_FIXED32 = struct.Struct("<I")
_FIXED64 = struct.Struct("<Q")
_MAX_VARINT_BYTES = 10


def encode_varint(value: int) -> bytes:
    """Encode a non-negative integer < 2**64 as an unsigned LEB128 varint.

    Args:
        value: The integer to encode.

    Returns:
        The varint bytes (1 to 10 bytes).

    Raises:
        ValueError: If ``value`` is negative or does not fit in 64 bits.

    >>> encode_varint(300).hex()
    'ac02'
    """
    if value < 0 or value >= 1 << 64:
        raise ValueError(f"varint value out of range: {value}")
    if value < 0x80:
        return bytes((value,))
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_varint(buf: bytes | bytearray | memoryview, pos: int, limit: int) -> tuple[int, int]:
    r"""Decode an unsigned varint (at most 64 bits) from ``buf[pos:limit]``.

    Args:
        buf: The buffer to read from.
        pos: Offset of the first varint byte.
        limit: Offset one past the last byte the varint may use.

    Returns:
        ``(value, new_pos)``.

    Raises:
        DataLossError: If the varint is truncated or longer than 10 bytes / 64 bits.

    >>> decode_varint(b"\x80\xa0\x06", 0, 3)
    (102400, 3)
    """
    if pos < limit:
        byte = buf[pos]
        if byte < 0x80:
            return byte, pos + 1
    result = 0
    shift = 0
    end = min(limit, pos + _MAX_VARINT_BYTES)
    while pos < end:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            if result >= 1 << 64:
                raise DataLossError("varint does not fit in 64 bits")
            return result, pos
        shift += 7
    if pos >= limit:
        raise DataLossError("truncated varint")
    raise DataLossError("varint longer than 10 bytes")


def encode_fixed32(value: int) -> bytes:
    """Encode an unsigned 32-bit integer as 4 little-endian bytes.

    >>> encode_fixed32(1).hex()
    '01000000'
    """
    return _FIXED32.pack(value)


def encode_fixed64(value: int) -> bytes:
    """Encode an unsigned 64-bit integer as 8 little-endian bytes.

    >>> encode_fixed64(0xDB4775248B80FB57).hex()
    '57fb808b247547db'
    """
    return _FIXED64.pack(value)


def decode_fixed32(buf: bytes | bytearray | memoryview, pos: int, limit: int) -> int:
    r"""Decode 4 little-endian bytes at ``buf[pos]`` that must end at or before ``limit``.

    Raises:
        DataLossError: If fewer than 4 bytes remain before ``limit``.

    >>> decode_fixed32(b"\x01\x00\x00\x00", 0, 4)
    1
    """
    if pos < 0 or pos + 4 > limit:
        raise DataLossError("truncated fixed32")
    value: int = _FIXED32.unpack_from(buf, pos)[0]
    return value
