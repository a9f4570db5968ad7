"""TF 1.15's ``tf.contrib.layers.adaptive_clipping_fn``: gradient clipping at an adaptive norm.

The clipping function keeps moving averages of ``log(global_norm + epsilon)`` and of its square
(non-trainable variables ``AdaptiveMaxNorm/mean`` and ``AdaptiveMaxNorm/sq_mean`` in the
caller's variable scope, updated every time the clipped gradients are computed). When the
global norm exceeds ``exp(mean + std_factor * std)`` every gradient is rescaled so that the
global norm becomes ``exp(mean)`` (section 3.2.1 of arXiv:1412.1602).

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.variable_scope import variable_scope
from scopeflow._core.variable_store import get_variable
from scopeflow.ops.array_ops import ones_like
from scopeflow.ops.clip_ops import global_norm
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.init_ops import zeros_initializer
from scopeflow.ops.math_ops import cast, less, maximum, minimum
from scopeflow.ops.sparse_ops import IndexedSlices
from scopeflow.ops.unary_ops import exp, log, sqrt, square
from scopeflow.train.moving_averages import assign_moving_average
from scopeflow.train.optimize_loss import _summary_module


def _adaptive_max_norm(
    norm: Any, std_factor: Any, decay: Any, global_step: Any, epsilon: float, name: str | None
) -> tuple[Any, Any]:
    """``(max_norm, mean of log norms)`` after updating the moving averages with ``norm``."""
    with variable_scope(name, "AdaptiveMaxNorm", [norm]):
        log_norm = log(norm + epsilon)

        def moving_average(var_name: str, value: Any, decay: Any) -> Any:
            average = get_variable(
                var_name,
                shape=value.get_shape(),
                dtype=value.dtype,
                initializer=zeros_initializer(),
                trainable=False,
            )
            return assign_moving_average(average, value, decay, zero_debias=False)

        if global_step is not None:  # adapt faster during the first steps
            n = cast(global_step, dtypes.float32)
            decay = minimum(decay, n / (n + 1.0))
        mean = moving_average("mean", log_norm, decay)
        sq_mean = moving_average("sq_mean", square(log_norm), decay)
        variance = sq_mean - square(mean)
        std = sqrt(maximum(epsilon, variance))
        return exp(mean + std_factor * std), mean


def adaptive_clipping_fn(
    std_factor: Any = 2.0,
    decay: Any = 0.95,
    static_max_norm: Any = None,
    global_step: Any = None,
    report_summary: bool = False,
    epsilon: float = 1e-8,
    name: str | None = None,
) -> Callable[[list[tuple[Any, Any]]], list[tuple[Any, Any]]]:
    """A ``clip_gradients`` function for ``optimize_loss`` that clips at an adaptive norm.

    Args:
        std_factor: ``max_norm = exp(mean + std_factor * std)`` of the log norms.
        decay: decay of the moving averages.
        static_max_norm: if given, the norm is also clipped to this value.
        global_step: if given, the decay is ``min(decay, n / (n + 1))`` at step ``n``.
        report_summary: add a scalar summary ``global_norm/adaptive_max_gradient_norm``.
        epsilon: added to the norm before the log, and the variance's lower bound.
        name: the variable scope of the averages (default ``AdaptiveMaxNorm``).

    Returns:
        A function from ``[(gradient, variable)]`` to the same with clipped gradients.

    >>> import scopeflow.compat.v1 as tf
    >>> g = tf.ones([2]) * 3.0
    >>> clipped = tf.contrib.layers.adaptive_clipping_fn()([(g, g)])
    >>> print([v.op.name for v in tf.global_variables()])
    ['AdaptiveMaxNorm/mean', 'AdaptiveMaxNorm/sq_mean']
    """

    def gradient_clipping(grads_and_vars: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
        grads, variables = zip(*grads_and_vars, strict=True)
        norm = global_norm(grads)
        max_norm, log_mean = _adaptive_max_norm(norm, std_factor, decay, global_step, epsilon, name)
        if report_summary:
            _summary_module().scalar("global_norm/adaptive_max_gradient_norm", max_norm)
        factor = where(less(norm, max_norm), ones_like(norm), exp(log_mean) / norm)
        if static_max_norm is not None:
            factor = minimum(static_max_norm / norm, factor)
        clipped: list[Any] = []
        for grad in grads:
            if grad is None:
                clipped.append(None)
            elif isinstance(grad, IndexedSlices):
                clipped.append(IndexedSlices(grad.values * factor, grad.indices, grad.dense_shape))
            else:
                clipped.append(grad * factor)
        return list(zip(clipped, variables, strict=True))

    return gradient_clipping


__all__ = ["adaptive_clipping_fn"]
