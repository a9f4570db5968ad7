"""``tf.FIFOQueue``: a bounded first-in first-out queue of tensor tuples, shared by session runs.

The queue is a resource op (``FIFOQueueV2``); ``enqueue``/``enqueue_many``/``dequeue``/
``dequeue_many``/``dequeue_up_to``/``close``/``size`` are ops on it, named as TF names them
(``fifo_queue_enqueue``, ``fifo_queue_Dequeue`` ...). Each session holds its own queue state;
enqueue blocks while the queue is full and dequeue while it lacks elements, so producer threads
(``sess.run(enqueue)`` in a ``threading.Thread``) and a consumer can share it. After ``close``,
enqueue raises ``CancelledError`` and a dequeue that cannot be satisfied ``OutOfRangeError``
(TF's end-of-input signal); ``close(cancel_pending_enqueues=True)`` also fails blocked enqueues.

Differences from TensorFlow:
    ``RandomShuffleQueue``, ``PaddingFIFOQueue``, ``PriorityQueue`` and queue runners are not
    implemented yet; ``shared_name`` does not share queues between sessions.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import collections
import threading
from typing import Any

import torch

from scopeflow import errors
from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape, as_shape
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor

_ids = iter(range(1 << 62))


class _QueueState:
    def __init__(self, capacity: int) -> None:
        self.items: collections.deque[list[Any]] = collections.deque()
        self.capacity = capacity
        self.closed = False
        self.cancelled = False
        self.cond = threading.Condition()


class FIFOQueue:
    """A bounded FIFO queue of tuples of tensors (``tf.FIFOQueue``, ``tf.queue.FIFOQueue``)."""

    def __init__(
        self,
        capacity: int,
        dtypes: Any,
        shapes: Any = None,
        names: Any = None,
        shared_name: Any = None,
        name: str = "fifo_queue",
    ) -> None:
        import scopeflow._core.dtypes as _dt  # noqa: PLC0415  (the argument shadows the module)

        if names is not None:
            raise errors.UnsupportedError("FIFOQueue(names=...)")
        dts = [
            _dt.as_dtype(d).base_dtype
            for d in (dtypes if isinstance(dtypes, (list, tuple)) else [dtypes])
        ]
        self._single = not isinstance(dtypes, (list, tuple))
        if shapes is None:
            self._shapes = [TensorShape(None)] * len(dts)
        elif isinstance(shapes, (list, tuple)) and all(
            d is None or isinstance(d, int) for d in shapes
        ):
            self._shapes = [as_shape(shapes)]  # TF's rule: a list of ints is one shape
        else:
            self._shapes = [as_shape(s) for s in shapes]
        if len(self._shapes) != len(dts):
            raise ValueError("shapes must have the same length as dtypes")
        self._dtypes = dts
        g = get_default_graph()
        self._op = g._create_op(
            "FIFOQueueV2", (), {"capacity": int(capacity), "component_types": tuple(dts)},
            name, (_dt.resource,), (TensorShape([]),),
        )  # fmt: skip
        self._name = self._op.name
        self._tf_name = f"_{next(_ids)}_{self._name}"

    @property
    def queue_ref(self) -> Tensor:
        """The queue resource tensor."""
        return self._op._outputs[0]

    @property
    def name(self) -> str:
        """The queue op's name."""
        return self._name

    @property
    def dtypes(self) -> list[Any]:
        """The component dtypes."""
        return list(self._dtypes)

    @property
    def shapes(self) -> list[TensorShape]:
        """The component static shapes."""
        return list(self._shapes)

    def _inputs(self, vals: Any, many: bool) -> list[Tensor]:
        # TF's rule: a list or tuple is the list of components, even for one dtype
        flat = list(vals) if isinstance(vals, (list, tuple)) else [vals]
        if len(flat) != len(self._dtypes):
            raise ValueError(f"Expected {len(self._dtypes)} components, got {len(flat)}")
        out = []
        for v, dt, shape in zip(flat, self._dtypes, self._shapes, strict=True):
            t = convert_to_tensor(v, dtype=dt)
            got = (
                t.shape if not many or t.shape.ndims is None else TensorShape(t.shape.as_list()[1:])
            )
            if not got.is_compatible_with(shape):
                raise ValueError(f"Shapes {got} and {shape} are incompatible")
            out.append(t)
        return out

    def enqueue(self, vals: Any, name: str | None = None) -> Operation:
        """Adds one element (blocks while the queue is full)."""
        g = get_default_graph()
        return g._create_op("QueueEnqueueV2", (self.queue_ref, *self._inputs(vals, False)),
                            {"_state": self}, name or f"{self._name}_enqueue", (), ())  # fmt: skip

    def enqueue_many(self, vals: Any, name: str | None = None) -> Operation:
        """Adds the slices of ``vals`` along their first dimension."""
        g = get_default_graph()
        inputs = (self.queue_ref, *self._inputs(vals, True))
        return g._create_op(
            "QueueEnqueueManyV2", inputs, {"_state": self}, name or f"{self._name}_EnqueueMany",
            (), (),
        )  # fmt: skip

    def _dequeue(self, op_type: str, n: Tensor | None, lead: Any, name: str) -> Any:
        g = get_default_graph()
        shapes = [s if lead == "none" else TensorShape([lead]).concatenate(s) for s in self._shapes]
        inputs = (self.queue_ref,) if n is None else (self.queue_ref, n)
        op = g._create_op(op_type, inputs, {"_state": self}, name, self._dtypes, shapes)
        outs = list(op._outputs)
        return outs[0] if self._single else outs

    def dequeue(self, name: str | None = None) -> Any:
        """Removes one element (blocks until there is one, ``OutOfRangeError`` once closed)."""
        return self._dequeue("QueueDequeueV2", None, "none", name or f"{self._name}_Dequeue")

    def dequeue_many(self, n: Any, name: str | None = None) -> Any:
        """Removes ``n`` elements, stacked."""
        nt = convert_to_tensor(n, dtype=dtypes.int32)
        lead = int(nt._const) if nt._const is not None else None
        return self._dequeue("QueueDequeueManyV2", nt, lead, name or f"{self._name}_DequeueMany")

    def dequeue_up_to(self, n: Any, name: str | None = None) -> Any:
        """Removes up to ``n`` elements (fewer only once the queue is closed)."""
        nt = convert_to_tensor(n, dtype=dtypes.int32)
        return self._dequeue("QueueDequeueUpToV2", nt, None, name or f"{self._name}_DequeueUpTo")

    def close(self, cancel_pending_enqueues: bool = False, name: str | None = None) -> Operation:
        """Closes the queue: no more enqueues; dequeues drain what is left."""
        g = get_default_graph()
        return g._create_op("QueueCloseV2", (self.queue_ref,),
                            {"_state": self, "cancel": bool(cancel_pending_enqueues)},
                            name or f"{self._name}_Close", (), ())  # fmt: skip

    def size(self, name: str | None = None) -> Tensor:
        """The number of elements in the queue."""
        g = get_default_graph()
        op = g._create_op(
            "QueueSizeV2", (self.queue_ref,), {"_state": self}, name or f"{self._name}_Size",
            (dtypes.int32,), (TensorShape([]),),
        )  # fmt: skip
        return op._outputs[0]


def _state(op: Operation, session: Any) -> _QueueState:
    q: FIFOQueue = op._attrs["_state"]
    return session._op_state_for(q._op, lambda: _QueueState(q._op._attrs["capacity"]))  # type: ignore[no-any-return]


@register_kernel("FIFOQueueV2", stateful=True)
def _queue_kernel(op: Operation, session: Any) -> Any:
    return lambda: op


def _enqueue_factory(many: bool) -> Any:
    def factory(op: Operation, session: Any) -> Any:
        q: FIFOQueue = op._attrs["_state"]

        def kernel(resource: Any, *vals: Any) -> None:
            st = _state(op, session)
            rows = (
                [list(vals)]
                if not many
                else [[v[i] for v in vals] for i in range(int(vals[0].shape[0]))]
            )
            with st.cond:
                for row in rows:
                    while True:
                        if st.closed:
                            raise errors.CancelledError(
                                None, op, f"FIFOQueue '{q._tf_name}' is closed."
                            )
                        if len(st.items) < st.capacity:
                            break
                        st.cond.wait(0.1)
                    st.items.append([v.clone() if isinstance(v, torch.Tensor) else v for v in row])
                    st.cond.notify_all()

        return kernel

    return factory


register_kernel("QueueEnqueueV2", stateful=True)(_enqueue_factory(False))
register_kernel("QueueEnqueueManyV2", stateful=True)(_enqueue_factory(True))


def _stack(vals: list[Any]) -> Any:
    import numpy as np  # noqa: PLC0415

    if vals and isinstance(vals[0], torch.Tensor):
        return torch.stack(vals)
    return np.stack([np.asarray(v, dtype=object) for v in vals])


def _dequeue_factory(kind: str) -> Any:
    def factory(op: Operation, session: Any) -> Any:
        q: FIFOQueue = op._attrs["_state"]
        n_out = len(op._outputs)

        def kernel(resource: Any, n: Any = None) -> Any:
            st = _state(op, session)
            want = 1 if n is None else int(n)
            with st.cond:
                while len(st.items) < want:
                    if st.closed:
                        if kind == "up_to" and st.items:
                            want = len(st.items)
                            break
                        raise errors.OutOfRangeError(
                            None, op, f"FIFOQueue '{q._tf_name}' is closed and has insufficient "
                            f"elements (requested {want}, current size {len(st.items)})"
                        )  # fmt: skip
                    st.cond.wait(0.1)
                rows = [st.items.popleft() for _ in range(want)]
                st.cond.notify_all()
            if kind == "one":
                outs = rows[0]
            else:
                outs = [_stack([r[k] for r in rows]) for k in range(n_out)]
            return tuple(outs) if n_out > 1 else outs[0]

        return kernel

    return factory


register_kernel("QueueDequeueV2", stateful=True)(_dequeue_factory("one"))
register_kernel("QueueDequeueManyV2", stateful=True)(_dequeue_factory("many"))
register_kernel("QueueDequeueUpToV2", stateful=True)(_dequeue_factory("up_to"))


@register_kernel("QueueCloseV2", stateful=True)
def _close_kernel(op: Operation, session: Any) -> Any:
    def kernel(resource: Any) -> None:
        st = _state(op, session)
        with st.cond:
            st.closed = True
            st.cond.notify_all()

    return kernel


@register_kernel("QueueSizeV2", stateful=True)
def _size_kernel(op: Operation, session: Any) -> Any:
    def kernel(resource: Any) -> Any:
        st = _state(op, session)
        with st.cond:
            return torch.tensor(len(st.items), dtype=torch.int32)

    return kernel


__all__ = ["FIFOQueue"]
