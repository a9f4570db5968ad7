"""``tf.train.summary_iterator``: the ``Event`` protos of an event file, in order.

Records are read with TF's TFRecord framing and both CRCs are checked.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scopeflow.checkpoint._crc import crc32c, mask
from scopeflow.errors import DataLossError


def tf_record_iterator(path: Any) -> Iterator[bytes]:
    """The records of a TFRecord file at ``path`` (uncompressed).

    Raises:
        DataLossError: on a truncated record or a CRC mismatch (TF's messages).
    """
    data = Path(str(path)).read_bytes()
    pos = 0
    n = len(data)
    while pos < n:
        if n - pos < 12:
            raise DataLossError(None, None, f"truncated record at {pos}")
        header = data[pos : pos + 8]
        (length,) = struct.unpack("<Q", header)
        (hcrc,) = struct.unpack("<I", data[pos + 8 : pos + 12])
        if mask(crc32c(header)) != hcrc:
            raise DataLossError(None, None, f"corrupted record at {pos}")
        end = pos + 12 + length
        if end + 4 > n:
            raise DataLossError(None, None, f"truncated record at {pos}")
        body = data[pos + 12 : end]
        (dcrc,) = struct.unpack("<I", data[end : end + 4])
        if mask(crc32c(body)) != dcrc:
            raise DataLossError(None, None, f"corrupted record at {pos}")
        yield body
        pos = end + 4


def summary_iterator(path: Any) -> Iterator[Any]:
    """Yields each ``tensorflow.Event`` proto in the event file ``path``.

    >>> import tempfile
    >>> from scopeflow.summary.writer import FileWriter
    >>> w = FileWriter(tempfile.mkdtemp())
    >>> w.close()
    >>> [e.file_version for e in summary_iterator(w.event_writer.get_filename())]
    ['brain.Event:2']
    """
    from scopeflow.protos import event_pb2  # noqa: PLC0415  (protobuf loads on first use)

    for record in tf_record_iterator(path):
        yield event_pb2.Event.FromString(record)


__all__ = ["summary_iterator", "tf_record_iterator"]
