"""TF1 ``tf.nn`` helpers built from other ops, as TF's Python builds them (op names included).

``relu_layer``, ``log_poisson_loss``, ``normalize_moments``, ``sufficient_statistics``,
``batch_norm_with_global_normalization`` and ``swish`` (TF's ``custom_gradient`` form, with
``beta``).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import math
from typing import Any

from scopeflow._core.name_scope import name_scope
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import unary_ops
from scopeflow.ops.activation_ops import relu
from scopeflow.ops.array_ops import ones_like, rank, shape, zeros_like
from scopeflow.ops.constant_op import constant
from scopeflow.ops.custom_gradient import custom_gradient
from scopeflow.ops.gather_scatter_ops import gather, where
from scopeflow.ops.math_ops import (
    add,
    cast,
    greater_equal,
    less_equal,
    logical_and,
    multiply,
    squared_difference,
    subtract,
)
from scopeflow.ops.matmul_ops import matmul
from scopeflow.ops.nn_ops import bias_add
from scopeflow.ops.normalization_ops import batch_normalization
from scopeflow.ops.reduction_ops import reduce_prod, reduce_sum


def _deprecated_lookup(new_name: str, new_value: Any, old_name: str, old_value: Any) -> Any:
    """TF's ``deprecated_argument_lookup``: the old argument wins; both raise."""
    if old_value is not None:
        if new_value is not None:
            raise ValueError(f"Cannot specify both '{old_name}' and '{new_name}'.")
        return old_value
    return new_value


def relu_layer(x: Any, weights: Any, biases: Any, name: str | None = None) -> Tensor:
    """``relu(matmul(x, weights) + biases)`` (``tf.nn.relu_layer``).

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.nn.relu_layer(tf.ones([2, 3]), tf.ones([3, 4]), tf.zeros([4]))
    >>> print(y.name, y.shape)
    relu_layer:0 (2, 4)
    """
    with name_scope(name, "relu_layer", [x, weights, biases]) as scope:
        x = convert_to_tensor(x, name="x")
        weights = convert_to_tensor(weights, name="weights")
        biases = convert_to_tensor(biases, name="biases")
        xw_plus_b = bias_add(matmul(x, weights), biases)
        return relu(xw_plus_b, name=scope)  # type: ignore[no-any-return]


def log_poisson_loss(targets: Any, log_input: Any, compute_full_loss: bool = False,
                     name: str | None = None) -> Tensor:  # fmt: skip
    """``exp(log_input) - log_input * targets`` (+ Stirling's term) (``tf.nn.log_poisson_loss``).

    Raises:
        ValueError: ``targets`` and ``log_input`` have incompatible shapes (TF's message).
    """
    with name_scope(name, "log_poisson_loss", [log_input, targets]):
        log_input = convert_to_tensor(log_input, name="log_input")
        targets = convert_to_tensor(targets, name="targets")
        if not targets._shape.is_compatible_with(log_input._shape):
            raise ValueError(
                "`log_input` and `targets` must have the same shape, received "
                f"({log_input._shape} vs {targets._shape})."
            )
        result = unary_ops.exp(log_input) - log_input * targets
        if compute_full_loss:
            point_five = constant(0.5, dtype=targets.dtype)
            two_pi = constant(2 * math.pi, dtype=targets.dtype)
            stirling = (
                (targets * unary_ops.log(targets))
                - targets
                + (point_five * unary_ops.log(two_pi * targets))
            )
            zeros = zeros_like(targets, dtype=targets.dtype)
            ones = ones_like(targets, dtype=targets.dtype)
            cond = logical_and(greater_equal(targets, zeros), less_equal(targets, ones))
            result += where(cond, zeros, stirling)
        return result  # type: ignore[no-any-return]


def normalize_moments(counts: Any, mean_ss: Any, variance_ss: Any, shift: Any,
                      name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """Mean and variance from sufficient statistics (``tf.nn.normalize_moments``)."""
    with name_scope(name, "normalize", [counts, mean_ss, variance_ss, shift]):
        divisor = unary_ops.reciprocal(counts, name="divisor")
        if shift is not None:
            shifted_mean = multiply(mean_ss, divisor, name="shifted_mean")
            mean = add(shifted_mean, shift, name="mean")
        else:
            shifted_mean = multiply(mean_ss, divisor, name="mean")
            mean = shifted_mean
        variance = subtract(
            multiply(variance_ss, divisor), unary_ops.square(shifted_mean), name="variance"
        )
    return mean, variance


def sufficient_statistics(
    x: Any,
    axes: Any,
    shift: Any = None,
    keep_dims: Any = None,
    name: str | None = None,
    keepdims: Any = None,
) -> tuple[Any, ...]:
    """``(count, mean_ss, var_ss, shift)`` over ``axes`` (``tf.nn.sufficient_statistics``).

    ``count`` is a constant when the reduced dimensions are known statically.
    """
    axes = list(set(axes))
    keep_dims = _deprecated_lookup("keepdims", keepdims, "keep_dims", keep_dims)
    if keep_dims is None:
        keep_dims = False
    with name_scope(name, "sufficient_statistics", [x, shift]):
        x = convert_to_tensor(x, name="x")
        xs = x._shape
        if xs.ndims is not None and all(xs.dims[d].value is not None for d in axes):
            n = 1
            for d in axes:
                n *= xs.dims[d].value
            counts: Any = constant(n, dtype=x.dtype)
        else:
            r = rank(x)
            positive = [a + r if a < 0 else a for a in axes]
            x_dims = gather(cast(shape(x), x.dtype), positive)
            counts = reduce_prod(x_dims, name="count")
        if shift is not None:
            shift = convert_to_tensor(shift, name="shift")
            m_ss = subtract(x, shift)
            v_ss = squared_difference(x, shift)
        else:
            m_ss = x
            v_ss = unary_ops.square(x)
        m_ss = reduce_sum(m_ss, axes, keepdims=keep_dims, name="mean_ss")
        v_ss = reduce_sum(v_ss, axes, keepdims=keep_dims, name="var_ss")
    return counts, m_ss, v_ss, shift


def batch_norm_with_global_normalization(
    t: Any = None,
    m: Any = None,
    v: Any = None,
    beta: Any = None,
    gamma: Any = None,
    variance_epsilon: Any = None,
    scale_after_normalization: Any = None,
    name: str | None = None,
    input: Any = None,
    mean: Any = None,
    variance: Any = None,
) -> Tensor:
    """TF 1's batch norm API, computed by ``tf.nn.batch_normalization`` as TF 2 does."""
    t = _deprecated_lookup("input", input, "t", t)
    m = _deprecated_lookup("mean", mean, "m", m)
    v = _deprecated_lookup("variance", variance, "v", v)
    return batch_normalization(  # type: ignore[no-any-return]
        t, m, v, beta, gamma if scale_after_normalization else None, variance_epsilon, name
    )


def swish(features: Any, beta: Any = 1.0) -> Tensor:
    """``features * sigmoid(beta * features)`` with TF's custom gradient (``tf.nn.swish``).

    Differences from TensorFlow: as for every ``tf.custom_gradient`` in scopeflow, the gradient
    function's ops are created with the forward ops (TF creates them when differentiating).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.nn.swish(tf.constant([1.0])).name)
    IdentityN:0
    """
    features = convert_to_tensor(features, name="features")
    beta = convert_to_tensor(beta, name="beta")
    beta = cast(beta, features.dtype)

    @custom_gradient
    def swish_impl(features: Any, beta: Any) -> Any:
        def grad(dy: Any) -> Any:
            with get_default_graph().control_dependencies([dy]):
                sigmoid_features = unary_ops.sigmoid(beta * features)
            activation_grad = sigmoid_features * (
                1.0 + (beta * features) * (1.0 - sigmoid_features)
            )
            beta_grad = reduce_sum(
                dy * unary_ops.square(features) * sigmoid_features * (1.0 - sigmoid_features)
            )
            return (dy * activation_grad, beta_grad)

        return features * unary_ops.sigmoid(beta * features), grad

    return swish_impl(features, beta)  # type: ignore[no-any-return]


__all__ = [
    "batch_norm_with_global_normalization",
    "log_poisson_loss",
    "normalize_moments",
    "relu_layer",
    "sufficient_statistics",
    "swish",
]
