"""TF1 queue readers (``tf.TFRecordReader`` ...) reading files named by a queue.

``TFRecordReader``, ``TextLineReader``, ``FixedLengthRecordReader`` and ``WholeFileReader``
read from a queue of file names (``reader.read(filename_queue)``). A reader is a resource op
(``TFRecordReaderV2`` ...); ``read``/``read_up_to`` are
``ReaderReadV2``/``ReaderReadUpToV2`` ops taking the reader and a queue. As TF's
``ReaderBase`` does, a reader takes a file name from the queue when it has no current file
(blocking while the queue is empty, ``OutOfRangeError`` once it is closed and empty), produces
its records as ``(key, value)`` string scalars and moves to the next file at the end of one;
``read_up_to`` returns fewer records when a file ends after it produced some. Keys are TF's:
``<file>:<byte offset>`` (TFRecord), ``<file>:<line number>`` (text, from 1),
``<file>:<record index>`` (fixed length) and ``<file>`` (whole file).

Differences from TensorFlow:
    ``serialize_state``/``restore_state`` raise ``UnsupportedError``.

Must not import ``scopeflow.compat``, ``scopeflow.cli`` or ``scopeflow.run``.
"""

from __future__ import annotations

import collections
import gzip
import threading
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import torch

from scopeflow import errors
from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.data.tf_record import TFRecordOptions, read_records_at
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._queue_kernels import dequeue_rows, state_of

ReadResult = collections.namedtuple("ReaderReadV2", ["key", "value"])  # type: ignore[name-match]  # TF's repr
ReadUpToResult = collections.namedtuple("ReaderReadUpToV2", ["keys", "values"])  # type: ignore[name-match]

Records = Iterator[tuple[str, bytes]]


class ReaderBase:
    """A reader of records from the files named by a queue (``tf.ReaderBase``)."""

    def __init__(self, reader_ref: Tensor, supports_serialize: bool = False) -> None:
        self._reader_ref = reader_ref
        self._supports_serialize = supports_serialize

    @property
    def reader_ref(self) -> Tensor:
        """The reader resource tensor."""
        return self._reader_ref

    @property
    def supports_serialize(self) -> bool:
        """Whether ``serialize_state`` is supported (as TF, False for these readers)."""
        return self._supports_serialize

    @staticmethod
    def _queue_ref(queue: Any) -> Tensor:
        return queue if isinstance(queue, Tensor) else queue.queue_ref

    def read(self, queue: Any, name: str | None = None) -> ReadResult:
        """The next record: ``(key, value)`` string scalars."""
        op = get_default_graph()._create_op(
            "ReaderReadV2", (self._reader_ref, self._queue_ref(queue)), {},
            name or "ReaderReadV2", (dtypes.string, dtypes.string),
            (TensorShape([]), TensorShape([])),
        )  # fmt: skip
        return ReadResult(*op._outputs)

    def read_up_to(self, queue: Any, num_records: Any, name: str | None = None) -> ReadUpToResult:
        """Up to ``num_records`` records of the current file, as string vectors."""
        n = convert_to_tensor(num_records, dtype=dtypes.int64)
        op = get_default_graph()._create_op(
            "ReaderReadUpToV2", (self._reader_ref, self._queue_ref(queue), n), {},
            name or "ReaderReadUpToV2", (dtypes.string, dtypes.string),
            (TensorShape([None]), TensorShape([None])),
        )  # fmt: skip
        return ReadUpToResult(*op._outputs)

    def _counter(self, op_type: str, name: str | None) -> Tensor:
        op = get_default_graph()._create_op(
            op_type, (self._reader_ref,), {}, name or op_type, (dtypes.int64,),
            (TensorShape([]),),
        )  # fmt: skip
        return op._outputs[0]

    def num_records_produced(self, name: str | None = None) -> Tensor:
        """How many records this reader has produced."""
        return self._counter("ReaderNumRecordsProducedV2", name)

    def num_work_units_completed(self, name: str | None = None) -> Tensor:
        """How many files this reader has finished."""
        return self._counter("ReaderNumWorkUnitsCompletedV2", name)

    def reset(self, name: str | None = None) -> Operation:
        """Restores the reader to its initial state."""
        return get_default_graph()._create_op(
            "ReaderResetV2", (self._reader_ref,), {}, name or "ReaderResetV2", (), ()
        )

    def serialize_state(self, name: str | None = None) -> Tensor:
        """Not supported."""
        raise errors.UnsupportedError("ReaderBase.serialize_state")

    def restore_state(self, state: Any, name: str | None = None) -> Operation:
        """Not supported."""
        raise errors.UnsupportedError("ReaderBase.restore_state")


def _reader_op(op_type: str, attrs: dict[str, Any], name: str | None) -> Tensor:
    attrs = {"container": "", "shared_name": "", **attrs}
    op = get_default_graph()._create_op(
        op_type, (), attrs, name or op_type, (dtypes.resource,), (TensorShape([]),)
    )
    return op._outputs[0]


class TFRecordReader(ReaderBase):
    """Reads the records of TFRecord files (``tf.TFRecordReader``)."""

    def __init__(self, name: str | None = None, options: Any = None) -> None:
        kind = TFRecordOptions.get_compression_type_string(options) if options else ""
        super().__init__(_reader_op("TFRecordReaderV2", {"compression_type": kind}, name))


class TextLineReader(ReaderBase):
    """Reads the lines of text files, without newlines (``tf.TextLineReader``)."""

    def __init__(self, skip_header_lines: int | None = None, name: str | None = None) -> None:
        attrs = {"skip_header_lines": int(skip_header_lines or 0)}
        super().__init__(_reader_op("TextLineReaderV2", attrs, name))


class FixedLengthRecordReader(ReaderBase):
    """Reads fixed-size records of binary files (``tf.FixedLengthRecordReader``)."""

    def __init__(
        self,
        record_bytes: int,
        header_bytes: int | None = None,
        footer_bytes: int | None = None,
        hop_bytes: int | None = None,
        name: str | None = None,
        encoding: str | None = None,
    ) -> None:
        if hop_bytes:
            raise errors.UnsupportedError("FixedLengthRecordReader(hop_bytes=...)")
        attrs = {
            "header_bytes": int(header_bytes or 0),
            "record_bytes": int(record_bytes),
            "footer_bytes": int(footer_bytes or 0),
            "hop_bytes": 0,
            "encoding": encoding or "",
        }
        super().__init__(_reader_op("FixedLengthRecordReaderV2", attrs, name))


class WholeFileReader(ReaderBase):
    """Reads each file as one record keyed by its name (``tf.WholeFileReader``)."""

    def __init__(self, name: str | None = None) -> None:
        super().__init__(_reader_op("WholeFileReaderV2", {}, name))


def matching_files(pattern: Any, name: str | None = None) -> Tensor:
    """The sorted files matching ``pattern`` (a string or vector of glob patterns).

    ``tf.io.matching_files`` / ``tf.matching_files``, op ``MatchingFiles``; no match gives an
    empty vector.
    """
    g = get_default_graph()
    with g.name_scope(name or "MatchingFiles") as scope:
        p = convert_to_tensor(pattern, dtype=dtypes.string, name="pattern")
        op = g._create_op("MatchingFiles", (p,), {}, scope, (dtypes.string,),
                          (TensorShape([None]),))  # fmt: skip
    return op._outputs[0]


@register_kernel("MatchingFiles", stateful=True)
def _matching_files_kernel(op: Operation, session: Any) -> Any:
    from scopeflow.app.gfile import Glob  # noqa: PLC0415

    def kernel(pattern: Any) -> Any:
        items = np.asarray(pattern, dtype=object).reshape(-1).tolist()
        found: list[str] = []
        for p in items:
            found.extend(Glob(p.decode() if isinstance(p, bytes) else str(p)))
        return _strings(sorted(found))

    return kernel


# --- kernels ------------------------------------------------------------------------------------
def _read_file(path: str, compression: str = "") -> bytes:
    try:
        with open(path, "rb") as f:  # noqa: PTH123
            data = f.read()
    except OSError as e:
        raise errors.error_from_os_error(e, path) from None
    if compression == "GZIP":
        return gzip.decompress(data)
    if compression == "ZLIB":
        return zlib.decompress(data)
    return data


def _tfrecords(a: dict[str, Any], path: str) -> Records:
    kind = a.get("compression_type", "")
    for offset, data in read_records_at(path, TFRecordOptions(kind or None)):
        yield f"{path}:{offset}", data


def _lines(a: dict[str, Any], path: str) -> Records:
    lines = _read_file(path).split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for i, line in enumerate(lines):
        if i >= a.get("skip_header_lines", 0):
            yield f"{path}:{i + 1}", line.removesuffix(b"\r")


def _fixed(a: dict[str, Any], path: str) -> Records:
    data = _read_file(path, a.get("encoding", ""))
    size = a["record_bytes"]
    body = data[a["header_bytes"] : len(data) - a["footer_bytes"]]
    for i in range(len(body) // size):
        yield f"{path}:{i}", body[i * size : (i + 1) * size]


def _whole(a: dict[str, Any], path: str) -> Records:
    yield path, _read_file(path)


_SOURCES: dict[str, Callable[[dict[str, Any], str], Records]] = {
    "TFRecordReaderV2": _tfrecords,
    "TextLineReaderV2": _lines,
    "FixedLengthRecordReaderV2": _fixed,
    "WholeFileReaderV2": _whole,
}


class _ReaderState:
    def __init__(self, op: Operation) -> None:
        self.op = op
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.current: Records | None = None
        self.produced = 0
        self.completed = 0


def _reader_state(session: Any, reader: Operation) -> _ReaderState:
    return session._op_state_for(reader, lambda: _ReaderState(reader))  # type: ignore[no-any-return]


def _read(st: _ReaderState, session: Any, op: Operation, queue: Operation, n: int) -> list[Any]:
    out: list[tuple[str, bytes]] = []
    source = _SOURCES[st.op.type]
    with st.lock:
        while len(out) < n:
            if st.current is None:
                if out:
                    break
                row = dequeue_rows(state_of(session, queue), session, op, 1, False)[0]
                work = row[0].item() if isinstance(row[0], np.ndarray) else row[0]
                path = work.decode() if isinstance(work, bytes) else str(work)
                st.current = source(st.op._attrs, path)
            item = next(st.current, None)
            if item is None:
                st.current = None
                st.completed += 1
                continue
            out.append(item)
            st.produced += 1
    return out


def _strings(values: list[Any]) -> np.ndarray:
    arr = np.empty(len(values), dtype=object)
    arr[:] = [v.encode() if isinstance(v, str) else v for v in values]
    return arr


@register_kernel("ReaderReadV2", stateful=True)
def _read_kernel(op: Operation, session: Any) -> Any:
    def kernel(reader: Operation, queue: Operation) -> Any:
        key, value = _read(_reader_state(session, reader), session, op, queue, 1)[0]
        return np.asarray(key.encode(), dtype=object), np.asarray(value, dtype=object)

    return kernel


@register_kernel("ReaderReadUpToV2", stateful=True)
def _read_up_to_kernel(op: Operation, session: Any) -> Any:
    def kernel(reader: Operation, queue: Operation, n: Any) -> Any:
        want = int(n)
        if want <= 0:
            raise errors.InvalidArgumentError(
                None, op, f"num_records must be > 0 but got: {want}"
            )  # fmt: skip
        rows = _read(_reader_state(session, reader), session, op, queue, want)
        return _strings([k for k, _ in rows]), _strings([v for _, v in rows])

    return kernel


def _resource_kernel(op: Operation, session: Any) -> Any:
    def kernel() -> Operation:
        return op

    return kernel


for _type in _SOURCES:
    register_kernel(_type, stateful=True)(_resource_kernel)


@register_kernel("ReaderNumRecordsProducedV2", stateful=True)
def _produced_kernel(op: Operation, session: Any) -> Any:
    return lambda reader: torch.tensor(_reader_state(session, reader).produced, dtype=torch.int64)


@register_kernel("ReaderNumWorkUnitsCompletedV2", stateful=True)
def _completed_kernel(op: Operation, session: Any) -> Any:
    return lambda reader: torch.tensor(_reader_state(session, reader).completed, dtype=torch.int64)


@register_kernel("ReaderResetV2", stateful=True)
def _reset_kernel(op: Operation, session: Any) -> Any:
    def kernel(reader: Operation) -> None:
        st = _reader_state(session, reader)
        with st.lock:
            st.reset()

    return kernel


__all__ = [
    "FixedLengthRecordReader",
    "ReaderBase",
    "TFRecordReader",
    "TextLineReader",
    "WholeFileReader",
    "matching_files",
]
