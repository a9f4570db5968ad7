"""Array ops: placeholders, identity, zeros/ones/fill, shape, reshape, stack, concat, slice.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape, as_shape, unknown_shape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph._torch_dtypes import torch_dtype
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._op_builder import (
    SCALAR,
    UNKNOWN,
    make_op,
    shape_from_tensor,
)
from scopeflow.ops.constant_op import constant
from scopeflow.ops.math_ops import _scope


def _dtype_tf_name(dt: dtypes.DType) -> str:
    return {"float32": "float", "float64": "double"}.get(dt.name, dt.name)


def placeholder(dtype: Any, shape: Any = None, name: str | None = None) -> Tensor:
    """A tensor that must be fed (``tf.placeholder``); ``shape`` may be partially known.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.placeholder(tf.float32, [None, 3]).shape)
    (?, 3)
    """
    dt = dtypes.as_dtype(dtype).base_dtype
    s = as_shape(shape)
    return make_op("Placeholder", (), {"dtype": dt, "shape": s}, name or "Placeholder", dt, s)


@register_kernel("Placeholder")
def _placeholder_kernel(op: Any, session: Any) -> Any:
    dt, shape = op._attrs["dtype"], op._attrs["shape"]
    shape_str = "" if shape.ndims is None else " and shape " + str(
        [-1 if d is None else d for d in shape.as_list()]
    ).replace(" ", "")
    msg = (
        f"You must feed a value for placeholder tensor '{op.name}' with dtype "
        f"{_dtype_tf_name(dt)}{shape_str}"
    )

    def kernel() -> Any:
        raise InvalidArgumentError(None, op, msg)

    return kernel


def placeholder_with_default(input: Any, shape: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """A tensor that is ``input`` unless fed (``tf.placeholder_with_default``)."""
    scope = _scope(name, "PlaceholderWithDefault")
    x = convert_to_tensor(input, name=scope + "input/")
    s = as_shape(shape)
    if not x._shape.is_compatible_with(s):
        raise ValueError(
            f"Shapes must be equal rank, but are {x._shape.ndims} and {s.ndims}"
            if x._shape.ndims != s.ndims
            else f"Incompatible shapes: {x._shape} and {s}"
        )
    return make_op("PlaceholderWithDefault", (x,), {"dtype": x._dtype, "shape": s}, scope,
                   x._dtype.base_dtype, s)  # fmt: skip


register_kernel("PlaceholderWithDefault", aliases_input=True)(lambda op, s: lambda x: x)


def identity(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Returns a tensor with the same value (``tf.identity``)."""
    scope = _scope(name, "Identity")
    x = convert_to_tensor(input, name=scope + "input/")
    t = make_op("Identity", (x,), {"T": x._dtype.base_dtype}, scope, x._dtype.base_dtype,
                x._shape)  # fmt: skip
    t._const = x._const
    return t


register_kernel("Identity", aliases_input=True)(lambda op, s: lambda x: x)


def fill(dims: Any, value: Any, name: str | None = None) -> Tensor:
    """A tensor of shape ``dims`` filled with ``value`` (``tf.fill``)."""
    scope = _scope(name, "Fill")
    d = convert_to_tensor(dims, name=scope + "dims/")
    v = convert_to_tensor(value, name=scope + "value/")
    if v._shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {v._shape.ndims}")
    return make_op("Fill", (d, v), {"T": v._dtype.base_dtype}, scope, v._dtype.base_dtype,
                   shape_from_tensor(d))  # fmt: skip


@register_kernel("Fill")
def _fill_kernel(op: Any, session: Any) -> Any:
    return lambda d, v: v.expand(*[int(x) for x in d.tolist()]).clone()


def _filled(value: float, shape: Any, dtype: Any, name: str | None, default: str) -> Tensor:
    dt = dtypes.as_dtype(dtype).base_dtype
    if isinstance(shape, Tensor):
        scope = _scope(name, default)
        v = b"" if dt == dtypes.string else (bool(value) if dt == dtypes.bool else value)
        return fill(shape, constant(v, dtype=dt,
                                    name=scope + "Const/"), name=scope)  # fmt: skip
    shape_l = as_shape(shape).as_list() if not isinstance(shape, TensorShape) else shape.as_list()
    n = int(np.prod(shape_l, dtype=np.int64))
    fill_value: Any = b"" if dt == dtypes.string else (bool(value) if dt == dtypes.bool else value)
    if n < 1000:
        return constant(fill_value, dtype=dt, shape=shape_l, name=name or default)
    scope = _scope(name, default)
    dims = constant(shape_l, dtype=dtypes.int32, name=scope + "shape_as_tensor/")
    return fill(dims, constant(fill_value, dtype=dt, name=scope + "Const/"), name=scope)


def zeros(shape: Any, dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:
    """A tensor of zeros (``tf.zeros``): a ``Const`` if small, else a ``Fill``.

    >>> import scopeflow.compat.v1 as tf
    >>> z = tf.zeros([32])
    >>> print(z.name, z.shape)
    zeros:0 (32,)
    """
    return _filled(0, shape, dtype, name, "zeros")


def ones(shape: Any, dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:
    """A tensor of ones (``tf.ones``)."""
    return _filled(1, shape, dtype, name, "ones")


def _like(op_type: str, default: str, tensor: Any, dtype: Any, name: str | None) -> Tensor:
    scope = _scope(name, default)
    x = convert_to_tensor(tensor, name=scope + "tensor/")
    dt = x._dtype.base_dtype if dtype is None else dtypes.as_dtype(dtype).base_dtype
    if dt != x._dtype.base_dtype:
        from scopeflow.ops.math_ops import cast  # noqa: PLC0415

        return cast(make_op(op_type, (x,), {"T": x._dtype.base_dtype}, scope + op_type + "/",
                            x._dtype.base_dtype, x._shape), dt, name=scope)  # fmt: skip
    return make_op(op_type, (x,), {"T": dt}, scope, dt, x._shape)


def zeros_like(tensor: Any, dtype: Any = None, name: str | None = None,
               optimize: bool = True) -> Tensor:  # fmt: skip
    """Zeros with the shape (and by default dtype) of ``tensor``."""
    return _like("ZerosLike", "zeros_like", tensor, dtype, name)


def ones_like(tensor: Any, dtype: Any = None, name: str | None = None,
              optimize: bool = True) -> Tensor:  # fmt: skip
    """Ones with the shape (and by default dtype) of ``tensor``."""
    return _like("OnesLike", "ones_like", tensor, dtype, name)


register_kernel("ZerosLike")(lambda op, s: torch.zeros_like)
register_kernel("OnesLike")(lambda op, s: torch.ones_like)


def shape(input: Any, name: str | None = None, out_type: Any = dtypes.int32) -> Tensor:  # noqa: A002
    """The dynamic shape of ``input`` as a 1-D tensor (``tf.shape``); known dims are constant-folded
    for static shape inference (``tf.shape(x)[0]`` stays unknown only where ``x``'s dim is).
    """
    scope = _scope(name, "Shape")
    x = convert_to_tensor(input, name=scope + "input/")
    dt = dtypes.as_dtype(out_type).base_dtype
    rank = x._shape.ndims
    t = make_op("Shape", (x,), {"T": x._dtype.base_dtype, "out_type": dt}, scope, dt,
                TensorShape([rank]))  # fmt: skip
    if x._shape.is_fully_defined():
        t._const = np.asarray(x._shape.as_list(), dtype=dt.as_numpy_dtype)
    elif rank is not None:
        t._partial_shape = x._shape  # type: ignore[attr-defined]
    return t


@register_kernel("Shape")
def _shape_kernel(op: Any, session: Any) -> Any:
    tdt = torch_dtype(op._attrs["out_type"])
    return lambda x: torch.tensor(tuple(x.shape), dtype=tdt)


def reshape(tensor: Any, shape: Any, name: str | None = None) -> Tensor:
    """Reshapes ``tensor`` (``tf.reshape``); one ``-1`` dimension is inferred, statically too."""
    scope = _scope(name, "Reshape")
    x = convert_to_tensor(tensor, name=scope + "tensor/")
    s = convert_to_tensor(shape, name=scope + "shape/")
    if s._dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(
            f"Value passed to parameter 'shape' has DataType {s._dtype.base_dtype.name} not in "
            "list of allowed values: int32, int64"
        )
    out = _reshape_static(x._shape, s)
    t = make_op("Reshape", (x, s), {"T": x._dtype.base_dtype, "Tshape": s._dtype}, scope,
                x._dtype.base_dtype, out)  # fmt: skip
    if x._const is not None and s._const is not None:
        t._const = np.reshape(x._const, [int(d) for d in s._const])
    return t


def _reshape_static(in_shape: TensorShape, s: Tensor) -> TensorShape:
    target = shape_from_tensor(s)
    if s._const is None or target.ndims is None:
        return target
    dims = [int(d) for d in np.asarray(s._const).reshape(-1)]
    n_in = in_shape.num_elements()
    if -1 in dims:
        if dims.count(-1) > 1:
            raise ValueError(f"Cannot infer multiple unknown dimensions in shape {dims}")
        known = int(np.prod([d for d in dims if d != -1], dtype=np.int64))
        if n_in is not None:
            if known == 0 or n_in % known:
                raise ValueError(
                    f"Cannot reshape a tensor with {n_in} elements to shape {dims} "
                    f"({int(np.prod(dims))} elements)"
                )
            dims = [n_in // known if d == -1 else d for d in dims]
            return TensorShape(dims)
        return TensorShape([None if d == -1 else d for d in dims])
    n_out = int(np.prod(dims, dtype=np.int64))
    if n_in is not None and n_in != n_out:
        raise ValueError(
            f"Cannot reshape a tensor with {n_in} elements to shape {dims} ({n_out} elements) "
            "for '{{node Reshape}} = Reshape[T=DT_FLOAT, Tshape=DT_INT32]'"
        )
    return TensorShape(dims)


@register_kernel("Reshape")
def _reshape_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, s: Any) -> Any:
        try:
            return x.reshape([int(d) for d in s.tolist()])
        except RuntimeError:
            raise InvalidArgumentError(
                None,
                op,
                f"Input to reshape is a tensor with {x.numel()} values, but the requested shape "
                f"has {int(np.prod([d for d in s.tolist() if d != -1]))}",
            ) from None

    return kernel


def stack(values: Any, axis: int = 0, name: str = "stack") -> Tensor:
    """Stacks tensors along a new ``axis`` (``tf.stack``, op ``Pack``)."""
    scope = _scope(name, "stack")
    if all(not isinstance(v, Tensor) and not hasattr(v, "_as_tensor") for v in values):
        try:
            arr = np.asarray(values)
        except ValueError:
            arr = None
        if arr is not None and arr.dtype != object and axis == 0:
            return constant(values, name=scope)
    ts = [convert_to_tensor(v, name=f"{scope}{'values'}{'_' + str(i) if i else ''}/")
          for i, v in enumerate(values)]  # fmt: skip
    if not ts:
        raise ValueError("values must not be empty")
    base = ts[0]._shape
    for t in ts[1:]:
        if not base.is_compatible_with(t._shape):
            raise ValueError(
                f"Shapes must be equal rank, but are {base.ndims} and {t._shape.ndims}"
                if base.ndims != t._shape.ndims
                else f"Dimension mismatch: shapes {base} and {t._shape}"
            )
        base = base.merge_with(t._shape)
        if t._dtype.base_dtype != ts[0]._dtype.base_dtype:
            raise TypeError(
                f"Tensors in list passed to 'values' of 'Pack' Op have types "
                f"[{', '.join(x._dtype.base_dtype.name for x in ts)}] that don't all match."
            )
    if base.ndims is None:
        out = UNKNOWN
    else:
        rank = base.ndims + 1
        if not -rank <= axis < rank:
            raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
        ax = axis % rank
        dims = base.as_list()
        dims.insert(ax, len(ts))
        out = TensorShape(dims)
    t = make_op("Pack", ts, {"N": len(ts), "axis": axis, "T": ts[0]._dtype.base_dtype}, scope,
                ts[0]._dtype.base_dtype, out)  # fmt: skip
    if all(x._const is not None for x in ts):
        t._const = np.stack([x._const for x in ts], axis=axis)
    return t


@register_kernel("Pack")
def _pack_kernel(op: Any, session: Any) -> Any:
    axis = op._attrs["axis"]
    return lambda *xs: torch.stack(xs, dim=axis)


def concat(values: Any, axis: Any, name: str = "concat") -> Tensor:
    """Concatenates tensors along ``axis`` (``tf.concat``, op ``ConcatV2``)."""
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:
        scope = _scope(name, "concat")
        return identity(values[0], name=scope)
    scope = _scope(name, "concat")
    ts = [convert_to_tensor(v, name=f"{scope}values_{i}/") for i, v in enumerate(values)]
    ax_t = convert_to_tensor(axis, dtype=dtypes.int32, name=scope + "axis/")
    dt = ts[0]._dtype.base_dtype
    for t in ts[1:]:
        if t._dtype.base_dtype != dt:
            raise TypeError(
                "Tensors in list passed to 'values' of 'ConcatV2' Op have types "
                f"[{', '.join(x._dtype.base_dtype.name for x in ts)}] that don't all match."
            )
    out = UNKNOWN
    if ax_t._const is not None:
        ranks = {t._shape.ndims for t in ts} - {None}
        if len(ranks) > 1:
            raise ValueError(f"Shape must be rank {min(ranks)} but is rank {max(ranks)}")
        if ranks:
            rank = ranks.pop()
            ax = int(ax_t._const)
            if not -rank <= ax < rank:
                raise ValueError(f"ConcatOp : Expected concatenating dimensions in the range "
                                 f"[{-rank}, {rank}), but got {ax}")  # fmt: skip
            ax %= rank
            dims: list[Any] = [None] * rank
            total: int | None = 0
            for t in ts:
                if t._shape.ndims is None:
                    total = None
                    continue
                for i, d in enumerate(t._shape.as_list()):
                    if i == ax:
                        total = None if (total is None or d is None) else total + d
                    elif d is not None:
                        if dims[i] is not None and dims[i] != d:
                            raise ValueError(
                                f"Dimension {i} in both shapes must be equal, but are {dims[i]} "
                                f"and {d}."
                            )
                        dims[i] = d
            dims[ax] = total
            out = TensorShape(dims)
    return make_op("ConcatV2", (*ts, ax_t), {"N": len(ts), "T": dt}, scope, dt, out)


@register_kernel("ConcatV2")
def _concat_kernel(op: Any, session: Any) -> Any:
    return lambda *xs: torch.cat(xs[:-1], dim=int(xs[-1]))


def slice(input_: Any, begin: Any, size: Any, name: str | None = None) -> Tensor:  # noqa: A001
    """Extracts ``input_[begin : begin + size]`` per dimension (``tf.slice``; -1 = to the end)."""
    scope = _scope(name, "Slice")
    x = convert_to_tensor(input_, name=scope + "input/")
    b = convert_to_tensor(begin, name=scope + "begin/")
    s = convert_to_tensor(size, name=scope + "size/")
    out = shape_from_tensor(s)
    if s._const is not None and x._shape.ndims is not None:
        sz = [int(v) for v in np.asarray(s._const).reshape(-1)]
        bg = None if b._const is None else [int(v) for v in np.asarray(b._const).reshape(-1)]
        dims = x._shape.as_list()
        out = TensorShape(
            [
                (None if dims[i] is None or bg is None else dims[i] - bg[i]) if v == -1 else v
                for i, v in enumerate(sz)
            ]
        )
    return make_op("Slice", (x, b, s), {"T": x._dtype.base_dtype, "Index": b._dtype}, scope,
                   x._dtype.base_dtype, out)  # fmt: skip


@register_kernel("Slice")
def _slice_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, b: Any, s: Any) -> Any:
        idx = tuple(
            builtins.slice(bb, None if ss == -1 else bb + ss)
            for bb, ss in zip(b.tolist(), s.tolist(), strict=True)
        )
        return x[idx]

    return kernel


def rank(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """The rank of ``input`` as a scalar int32 tensor (``tf.rank``)."""
    scope = _scope(name, "Rank")
    x = convert_to_tensor(input, name=scope + "input/")
    t = make_op("Rank", (x,), {"T": x._dtype.base_dtype}, scope, dtypes.int32, SCALAR)
    if x._shape.ndims is not None:
        t._const = np.int32(x._shape.ndims)
    return t


register_kernel("Rank")(lambda op, s: lambda x: torch.tensor(x.dim(), dtype=torch.int32))


def size(input: Any, name: str | None = None, out_type: Any = dtypes.int32) -> Tensor:  # noqa: A002
    """The number of elements of ``input`` (``tf.size``)."""
    scope = _scope(name, "Size")
    x = convert_to_tensor(input, name=scope + "input/")
    dt = dtypes.as_dtype(out_type).base_dtype
    t = make_op("Size", (x,), {"T": x._dtype.base_dtype, "out_type": dt}, scope, dt, SCALAR)
    n = x._shape.num_elements()
    if n is not None:
        t._const = np.asarray(n, dtype=dt.as_numpy_dtype)
    return t


@register_kernel("Size")
def _size_kernel(op: Any, session: Any) -> Any:
    tdt = torch_dtype(op._attrs["out_type"])
    return lambda x: torch.tensor(x.numel(), dtype=tdt)


__all__ = [
    "concat",
    "fill",
    "identity",
    "ones",
    "ones_like",
    "placeholder",
    "placeholder_with_default",
    "rank",
    "reshape",
    "shape",
    "size",
    "slice",
    "stack",
    "unknown_shape",
    "zeros",
    "zeros_like",
]
