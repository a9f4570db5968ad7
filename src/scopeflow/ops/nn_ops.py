"""The ``tf.nn`` op family.

The ``tf.nn`` op family: ``bias_add`` and ``xw_plus_b`` here, and one import point for the
family's concept modules (``conv_ops``, ``pooling_ops``, ``activation_ops``, ``nn_loss_ops``,
``normalization_ops``, ``dropout_ops``, ``embedding_ops``, ``topk_ops``).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph.op_registry import (
    declare_thread_invariant,
    register_inplace_kernel,
    register_kernel,
)
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import conv_fusions as _conv_fusions  # noqa: F401 (registers fusions)
from scopeflow.ops._op_builder import make_op
from scopeflow.ops.activation_ops import (
    crelu,
    elu,
    leaky_relu,
    log_softmax,
    relu,
    relu6,
    selu,
    softmax,
    softplus,
    softsign,
)
from scopeflow.ops.conv_ops import (
    atrous_conv2d,
    conv1d,
    conv2d,
    conv2d_transpose,
    conv3d,
    conv3d_transpose,
    convolution,
    depthwise_conv2d,
    depthwise_conv2d_native,
    separable_conv2d,
)
from scopeflow.ops.dropout_ops import dropout
from scopeflow.ops.embedding_ops import embedding_lookup
from scopeflow.ops.math_ops import _convert_pair, _scope
from scopeflow.ops.nn_loss_ops import (
    l2_loss,
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_v2,
    sparse_softmax_cross_entropy_with_logits,
    weighted_cross_entropy_with_logits,
)
from scopeflow.ops.normalization_ops import (
    batch_normalization,
    fused_batch_norm,
    l2_normalize,
    moments,
    weighted_moments,
)
from scopeflow.ops.pooling_ops import (
    avg_pool,
    avg_pool2d,
    avg_pool3d,
    max_pool,
    max_pool2d,
    max_pool3d,
    pool,
)
from scopeflow.ops.reduction_ops import top_k
from scopeflow.ops.topk_ops import in_top_k


def bias_add(value: Any, bias: Any, data_format: str | None = None, name: str | None = None
             ) -> Tensor:  # fmt: skip
    """Adds a 1-D ``bias`` along the channel dimension (``tf.nn.bias_add``), op ``BiasAdd``.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.nn.bias_add(tf.zeros([2, 3]), tf.zeros([3])).name)
    BiasAdd:0
    """
    scope = _scope(name, "BiasAdd")
    x, b = _convert_pair(value, bias, "BiasAdd", scope)
    df = data_format or "NHWC"
    if df not in ("NHWC", "NCHW", "N..C", "NC.."):
        raise ValueError(f"Invalid data_format: {data_format}")
    if b._shape.ndims is not None and b._shape.ndims != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {b._shape.ndims}")
    if x._shape.ndims is not None and x._shape.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {x._shape.ndims}")
    out = x._shape
    if x._shape.ndims is not None and b._shape.ndims == 1:
        c_ax = -1 if df in ("NHWC", "N..C") else 1
        dims = x._shape.as_list()
        bc = b._shape.as_list()[0]
        if dims[c_ax] is not None and bc is not None and dims[c_ax] != bc:
            raise ValueError(
                f"Dimensions must be equal, but are {dims[c_ax]} and {bc} for "
                f'\'{{{{node {scope[:-1]}}}}} = BiasAdd[T=DT_FLOAT, data_format="{df}"]'
                f"({_input_name(x)}, {_input_name(b)})' "
                f"with input shapes: {_sl(x._shape)}, [{bc}]."
            )
        if dims[c_ax] is None:
            dims[c_ax] = bc
        out = TensorShape(dims)
    return make_op("BiasAdd", (x, b), {"T": x._dtype.base_dtype, "data_format": df}, scope,
                   x._dtype.base_dtype, out)  # fmt: skip


def _input_name(t: Tensor) -> str:
    return t._op.name if t._value_index == 0 else f"{t._op.name}:{t._value_index}"


def _sl(s: TensorShape) -> str:
    return "[" + ",".join("?" if d is None else str(d) for d in s.as_list()) + "]"


declare_thread_invariant("BiasAdd")  # elementwise (``interop``)


@register_kernel("BiasAdd")
def _bias_add_kernel(op: Any, session: Any) -> Any:
    if op._attrs["data_format"] in ("NHWC", "N..C"):
        return torch.add

    def kernel(x: Any, b: Any) -> Any:
        return x + b.reshape(-1, *([1] * (x.dim() - 2)))

    return kernel


@register_inplace_kernel("BiasAdd")
def _bias_add_inplace(op: Any, session: Any, index: int) -> Any:
    if index != 0:
        return None
    if op._attrs["data_format"] in ("NHWC", "N..C"):
        return torch.Tensor.add_

    def kernel(x: Any, b: Any) -> Any:
        return x.add_(b.reshape(-1, *([1] * (x.dim() - 2))))

    return kernel


def xw_plus_b(x: Any, weights: Any, biases: Any, name: str | None = None) -> Tensor:
    """``matmul(x, weights) + biases`` (``tf.nn.xw_plus_b``).

    ``matmul(x, weights) + biases`` (``tf.nn.xw_plus_b``): a ``MatMul`` named
    ``xw_plus_b/MatMul`` and a ``BiasAdd`` named ``xw_plus_b``.
    """
    from scopeflow.ops.matmul_ops import matmul  # noqa: PLC0415

    scope = _scope(name, "xw_plus_b")
    mm = matmul(x, weights, name=scope + "MatMul/")
    return bias_add(mm, biases, name=scope)


__all__ = [
    "atrous_conv2d",
    "avg_pool",
    "avg_pool2d",
    "avg_pool3d",
    "batch_normalization",
    "bias_add",
    "conv1d",
    "conv2d",
    "conv2d_transpose",
    "conv3d",
    "conv3d_transpose",
    "convolution",
    "crelu",
    "depthwise_conv2d",
    "depthwise_conv2d_native",
    "dropout",
    "elu",
    "embedding_lookup",
    "fused_batch_norm",
    "in_top_k",
    "l2_loss",
    "l2_normalize",
    "leaky_relu",
    "log_softmax",
    "max_pool",
    "max_pool2d",
    "max_pool3d",
    "moments",
    "weighted_moments",
    "pool",
    "relu",
    "relu6",
    "selu",
    "separable_conv2d",
    "sigmoid_cross_entropy_with_logits",
    "softmax",
    "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2",
    "softplus",
    "softsign",
    "sparse_softmax_cross_entropy_with_logits",
    "top_k",
    "weighted_cross_entropy_with_logits",
    "xw_plus_b",
]
