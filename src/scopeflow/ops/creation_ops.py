"""Array-creating ops driven by values: ``tf.range``, ``tf.one_hot``, ``tf.sequence_mask``.

Ops ``Range`` and ``OneHot``; ``sequence_mask`` is a ``Range < lengths`` composite, as TF builds it.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph._torch_dtypes import torch_dtype
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._op_builder import UNKNOWN, make_op
from scopeflow.ops._shape_inference import const_int, node_error
from scopeflow.ops.constant_op import constant
from scopeflow.ops.math_ops import _scope, cast, less
from scopeflow.ops.shape_ops import expand_dims

_RANGE_ORDER = (dtypes.int32, dtypes.int64, dtypes.float16, dtypes.bfloat16, dtypes.float32,
                dtypes.float64)  # fmt: skip


def _scalar_value(t: Tensor) -> Any:
    if t._const is None or np.asarray(t._const).size != 1:
        return None
    return np.asarray(t._const).reshape(-1)[0].item()


def range(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None,
          name: str = "range") -> Tensor:  # fmt: skip
    """``[start, start + delta, ...)`` below ``limit`` (``tf.range``, op ``Range``).

    The dtype is the widest of the arguments' (int32 < int64 < float16 < bfloat16 < float32 <
    float64) unless ``dtype`` is given.

    >>> import scopeflow.compat.v1 as tf
    >>> r = tf.range(1, 10, 3)
    >>> print(r.name, r.shape, r.dtype.name)
    range:0 (3,) int32
    """
    if limit is None:
        start, limit = 0, start
    scope = _scope(name, "Range")
    dt = None if dtype is None else dtypes.as_dtype(dtype).base_dtype
    with get_default_graph().name_scope(scope):
        vals = []
        for v, nm in ((start, "start"), (limit, "limit"), (delta, "delta")):
            vals.append(v if isinstance(v, Tensor) else convert_to_tensor(v, dtype=dt, name=nm))
        if dt is None:
            for v in vals:
                if v._dtype.base_dtype not in _RANGE_ORDER:
                    raise TypeError(f"Unsupported dtype {v._dtype.base_dtype.name} for tf.range")
            dt = builtins.max((v._dtype.base_dtype for v in vals), key=_RANGE_ORDER.index)
        s, lim, d = (cast(v, dt) for v in vals)
    attrs = {"Tidx": dt}
    inputs = (s, lim, d)
    sv, lv, dv = (_scalar_value(v) for v in inputs)
    out = TensorShape([None])
    if sv is not None and lv is not None and dv is not None:
        n = _range_size(sv, lv, dv, lambda m: node_error(m, scope, "Range", attrs, inputs,
                                                         computed=(0, 1, 2)))  # fmt: skip
        out = TensorShape([n])
    t = make_op("Range", inputs, attrs, scope, dt, out)
    size = out.as_list()[0]
    if size is not None and size <= 4096 and dt.is_integer:
        t._const = np.arange(sv, lv, dv, dtype=dt.as_numpy_dtype)
    return t


def _range_size(s: Any, lim: Any, d: Any, fail: Any) -> int:
    if d == 0:
        raise fail("Requires delta != 0")
    if d > 0 and s > lim:
        raise fail(f"Requires start <= limit when delta > 0: {s}/{lim}")
    if d < 0 and s < lim:
        raise fail(f"Requires start >= limit when delta < 0: {s}/{lim}")
    if isinstance(s, int) and isinstance(lim, int) and isinstance(d, int):
        return (abs(lim - s) + abs(d) - 1) // abs(d)
    return int(np.ceil(abs((lim - s) / d)))


@register_kernel("Range")
def _range_kernel(op: Any, session: Any) -> Any:
    tdt = torch_dtype(op._attrs["Tidx"])

    def kernel(s: Any, lim: Any, d: Any) -> Any:
        sv, lv, dv = s.item(), lim.item(), d.item()

        def fail(m: str) -> Exception:
            return InvalidArgumentError(None, op, m)

        n = _range_size(sv, lv, dv, fail)
        if tdt.is_floating_point:
            return (sv + dv * torch.arange(n, dtype=torch.float64)).to(tdt)
        return torch.arange(sv, sv + n * dv, dv, dtype=tdt)[:n]

    return kernel


def one_hot(indices: Any, depth: Any, on_value: Any = None, off_value: Any = None,
            axis: Any = None, dtype: Any = None, name: str | None = None) -> Tensor:  # fmt: skip
    """One-hot encoding (``tf.one_hot``, op ``OneHot``).

    ``on_value`` where ``indices == j`` along a new ``axis`` of size ``depth`` (default last),
    ``off_value`` elsewhere; the dtype comes from ``dtype``, else ``on_value``/``off_value``, else
    float32.
    """
    scope = _scope(name, "one_hot")
    dt = None if dtype is None else dtypes.as_dtype(dtype).base_dtype
    with get_default_graph().name_scope(scope):
        on = None if on_value is None else convert_to_tensor(on_value, dtype_hint=dt)
        off = None if off_value is None else convert_to_tensor(off_value, dtype_hint=dt)
        on_dt = None if on is None else on._dtype.base_dtype
        off_dt = None if off is None else off._dtype.base_dtype
        if on is not None or off is not None:
            if dt is not None:
                if on is not None and on_dt != dt:
                    raise TypeError(f"dtype {on_dt} of on_value does not match dtype parameter "
                                    f"{dt}")  # fmt: skip
                if off is not None and off_dt != dt:
                    raise TypeError(f"dtype {off_dt} of off_value does not match dtype "
                                    f"parameter {dt}")  # fmt: skip
            else:
                dt = on_dt if on is not None else off_dt
        elif dt is None:
            dt = dtypes.float32
        assert dt is not None
        if on is None:
            on = convert_to_tensor(1, dtype=dt, name="on_value")
        if off is None:
            off = convert_to_tensor(0, dtype=dt, name="off_value")
        if on._dtype.base_dtype != off._dtype.base_dtype:
            raise TypeError(f"dtype {on._dtype.base_dtype} of on_value does not match dtype "
                            f"{off._dtype.base_dtype} of off_value")  # fmt: skip
    ax = -1 if axis is None else int(axis)
    i = convert_to_tensor(indices, name=scope + "indices/")
    d = convert_to_tensor(depth, name=scope + "depth/")
    allowed = (dtypes.uint8, dtypes.int8, dtypes.int32, dtypes.int64)
    if i._dtype.base_dtype not in allowed:
        raise TypeError(
            f"Value passed to parameter 'indices' has DataType {i._dtype.base_dtype.name} not in "
            f"list of allowed values: {', '.join(x.name for x in allowed)}"
        )
    attrs = {"T": dt, "TI": i._dtype.base_dtype, "axis": ax}
    inputs = (i, d, on, off)
    out: TensorShape = UNKNOWN
    if i._shape.ndims is not None:
        r = i._shape.ndims
        if not -1 <= ax <= r:
            raise node_error(f"Expected axis to be -1 or between [0, {r + 1}).  But received: "
                             f"{ax}", scope, "OneHot", attrs, inputs)  # fmt: skip
        dims = i._shape.as_list()
        dv = const_int(d)
        dims.insert(r if ax == -1 else ax, dv)
        out = TensorShape(dims)
    return make_op("OneHot", inputs, attrs, scope, dt, out)


@register_kernel("OneHot")
def _one_hot_kernel(op: Any, session: Any) -> Any:
    ax = op._attrs["axis"]

    def kernel(i: Any, d: Any, on: Any, off: Any) -> Any:
        depth = int(d)
        if depth < 0:
            raise InvalidArgumentError(None, op, f"depth must be non-negative, got: {depth}")
        hit = i.to(torch.int64).unsqueeze(-1) == torch.arange(depth)
        out = torch.where(hit, on, off)
        return out if ax == -1 else out.movedim(-1, ax)

    return kernel


def sequence_mask(lengths: Any, maxlen: Any = None, dtype: Any = dtypes.bool,
                  name: str | None = None) -> Tensor:  # fmt: skip
    """``mask[..., j] = j < lengths[...]`` for ``j < maxlen`` (``tf.sequence_mask``).

    ``maxlen`` defaults to ``max(lengths)``; built as TF builds it (``SequenceMask/Less``).
    """
    scope = _scope(name, "SequenceMask")
    with get_default_graph().name_scope(scope):
        lens = convert_to_tensor(lengths)
        if maxlen is None:
            from scopeflow.ops.math_ops import maximum  # noqa: PLC0415
            from scopeflow.ops.reduction_ops import reduce_max  # noqa: PLC0415

            axes = np.arange(lens._shape.ndims, dtype=np.int32) if lens._shape.ndims is not None \
                else None  # fmt: skip
            if axes is None:
                from scopeflow.errors import UnsupportedError  # noqa: PLC0415

                raise UnsupportedError(
                    "tf.sequence_mask of lengths with unknown rank and no maxlen"
                )
            m = reduce_max(lens, constant(axes), name="Max")
            mx = maximum(constant(0, dtype=m._dtype), m)
            if lens._const is not None and np.asarray(lens._const).size:
                mx._const = np.asarray(max(0, np.max(lens._const)), dtype=m._dtype.as_numpy_dtype)
        else:
            mx = convert_to_tensor(maxlen)
        if mx._shape.ndims is not None and mx._shape.ndims != 0:
            raise ValueError(
                "Argument `maxlen` must be scalar for sequence_mask, received `maxlen` = "
                f"{maxlen} with shape '{mx._shape}' instead"
            )
        row = range(constant(0, dtype=mx._dtype), mx, constant(1, dtype=mx._dtype), name="Range")
        ex = expand_dims(lens, -1)
        mdt = mx._dtype.base_dtype
        matrix = make_op("Cast", (ex,), {"SrcT": ex._dtype.base_dtype, "DstT": mdt,
                                         "Truncate": False}, "Cast", mdt,
                         ex._shape)  # fmt: skip
        result = less(row, matrix)
        want = dtypes.as_dtype(dtype) if dtype is not None else None
        if want is None or want.base_dtype == dtypes.bool:
            return result
        return cast(result, want)


__all__ = ["one_hot", "range", "sequence_mask"]
