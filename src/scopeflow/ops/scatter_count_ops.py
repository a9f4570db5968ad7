"""Tensor scatters, histograms and counting.

``tensor_scatter_*``, ``histogram_fixed_width``, ``count_nonzero``, ``bincount`` and
``confusion_matrix``.

``TensorScatter{Update,Add,Sub,Max,Min}(tensor, indices, updates)`` write ``updates`` into a copy
of ``tensor`` at ``indices`` (TF's ``ScatterNd`` shape rules); ``HistogramFixedWidth`` counts
values into ``nbins`` equal bins over ``value_range`` (outliers go to the end bins);
``Bincount`` counts non-negative ints. ``count_nonzero``, ``histogram_fixed_width_bins`` and
``confusion_matrix`` are TF's composites. Kernels are torch ops, so gradients flow to the
tensor and updates of the scatters.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph._torch_dtypes import torch_dtype
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops import check_ops
from scopeflow.ops._math_common import _check_allowed, _scope, name_scope
from scopeflow.ops._op_builder import make_op
from scopeflow.ops._shape_inference import const_int, fmt_shape, node_error
from scopeflow.ops.array_ops import reshape, shape, stack, zeros
from scopeflow.ops.clip_ops import clip_by_value
from scopeflow.ops.control_flow_ops import with_dependencies
from scopeflow.ops.gather_scatter_ops import scatter_nd
from scopeflow.ops.math_ops import cast, greater, maximum, minimum, multiply, not_equal, truediv
from scopeflow.ops.reduction_ops import reduce_max, reduce_prod, reduce_sum
from scopeflow.ops.unary_ops import floor

_INDEX = (dtypes.int32, dtypes.int64)


# --- TensorScatter* -------------------------------------------------------------------------------


def _dims(s: TensorShape, lo: int, hi: int) -> str:
    return fmt_shape(TensorShape(s.as_list()[lo:hi]))


def _mismatch(a: TensorShape, b: TensorShape) -> str:
    for i, (u, v) in enumerate(zip(a.as_list(), b.as_list(), strict=False)):
        if u is not None and v is not None and u != v:
            return (f"Dimension {i} in both shapes must be equal, but are {u} and {v}. Shapes "
                    f"are {fmt_shape(a)} and {fmt_shape(b)}.")  # fmt: skip
    return f"Shapes must be equal rank, but are {a.ndims} and {b.ndims}"


def _tensor_scatter(op_type: str, tensor: Any, indices: Any, updates: Any,
                    name: str | None) -> Tensor:  # fmt: skip
    scope = _scope(name, op_type)
    t = convert_to_tensor(tensor, name=scope + "tensor/")
    i = convert_to_tensor(indices, name=scope + "indices/")
    u = convert_to_tensor(updates, dtype=t._dtype.base_dtype, name=scope + "updates/")
    _check_allowed(i, _INDEX, "indices")
    attrs = {"T": t._dtype.base_dtype, "Tindices": i._dtype.base_dtype, "bad_indices_policy": ""}
    ts, is_, us = t._shape, i._shape, u._shape
    if ts.ndims is not None and is_.ndims is not None and us.ndims is not None and is_.ndims:
        outer = is_.ndims - 1
        ix = is_.as_list()[-1]
        a, b = TensorShape(is_.as_list()[:outer]), TensorShape(us.as_list()[:outer])
        if us.ndims < outer or not a.is_compatible_with(b):
            raise node_error(
                f"Dimensions [0,{outer}) of indices[shape={fmt_shape(is_)}] = {fmt_shape(a)} "
                f"must match dimensions [0,{outer}) of updates[shape={fmt_shape(us)}] = "
                f"{fmt_shape(b)}: {_mismatch(a, b)}", scope, op_type, attrs, (t, i, u),
            )  # fmt: skip
        if ix is not None:
            c, d = TensorShape(ts.as_list()[ix:]), TensorShape(us.as_list()[outer:])
            if not c.is_compatible_with(d):
                raise node_error(
                    f"Dimensions [{ix},{ts.ndims}) of input[shape={fmt_shape(ts)}] = "
                    f"{fmt_shape(c)} must match dimensions [{outer},{us.ndims}) of "
                    f"updates[shape={fmt_shape(us)}] = {fmt_shape(d)}: {_mismatch(c, d)}",
                    scope, op_type, attrs, (t, i, u),
                )  # fmt: skip
    return make_op(op_type, (t, i, u), attrs, scope, t._dtype.base_dtype, ts)


def tensor_scatter_update(tensor: Any, indices: Any, updates: Any,
                          name: str | None = None) -> Tensor:  # fmt: skip
    """A copy of ``tensor`` with ``updates`` written at ``indices`` (op ``TensorScatterUpdate``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.tensor_scatter_update([1, 2, 3], [[1]], [9])))
    [1 9 3]
    """
    return _tensor_scatter("TensorScatterUpdate", tensor, indices, updates, name)


def tensor_scatter_add(tensor: Any, indices: Any, updates: Any, name: str | None = None) -> Tensor:
    """A copy of ``tensor`` with ``updates`` added at ``indices`` (op ``TensorScatterAdd``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.tensor_scatter_add([1, 2, 3], [[1], [1]], [5, 5])))
    [ 1 12  3]
    """
    return _tensor_scatter("TensorScatterAdd", tensor, indices, updates, name)


def tensor_scatter_sub(tensor: Any, indices: Any, updates: Any, name: str | None = None) -> Tensor:
    """A copy of ``tensor`` with ``updates`` subtracted at ``indices`` (op ``TensorScatterSub``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.tensor_scatter_sub([1, 2, 3], [[0]], [5])))
    [-4  2  3]
    """
    return _tensor_scatter("TensorScatterSub", tensor, indices, updates, name)


def tensor_scatter_max(tensor: Any, indices: Any, updates: Any, name: str | None = None) -> Tensor:
    """Elementwise max of ``tensor`` and ``updates`` at ``indices`` (op ``TensorScatterMax``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.tensor_scatter_nd_max([1, 2, 3], [[0], [1]], [5, 0])))
    [5 2 3]
    """
    return _tensor_scatter("TensorScatterMax", tensor, indices, updates, name)


def tensor_scatter_min(tensor: Any, indices: Any, updates: Any, name: str | None = None) -> Tensor:
    """Elementwise min of ``tensor`` and ``updates`` at ``indices`` (op ``TensorScatterMin``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.tensor_scatter_nd_min([1, 2, 3], [[0], [1]], [5, 0])))
    [1 0 3]
    """
    return _tensor_scatter("TensorScatterMin", tensor, indices, updates, name)


@register_kernel("TensorScatterUpdate")
@register_kernel("TensorScatterAdd")
@register_kernel("TensorScatterSub")
@register_kernel("TensorScatterMax")
@register_kernel("TensorScatterMin")
def _tensor_scatter_kernel(op: Operation, session: Any) -> Any:
    kind = op.type[len("TensorScatter") :]

    def kernel(t: torch.Tensor, idx: torch.Tensor, upd: torch.Tensor) -> torch.Tensor:
        ix = idx.shape[-1]
        lead = tuple(t.shape[:ix])
        flat_idx = idx.reshape(-1, ix).long()
        bound = torch.tensor(lead, dtype=torch.long)
        bad = ((flat_idx < 0) | (flat_idx >= bound)).any(dim=1)
        if bool(bad.any()):
            k = int(bad.nonzero()[0])
            where = ", ".join(str(int(v)) for v in flat_idx[k])
            raise InvalidArgumentError(
                None, op, f"indices[{k}] = [{where}] does not index into shape "
                f"{fmt_shape(TensorShape(list(t.shape)))}"
            )  # fmt: skip
        strides = torch.tensor([int(np.prod(lead[j + 1 :])) for j in range(ix)], dtype=torch.long)
        lin = (
            (flat_idx * strides).sum(1) if ix else torch.zeros(flat_idx.shape[0], dtype=torch.long)
        )
        rest = t.shape[ix:]
        base = t.reshape(-1, *rest)
        vals = upd.reshape(-1, *rest)
        if kind == "Update":
            return base.index_put((lin,), vals).reshape(t.shape)
        if kind in ("Add", "Sub"):
            return base.index_add(0, lin, vals if kind == "Add" else -vals).reshape(t.shape)
        red = "amax" if kind == "Max" else "amin"
        index = lin.reshape(-1, *([1] * len(rest))).expand_as(vals)
        return base.scatter_reduce(0, index, vals, red, include_self=True).reshape(t.shape)

    return kernel


# --- histograms -----------------------------------------------------------------------------------


def histogram_fixed_width(values: Any, value_range: Any, nbins: Any = 100,
                          dtype: Any = dtypes.int32,
                          name: str | None = None) -> Tensor:  # fmt: skip
    """Counts of ``values`` in ``nbins`` equal bins over ``value_range`` (``HistogramFixedWidth``).

    Values below the range count in the first bin, values above it in the last.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.histogram_fixed_width([0.0, 1.0, 4.5, 9.0], [0.0, 5.0], 5)))
    [1 1 0 0 2]
    """
    scope = _scope(name, "histogram_fixed_width")
    v = convert_to_tensor(values, name=scope + "values/")
    r = convert_to_tensor(value_range, dtype=v._dtype.base_dtype, name=scope + "value_range/")
    n = convert_to_tensor(nbins, dtype=dtypes.int32, name=scope + "nbins/")
    dt = dtypes.as_dtype(dtype).base_dtype
    attrs = {"T": v._dtype.base_dtype, "dtype": dt}
    if r._shape.ndims is not None and r._shape.ndims != 1:
        raise node_error(f"Shape must be rank 1 but is rank {r._shape.ndims}", scope,
                         "HistogramFixedWidth", attrs, (v, r, n))  # fmt: skip
    if r._shape.ndims == 1 and r._shape.as_list()[0] not in (None, 2):
        raise node_error(f"Dimension must be 2 but is {r._shape.as_list()[0]}", scope,
                         "HistogramFixedWidth", attrs, (v, r, n))  # fmt: skip
    return make_op("HistogramFixedWidth", (v, r, n), attrs, scope, dt, TensorShape([const_int(n)]))


@register_kernel("HistogramFixedWidth")
def _histogram_kernel(op: Operation, session: Any) -> Any:
    odt = torch_dtype(op._attrs["dtype"])

    def kernel(v: torch.Tensor, r: torch.Tensor, n: torch.Tensor) -> torch.Tensor:
        k = int(n)
        if k <= 0:
            raise InvalidArgumentError(
                None, op, f"nbins should be a positive number, but got '{k}'"
            )
        lo, hi = r[0].double(), r[1].double()
        if not bool(lo < hi):
            raise InvalidArgumentError(
                None, op, f"value_range should satisfy value_range[0] < value_range[1], but got "
                f"'[{float(lo)}, {float(hi)}]'"
            )  # fmt: skip
        x = v.reshape(-1).double()
        idx = torch.floor((x - lo) / (hi - lo) * k).clamp(0, k - 1).long()
        return torch.bincount(idx, minlength=k).to(odt)

    return kernel


def histogram_fixed_width_bins(values: Any, value_range: Any, nbins: Any = 100,
                               dtype: Any = dtypes.int32,
                               name: str | None = None) -> Tensor:  # fmt: skip
    """The bin index of each of ``values`` in ``nbins`` equal bins over ``value_range``.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.histogram_fixed_width_bins([0.0, 1.0, 9.0], [0.0, 5.0], 5)))
    [0 1 4]
    """
    scope = _scope(name, "histogram_fixed_width_bins")
    with name_scope(scope):
        v = convert_to_tensor(values, name="values")
        shp = shape(v)
        flat = reshape(v, [-1])
        r = convert_to_tensor(value_range, name="value_range")
        n = convert_to_tensor(nbins, dtype=dtypes.int32, name="nbins")
        nf = cast(n, v._dtype.base_dtype)
        scaled = truediv(flat - r[0], r[1] - r[0])
        idx = floor(multiply(nf, scaled))
        idx = clip_by_value(idx, 0, nf - 1)
        out = reshape(cast(idx, dtype), shp)
        out._shape = out._shape.merge_with(v._shape)
        return out


# --- counting -------------------------------------------------------------------------------------


def count_nonzero(input_tensor: Any = None, axis: Any = None, keepdims: Any = None,
                  dtype: Any = dtypes.int64, name: str | None = None,
                  reduction_indices: Any = None, keep_dims: Any = None,
                  input: Any = None) -> Tensor:  # fmt: skip
    """The number of non-zero (non-empty for strings) elements along ``axis``.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.count_nonzero([[0, 1], [2, 0]], axis=1)))
    [1 1]
    """
    x = input_tensor if input_tensor is not None else input
    if axis is None:
        axis = reduction_indices
    if keepdims is None:
        keepdims = keep_dims
    scope = _scope(name, "count_nonzero")
    with name_scope(scope):
        t = convert_to_tensor(x, name="input")
        base = t._dtype.base_dtype
        zero_value = b"" if base == dtypes.string else np.zeros([], base.as_numpy_dtype)
        zero = convert_to_tensor(zero_value, dtype=base, name="zeros")
        nz = cast(not_equal(t, zero), dtypes.int64)
        return cast(reduce_sum(nz, axis=axis, keepdims=bool(keepdims)), dtype)


def bincount(arr: Any, weights: Any = None, minlength: Any = None, maxlength: Any = None,
             dtype: Any = dtypes.int32, name: str | None = None) -> Tensor:  # fmt: skip
    """Counts (or summed ``weights``) of each value of the int32 ``arr`` (op ``Bincount``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.bincount([1, 1, 3])))
    [0 2 0 1]
    """
    scope = _scope(name, "bincount")
    with name_scope(scope):
        a = convert_to_tensor(arr, name="arr", dtype=dtypes.int32)
        nonempty = greater(reduce_prod(shape(a)), 0)
        size = multiply(cast(nonempty, dtypes.int32), reduce_max(a) + 1)
        static: int | None = None
        if a._const is not None:
            av = np.asarray(a._const)
            static = int(av.max()) + 1 if av.size else 0
        if minlength is not None:
            ml = convert_to_tensor(minlength, name="minlength", dtype=dtypes.int32)
            size = maximum(ml, size)
            static = None if static is None or const_int(ml) is None else max(static, const_int(ml))  # type: ignore[type-var]
        if maxlength is not None:
            xl = convert_to_tensor(maxlength, name="maxlength", dtype=dtypes.int32)
            size = minimum(xl, size)
            static = None if static is None or const_int(xl) is None else min(static, const_int(xl))  # type: ignore[type-var]
        dt = dtypes.as_dtype(dtype).base_dtype
        if weights is not None:
            w = convert_to_tensor(weights, name="weights")
            dt = w._dtype.base_dtype
        else:
            w = convert_to_tensor(np.zeros([0], dt.as_numpy_dtype), dtype=dt, name="Const")
        out = make_op("Bincount", (a, size, w), {"T": dt}, "Bincount", dt, TensorShape([None]))
        if static is not None:
            out._shape = TensorShape([static])
        return out


@register_kernel("Bincount")
def _bincount_kernel(op: Operation, session: Any) -> Any:
    odt = torch_dtype(op._attrs["T"])

    def kernel(a: torch.Tensor, size: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        n = int(size)
        if n < 0:
            raise InvalidArgumentError(None, op, f"Input size should be >= 0, got {n}")
        flat = a.reshape(-1).long()
        if bool((flat < 0).any()):
            raise InvalidArgumentError(None, op, "Input arr must be non-negative!")
        keep = flat < n
        if w.numel():
            wf = w.reshape(-1)[keep]
            return torch.zeros(n, dtype=odt).index_add(0, flat[keep], wf.to(odt))
        return torch.bincount(flat[keep], minlength=n)[:n].to(odt)

    return kernel


def confusion_matrix(labels: Any, predictions: Any, num_classes: Any = None,
                     dtype: Any = dtypes.int32, name: str | None = None,
                     weights: Any = None) -> Tensor:  # fmt: skip
    """The confusion matrix of ``labels`` (rows) against ``predictions`` (columns).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.confusion_matrix([0, 1, 1], [0, 1, 0])).tolist())
    [[1, 0], [1, 1]]
    """
    scope = _scope(name, "confusion_matrix")
    dt = dtypes.as_dtype(dtype).base_dtype
    with name_scope(scope):
        lab = cast(convert_to_tensor(labels, name="labels"), dtypes.int64)
        pred = cast(convert_to_tensor(predictions, name="predictions"), dtypes.int64)
        static: int | None = None
        if num_classes is None:
            n = maximum(reduce_max(pred), reduce_max(lab)) + 1
            if lab._const is not None and pred._const is not None:
                static = int(max(np.max(lab._const), np.max(pred._const))) + 1
        else:
            n = cast(num_classes, dtypes.int64)
            static = const_int(n)
            lab = with_dependencies(
                [check_ops.assert_less(lab, n, message="`labels` out of bound")], lab
            )
            pred = with_dependencies(
                [check_ops.assert_less(pred, n, message="`predictions` out of bound")], pred
            )
        if weights is not None:
            w = convert_to_tensor(weights, name="weights")
            if not pred._shape.is_compatible_with(w._shape):
                raise ValueError(f"Shapes {pred._shape} and {w._shape} are incompatible")
            values = cast(w, dt)
        else:
            values = cast(zeros(shape(pred), dt) + 1, dt)
        indices = stack([lab, pred], axis=1)
        out = scatter_nd(indices, values, cast(stack([n, n]), dtypes.int64))
        out._shape = TensorShape([static, static])
        return out


__all__ = [
    "bincount",
    "confusion_matrix",
    "count_nonzero",
    "histogram_fixed_width",
    "histogram_fixed_width_bins",
    "tensor_scatter_add",
    "tensor_scatter_max",
    "tensor_scatter_min",
    "tensor_scatter_sub",
    "tensor_scatter_update",
]
