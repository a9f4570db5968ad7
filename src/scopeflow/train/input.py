"""TF1 queue input pipelines: ``tf.train.batch``, ``shuffle_batch``, ``*_join``, producers.

Each function builds TF's graph (``python/training/input.py``) op for op: a name scope
(``batch``, ``shuffle_batch``, ``input_producer`` ...), the queue (``FIFOQueue``,
``PaddingFIFOQueue`` with ``dynamic_pad``, ``RandomShuffleQueue``), one enqueue op per thread
(or per tensor list for the ``_join`` variants) run by a ``QueueRunner`` in
``GraphKeys.QUEUE_RUNNERS``, TF's ``fraction_of_<capacity>_full`` (or
``fraction_over_<min>_of_<n>_full``) scalar summary, and a ``dequeue_many`` (``dequeue_up_to``
with ``allow_smaller_final_batch``) op named by the scope. Producers count epochs with a local
``limit_epochs/epochs`` variable and ``CountUpTo``, so ``num_epochs`` ends the input with
``OutOfRangeError`` as in TF.

Differences from TensorFlow:
    ``SparseTensor`` inputs and a vector ``keep_input`` (``enqueue_many`` with ``maybe_*``)
    raise ``UnsupportedError``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow import errors
from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.name_scope import name_scope
from scopeflow._core.tensor_shape import TensorShape, as_shape
from scopeflow.data.reader_ops import matching_files
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.graph.variables import Variable
from scopeflow.ops import (
    array_ops,
    control_flow_ops,
    count_up_to_op,  # noqa: F401  (registers CountUpTo)
    creation_ops,
    math_ops,
    random_ops,
    state_ops,
)
from scopeflow.ops.data_flow_ops import FIFOQueue, PaddingFIFOQueue, RandomShuffleQueue
from scopeflow.ops.gather_scatter_ops import gather
from scopeflow.ops.logging_ops import Assert
from scopeflow.summary import summary
from scopeflow.train.queue_runner import QueueRunner, add_queue_runner


# --- producers ------------------------------------------------------------------------------
def match_filenames_once(pattern: Any, name: str | None = None) -> Variable:
    """A local variable holding the files matching ``pattern``, globbed at initialization."""
    with name_scope(name, "matching_filenames", [pattern]) as scope:
        return Variable(
            name=scope, initial_value=matching_files(pattern), trainable=False,
            validate_shape=False, collections=[GraphKeys.LOCAL_VARIABLES],
        )  # fmt: skip


def limit_epochs(tensor: Any, num_epochs: int | None = None, name: str | None = None) -> Any:
    """``tensor``, failing with ``OutOfRangeError`` after ``num_epochs`` evaluations."""
    if num_epochs is None:
        return tensor
    if num_epochs <= 0:
        raise ValueError(f"num_epochs must be > 0 not {num_epochs}.")
    with name_scope(name, "limit_epochs", [tensor]) as scope:
        zero64 = convert_to_tensor(0, dtype=dtypes.int64)
        epochs = Variable(
            zero64, name="epochs", trainable=False, collections=[GraphKeys.LOCAL_VARIABLES]
        )
        counter = epochs.count_up_to(num_epochs)
        with get_default_graph().control_dependencies([counter]):
            return array_ops.identity(tensor, name=scope)


def input_producer(
    input_tensor: Any,
    element_shape: Any = None,
    num_epochs: int | None = None,
    shuffle: bool = True,
    seed: int | None = None,
    capacity: int = 32,
    shared_name: Any = None,
    summary_name: str | None = None,
    name: str | None = None,
    cancel_op: Any = None,
) -> FIFOQueue:
    """A queue fed with the rows of ``input_tensor`` (shuffled per epoch) by a queue runner."""
    with name_scope(name, "input_producer", [input_tensor]):
        input_tensor = convert_to_tensor(input_tensor, name="input_tensor")
        rest = TensorShape(None if input_tensor.shape.ndims is None
                           else input_tensor.shape.as_list()[1:])  # fmt: skip
        element_shape = rest.merge_with(as_shape(element_shape))
        if not element_shape.is_fully_defined():
            raise ValueError(
                "Either `input_tensor` must have a fully defined shape or `element_shape` "
                "must be specified"
            )
        if shuffle:
            input_tensor = random_ops.random_shuffle(input_tensor, seed=seed)
        input_tensor = limit_epochs(input_tensor, num_epochs)
        q = FIFOQueue(capacity=capacity, dtypes=[input_tensor.dtype.base_dtype],
                      shapes=[element_shape], shared_name=shared_name, name=name)  # fmt: skip
        enq = q.enqueue_many([input_tensor])
        add_queue_runner(QueueRunner(q, [enq], cancel_op=cancel_op))
        if summary_name is not None:
            summary.scalar(summary_name, math_ops.cast(q.size(), dtypes.float32) * (1.0 / capacity))
        return q


def string_input_producer(
    string_tensor: Any,
    num_epochs: int | None = None,
    shuffle: bool = True,
    seed: int | None = None,
    capacity: int = 32,
    shared_name: Any = None,
    name: str | None = None,
    cancel_op: Any = None,
) -> FIFOQueue:
    """A queue of file names (or any strings) for readers (``tf.train.string_input_producer``)."""
    not_null_err = "string_input_producer requires a non-null input tensor"
    if not isinstance(string_tensor, (Tensor, Variable)) and not (
        len(string_tensor) if hasattr(string_tensor, "__len__") else string_tensor
    ):
        raise ValueError(not_null_err)
    with name_scope(name, "input_producer", [string_tensor]) as scope:
        string_tensor = convert_to_tensor(string_tensor, dtype=dtypes.string)
        check = Assert(math_ops.greater(array_ops.size(string_tensor), 0), [not_null_err])
        with get_default_graph().control_dependencies([check]):
            string_tensor = array_ops.identity(string_tensor)
        return input_producer(
            input_tensor=string_tensor, element_shape=[], num_epochs=num_epochs,
            shuffle=shuffle, seed=seed, capacity=capacity, shared_name=shared_name, name=scope,
            summary_name=f"fraction_of_{capacity}_full", cancel_op=cancel_op,
        )  # fmt: skip


def range_input_producer(
    limit: Any,
    num_epochs: int | None = None,
    shuffle: bool = True,
    seed: int | None = None,
    capacity: int = 32,
    shared_name: Any = None,
    name: str | None = None,
) -> FIFOQueue:
    """A queue of the integers ``0 .. limit-1`` (``tf.train.range_input_producer``)."""
    with name_scope(name, "input_producer", [limit]) as scope:
        range_tensor = creation_ops.range(limit)
        return input_producer(range_tensor, [], num_epochs, shuffle, seed, capacity,
                              shared_name, f"fraction_of_{capacity}_full", scope)  # fmt: skip


def slice_input_producer(
    tensor_list: Any,
    num_epochs: int | None = None,
    shuffle: bool = True,
    seed: int | None = None,
    capacity: int = 32,
    shared_name: Any = None,
    name: str | None = None,
) -> list[Tensor]:
    """One row of each tensor in ``tensor_list`` per run (``tf.train.slice_input_producer``)."""
    with name_scope(name, "input_producer", list(tensor_list)):
        tensor_list = [convert_to_tensor(t) for t in tensor_list]
        if not tensor_list:
            raise ValueError("Expected at least one tensor in slice_input_producer().")
        range_size = array_ops.shape(tensor_list[0])[0]
        queue = range_input_producer(
            range_size, num_epochs=num_epochs, shuffle=shuffle, seed=seed, capacity=capacity,
            shared_name=shared_name,
        )  # fmt: skip
        index = queue.dequeue()
        return [gather(t, index) for t in tensor_list]


# --- batching -------------------------------------------------------------------------------
def _as_tensor_list(tensors: Any) -> list[Any]:
    if isinstance(tensors, dict):
        return [tensors[k] for k in sorted(tensors, key=str)]
    return list(tensors) if isinstance(tensors, (list, tuple)) else [tensors]


def _as_original_type(original: Any, tensor_list: Any) -> Any:
    if isinstance(original, dict):
        if len(original) == 1:
            tensor_list = [tensor_list]
        return {k: tensor_list[i] for i, k in enumerate(sorted(original, key=str))}
    if not isinstance(original, (list, tuple)):
        return tensor_list  # TF returns the single dequeued tensor
    return tensor_list


def _validate(tensor_list: list[Any]) -> list[Tensor]:
    for t in tensor_list:
        if type(t).__name__ == "SparseTensor":
            raise errors.UnsupportedError("SparseTensor inputs of tf.train batching functions")
    out = [convert_to_tensor(t) for t in tensor_list]
    if not out:
        raise ValueError("Expected at least one tensor in batch().")
    return out


def _validate_keep_input(keep_input: Any, enqueue_many: bool) -> Tensor:
    keep = convert_to_tensor(keep_input)
    ndims = keep.shape.ndims
    if ndims is None:
        raise ValueError("`keep_input` dimensions must be known at graph construction.")
    if not enqueue_many and ndims == 1:
        raise ValueError("`keep_input` cannot be a vector when `enqueue_many=False`.")
    if ndims > 1:
        raise ValueError("`keep_input` must be 0 or 1 dimensions.")
    if ndims == 1:
        raise errors.UnsupportedError("a vector `keep_input` (DynamicPartition)")
    return keep


def _dtypes(tensor_list_list: list[list[Tensor]]) -> list[Any]:
    types = [t.dtype for t in tensor_list_list[0]]
    for tl in tensor_list_list[1:]:
        other = [t.dtype for t in tl]
        if other != types:
            raise TypeError(
                "Expected types to be consistent: "
                f"{', '.join(x.name for x in types)} vs. {', '.join(x.name for x in other)}."
            )
    return types


def _shapes(tensor_list_list: list[list[Tensor]], shapes: Any, enqueue_many: bool) -> Any:
    if shapes is not None:
        return shapes
    out = []
    for i in range(len(tensor_list_list[0])):
        for tl in tensor_list_list:
            if tl[i].shape.ndims is None:
                raise ValueError(f"Cannot infer Tensor's rank: {tl[i]}")
        first = tensor_list_list[0][i].shape  # TF keeps the first list's shape (merge discarded)
        if enqueue_many:
            if (first.ndims or 0) < 1:
                raise ValueError(f"Shape {first} must have rank at least 1")
            first = TensorShape(first.as_list()[1:])
        out.append(first.as_list())
    return out


def _smart_cond(pred: Tensor, true_fn: Callable[[], Any], false_fn: Callable[[], Any]) -> Any:
    if pred._const is not None:
        return true_fn() if bool(pred._const) else false_fn()
    return control_flow_ops.cond(pred, true_fn, false_fn)


def _enqueue_ops(
    queue: Any, lists: list[list[Tensor]], enqueue_many: bool, keep: Tensor
) -> list[Any]:
    fn = queue.enqueue_many if enqueue_many else queue.enqueue
    return [
        _smart_cond(keep, lambda tl=tl: fn(tl), state_ops.no_op)  # type: ignore[misc]
        for tl in lists
    ]


def _dequeue(queue: Any, batch_size: Any, allow_smaller_final_batch: bool, scope: str) -> Any:
    if allow_smaller_final_batch:
        return queue.dequeue_up_to(batch_size, name=scope)
    return queue.dequeue_many(batch_size, name=scope)


def _fraction_full(queue: Any, capacity: int) -> None:
    summary.scalar(
        f"fraction_of_{capacity}_full",
        math_ops.cast(queue.size(), dtypes.float32) * (1.0 / capacity),
    )


def _fraction_over(queue: Any, capacity: int, min_after_dequeue: int) -> None:
    full = math_ops.cast(math_ops.maximum(0, queue.size() - min_after_dequeue), dtypes.float32) * (
        1.0 / (capacity - min_after_dequeue)
    )
    summary.scalar(
        f"fraction_over_{min_after_dequeue}_of_{capacity - min_after_dequeue}_full", full
    )


def _batch(
    tensors: Any, batch_size: Any, keep_input: Any, num_threads: int, capacity: int,
    enqueue_many: bool, shapes: Any, dynamic_pad: bool, allow_smaller_final_batch: bool,
    shared_name: Any, name: str | None,
) -> Any:  # fmt: skip
    tensor_list = _as_tensor_list(tensors)
    with name_scope(name, "batch", [*tensor_list, keep_input]) as scope:
        tensor_list = _validate(tensor_list)
        keep = _validate_keep_input(keep_input, enqueue_many)
        types = _dtypes([tensor_list])
        shape_list = _shapes([tensor_list], shapes, enqueue_many)
        queue_type = PaddingFIFOQueue if dynamic_pad else FIFOQueue
        queue = queue_type(capacity=capacity, dtypes=types, shapes=shape_list,
                           shared_name=shared_name)  # fmt: skip
        enq = _enqueue_ops(queue, [tensor_list], enqueue_many, keep)
        add_queue_runner(QueueRunner(queue, enq * num_threads))
        _fraction_full(queue, capacity)
        dequeued = _dequeue(queue, batch_size, allow_smaller_final_batch, scope)
        return _as_original_type(tensors, dequeued)


def _batch_join(
    tensors_list: Any, batch_size: Any, keep_input: Any, capacity: int, enqueue_many: bool,
    shapes: Any, dynamic_pad: bool, allow_smaller_final_batch: bool, shared_name: Any,
    name: str | None,
) -> Any:  # fmt: skip
    lists = _as_tensor_list_list(tensors_list)
    flat = [t for tl in lists for t in tl]
    with name_scope(name, "batch_join", [*flat, keep_input]) as scope:
        lists = [_validate(tl) for tl in lists]
        keep = _validate_keep_input(keep_input, enqueue_many)
        types = _dtypes(lists)
        shape_list = _shapes(lists, shapes, enqueue_many)
        queue_type = PaddingFIFOQueue if dynamic_pad else FIFOQueue
        queue = queue_type(capacity=capacity, dtypes=types, shapes=shape_list,
                           shared_name=shared_name)  # fmt: skip
        add_queue_runner(QueueRunner(queue, _enqueue_ops(queue, lists, enqueue_many, keep)))
        _fraction_full(queue, capacity)
        dequeued = _dequeue(queue, batch_size, allow_smaller_final_batch, scope)
        return _as_original_type(tensors_list[0], dequeued)


def _as_tensor_list_list(tensors_list: Any) -> list[list[Any]]:
    if not tensors_list:
        raise ValueError("Expected at least one set of tensors")
    if isinstance(tensors_list[0], dict):
        keys = set(tensors_list[0].keys())
        for tensors in tensors_list[1:]:
            if set(tensors.keys()) != keys:
                raise ValueError("All dictionaries in tensors_list must have the same keys")
    return [_as_tensor_list(t) for t in tensors_list]


def _shuffle_batch(
    tensors: Any, batch_size: Any, capacity: int, min_after_dequeue: int, keep_input: Any,
    num_threads: int, seed: int | None, enqueue_many: bool, shapes: Any,
    allow_smaller_final_batch: bool, shared_name: Any, name: str | None, join: bool,
) -> Any:  # fmt: skip
    lists = _as_tensor_list_list(tensors) if join else [_as_tensor_list(tensors)]
    flat = [t for tl in lists for t in tl]
    default = "shuffle_batch_join" if join else "shuffle_batch"
    with name_scope(name, default, [*flat, keep_input]) as scope:
        if capacity <= min_after_dequeue:
            raise ValueError(
                f"capacity {capacity} must be bigger than min_after_dequeue {min_after_dequeue}."
            )
        lists = [_validate(tl) for tl in lists]
        keep = _validate_keep_input(keep_input, enqueue_many)
        types = _dtypes(lists)
        shape_list = _shapes(lists, shapes, enqueue_many)
        queue = RandomShuffleQueue(capacity=capacity, min_after_dequeue=min_after_dequeue,
                                   seed=seed, dtypes=types, shapes=shape_list,
                                   shared_name=shared_name)  # fmt: skip
        enq = _enqueue_ops(queue, lists, enqueue_many, keep)
        add_queue_runner(QueueRunner(queue, enq if join else enq * num_threads))
        _fraction_over(queue, capacity, min_after_dequeue)
        dequeued = _dequeue(queue, batch_size, allow_smaller_final_batch, scope)
        return _as_original_type(tensors[0] if join else tensors, dequeued)


def batch(
    tensors: Any,
    batch_size: Any,
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
    return _batch(tensors, batch_size, True, num_threads, capacity, enqueue_many, shapes,
                  dynamic_pad, allow_smaller_final_batch, shared_name, name)  # fmt: skip


def maybe_batch(
    tensors: Any,
    keep_input: Any,
    batch_size: Any,
    num_threads: int = 1,
    capacity: int = 32,
    enqueue_many: bool = False,
    shapes: Any = None,
    dynamic_pad: bool = False,
    allow_smaller_final_batch: bool = False,
    shared_name: Any = None,
    name: str | None = None,
) -> Any:
    """``batch`` that enqueues an element only when ``keep_input`` is true."""
    return _batch(tensors, batch_size, keep_input, num_threads, capacity, enqueue_many, shapes,
                  dynamic_pad, allow_smaller_final_batch, shared_name, name)  # fmt: skip


def batch_join(
    tensors_list: Any,
    batch_size: Any,
    capacity: int = 32,
    enqueue_many: bool = False,
    shapes: Any = None,
    dynamic_pad: bool = False,
    allow_smaller_final_batch: bool = False,
    shared_name: Any = None,
    name: str | None = None,
) -> Any:
    """Batches from several tensor lists, one enqueue thread each (``tf.train.batch_join``)."""
    return _batch_join(tensors_list, batch_size, True, capacity, enqueue_many, shapes,
                       dynamic_pad, allow_smaller_final_batch, shared_name, name)  # fmt: skip


def maybe_batch_join(
    tensors_list: Any,
    keep_input: Any,
    batch_size: Any,
    capacity: int = 32,
    enqueue_many: bool = False,
    shapes: Any = None,
    dynamic_pad: bool = False,
    allow_smaller_final_batch: bool = False,
    shared_name: Any = None,
    name: str | None = None,
) -> Any:
    """``batch_join`` that enqueues only when ``keep_input`` is true."""
    return _batch_join(tensors_list, batch_size, keep_input, capacity, enqueue_many, shapes,
                       dynamic_pad, allow_smaller_final_batch, shared_name, name)  # fmt: skip


def shuffle_batch(
    tensors: Any,
    batch_size: Any,
    capacity: int,
    min_after_dequeue: int,
    num_threads: int = 1,
    seed: int | None = None,
    enqueue_many: bool = False,
    shapes: Any = None,
    allow_smaller_final_batch: bool = False,
    shared_name: Any = None,
    name: str | None = None,
) -> Any:
    """Shuffled batches through a ``RandomShuffleQueue`` (``tf.train.shuffle_batch``)."""
    return _shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, True, num_threads,
                          seed, enqueue_many, shapes, allow_smaller_final_batch, shared_name,
                          name, join=False)  # fmt: skip


def maybe_shuffle_batch(
    tensors: Any,
    batch_size: Any,
    capacity: int,
    min_after_dequeue: int,
    keep_input: Any,
    num_threads: int = 1,
    seed: int | None = None,
    enqueue_many: bool = False,
    shapes: Any = None,
    allow_smaller_final_batch: bool = False,
    shared_name: Any = None,
    name: str | None = None,
) -> Any:
    """``shuffle_batch`` that enqueues only when ``keep_input`` is true."""
    return _shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, keep_input,
                          num_threads, seed, enqueue_many, shapes, allow_smaller_final_batch,
                          shared_name, name, join=False)  # fmt: skip


def shuffle_batch_join(
    tensors_list: Any,
    batch_size: Any,
    capacity: int,
    min_after_dequeue: int,
    seed: int | None = None,
    enqueue_many: bool = False,
    shapes: Any = None,
    allow_smaller_final_batch: bool = False,
    shared_name: Any = None,
    name: str | None = None,
) -> Any:
    """Shuffled batches from several tensor lists (``tf.train.shuffle_batch_join``)."""
    return _shuffle_batch(tensors_list, batch_size, capacity, min_after_dequeue, True, 1, seed,
                          enqueue_many, shapes, allow_smaller_final_batch, shared_name, name,
                          join=True)  # fmt: skip


def maybe_shuffle_batch_join(
    tensors_list: Any,
    batch_size: Any,
    capacity: int,
    min_after_dequeue: int,
    keep_input: Any,
    seed: int | None = None,
    enqueue_many: bool = False,
    shapes: Any = None,
    allow_smaller_final_batch: bool = False,
    shared_name: Any = None,
    name: str | None = None,
) -> Any:
    """``shuffle_batch_join`` that enqueues only when ``keep_input`` is true."""
    return _shuffle_batch(tensors_list, batch_size, capacity, min_after_dequeue, keep_input, 1,
                          seed, enqueue_many, shapes, allow_smaller_final_batch, shared_name,
                          name, join=True)  # fmt: skip


__all__ = [
    "batch",
    "batch_join",
    "input_producer",
    "limit_epochs",
    "match_filenames_once",
    "maybe_batch",
    "maybe_batch_join",
    "maybe_shuffle_batch",
    "maybe_shuffle_batch_join",
    "range_input_producer",
    "shuffle_batch",
    "shuffle_batch_join",
    "slice_input_producer",
    "string_input_producer",
]
