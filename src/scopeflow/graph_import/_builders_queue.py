"""Builders for TF's queue ops (``FIFOQueueV2``, ``QueueEnqueueManyV2``, ``QueueDequeueV2``...).

A TF1 input pipeline (``tf.train.range_input_producer``, ``string_input_producer``,
``tf.train.batch``/``shuffle_batch``) is queues fed by ``QueueRunner`` threads; a meta graph
written from such a program holds the queue ops, and its ``queue_runners`` collection says
which enqueue ops to run (``meta_graph`` rebuilds the runners). Each op is rebuilt with the
node's attrs, which is all the queue kernels (``ops._queue_kernels``) read; a dequeue's static
shapes come from its queue's ``shapes`` attr, as TF infers them. ``CountUpTo`` (the epoch
counter of an input producer with ``num_epochs``) is here too.

Same contract as ``_builders``: ``builder(inputs, attrs, name)``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.ops import _queue_kernels, count_up_to_op
from scopeflow.ops._op_builder import make_multi_op

del _queue_kernels, count_up_to_op  # imported for their kernels

Builder = Callable[[list[Any], dict[str, Any], str], Any]
_SCALAR = TensorShape([])


def _queue(op_type: str, *int_attrs: str) -> Builder:
    def build(i: list[Any], a: dict[str, Any], n: str) -> Any:
        attrs: dict[str, Any] = {
            "component_types": tuple(a["component_types"]),
            "shapes": tuple(a.get("shapes") or ()),
            "capacity": int(a.get("capacity", -1)),
            "container": str(a.get("container", "")),
            "shared_name": str(a.get("shared_name", "")),
        }
        for key in int_attrs:
            attrs[key] = int(a.get(key, 0))
        op = make_multi_op(op_type, (), attrs, n, (dtypes.resource,), (_SCALAR,))
        return op._outputs[0]

    return build


def _enqueue(op_type: str) -> Builder:
    def build(i: list[Any], a: dict[str, Any], n: str) -> Any:
        attrs = {
            "Tcomponents": tuple(t._dtype.base_dtype for t in i[1:]),
            "timeout_ms": int(a.get("timeout_ms", -1)),
        }
        return make_multi_op(op_type, tuple(i), attrs, n, (), ())

    return build


def _component_shapes(handle: Any, count: int) -> list[TensorShape]:
    """The queue's declared component shapes (unknown when it declares none)."""
    producer = handle.op
    shapes = list(producer._attrs.get("shapes") or ()) if producer._type.endswith("QueueV2") else []
    if producer._type == "PriorityQueueV2" and shapes:
        shapes = [_SCALAR, *shapes]
    if len(shapes) != count:
        return [TensorShape(None)] * count
    return [TensorShape(s) for s in shapes]


def _dequeue(op_type: str, lead: str) -> Builder:
    def build(i: list[Any], a: dict[str, Any], n: str) -> Any:
        types = tuple(a["component_types"])
        shapes = _component_shapes(i[0], len(types))
        if lead == "many":
            k = i[1]._const
            first = TensorShape([None if k is None else int(k)])
            shapes = [first.concatenate(s) for s in shapes]
        elif lead == "up_to":
            shapes = [TensorShape([None]).concatenate(s) for s in shapes]
        attrs = {"component_types": types, "timeout_ms": int(a.get("timeout_ms", -1))}
        op = make_multi_op(op_type, tuple(i), attrs, n, types, shapes)
        return op._outputs[0] if len(op._outputs) == 1 else list(op._outputs)

    return build


def _close(i: list[Any], a: dict[str, Any], n: str) -> Any:
    attrs = {"cancel_pending_enqueues": bool(a.get("cancel_pending_enqueues", False))}
    return make_multi_op("QueueCloseV2", (i[0],), attrs, n, (), ())


def _count_up_to(i: list[Any], a: dict[str, Any], n: str) -> Any:
    """``CountUpTo`` on a variable: the epoch counter of ``num_epochs`` input producers."""
    dt = i[0]._dtype.base_dtype
    attrs = {"T": dt, "limit": int(a["limit"])}
    return make_multi_op("CountUpTo", (i[0],), attrs, n, (dt,), (_SCALAR,))._outputs[0]


def _scalar_query(op_type: str, dtype: dtypes.DType) -> Builder:
    return lambda i, a, n: make_multi_op(op_type, (i[0],), {}, n, (dtype,), (_SCALAR,))._outputs[0]


QUEUE_BUILDERS: dict[str, Builder] = {
    "FIFOQueueV2": _queue("FIFOQueueV2"),
    "PaddingFIFOQueueV2": _queue("PaddingFIFOQueueV2"),
    "PriorityQueueV2": _queue("PriorityQueueV2"),
    "RandomShuffleQueueV2": _queue("RandomShuffleQueueV2", "min_after_dequeue", "seed", "seed2"),
    "QueueEnqueueV2": _enqueue("QueueEnqueueV2"),
    "QueueEnqueueManyV2": _enqueue("QueueEnqueueManyV2"),
    "QueueDequeueV2": _dequeue("QueueDequeueV2", "none"),
    "QueueDequeueManyV2": _dequeue("QueueDequeueManyV2", "many"),
    "QueueDequeueUpToV2": _dequeue("QueueDequeueUpToV2", "up_to"),
    "QueueCloseV2": _close,
    "QueueSizeV2": _scalar_query("QueueSizeV2", dtypes.int32),
    "QueueIsClosedV2": _scalar_query("QueueIsClosedV2", dtypes.bool),
    "CountUpTo": _count_up_to,
}

__all__ = ["QUEUE_BUILDERS"]
