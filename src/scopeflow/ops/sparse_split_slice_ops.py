"""``tf.sparse_split`` and ``tf.sparse_slice``: the ``SparseSplit`` and ``SparseSlice`` ops.

As TF's kernels:

* ``SparseSplit`` (inputs ``split_dim``, indices, values, shape; attr ``num_split``) cuts
  dimension ``axis`` into ``num_split`` pieces, the first ``dim % num_split`` of them one longer;
  each entry goes to its piece with its index made relative to the piece, in input order. Each
  piece's shape is the input's with that dimension replaced. TF registers no gradient for it
  (``tf.gradients`` through it raises TF's ``LookupError``).
* ``SparseSlice`` (inputs indices, values, shape, ``start``, ``size``) keeps the entries inside
  ``[start, start + size)``, with indices relative to ``start``; the output's shape is
  ``max(min(start + size, shape) - start, 0)`` per dimension. The values' gradient goes back to
  the kept entries (TF's ``SparseSliceGrad``).

``tf.sparse_split`` takes keyword arguments only, as TF's: ``sp_input``, ``num_split`` and
``axis`` are required (``split_dim`` is the deprecated name of ``axis``).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation
from scopeflow.ops._math_common import _scope
from scopeflow.ops._op_builder import make_multi_op
from scopeflow.ops.sparse_ops import SparseTensor, convert_to_sparse_tensor


def _take(values: Any, keep: torch.Tensor) -> Any:
    """``values[keep]`` for torch values and for string values (NumPy object arrays)."""
    if isinstance(values, np.ndarray):
        return values[keep.numpy()]
    return values.index_select(0, keep)


def _rank_of(sp: SparseTensor) -> int | None:
    return sp.dense_shape._shape.dims[0].value if sp.dense_shape._shape.ndims == 1 else None  # type: ignore[index]


class _KeywordRequired:
    def __repr__(self) -> str:
        return "KeywordRequired()"


def sparse_split(
    keyword_required: Any = _KeywordRequired(),  # noqa: B008  (TF's sentinel)
    sp_input: Any = None,
    num_split: Any = None,
    axis: Any = None,
    name: str | None = None,
    split_dim: Any = None,
) -> list[SparseTensor]:
    """``sp_input`` cut into ``num_split`` ``SparseTensor``s along ``axis``.

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.SparseTensor([[0, 4], [1, 0], [1, 1]], [1.0, 2.0, 3.0], [2, 7])
    >>> parts = tf.sparse_split(sp_input=sp, num_split=2, axis=1)
    >>> with tf.Session() as sess:
    ...     print([p.dense_shape.tolist() for p in sess.run(parts)])
    [[2, 4], [2, 3]]
    """
    if not isinstance(keyword_required, _KeywordRequired):
        raise ValueError("Keyword arguments are required for this function.")
    if sp_input is None:
        raise ValueError("sp_input is required")
    if num_split is None:
        raise ValueError("num_split is required")
    if axis is None:
        raise ValueError("axis is required")
    if split_dim is not None and split_dim != axis:
        raise ValueError("Cannot specify both 'axis' and 'split_dim'")
    sp = convert_to_sparse_tensor(sp_input)
    num_split = int(num_split)
    scope = _scope(name, "SparseSplit")
    split = convert_to_tensor(axis, dtype=dtypes.int64, name=scope + "split_dim")
    vdt = sp.values._dtype.base_dtype
    rank = _rank_of(sp)
    op = make_multi_op(
        "SparseSplit",
        (split, sp.indices, sp.values, sp.dense_shape),
        {"num_split": num_split, "T": vdt},
        scope,
        (dtypes.int64,) * num_split + (vdt,) * num_split + (dtypes.int64,) * num_split,
        (TensorShape([None, rank]),) * num_split
        + (TensorShape([None]),) * num_split
        + (TensorShape([rank]),) * num_split,
    )
    outs = op._outputs
    return [
        SparseTensor(outs[i], outs[num_split + i], outs[2 * num_split + i])
        for i in range(num_split)
    ]


@register_kernel("SparseSplit")
def _sparse_split_kernel(op: Operation, session: Any) -> Any:
    n = int(op._attrs["num_split"])

    def kernel(split_dim: Any, indices: Any, values: Any, shape: Any) -> tuple[Any, ...]:
        dims = [int(v) for v in shape.tolist()]
        axis = int(split_dim)
        rank = len(dims)
        if not -rank <= axis < rank:
            raise InvalidArgumentError(
                None, op, f"Input split_dim should be between -{rank} and {rank}, got {axis}"
            )
        axis %= rank
        if not 1 <= n <= dims[axis]:
            raise InvalidArgumentError(
                None, op,
                "Input num_split should be between 1 and the splitting dimension size "
                f"({dims[axis]}), got {n}",
            )  # fmt: skip
        size, residual = divmod(dims[axis], n)
        coord = indices[:, axis]
        outs_i, outs_v, outs_s = [], [], []
        for k in range(n):
            start = k * size + min(k, residual)
            length = size + (1 if k < residual else 0)
            keep = torch.nonzero((coord >= start) & (coord < start + length)).reshape(-1)
            idx = indices.index_select(0, keep).clone()
            idx[:, axis] -= start
            outs_i.append(idx)
            outs_v.append(_take(values, keep))
            piece = list(dims)
            piece[axis] = length
            outs_s.append(torch.tensor(piece, dtype=torch.int64))
        return (*outs_i, *outs_v, *outs_s)

    return kernel


def sparse_slice(sp_input: Any, start: Any, size: Any, name: str | None = None) -> SparseTensor:
    """The entries of ``sp_input`` inside ``[start, start + size)``, as a ``SparseTensor``.

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.SparseTensor([[0, 4], [1, 0], [1, 1]], [1.0, 2.0, 3.0], [2, 7])
    >>> with tf.Session() as sess:
    ...     got = sess.run(tf.sparse_slice(sp, [1, 0], [5, 2]))
    >>> print(got.indices.tolist(), got.values.tolist(), got.dense_shape.tolist())
    [[0, 0], [0, 1]] [2.0, 3.0] [1, 2]
    """
    sp = convert_to_sparse_tensor(sp_input)
    start_t = convert_to_tensor(start, dtype=dtypes.int64)
    size_t = convert_to_tensor(size, dtype=dtypes.int64)
    with name_scope(name, "SparseSlice", [sp]) as scope:
        vdt = sp.values._dtype.base_dtype
        rank = _rank_of(sp)
        op = make_multi_op(
            "SparseSlice",
            (sp.indices, sp.values, sp.dense_shape, start_t, size_t),
            {"T": vdt},
            scope,
            (dtypes.int64, vdt, dtypes.int64),
            (TensorShape([None, rank]), TensorShape([None]), TensorShape([rank])),
        )
    return SparseTensor(op._outputs[0], op._outputs[1], op._outputs[2])


@register_kernel("SparseSlice")
def _sparse_slice_kernel(op: Operation, session: Any) -> Any:
    def kernel(indices: Any, values: Any, shape: Any, start: Any, size: Any) -> tuple[Any, ...]:
        dims = shape.to(torch.int64)
        lo = start.to(torch.int64)
        for what, t in (("start", lo), ("size", size)):
            if t.numel() != dims.numel():
                raise InvalidArgumentError(
                    None, op,
                    f"Expected {what} to be a vector of length {dims.numel()} but got length "
                    f"{t.numel()}",
                )  # fmt: skip
        hi = lo + size.to(torch.int64)
        inside = (
            ((indices >= lo) & (indices < hi)).all(dim=1)
            if indices.numel()
            else (torch.zeros(indices.shape[0], dtype=torch.bool))
        )
        keep = torch.nonzero(inside).reshape(-1)
        out_shape = torch.clamp(torch.minimum(hi, dims) - lo, min=0)
        return indices.index_select(0, keep) - lo, _take(values, keep), out_shape

    return kernel


__all__ = ["sparse_slice", "sparse_split"]
