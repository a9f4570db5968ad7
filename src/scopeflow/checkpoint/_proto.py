"""Hand-written protobuf codecs for the four messages stored in a bundle index.

Responsibility: decode and encode ``BundleHeaderProto`` (with ``VersionDef``),
``BundleEntryProto``, ``TensorShapeProto`` and ``TensorSliceProto`` (spec §4) without a protobuf
runtime. Decoding is tolerant the way protobuf is (any field order, last scalar wins, unknown
fields skipped, packed or unpacked repeated ints, missing shape = scalar) and strict about
structure (truncation, bad wire types, negative dims). Encoding reproduces TensorFlow's bytes
exactly: fields in ascending number, proto3 defaults omitted, ``shape`` always present and
``length`` of a slice extent present whenever it is set.

Must not import: torch, tensorflow, numpy, google.protobuf, or other scopeflow layers.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from scopeflow.checkpoint._errors import DataLossError
from scopeflow.checkpoint._wire import decode_varint, encode_fixed32, encode_varint

__all__ = [
    "FULL_EXTENT",
    "BundleEntry",
    "BundleHeader",
    "Extent",
    "decode_dtype_and_shape",
    "decode_entry",
    "decode_header",
    "encode_entry",
    "encode_header",
]

Buffer = bytes | bytearray | memoryview
Extent = tuple[int, int]
"""One dimension of a slice: ``(start, length)``; ``length == -1`` means the whole dimension."""

FULL_EXTENT: Extent = (0, -1)
_MAX_RANK = 64  # NumPy's limit; TF's TensorShape allows 254 but nothing real comes close.

_VARINT, _I64, _LEN, _I32 = 0, 1, 2, 5
_FIXED32 = struct.Struct("<I")


class BundleHeader(NamedTuple):
    """Decoded ``BundleHeaderProto`` (index entry under the empty key)."""

    num_shards: int = 1
    endianness: int = 0
    producer: int = 1
    min_consumer: int = 0
    bad_consumers: tuple[int, ...] = ()


class BundleEntry(NamedTuple):
    """Decoded ``BundleEntryProto``: where a tensor (or one slice of it) lives.

    ``slices`` is non-empty only for the full-tensor entry of a partitioned variable; each
    slice is a tuple of per-dimension :data:`Extent` pairs.
    """

    dtype: int
    shape: tuple[int, ...]
    shard_id: int = 0
    offset: int = 0
    size: int = 0
    crc32c: int = 0
    slices: tuple[tuple[Extent, ...], ...] = ()


def _signed64(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _fields(buf: Buffer, pos: int, end: int) -> Iterator[tuple[int, int, int, int]]:
    """Yield ``(field_number, wire_type, value_or_start, end_of_len)`` for each field.

    For VARINT/I64/I32 fields the third item is the value and the fourth is unused (0); for
    LEN fields they are the payload's start and end offsets.
    """
    while pos < end:
        tag, pos = decode_varint(buf, pos, end)
        number, wire = tag >> 3, tag & 7
        if number == 0:
            raise DataLossError("protobuf field number 0")
        if wire == _VARINT:
            value, pos = decode_varint(buf, pos, end)
            yield number, wire, value, 0
        elif wire == _LEN:
            length, pos = decode_varint(buf, pos, end)
            if length > end - pos:
                raise DataLossError("protobuf length-delimited field runs past its message")
            yield number, wire, pos, pos + length
            pos += length
        elif wire == _I32:
            if pos + 4 > end:
                raise DataLossError("truncated protobuf fixed32 field")
            yield number, wire, int.from_bytes(buf[pos : pos + 4], "little"), 0
            pos += 4
        elif wire == _I64:
            if pos + 8 > end:
                raise DataLossError("truncated protobuf fixed64 field")
            yield number, wire, int.from_bytes(buf[pos : pos + 8], "little"), 0
            pos += 8
        else:
            raise DataLossError(f"unsupported protobuf wire type {wire}")


def _expect(wire: int, wanted: int, what: str) -> None:
    if wire != wanted:
        raise DataLossError(f"protobuf field {what} has wire type {wire}, expected {wanted}")


def _repeated_ints(buf: Buffer, number_wire: tuple[int, int, int, int]) -> list[int]:
    _, wire, a, b = number_wire
    if wire == _VARINT:
        return [_signed64(a)]
    if wire != _LEN:
        raise DataLossError(f"repeated integer field has wire type {wire}")
    out = []
    pos = a
    while pos < b:
        value, pos = decode_varint(buf, pos, b)
        out.append(_signed64(value))
    return out


def decode_header(buf: Buffer) -> BundleHeader:
    """Decode a ``BundleHeaderProto``.

    Raises:
        DataLossError: If the bytes are not a well-formed message.

    >>> decode_header(bytes.fromhex("08011a020801"))
    BundleHeader(num_shards=1, endianness=0, producer=1, min_consumer=0, bad_consumers=())
    """
    num_shards = endianness = producer = min_consumer = 0
    bad: list[int] = []
    for f in _fields(buf, 0, len(buf)):
        number, wire, a, b = f
        if number == 1:
            _expect(wire, _VARINT, "num_shards")
            num_shards = _signed64(a)
        elif number == 2:
            _expect(wire, _VARINT, "endianness")
            endianness = _signed64(a)
        elif number == 3:
            _expect(wire, _LEN, "version")
            for vf in _fields(buf, a, b):
                if vf[0] == 1:
                    _expect(vf[1], _VARINT, "version.producer")
                    producer = _signed64(vf[2])
                elif vf[0] == 2:
                    _expect(vf[1], _VARINT, "version.min_consumer")
                    min_consumer = _signed64(vf[2])
                elif vf[0] == 3:
                    bad.extend(_repeated_ints(buf, vf))
    return BundleHeader(num_shards, endianness, producer, min_consumer, tuple(bad))


def _decode_shape(buf: Buffer, pos: int, end: int) -> tuple[int, ...]:
    dims: list[int] = []
    for number, wire, a, b in _fields(buf, pos, end):
        if number == 2:
            _expect(wire, _LEN, "shape.dim")
            size = 0
            for dnum, dwire, da, _ in _fields(buf, a, b):
                if dnum == 1:
                    _expect(dwire, _VARINT, "shape.dim.size")
                    size = _signed64(da)
            if size < 0:
                raise DataLossError(f"Invalid tensor shape: dimension size {size}")
            dims.append(size)
            if len(dims) > _MAX_RANK:
                raise DataLossError(f"Invalid tensor shape: rank above {_MAX_RANK}")
        elif number == 3:
            _expect(wire, _VARINT, "shape.unknown_rank")
            if a:
                raise DataLossError("Invalid tensor shape: unknown rank")
    return tuple(dims)


def _decode_slice(buf: Buffer, pos: int, end: int) -> tuple[Extent, ...]:
    extents: list[Extent] = []
    for number, wire, a, b in _fields(buf, pos, end):
        if number != 1:
            continue
        _expect(wire, _LEN, "slice.extent")
        start, length = 0, -1
        for enum_, ewire, ea, _ in _fields(buf, a, b):
            if enum_ == 1:
                _expect(ewire, _VARINT, "slice.extent.start")
                start = _signed64(ea)
            elif enum_ == 2:
                _expect(ewire, _VARINT, "slice.extent.length")
                length = _signed64(ea)
        if start < 0 or length < -1:
            raise DataLossError(f"invalid slice extent start={start} length={length}")
        extents.append((start, length))
        if len(extents) > _MAX_RANK:
            raise DataLossError(f"invalid slice: rank above {_MAX_RANK}")
    return tuple(extents)


_shape_cache: dict[bytes, tuple[int, ...]] = {}
_SHAPE_CACHE_LIMIT = 4096


def _cached_shape(payload: bytes) -> tuple[int, ...]:
    shape = _shape_cache.get(payload)
    if shape is None:
        shape = _decode_shape(payload, 0, len(payload))
        if len(_shape_cache) >= _SHAPE_CACHE_LIMIT:
            _shape_cache.clear()
        _shape_cache[payload] = shape
    return shape


def decode_entry(buf: bytes) -> BundleEntry:
    """Decode a ``BundleEntryProto``.

    Entries as TF writes them (each field at most once, ascending field numbers, no slices)
    take a fast path that reads the bytes in one pass; anything else (repeated or reordered
    fields, unknown fields, slices, truncation) goes through the general decoder, which
    applies protobuf's rules and reports errors.

    Raises:
        DataLossError: If the bytes are not a well-formed message or hold an invalid shape.

    >>> decode_entry(bytes.fromhex("080112041202082028800135a85f7cc6"))
    BundleEntry(dtype=1, shape=(32,), shard_id=0, offset=0, size=128, crc32c=3330039720, slices=())
    """
    try:
        entry = _decode_entry_fast(buf)
    except IndexError:
        entry = None
    return entry if entry is not None else _decode_entry_general(buf)


def _decode_entry_fast(buf: bytes) -> BundleEntry | None:
    """Straight-line decoder for TF's canonical field order; ``None`` if it does not apply."""
    n = len(buf)
    if buf[0] != 0x08 or buf[2] != 0x12 or buf[1] >= 0x80 or buf[3] >= 0x80:
        return None
    pos = 4 + buf[3]
    if pos > n:
        return None
    shape = _cached_shape(buf[4:pos])
    shard_id = offset = size = crc = 0
    if pos < n and buf[pos] == 0x18:
        shard_id, pos = decode_varint(buf, pos + 1, n)
    if pos < n and buf[pos] == 0x20:
        offset, pos = decode_varint(buf, pos + 1, n)
    if pos < n and buf[pos] == 0x28:
        size, pos = decode_varint(buf, pos + 1, n)
    if pos + 5 <= n and buf[pos] == 0x35:
        crc = _FIXED32.unpack_from(buf, pos + 1)[0]
        pos += 5
    if pos != n or shard_id >= 1 << 31 or offset >= 1 << 63 or size >= 1 << 63:
        return None
    return BundleEntry(buf[1], shape, shard_id, offset, size, crc)


# What may follow dtype and shape in an entry as TF writes it: shard_id, offset, size (varints)
# and crc32c (fixed32), each optional, in this order, nothing else (no slices, no repeats).
_CANONICAL_TAIL = re.compile(
    rb"(?:\x18[\x80-\xff]{0,9}[\x00-\x7f])?(?:\x20[\x80-\xff]{0,9}[\x00-\x7f])?"
    rb"(?:\x28[\x80-\xff]{0,9}[\x00-\x7f])?(?:\x35[\x00-\xff]{4})?",
    re.DOTALL,
)


def decode_dtype_and_shape(buf: bytes) -> tuple[int, tuple[int, ...]] | None:
    """Dtype and shape of an entry as TF writes it, without decoding the rest.

    Listing a checkpoint needs only these two fields; checking the remainder against a
    pattern (in C) instead of decoding it keeps listing 16,000 variables fast. The result is
    exact: it is only returned when no later field could override dtype or shape and the
    entry has no slices.

    Returns:
        ``(dtype, shape)``, or ``None`` when the entry is not in canonical form (use
        :func:`decode_entry`).

    Raises:
        DataLossError: If the shape is invalid.

    >>> decode_dtype_and_shape(bytes.fromhex("080112041202082028800135a85f7cc6"))
    (1, (32,))
    """
    if len(buf) < 4 or buf[0] != 0x08 or buf[2] != 0x12 or buf[1] >= 0x80 or buf[3] >= 0x80:
        return None
    end = 4 + buf[3]
    if end > len(buf) or _CANONICAL_TAIL.fullmatch(buf, end) is None:
        return None
    return buf[1], _cached_shape(buf[4:end])


def _decode_entry_general(buf: Buffer) -> BundleEntry:
    dtype = shard_id = offset = size = crc = 0
    shape: tuple[int, ...] = ()
    slices: list[tuple[Extent, ...]] = []
    for number, wire, a, b in _fields(buf, 0, len(buf)):
        if number == 1:
            _expect(wire, _VARINT, "dtype")
            dtype = _signed64(a)
        elif number == 2:
            _expect(wire, _LEN, "shape")
            shape = _decode_shape(buf, a, b)
        elif number == 3:
            _expect(wire, _VARINT, "shard_id")
            shard_id = _signed64(a)
        elif number == 4:
            _expect(wire, _VARINT, "offset")
            offset = _signed64(a)
        elif number == 5:
            _expect(wire, _VARINT, "size")
            size = _signed64(a)
        elif number == 6:
            _expect(wire, _I32, "crc32c")
            crc = a
        elif number == 7:
            _expect(wire, _LEN, "slices")
            slices.append(_decode_slice(buf, a, b))
    if shard_id < 0 or offset < 0 or size < 0:
        raise DataLossError(f"negative shard_id/offset/size ({shard_id}, {offset}, {size})")
    return BundleEntry(dtype, shape, shard_id, offset, size, crc, tuple(slices))


def _len_field(tag: int, payload: bytes) -> bytes:
    return bytes((tag,)) + encode_varint(len(payload)) + payload


def _varint_field(tag: int, value: int) -> bytes:
    return bytes((tag,)) + encode_varint(value & 0xFFFFFFFFFFFFFFFF)


def _encode_shape(shape: Sequence[int]) -> bytes:
    dims = b"".join(_len_field(0x12, _varint_field(0x08, d) if d else b"") for d in shape)
    return _len_field(0x12, dims)


def _encode_slice(extents: Sequence[Extent]) -> bytes:
    out = []
    for start, length in extents:
        if start == 0 and length == -1:
            out.append(b"\x0a\x00")
            continue
        body = (_varint_field(0x08, start) if start else b"") + _varint_field(0x10, length)
        out.append(_len_field(0x0A, body))
    return _len_field(0x3A, b"".join(out))


def encode_entry(entry: BundleEntry) -> bytes:
    """Encode a ``BundleEntryProto`` exactly as TensorFlow's ``BundleWriter`` does.

    >>> encode_entry(BundleEntry(dtype=1, shape=(), offset=671, size=4, crc32c=0x897DFDD8)).hex()
    '08011200209f05280435d8fd7d89'
    """
    parts = [_varint_field(0x08, entry.dtype) if entry.dtype else b"", _encode_shape(entry.shape)]
    if entry.shard_id:
        parts.append(_varint_field(0x18, entry.shard_id))
    if entry.offset:
        parts.append(_varint_field(0x20, entry.offset))
    if entry.size:
        parts.append(_varint_field(0x28, entry.size))
    if entry.crc32c:
        parts.append(b"\x35" + encode_fixed32(entry.crc32c))
    parts.extend(_encode_slice(s) for s in entry.slices)
    return b"".join(parts)


def encode_header(header: BundleHeader) -> bytes:
    """Encode a ``BundleHeaderProto`` exactly as TensorFlow does.

    >>> encode_header(BundleHeader(num_shards=3)).hex()
    '08031a020801'
    """
    version = b""
    if header.producer:
        version += _varint_field(0x08, header.producer)
    if header.min_consumer:
        version += _varint_field(0x10, header.min_consumer)
    if header.bad_consumers:
        packed = b"".join(encode_varint(v & 0xFFFFFFFFFFFFFFFF) for v in header.bad_consumers)
        version += _len_field(0x1A, packed)
    out = _varint_field(0x08, header.num_shards) if header.num_shards else b""
    if header.endianness:
        out += _varint_field(0x10, header.endianness)
    return out + _len_field(0x1A, version)
