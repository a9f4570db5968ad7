"""TF 1.15's smaller array functions: partition/stitch, grids, rolls, permutations, set ops.

``DynamicPartition``, ``DynamicStitch``, ``LinSpace``, ``Roll``, ``InvertPermutation``,
``UniqueWithCounts``, ``ListDiff``, ``UnravelIndex``, ``LowerBound``/``UpperBound``
(``searchsorted``), ``IdentityN``, ``ParallelConcat`` (``parallel_stack``), ``EnsureShape`` and
``Timestamp`` are single ops with TF's names, attributes and static shapes; ``meshgrid``,
``scalar_mul``, ``batch_gather`` and ``repeat`` are TF's composites. Kernels are torch ops, so
gradients flow where TF has them.

Differences from TensorFlow: ``tf.linspace``/``tf.lin_space`` build TF 1.15's single
``LinSpace`` op (TF 2.x builds a composite ending in ``Slice``); values are the same.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import time
from collections import namedtuple
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape, as_shape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph._torch_dtypes import torch_dtype
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops import tf_gradient_ops
from scopeflow.ops._math_common import _check_allowed, _scope, name_scope
from scopeflow.ops._op_builder import UNKNOWN, make_multi_op, make_op
from scopeflow.ops._shape_inference import const_int, const_ints, fmt_shape, node_error
from scopeflow.ops.array_ops import ones, reshape, shape, size
from scopeflow.ops.creation_ops import range as _range
from scopeflow.ops.creation_ops import sequence_mask
from scopeflow.ops.gather_scatter_ops import boolean_mask, gather
from scopeflow.ops.math_ops import multiply
from scopeflow.ops.shape_ops import expand_dims, tile

_INDEX = (dtypes.int32, dtypes.int64)
_FLOATS = (dtypes.bfloat16, dtypes.float32, dtypes.float64)


# --- DynamicPartition / DynamicStitch ------------------------------------------------------------


def dynamic_partition(data: Any, partitions: Any, num_partitions: int,
                      name: str | None = None) -> list[Tensor]:  # fmt: skip
    """Splits ``data`` into ``num_partitions`` tensors by ``partitions`` (op ``DynamicPartition``).

    >>> import scopeflow.compat.v1 as tf
    >>> parts = tf.dynamic_partition([1.0, 2.0, 3.0], [1, 0, 1], 2)
    >>> print([p.name for p in parts], tf.Session().run(parts[1]))
    ['DynamicPartition:0', 'DynamicPartition:1'] [1. 3.]
    """
    scope = _scope(name, "DynamicPartition")
    x = convert_to_tensor(data, name=scope + "data/")
    p = convert_to_tensor(partitions, name=scope + "partitions/", dtype=dtypes.int32)
    n = int(num_partitions)
    if n < 1:
        raise ValueError(
            f"Attr 'num_partitions' of 'DynamicPartition' Op passed {n} less than minimum 1."
        )
    attrs = {"T": x._dtype.base_dtype, "num_partitions": n}
    shape_ = UNKNOWN
    if p._shape.ndims is not None and x._shape.ndims is not None:
        if x._shape.ndims < p._shape.ndims:
            raise node_error(
                f"Shape must be at least rank {p._shape.ndims} but is rank {x._shape.ndims}",
                scope, "DynamicPartition", attrs, (x, p),
            )  # fmt: skip
        shape_ = TensorShape([None, *x._shape.as_list()[p._shape.ndims :]])
    dt = x._dtype.base_dtype
    op = make_multi_op("DynamicPartition", (x, p), attrs, scope, [dt] * n, [shape_] * n)
    return list(op._outputs)


@register_kernel("DynamicPartition")
def _dynamic_partition_kernel(op: Operation, session: Any) -> Any:
    n = op._attrs["num_partitions"]

    def kernel(data: torch.Tensor, parts: torch.Tensor) -> Any:
        bad = (parts < 0) | (parts >= n)
        if bool(bad.any()):
            where = np.unravel_index(int(bad.reshape(-1).nonzero()[0]), tuple(parts.shape))
            idx = ",".join(str(int(i)) for i in where)
            val = int(parts[tuple(int(i) for i in where)])
            raise InvalidArgumentError(None, op, f"partitions[{idx}] = {val} is not in [0, {n})")
        rest = data.shape[parts.dim() :]
        flat = data.reshape(-1, *rest)
        pf = parts.reshape(-1)
        outs = tuple(flat[pf == i] for i in range(n))
        return outs if n > 1 else outs[0]

    return kernel


def dynamic_stitch(indices: Sequence[Any], data: Sequence[Any], name: str | None = None) -> Tensor:
    """Interleaves ``data`` so that ``merged[indices[m][i]] = data[m][i]`` (op ``DynamicStitch``).

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.dynamic_stitch([[0, 2], [1]], [[1.0, 3.0], [2.0]])
    >>> print(y.name, y.shape, tf.Session().run(y))
    DynamicStitch:0 (3,) [1. 2. 3.]
    """
    if len(indices) != len(data):
        raise ValueError(
            f"List argument 'data' to 'dynamic_stitch' Op with length {len(data)} must match "
            f"length {len(indices)} of argument 'indices'."
        )
    scope = _scope(name, "DynamicStitch")
    idx = [convert_to_tensor(i, dtype=dtypes.int32, name=scope + "indices/") for i in indices]
    vals = [convert_to_tensor(d, name=scope + "data/") for d in data]
    out = tf_gradient_ops.dynamic_stitch(idx, vals, scope)
    known = [const_ints(i) for i in idx]
    if all(k is not None for k in known) and out._shape.ndims is not None:
        top = max((max(k) for k in known if k), default=-1) + 1  # type: ignore[type-var]
        out._shape = TensorShape([top, *out._shape.as_list()[1:]])
    return out


# --- grids, ranges, rolls -------------------------------------------------------------------------


def meshgrid(*args: Any, **kwargs: Any) -> list[Tensor]:
    """N-D coordinate grids from 1-D ``args`` (``tf.meshgrid``; ``indexing`` is ``xy`` or ``ij``).

    >>> import scopeflow.compat.v1 as tf
    >>> a, b = tf.meshgrid([1, 2, 3], [4, 5])
    >>> print(a.shape, tf.Session().run(b).tolist())
    (2, 3) [[4, 4, 4], [5, 5, 5]]
    """
    indexing = kwargs.pop("indexing", "xy")
    name = kwargs.pop("name", "meshgrid")
    if kwargs:
        key = next(iter(kwargs))
        raise TypeError(f"'{key}' is an invalid keyword argument for this function")
    if indexing not in ("xy", "ij"):
        raise ValueError(
            f"Argument `indexing` parameter must be either 'xy' or 'ij', got '{indexing}'"
        )
    scope = _scope(name, "meshgrid")
    with name_scope(scope):
        ndim = len(args)
        s0 = (1,) * ndim
        if not ndim:
            return []
        outputs = []
        for i, x in enumerate(args):
            outputs.append(reshape(convert_to_tensor(x), (*s0[:i], -1, *s0[i + 1 :])))
        if indexing == "xy" and ndim > 1:
            outputs[0] = reshape(outputs[0], (1, -1, *(1,) * (ndim - 2)))
            outputs[1] = reshape(outputs[1], (-1, 1, *(1,) * (ndim - 2)))
        shapes = [size(x) for x in args]
        out_dt = convert_to_tensor(args[0])._dtype.base_dtype
        if indexing == "xy" and ndim > 1:
            shapes[0], shapes[1] = shapes[1], shapes[0]
        mult = ones(shapes, out_dt)
        return [multiply(x, mult) for x in outputs]


def lin_space(start: Any, stop: Any, num: Any, name: str | None = None) -> Tensor:
    """``num`` evenly spaced values from ``start`` to ``stop`` (TF 1.15's op ``LinSpace``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.lin_space(0.0, 1.0, 5)))
    [0.   0.25 0.5  0.75 1.  ]
    """
    scope = _scope(name, "LinSpace")
    a = convert_to_tensor(start, name=scope + "start/")
    b = convert_to_tensor(stop, dtype=a._dtype.base_dtype, name=scope + "stop/")
    n = convert_to_tensor(num, name=scope + "num/")
    _check_allowed(a, _FLOATS, "start")
    _check_allowed(n, _INDEX, "num")
    attrs = {"T": a._dtype.base_dtype, "Tidx": n._dtype.base_dtype}
    return make_op("LinSpace", (a, b, n), attrs, scope, a._dtype.base_dtype,
                   TensorShape([const_int(n)]))  # fmt: skip


@register_kernel("LinSpace")
def _lin_space_kernel(op: Operation, session: Any) -> Any:
    def kernel(a: torch.Tensor, b: torch.Tensor, n: torch.Tensor) -> torch.Tensor:
        k = int(n)
        if k <= 0:
            raise InvalidArgumentError(None, op, f"Requires num > 0: {k}")
        if k == 1:
            return a.reshape(1).clone()
        step = (b - a) / (k - 1)
        return a + step * torch.arange(k, dtype=a.dtype)

    return kernel


def roll(input: Any, shift: Any, axis: Any, name: str | None = None) -> Tensor:
    """Rolls ``input`` by ``shift`` along ``axis`` (op ``Roll``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.roll([1, 2, 3], 1, 0)))
    [3 1 2]
    """
    scope = _scope(name, "Roll")
    x = convert_to_tensor(input, name=scope + "input/")
    s = convert_to_tensor(shift, name=scope + "shift/")
    a = convert_to_tensor(axis, name=scope + "axis/")
    _check_allowed(s, _INDEX, "shift")
    _check_allowed(a, _INDEX, "axis")
    attrs = {"T": x._dtype.base_dtype, "Tshift": s._dtype.base_dtype, "Taxis": a._dtype.base_dtype}
    rs, ra = s._shape.ndims, a._shape.ndims
    for r, what in ((rs, "shift"), (ra, "axis")):
        if r is not None and r > 1:
            raise node_error(f"Shape must be at most rank 1 but is rank {r}", scope, "Roll",
                             attrs, (x, s, a))  # fmt: skip
        del what
    if rs is not None and ra is not None and rs != ra:
        raise node_error(f"Shapes must be equal rank, but are {rs} and {ra}", scope, "Roll", attrs,
                         (x, s, a))  # fmt: skip
    return make_op("Roll", (x, s, a), attrs, scope, x._dtype.base_dtype, x._shape)


@register_kernel("Roll")
def _roll_kernel(op: Operation, session: Any) -> Any:
    def kernel(x: torch.Tensor, s: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
        shifts = [int(v) for v in s.reshape(-1)]
        axes = [int(v) for v in a.reshape(-1)]
        if len(shifts) != len(axes):
            raise InvalidArgumentError(None, op, "shift and axis must have the same size")
        for ax in axes:
            if not -x.dim() <= ax < x.dim():
                raise InvalidArgumentError(None, op, f"axis {ax} is out of range")
        return torch.roll(x, shifts, axes) if axes else x

    return kernel


# --- permutations, uniques, set differences, indices ---------------------------------------------


def invert_permutation(x: Any, name: str | None = None) -> Tensor:
    """The inverse permutation ``y[x[i]] = i`` (op ``InvertPermutation``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.invert_permutation([3, 4, 0, 2, 1])))
    [2 4 3 0 1]
    """
    scope = _scope(name, "InvertPermutation")
    t = convert_to_tensor(x, name=scope + "x/")
    _check_allowed(t, _INDEX, "x")
    if t._shape.ndims not in (None, 1):
        raise node_error(f"Shape must be rank 1 but is rank {t._shape.ndims}", scope,
                         "InvertPermutation", {"T": t._dtype.base_dtype}, (t,))  # fmt: skip
    return tf_gradient_ops.invert_permutation(t, scope)


UniqueWithCounts = namedtuple("UniqueWithCounts", ["y", "idx", "count"])


def unique_with_counts(x: Any, out_idx: Any = dtypes.int32, name: str | None = None) -> Any:
    """Unique elements of a 1-D tensor in order of first occurrence, with indices and counts.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.unique_with_counts([4, 1, 4])))
    UniqueWithCounts(y=array([4, 1], dtype=int32), idx=array([0, 1, 0], dtype=int32), \
count=array([2, 1], dtype=int32))
    """
    scope = _scope(name, "UniqueWithCounts")
    t = convert_to_tensor(x, name=scope + "x/")
    dt = dtypes.as_dtype(out_idx).base_dtype
    attrs = {"T": t._dtype.base_dtype, "out_idx": dt}
    if t._shape.ndims not in (None, 1):
        raise node_error(f"Shape must be rank 1 but is rank {t._shape.ndims}", scope,
                         "UniqueWithCounts", attrs, (t,))  # fmt: skip
    op = make_multi_op("UniqueWithCounts", (t,), attrs, scope, [t._dtype.base_dtype, dt, dt],
                       [TensorShape([None]), t._shape, TensorShape([None])])  # fmt: skip
    return UniqueWithCounts(*op._outputs)


@register_kernel("UniqueWithCounts")
def _unique_with_counts_kernel(op: Operation, session: Any) -> Any:
    idt = torch_dtype(op._attrs["out_idx"])

    def kernel(x: torch.Tensor) -> Any:
        vals, inv, counts = torch.unique(x, return_inverse=True, return_counts=True)
        n = x.shape[0]
        first = torch.full((vals.shape[0],), n, dtype=torch.int64)
        first = first.scatter_reduce(0, inv, torch.arange(n), reduce="amin")
        order = torch.argsort(first)
        rank = torch.empty_like(order)
        rank[order] = torch.arange(order.shape[0])
        return vals[order], rank[inv].to(idt), counts[order].to(idt)

    return kernel


ListDiff = namedtuple("ListDiff", ["out", "idx"])


def setdiff1d(x: Any, y: Any, index_dtype: Any = dtypes.int32, name: str | None = None) -> Any:
    """The values of ``x`` not in ``y``, in ``x``'s order, and their indices (op ``ListDiff``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.setdiff1d([1, 2, 3, 4], [1, 3]).out))
    [2 4]
    """
    scope = _scope(name, "ListDiff")
    a = convert_to_tensor(x, name=scope + "x/")
    b = convert_to_tensor(y, dtype=a._dtype.base_dtype, name=scope + "y/")
    dt = dtypes.as_dtype(index_dtype).base_dtype
    attrs = {"T": a._dtype.base_dtype, "out_idx": dt}
    for t in (a, b):
        if t._shape.ndims not in (None, 1):
            raise node_error(f"Shape must be rank 1 but is rank {t._shape.ndims}", scope,
                             "ListDiff", attrs, (a, b))  # fmt: skip
    op = make_multi_op("ListDiff", (a, b), attrs, scope, [a._dtype.base_dtype, dt],
                       [TensorShape([None]), TensorShape([None])])  # fmt: skip
    return ListDiff(*op._outputs)


@register_kernel("ListDiff")
def _list_diff_kernel(op: Operation, session: Any) -> Any:
    idt = torch_dtype(op._attrs["out_idx"])

    def kernel(x: torch.Tensor, y: torch.Tensor) -> Any:
        keep = ~torch.isin(x, y)
        return x[keep], keep.nonzero().reshape(-1).to(idt)

    return kernel


def unravel_index(indices: Any, dims: Any, name: str | None = None) -> Tensor:
    """Flat ``indices`` into coordinate arrays for shape ``dims`` (op ``UnravelIndex``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.unravel_index([22, 41, 37], (7, 6))).tolist())
    [[3, 6, 6], [4, 5, 1]]
    """
    scope = _scope(name, "UnravelIndex")
    i = convert_to_tensor(indices, name=scope + "indices/")
    d = convert_to_tensor(dims, dtype=i._dtype.base_dtype, name=scope + "dims/")
    _check_allowed(i, _INDEX, "indices")
    nd = d._shape.as_list()[0] if d._shape.ndims == 1 else None
    if i._shape.ndims is None:
        out = UNKNOWN
    elif i._shape.ndims == 0:
        out = TensorShape([nd])
    else:
        out = TensorShape([nd, i._shape.num_elements()])
    dt = i._dtype.base_dtype
    return make_op("UnravelIndex", (i, d), {"Tidx": dt}, scope, dt, out)


@register_kernel("UnravelIndex")
def _unravel_index_kernel(op: Operation, session: Any) -> Any:
    def kernel(idx: torch.Tensor, dims: torch.Tensor) -> torch.Tensor:
        shp = tuple(int(v) for v in dims)
        total = int(np.prod(shp)) if shp else 1
        if bool(((idx < 0) | (idx >= total)).any()):
            raise InvalidArgumentError(None, op, "index is out of bound as with dims")
        coords = np.unravel_index(idx.reshape(-1).numpy(), shp)
        out = torch.as_tensor(np.stack(coords), dtype=idx.dtype)
        return out.reshape(len(shp)) if idx.dim() == 0 else out

    return kernel


def searchsorted(sorted_sequence: Any, values: Any, side: str = "left",
                 out_type: Any = dtypes.int32, name: str | None = None) -> Tensor:  # fmt: skip
    """Where ``values`` go in each row of ``sorted_sequence`` (ops ``LowerBound``/``UpperBound``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.searchsorted([1, 3, 5], [0, 3, 6])))
    [0 1 3]
    """
    if side not in ("left", "right"):
        raise ValueError(
            f"Argument `side` must be either 'right' or 'left'. Received: `side` = '{side}'."
        )
    seq = convert_to_tensor(sorted_sequence)
    vals = convert_to_tensor(values)
    seq_last = seq._shape.as_list()[-1] if seq._shape.ndims else None
    vals_last = vals._shape.as_list()[-1] if vals._shape.ndims else None
    seq2 = reshape(seq, [-1, seq_last if seq_last is not None else -1])
    vals2 = reshape(vals, [-1, vals_last if vals_last is not None else -1])
    op_type = "LowerBound" if side == "left" else "UpperBound"
    scope = _scope(name, op_type)
    dt = dtypes.as_dtype(out_type).base_dtype
    attrs = {"T": seq2._dtype.base_dtype, "out_type": dt}
    res = make_op(op_type, (seq2, vals2), attrs, scope, dt, vals2._shape)
    return reshape(res, shape(vals))


@register_kernel("LowerBound")
@register_kernel("UpperBound")
def _bound_kernel(op: Operation, session: Any) -> Any:
    right = op.type == "UpperBound"
    odt = torch_dtype(op._attrs["out_type"])

    def kernel(seq: torch.Tensor, vals: torch.Tensor) -> torch.Tensor:
        if seq.shape[0] != vals.shape[0]:
            raise InvalidArgumentError(
                None, op, "Leading dim_size of both tensors must match."
            )  # fmt: skip
        return torch.searchsorted(seq.contiguous(), vals.contiguous(), right=right).to(odt)

    return kernel


# --- identity_n, parallel_stack, ensure_shape, timestamp, get_static_value ------------------------


def identity_n(input: Sequence[Any], name: str | None = None) -> list[Tensor]:
    """Each of ``input`` passed through one op (``IdentityN``).

    >>> import scopeflow.compat.v1 as tf
    >>> print([t.name for t in tf.identity_n([1.0, 2])])
    ['IdentityN:0', 'IdentityN:1']
    """
    scope = _scope(name, "IdentityN")
    ts = [convert_to_tensor(v, name=scope + "input/") for v in input]
    dts = [t._dtype.base_dtype for t in ts]
    op = make_multi_op("IdentityN", ts, {"T": dts}, scope, dts, [t._shape for t in ts])
    return list(op._outputs)


@register_kernel("IdentityN")
def _identity_n_kernel(op: Operation, session: Any) -> Any:
    return lambda *xs: tuple(xs) if len(xs) != 1 else xs[0]


def parallel_stack(values: Sequence[Any], name: str = "parallel_stack") -> Tensor:
    """Stacks same-shaped ``values`` along a new first axis (op ``ParallelConcat``).

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.parallel_stack([[1, 2], [3, 4]])
    >>> print(y.name, y.shape)
    parallel_stack/ParallelConcat:0 (2, 2)
    """
    scope = _scope(name, "parallel_stack")
    with name_scope(scope):
        first = convert_to_tensor(values[0])
        out_shape = TensorShape([len(values)]).concatenate(first._shape)
        parts = [expand_dims(v, 0) for v in values]
    dt = parts[0]._dtype.base_dtype
    attrs = {"N": len(parts), "T": dt, "shape": out_shape}
    return make_op("ParallelConcat", parts, attrs, scope + "ParallelConcat/", dt, out_shape)


@register_kernel("ParallelConcat")
def _parallel_concat_kernel(op: Operation, session: Any) -> Any:
    return lambda *xs: torch.cat(xs, 0)


def ensure_shape(x: Any, shape: Any, name: str | None = None) -> Tensor:
    """``x`` unchanged, checked at build and run time against ``shape`` (op ``EnsureShape``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.ensure_shape(tf.placeholder(tf.float32, [None, 3]), [2, None]).shape)
    (2, 3)
    """
    scope = _scope(name, "EnsureShape")
    t = convert_to_tensor(x, name=scope + "input/")
    want = as_shape(shape)
    attrs = {"T": t._dtype.base_dtype, "shape": want}
    try:
        merged = t._shape.merge_with(want)
    except ValueError:
        a, b = want.as_list() if want.ndims is not None else None, t._shape
        if want.ndims is not None and b.ndims is not None and want.ndims == b.ndims:
            assert a is not None
            i = next(k for k, (u, v) in enumerate(zip(a, b.as_list(), strict=True))
                     if u is not None and v is not None and u != v)  # fmt: skip
            msg = (
                f"Dimension {i} in both shapes must be equal, but are {a[i]} and "
                f"{b.as_list()[i]}. Shapes are {fmt_shape(want)} and {fmt_shape(b)}."
            )
        else:
            msg = f"Shapes must be equal rank, but are {want.ndims} and {b.ndims}"
        shown = {"T": attrs["T"], "shape": _Shown(fmt_shape(want))}
        raise node_error(msg, scope, "EnsureShape", shown, (t,)) from None
    return make_op("EnsureShape", (t,), attrs, scope, t._dtype.base_dtype, merged)


class _Shown:
    """An attribute printed as it is in a node summary (a shape as ``[2,4]``)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


@register_kernel("EnsureShape")
def _ensure_shape_kernel(op: Operation, session: Any) -> Any:
    want = op._attrs["shape"]
    src = op._inputs[0]._op.name

    def kernel(x: torch.Tensor) -> torch.Tensor:
        if not want.is_compatible_with(TensorShape(list(x.shape))):
            raise InvalidArgumentError(
                None, op, f"Shape of tensor {src} {fmt_shape(TensorShape(list(x.shape)))} is not "
                f"compatible with expected shape {fmt_shape(want)}."
            )  # fmt: skip
        return x

    return kernel


def timestamp(name: str | None = None) -> Tensor:
    """Seconds since the epoch, as a float64 scalar, when the op runs (op ``Timestamp``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.timestamp()) > 1.5e9)
    True
    """
    scope = _scope(name, "Timestamp")
    return make_op("Timestamp", (), {}, scope, dtypes.float64, TensorShape([]))


@register_kernel("Timestamp", stateful=True)
def _timestamp_kernel(op: Operation, session: Any) -> Any:
    return lambda: torch.tensor(time.time(), dtype=torch.float64)


def get_static_value(tensor: Any, partial: bool = False) -> Any:
    """The value of ``tensor`` if it is known when the graph is built, else None.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.get_static_value(tf.shape(tf.ones([2, 5]))))
    [2 5]
    """
    del partial
    if isinstance(tensor, Tensor):
        if tensor._const is not None:
            return np.asarray(tensor._const, dtype=tensor._dtype.base_dtype.as_numpy_dtype)
        if tensor._op._type == "Shape":
            s = tensor._op._inputs[0]._shape
            if s.is_fully_defined():
                return np.asarray(s.as_list(), dtype=tensor._dtype.base_dtype.as_numpy_dtype)
        return None
    return np.asarray(tensor)


# --- broadcast shapes -----------------------------------------------------------------------------


def broadcast_static_shape(shape_x: Any, shape_y: Any) -> TensorShape:
    """The broadcast of two static shapes (``tf.broadcast_static_shape``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.broadcast_static_shape(tf.TensorShape([2, 1]), tf.TensorShape([3])))
    (2, 3)
    """
    from scopeflow.ops._op_builder import broadcast_static_shape as _bss  # noqa: PLC0415

    a, b = as_shape(shape_x), as_shape(shape_y)
    try:
        return _bss(a, b)
    except ValueError:
        raise ValueError(
            "Incompatible shapes for broadcasting. Two shapes are compatible if for each "
            "dimension pair they are either equal or one of them is 1. Received: "
            f"{a} and {b}."
        ) from None


def broadcast_dynamic_shape(shape_x: Any, shape_y: Any) -> Tensor:
    """The broadcast of two 1-D shape tensors (op ``BroadcastArgs``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.broadcast_dynamic_shape([2, 1], [3])))
    [2 3]
    """
    scope = _scope(None, "BroadcastArgs")
    x = convert_to_tensor(shape_x, name=scope + "s0/")
    y = convert_to_tensor(shape_y, dtype=x._dtype.base_dtype, name=scope + "s1/")
    _check_allowed(x, _INDEX, "s0")
    n = None
    if x._shape.is_fully_defined() and y._shape.is_fully_defined():
        n = max(x._shape.as_list()[0], y._shape.as_list()[0])  # type: ignore[type-var]
    dt = x._dtype.base_dtype
    return make_op("BroadcastArgs", (x, y), {"T": dt}, scope, dt, TensorShape([n]))


@register_kernel("BroadcastArgs")
def _broadcast_args_kernel(op: Operation, session: Any) -> Any:
    def kernel(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        a, b = [int(v) for v in x], [int(v) for v in y]
        try:
            out = np.broadcast_shapes(tuple(a), tuple(b))
        except ValueError:
            raise InvalidArgumentError(
                None, op, f"Incompatible shapes: [{','.join(map(str, a))}] vs. "
                f"[{','.join(map(str, b))}]"
            ) from None  # fmt: skip
        return torch.tensor(out, dtype=x.dtype).reshape(len(out))

    return kernel


# --- composites: scalar_mul, batch_gather, repeat -------------------------------------------------


def scalar_mul(scalar: Any, x: Any, name: str | None = None) -> Tensor:
    """``scalar * x`` for a scalar ``scalar`` (``tf.scalar_mul``, op ``Mul``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.scalar_mul(2.0, [1.0, 3.0])))
    [2. 6.]
    """
    t = convert_to_tensor(x)
    s = convert_to_tensor(scalar, dtype=t._dtype.base_dtype, name="scalar")
    if s._shape.ndims != 0:
        raise ValueError(f"Only scalar multiply works, got shape {s._shape}")
    return multiply(s, t, name=name)


def batch_gather(params: Any, indices: Any, name: str | None = None) -> Tensor:
    """``params[b..., indices[b..., i]]`` over the leading batch dims (``tf.batch_gather``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.batch_gather([[1, 2], [3, 4]], [[1], [0]])).tolist())
    [[2], [3]]
    """
    scope = _scope(name, "BatchGather")
    with name_scope(scope):
        p = convert_to_tensor(params, name="params")
        i = convert_to_tensor(indices, name="indices")
        if i._shape.ndims is None:
            raise ValueError("batch_gather does not allow indices with unknown shape.")
        nd = i._shape.ndims
        return gather(p, i, axis=nd - 1, batch_dims=nd - 1)


def repeat(input: Any, repeats: Any, axis: Any = None, name: str | None = None) -> Tensor:
    """Repeats each element of ``input`` ``repeats`` times along ``axis`` (``tf.repeat``).

    With ``axis=None`` the input is flattened first.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.repeat([[1, 2], [3, 4]], [1, 2], axis=0)).tolist())
    [[1, 2], [3, 4], [3, 4]]
    """
    scope = _scope(name, "Repeat")
    with name_scope(scope):
        x = convert_to_tensor(input, name="input")
        r = convert_to_tensor(repeats, dtype=dtypes.int32, name="repeats")
        if axis is None:
            x = reshape(x, [-1])
            axis = 0
        ax = int(axis)
        nd = x._shape.ndims
        if nd is None:
            raise ValueError("repeat requires input with a known rank")
        ax = ax % nd if nd else 0
        static = x._shape.as_list()
        if r._shape.ndims == 0 and const_int(r) is not None:
            k = const_int(r)
            assert k is not None
            e = expand_dims(x, ax + 1)
            mult = [1] * (nd + 1)
            mult[ax + 1] = k
            t = tile(e, mult)
            if None in static:
                grow = np.ones([nd], np.int32)
                grow[ax] = k
                return reshape(t, shape(x) * grow)
            return reshape(t, [int(d or 0) * (k if i == ax else 1) for i, d in enumerate(static)])
        if r._shape.ndims == 0:
            r = tile(expand_dims(r, 0), expand_dims(shape(x)[ax], 0))
        mask = sequence_mask(r)
        rows = tile(expand_dims(_range(shape(x)[ax]), 1), [1, shape(mask)[1]])
        return gather(x, boolean_mask(rows, mask), axis=ax)


__all__ = [
    "batch_gather",
    "broadcast_dynamic_shape",
    "broadcast_static_shape",
    "dynamic_partition",
    "dynamic_stitch",
    "ensure_shape",
    "get_static_value",
    "identity_n",
    "invert_permutation",
    "lin_space",
    "meshgrid",
    "parallel_stack",
    "repeat",
    "roll",
    "scalar_mul",
    "searchsorted",
    "setdiff1d",
    "timestamp",
    "unique_with_counts",
    "unravel_index",
]
