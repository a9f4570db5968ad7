"""Run-time state and kernels of TF's queues (FIFO, random-shuffle, padding-FIFO, priority).

A queue op (``FIFOQueueV2``, ``RandomShuffleQueueV2``, ``PaddingFIFOQueueV2``,
``PriorityQueueV2``) evaluates to itself; the enqueue/dequeue/close/size kernels find the
queue's per-session :class:`_QueueState` from that value, so a queue reference passed through
other ops still reaches its state. The algorithms are those of TF's ``fifo_queue.cc``,
``random_shuffle_queue_op.cc``, ``padding_fifo_queue.cc`` and ``priority_queue.cc``:

* ``enqueue_many`` inserts element by element as capacity allows; a closed queue fails the
  rest with ``CancelledError``.
* ``dequeue_many``/``dequeue_up_to`` take elements as they become available; when the queue
  is closed with too few, the elements already taken go back (FIFO: to the front in order;
  random-shuffle: to the back in reverse order), then ``dequeue_up_to`` returns what is left
  and ``dequeue_many`` raises ``OutOfRangeError``.
* ``RandomShuffleQueue`` keeps ``min_after_dequeue`` elements until closed and picks element
  ``generator() % size`` (moving the last element into the hole), where ``generator`` is TF's
  ``SingleSampleAdapter<PhiloxRandom>`` seeded with the op's ``seed``/``seed2``: the dequeue
  order equals TF's for fixed seeds.

Waits poll every 0.1 s so that a closed session cancels them (``CancelledError``) instead of
leaving a thread blocked.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import collections
import heapq
import itertools
import threading
import weakref
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch

from scopeflow import errors
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph._torch_dtypes import torch_dtype
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation
from scopeflow.ops._philox import SingleSample

_session_counters: weakref.WeakKeyDictionary[Any, Iterator[int]] = weakref.WeakKeyDictionary()
_POLL = 0.1

QUEUE_OP_TYPES = ("FIFOQueueV2", "RandomShuffleQueueV2", "PaddingFIFOQueueV2", "PriorityQueueV2")
_KIND_NAME = {
    "FIFOQueueV2": "FIFOQueue",
    "RandomShuffleQueueV2": "RandomShuffleQueue",
    "PaddingFIFOQueueV2": "PaddingFIFOQueue",
    "PriorityQueueV2": "PriorityQueue",
}


def _value_shape(v: Any) -> list[int]:
    return list(v.shape) if hasattr(v, "shape") else []


class _QueueState:
    """One session's queue: its elements, closed flag and the condition its waiters share."""

    def __init__(self, op: Operation, session: Any) -> None:
        a = op._attrs
        self.kind = op.type
        self.capacity = int(a["capacity"])
        if self.capacity < 0:
            self.capacity = 1 << 62  # TF: capacity -1 means unbounded
        self.shapes: list[TensorShape] | None = a.get("shapes") or None
        self.tf_name = f"_{next(_resource_ids(session))}_{op.name}"
        self.label = _KIND_NAME[op.type]
        self.min_after = int(a.get("min_after_dequeue", 0))
        self.closed = False
        self.cancel_gen = 0  # bumped by close(cancel_pending_enqueues=True)
        self.cond = threading.Condition()
        self.items: collections.deque[list[Any]] = collections.deque()
        self.heap: list[tuple[int, int, list[Any]]] = []
        self._seq = itertools.count()
        self.rng = (
            SingleSample(int(a.get("seed", 0)), int(a.get("seed2", 0)))
            if op.type == "RandomShuffleQueueV2"
            else None
        )

    # --- element storage ---------------------------------------------------------------------
    def size(self) -> int:
        return len(self.heap) if self.kind == "PriorityQueueV2" else len(self.items)

    def put(self, row: list[Any]) -> None:
        if self.kind == "PriorityQueueV2":
            heapq.heappush(self.heap, (int(row[0]), next(self._seq), row))
        else:
            self.items.append(row)

    def take(self) -> list[Any]:
        if self.kind == "PriorityQueueV2":
            return heapq.heappop(self.heap)[2]
        if self.rng is not None:
            index = self.rng() % len(self.items)
            row = self.items[index]
            self.items[index] = self.items[-1]
            self.items.pop()
            return row
        return self.items.popleft()

    def restore(self, rows: list[list[Any]]) -> None:
        """Puts back the rows of an interrupted ``dequeue_many``, as TF does per queue kind."""
        if self.kind == "RandomShuffleQueueV2":
            for row in reversed(rows):
                self.items.append(row)
        else:
            for row in reversed(rows):
                self.items.appendleft(row)

    def available(self) -> int:
        n = self.size()
        return n - self.min_after if self.rng is not None and not self.closed else n


_state_lock = threading.Lock()  # two threads' first runs must not create two states


def _resource_ids(session: Any) -> Iterator[int]:
    """Numbers for the session's queue resources (TF's ``_<n>_<op name>`` resource names).

    TF counts across the whole process; counting per session gives the same names for a
    program's first session and keeps them independent of earlier sessions.
    """
    counter = _session_counters.get(session)
    if counter is None:
        counter = _session_counters[session] = itertools.count()
    return counter


def state_of(session: Any, resource: Any) -> _QueueState:
    """The session's state of the queue op ``resource``."""
    if isinstance(resource, np.ndarray):  # a handle picked by ops (QueueBase.from_list)
        resource = resource.item()
    with _state_lock:
        return session._op_state_for(resource, lambda: _QueueState(resource, session))  # type: ignore[no-any-return]


def _wait(st: _QueueState, session: Any, op: Operation, what: str) -> None:
    if session._closed:
        raise errors.CancelledError(None, op, f"{what} operation was cancelled")
    st.cond.wait(_POLL)
    if session._closed:
        raise errors.CancelledError(None, op, f"{what} operation was cancelled")


@register_kernel("FIFOQueueV2", stateful=True)
@register_kernel("RandomShuffleQueueV2", stateful=True)
@register_kernel("PaddingFIFOQueueV2", stateful=True)
@register_kernel("PriorityQueueV2", stateful=True)
def _queue_kernel(op: Operation, session: Any) -> Any:
    if op.type == "RandomShuffleQueueV2":  # TF checks these when it builds the kernel
        m, cap = int(op._attrs["min_after_dequeue"]), int(op._attrs["capacity"])
        if m < 0:
            raise errors.InvalidArgumentError(None, op, f"min_after_dequeue {m} must be >= 0")
        if m >= cap:
            raise errors.InvalidArgumentError(
                None, op, f"min_after_dequeue {m} must be < capacity {cap}"
            )

    def kernel() -> Operation:
        state_of(session, op)  # creates the resource (and its name) on first run, as TF
        return op

    return kernel


def _copy(v: Any) -> Any:
    return v.clone() if isinstance(v, torch.Tensor) else v


def _slice(v: Any, i: int) -> Any:
    if isinstance(v, torch.Tensor):
        return v[i].clone()
    return np.asarray(v[i], dtype=object)  # strings: object arrays, 0-d for scalars


def _check_row(st: _QueueState, op: Operation, row: list[Any]) -> None:
    if st.shapes is None:
        return
    for i, (v, shape) in enumerate(zip(row, _element_shapes(st), strict=True)):
        got = _value_shape(v)
        if not shape.is_compatible_with(TensorShape(got)):
            raise errors.InvalidArgumentError(
                None, op, f"Shape mismatch in tuple component {i}. Expected {_dbg(shape)}, "
                f"got {_dbg(TensorShape(got))}"
            )  # fmt: skip


def _element_shapes(st: _QueueState) -> list[TensorShape]:
    shapes = list(st.shapes or [])
    return [TensorShape([]), *shapes] if st.kind == "PriorityQueueV2" else shapes


def _dbg(shape: TensorShape) -> str:
    return "[" + ",".join("?" if d is None else str(d) for d in shape.as_list()) + "]"


def _enqueue_factory(many: bool) -> Any:
    def factory(op: Operation, session: Any) -> Any:
        def kernel(resource: Operation, *vals: Any) -> None:
            st = state_of(session, resource)
            if many:
                n = int(vals[0].shape[0]) if hasattr(vals[0], "shape") else len(vals[0])
                for v in vals[1:]:
                    if (int(v.shape[0]) if hasattr(v, "shape") else len(v)) != n:
                        raise errors.InvalidArgumentError(
                            None, op, "Shape mismatch in tuple component 1. Expected batch "
                            "size to match."
                        )  # fmt: skip
                rows = [[_slice(v, i) for v in vals] for i in range(n)]
            else:
                rows = [[_copy(v) for v in vals]]
            for row in rows[:1]:
                _check_row(st, op, row)
            with st.cond:
                gen = st.cancel_gen
                for row in rows:
                    while True:
                        if st.cancel_gen != gen:
                            raise errors.CancelledError(None, op, "Enqueue operation was cancelled")
                        if st.closed:
                            raise errors.CancelledError(
                                None, op, f"{_enqueue_label(st)} '{st.tf_name}' is closed."
                            )
                        if st.size() < st.capacity:
                            break
                        _wait(st, session, op, "Enqueue")
                    st.put(row)
                    st.cond.notify_all()

        return kernel

    return factory


def _enqueue_label(st: _QueueState) -> str:
    # PaddingFIFOQueue enqueues through FIFOQueue's code, and TF's message says so
    return "FIFOQueue" if st.kind == "PaddingFIFOQueueV2" else st.label


register_kernel("QueueEnqueueV2", stateful=True)(_enqueue_factory(False))
register_kernel("QueueEnqueueManyV2", stateful=True)(_enqueue_factory(True))


def _stack(vals: list[Any], pad: bool) -> Any:
    if vals and isinstance(vals[0], torch.Tensor):
        if pad and len({tuple(v.shape) for v in vals}) > 1:
            dims = [max(int(v.shape[d]) for v in vals) for d in range(vals[0].dim())]
            out = torch.zeros([len(vals), *dims], dtype=vals[0].dtype)
            for i, v in enumerate(vals):
                idx: tuple[Any, ...] = (i, *[slice(0, s) for s in v.shape])
                out[idx] = v
            return out
        return torch.stack(vals)
    arrs = [np.asarray(v, dtype=object) for v in vals]
    if pad and len({a.shape for a in arrs}) > 1:
        dims = [max(a.shape[d] for a in arrs) for d in range(arrs[0].ndim)]
        out_s = np.full([len(arrs), *dims], b"", dtype=object)
        for i, a in enumerate(arrs):
            idx_s: tuple[Any, ...] = (i, *[slice(0, s) for s in a.shape])
            out_s[idx_s] = a
        return out_s
    return np.stack(arrs)


def _empty(st: _QueueState, k: int, value_dtype: Any) -> Any:
    shape = [0, *[d or 0 for d in _element_shapes(st)[k].as_list()]]
    if value_dtype is None:
        return np.empty(shape, dtype=object)
    return torch.zeros(shape, dtype=value_dtype)


def _insufficient(st: _QueueState, op: Operation, want: int, size: int) -> errors.OpError:
    label = "FIFOQueue" if st.kind == "PaddingFIFOQueueV2" and want == 1 else st.label
    return errors.OutOfRangeError(
        None, op, f"{label} '{st.tf_name}' is closed and has insufficient elements "
        f"(requested {want}, current size {size})"
    )  # fmt: skip


def _dequeue_factory(kind: str) -> Any:
    def factory(op: Operation, session: Any) -> Any:
        n_out = len(op._outputs)
        torch_dtypes = [
            None if o.dtype.name == "string" else torch_dtype(o.dtype) for o in op._outputs
        ]

        def kernel(resource: Operation, n: Any = None) -> Any:
            st = state_of(session, resource)
            many = kind != "one"
            if (
                many
                and st.kind in ("FIFOQueueV2", "RandomShuffleQueueV2")
                and (st.shapes is None or not all(s.is_fully_defined() for s in st.shapes))
            ):
                raise errors.InvalidArgumentError(
                    None, op, f"{st.label}'s DequeueMany and DequeueUpTo require the "
                    "components to have specified shapes."
                )  # fmt: skip
            want = 1 if n is None else int(n)
            if want < 0:
                raise errors.InvalidArgumentError(
                    None, op, f"Dequeue requested {want} elements, which is negative."
                )  # fmt: skip
            rows = dequeue_rows(st, session, op, want, kind == "up_to")
            if not many:
                outs = rows[0]
            elif not rows:
                outs = [_empty(st, k, torch_dtypes[k]) for k in range(n_out)]
            else:
                pad = st.kind == "PaddingFIFOQueueV2"
                outs = [_stack([r[k] for r in rows], pad) for k in range(n_out)]
            return tuple(outs) if n_out > 1 else outs[0]

        return kernel

    return factory


def dequeue_rows(
    st: _QueueState, session: Any, op: Operation, want: int, allow_small: bool
) -> list[list[Any]]:
    rows: list[list[Any]] = []
    remaining = want
    if want == 0:
        return rows
    with st.cond:
        while True:
            size = st.size()
            if st.closed and size < remaining:
                if (
                    st.kind == "PriorityQueueV2"
                ):  # TF takes what there is, then fails (and drops it)
                    while st.size():
                        st.take()
                        remaining -= 1
                    raise _insufficient(st, op, remaining, 0)
                st.restore(rows)
                if allow_small and st.kind != "PriorityQueueV2" and st.size() > 0:
                    rows, remaining = [], st.size()
                else:
                    raise _insufficient(st, op, remaining, size)
            avail = st.available()
            while avail > 0 and remaining > 0:
                rows.append(st.take())
                remaining -= 1
                avail -= 1
            if rows:
                st.cond.notify_all()
            if remaining == 0:
                return rows
            _wait(st, session, op, "Dequeue")


register_kernel("QueueDequeueV2", stateful=True)(_dequeue_factory("one"))
register_kernel("QueueDequeueManyV2", stateful=True)(_dequeue_factory("many"))
register_kernel("QueueDequeueUpToV2", stateful=True)(_dequeue_factory("up_to"))


@register_kernel("QueueCloseV2", stateful=True)
def _close_kernel(op: Operation, session: Any) -> Any:
    cancel = bool(op._attrs.get("cancel_pending_enqueues", False))

    def kernel(resource: Operation) -> None:
        st = state_of(session, resource)
        with st.cond:
            st.closed = True
            if cancel:
                st.cancel_gen += 1
            st.cond.notify_all()

    return kernel


@register_kernel("QueueSizeV2", stateful=True)
def _size_kernel(op: Operation, session: Any) -> Any:
    def kernel(resource: Operation) -> Any:
        st = state_of(session, resource)
        with st.cond:
            return torch.tensor(st.size(), dtype=torch.int32)

    return kernel


@register_kernel("QueueIsClosedV2", stateful=True)
def _is_closed_kernel(op: Operation, session: Any) -> Any:
    def kernel(resource: Operation) -> Any:
        st = state_of(session, resource)
        with st.cond:
            return torch.tensor(st.closed)

    return kernel


__all__ = ["QUEUE_OP_TYPES", "dequeue_rows", "state_of"]
