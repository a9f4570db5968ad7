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
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import declare_thread_invariant, register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._array_static import (
    concat_static,
    concat_value,
    pack_static,
    pack_value,
    reshape_static,
)
from scopeflow.ops._op_builder import (
    SCALAR,
    convert_index_input,
    make_op,
    shape_from_tensor,
)
from scopeflow.ops._shape_inference import const_int, node_error
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
    shape_str = (
        ""
        if shape.ndims is None
        else " and shape " + str([-1 if d is None else d for d in shape.as_list()]).replace(" ", "")
    )
    msg = (
        f"You must feed a value for placeholder tensor '{op.name}' with dtype "
        f"{_dtype_tf_name(dt)}{shape_str}"
    )

    def kernel() -> Any:
        raise InvalidArgumentError(None, op, msg)

    return kernel


def placeholder_with_default(input: Any, shape: Any, name: str | None = None) -> Tensor:
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


def identity(input: Any, name: str | None = None) -> Tensor:
    """Returns a tensor with the same value (``tf.identity``)."""
    scope = _scope(name, "Identity")
    x = convert_to_tensor(input, name=scope + "input/")
    t = make_op("Identity", (x,), {"T": x._dtype.base_dtype}, scope, x._dtype.base_dtype,
                x._shape)  # fmt: skip
    t._const = x._const
    return t


register_kernel("Identity", aliases_input=True)(lambda op, s: lambda x: x)
declare_thread_invariant("Identity", "Reshape", "ConcatV2")  # views and copies (``interop``)


def fill(dims: Any, value: Any, name: str | None = None) -> Tensor:
    """A tensor of shape ``dims`` filled with ``value`` (``tf.fill``)."""
    scope = _scope(name, "Fill")
    d = convert_index_input(dims, scope, "dims")
    v = convert_to_tensor(value, name=scope + "value/")
    attrs = {"T": v._dtype.base_dtype, "index_type": d._dtype.base_dtype}
    if v._shape.ndims not in (None, 0):
        raise node_error(f"Shape must be rank 0 but is rank {v._shape.ndims}", scope, "Fill",
                         attrs, (d, v))  # fmt: skip
    return make_op("Fill", (d, v), {"T": v._dtype.base_dtype}, scope, v._dtype.base_dtype,
                   shape_from_tensor(d))  # fmt: skip


@register_kernel("Fill")
def _fill_kernel(op: Any, session: Any) -> Any:
    def kernel(d: Any, v: Any) -> Any:
        shape = [int(x) for x in d.tolist()]
        if isinstance(v, np.ndarray):  # strings (object arrays)
            return np.full(shape, v.reshape(()).item(), dtype=v.dtype)
        return v.expand(shape).clone()

    return kernel


def _has_none(shape: Any) -> bool:
    """Whether a nested list/tuple shape holds a ``None`` (TF rejects it as an int32 value)."""
    return any(_has_none(d) if isinstance(d, (list, tuple)) else d is None for d in shape)


def _filled(value: float, shape: Any, dtype: Any, name: str | None, default: str) -> Tensor:
    dt = dtypes.as_dtype(dtype).base_dtype
    if dt == dtypes.string and value:
        # TF's ``ones`` converts the number 1 to a string inside its name scope: TypeError.
        _scope(name, default)
        constant(value, dtype=dt)
    if isinstance(shape, (list, tuple)) and _has_tensor(shape):
        scope = _scope(name, default)
        shape = convert_to_tensor(shape, dtype=dtypes.int32, name=scope + "packed/")
        name = scope
    if isinstance(shape, Tensor):
        scope = _scope(name, default)
        v = b"" if dt == dtypes.string else (bool(value) if dt == dtypes.bool else value)
        return fill(shape, constant(v, dtype=dt,
                                    name=scope + "Const/"), name=scope)  # fmt: skip
    if isinstance(shape, TensorShape) and not shape.is_fully_defined():
        _scope(name, default)  # TF fails inside the op's name scope, consuming its name
        raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor.")
    if isinstance(shape, (list, tuple)) and _has_none(shape):
        _scope(name, default)
        raise TypeError("Expected int32, but got None of type 'NoneType'.")
    shape_l = as_shape(shape).as_list() if not isinstance(shape, TensorShape) else shape.as_list()
    # np.array(..., int64) rejects unknown (None) dims with a TypeError before the product.
    n = int(np.prod(np.array(shape_l, dtype=np.int64)))
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
    if dt != x._dtype.base_dtype and x._dtype.base_dtype == dtypes.string:
        # TF builds zeros/ones of the new dtype from the shape (a string cannot be cast)
        dims = x._shape.as_list() if x._shape.is_fully_defined() else shape(x)
        return _filled(1 if op_type == "OnesLike" else 0, dims, dt, scope, default)
    if dt != x._dtype.base_dtype:
        from scopeflow.ops.math_ops import cast  # noqa: PLC0415

        return cast(make_op(op_type, (x,), {"T": x._dtype.base_dtype}, scope + op_type + "/",
                            x._dtype.base_dtype, x._shape), dt, name=scope)  # fmt: skip
    t = make_op(op_type, (x,), {"T": dt}, scope, dt, x._shape)
    num = x._shape.num_elements()  # None unless the shape is fully defined
    if num is not None and num <= 4096:
        fill_value = 1 if op_type == "OnesLike" else 0
        if dt.is_numpy_compatible and dt != dtypes.string:
            t._const = np.full(x._shape.as_list(), fill_value, dtype=dt.as_numpy_dtype)
    return t


def zeros_like(tensor: Any, dtype: Any = None, name: str | None = None,
               optimize: bool = True) -> Tensor:  # fmt: skip
    """Zeros with the shape (and by default dtype) of ``tensor``."""
    return _like("ZerosLike", "zeros_like", tensor, dtype, name)


def ones_like(tensor: Any, dtype: Any = None, name: str | None = None,
              optimize: bool = True) -> Tensor:  # fmt: skip
    """Ones with the shape (and by default dtype) of ``tensor``."""
    return _like("OnesLike", "ones_like", tensor, dtype, name)


def _zeros_like(x: Any) -> Any:
    # a string tensor (a NumPy object array of bytes): TF's zero is the empty string
    if isinstance(x, np.ndarray) and x.dtype == object:
        return np.full(x.shape, b"", dtype=object)
    return torch.zeros_like(x)


register_kernel("ZerosLike")(lambda op, s: _zeros_like)
register_kernel("OnesLike")(lambda op, s: torch.ones_like)


def shape(input: Any, name: str | None = None, out_type: Any = dtypes.int32) -> Tensor:
    """The dynamic shape of ``input`` as a 1-D tensor (``tf.shape``).

    A fully known shape gives a ``Const`` (TF's ``optimize=True``); otherwise the known dims are
    recorded for static shape inference (``tf.shape(x)[1]`` folds to a constant if known).
    """
    dt = dtypes.as_dtype(out_type).base_dtype
    scope = _scope(name, "Shape")
    if hasattr(input, "dense_shape") and hasattr(input, "indices"):
        # a SparseTensor: TF casts its dense shape (a ``Cast`` op even to the same dtype)
        ds = input.dense_shape
        with get_default_graph().name_scope(scope):
            attrs = {"SrcT": ds.dtype.base_dtype, "DstT": dt, "Truncate": False}
            return make_op("Cast", (ds,), attrs, "Cast", dt, ds.shape)
    x = convert_to_tensor(input, name=scope + "Const/")
    if x._shape.is_fully_defined():
        # TF's shape_internal(optimize=True): a constant for a fully known shape.
        return constant(x._shape.as_list(), dtype=dt, name=scope)
    rank = x._shape.ndims
    t = make_op("Shape", (x,), {"T": x._dtype.base_dtype, "out_type": dt}, scope, dt,
                TensorShape([rank]))  # fmt: skip
    if x._shape.is_fully_defined():
        t._const = np.asarray(x._shape.as_list(), dtype=dt.as_numpy_dtype)
    elif rank is not None:
        t._partial_shape = x._shape
    return t


@register_kernel("Shape")
def _shape_kernel(op: Any, session: Any) -> Any:
    tdt = torch_dtype(op._attrs["out_type"])
    return lambda x: torch.tensor(tuple(x.shape), dtype=tdt)


def reshape(tensor: Any, shape: Any, name: str | None = None) -> Tensor:
    """Reshapes ``tensor`` (``tf.reshape``); one ``-1`` dimension is inferred, statically too.

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 2, 3])
    >>> print(tf.reshape(x, [tf.shape(x)[0], 6]).shape)
    (?, 6)
    """
    scope = _scope(name, "Reshape")
    x = convert_to_tensor(tensor, name=scope + "tensor/")
    s = convert_index_input(shape, scope, "shape")  # ``[]`` becomes an int32 empty shape
    if s._dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(
            f"Value passed to parameter 'shape' has DataType {s._dtype.base_dtype.name} not in "
            "list of allowed values: int32, int64"
        )
    attrs = {"T": x._dtype.base_dtype, "Tshape": s._dtype.base_dtype}
    if s._shape.ndims not in (None, 1):
        raise node_error(f"Shape must be rank 1 but is rank {s._shape.ndims}", scope, "Reshape",
                         attrs, (x, s))  # fmt: skip
    out = reshape_static(x, s, scope, attrs)
    t = make_op("Reshape", (x, s), attrs, scope, x._dtype.base_dtype, out)
    if x._const is not None and s._const is not None and out.is_fully_defined():
        t._const = np.reshape(x._const, [int(d) for d in s._const])
    return t


@register_kernel("Reshape", aliases_input=True)
def _reshape_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, s: Any) -> Any:
        dims = [int(d) for d in s.tolist()]
        try:
            return x.reshape(dims)
        except RuntimeError:
            known = int(np.prod([d for d in dims if d != -1]))
            if -1 in dims:
                msg = (f"Input to reshape is a tensor with {x.numel()} values, but the requested "
                       f"shape requires a multiple of {known}")  # fmt: skip
            else:
                msg = (f"Input to reshape is a tensor with {x.numel()} values, but the requested "
                       f"shape has {known}")  # fmt: skip
            raise InvalidArgumentError(None, op, msg) from None

    return kernel


def _autopack(values: Any, dtype: dtypes.DType | None, scope: str) -> Tensor | list[Any]:
    """TF's ``_autopacking_helper``: a (nested) list holding tensors becomes ``Pack`` ops.

    The ``Pack`` is named ``scope``; its Python elements become constants named by their index.
    """
    must_pack = False
    elems: list[Any] = []
    for i, elem in enumerate(values):
        v = elem
        if isinstance(v, Tensor) or hasattr(v, "_as_tensor"):
            v = convert_to_tensor(v)
            if dtype is not None and v._dtype.base_dtype != dtype:
                raise TypeError(
                    f"Cannot convert a list containing a tensor of dtype {v._dtype.base_dtype} "
                    f"to {dtype} (Tensor is: {v!r})"
                )
            must_pack = True
        elif isinstance(v, (list, tuple)):
            v = _autopack(v, dtype, f"{scope}{i}/")
            must_pack = must_pack or isinstance(v, Tensor)
        elems.append(v)
    if not must_pack:
        return elems
    ts = [e if isinstance(e, Tensor) else constant(e, dtype=dtype, name=f"{scope}{i}/")
          for i, e in enumerate(elems)]  # fmt: skip
    return _pack(ts, 0, scope)


def _first_dtype(values: Any) -> dtypes.DType | None:
    for v in values:
        if isinstance(v, Tensor) or hasattr(v, "_as_tensor"):
            return convert_to_tensor(v)._dtype.base_dtype
        if isinstance(v, (list, tuple)):
            dt = _first_dtype(v)
            if dt is not None:
                return dt
    return None


def _pack(ts: list[Tensor], axis: int, scope: str) -> Tensor:
    dt = ts[0]._dtype.base_dtype
    attrs = {"N": len(ts), "T": dt, "axis": axis}
    for t in ts[1:]:
        if t._dtype.base_dtype != dt:
            raise TypeError(
                f"Tensors in list passed to 'values' of 'Pack' Op have types "
                f"[{', '.join(x._dtype.base_dtype.name for x in ts)}] that don't all match."
            )
    out = pack_static(ts, axis, scope, attrs)
    t = make_op("Pack", ts, attrs, scope, dt, out)
    pack_value(t, ts, axis)
    return t


def _has_tensor(values: Any) -> bool:
    return any(
        isinstance(v, Tensor) or hasattr(v, "_as_tensor")
        or (isinstance(v, (list, tuple)) and _has_tensor(v))
        for v in values
    )  # fmt: skip


def stack(values: Any, axis: int = 0, name: str = "stack") -> Tensor:
    """Stacks tensors along a new ``axis`` (``tf.stack``, op ``Pack``).

    An all-constant list at ``axis=0`` becomes a single ``Const``, as in TF.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.stack([tf.constant([1, 2]), tf.constant([3, 4])], axis=1).shape)
    (2, 2)
    """
    values = list(values) if isinstance(values, tuple) else values
    if not isinstance(values, list) or not values:
        if isinstance(values, list):
            raise ValueError("values must not be empty")
        values = list(values)
    if axis == 0 and not _has_tensor(values):
        try:
            return constant(values, name=name)
        except (TypeError, ValueError):
            pass
    scope = _scope(name, "stack")
    if axis == 0:
        try:
            packed = _autopack(values, _first_dtype(values), scope)
        except (TypeError, ValueError):
            # TF retries with the generated op, under a fresh name (``stack_1``).
            packed = None
            scope = _scope(name, "stack")
        if isinstance(packed, Tensor):
            return packed
    ts = [convert_to_tensor(v, name=f"{scope}values_{i}/") for i, v in enumerate(values)]
    return _pack(ts, axis, scope)


@register_kernel("Pack")
def _pack_kernel(op: Any, session: Any) -> Any:
    axis = op._attrs["axis"]

    def kernel(*xs: Any) -> Any:
        if not isinstance(xs[0], torch.Tensor):  # strings, resource handles: object arrays
            return np.stack([np.asarray(x, dtype=object) for x in xs], axis=axis)
        return torch.stack(xs, dim=axis)

    return kernel


def concat(values: Any, axis: Any, name: str = "concat") -> Tensor:
    """Concatenates tensors along ``axis`` (``tf.concat``, op ``ConcatV2``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.concat([tf.zeros([2, 3]), tf.zeros([2, 4])], 1).shape)
    (2, 7)
    """
    if not isinstance(values, (list, tuple)):
        values = [values]
    scope = _scope(name, "concat")
    if len(values) == 1:
        ax = convert_to_tensor(axis, dtype=dtypes.int32, name=scope + "concat_dim/")
        if ax._shape.ndims not in (None, 0):
            raise ValueError(f"Shape {ax._shape} must have rank 0")
        with get_default_graph().name_scope(scope):  # TF: identity(name="concat") in the scope
            return identity(values[0], name="concat")
    ts = [convert_to_tensor(v, name=f"{scope}values_{i}/") for i, v in enumerate(values)]
    ax_t = convert_to_tensor(axis, name=scope + "axis/")
    dt = ts[0]._dtype.base_dtype
    for t in ts[1:]:
        if t._dtype.base_dtype != dt:
            raise TypeError(
                "Tensors in list passed to 'values' of 'ConcatV2' Op have types "
                f"[{', '.join(x._dtype.base_dtype.name for x in ts)}] that don't all match."
            )
    attrs = {"N": len(ts), "T": dt, "Tidx": ax_t._dtype.base_dtype}
    out = concat_static(ts, ax_t, scope, attrs)
    t = make_op("ConcatV2", (*ts, ax_t), attrs, scope, dt, out)
    concat_value(t, ts, const_int(ax_t))
    return t


@register_kernel("ConcatV2")
def _concat_kernel(op: Any, session: Any) -> Any:
    strings = op._attrs["T"] == dtypes.string  # string tensors are NumPy object arrays

    def kernel(*xs: Any) -> Any:
        vals, ax = xs[:-1], int(xs[-1])
        rank = vals[0].ndim if strings else vals[0].dim()
        if not -rank <= ax < rank:
            raise InvalidArgumentError(
                None, op, f"ConcatOp : Expected concatenating dimensions in the range "
                f"[{-rank}, {rank}), but got {ax}"
            )  # fmt: skip
        ax %= rank
        for i, v in enumerate(vals[1:], start=1):
            if (v.ndim if strings else v.dim()) != rank:
                raise InvalidArgumentError(
                    None, op, "ConcatOp : Ranks of all input tensors should match: shape[0] = "
                    f"{_bracket(vals[0].shape)} vs. shape[{i}] = {_bracket(v.shape)}"
                )  # fmt: skip
            for d in range(rank):
                if d != ax and v.shape[d] != vals[0].shape[d]:
                    raise InvalidArgumentError(
                        None, op, f"ConcatOp : Dimension {d} in both shapes must be equal: "
                        f"shape[0] = {_bracket(vals[0].shape)} vs. shape[{i}] = "
                        f"{_bracket(v.shape)}"
                    )  # fmt: skip
        if strings:
            return np.concatenate(vals, axis=ax)
        return torch.cat(vals, dim=ax)

    return kernel


def _bracket(shape: Any) -> str:
    return "[" + ",".join(str(int(d)) for d in shape) + "]"


def slice(input_: Any, begin: Any, size: Any, name: str | None = None) -> Tensor:
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
                (None if (d := dims[i]) is None or bg is None else d - bg[i]) if v == -1 else v
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


def rank(input: Any, name: str | None = None) -> Tensor:
    """The rank of ``input`` as a scalar int32 tensor (``tf.rank``)."""
    scope = _scope(name, "Rank")
    x = convert_to_tensor(input, name=scope + "input/")
    t = make_op("Rank", (x,), {"T": x._dtype.base_dtype}, scope, dtypes.int32, SCALAR)
    if x._shape.ndims is not None:
        t._const = np.int32(x._shape.ndims)
    return t


register_kernel("Rank")(lambda op, s: lambda x: torch.tensor(x.dim(), dtype=torch.int32))


def size(input: Any, name: str | None = None, out_type: Any = dtypes.int32) -> Tensor:
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
    return lambda x: torch.tensor(
        x.numel() if isinstance(x, torch.Tensor) else np.size(x), dtype=tdt
    )


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
