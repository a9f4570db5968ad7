"""``slim.prefetch_queue``: a queue a background thread keeps filled with ``tensors``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes as _dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow.ops import math_ops
from scopeflow.ops.data_flow_ops import FIFOQueue, PaddingFIFOQueue
from scopeflow.summary import summary
from scopeflow.train import queue_runner


def prefetch_queue(
    tensors: Any,
    capacity: int = 8,
    num_threads: int = 1,
    dynamic_pad: bool = False,
    shared_name: str | None = None,
    name: str | None = None,
) -> Any:
    """A queue holding ``tensors`` (a list or a dict), filled by ``num_threads`` queue runners.

    Dequeue it to get tensors of the same dtypes and shapes (a dict for a dict). With
    ``dynamic_pad`` the queue is a ``PaddingFIFOQueue``, so shapes may have unknown dimensions.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.slim.data import prefetch_queue
    >>> q = prefetch_queue.prefetch_queue([tf.zeros([2, 3])])
    >>> x = q.dequeue()
    >>> print(q.name, x.name, x.shape)
    prefetch_queue/fifo_queue fifo_queue_Dequeue:0 (2, 3)
    """
    if isinstance(tensors, dict):
        names: list[str] | None = sorted(tensors)
        tensor_list = [tensors[n] for n in names or ()]
    else:
        names = None
        tensor_list = tensors
    with name_scope(name, "prefetch_queue", tensor_list):
        queue_class = PaddingFIFOQueue if dynamic_pad else FIFOQueue
        queue = queue_class(
            capacity=capacity,
            dtypes=[t.dtype for t in tensor_list],
            shapes=[t.get_shape() for t in tensor_list],
            names=names,
            shared_name=shared_name,
        )
        enqueue_op = queue.enqueue(tensors)
        queue_runner.add_queue_runner(queue_runner.QueueRunner(queue, [enqueue_op] * num_threads))
        summary.scalar(
            f"fraction_of_{capacity}_full",
            math_ops.cast(queue.size(), _dtypes.float32) * (1.0 / capacity),
        )
        return queue


__all__ = ["prefetch_queue"]
