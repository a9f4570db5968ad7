"""TF's queues: ``FIFOQueue``, ``RandomShuffleQueue``, ``PaddingFIFOQueue``, ``PriorityQueue``.

A queue is a resource op (``FIFOQueueV2`` ...); ``enqueue``/``enqueue_many``/``dequeue``/
``dequeue_many``/``dequeue_up_to``/``close``/``is_closed``/``size`` are ops on it, named as TF
names them (``<queue>_enqueue``, ``<queue>_Dequeue`` ..., where ``<queue>`` is the last part of
the queue op's name). Each session holds its own queue state (``_queue_kernels``); enqueue
blocks while the queue is full and dequeue while it lacks elements, so producer threads and a
consumer can share it. After ``close``, enqueue raises ``CancelledError`` and a dequeue that
cannot be satisfied ``OutOfRangeError`` (TF's end-of-input signal).

Differences from TensorFlow:
    ``shared_name`` does not share a queue between sessions (within one session the queue is
    the same either way).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import functools
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow._core.tensor_shape import TensorShape, as_shape
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops import _queue_kernels  # noqa: F401  (registers the kernels)
from scopeflow.ops.random_ops import get_seed


def _as_type_list(dtypes_arg: Any) -> list[dtypes.DType]:
    seq = dtypes_arg if isinstance(dtypes_arg, (list, tuple)) else [dtypes_arg]
    return [dtypes.as_dtype(d).base_dtype for d in seq]


def _as_shape_list(shapes: Any, unknown_dim_allowed: bool = False) -> list[TensorShape] | None:
    """TF's ``_as_shape_list``: ``None``, one shape, or a list of shapes (fully defined)."""
    if unknown_dim_allowed and (
        not isinstance(shapes, (list, tuple))
        or not shapes
        or any(s is None or isinstance(s, int) for s in shapes)
    ):
        raise ValueError("When providing partial shapes, a list of shapes must be provided.")
    if shapes is None:
        return None
    if isinstance(shapes, TensorShape):
        shapes = [shapes]
    if not isinstance(shapes, (tuple, list)):
        raise TypeError(
            "Shapes must be a TensorShape or a list or tuple of TensorShapes, "
            f"got {type(shapes)} instead."
        )
    if all(s is None or isinstance(s, int) for s in shapes):
        shapes = [shapes]  # a list of ints is one shape
    out = [as_shape(s) for s in shapes]
    if not unknown_dim_allowed and any(not s.is_fully_defined() for s in out):
        raise ValueError(f"All shapes must be fully defined: {out}")
    if any(s.ndims is None for s in out):
        raise ValueError(f"All shapes must have a defined rank: {out}")
    return out


def _as_name_list(names: Any, dts: list[dtypes.DType]) -> list[Any] | None:
    if names is None:
        return None
    names = list(names) if isinstance(names, (list, tuple)) else [names]
    if len(names) != len(dts):
        raise ValueError(
            "List of names must have the same length as the list of dtypes, received "
            f"len(names)={len(names)},len(dtypes)={len(dts)}"
        )
    return names


def _shape_common(s1: TensorShape, s2: TensorShape) -> TensorShape:
    if s1.ndims is None or s2.ndims is None or s1.ndims != s2.ndims:
        return TensorShape(None)
    return TensorShape(
        [a if a is not None and a == b else None for a, b in zip(s1.as_list(), s2.as_list(),
                                                                  strict=True)]
    )  # fmt: skip


def _queue_op(op_type: str, attrs: dict[str, Any], name: str | None, shared_name: Any) -> Tensor:
    attrs = {"shared_name": shared_name or "", "container": "", **attrs}
    op = get_default_graph()._create_op(
        op_type, (), attrs, name, (dtypes.resource,), (TensorShape([]),)
    )
    return op._outputs[0]


class QueueBase:
    """A queue of tuples of tensors (``tf.QueueBase``, ``tf.queue.QueueBase``)."""

    def __init__(self, dtypes: Any, shapes: Any, names: Any, queue_ref: Tensor) -> None:
        self._dtypes = list(dtypes)
        if shapes is not None:
            if len(shapes) != len(self._dtypes):
                raise ValueError(
                    "Queue shapes must have the same length as dtypes, received "
                    f"len(shapes)={len(shapes)}, len(dtypes)={len(self._dtypes)}"
                )
            self._shapes = [as_shape(s) for s in shapes]
        else:
            self._shapes = [TensorShape(None) for _ in self._dtypes]
        if names is not None and len(names) != len(self._dtypes):
            raise ValueError(
                "Queue names must have the same length as dtypes,received "
                f"len(names)={len(names)},len {len(self._dtypes)}"
            )
        self._names = names
        self._queue_ref = queue_ref
        self._name = queue_ref.op.name.split("/")[-1]

    @staticmethod
    def from_list(index: Any, queues: Any) -> QueueBase:
        """The queue ``queues[index]``, chosen at run time (``index`` may be fed).

        As TF, the queue references are stacked (``stack``) and one is gathered
        (``GatherV2``); the queues must have the same dtypes and names, and the result's
        shapes are the most specific shapes common to all.
        """
        from scopeflow.ops.array_ops import stack  # noqa: PLC0415
        from scopeflow.ops.gather_scatter_ops import gather  # noqa: PLC0415

        if (
            not queues
            or not isinstance(queues, list)
            or not all(isinstance(q, QueueBase) for q in queues)
        ):
            raise TypeError("A list of queues expected")
        dts = queues[0].dtypes
        if not all(dts == q.dtypes for q in queues[1:]):
            raise TypeError("Queues do not have matching component dtypes.")
        names = queues[0].names
        if not all(names == q.names for q in queues[1:]):
            raise TypeError("Queues do not have matching component names.")
        shapes = [
            functools.reduce(_shape_common, s)
            for s in zip(*[q.shapes for q in queues], strict=True)
        ]
        refs = stack([q.queue_ref for q in queues])
        return QueueBase(dts, shapes, names, gather(refs, index))

    @property
    def queue_ref(self) -> Tensor:
        """The queue resource tensor."""
        return self._queue_ref

    @property
    def name(self) -> str:
        """The queue op's name."""
        return self._queue_ref.op.name

    @property
    def dtypes(self) -> list[Any]:
        """The component dtypes."""
        return self._dtypes

    @property
    def shapes(self) -> list[TensorShape]:
        """The component static shapes."""
        return self._shapes

    @property
    def names(self) -> list[Any] | None:
        """The component names (dequeue returns a dict keyed by them), or ``None``."""
        return self._names

    def _check_enqueue_dtypes(self, vals: Any) -> list[Tensor]:
        if isinstance(vals, dict):
            if not self._names:
                raise ValueError("Queue must have names to enqueue a dictionary")
            if sorted(self._names, key=str) != sorted(vals.keys(), key=str):
                raise ValueError(
                    "Keys in dictionary to enqueue do not match names of Queue.  Dictionary: "
                    f"{sorted(vals.keys())},Queue: {sorted(self._names)}"
                )
            vals = [vals[k] for k in self._names]
        else:
            if self._names:
                raise ValueError("You must enqueue a dictionary in a Queue with names")
            if not isinstance(vals, (list, tuple)):
                vals = [vals]
        return [
            convert_to_tensor(v, dtype=dt, name=f"component_{i}")
            for i, (v, dt) in enumerate(zip(vals, self._dtypes, strict=False))
        ]

    @staticmethod
    def _scope_vals(vals: Any) -> list[Any]:
        if isinstance(vals, (list, tuple)):
            return list(vals)
        if isinstance(vals, dict):
            return list(vals.values())
        return [vals]

    def enqueue(self, vals: Any, name: str | None = None) -> Operation:
        """Adds one element (blocks while the queue is full)."""
        with name_scope(name, f"{self._name}_enqueue", self._scope_vals(vals)) as scope:
            ts = self._check_enqueue_dtypes(vals)
            for t, shape in zip(ts, self._shapes, strict=False):
                if not t.shape.is_compatible_with(shape):
                    raise ValueError(f"Shapes {t.shape} and {shape} are incompatible")
            return get_default_graph()._create_op(
                "QueueEnqueueV2", (self._queue_ref, *ts),
                {"Tcomponents": tuple(t.dtype for t in ts), "timeout_ms": -1}, scope, (), (),
            )  # fmt: skip

    def enqueue_many(self, vals: Any, name: str | None = None) -> Operation:
        """Adds the slices of ``vals`` along their first dimension."""
        with name_scope(name, f"{self._name}_EnqueueMany", self._scope_vals(vals)) as scope:
            ts = self._check_enqueue_dtypes(vals)
            batch: int | None = None
            for t, shape in zip(ts, self._shapes, strict=False):
                if t.shape.ndims is not None and t.shape.ndims < 1:
                    raise ValueError(f"Shape {t.shape} must have rank at least 1")
                if t.shape.ndims is None:
                    continue
                d = t.shape.as_list()[0]
                if d is not None and batch is not None and d != batch:
                    raise ValueError(f"Dimensions {batch} and {d} are not compatible")
                batch = d if d is not None else batch
                rest = TensorShape(t.shape.as_list()[1:])
                if not rest.is_compatible_with(shape):
                    raise ValueError(f"Shapes {rest} and {shape} are incompatible")
            return get_default_graph()._create_op(
                "QueueEnqueueManyV2", (self._queue_ref, *ts),
                {"Tcomponents": tuple(t.dtype for t in ts), "timeout_ms": -1}, scope, (), (),
            )  # fmt: skip

    def _dequeue_return_value(self, tensors: list[Tensor]) -> Any:
        if self._names:
            return {n: tensors[i] for i, n in enumerate(self._names)}
        if len(tensors) == 1:
            return tensors[0]
        return tensors

    def _dequeue(self, op_type: str, n: Tensor | None, lead: Any, name: str) -> Any:
        shapes = [s if lead == "none" else TensorShape([lead]).concatenate(s) for s in self._shapes]
        inputs = (self._queue_ref,) if n is None else (self._queue_ref, n)
        attrs = {"component_types": tuple(self._dtypes), "timeout_ms": -1}
        op = get_default_graph()._create_op(op_type, inputs, attrs, name, self._dtypes, shapes)
        return self._dequeue_return_value(list(op._outputs))

    def dequeue(self, name: str | None = None) -> Any:
        """Removes one element (blocks until there is one, ``OutOfRangeError`` once closed)."""
        return self._dequeue("QueueDequeueV2", None, "none", name or f"{self._name}_Dequeue")

    def dequeue_many(self, n: Any, name: str | None = None) -> Any:
        """Removes ``n`` elements, stacked."""
        with name_scope(name or f"{self._name}_DequeueMany") as scope:
            nt = convert_to_tensor(n, dtype=dtypes.int32, name="n")
            lead = int(nt._const) if nt._const is not None else None
            return self._dequeue("QueueDequeueManyV2", nt, lead, scope)

    def dequeue_up_to(self, n: Any, name: str | None = None) -> Any:
        """Removes up to ``n`` elements (fewer only once the queue is closed)."""
        with name_scope(name or f"{self._name}_DequeueUpTo") as scope:
            nt = convert_to_tensor(n, dtype=dtypes.int32, name="n")
            return self._dequeue("QueueDequeueUpToV2", nt, None, scope)

    def close(self, cancel_pending_enqueues: bool = False, name: str | None = None) -> Operation:
        """Closes the queue: no more enqueues; dequeues drain what is left."""
        return get_default_graph()._create_op(
            "QueueCloseV2", (self._queue_ref,),
            {"cancel_pending_enqueues": bool(cancel_pending_enqueues)},
            name or f"{self._name}_Close", (), (),
        )  # fmt: skip

    def is_closed(self, name: str | None = None) -> Tensor:
        """Whether the queue is closed."""
        op = get_default_graph()._create_op(
            "QueueIsClosedV2", (self._queue_ref,), {}, name or f"{self._name}_Is_Closed",
            (dtypes.bool,), (TensorShape([]),),
        )  # fmt: skip
        return op._outputs[0]

    def size(self, name: str | None = None) -> Tensor:
        """The number of elements in the queue."""
        op = get_default_graph()._create_op(
            "QueueSizeV2", (self._queue_ref,), {}, name or f"{self._name}_Size",
            (dtypes.int32,), (TensorShape([]),),
        )  # fmt: skip
        return op._outputs[0]


class FIFOQueue(QueueBase):
    """A bounded FIFO queue of tuples of tensors (``tf.FIFOQueue``, ``tf.queue.FIFOQueue``)."""

    def __init__(
        self,
        capacity: int,
        dtypes: Any,
        shapes: Any = None,
        names: Any = None,
        shared_name: Any = None,
        name: str | None = "fifo_queue",
    ) -> None:
        dts = _as_type_list(dtypes)
        shape_list = _as_shape_list(shapes)
        names = _as_name_list(names, dts)
        ref = _queue_op(
            "FIFOQueueV2",
            {"component_types": tuple(dts), "shapes": tuple(shape_list or ()),
             "capacity": int(capacity)},
            name, shared_name,
        )  # fmt: skip
        super().__init__(dts, shape_list, names, ref)


class RandomShuffleQueue(QueueBase):
    """A queue dequeuing in random order (``tf.RandomShuffleQueue``), TF's order for fixed seeds.

    Dequeues wait until more than ``min_after_dequeue`` elements are queued (unless the queue
    is closed); the element taken is TF's ``PhiloxRandom`` pick, so with a graph or op seed the
    sequence equals TF's.

    >>> import scopeflow.compat.v1 as tf
    >>> tf.set_random_seed(3)
    >>> q = tf.RandomShuffleQueue(10, 2, tf.int32, shapes=[[]])
    >>> fill, take = q.enqueue_many([list(range(10))]), q.dequeue_many(4)
    >>> print(take.name)
    random_shuffle_queue_DequeueMany:0
    >>> with tf.Session() as sess:
    ...     sess.run(fill)
    ...     print(sess.run(take))
    [1 9 2 3]
    """

    def __init__(
        self,
        capacity: int,
        min_after_dequeue: int,
        dtypes: Any,
        shapes: Any = None,
        names: Any = None,
        seed: int | None = None,
        shared_name: Any = None,
        name: str = "random_shuffle_queue",
    ) -> None:
        dts = _as_type_list(dtypes)
        shape_list = _as_shape_list(shapes)
        names = _as_name_list(names, dts)
        seed1, seed2 = get_seed(seed)
        if seed1 is None and seed2 is None:
            seed1, seed2 = 0, 0
        ref = _queue_op(
            "RandomShuffleQueueV2",
            {"component_types": tuple(dts), "shapes": tuple(shape_list or ()),
             "capacity": int(capacity), "min_after_dequeue": int(min_after_dequeue),
             "seed": int(seed1 or 0), "seed2": int(seed2 or 0)},
            name, shared_name,
        )  # fmt: skip
        super().__init__(dts, shape_list, names, ref)


class PaddingFIFOQueue(QueueBase):
    """A FIFO queue whose ``dequeue_many`` pads variable-size components with zeros.

    ``shapes`` is required; ``None`` dimensions may vary between elements
    (``tf.PaddingFIFOQueue``).
    """

    def __init__(
        self,
        capacity: int,
        dtypes: Any,
        shapes: Any,
        names: Any = None,
        shared_name: Any = None,
        name: str = "padding_fifo_queue",
    ) -> None:
        dts = _as_type_list(dtypes)
        shape_list = _as_shape_list(shapes, unknown_dim_allowed=True) or []
        names = _as_name_list(names, dts)
        if len(dts) != len(shape_list):
            raise ValueError(
                "Shapes must be provided for all components, but received "
                f"{len(dts)} dtypes and {len(shape_list)} shapes."
            )
        ref = _queue_op(
            "PaddingFIFOQueueV2",
            {"component_types": tuple(dts), "shapes": tuple(shape_list),
             "capacity": int(capacity)},
            name, shared_name,
        )  # fmt: skip
        super().__init__(dts, shape_list, names, ref)


class PriorityQueue(QueueBase):
    """A queue dequeuing the lowest ``int64`` priority first (``tf.PriorityQueue``).

    Each element's first component is its priority (an ``int64`` scalar); ``types`` and
    ``shapes`` describe the other components.

    Differences from TensorFlow:
        Elements of equal priority come out in insertion order; TF's heap leaves their
        order unspecified.
    """

    def __init__(
        self,
        capacity: int,
        types: Any,
        shapes: Any = None,
        names: Any = None,
        shared_name: Any = None,
        name: str = "priority_queue",
    ) -> None:
        dts = _as_type_list(types)
        shape_list = _as_shape_list(shapes)
        ref = _queue_op(
            "PriorityQueueV2",
            {"component_types": tuple(dts), "shapes": tuple(shape_list or ()),
             "capacity": int(capacity)},
            name, shared_name,
        )  # fmt: skip
        all_shapes = [TensorShape([]), *shape_list] if shape_list else shape_list
        super().__init__([dtypes.int64, *dts], all_shapes, names, ref)


__all__ = ["FIFOQueue", "PaddingFIFOQueue", "PriorityQueue", "QueueBase", "RandomShuffleQueue"]
