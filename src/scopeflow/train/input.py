"""``tf.train.batch``: batches of tensors assembled by a queue runner (TF1 queue input).

Builds TF's ``batch`` name scope with a ``FIFOQueue`` of ``capacity``, an enqueue op run by a
``QueueRunner`` added to ``GraphKeys.QUEUE_RUNNERS`` (started by ``tf.train.start_queue_runners``)
and a ``dequeue_many`` (``dequeue_up_to`` with ``allow_smaller_final_batch``) op named ``batch``.

Differences from TensorFlow:
    TF also writes a ``fraction_of_<capacity>_full`` scalar summary; scopeflow does not.
    ``dynamic_pad=True``, ``num_threads > 1`` and ``enqueue_many=True`` raise
    ``UnsupportedError``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow import errors
from scopeflow._core.name_scope import name_scope
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.ops import nest
from scopeflow.ops.data_flow_ops import FIFOQueue
from scopeflow.train.queue_runner import QueueRunner, add_queue_runner


def batch(
    tensors: Any,
    batch_size: int,
    num_threads: int = 1,
    capacity: int = 32,
    enqueue_many: bool = False,
    shapes: Any = None,
    dynamic_pad: bool = False,
    allow_smaller_final_batch: bool = False,
    shared_name: Any = None,
    name: str | None = None,
) -> Any:
    """Batches of ``batch_size`` of ``tensors`` from a queue (``tf.train.batch``)."""
    if dynamic_pad or num_threads != 1 or enqueue_many:
        raise errors.UnsupportedError(
            "tf.train.batch with dynamic_pad, num_threads != 1 or enqueue_many"
        )
    flat = nest.flatten(tensors)
    with name_scope(name, "batch", flat) as scope:
        flat = [convert_to_tensor(t) for t in flat]
        if shapes is None:
            shape_list = [t.shape for t in flat]
            for t, s in zip(flat, shape_list, strict=True):
                if not s.is_fully_defined():
                    raise ValueError(
                        f"All shapes must be fully defined: {[str(x) for x in shape_list]}"
                    )
                del t
        else:
            shape_list = list(shapes)
        q = FIFOQueue(capacity, [t.dtype.base_dtype for t in flat], shapes=shape_list)
        enq = q.enqueue(flat)
        add_queue_runner(QueueRunner(q, [enq]))
        q.size()
        # TF names the dequeue op by the scope itself ("batch/" -> op "batch")
        outs = (
            q.dequeue_up_to(batch_size, name=scope)
            if allow_smaller_final_batch
            else q.dequeue_many(batch_size, name=scope)
        )
    if not isinstance(outs, list):
        outs = [outs]
    return nest.pack_sequence_as(tensors, outs)


__all__ = ["batch"]
