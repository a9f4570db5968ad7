"""Static shape rules of ``Reshape``, ``Pack`` and ``ConcatV2`` (TF's C++ shape functions).

Each rule takes the converted input tensors and returns the output ``TensorShape`` or raises TF's
``ValueError`` (with the node summary from ``_shape_inference.node_error``). Also the value
propagation of these ops for shape vectors (``tf.stack([tf.shape(x)[0], 5])`` keeps the known
entry).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._op_builder import UNKNOWN
from scopeflow.ops._shape_inference import (
    const_int,
    fmt_shape,
    node_error,
    partial_shape_value,
    set_shape_value,
)


def reshape_static(x: Tensor, s: Tensor, scope: str, attrs: dict[str, Any]) -> TensorShape:
    """TF's ``SetOutputShapeForReshape``: infers one missing output or input dimension."""
    out = partial_shape_value(s)
    if out is None or out.ndims is None:
        return UNKNOWN
    in_dims = x._shape.as_list() if x._shape.ndims is not None else None
    if in_dims is None:
        return out
    out_dims = out.as_list()

    def known_product(dims: list[int | None]) -> tuple[int, int, bool]:
        prod, idx, many = 1, -1, False
        for i, d in enumerate(dims):
            if d is None:
                if idx >= 0:
                    many = True
                    break
                idx = i
            else:
                prod *= d
        return prod, idx, many

    k_out, out_idx, many_out = known_product(out_dims)
    k_in, in_idx, many_in = known_product(in_dims)
    if many_out or many_in:
        return out

    def err(msg: str) -> ValueError:
        return node_error(msg, scope, "Reshape", attrs, (x, s), partial=(1,))

    if in_idx < 0 and out_idx < 0:
        if k_in != k_out:
            raise err(f"Cannot reshape a tensor with {k_in} elements to shape {fmt_shape(out)} "
                      f"({k_out} elements)")  # fmt: skip
    elif in_idx < 0 and out_idx >= 0 and k_out > 0:
        if k_in % k_out:
            raise err(f"Dimension size must be evenly divisible by {k_out} but is {k_in}")
        out_dims[out_idx] = k_in // k_out
    elif in_idx < 0 and out_idx >= 0 and k_out == 0 and k_in != 0:
        raise err(f"Cannot reshape a tensor with {k_in} elements to shape {fmt_shape(out)} "
                  f"({k_out} elements)")  # fmt: skip
    elif in_idx >= 0 and out_idx < 0 and k_in != 0:
        if k_out % k_in:
            raise err(f"Dimension size must be evenly divisible by {k_in} but is {k_out}")
    elif in_idx >= 0 and out_idx >= 0 and k_in == k_out:
        out_dims[out_idx] = in_dims[in_idx]
    return TensorShape(out_dims)


def _merge_error(a: TensorShape, b: TensorShape, offset: int = 0) -> str | None:
    """TF's ``InferenceContext::Merge`` message for incompatible shapes, else None."""
    if a.ndims is None or b.ndims is None:
        return None
    if a.ndims != b.ndims:
        return f"Shapes must be equal rank, but are {a.ndims} and {b.ndims}"
    for i, (p, q) in enumerate(zip(a.as_list(), b.as_list(), strict=True)):
        if p is not None and q is not None and p != q:
            return (f"Dimension {i + offset} in both shapes must be equal, but are {p} and {q}. "
                    f"Shapes are {fmt_shape(a)} and {fmt_shape(b)}.")  # fmt: skip
    return None


def pack_static(ts: Sequence[Tensor], axis: int, scope: str, attrs: dict[str, Any]) -> TensorShape:
    """TF's ``Pack`` shape function: merge all input shapes, insert ``N`` at ``axis``."""
    base = ts[-1]._shape
    for i in range(len(ts) - 2, -1, -1):
        msg = _merge_error(ts[i]._shape, base)
        if msg is not None:
            raise node_error(f"{msg}\n\tFrom merging shape {i} with other shapes.", scope,
                             "Pack", attrs, ts)  # fmt: skip
        base = ts[i]._shape.merge_with(base)
    if base.ndims is None:
        return UNKNOWN
    rank = base.ndims + 1
    if not -rank <= axis < rank:
        raise node_error(f"Invalid axis: {axis}; must be in [{-rank},{rank})", scope, "Pack",
                         attrs, ts)  # fmt: skip
    dims = base.as_list()
    dims.insert(axis % rank, len(ts))
    return TensorShape(dims)


def pack_value(t: Tensor, ts: Sequence[Tensor], axis: int) -> None:
    """Constant folding of ``Pack``: the full value, or a partial shape vector of scalars."""
    if all(x._const is not None for x in ts):
        t._const = np.stack([np.asarray(x._const) for x in ts], axis=axis)
    elif axis == 0 and all(x._shape.ndims == 0 for x in ts):
        set_shape_value(t, [_scalar(x) for x in ts])


def _scalar(t: Tensor) -> int | None:
    v = const_int(t)
    return None if v is None or v < 0 else v


def concat_static(ts: Sequence[Tensor], ax_t: Tensor, scope: str,
                  attrs: dict[str, Any]) -> TensorShape:  # fmt: skip
    """TF's ``ConcatShapeHelper``: merge the non-axis dims, add the axis dims."""
    inputs = (*ts, ax_t)
    axis = const_int(ax_t)
    if axis is None:
        rank = None
        for t in ts:
            if rank is None:
                rank = t._shape.ndims
            elif t._shape.ndims is not None and t._shape.ndims != rank:
                raise node_error(f"Shape must be rank {rank} but is rank {t._shape.ndims}", scope,
                                 "ConcatV2", attrs, inputs)  # fmt: skip
        if rank is None:
            return UNKNOWN
        if rank == 0:
            raise node_error("Can't concatenate scalars (use tf.stack instead)", scope,
                             "ConcatV2", attrs, inputs)  # fmt: skip
        return TensorShape([None] * rank)
    ranks = [t._shape.ndims for t in ts]
    known = [r for r in ranks if r is not None]
    if known and any(r != known[0] for r in known):
        # TF first runs without the axis value: inputs must have equal ranks.
        raise node_error(f"Shape must be rank {known[0]} but is rank "
                         f"{next(r for r in known if r != known[0])}", scope, "ConcatV2",
                         attrs, inputs)  # fmt: skip
    min_rank = -axis if axis < 0 else axis + 1
    before: TensorShape | None = None
    after: TensorShape | None = None
    middle: int | None = 0
    for t in reversed(ts):
        s = t._shape
        if s.ndims is None:
            middle = None
            continue
        if s.ndims < min_rank:
            raise node_error(f"Shape must be at least rank {min_rank} but is rank {s.ndims}",
                             scope, "ConcatV2", attrs, inputs, computed=(len(ts),))  # fmt: skip
        dims = s.as_list()
        ax = axis % s.ndims
        b, a = TensorShape(dims[:ax]), TensorShape(dims[ax + 1 :])
        for cur, new in ((before, b), (after, a)):
            if cur is not None:
                msg = _merge_error(new, cur)
                if msg is not None:
                    raise node_error(msg, scope, "ConcatV2", attrs, inputs, computed=(len(ts),))
        before = b if before is None else b.merge_with(before)
        after = a if after is None else a.merge_with(after)
        d_ax = dims[ax]
        middle = None if middle is None or d_ax is None else middle + d_ax
    if before is None or after is None:
        return UNKNOWN
    return TensorShape([*before.as_list(), middle, *after.as_list()])


def concat_value(t: Tensor, ts: Sequence[Tensor], axis: int | None) -> None:
    """Constant folding of ``ConcatV2``: full values, or concatenated partial shape vectors."""
    if axis is None:
        return
    if all(x._const is not None for x in ts):
        t._const = np.concatenate([np.asarray(x._const) for x in ts], axis=axis)
        return
    if axis != 0 or any(x._shape.ndims != 1 for x in ts):
        return
    dims: list[int | None] = []
    for x in ts:
        try:
            p = partial_shape_value(x)
        except ValueError:
            return
        if p is None or p.ndims is None:
            return
        dims.extend(p.as_list())
    set_shape_value(t, dims)


__all__ = ["concat_static", "concat_value", "pack_static", "pack_value", "reshape_static"]
