"""``tf.summary.FileWriter`` and ``tf.summary.FileWriterCache``: events for TensorBoard.

``FileWriter`` wraps summaries, session logs, graphs and run metadata in ``tensorflow.Event``
protos stamped with the wall time and an optional global step, and appends them to an event
file (:mod:`scopeflow.summary.event_file_writer`). A graph is written as TF writes it: a
``GraphDef`` event (``graph.as_graph_def(add_shapes=True)``), which TensorBoard's graph tab
shows, followed by a ``MetaGraphDef`` event holding the same ``GraphDef``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import threading
import time
import warnings
from typing import Any

from scopeflow.graph.graph import Graph, get_default_graph
from scopeflow.summary.event_file_writer import EventFileWriter

_TF_VERSION = "1.15.5"


def _message_class() -> Any:
    from google.protobuf.message import Message  # noqa: PLC0415  (protobuf loads with a writer)

    return Message


def _protos() -> Any:
    from scopeflow import protos  # noqa: PLC0415  (protobuf loads with the first writer)

    return protos


class SummaryToEventTransformer:
    """The ``add_*`` methods of a summary writer, over an ``event_writer`` (TF's base class)."""

    def __init__(self, event_writer: Any, graph: Any = None, graph_def: Any = None) -> None:
        self.event_writer = event_writer
        self._session_run_tags: dict[str, bool] = {}
        pb = _protos()
        self._event_cls = pb.event_pb2.Event
        self._summary_cls = pb.summary_pb2.Summary
        if graph is not None or graph_def is not None:
            self.add_graph(graph=graph, graph_def=graph_def)
            maybe_def = graph.as_graph_def(add_shapes=True) if isinstance(graph, Graph) else graph
            meta = pb.meta_graph_pb2.MetaGraphDef()
            meta.meta_info_def.tensorflow_version = _TF_VERSION
            meta.graph_def.CopyFrom(graph_def or maybe_def)
            self.add_meta_graph(meta)
        self._seen_summary_tags: set[str] = set()

    def add_summary(self, summary: Any, global_step: Any = None) -> None:
        """Adds a ``Summary`` proto (or its serialized bytes, as ``Session.run`` returns it).

        A tag's ``metadata`` is kept only the first time the tag is written, as TF does.
        """
        if isinstance(summary, bytes):
            summary = self._summary_cls.FromString(summary)
        for value in summary.value:
            # TF tests ``if not value.metadata`` here, which is never true (a message is truthy),
            # so every tag counts as seen, with or without metadata
            if value.tag in self._seen_summary_tags:
                value.ClearField("metadata")
                continue
            self._seen_summary_tags.add(value.tag)
        self._add_event(self._event_cls(summary=summary), global_step)

    def add_session_log(self, session_log: Any, global_step: Any = None) -> None:
        """Adds a ``SessionLog`` proto (``SessionLog(status=SessionLog.START)``...)."""
        self._add_event(self._event_cls(session_log=session_log), global_step)

    def _add_graph_def(self, graph_def: Any, global_step: Any = None) -> None:
        self._add_event(self._event_cls(graph_def=graph_def.SerializeToString()), global_step)

    def add_graph(self, graph: Any, global_step: Any = None, graph_def: Any = None) -> None:
        """Adds a ``Graph`` (written as its ``GraphDef``) or a ``GraphDef`` proto.

        Raises:
            ValueError: if both ``graph`` and ``graph_def`` are given.
            TypeError: if neither is a ``Graph`` nor a ``GraphDef``.
        """
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        graph_def_cls = _protos().graph_pb2.GraphDef
        if isinstance(graph, Graph) or isinstance(graph_def, Graph):
            g = graph if isinstance(graph, Graph) else graph_def
            true_graph_def = g.as_graph_def(add_shapes=True)
        elif isinstance(graph, graph_def_cls) or isinstance(graph_def, graph_def_cls):
            true_graph_def = graph if isinstance(graph, graph_def_cls) else graph_def
        else:
            raise TypeError(
                "The passed graph must be an instance of `Graph` or the deprecated `GraphDef`"
            )
        self._add_graph_def(true_graph_def, global_step)

    def add_meta_graph(self, meta_graph_def: Any, global_step: Any = None) -> None:
        """Adds a ``MetaGraphDef`` proto.

        Raises:
            TypeError: if ``meta_graph_def`` is not a ``MetaGraphDef``.
        """
        if not isinstance(meta_graph_def, _protos().meta_graph_pb2.MetaGraphDef):
            raise TypeError(
                f"meta_graph_def must be type MetaGraphDef, saw type: {type(meta_graph_def)}"
            )
        self._add_event(
            self._event_cls(meta_graph_def=meta_graph_def.SerializeToString()), global_step
        )

    def add_run_metadata(self, run_metadata: Any, tag: str, global_step: Any = None) -> None:
        """Adds a ``RunMetadata`` proto under ``tag`` (each tag once).

        TensorBoard's graph dashboard shows the step stats of a traced run written so (a run
        with ``tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)``).

        Raises:
            ValueError: if ``tag`` was already used.
            TypeError: ``run_metadata`` is not a ``RunMetadata`` message.
        """
        if tag in self._session_run_tags:
            raise ValueError("The provided tag was already used for this event type")
        if not isinstance(run_metadata, _message_class()):
            raise TypeError(
                f"run_metadata must be a tf.RunMetadata proto, but got {type(run_metadata)}"
            )
        self._session_run_tags[tag] = True
        tagged = _protos().event_pb2.TaggedRunMetadata(tag=tag)
        tagged.run_metadata = run_metadata.SerializeToString()
        self._add_event(self._event_cls(tagged_run_metadata=tagged), global_step)

    def _add_event(self, event: Any, step: Any) -> None:
        event.wall_time = time.time()
        if step is not None:
            event.step = int(step)
        self.event_writer.add_event(event)


class FileWriter(SummaryToEventTransformer):
    """Writes ``Summary`` protos and other events to an event file in ``logdir``.

    >>> import tempfile
    >>> import scopeflow.compat.v1 as tf
    >>> with tf.summary.FileWriter(tempfile.mkdtemp()) as w:
    ...     w.add_summary(tf.Summary(value=[tf.Summary.Value(tag="x", simple_value=1.0)]), 3)

    Differences from TensorFlow: ``session=`` (the TF2-summary compatibility mode) raises
    ``UnsupportedError``; plugin assets are not written; the ``MetaGraphDef`` event written
    with a graph holds the ``GraphDef`` and the TF version but no stripped op list.
    """

    def __init__(
        self, logdir: Any, graph: Any = None, max_queue: int = 10, flush_secs: float = 120,
        graph_def: Any = None, filename_suffix: str | None = None, session: Any = None,
    ) -> None:  # fmt: skip
        if session is not None:
            from scopeflow.errors import UnsupportedError  # noqa: PLC0415

            raise UnsupportedError("tf.summary.FileWriter(session=...)")
        event_writer = EventFileWriter(logdir, max_queue, flush_secs, filename_suffix)
        self._closed = False
        super().__init__(event_writer, graph, graph_def)

    def __enter__(self) -> FileWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_logdir(self) -> str:
        """The directory the event file is written in."""
        return self.event_writer.get_logdir()  # type: ignore[no-any-return]

    def _warn_if_event_writer_is_closed(self) -> None:
        if self._closed:
            warnings.warn(
                "Attempting to use a closed FileWriter. The operation will be a noop unless the "
                "FileWriter is explicitly reopened.",
                stacklevel=3,
            )

    def _add_event(self, event: Any, step: Any) -> None:
        self._warn_if_event_writer_is_closed()
        super()._add_event(event, step)

    def add_event(self, event: Any) -> None:
        """Adds an ``Event`` proto as it is."""
        self._warn_if_event_writer_is_closed()
        self.event_writer.add_event(event)

    def flush(self) -> None:
        """Writes all pending events to disk."""
        self._warn_if_event_writer_is_closed()
        self.event_writer.flush()

    def close(self) -> None:
        """Flushes and closes the event file."""
        self.event_writer.close()
        self._closed = True

    def reopen(self) -> None:
        """After ``close()``: continues in a new event file in the same directory."""
        self.event_writer.reopen()
        self._closed = False


class FileWriterCache:
    """One shared ``FileWriter`` per log directory (TF's ``FileWriterCache``).

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> FileWriterCache.get(d) is FileWriterCache.get(d)
    True
    >>> FileWriterCache.clear()
    """

    _cache: dict[str, FileWriter] = {}
    _lock = threading.RLock()

    @staticmethod
    def clear() -> None:
        """Closes and forgets every cached writer."""
        with FileWriterCache._lock:
            for item in FileWriterCache._cache.values():
                item.close()
            FileWriterCache._cache = {}

    @staticmethod
    def get(logdir: Any) -> FileWriter:
        """The writer for ``logdir``, created with the default graph on first use."""
        with FileWriterCache._lock:
            if logdir not in FileWriterCache._cache:
                FileWriterCache._cache[logdir] = FileWriter(logdir, graph=get_default_graph())
            return FileWriterCache._cache[logdir]


__all__ = ["FileWriter", "FileWriterCache", "SummaryToEventTransformer"]
