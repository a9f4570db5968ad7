"""Ops with several outputs along one axis: ``tf.split`` and ``tf.unstack``.

Ops ``Split`` (equal pieces), ``SplitV`` (given sizes) and ``Unpack``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import numbers
from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import Dimension, TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._op_builder import UNKNOWN, make_multi_op
from scopeflow.ops._shape_inference import const_int, const_ints, node_error
from scopeflow.ops.math_ops import _scope


def split(value: Any, num_or_size_splits: Any, axis: Any = 0, num: int | None = None,
          name: str = "split") -> list[Tensor]:  # fmt: skip
    """Splits ``value`` along ``axis`` (``tf.split``).

    An int gives that many equal pieces (op ``Split``); a list gives pieces of those sizes, one of
    which may be ``-1`` (op ``SplitV``).

    >>> import scopeflow.compat.v1 as tf
    >>> a, b = tf.split(tf.zeros([2, 6]), [2, -1], axis=1)
    >>> print(a.name, b.shape)
    split:0 (2, 4)
    """
    if isinstance(num_or_size_splits, (numbers.Integral, Dimension)):
        n = int(num_or_size_splits)
        scope = _scope(name, "split")
        ax = convert_to_tensor(axis, dtype=dtypes.int32, name=scope + "split_dim/")
        x = convert_to_tensor(value, name=scope + "value/")
        attrs = {"T": x._dtype.base_dtype, "num_split": n}
        shapes = _split_shapes(x, ax, None, n, scope, "Split", attrs, (ax, x), 0)
        op = make_multi_op("Split", (ax, x), attrs, scope, [x._dtype.base_dtype] * n, shapes)
        return list(op._outputs)
    sizes = convert_to_tensor(num_or_size_splits)
    if sizes._shape.ndims == 0:
        raise ValueError(
            "Rank-0 tensors are not supported as the num_or_size_splits argument to split. "
            f"Argument provided: {num_or_size_splits}"
        )
    if num is None:
        num = sizes._shape.as_list()[0] if sizes._shape.ndims == 1 else None
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {num_or_size_splits}")
    scope = _scope(name, "split")
    x = convert_to_tensor(value, name=scope + "value/")
    ax = convert_to_tensor(axis, dtype=dtypes.int32, name=scope + "split_dim/")
    attrs = {"T": x._dtype.base_dtype, "Tlen": sizes._dtype.base_dtype, "num_split": num}
    shapes = _split_shapes(x, ax, sizes, num, scope, "SplitV", attrs, (x, sizes, ax), 2)
    op = make_multi_op("SplitV", (x, sizes, ax), attrs, scope, [x._dtype.base_dtype] * num,
                       shapes)  # fmt: skip
    return list(op._outputs)


def _split_shapes(x: Tensor, ax: Tensor, sizes: Tensor | None, n: int, scope: str, op_type: str,
                  attrs: dict[str, Any], inputs: tuple[Tensor, ...],
                  ax_index: int) -> list[TensorShape]:  # fmt: skip
    r = x._shape.ndims
    a = const_int(ax)
    if r is None:
        return [UNKNOWN] * n
    if a is None:
        return [TensorShape([None] * r)] * n
    computed = (ax_index,) if sizes is None else (1, 2)
    if not -r <= a < r:
        raise node_error(f"Dimension size, given by scalar input {a} must be in range "
                         f"[{-r}, {r})", scope, op_type, attrs, inputs, computed)  # fmt: skip
    a %= r
    dims = x._shape.as_list()
    d = dims[a]
    if sizes is None:
        if d is not None and d % n:
            raise node_error(f"Dimension size must be evenly divisible by {n} but is {d}\n\t"
                             "Number of ways to split should evenly divide the split dimension",
                             scope, op_type, attrs, inputs, computed)  # fmt: skip
        piece = None if d is None else d // n
        return [TensorShape([*dims[:a], piece, *dims[a + 1 :]])] * n
    sv = const_ints(sizes)
    if sv is None:
        return [TensorShape([*dims[:a], None, *dims[a + 1 :]])] * n
    if sv.count(-1) > 1:
        raise node_error("size_splits can only have one -1", scope, op_type, attrs, inputs,
                         computed)  # fmt: skip
    known = sum(v for v in sv if v != -1)
    if d is not None:
        if (-1 not in sv and known != d) or (-1 in sv and known > d):
            raise node_error(f"can't split axis of size {d} into pieces of size "
                             f"[{','.join(str(v) for v in sv)}]", scope, op_type, attrs, inputs,
                             computed)  # fmt: skip
        sv = [d - known if v == -1 else v for v in sv]
    return [TensorShape([*dims[:a], None if v == -1 else v, *dims[a + 1 :]]) for v in sv]


def _out(parts: Any) -> Any:
    """A multi-output kernel's result: one tensor for a single output, else a tuple."""
    return parts[0] if len(parts) == 1 else tuple(parts)


@register_kernel("Split", aliases_input=True)
def _split_kernel(op: Any, session: Any) -> Any:
    n = op._attrs["num_split"]

    def kernel(ax: Any, x: Any) -> Any:
        a = int(ax)
        r = x.dim()
        if not -r <= a < r:
            raise InvalidArgumentError(None, op, f"-input rank(-{r}) <= split_dim < input rank "
                                       f"({r}), but got {a}")  # fmt: skip
        d = x.shape[a]
        if d % n:
            raise InvalidArgumentError(
                None, op, f"Number of ways to split should evenly divide the split dimension, but "
                f"got split_dim {a % r} (size = {d}) and num_split {n}"
            )  # fmt: skip
        return _out(torch.split(x, d // n, dim=a))

    return kernel


@register_kernel("SplitV", aliases_input=True)
def _split_v_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, sizes: Any, ax: Any) -> Any:
        a = int(ax)
        sv = [int(v) for v in sizes.tolist()]
        d = x.shape[a]
        known = sum(v for v in sv if v != -1)
        if -1 in sv:
            sv = [d - known if v == -1 else v for v in sv]
        if sum(sv) != d or any(v < 0 for v in sv):
            raise InvalidArgumentError(
                None, op, "Determined shape must either match input shape along split_dim exactly "
                f"if fully specified, or be less than the size of the input along split_dim if not "
                f"fully specified.  Got: {known}"
            )  # fmt: skip
        return _out(torch.split(x, sv, dim=a))

    return kernel


def unstack(value: Any, num: int | None = None, axis: int = 0,
            name: str = "unstack") -> list[Tensor]:  # fmt: skip
    """Unpacks the ``axis`` dimension into a list of tensors (``tf.unstack``, op ``Unpack``)."""
    x = convert_to_tensor(value)
    s = x._shape
    if num is None:
        if s.ndims is not None:
            if not -s.ndims <= axis < s.ndims:
                raise ValueError(f"Argument `axis` = {axis} not in range [{-s.ndims}, {s.ndims})")
            num = s.as_list()[axis]
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {s}")
    scope = _scope(name, "unstack")
    attrs = {"T": x._dtype.base_dtype, "axis": axis, "num": num}
    out: TensorShape = UNKNOWN
    if s.ndims is not None:
        if not -s.ndims <= axis < s.ndims:
            raise node_error(f"axis = {axis} not in [{-s.ndims}, {s.ndims})", scope, "Unpack",
                             attrs, (x,))  # fmt: skip
        dims = s.as_list()
        a = axis % s.ndims
        if dims[a] is not None and dims[a] != num:
            raise node_error(f"Dimension must be {num} but is {dims[a]}", scope, "Unpack", attrs,
                             (x,))  # fmt: skip
        out = TensorShape(dims[:a] + dims[a + 1 :])
    op = make_multi_op("Unpack", (x,), attrs, scope, [x._dtype.base_dtype] * num, [out] * num)
    return list(op._outputs)


@register_kernel("Unpack", aliases_input=True)
def _unpack_kernel(op: Any, session: Any) -> Any:
    axis, num = op._attrs["axis"], op._attrs["num"]

    def kernel(x: Any) -> Any:
        if x.shape[axis] != num:
            raise InvalidArgumentError(
                None, op, f"Input shape axis {axis % x.dim()} must equal {num}, got shape "
                f"[{','.join(str(d) for d in x.shape)}]"
            )  # fmt: skip
        return _out(torch.unbind(x, dim=axis))

    return kernel


__all__ = ["split", "unstack"]
