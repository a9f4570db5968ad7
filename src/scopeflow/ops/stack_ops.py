"""TF's stack resource ops (``StackV2``, ``StackPushV2``, ``StackPopV2``, ``StackCloseV2``).

TF 1.x's gradient of a ``tf.while_loop`` (control flow v1) keeps each forward value the
backward loop needs on a stack: the forward loop pushes it every iteration, the gradient loop
pops it in reverse order. These ops exist for TF-written training graphs (``graph_import``).

The ``StackV2`` kernel creates a fresh stack each run (its handle value); pushes and pops update
it in place and run in the order the graph's control edges give them, as in TF. ``max_size``
(negative: unbounded) and popping an empty stack raise TF's errors; ``swap_memory`` has no
effect (no device memory to swap).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._op_builder import UNKNOWN, make_multi_op, make_op


class _Stack:
    """One stack of one run (TF's stack resource)."""

    __slots__ = ("closed", "items", "max_size", "name")

    def __init__(self, name: str, max_size: int) -> None:
        self.name = name
        self.max_size = max_size
        self.items: list[Any] = []
        self.closed = False


def stack(max_size: Tensor, elem_type: dtypes.DType, stack_name: str, name: str) -> Tensor:
    """``StackV2``: a new stack's handle (static shape ``[2]``, as TF's shape function says)."""
    attrs = {"elem_type": elem_type, "stack_name": stack_name}
    return make_op("StackV2", (max_size,), attrs, name, dtypes.resource, TensorShape([2]))


def stack_push(handle: Tensor, elem: Tensor, swap_memory: bool, name: str) -> Tensor:
    """``StackPushV2``: pushes ``elem`` and outputs it."""
    attrs = {"T": elem._dtype.base_dtype, "swap_memory": swap_memory}
    return make_op("StackPushV2", (handle, elem), attrs, name, elem._dtype.base_dtype, elem._shape)


def stack_pop(handle: Tensor, elem_type: dtypes.DType, shape: TensorShape | None,
              name: str) -> Tensor:  # fmt: skip
    """``StackPopV2``: pops the last pushed element (``shape``: its static shape, if known)."""
    attrs = {"elem_type": elem_type}
    return make_op("StackPopV2", (handle,), attrs, name, elem_type, shape or UNKNOWN)


def stack_close(handle: Tensor, name: str) -> Operation:
    """``StackCloseV2``."""
    return make_multi_op("StackCloseV2", (handle,), {}, name, (), ())


@register_kernel("StackV2", stateful=True)
def _stack_kernel(op: Operation, session: Any) -> Any:
    base = op._attrs.get("stack_name") or op._name
    return lambda max_size: _Stack(base, int(max_size))


@register_kernel("StackPushV2", stateful=True, aliases_input=True)
def _push_kernel(op: Operation, session: Any) -> Any:
    def kernel(h: _Stack, elem: torch.Tensor) -> torch.Tensor:
        if h.closed:
            raise InvalidArgumentError(None, op, f"Stack[{h.name}] has already been closed.")
        if 0 <= h.max_size <= len(h.items):
            raise InvalidArgumentError(
                None, op, f"Stack[{h.name}] overflowed its max_size ({h.max_size})"
            )
        h.items.append(elem)
        return elem

    return kernel


@register_kernel("StackPopV2", stateful=True)
def _pop_kernel(op: Operation, session: Any) -> Any:
    def kernel(h: _Stack) -> torch.Tensor:
        if h.closed:
            raise InvalidArgumentError(None, op, f"Stack[{h.name}] has already been closed.")
        if not h.items:
            raise InvalidArgumentError(None, op, "Stack is empty.")
        return h.items.pop()  # type: ignore[no-any-return]

    return kernel


@register_kernel("StackCloseV2", stateful=True)
def _close_kernel(op: Operation, session: Any) -> Any:
    def kernel(h: _Stack) -> None:
        h.closed = True

    return kernel


__all__ = ["stack", "stack_close", "stack_pop", "stack_push"]
