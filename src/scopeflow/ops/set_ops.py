"""``tf.sets``: set operations along the last dimension, TF 1.15's ``sets_impl``.

``set_intersection``, ``set_union``, ``set_difference``, ``set_size`` and TF 1.15's short
aliases (``tf.sets.intersection``, ...).

As TF 1.15's ``sets_impl``: each set is the last dimension of a dense tensor (every element is a
member) or of a ``SparseTensor`` (the values present); the groups are the leading indices. Two
dense operands are the op ``DenseToDenseSetOperation``, dense and sparse
``DenseToSparseSetOperation`` (a sparse first operand is swapped to second, and a difference
reversed: ``set_operation`` ``"b-a"``), two sparse ones ``SparseToSparseSetOperation``; attrs
``set_operation`` (``a-b``, ``b-a``, ``intersection``, ``union``), ``validate_indices`` and
``T``. The result is a ``SparseTensor`` (int64 ``indices`` ``[?, rank]``, ``dense_shape``
``[rank]``) holding each group's result sorted ascending (bytes order for strings), its last
dimension the largest result size. ``set_size`` is ``SetSize`` (int32 counts of distinct
values per group, unknown static shape as in TF). Allowed dtypes: int8, int16, int32, int64,
uint8, uint16, string (TF 1.15's ``TypeError`` text for others).
With ``validate_indices`` the sparse indices must be in bounds and in
row-major order (TF's run-time ``InvalidArgumentError``). No gradients (TF has none).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph._torch_dtypes import to_numpy
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _scope
from scopeflow.ops._op_builder import make_multi_op, make_op
from scopeflow.ops._shape_inference import node_error
from scopeflow.ops.sparse_ops import SparseTensor, SparseTensorValue

_VALID_DTYPES = (
    dtypes.int8,
    dtypes.int16,
    dtypes.int32,
    dtypes.int64,
    dtypes.uint8,
    dtypes.uint16,
    dtypes.string,
)


def _to_tensor_or_sparse(value: Any, name: str) -> Tensor | SparseTensor:
    if isinstance(value, SparseTensorValue):
        return SparseTensor.from_value(value)
    if isinstance(value, SparseTensor):
        return value
    return convert_to_tensor(value, name=name)


def set_size(a: Any, validate_indices: bool = True) -> Tensor:
    """The number of distinct values in each set (last dimension) of a ``SparseTensor``.

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [3, 1, 9], [2, 4])
    >>> tf.Session().run(tf.sets.set_size(sp)).tolist()
    [2, 1]
    """
    return set_size_op(a, validate_indices)


def set_size_op(a: Any, validate_indices: bool = True, name: str | None = None) -> Tensor:
    """``set_size`` with an op name (graph import rebuilds ``SetSize`` nodes with it)."""
    t = _to_tensor_or_sparse(a, "a")
    if not isinstance(t, SparseTensor):
        raise TypeError(f"Expected `SparseTensor`, got {t}.")
    dt = t.values._dtype.base_dtype
    if dt not in _VALID_DTYPES:
        raise TypeError(f"Invalid dtype {t.values.dtype}.")
    return make_op(
        "SetSize",
        (t.indices, t.values, t.dense_shape),
        {"T": dt, "validate_indices": bool(validate_indices)},
        _scope(name, "SetSize"),
        dtypes.int32,
        TensorShape(None),
    )


def _convert_pair(a: Any, b: Any) -> tuple[Any, Any, bool]:
    x = _to_tensor_or_sparse(a, "a")
    if x.dtype.base_dtype not in _VALID_DTYPES:
        raise TypeError(f"'a' invalid dtype {x.dtype}.")
    y = _to_tensor_or_sparse(b, "b")
    if y.dtype.base_dtype != x.dtype.base_dtype:
        raise TypeError(f"Types don't match, {x.dtype} vs {y.dtype}.")
    if isinstance(x, SparseTensor) and not isinstance(y, SparseTensor):
        return y, x, True
    return x, y, False


def _rank_of(t: Tensor | SparseTensor) -> int | None:
    if isinstance(t, SparseTensor):
        s = t.dense_shape._shape
        return s.as_list()[0] if s.ndims == 1 else None
    return t._shape.ndims


def _set_operation(a: Any, b: Any, set_operation: str, validate_indices: bool,
                   name: str | None = None) -> SparseTensor:  # fmt: skip
    dt = a.dtype.base_dtype
    attrs = {"T": dt, "set_operation": set_operation, "validate_indices": bool(validate_indices)}
    if isinstance(a, SparseTensor):
        if not isinstance(b, SparseTensor):
            raise ValueError(
                "Sparse,Dense is not supported, but Dense,Sparse is. Please flip the order of "
                "your inputs."
            )
        op_type = "SparseToSparseSetOperation"
        inputs: tuple[Tensor, ...] = (
            a.indices, a.values, a.dense_shape, b.indices, b.values, b.dense_shape
        )  # fmt: skip
    elif isinstance(b, SparseTensor):
        op_type = "DenseToSparseSetOperation"
        inputs = (a, b.indices, b.values, b.dense_shape)
    else:
        op_type = "DenseToDenseSetOperation"
        inputs = (a, b)
    scope = _scope(name, op_type)
    if op_type == "DenseToDenseSetOperation":
        _dense_dense_shape_check(a, b, scope, attrs)
    elif op_type == "DenseToSparseSetOperation":
        _rank_check(a, scope, op_type, attrs, list(inputs))
    rank = _rank_of(a)
    if rank is None:
        rank = _rank_of(b)
    op = make_multi_op(
        op_type,
        inputs,
        attrs,
        scope,
        (dtypes.int64, dt, dtypes.int64),
        (TensorShape([None, rank]), TensorShape([None]), TensorShape([rank])),
    )
    return SparseTensor(op._outputs[0], op._outputs[1], op._outputs[2])


def _rank_check(a: Tensor, scope: str, op_type: str, attrs: dict[str, Any],
                inputs: list[Tensor]) -> None:  # fmt: skip
    nd = a._shape.ndims
    if nd is not None and nd < 2:
        raise node_error(f"Shape must be at least rank 2 but is rank {nd}", scope, op_type, attrs,
                         inputs)  # fmt: skip


def _dense_dense_shape_check(a: Tensor, b: Tensor, scope: str, attrs: dict[str, Any]) -> None:
    op_type = "DenseToDenseSetOperation"
    for t in (a, b):
        _rank_check(t, scope, op_type, attrs, [a, b])
    if a._shape.ndims is None or b._shape.ndims is None:
        return
    da, db = a._shape.as_list()[:-1], b._shape.as_list()[:-1]
    if len(da) != len(db):
        raise node_error(f"Shape must be rank {len(da) + 1} but is rank {len(db) + 1}", scope,
                         op_type, attrs, [a, b])  # fmt: skip
    for i, (x, y) in enumerate(zip(da, db, strict=True)):
        if x is not None and y is not None and x != y:
            fa = "[" + ",".join("?" if d is None else str(d) for d in da) + "]"
            fb = "[" + ",".join("?" if d is None else str(d) for d in db) + "]"
            raise node_error(
                f"Dimension {i} in both shapes must be equal, but are {x} and {y}. Shapes are "
                f"{fa} and {fb}.",
                scope,
                op_type,
                attrs,
                [a, b],
            )


def set_intersection(a: Any, b: Any, validate_indices: bool = True) -> SparseTensor:
    """The intersection of the sets in the last dimension of ``a`` and ``b`` (sorted).

    >>> import scopeflow.compat.v1 as tf
    >>> r = tf.sets.set_intersection([[1, 2, 3], [4, 5, 6]], [[3, 2, 7], [6, 9, 1]])
    >>> tf.Session().run(r).values.tolist()
    [2, 3, 6]
    """
    x, y, _ = _convert_pair(a, b)
    return _set_operation(x, y, "intersection", validate_indices)


def set_difference(a: Any, b: Any, aminusb: bool = True,
                   validate_indices: bool = True) -> SparseTensor:  # fmt: skip
    """``a - b`` (or ``b - a`` with ``aminusb=False``) of the sets in the last dimension."""
    x, y, flipped = _convert_pair(a, b)
    if flipped:
        aminusb = not aminusb
    return _set_operation(x, y, "a-b" if aminusb else "b-a", validate_indices)


def set_union(a: Any, b: Any, validate_indices: bool = True) -> SparseTensor:
    """The union of the sets in the last dimension of ``a`` and ``b`` (sorted)."""
    x, y, _ = _convert_pair(a, b)
    return _set_operation(x, y, "union", validate_indices)


# --- kernels ---------------------------------------------------------------------------------


def _np(x: Any) -> np.ndarray:
    return np.asarray(to_numpy(x))


def _members(v: Any) -> Any:
    return v.encode() if isinstance(v, str) else v


def _dense_groups(arr: np.ndarray) -> dict[tuple[int, ...], set[Any]]:
    out: dict[tuple[int, ...], set[Any]] = {}
    for idx in np.ndindex(*arr.shape[:-1]):
        out[idx] = {_members(v) for v in arr[idx].tolist()}
    return out


Groups = dict[tuple[int, ...], set[Any]]


def _sparse_groups(op: Operation, ind: Any, vals: Any, shp: Any,
                   validate: bool) -> tuple[Groups, list[int]]:  # fmt: skip
    idx = _np(ind).astype(np.int64)
    shape = [int(v) for v in _np(shp).reshape(-1).tolist()]
    values = _np(vals).reshape(-1).tolist()
    idx = idx.reshape(-1, len(shape)) if shape else idx.reshape(-1, 0)
    if len(shape) < 2:
        raise InvalidArgumentError(None, op, f"Invalid input rank {len(shape)}.")
    if validate:
        prev: list[int] | None = None
        for i, row in enumerate(idx.tolist()):
            for d, (v, n) in enumerate(zip(row, shape, strict=True)):
                if not 0 <= v < n:
                    raise InvalidArgumentError(
                        None, op, f"Invalid indices[{i}] = [{','.join(map(str, row))}] (dim {d} "
                        f"of shape [{','.join(map(str, shape))}])."
                    )  # fmt: skip
            if prev is not None and row <= prev:
                raise InvalidArgumentError(
                    None, op, f"indices[{i}] = [{','.join(map(str, row))}] is out of order. Many "
                    "sparse ops require sorted indices.\n    Use `tf.sparse.reorder` to create a "
                    "correctly ordered copy.\n\n"
                )  # fmt: skip
            prev = row
    groups: dict[tuple[int, ...], set[Any]] = {}
    for row, v in zip(idx.tolist(), values, strict=True):
        groups.setdefault(tuple(row[:-1]), set()).add(_members(v))
    return groups, shape


def _combine(op: Operation, ga: Groups, gb: Groups, group_shape: list[int],
             dt: dtypes.DType) -> Any:  # fmt: skip
    how = op._attrs["set_operation"]
    rows: list[tuple[tuple[int, ...], list[Any]]] = []
    for key in sorted(set(ga) | set(gb)):
        a, b = ga.get(key, set()), gb.get(key, set())
        if how == "a-b":
            res = a - b
        elif how == "b-a":
            res = b - a
        elif how == "intersection":
            res = a & b
        elif how == "union":
            res = a | b
        else:
            raise InvalidArgumentError(None, op, f"Invalid set_operation {how}.")
        if res:
            rows.append((key, sorted(res)))
    width = max((len(r) for _, r in rows), default=0)
    rank = len(group_shape) + 1
    indices = np.zeros((sum(len(r) for _, r in rows), rank), dtype=np.int64)
    flat: list[Any] = []
    k = 0
    for key, members in rows:
        for j, v in enumerate(members):
            indices[k, :-1] = key
            indices[k, -1] = j
            flat.append(v)
            k += 1
    shape = torch.tensor([*group_shape, width], dtype=torch.int64)
    if dt == dtypes.string:
        values: Any = np.array(flat, dtype=object)
    else:
        values = torch.from_numpy(np.asarray(flat, dtype=dt.as_numpy_dtype).reshape(-1))
    return torch.from_numpy(indices), values, shape


def _check_groups(op: Operation, sa: list[int], sb: list[int]) -> None:
    if len(sa) != len(sb):
        raise InvalidArgumentError(
            None, op, f"Shape mismatch: rank {len(sa) + 1} vs {len(sb) + 1}."
        )
    if sa != sb:
        raise InvalidArgumentError(
            None, op, f"Shapes [{','.join(map(str, sa))}] and [{','.join(map(str, sb))}] do not "
            "match."
        )  # fmt: skip


@register_kernel("DenseToDenseSetOperation")
def _dense_dense_kernel(op: Operation, session: Any) -> Any:
    dt = op._attrs["T"]

    def kernel(a: Any, b: Any) -> Any:
        x, y = _np(a), _np(b)
        if x.ndim < 2 or y.ndim < 2:
            raise InvalidArgumentError(None, op, f"Invalid input rank {min(x.ndim, y.ndim)}.")
        _check_groups(op, list(x.shape[:-1]), list(y.shape[:-1]))
        return _combine(op, _dense_groups(x), _dense_groups(y), list(x.shape[:-1]), dt)

    return kernel


@register_kernel("DenseToSparseSetOperation")
def _dense_sparse_kernel(op: Operation, session: Any) -> Any:
    dt = op._attrs["T"]
    validate = op._attrs["validate_indices"]

    def kernel(a: Any, bi: Any, bv: Any, bs: Any) -> Any:
        x = _np(a)
        if x.ndim < 2:
            raise InvalidArgumentError(None, op, f"Invalid input rank {x.ndim}.")
        gb, sb = _sparse_groups(op, bi, bv, bs, validate)
        _check_groups(op, list(x.shape[:-1]), sb[:-1])
        return _combine(op, _dense_groups(x), gb, list(x.shape[:-1]), dt)

    return kernel


@register_kernel("SparseToSparseSetOperation")
def _sparse_sparse_kernel(op: Operation, session: Any) -> Any:
    dt = op._attrs["T"]
    validate = op._attrs["validate_indices"]

    def kernel(ai: Any, av: Any, ash: Any, bi: Any, bv: Any, bsh: Any) -> Any:
        ga, sa = _sparse_groups(op, ai, av, ash, validate)
        gb, sb = _sparse_groups(op, bi, bv, bsh, validate)
        _check_groups(op, sa[:-1], sb[:-1])
        return _combine(op, ga, gb, sa[:-1], dt)

    return kernel


@register_kernel("SetSize")
def _set_size_kernel(op: Operation, session: Any) -> Any:
    validate = op._attrs["validate_indices"]

    def kernel(ind: Any, vals: Any, shp: Any) -> Any:
        groups, shape = _sparse_groups(op, ind, vals, shp, validate)
        out = np.zeros(shape[:-1], dtype=np.int32)
        for key, members in groups.items():
            out[key] = len(members)
        return torch.from_numpy(out)

    return kernel


intersection = set_intersection
union = set_union
difference = set_difference
size = set_size

__all__ = [
    "difference",
    "intersection",
    "set_difference",
    "set_intersection",
    "set_size",
    "set_union",
    "size",
    "union",
]
