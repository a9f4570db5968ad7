"""``BundleReader``: read a TensorFlow V2 checkpoint (tensor bundle) without TensorFlow.

Responsibility: the bundle layer on top of the SSTable reader (spec §6–§9): the header under
the empty key, entry lookup, tensor payload reads with CRC32C verification, string tensors,
partitioned variables stitched from their slices, and multiple data shards. Opening a reader
reads only the index footer, the index block and the first data block; listing reads the rest
of the index; loading a tensor reads only that tensor's bytes (``os.pread`` straight into the
result, or an ``mmap`` view with ``mmap=True``). Every size and offset is validated against
the file length before memory is allocated.

Differences from TensorFlow: a data block failing its CRC raises instead of silently hiding
its variables; keys must be strictly sorted; a big-endian bundle is byte-swapped on read
(TF does the same); DT_VARIANT/DT_RESOURCE and the TF2-only 4/8-bit types are rejected.

Must not import: torch, tensorflow, or other scopeflow layers.
"""

from __future__ import annotations

import contextlib
import math
import mmap as _mmap
import os
from pathlib import Path
from types import TracebackType

import numpy as np

from scopeflow.checkpoint._crc import crc32c, mask
from scopeflow.checkpoint._dtypes import DT_BOOL, DT_STRING, dtype_name, numpy_dtype_for_enum
from scopeflow.checkpoint._errors import (
    CheckpointNotFoundError,
    DataLossError,
    TensorNotFoundError,
    UnsupportedCheckpointError,
)
from scopeflow.checkpoint._naming import data_path, index_path, key_to_bytes, key_to_str
from scopeflow.checkpoint._ordered_code import encode_slice_key
from scopeflow.checkpoint._proto import (
    BundleEntry,
    BundleHeader,
    decode_dtype_and_shape,
    decode_entry,
    decode_header,
)
from scopeflow.checkpoint._slicing import check_cover, resolved_extents, slice_index
from scopeflow.checkpoint._table_reader import TableReader
from scopeflow.checkpoint._tensor_codec import decode_strings

__all__ = ["BundleReader"]

_CONSUMER_VERSION = 1
_MAX_SHARDS = 1 << 31


class _Shard:
    """An open data file: descriptor, size, and an ``mmap`` created on first use."""

    def __init__(self, path: str, key: bytes) -> None:
        self.path = path
        try:
            self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        except FileNotFoundError:
            raise CheckpointNotFoundError("data file not found", path=path, key=key) from None
        self.size = os.fstat(self.fd).st_size
        self.map: _mmap.mmap | None = None

    def view(self) -> memoryview:
        if self.map is None:
            self.map = _mmap.mmap(self.fd, 0, access=_mmap.ACCESS_READ)
        return memoryview(self.map)

    def close(self) -> None:
        if self.map is not None:
            # Arrays returned with mmap=True may still reference the map; they keep it alive.
            with contextlib.suppress(BufferError):
                self.map.close()
            self.map = None
        os.close(self.fd)


class BundleReader:
    """Reads tensors from a TF V2 checkpoint ``<prefix>.index`` + ``<prefix>.data-*``.

    Args:
        prefix: The checkpoint prefix, e.g. ``"/train/model.ckpt-1000"``.

    Raises:
        CheckpointNotFoundError: If ``<prefix>.index`` does not exist.
        UnsupportedCheckpointError: For a legacy V1 checkpoint or a too-new bundle version.
        DataLossError: If the index is corrupt.

    >>> import pathlib, tempfile, numpy as np
    >>> from scopeflow.checkpoint import BundleWriter
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     prefix = pathlib.Path(tmp) / "model.ckpt"
    ...     with BundleWriter(prefix) as w:
    ...         w.add("dense/kernel", np.ones((2, 3), np.float32))
    ...     with BundleReader(prefix) as r:
    ...         print(r.keys(), r.shape("dense/kernel"), r.dtype("dense/kernel"))
    ['dense/kernel'] (2, 3) float32
    """

    def __init__(self, prefix: str | os.PathLike[str]) -> None:
        self.prefix = os.fspath(prefix)
        path = index_path(self.prefix)
        if not Path(path).exists() and Path(self.prefix).is_file():
            raise UnsupportedCheckpointError(
                "legacy V1 checkpoint (no .index file) is not supported", path=self.prefix
            )
        self._table = TableReader(path)
        self._shards: dict[int, _Shard] = {}
        self._entries: dict[bytes, BundleEntry] = {}
        self._names: list[bytes] | None = None
        self._meta: dict[bytes, tuple[int, tuple[int, ...]]] = {}
        try:
            self.header = self._read_header()
        except BaseException:
            self._table.close()
            raise

    # ----------------------------------------------------------------- index access
    def _read_header(self) -> BundleHeader:
        path = self._table.path
        first = self._table.first()
        if first is None or first[0] != b"":
            raise DataLossError("missing bundle header (no entry under the empty key)", path=path)
        try:
            header = decode_header(first[1])
        except DataLossError as exc:
            raise DataLossError(f"unable to parse header: {exc.reason}", path=path) from None
        if not 1 <= header.num_shards < _MAX_SHARDS:
            raise DataLossError(f"invalid num_shards {header.num_shards} in header", path=path)
        if header.endianness not in (0, 1):
            raise DataLossError(f"invalid endianness {header.endianness} in header", path=path)
        if header.min_consumer > _CONSUMER_VERSION:
            raise UnsupportedCheckpointError(
                f"Checkpoint min consumer version {header.min_consumer} above current version "
                f"{_CONSUMER_VERSION}",
                path=path,
            )
        if _CONSUMER_VERSION in header.bad_consumers:
            raise UnsupportedCheckpointError(
                f"Checkpoint disallows consumer version {_CONSUMER_VERSION}", path=path
            )
        return header

    def _entry(self, key: bytes) -> BundleEntry:
        entry = self._entries.get(key)
        if entry is not None:
            return entry
        value = self._table.get(key) if key else None
        if value is None:
            raise TensorNotFoundError(
                f"Key {key_to_str(key)} not found in checkpoint", path=self.prefix, key=key
            )
        return self._decode(key, value)

    def _decode(self, key: bytes, value: bytes) -> BundleEntry:
        try:
            entry = decode_entry(value)
        except DataLossError as exc:
            raise DataLossError(
                f"corrupt bundle entry: {exc.reason}", path=self._table.path, key=key
            ) from None
        self._entries[key] = entry
        return entry

    def _visible_names(self) -> list[bytes]:
        """All keys except the header and the slice keys of partitioned variables.

        Also fills ``self._meta`` (dtype and shape of every key) from a single scan.
        """
        if self._names is not None:
            return self._names
        keys: list[bytes] = []
        meta = self._meta
        for i in range(self._table.num_blocks):
            block_keys, values = self._table.block(i)
            start = 1 if i == 0 else 0  # skip the header entry
            block_keys, values = block_keys[start:], values[start:]
            try:
                found = list(map(decode_dtype_and_shape, values))
            except DataLossError:
                found = [None] * len(values)  # decode one by one to name the key
            if None in found:
                for key, value, fast in zip(block_keys, values, found, strict=True):
                    if fast is None:
                        entry = self._entries.get(key) or self._decode(key, value)
                        meta[key] = (entry.dtype, entry.shape)
                    else:
                        meta[key] = fast
            else:
                meta.update(zip(block_keys, found, strict=True))  # type: ignore[arg-type]
            keys.extend(block_keys)
        hidden: set[bytes] = set()
        if keys and keys[0].startswith(b"\x00"):  # slice keys sort first: find their owners
            for key in keys:
                if not key.startswith(b"\x00"):
                    for extents in self._entry(key).slices:
                        hidden.add(encode_slice_key(key, extents))
        self._names = [k for k in keys if k not in hidden]
        return self._names

    # ----------------------------------------------------------------- listing
    def keys(self) -> list[str]:
        """Names of all saved variables in index (bytewise) order.

        Excludes the header and the per-slice keys of partitioned variables, which appear
        once under their full name (like ``tf.train.list_variables``).
        """
        return [key_to_str(k) for k in self._visible_names()]

    def has_tensor(self, key: str | bytes) -> bool:
        """Whether ``key`` names a saved variable (as listed by :meth:`keys`)."""
        raw = key_to_bytes(key)
        if not raw or self._table.get(raw) is None:
            return False
        return not raw.startswith(b"\x00") or raw in self._visible_names()

    def dtype_enum(self, key: str | bytes) -> int:
        """The TF ``DataType`` number of ``key`` (1 = float32, 7 = string, 14 = bfloat16, ...)."""
        return self._entry(key_to_bytes(key)).dtype

    def dtype(self, key: str | bytes) -> np.dtype:
        """The NumPy dtype :meth:`get_tensor` returns for ``key`` (``object`` for strings)."""
        raw = key_to_bytes(key)
        try:
            return numpy_dtype_for_enum(self._entry(raw).dtype)
        except UnsupportedCheckpointError as exc:
            raise UnsupportedCheckpointError(exc.reason, path=self.prefix, key=raw) from None

    def shape(self, key: str | bytes) -> tuple[int, ...]:
        """The full shape of ``key`` (of the whole variable if it is partitioned)."""
        return self._entry(key_to_bytes(key)).shape

    def variable_to_shape_map(self) -> dict[str, list[int]]:
        """``{name: shape}`` for every variable, like TF's ``get_variable_to_shape_map``."""
        names = self._visible_names()
        meta = self._meta
        return {k.decode("utf-8", "surrogateescape"): list(meta[k][1]) for k in names}

    def variable_to_dtype_enum_map(self) -> dict[str, int]:
        """``{name: TF DataType number}`` for every variable."""
        names = self._visible_names()
        return {key_to_str(k): self._meta[k][0] for k in names}

    def variable_to_dtype_map(self) -> dict[str, np.dtype]:
        """``{name: NumPy dtype}`` for every variable, like TF's ``get_variable_to_dtype_map``.

        Raises:
            UnsupportedCheckpointError: If a variable has a dtype without a NumPy equivalent.
        """
        names = self._visible_names()
        out = {}
        for key in names:
            try:
                out[key_to_str(key)] = numpy_dtype_for_enum(self._meta[key][0])
            except UnsupportedCheckpointError as exc:
                raise UnsupportedCheckpointError(exc.reason, path=self.prefix, key=key) from None
        return out

    # ----------------------------------------------------------------- tensor data
    def get_tensor(self, key: str | bytes, *, mmap: bool = False) -> np.ndarray:
        """Load one variable, verifying its CRC32C.

        Args:
            key: The variable name (no ``:0``).
            mmap: Return a read-only array backed by a memory map of the data file instead
                of a private copy (numeric, unpartitioned, little-endian tensors only; others
                are copied regardless). The file's pages are still all read once to check
                the CRC.

        Returns:
            The tensor; strings come back as an ``object`` array of ``bytes``; partitioned
            variables are assembled from their slices.

        Raises:
            TensorNotFoundError: If ``key`` is not in the checkpoint.
            CheckpointNotFoundError: If the data file holding it is missing.
            DataLossError: On any size, offset or checksum problem.
            UnsupportedCheckpointError: For dtypes without a NumPy equivalent.
        """
        raw = key_to_bytes(key)
        entry = self._entry(raw)
        if entry.slices:
            return self._assemble(raw, entry)
        return self._read(raw, entry, mmap=mmap)

    def _shard(self, key: bytes, entry: BundleEntry) -> _Shard:
        if entry.shard_id >= self.header.num_shards:
            raise DataLossError(
                f"shard_id {entry.shard_id} not below num_shards {self.header.num_shards}",
                path=self._table.path,
                key=key,
            )
        shard = self._shards.get(entry.shard_id)
        if shard is None:
            path = data_path(self.prefix, entry.shard_id, self.header.num_shards)
            shard = self._shards[entry.shard_id] = _Shard(path, key)
        return shard

    def _locate(self, key: bytes, entry: BundleEntry) -> tuple[np.dtype, _Shard, int]:
        """Validate an entry against its data file before anything is read or allocated.

        Returns:
            ``(dtype, shard, element count)``.
        """
        try:
            dtype = numpy_dtype_for_enum(entry.dtype)
        except UnsupportedCheckpointError as exc:
            raise UnsupportedCheckpointError(exc.reason, path=self.prefix, key=key) from None
        shard = self._shard(key, entry)
        if entry.offset + entry.size > shard.size:
            raise DataLossError(
                f"tensor bytes [{entry.offset}, {entry.offset + entry.size}) run past the end "
                f"of the data file ({shard.size} bytes)",
                path=shard.path,
                key=key,
            )
        count = math.prod(entry.shape)
        if entry.dtype == DT_STRING:
            # Every string needs at least a 1-byte length varint.
            expected_ok = count + 4 <= entry.size
            expected = f"at least {count + 4}"
        else:
            expected_ok = entry.size == count * dtype.itemsize
            expected = str(count * dtype.itemsize)
        if not expected_ok:
            raise DataLossError(
                f"Invalid size in bundle entry: stored size {entry.size}; expected size "
                f"{expected} for shape {list(entry.shape)} of {dtype_name(entry.dtype)}",
                path=self._table.path,
                key=key,
            )
        return dtype, shard, count

    def _read(self, key: bytes, entry: BundleEntry, *, mmap: bool = False) -> np.ndarray:
        dtype, shard, count = self._locate(key, entry)
        if entry.dtype == DT_STRING:
            return self._read_strings(key, entry, shard, count)
        if mmap and self.header.endianness == 0 and entry.size:
            view = shard.view()[entry.offset : entry.offset + entry.size]
            self._check_crc(key, entry, shard, view)
            array = np.frombuffer(view, dtype=dtype, count=count)
        else:
            array = np.empty(count, dtype=dtype)
            buf = array.view(np.uint8).data
            self._pread_into(key, entry, shard, buf)
            self._check_crc(key, entry, shard, buf)
            if self.header.endianness == 1 and dtype.itemsize > 1:
                array = array.byteswap()
        if entry.dtype == DT_BOOL and count and array.view(np.uint8).max() > 1:
            array = array.view(np.uint8) != 0  # TF reads any non-zero byte as true
        return array.reshape(entry.shape)

    @staticmethod
    def _pread_into(key: bytes, entry: BundleEntry, shard: _Shard, buf: memoryview) -> None:
        done = 0
        while done < entry.size:
            n = os.preadv(shard.fd, [buf[done:]], entry.offset + done)
            if n <= 0:
                raise DataLossError("data file truncated while reading", path=shard.path, key=key)
            done += n

    @staticmethod
    def _check_crc(key: bytes, entry: BundleEntry, shard: _Shard, data: memoryview | bytes) -> None:
        actual = mask(crc32c(data))
        if actual != entry.crc32c:
            raise DataLossError(
                f"Checksum does not match: stored {entry.crc32c:#010x} vs. calculated on the "
                f"restored bytes {actual:#010x}",
                path=shard.path,
                key=key,
            )

    def _read_strings(
        self, key: bytes, entry: BundleEntry, shard: _Shard, count: int
    ) -> np.ndarray:
        payload = os.pread(shard.fd, entry.size, entry.offset)
        if len(payload) != entry.size:
            raise DataLossError("data file truncated while reading", path=shard.path, key=key)
        try:
            strings, crc = decode_strings(payload, count)
        except DataLossError as exc:
            raise DataLossError(exc.reason, path=shard.path, key=key) from None
        if mask(crc) != entry.crc32c:
            raise DataLossError(
                f"Checksum does not match: stored {entry.crc32c:#010x} vs. calculated on the "
                f"restored bytes {mask(crc):#010x}",
                path=shard.path,
                key=key,
            )
        array = np.empty(count, dtype=object)
        array[:] = strings
        return array.reshape(entry.shape)

    def _assemble(self, key: bytes, entry: BundleEntry) -> np.ndarray:
        path = self._table.path
        try:
            dtype = numpy_dtype_for_enum(entry.dtype)
            boxes = [resolved_extents(s, entry.shape) for s in entry.slices]
            check_cover(boxes, entry.shape)
        except (DataLossError, UnsupportedCheckpointError) as exc:
            raise type(exc)(exc.reason, path=path, key=key) from None
        parts = []
        for extents, box in zip(entry.slices, boxes, strict=True):
            slice_key = encode_slice_key(key, extents)
            try:
                part_entry = self._entry(slice_key)
            except TensorNotFoundError:
                raise DataLossError(
                    f"slice {box} of partitioned tensor not found", path=path, key=key
                ) from None
            if part_entry.slices or part_entry.dtype != entry.dtype:
                raise DataLossError(f"slice {box} entry is inconsistent", path=path, key=key)
            if part_entry.shape != tuple(length for _, length in box):
                raise DataLossError(
                    f"slice {box} entry has shape {list(part_entry.shape)}", path=path, key=key
                )
            self._locate(key, part_entry)  # sizes are checked before the full array exists
            parts.append((box, part_entry))
        full = np.empty(entry.shape, dtype=dtype)
        for box, part_entry in parts:
            full[slice_index(box)] = self._read(key, part_entry)
        return full

    # ----------------------------------------------------------------- lifetime
    def close(self) -> None:
        """Close the index and data files. Arrays already returned stay valid."""
        self._table.close()
        for shard in self._shards.values():
            shard.close()
        self._shards.clear()

    def __enter__(self) -> BundleReader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
