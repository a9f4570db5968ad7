"""TFRecord files: ``tf.python_io.TFRecordWriter``, ``tf_record_iterator``, ``TFRecordOptions``.

The framing is TF's, byte for byte: each record is ``uint64 length`` (little endian),
``uint32 masked_crc32c(length)``, the data, ``uint32 masked_crc32c(data)``. ZLIB and GZIP files
are that stream compressed with zlib using TF's defaults (level ``Z_DEFAULT_COMPRESSION``,
``memLevel`` 9, window bits 15, +16 for the gzip wrapper), which is what makes our compressed
files byte-identical to TF's too.

Reading follows TF's rules: a file ending inside a record *header* ends the records silently;
one ending inside the data or footer raises ``DataLossError("truncated record at <offset>' failed
with Read less bytes than requested")``; a CRC mismatch raises ``DataLossError("corrupted record
at <offset>")`` (``(Is this even a TFRecord file?)`` added at offset 0). scopeflow adds the
file's path on a second line. A missing file raises ``NotFoundError``.

Must not import ``scopeflow.compat``, ``scopeflow.cli`` or ``scopeflow.run``.

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "x.tfrecord")
>>> with TFRecordWriter(path) as w:
...     w.write(b"hello")
...     w.write(b"")
>>> list(tf_record_iterator(path))
[b'hello', b'']
"""

from __future__ import annotations

import enum
import mmap
import os
import struct
import zlib
from collections.abc import Iterator
from typing import IO, Any

from crc32c import crc32c as _crc32c_raw

from scopeflow import errors
from scopeflow.app.compat import as_bytes, as_text
from scopeflow.checkpoint._crc import crc32c, mask

_HEADER = struct.Struct("<QI")
_FOOTER = struct.Struct("<I")
_CHUNK = 256 * 1024


class TFRecordCompressionType(enum.IntEnum):
    """The compression of a TFRecord file (TF's enum values)."""

    NONE = 0
    ZLIB = 1
    GZIP = 2


_NAMES = {TFRecordCompressionType.NONE: "", "": "", None: "", "ZLIB": "ZLIB", "GZIP": "GZIP"}
_NAMES[TFRecordCompressionType.ZLIB] = "ZLIB"
_NAMES[TFRecordCompressionType.GZIP] = "GZIP"


class TFRecordOptions:
    """Options for reading and writing TFRecord files (``tf.io.TFRecordOptions``).

    Args:
        compression_type: ``"GZIP"``, ``"ZLIB"``, ``""``/None, or a ``TFRecordCompressionType``.
        flush_mode, input_buffer_size, output_buffer_size, window_bits, compression_level,
        compression_method, mem_level, compression_strategy: zlib settings (None: TF's default).

    Raises:
        ValueError: for another compression type (TF's message).
    """

    compression_type_map = {
        TFRecordCompressionType.ZLIB: "ZLIB",
        TFRecordCompressionType.GZIP: "GZIP",
        TFRecordCompressionType.NONE: "",
    }

    def __init__(
        self,
        compression_type: Any = None,
        flush_mode: int | None = None,
        input_buffer_size: int | None = None,
        output_buffer_size: int | None = None,
        window_bits: int | None = None,
        compression_level: int | None = None,
        compression_method: int | None = None,
        mem_level: int | None = None,
        compression_strategy: int | None = None,
    ) -> None:
        if compression_type not in _NAMES:
            raise ValueError(f'Not a valid compression_type: "{compression_type}"')
        self.compression_type = compression_type
        self.flush_mode = flush_mode
        self.input_buffer_size = input_buffer_size
        self.output_buffer_size = output_buffer_size
        self.window_bits = window_bits
        self.compression_level = compression_level
        self.compression_method = compression_method
        self.mem_level = mem_level
        self.compression_strategy = compression_strategy

    @classmethod
    def get_compression_type_string(cls, options: Any) -> str:
        """``"GZIP"``, ``"ZLIB"`` or ``""`` for options, a type name or None."""
        if not options:
            return ""
        if isinstance(options, TFRecordOptions):
            return _NAMES[options.compression_type]
        if options in _NAMES:
            return _NAMES[options]
        return _NAMES[TFRecordOptions(options).compression_type]

    def _window_bits(self, kind: str) -> int:
        bits = zlib.MAX_WBITS if self.window_bits is None else self.window_bits
        return bits + 16 if kind == "GZIP" else bits


def _options(options: Any) -> TFRecordOptions:
    if isinstance(options, TFRecordOptions):
        return options
    return TFRecordOptions(options or None)


def _local_path(path: Any) -> str:
    from scopeflow.app.gfile import _local  # noqa: PLC0415  (path rules shared with gfile)

    return _local(path)


def _open(path: str, mode: str) -> IO[bytes]:
    from scopeflow.app.gfile import _os_error  # noqa: PLC0415

    try:
        return open(path, mode)  # noqa: PTH123
    except OSError as e:
        raise _os_error(e, path) from None


def encode_record(data: bytes) -> bytes:
    """One record in TF's framing (header, data, footer).

    >>> encode_record(b"a").hex()
    '01000000000000000175de4161786ee428'
    """
    length = _HEADER.pack(len(data), 0)[:8]
    return b"".join(
        (length, _FOOTER.pack(mask(crc32c(length))), data, _FOOTER.pack(mask(crc32c(data))))
    )


class TFRecordWriter:
    """Writes records to a TFRecord file (``tf.io.TFRecordWriter``, ``tf.python_io``).

    Args:
        path: the file to create (truncated if it exists).
        options: a ``TFRecordOptions`` or a compression type string.
    """

    def __init__(self, path: Any, options: Any = None) -> None:
        opts = _options(options)
        self._kind = TFRecordOptions.get_compression_type_string(opts)
        self._path = _local_path(path)
        self._file: IO[bytes] | None = _open(self._path, "wb")
        self._compressor: Any = None
        if self._kind:
            self._compressor = zlib.compressobj(
                zlib.Z_DEFAULT_COMPRESSION
                if opts.compression_level is None
                else opts.compression_level,
                zlib.DEFLATED if opts.compression_method is None else opts.compression_method,
                opts._window_bits(self._kind),
                9 if opts.mem_level is None else opts.mem_level,
                zlib.Z_DEFAULT_STRATEGY
                if opts.compression_strategy is None
                else opts.compression_strategy,
            )

    def __enter__(self) -> TFRecordWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _put(self, data: bytes) -> None:
        if self._file is None:
            raise errors.FailedPreconditionError(None, None, "Writer is closed.")
        if self._compressor is not None:
            data = self._compressor.compress(data)
        self._file.write(data)

    def write(self, record: Any) -> None:
        """Appends one record (``bytes`` or ``str``)."""
        self._put(encode_record(as_bytes(record)))

    def flush(self) -> None:
        """Flushes written records to the file (a compressed stream gets a zlib sync flush)."""
        if self._file is None:
            raise errors.FailedPreconditionError(None, None, "Writer is closed.")
        if self._compressor is not None:
            self._file.write(self._compressor.flush(zlib.Z_SYNC_FLUSH))
        self._file.flush()

    def close(self) -> None:
        """Finishes the file; closing twice is allowed."""
        if self._file is None:
            return
        if self._compressor is not None:
            self._file.write(self._compressor.flush(zlib.Z_FINISH))
        self._file.close()
        self._file = None


class _Reader:
    """Sequential bytes of a (possibly compressed) file."""

    def __init__(self, path: str, kind: str, opts: TFRecordOptions) -> None:
        self._file = _open(path, "rb")
        self._decompressor: Any = zlib.decompressobj(opts._window_bits(kind)) if kind else None
        self._buf = b""
        self._pos = 0
        self._eof = False

    def _fill(self, n: int) -> None:
        """Makes at least ``n`` bytes available after ``_pos`` unless the stream ends."""
        while len(self._buf) - self._pos < n and not self._eof:
            chunk = self._file.read(max(_CHUNK, n))
            if self._decompressor is not None:
                if chunk:
                    try:
                        data = self._decompressor.decompress(chunk)
                    except zlib.error as e:
                        text = str(e)
                        code, _, reason = text.partition(" while decompressing data: ")
                        raise errors.DataLossError(
                            None, None, f"inflate() failed with {code.lower()}: {reason}"
                        ) from None
                else:
                    data, self._eof = self._decompressor.flush(), True
            else:
                data = chunk
                self._eof = not chunk
            self._buf = self._buf[self._pos :] + data
            self._pos = 0

    def read(self, n: int) -> bytes:
        self._fill(n)
        out = self._buf[self._pos : self._pos + n]
        self._pos += len(out)
        return out

    def close(self) -> None:
        self._file.close()


def _data_loss(message: str, path: str) -> errors.DataLossError:
    return errors.DataLossError(None, None, f"{message}\n\tin TFRecord file {path}")


def read_records(path: Any, options: Any = None) -> Iterator[bytes]:
    """The records of a TFRecord file, checked against their CRCs.

    Raises:
        NotFoundError: the file does not exist.
        DataLossError: a corrupt or truncated record (TF's message, then the path).
    """
    for _, data in read_records_at(path, options):
        yield data


def read_records_at(path: Any, options: Any = None) -> Iterator[tuple[int, bytes]]:
    """``(offset, record)`` pairs: ``read_records`` with each record's offset in the stream."""
    opts = _options(options)
    local = _local_path(path)
    if not TFRecordOptions.get_compression_type_string(opts):
        yield from _read_mapped(local)
        return
    reader = _Reader(local, TFRecordOptions.get_compression_type_string(opts), opts)
    offset = 0
    try:
        while True:
            header = reader.read(12)
            if len(header) < 12:
                return  # TF: a partial header is the end of the records
            length, length_crc = _HEADER.unpack(header)
            if mask(crc32c(header[:8])) != length_crc:
                hint = " (Is this even a TFRecord file?)" if offset == 0 else ""
                raise _data_loss(f"corrupted record at {offset}{hint}", local)
            body = reader.read(length + 4)
            if len(body) < length + 4:
                raise _data_loss(
                    f"truncated record at {offset}' failed with Read less bytes than requested",
                    local,
                )
            data = body[:length]
            if mask(crc32c(data)) != _FOOTER.unpack_from(body, length)[0]:
                raise _data_loss(f"corrupted record at {offset + 12}", local)
            yield offset, data
            offset += 16 + length
    finally:
        reader.close()


def _read_mapped(local: str) -> Iterator[tuple[int, bytes]]:
    """Uncompressed records from a memory map: no copies but the records themselves."""
    with _open(local, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            return
        view = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    crc, header, footer = _crc32c_raw, _HEADER.unpack_from, _FOOTER.unpack_from
    try:
        offset = 0
        while offset + 12 <= size:  # TF: a partial header is the end of the records
            length, length_crc = header(view, offset)
            if _masked(crc(view[offset : offset + 8])) != length_crc:
                hint = " (Is this even a TFRecord file?)" if offset == 0 else ""
                raise _data_loss(f"corrupted record at {offset}{hint}", local)
            end = offset + 12 + length
            if end + 4 > size:
                raise _data_loss(
                    f"truncated record at {offset}' failed with Read less bytes than requested",
                    local,
                )
            data = view[offset + 12 : end]
            if _masked(crc(data)) != footer(view, end)[0]:
                raise _data_loss(f"corrupted record at {offset + 12}", local)
            yield offset, data
            offset = end + 4
    finally:
        view.close()


def _masked(crc: int) -> int:
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def tf_record_iterator(path: Any, options: Any = None) -> Iterator[bytes]:
    """An iterator over the records of a TFRecord file (``tf.python_io.tf_record_iterator``).

    Opening a missing file raises ``NotFoundError`` at the call, as in TF.
    """
    if not os.path.exists(_local_path(path)):  # noqa: PTH110
        raise errors.NotFoundError(
            None, None, f"{as_text(_local_path(path))}; No such file or directory"
        )
    return read_records(path, options)


__all__ = [
    "TFRecordCompressionType",
    "TFRecordOptions",
    "TFRecordWriter",
    "encode_record",
    "read_records",
    "read_records_at",
    "tf_record_iterator",
]
