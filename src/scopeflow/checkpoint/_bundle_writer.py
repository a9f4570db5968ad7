"""``BundleWriter``: write TensorFlow V2 checkpoints that match TF's files byte for byte.

Responsibility: spec §10 — stream each tensor's payload to its data shard as it is added
(recording offset, size and masked CRC32C), then on :meth:`BundleWriter.finish` write the
``.index`` table with TF's exact entry encoding and table layout. Partitioned variables get a
full-tensor entry listing their slices plus one entry per slice under its OrderedCode key,
exactly like ``BundleWriter::AddSlice``.

Atomicity: every file is written under a ``.tempstate<random>`` name in the destination
directory; ``finish`` fsyncs all of them and only then renames the data shards and finally the
index into place (then fsyncs the directory). A save that dies before the renames leaves any
previous checkpoint at the same prefix untouched. The renames themselves take microseconds; a
crash *between* them could pair a new data file with the old index (TensorFlow has the same
window), which the reader reports as a checksum mismatch rather than returning wrong values.

Byte identity with TensorFlow: with tensors added in the order TF's ``SaveV2`` received them
(sorted by name for ``Saver``), the data files and the ``.index`` equal TF's for every fixture,
including the 3-shard ``Saver(sharded=True)`` one when each tensor is added to the shard
TF's device grouping put it in (shard ids and per-file offsets are then the same).

Must not import: torch, tensorflow, or other scopeflow layers.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import numpy as np

from scopeflow.checkpoint._atomic import fsync_directory, remove_quietly, temp_name
from scopeflow.checkpoint._crc import crc32c, mask
from scopeflow.checkpoint._dtypes import DT_STRING, dtype_enum_for_numpy, numpy_dtype_for_enum
from scopeflow.checkpoint._errors import BundleWriteError, UnsupportedCheckpointError
from scopeflow.checkpoint._naming import data_path, index_path, key_to_bytes
from scopeflow.checkpoint._ordered_code import encode_slice_key
from scopeflow.checkpoint._proto import (
    FULL_EXTENT,
    BundleEntry,
    BundleHeader,
    Extent,
    encode_entry,
    encode_header,
)
from scopeflow.checkpoint._table_builder import build_table
from scopeflow.checkpoint._tensor_codec import encode_numeric, encode_strings, to_bytes_element

__all__ = ["BundleWriter"]


class _FullEntry:
    """The growing full-tensor entry of a partitioned variable."""

    def __init__(self, dtype: int, shape: tuple[int, ...]) -> None:
        self.dtype = dtype
        self.shape = shape
        self.slices: list[tuple[Extent, ...]] = []


class BundleWriter:
    """Writes one checkpoint ``<prefix>.index`` + ``<prefix>.data-NNNNN-of-MMMMM``.

    Use as a context manager (``finish`` on success, ``abort`` on an exception) or call
    :meth:`finish` yourself. Parent directories are created.

    Args:
        prefix: Checkpoint prefix, e.g. ``"/train/model.ckpt-1000"``.
        num_shards: Number of data files; tensors go to shard 0 unless ``shard_id`` says
            otherwise.

    >>> import pathlib, tempfile, numpy as np
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with BundleWriter(pathlib.Path(tmp) / "model.ckpt") as w:
    ...         w.add("global_step", np.int64(7))
    ...         w.add_slice("emb", (4, 2), (0, 0), (3, 2), np.zeros((3, 2), np.float32))
    ...         w.add_slice("emb", (4, 2), (3, 0), (1, 2), np.ones((1, 2), np.float32))
    ...     print(sorted(p.name for p in pathlib.Path(tmp).iterdir()))
    ['model.ckpt.data-00000-of-00001', 'model.ckpt.index']
    """

    def __init__(self, prefix: str | os.PathLike[str], *, num_shards: int = 1) -> None:
        if num_shards < 1:
            raise BundleWriteError(f"num_shards must be >= 1, got {num_shards}")
        self.prefix = os.fspath(prefix)
        self.num_shards = num_shards
        Path(self.prefix).parent.mkdir(parents=True, exist_ok=True)
        self._entries: dict[bytes, BundleEntry] = {}
        self._full: dict[bytes, _FullEntry] = {}
        self._offsets = [0] * num_shards
        self._files: list[tuple[str, str, BinaryIO]] = []
        self._done = False
        try:
            for shard in range(num_shards):
                final = data_path(self.prefix, shard, num_shards)
                tmp = temp_name(final)
                self._files.append((final, tmp, Path(tmp).open("wb")))  # noqa: SIM115
        except BaseException:
            self.abort()
            raise

    # ----------------------------------------------------------------- adding tensors
    def add(
        self,
        key: str | bytes,
        tensor: object,
        *,
        shard_id: int = 0,
        dtype_enum: int | None = None,
    ) -> None:
        """Append one tensor under ``key``.

        Args:
            key: The variable name (no ``:0``).
            tensor: Array-like; ``object``/``S``/``U`` arrays are string tensors (elements
                ``bytes`` or ``str``, the latter UTF-8 encoded).
            shard_id: Data file to write to (``0 <= shard_id < num_shards``).
            dtype_enum: TF ``DataType`` to record instead of the one implied by the NumPy
                dtype; the array must already have that type's storage dtype (e.g. int8 for
                qint8 = 11).

        Raises:
            BundleWriteError: For a duplicate key, an unsupported dtype, a bad shard id, or a
                writer that already finished.
        """
        raw = key_to_bytes(key)
        self._check_key(raw)
        self._entries[raw] = self._write(raw, np.asarray(tensor), shard_id, dtype_enum)

    def add_slice(
        self,
        full_key: str | bytes,
        full_shape: Sequence[int],
        offset: Sequence[int],
        slice_shape: Sequence[int],
        tensor: object,
        *,
        shard_id: int = 0,
        dtype_enum: int | None = None,
    ) -> None:
        """Append one slice of a partitioned variable (TF ``BundleWriter::AddSlice``).

        Args:
            full_key: Name of the whole variable.
            full_shape: Shape of the whole variable.
            offset: Start of the slice in each dimension.
            slice_shape: Length of the slice in each dimension; ``-1`` means the whole
                dimension (TF's ``-`` extent, requires offset 0).
            tensor: The slice's values, of shape ``slice_shape`` (with ``-1`` resolved).
            shard_id: Data file to write to.
            dtype_enum: As in :meth:`add`.

        A slice covering the whole variable is stored as a plain entry, as TF does.

        Raises:
            BundleWriteError: If the slice leaves ``full_shape``, has a zero length, does not
                match ``tensor``'s shape, repeats a slice, or disagrees with earlier slices
                of the variable on dtype or full shape.
        """
        raw = key_to_bytes(full_key)
        shape = tuple(int(d) for d in full_shape)
        array = np.asarray(tensor)
        if not len(offset) == len(slice_shape) == len(shape):
            raise BundleWriteError("offset, slice_shape and full_shape ranks differ", key=raw)
        extents: list[Extent] = []
        resolved = []
        for start_like, length_like, dim in zip(offset, slice_shape, shape, strict=True):
            start, length = int(start_like), int(length_like)
            if length == -1 and start == 0:
                extents.append(FULL_EXTENT)
                resolved.append(dim)
                continue
            if start < 0 or length <= 0 or start + length > dim:
                raise BundleWriteError(
                    f"slice extent (start {start}, length {length}) invalid for dimension {dim}",
                    key=raw,
                )
            extents.append((start, length))
            resolved.append(length)
        if array.shape != tuple(resolved):
            raise BundleWriteError(
                f"slice tensor has shape {list(array.shape)}, expected {resolved}", key=raw
            )
        if tuple(resolved) == shape and all(s == 0 for s, _ in extents):
            self.add(raw, array, shard_id=shard_id, dtype_enum=dtype_enum)
            return
        self._check_open()
        if raw in self._entries:
            raise BundleWriteError("Adding duplicate key", key=raw)
        slice_key = encode_slice_key(raw, extents)
        if slice_key in self._entries:
            raise BundleWriteError(f"duplicate slice {extents}", key=raw)
        full = self._full.get(raw)
        entry = self._write(slice_key, array, shard_id, dtype_enum, shown_key=raw)
        if full is None:
            full = self._full[raw] = _FullEntry(entry.dtype, shape)
        elif full.dtype != entry.dtype or full.shape != shape:
            raise BundleWriteError(
                f"slice dtype {entry.dtype} / full shape {list(shape)} differ from earlier "
                f"slices ({full.dtype} / {list(full.shape)})",
                key=raw,
            )
        full.slices.append(tuple(extents))
        self._entries[slice_key] = entry

    def _check_open(self) -> None:
        if self._done:
            raise BundleWriteError("writer already finished or aborted", path=self.prefix)

    def _check_key(self, raw: bytes) -> None:
        self._check_open()
        if not raw:
            raise BundleWriteError("tensor name must not be empty", path=self.prefix)
        if raw in self._entries or raw in self._full:
            raise BundleWriteError("Adding duplicate key", key=raw)

    def _write(
        self,
        key: bytes,
        array: np.ndarray,
        shard_id: int,
        dtype_enum: int | None,
        *,
        shown_key: bytes | None = None,
    ) -> BundleEntry:
        shown = shown_key if shown_key is not None else key
        if not 0 <= shard_id < self.num_shards:
            raise BundleWriteError(f"shard_id {shard_id} not in [0, {self.num_shards})", key=shown)
        enum = dtype_enum_for_numpy(array.dtype, key=shown) if dtype_enum is None else dtype_enum
        if enum == DT_STRING:
            if array.dtype.kind not in "OSU":
                raise BundleWriteError(f"DT_STRING needs bytes/str elements, got {array.dtype}")
            elements = [to_bytes_element(e, key=shown) for e in array.reshape(-1).tolist()]
            payload, crc = encode_strings(elements)
            data: bytes | memoryview = payload
        else:
            try:
                storage = numpy_dtype_for_enum(enum)
            except UnsupportedCheckpointError as exc:
                raise BundleWriteError(exc.reason, key=shown) from None
            if array.dtype.newbyteorder("<") != storage:
                raise BundleWriteError(
                    f"array dtype {array.dtype} does not store DataType {enum} ({storage})",
                    key=shown,
                )
            data = encode_numeric(array).reshape(-1).view(np.uint8).data
            crc = mask(crc32c(data))
        _, _, f = self._files[shard_id]
        f.write(data)
        offset = self._offsets[shard_id]
        self._offsets[shard_id] += len(data)
        return BundleEntry(
            dtype=enum,
            shape=tuple(int(d) for d in array.shape),
            shard_id=shard_id,
            offset=offset,
            size=len(data),
            crc32c=crc,
        )

    # ----------------------------------------------------------------- finishing
    def finish(self) -> None:
        """Write the index and atomically move all files into place.

        Raises:
            BundleWriteError: If called twice.
            OSError: On I/O failure (the temporary files are removed first).
        """
        self._check_open()
        try:
            for _, _, f in self._files:
                f.flush()
                os.fsync(f.fileno())
                f.close()
            items = [(b"", encode_header(BundleHeader(num_shards=self.num_shards)))]
            entries = dict(self._entries)
            for key, full in self._full.items():
                entries[key] = BundleEntry(full.dtype, full.shape, slices=tuple(full.slices))
            items.extend((k, encode_entry(entries[k])) for k in sorted(entries))
            final_index = index_path(self.prefix)
            tmp_index = temp_name(final_index)
            with Path(tmp_index).open("wb") as f:
                self._files.append((final_index, tmp_index, f))
                f.write(build_table(items))
                f.flush()
                os.fsync(f.fileno())
            for final, tmp, _ in self._files:
                Path(tmp).replace(final)
        except BaseException:
            self.abort()
            raise
        self._done = True
        fsync_directory(str(Path(self.prefix).parent))

    def abort(self) -> None:
        """Discard the save: close and delete the temporary files. Safe to call twice."""
        self._done = True
        for _, tmp, f in self._files:
            f.close()
            remove_quietly(tmp)
        self._files = []

    def __enter__(self) -> BundleWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.finish()
        else:
            self.abort()
