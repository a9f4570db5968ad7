"""Activation functions of ``tf.nn`` with TF's op types and names.

Activation functions: ``relu``, ``relu6``, ``elu``, ``selu``, ``leaky_relu``, ``crelu``,
``softplus``, ``softsign``, ``softmax`` and ``log_softmax`` (TF op types and names).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import (
    declare_thread_invariant,
    register_inplace_kernel,
    register_kernel,
)
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import _math_grad
from scopeflow.ops._op_builder import make_op
from scopeflow.ops.math_ops import _check_allowed, _scope, cast

_FLOAT = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)
_REAL = (*_FLOAT, dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8,
         dtypes.uint16, dtypes.uint32, dtypes.uint64)  # fmt: skip


def _activation(op_type: str, allowed: tuple[dtypes.DType, ...]) -> Callable[..., Tensor]:
    def op(features: Any, name: str | None = None) -> Tensor:
        scope = _scope(name, op_type)
        x = convert_to_tensor(features, name=scope + "features/")
        _check_allowed(x, allowed, "features")
        return make_op(op_type, (x,), {"T": x._dtype.base_dtype}, scope, x._dtype.base_dtype,
                       x._shape)  # fmt: skip

    op.__name__ = op_type.lower()
    op.__doc__ = (
        f"Elementwise ``{op_type}`` (``tf.nn.{op_type.lower()}``), an op named ``{op_type}``."
    )
    return op


relu = _activation("Relu", _REAL)
relu6 = _activation("Relu6", _REAL)
elu = _activation("Elu", _FLOAT)
selu = _activation("Selu", _FLOAT)
softplus = _activation("Softplus", _FLOAT)
softsign = _activation("Softsign", _FLOAT)


def leaky_relu(features: Any, alpha: float = 0.2, name: str | None = None) -> Tensor:
    """Leaky ReLU ``max(alpha * x, x)`` (``tf.nn.leaky_relu``).

    ``max(alpha * x, x)`` (``tf.nn.leaky_relu``), an op named ``LeakyRelu``; integer features
    are cast to float32 first, as TF does.
    """
    scope = _scope(name, "LeakyRelu")
    x = convert_to_tensor(features, name=scope + "features/")
    if x._dtype.is_integer:
        x = cast(x, dtypes.float32)
    _check_allowed(x, _FLOAT, "features")
    if isinstance(alpha, np.ndarray):
        alpha = alpha.item()
    return make_op("LeakyRelu", (x,), {"T": x._dtype.base_dtype, "alpha": float(alpha)}, scope,
                   x._dtype.base_dtype, x._shape)  # fmt: skip


def crelu(features: Any, name: str | None = None, axis: int = -1) -> Tensor:
    """Concatenated ReLU (``tf.nn.crelu``): ``relu(concat([x, -x], axis))``, named ``CRelu/Relu``.

    Differences from TensorFlow: the ``Neg``/``ConcatV2`` pair is one ``SfCReluConcat`` node named
    ``CRelu``; the result's name, shape and values are TF's.
    """
    scope = _scope(name, "CRelu")
    x = convert_to_tensor(features, name=scope + "features/")
    _check_allowed(x, _REAL, "features")
    g = get_default_graph()
    g._names.mark_used(scope + "Neg")
    g._names.mark_used(scope + "axis")
    shape = x._shape
    if shape.ndims is not None:
        if not -shape.ndims <= axis < shape.ndims:
            raise ValueError(f"axis {axis} is out of bounds for a tensor of rank {shape.ndims}")
        dims = shape.as_list()
        ax = axis % shape.ndims
        d = dims[ax]
        dims[ax] = None if d is None else 2 * d
        shape = TensorShape(dims)
    cat = make_op("SfCReluConcat", (x,), {"T": x._dtype.base_dtype, "axis": axis}, scope,
                  x._dtype.base_dtype, shape)  # fmt: skip
    return relu(cat, name=scope + "Relu/")


@register_kernel("SfCReluConcat")
def _crelu_concat_kernel(op: Any, session: Any) -> Any:
    axis = op._attrs["axis"]
    return lambda x: torch.cat([x, -x], dim=axis)


def _reserve(names: list[str]) -> None:
    g = get_default_graph()
    for n in names:
        g.unique_name(n)


def _softmax(op_type: str, logits: Any, axis: Any, name: str | None, dim: Any) -> Tensor:
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    if axis is None:
        axis = -1
    x = convert_to_tensor(logits)
    _check_allowed(x, _FLOAT, "logits")
    nd = x._shape.ndims
    if isinstance(axis, Tensor):
        from scopeflow.errors import UnsupportedError  # noqa: PLC0415

        raise UnsupportedError(f"tf.nn.{op_type.lower()} with a Tensor axis")
    axis = int(axis)
    if nd is not None and nd == 0:
        raise ValueError(f"Shape must be at least rank 1 but is rank 0 for '{{{{node {op_type}}}}} "
                         f"= {op_type}[T=DT_FLOAT]'")  # fmt: skip
    attrs = {"T": x._dtype.base_dtype, "axis": axis}
    if axis == -1 or (nd is not None and axis == nd - 1):
        attrs["axis"] = -1
        return make_op(op_type, (x,), attrs, _scope(name, op_type), x._dtype.base_dtype, x._shape)
    if nd is None:
        from scopeflow.errors import UnsupportedError  # noqa: PLC0415

        raise UnsupportedError(f"tf.nn.{op_type.lower()} on a non-last axis of unknown rank")
    if axis < -nd or axis >= nd:
        raise InvalidArgumentError(
            None, None,
            f"`dim` must be in the range [{-nd}, {nd}) where {nd} is the number of dimensions in "
            f"the input. Received: dim={axis}",
        )  # fmt: skip
    # TF transposes the axis last, applies the op and transposes back; the result is the last
    # transpose. Reserve the names TF's intermediate ops take so later names match.
    neg = axis < 0
    _reserve(["Rank", *(["add"] if neg else []), "Rank", *(["mod"] if neg else []), "Sub",
              "range", *(["add"] if neg else []), "range", "concat", "transpose"])  # fmt: skip
    _reserve([op_type])
    _reserve(["Sub", "range", *(["add"] if neg else []), "range", "concat"])
    attrs["axis"] = axis % nd
    return make_op(op_type, (x,), attrs, _scope(name, "transpose"), x._dtype.base_dtype,
                   x._shape)  # fmt: skip


def softmax(logits: Any, axis: Any = None, name: str | None = None, dim: Any = None) -> Tensor:
    """Softmax along ``axis`` (default last; ``dim`` is TF1's deprecated alias), op ``Softmax``.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.nn.softmax(tf.zeros([2, 3])).name)
    Softmax:0
    """
    return _softmax("Softmax", logits, axis, name, dim)


def log_softmax(logits: Any, axis: Any = None, name: str | None = None, dim: Any = None) -> Tensor:
    """Log-softmax along ``axis`` (``dim`` is TF1's deprecated alias), op ``LogSoftmax``."""
    return _softmax("LogSoftmax", logits, axis, name, dim)


def _simple(fn: Any) -> Any:
    return lambda op, session: fn


register_kernel("Relu")(_simple(torch.relu))
register_kernel("Relu6")(_simple(_math_grad.relu6))
declare_thread_invariant("Relu", "Relu6")  # elementwise (``interop``)
register_kernel("Elu")(_simple(F.elu))
register_kernel("Selu")(_simple(_math_grad.selu))
register_kernel("Softsign")(_simple(F.softsign))

# In-place variants for no-grad plans (``register_inplace_kernel``); ``Tanh`` and ``Sigmoid``
# (kernels in ``unary_ops``: ``torch.tanh``/``torch.sigmoid``) are the usual activations too.
register_inplace_kernel("Relu")(lambda op, session, index: torch.relu_)
register_inplace_kernel("Relu6")(lambda op, session, index: lambda x: x.clamp_(0, 6))
register_inplace_kernel("Elu")(lambda op, session, index: lambda x: F.elu(x, inplace=True))
register_inplace_kernel("Tanh")(lambda op, session, index: torch.tanh_)
register_inplace_kernel("Sigmoid")(lambda op, session, index: torch.sigmoid_)


@register_kernel("Softplus")
def _softplus_kernel(op: Any, session: Any) -> Any:
    # log(1 + exp(x)) without overflow; torch's default threshold (20) returns x beyond it, which
    # matches TF's float32 kernel to the last ulp for large x.
    return F.softplus


@register_kernel("LeakyRelu")
def _leaky_relu_kernel(op: Any, session: Any) -> Any:
    alpha = op._attrs["alpha"]
    if 0 <= alpha <= 1:
        return lambda x: F.leaky_relu(x, alpha)
    return lambda x: torch.where(x > 0, x, x * alpha)


@register_kernel("Softmax")
def _softmax_kernel(op: Any, session: Any) -> Any:
    axis = op._attrs["axis"]
    return lambda x: torch.softmax(x, axis)


@register_kernel("LogSoftmax")
def _log_softmax_kernel(op: Any, session: Any) -> Any:
    axis = op._attrs["axis"]
    return lambda x: torch.log_softmax(x, axis)


__all__ = [
    "crelu",
    "elu",
    "leaky_relu",
    "log_softmax",
    "relu",
    "relu6",
    "selu",
    "softmax",
    "softplus",
    "softsign",
]
