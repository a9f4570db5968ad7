"""File datasets: ``TFRecordDataset``, ``TextLineDataset``, ``FixedLengthRecordDataset``.

Each reads its files (a string scalar or vector tensor, so file names may be fed) in order and
yields scalar strings. Errors are TF's: a missing file ``NotFoundError``, a corrupt TFRecord
``DataLossError`` (see ``tf_record``).

Differences from TensorFlow:
    ``num_parallel_reads`` and ``buffer_size`` change no results and are not used.

Must not import ``scopeflow.compat``, ``scopeflow.cli`` or ``scopeflow.run``.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from scopeflow import errors
from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.data.dataset_ops import Dataset, Flat, _Context, _Spec
from scopeflow.data.tf_record import read_records
from scopeflow.graph._torch_dtypes import to_numpy
from scopeflow.graph.conversion import convert_to_tensor


def _names(value: Any) -> list[str]:
    arr = np.asarray(to_numpy(value), dtype=object).reshape(-1)
    return [v.decode() if isinstance(v, bytes) else str(v) for v in arr]


def _string(data: bytes) -> Any:
    return np.asarray(data, dtype=object)


class _FileDataset(Dataset):
    def __init__(self, filenames: Any, compression_type: Any) -> None:
        super().__init__(_Spec(dtypes.string, TensorShape([])))
        if isinstance(filenames, Dataset):
            raise errors.UnsupportedError("a Dataset of file names for a file dataset")
        names = convert_to_tensor(filenames, dtype=dtypes.string, name="filenames")
        if names.shape.ndims not in (0, 1, None):
            raise ValueError("`filenames` must be a `tf.Tensor` of rank 0 or 1.")
        self._captures = [names]
        kind = compression_type or ""
        if kind not in ("", "GZIP", "ZLIB"):
            raise errors.InvalidArgumentError(None, None, f"Unsupported compression type: {kind}")
        self._kind = kind

    def _files(self, ctx: _Context) -> list[str]:
        return _names(ctx.values[id(self._captures[0])])

    def _read_all(self, path: str) -> bytes:
        try:
            with open(path, "rb") as f:  # noqa: PTH123
                data = f.read()
        except OSError as e:
            raise errors.error_from_os_error(e, path) from None
        if self._kind == "GZIP":
            return gzip.decompress(data)
        if self._kind == "ZLIB":
            return zlib.decompress(data)
        return data


class TFRecordDataset(_FileDataset):
    """The records of TFRecord files (``tf.data.TFRecordDataset``)."""

    def __init__(
        self,
        filenames: Any,
        compression_type: Any = None,
        buffer_size: Any = None,
        num_parallel_reads: Any = None,
    ) -> None:
        super().__init__(filenames, compression_type)

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        for path in self._files(ctx):
            for record in read_records(path, self._kind or None):
                yield [_string(record)]


class TextLineDataset(_FileDataset):
    """The lines of text files, without their newlines (``tf.data.TextLineDataset``)."""

    def __init__(
        self,
        filenames: Any,
        compression_type: Any = None,
        buffer_size: Any = None,
        num_parallel_reads: Any = None,
    ) -> None:
        super().__init__(filenames, compression_type)

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        for path in self._files(ctx):
            data = self._read_all(path)
            lines = data.split(b"\n")
            if lines and lines[-1] == b"":
                lines.pop()
            for line in lines:
                yield [_string(line.removesuffix(b"\r"))]


class FixedLengthRecordDataset(_FileDataset):
    """Fixed-size records of binary files (``tf.data.FixedLengthRecordDataset``)."""

    def __init__(
        self,
        filenames: Any,
        record_bytes: int,
        header_bytes: int | None = None,
        footer_bytes: int | None = None,
        buffer_size: Any = None,
        compression_type: Any = None,
        num_parallel_reads: Any = None,
    ) -> None:
        super().__init__(filenames, compression_type)
        self._record, self._header = int(record_bytes), int(header_bytes or 0)
        self._footer = int(footer_bytes or 0)

    def _iter(self, ctx: _Context) -> Iterator[Flat]:
        for path in self._files(ctx):
            data = self._read_all(path)
            body = data[self._header : len(data) - self._footer]
            if len(body) % self._record:
                raise errors.InvalidArgumentError(
                    None, None, f"Excluding the header ({self._header} bytes) and footer "
                    f"({self._footer} bytes), input file \"{path}\" has body length {len(body)} "
                    "bytes, which is not an exact multiple of the record length "
                    f"({self._record} bytes)."
                )  # fmt: skip
            n = len(body) // self._record
            for i in range(n):
                yield [_string(body[i * self._record : (i + 1) * self._record])]


__all__ = ["FixedLengthRecordDataset", "TFRecordDataset", "TextLineDataset"]
