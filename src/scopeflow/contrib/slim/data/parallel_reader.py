"""``slim.parallel_reader``: several readers filling one (optionally shuffling) queue.

``parallel_read`` builds TF 1.15's graph: under the ``parallel_read`` name scope a
``string_input_producer`` of the data files (``filenames``), a ``common_queue``
(``RandomShuffleQueue`` when shuffling, else ``FIFOQueue``) with its ``fraction_of_N_full``
summary, and one reader per ``num_readers`` whose ``read`` results a ``QueueRunner`` enqueues into
the common queue; the returned ``(key, value)`` is the common queue's dequeue.
``single_pass_read`` reads the files once, in order, with one reader.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes as tf_dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow.app import gfile
from scopeflow.data.reader_ops import ReaderBase
from scopeflow.ops import math_ops
from scopeflow.ops.data_flow_ops import FIFOQueue, RandomShuffleQueue
from scopeflow.ops.matmul_ops import add_n
from scopeflow.summary import summary
from scopeflow.train import queue_runner
from scopeflow.train.input import string_input_producer

_STRING_PAIR = "common_queue.dtypes must be [tf.string, tf.string]"


class ParallelReader(ReaderBase):
    """Runs ``num_readers`` readers of ``reader_class`` into ``common_queue``; reads dequeue it.

    The common queue's dtypes must be ``[tf.string, tf.string]`` (key, value). With a
    ``RandomShuffleQueue`` the records of the files read in parallel come out shuffled.
    """

    def __init__(
        self,
        reader_class: Any,
        common_queue: Any,
        num_readers: int = 4,
        reader_kwargs: dict[str, Any] | None = None,
    ) -> None:
        """Creates the readers (``reader_class(**reader_kwargs)`` each).

        Raises:
            TypeError: ``common_queue.dtypes`` is not ``[tf.string, tf.string]``.
        """
        if len(common_queue.dtypes) != 2:
            raise TypeError(_STRING_PAIR)
        for dtype in common_queue.dtypes:
            if not dtype.is_compatible_with(tf_dtypes.string):
                raise TypeError(_STRING_PAIR)
        self._readers = [reader_class(**(reader_kwargs or {})) for _ in range(num_readers)]
        self._common_queue = common_queue

    @property
    def num_readers(self) -> int:
        """How many readers fill the common queue."""
        return len(self._readers)

    @property
    def common_queue(self) -> Any:
        """The queue the readers fill."""
        return self._common_queue

    def read(self, queue: Any, name: str | None = None) -> Any:
        """The next ``(key, value)`` from the common queue; its readers read from ``queue``."""
        self._configure_readers_by(queue)
        return self._common_queue.dequeue(name=name)

    def read_up_to(self, queue: Any, num_records: Any, name: str | None = None) -> Any:
        """Up to ``num_records`` ``(keys, values)`` from the common queue (``dequeue_up_to``)."""
        self._configure_readers_by(queue)
        return self._common_queue.dequeue_up_to(num_records, name)

    def _configure_readers_by(self, queue: Any) -> None:
        enqueue_ops = [self._common_queue.enqueue(r.read(queue)) for r in self._readers]
        queue_runner.add_queue_runner(queue_runner.QueueRunner(self._common_queue, enqueue_ops))

    def num_records_produced(self, name: str | None = None) -> Any:
        """The records all readers have produced (an ``int64`` sum)."""
        return add_n([r.num_records_produced() for r in self._readers], name=name)

    def num_work_units_completed(self, name: str | None = None) -> Any:
        """The files all readers have finished (an ``int64`` sum)."""
        return add_n([r.num_work_units_completed() for r in self._readers], name=name)


def parallel_read(
    data_sources: Any,
    reader_class: Any,
    num_epochs: int | None = None,
    num_readers: int = 4,
    reader_kwargs: dict[str, Any] | None = None,
    shuffle: bool = True,
    dtypes: Any = None,
    capacity: int = 256,
    min_after_dequeue: int = 128,
    seed: int | None = None,
    scope: str | None = None,
) -> Any:
    """``(key, value)`` of records read from ``data_sources`` by ``num_readers`` readers.

    ``data_sources`` is a file, a glob pattern or a list of them. With ``shuffle`` the file
    names and the records are shuffled (``seed`` seeds both queues).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.slim.data import parallel_reader
    >>> key, value = parallel_reader.parallel_read(["f.tfrecord"], tf.TFRecordReader)
    >>> print(value.name)
    parallel_read/common_queue_Dequeue:1
    """
    data_files = get_data_files(data_sources)
    with name_scope(scope, "parallel_read"):
        filename_queue = string_input_producer(
            data_files, num_epochs=num_epochs, shuffle=shuffle, seed=seed, name="filenames"
        )
        dtypes = dtypes or [tf_dtypes.string, tf_dtypes.string]
        common_queue: Any
        if shuffle:
            common_queue = RandomShuffleQueue(
                capacity=capacity,
                min_after_dequeue=min_after_dequeue,
                dtypes=dtypes,
                seed=seed,
                name="common_queue",
            )
        else:
            common_queue = FIFOQueue(capacity=capacity, dtypes=dtypes, name="common_queue")
        summary.scalar(
            f"fraction_of_{capacity}_full",
            math_ops.cast(common_queue.size(), tf_dtypes.float32) * (1.0 / capacity),
        )
        reader = ParallelReader(
            reader_class, common_queue, num_readers=num_readers, reader_kwargs=reader_kwargs
        )
        return reader.read(filename_queue)


def single_pass_read(
    data_sources: Any,
    reader_class: Any,
    reader_kwargs: dict[str, Any] | None = None,
    scope: str | None = None,
) -> Any:
    """``(key, value)`` of the records of ``data_sources``, read once, in order, by one reader."""
    data_files = get_data_files(data_sources)
    with name_scope(scope, "single_pass_read"):
        filename_queue = string_input_producer(
            data_files, num_epochs=1, shuffle=False, capacity=1, name="filenames"
        )
        return reader_class(**(reader_kwargs or {})).read(filename_queue)


def get_data_files(data_sources: Any) -> list[Any]:
    """The files of ``data_sources``: glob patterns (``*``, ``?``, ``[``) are expanded.

    Raises:
        ValueError: no file was found.
    """
    if isinstance(data_sources, (list, tuple)):
        data_files: list[Any] = []
        for source in data_sources:
            data_files += get_data_files(source)
    elif "*" in data_sources or "?" in data_sources or "[" in data_sources:
        data_files = gfile.Glob(data_sources)
    else:
        data_files = [data_sources]
    if not data_files:
        raise ValueError(f"No data files found in {data_sources}")
    return data_files


__all__ = ["ParallelReader", "get_data_files", "parallel_read", "single_pass_read"]
