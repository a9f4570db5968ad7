"""OrderedCode keys of tensor slices (``EncodeTensorNameSlice``, spec §8.3).

Responsibility: build the index key under which TensorFlow stores one slice of a partitioned
variable, byte for byte as ``tensorflow/core/lib/strings/ordered_code.cc`` does. The reader
derives slice keys from the full-tensor entry's ``slices`` (as TF does) rather than parsing
keys, so only the encoder is needed.

Must not import: torch, tensorflow, numpy, or other scopeflow layers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["encode_slice_key", "write_num_increasing", "write_signed_num_increasing"]

_BITS_TO_LENGTH = [1] * 7 + [2] * 7 + [3] * 7 + [4] * 7 + [5] * 7 + [6] * 7 + [7] * 7
_BITS_TO_LENGTH += [8] * 7 + [9] * 7 + [10]
_HEADER = {
    2: (0xC0, 0x00),
    3: (0xE0, 0x00),
    4: (0xF0, 0x00),
    5: (0xF8, 0x00),
    6: (0xFC, 0x00),
    7: (0xFE, 0x00),
    8: (0xFF, 0x00),
    9: (0xFF, 0x80),
    10: (0xFF, 0xC0),
}


def write_num_increasing(value: int) -> bytes:
    """``OrderedCode::WriteNumIncreasing``: length byte, then the value big endian.

    >>> write_num_increasing(300).hex()
    '02012c'
    """
    if value < 0 or value >= 1 << 64:
        raise ValueError(f"WriteNumIncreasing value out of range: {value}")
    n = (value.bit_length() + 7) // 8
    return bytes((n,)) + value.to_bytes(n, "big")


def write_signed_num_increasing(value: int) -> bytes:
    """``OrderedCode::WriteSignedNumIncreasing`` for a signed 64-bit value.

    >>> [write_signed_num_increasing(v).hex() for v in (0, -1, 100, -100, 0x424242)]
    ['80', '7f', 'c064', '3f9c', 'f0424242']
    """
    if value < -(1 << 63) or value >= 1 << 63:
        raise ValueError(f"WriteSignedNumIncreasing value out of range: {value}")
    x = ~value if value < 0 else value
    if x < 64:
        return bytes(((0x80 ^ value) & 0xFF,))
    n = _BITS_TO_LENGTH[x.bit_length()]
    buf = bytearray((value & ((1 << (8 * n)) - 1)).to_bytes(n, "big"))
    first, second = _HEADER[n]
    buf[0] ^= first
    buf[1] ^= second
    return bytes(buf)


_ESCAPES = {b"\x00": b"\x00\xff", b"\xff": b"\xff\x00"}
_SPECIAL = re.compile(b"[\x00\xff]")


def _write_string(data: bytes) -> bytes:
    """``OrderedCode::WriteString``: escape 0x00 and 0xff, then terminate with ``00 01``."""
    return _SPECIAL.sub(lambda m: _ESCAPES[m.group()], data) + b"\x00\x01"


def encode_slice_key(name: bytes, extents: Sequence[tuple[int, int]]) -> bytes:
    r"""Return the index key of slice ``extents`` of tensor ``name``.

    Args:
        name: The full variable name as stored in the index.
        extents: ``(start, length)`` per dimension; ``length == -1`` means the whole dimension.

    Returns:
        The OrderedCode key (starts with ``\x00``, so it sorts before every plain name).

    >>> encode_slice_key(b"part_var", [(4, 3), (0, 4)]).hex()
    '00706172745f7661720001010284838084'
    """
    out = [write_num_increasing(0), _write_string(name), write_num_increasing(len(extents))]
    for start, length in extents:
        out.append(write_signed_num_increasing(start))
        out.append(write_signed_num_increasing(length))
    return b"".join(out)
