"""Event files: TFRecord-framed ``tensorflow.Event`` protos, named as TF 1.x names them.

A file is ``<logdir>/events.out.tfevents.<10-digit seconds>.<hostname><suffix>`` (TF 1.15's
``EventsWriter``). Its first record is the ``file_version: "brain.Event:2"`` event. Each record
is TF's TFRecord frame: little-endian uint64 length, masked CRC32C of the length, the bytes,
masked CRC32C of the bytes.

Records go to a buffered file as they are added; a daemon thread flushes it to disk every
``flush_secs`` (as TF's writer thread does), and ``flush()``/``close()`` flush at once.

Differences from TensorFlow: TF hands events to its writer thread through a queue of
``max_queue`` events; here they are serialized and appended to the file buffer in the caller's
thread (microseconds per event), so there is no queue and ``max_queue`` has no effect. The CRC
comes from the project's hardware CRC32C (``scopeflow.checkpoint``'s)
rather than the ``tensorboard`` package's ``RecordWriter``, whose CRC is computed in pure
Python; the framing is identical and the ``tensorboard`` reader loads the files.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO

from scopeflow.checkpoint._crc import crc32c, mask

_LEN = struct.Struct("<Q")
_CRC = struct.Struct("<I")


def frame_record(data: bytes) -> bytes:
    """``data`` framed as one TFRecord."""
    header = _LEN.pack(len(data))
    return header + _CRC.pack(mask(crc32c(header))) + data + _CRC.pack(mask(crc32c(data)))


class EventFileWriter:
    """Writes ``Event`` protos to a new event file in ``logdir``.

    >>> import tempfile
    >>> w = EventFileWriter(tempfile.mkdtemp())
    >>> Path(w.get_filename()).name.startswith("events.out.tfevents.")
    True
    >>> w.close()
    """

    def __init__(
        self, logdir: Any, max_queue: int = 10, flush_secs: float = 120,
        filename_suffix: str | None = None,
    ) -> None:  # fmt: skip
        self._logdir = str(logdir)
        Path(self._logdir).mkdir(parents=True, exist_ok=True)
        self._max_queue = max_queue
        self._flush_secs = flush_secs
        self._suffix = filename_suffix or ""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._file: BinaryIO | None = None
        self._filename = ""
        self._closed = False
        self._open_new_file()

    def _open_new_file(self) -> None:
        from scopeflow.protos import event_pb2  # noqa: PLC0415  (protobuf loads with a writer)

        now = time.time()
        name = f"events.out.tfevents.{int(now):010d}.{socket.gethostname()}{self._suffix}"
        self._filename = str(Path(self._logdir) / name)
        # TF truncates: a writer reopened within the same second replaces that file
        self._file = Path(self._filename).open("wb")  # noqa: SIM115  (closed by close())
        first = event_pb2.Event(wall_time=now, file_version="brain.Event:2")
        self._file.write(frame_record(first.SerializeToString()))
        self._file.flush()
        self._stop = threading.Event()
        flusher = threading.Thread(
            target=self._flush_every, args=(self._stop,), name="EventFileWriterFlush", daemon=True
        )
        flusher.start()

    def _flush_every(self, stop: threading.Event) -> None:
        while not stop.wait(self._flush_secs):
            self.flush()

    def get_logdir(self) -> str:
        """The directory the event file is in."""
        return self._logdir

    def get_filename(self) -> str:
        """The path of the current event file."""
        return self._filename

    def add_event(self, event: Any) -> None:
        """Appends ``event`` (an ``Event`` proto); a no-op after ``close()``."""
        record = frame_record(event.SerializeToString())
        with self._lock:
            if not self._closed and self._file is not None:
                self._file.write(record)

    def flush(self) -> None:
        """Writes everything added so far to disk."""
        with self._lock:
            if self._file is not None and not self._closed:
                self._file.flush()

    def close(self) -> None:
        """Flushes and closes the file; ``reopen()`` starts a new one."""
        self._stop.set()
        with self._lock:
            if self._file is not None and not self._closed:
                self._file.flush()
                self._file.close()
            self._file = None
            self._closed = True

    def reopen(self) -> None:
        """After ``close()``: opens a new event file in the same directory (else a no-op)."""
        with self._lock:
            if not self._closed:
                return
            self._closed = False
            self._open_new_file()


__all__ = ["EventFileWriter", "frame_record"]
