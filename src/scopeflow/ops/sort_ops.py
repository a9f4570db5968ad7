"""``tf.sort``, ``tf.argsort`` (TF's composites over ``TopKV2``), ``tf.nn.zero_fraction``.

``sort``/``argsort`` are built exactly as TF builds them: a descending sort is ``top_k`` with
``k = shape[axis]`` (the axis transposed last first), an ascending one sorts ``-x`` (``-x - 1``
for signed integers, ``max - x`` for unsigned) and undoes the negation, so names
(``sort/Neg_1:0``, ``argsort/TopKV2:1``), ties (stable: lower index first) and gradients are TF's.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import math_ops, reduction_ops, unary_ops
from scopeflow.ops._math_common import _scope, name_scope
from scopeflow.ops.array_ops import identity, rank, shape, size
from scopeflow.ops.constant_op import constant
from scopeflow.ops.shape_ops import transpose

_DIRECTIONS = ("ASCENDING", "DESCENDING")


def _descending(values: Tensor, axis: int, return_argsort: bool) -> Tensor:
    k = shape(values)[axis]
    rank(values)
    static_rank = values._shape.ndims
    transposition = None
    top_input = values
    if not (axis == -1 or axis + 1 == static_rank):
        if static_rank is None:
            from scopeflow.errors import UnsupportedError  # noqa: PLC0415

            raise UnsupportedError("tf.sort/argsort along a non-last axis of unknown rank")
        if axis < 0:
            axis += static_rank
        perm = np.r_[np.arange(axis), [static_rank - 1], np.arange(axis + 1, static_rank - 1),
                     [axis]].astype(np.int32)  # fmt: skip
        transposition = constant(perm, name="transposition")
        top_input = transpose(values, transposition)
    vals, idx = reduction_ops.top_k(top_input, k)
    out = idx if return_argsort else vals
    if transposition is not None:
        out = transpose(out, transposition)
    return out


def _sort(values: Any, axis: Any, direction: str, return_argsort: bool, name: str | None,
          default: str) -> Tensor:  # fmt: skip
    scope = _scope(name, default)
    with name_scope(scope):
        if direction not in _DIRECTIONS:
            raise ValueError(
                "Argument `direction` should be one of ASCENDING, DESCENDING. Received: "
                f"direction={direction}"
            )
        ax = convert_to_tensor(axis, name="axis")
        if ax._shape.ndims not in (None, 0) or ax._const is None:
            raise ValueError(f"Argument `axis` must be a constant scalar. Received: axis={ax}.")
        a = int(ax._const)
        v = convert_to_tensor(values, name="values")
        if direction == "DESCENDING":
            return _descending(v, a, return_argsort)
        dt = v._dtype.base_dtype
        if dt.is_unsigned:
            offset = constant(dt.max, dtype=dt)
            out = _descending(offset - v, a, return_argsort)
            return out if return_argsort else offset - out
        if dt.is_integer:
            out = _descending(unary_ops.negative(v) - 1, a, return_argsort)
            return out if return_argsort else unary_ops.negative(out) - 1
        out = _descending(unary_ops.negative(v), a, return_argsort)
        return out if return_argsort else unary_ops.negative(out)


def sort(values: Any, axis: Any = -1, direction: str = "ASCENDING",
         name: str | None = None) -> Tensor:  # fmt: skip
    """``values`` sorted along ``axis`` (``tf.sort``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.sort([3.0, 1.0, 2.0]).name)
    sort/Neg_1:0
    """
    return _sort(values, axis, direction, False, name, "sort")


def argsort(values: Any, axis: Any = -1, direction: str = "ASCENDING", stable: bool = False,
            name: str | None = None) -> Tensor:  # fmt: skip
    """int32 indices that sort ``values`` along ``axis`` (``tf.argsort``; always stable)."""
    return _sort(values, axis, direction, True, name, "argsort")


def zero_fraction(value: Any, name: str | None = None) -> Tensor:
    """The fraction of zeros in ``value`` as a float32 scalar (``tf.nn.zero_fraction``).

    Named ``zero_fraction/fraction:0`` as in TF; the count is one int64 ``Sum`` (TF chooses
    between an int32 and an int64 count with a ``cond``).
    """
    scope = _scope(name, "zero_fraction")
    with name_scope(scope):
        v = convert_to_tensor(value, name="value")
        n = size(v, out_type=dtypes.int64)
        zero = constant(0, dtype=v._dtype.base_dtype)
        num_zero = reduction_ops.reduce_sum(
            math_ops.cast(math_ops.equal(v, zero), dtypes.int64), name="count_zero"
        )
        with name_scope(_scope(None, "counts_to_fraction")):
            frac = math_ops.truediv(
                math_ops.cast(num_zero, dtypes.float32), math_ops.cast(n, dtypes.float32)
            )
        return identity(frac, name="fraction")


__all__ = ["argsort", "sort", "zero_fraction"]
