"""Tensor payloads in a bundle data file: numeric bytes and the DT_STRING layout (spec §7).

Responsibility: turn an array into the exact bytes and masked CRC TensorFlow writes, and turn
verified bytes back into an array. String payloads carry their own length checksum, checked
here; the caller checks the entry CRC of numeric payloads (it has the bytes in hand already).

Must not import: torch, tensorflow, or other scopeflow layers.
"""

from __future__ import annotations

import numpy as np

from scopeflow.checkpoint._crc import crc32c, crc32c_extend, mask
from scopeflow.checkpoint._errors import BundleWriteError, DataLossError
from scopeflow.checkpoint._wire import decode_varint, encode_fixed32, encode_varint

__all__ = ["decode_strings", "encode_numeric", "encode_strings", "to_bytes_element"]

_U32_MAX = 0xFFFFFFFF


def encode_numeric(array: np.ndarray) -> np.ndarray:
    """Return ``array`` as a C-contiguous little-endian array (a copy only when needed)."""
    if array.dtype.byteorder == ">":
        array = array.astype(array.dtype.newbyteorder("<"))
    return np.ascontiguousarray(array)


def to_bytes_element(value: object, *, key: str | bytes | None = None) -> bytes:
    """Convert one element of a string tensor to ``bytes`` (``str`` is UTF-8 encoded).

    Raises:
        BundleWriteError: If the element is neither ``bytes``-like nor ``str``.
    """
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytearray | memoryview | np.bytes_):
        return bytes(value)
    raise BundleWriteError(
        f"string tensor element of type {type(value).__name__} is not bytes or str", key=key
    )


def _lengths_checksum(lengths: list[int]) -> int:
    if not lengths or max(lengths) <= _U32_MAX:
        return crc32c(np.asarray(lengths, dtype="<u4").tobytes())
    crc = 0
    for n in lengths:
        crc = crc32c_extend(crc, n.to_bytes(8 if n > _U32_MAX else 4, "little"))
    return crc


def encode_strings(elements: list[bytes]) -> tuple[bytes, int]:
    """Encode a flattened (C order) string tensor.

    Returns:
        ``(payload, masked_entry_crc)`` exactly as TF's ``WriteStringTensor`` produces them.

    >>> payload, crc = encode_strings([b"scalar string"])
    >>> payload.hex(), hex(crc)
    ('0d611b57097363616c617220737472696e67', '0xd566823c')
    """
    lengths = [len(e) for e in elements]
    length_crc = _lengths_checksum(lengths)
    stored = encode_fixed32(mask(length_crc))
    data = b"".join(elements)
    crc = crc32c_extend(crc32c_extend(length_crc, stored), data)
    payload = b"".join(encode_varint(n) for n in lengths) + stored + data
    return payload, mask(crc)


def decode_strings(payload: bytes, count: int) -> tuple[list[bytes], int]:
    """Decode ``count`` strings from a DT_STRING payload and verify its length checksum.

    Args:
        payload: Exactly the entry's ``size`` bytes.
        count: Number of elements (product of the shape).

    Returns:
        ``(strings, unmasked_entry_crc)``; the caller compares the CRC with the entry's.

    Raises:
        DataLossError: If the payload is too short for ``count`` strings or the length
            checksum does not match.
    """
    size = len(payload)
    if count > size:
        raise DataLossError(f"Invalid size in bundle entry: {size} bytes for {count} strings")
    lengths = []
    pos = 0
    for _ in range(count):
        n, pos = decode_varint(payload, pos, size)
        lengths.append(n)
    if pos + 4 > size:
        raise DataLossError("string tensor truncated before its length checksum")
    stored = payload[pos : pos + 4]
    pos += 4
    if sum(lengths) > size - pos:
        raise DataLossError(
            f"Invalid size in bundle entry: strings need {sum(lengths)} bytes, "
            f"{size - pos} available"
        )
    length_crc = _lengths_checksum(lengths)
    if encode_fixed32(mask(length_crc)) != stored:
        raise DataLossError("The length checksum does not match")
    crc = crc32c_extend(length_crc, stored)
    crc = crc32c_extend(crc, memoryview(payload)[pos : pos + sum(lengths)])
    out = []
    for n in lengths:
        out.append(payload[pos : pos + n])
        pos += n
    return out, crc
