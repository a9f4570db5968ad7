"""``tf.train`` learning-rate schedules: ``exponential_decay``, ``cosine_decay``...

Each function builds TF's ops for the decayed rate at ``global_step`` in its name scope
(``ExponentialDecay``, ``PiecewiseConstant``, ``PolynomialDecay``, ``InverseTimeDecay``,
``CosineDecay``, ``SGDRDecay``, ``LinearCosineDecay``, ``NoisyLinearCosineDecay``) and computes
in the dtype of ``learning_rate`` as TF does.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

import math
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.ops import math_ops, unary_ops
from scopeflow.ops.constant_op import constant
from scopeflow.ops.control_flow_ops import case, cond
from scopeflow.ops.gather_scatter_ops import where_v2
from scopeflow.ops.math_ops import cast
from scopeflow.ops.random_ops import random_normal

__all__ = [
    "cosine_decay",
    "cosine_decay_restarts",
    "exponential_decay",
    "inverse_time_decay",
    "linear_cosine_decay",
    "natural_exp_decay",
    "noisy_linear_cosine_decay",
    "piecewise_constant",
    "polynomial_decay",
]


def _require_step(global_step: Any, fn: str) -> None:
    if global_step is None:
        raise ValueError(f"global_step is required for {fn}.")


def _exponential(
    learning_rate: Any,
    global_step: Any,
    decay_steps: Any,
    decay_rate: Any,
    staircase: bool,
    name: str | None,
) -> Any:
    with name_scope(name or "ExponentialDecay") as scope:
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = lr.dtype
        steps = cast(decay_steps, dtype)
        rate = cast(decay_rate, dtype)
        p = cast(global_step, dtype) / steps
        if staircase:
            p = unary_ops.floor(p)
        return math_ops.multiply(lr, math_ops.pow(rate, p), name=scope)


def exponential_decay(
    learning_rate: Any,
    global_step: Any,
    decay_steps: Any,
    decay_rate: Any,
    staircase: bool = False,
    name: str | None = None,
) -> Any:
    """``learning_rate * decay_rate ** (global_step / decay_steps)`` (floored if ``staircase``).

    >>> import scopeflow.compat.v1 as tf
    >>> lr = tf.train.exponential_decay(0.1, 10, 10, 0.5)
    >>> print(lr.name, round(float(tf.Session().run(lr)), 4))
    ExponentialDecay:0 0.05
    """
    _require_step(global_step, "exponential_decay")
    return _exponential(learning_rate, global_step, decay_steps, decay_rate, staircase, name)


def natural_exp_decay(
    learning_rate: Any,
    global_step: Any,
    decay_steps: Any,
    decay_rate: Any,
    staircase: bool = False,
    name: str | None = None,
) -> Any:
    """``learning_rate * exp(-decay_rate * global_step / decay_steps)``.

    >>> import scopeflow.compat.v1 as tf
    >>> lr = tf.train.natural_exp_decay(0.1, 0, 10, 0.5)
    >>> print(round(float(tf.Session().run(lr)), 4))
    0.1
    """
    _require_step(global_step, "natural_exp_decay")
    rate = unary_ops.exp(unary_ops.negative(decay_rate))
    return _exponential(learning_rate, global_step, decay_steps, rate, staircase, name)


def piecewise_constant(x: Any, boundaries: Any, values: Any, name: str | None = None) -> Any:
    """``values[i]`` for ``boundaries[i-1] < x <= boundaries[i]``.

    Differences from TensorFlow: TF's ``case(exclusive=True)`` run-time check is omitted (the
    intervals are disjoint by construction).

    Raises:
        ValueError: ``len(values) != len(boundaries) + 1``, or mismatched dtypes.

    >>> import scopeflow.compat.v1 as tf
    >>> lr = tf.train.piecewise_constant(tf.constant(5), [3, 8], [1.0, 0.5, 0.1])
    >>> print(float(tf.Session().run(lr)))
    0.5
    """
    bs = [convert_to_tensor(b) for b in boundaries]
    vs = [convert_to_tensor(v) for v in values]
    x_t = convert_to_tensor(x)
    for i, b in enumerate(bs):
        if b.dtype.base_dtype != x_t.dtype.base_dtype:
            if b.dtype.base_dtype == dtypes.int32 and x_t.dtype.base_dtype == dtypes.int64:
                bs[i] = cast(b, x_t.dtype.base_dtype)
            else:
                raise ValueError(
                    f"Boundaries ({b.dtype.base_dtype}) must have the same dtype as x "
                    f"({x_t.dtype.base_dtype})."
                )
    for v in vs[1:]:
        if v.dtype.base_dtype != vs[0].dtype.base_dtype:
            raise ValueError(
                f"Values must have elements all with the same dtype ({vs[0].dtype.base_dtype} "
                f"vs {v.dtype.base_dtype})."
            )
    if len(boundaries) != len(values) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    with name_scope(name or "PiecewiseConstant"):
        pairs: list[tuple[Any, Any]] = [
            (x_t <= bs[0], lambda: vs[0]),
            (x_t > bs[-1], lambda: vs[-1]),
        ]
        for low, high, v in zip(bs[:-1], bs[1:], vs[1:-1], strict=True):
            pairs.append(((x_t > low) & (x_t <= high), lambda v=v: v))
        # The predicates are disjoint by construction, so TF's exclusivity check cannot fail.
        return case(pairs, lambda: vs[0], exclusive=False)


def polynomial_decay(
    learning_rate: Any,
    global_step: Any,
    decay_steps: Any,
    end_learning_rate: Any = 0.0001,
    power: Any = 1.0,
    cycle: bool = False,
    name: str | None = None,
) -> Any:
    """Polynomial decay from ``learning_rate`` to ``end_learning_rate`` over ``decay_steps``.

    With ``cycle``, ``decay_steps`` grows to the next multiple past ``global_step``.

    >>> import scopeflow.compat.v1 as tf
    >>> lr = tf.train.polynomial_decay(0.1, 5, 10, end_learning_rate=0.0)
    >>> print(round(float(tf.Session().run(lr)), 4))
    0.05
    """
    _require_step(global_step, "polynomial_decay")
    with name_scope(name or "PolynomialDecay") as scope:
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = lr.dtype
        end = cast(end_learning_rate, dtype)
        pw = cast(power, dtype)
        step = cast(global_step, dtype)
        steps = cast(decay_steps, dtype)
        if cycle:
            multiplier = where_v2(math_ops.equal(step, 0), 1.0, unary_ops.ceil(step / decay_steps))
            steps = math_ops.multiply(steps, multiplier)
        else:
            step = math_ops.minimum(step, steps)
        p = math_ops.divide(step, steps)
        return math_ops.add(math_ops.multiply(lr - end, math_ops.pow(1 - p, pw)), end, name=scope)


def inverse_time_decay(
    learning_rate: Any,
    global_step: Any,
    decay_steps: Any,
    decay_rate: Any,
    staircase: bool = False,
    name: str | None = None,
) -> Any:
    """``learning_rate / (1 + decay_rate * global_step / decay_steps)``.

    >>> import scopeflow.compat.v1 as tf
    >>> lr = tf.train.inverse_time_decay(0.1, 10, 10, 1.0)
    >>> print(round(float(tf.Session().run(lr)), 4))
    0.05
    """
    _require_step(global_step, "inverse_time_decay")
    with name_scope(name or "InverseTimeDecay") as scope:
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = lr.dtype
        steps = cast(decay_steps, dtype)
        rate = cast(decay_rate, dtype)
        p = cast(global_step, dtype) / steps
        if staircase:
            p = unary_ops.floor(p)
        one = cast(constant(1), dtype)
        denom = math_ops.add(one, math_ops.multiply(rate, p))
        return math_ops.divide(lr, denom, name=scope)


def _cos_pi(fraction: Any) -> Any:
    return 0.5 * (1.0 + unary_ops.cos(constant(math.pi) * fraction))


def cosine_decay(
    learning_rate: Any,
    global_step: Any,
    decay_steps: Any,
    alpha: Any = 0.0,
    name: str | None = None,
) -> Any:
    """Cosine decay to ``alpha * learning_rate`` over ``decay_steps``.

    >>> import scopeflow.compat.v1 as tf
    >>> lr = tf.train.cosine_decay(0.1, 5, 10)
    >>> print(round(float(tf.Session().run(lr)), 4))
    0.05
    """
    _require_step(global_step, "cosine_decay")
    with name_scope(name or "CosineDecay"):
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = lr.dtype
        steps = cast(decay_steps, dtype)
        step = math_ops.minimum(cast(global_step, dtype), steps)
        cosine_decayed = _cos_pi(step / steps)
        decayed = (1 - alpha) * cosine_decayed + alpha
        return math_ops.multiply(lr, decayed)


def cosine_decay_restarts(
    learning_rate: Any,
    global_step: Any,
    first_decay_steps: Any,
    t_mul: Any = 2.0,
    m_mul: Any = 1.0,
    alpha: Any = 0.0,
    name: str | None = None,
) -> Any:
    """Cosine decay with warm restarts (SGDR); periods grow by ``t_mul``, peaks by ``m_mul``.

    >>> import scopeflow.compat.v1 as tf
    >>> lr = tf.train.cosine_decay_restarts(0.1, 10, 10)
    >>> print(round(float(tf.Session().run(lr)), 4))
    0.1
    """
    _require_step(global_step, "cosine_decay_restarts")
    with name_scope(name or "SGDRDecay") as scope:
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = lr.dtype
        first = cast(first_decay_steps, dtype)
        alpha_t = cast(alpha, dtype)
        t_mul_t = cast(t_mul, dtype)
        m_mul_t = cast(m_mul, dtype)
        fraction = cast(global_step, dtype) / first

        def compute_step(completed: Any, geometric: bool) -> tuple[Any, Any]:
            if geometric:
                i_restart = unary_ops.floor(
                    unary_ops.log(1.0 - completed * (1.0 - t_mul_t)) / unary_ops.log(t_mul_t)
                )
                sum_r = (1.0 - t_mul_t**i_restart) / (1.0 - t_mul_t)
                completed = (completed - sum_r) / t_mul_t**i_restart
            else:
                i_restart = unary_ops.floor(completed)
                completed -= i_restart
            return i_restart, completed

        i_restart, fraction = cond(
            math_ops.equal(t_mul_t, 1.0),
            lambda: compute_step(fraction, geometric=False),
            lambda: compute_step(fraction, geometric=True),
        )
        m_fac = m_mul_t**i_restart
        cosine_decayed = 0.5 * m_fac * (1.0 + unary_ops.cos(constant(math.pi) * fraction))
        decayed = (1 - alpha_t) * cosine_decayed + alpha_t
        return math_ops.multiply(lr, decayed, name=scope)


def linear_cosine_decay(
    learning_rate: Any,
    global_step: Any,
    decay_steps: Any,
    num_periods: Any = 0.5,
    alpha: Any = 0.0,
    beta: Any = 0.001,
    name: str | None = None,
) -> Any:
    """Linear-cosine decay (Bello et al., 2017).

    >>> import scopeflow.compat.v1 as tf
    >>> lr = tf.train.linear_cosine_decay(0.1, 0, 10)
    >>> print(round(float(tf.Session().run(lr)), 4))
    0.1001
    """
    _require_step(global_step, "linear_cosine_decay")
    with name_scope(name or "LinearCosineDecay") as scope:
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = lr.dtype
        steps = cast(decay_steps, dtype)
        periods = cast(num_periods, dtype)
        alpha_t = cast(alpha, dtype)
        beta_t = cast(beta, dtype)
        step = math_ops.minimum(cast(global_step, dtype), steps)
        linear_decayed = (steps - step) / steps
        fraction = 2.0 * periods * (step / steps)
        decayed = (alpha_t + linear_decayed) * _cos_pi(fraction) + beta_t
        return math_ops.multiply(lr, decayed, name=scope)


def noisy_linear_cosine_decay(
    learning_rate: Any,
    global_step: Any,
    decay_steps: Any,
    initial_variance: Any = 1.0,
    variance_decay: Any = 0.55,
    num_periods: Any = 0.5,
    alpha: Any = 0.0,
    beta: Any = 0.001,
    name: str | None = None,
) -> Any:
    """Linear-cosine decay with Gaussian noise of decaying variance on the linear part.

    >>> import scopeflow.compat.v1 as tf
    >>> lr = tf.train.noisy_linear_cosine_decay(0.1, 0, 10)
    >>> print(lr.name)
    NoisyLinearCosineDecay:0
    """
    _require_step(global_step, "noisy_linear_cosine_decay")
    with name_scope(name or "NoisyLinearCosineDecay") as scope:
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = lr.dtype
        steps = cast(decay_steps, dtype)
        var0 = cast(initial_variance, dtype)
        var_decay = cast(variance_decay, dtype)
        periods = cast(num_periods, dtype)
        alpha_t = cast(alpha, dtype)
        beta_t = cast(beta, dtype)
        step = math_ops.minimum(cast(global_step, dtype), steps)
        linear_decayed = (steps - step) / steps
        variance = var0 / math_ops.pow(1.0 + step, var_decay)
        std = unary_ops.sqrt(variance)
        noisy = linear_decayed + random_normal(linear_decayed.shape, stddev=std)
        fraction = 2.0 * periods * (step / steps)
        decayed = (alpha_t + noisy) * _cos_pi(fraction) + beta_t
        return math_ops.multiply(lr, decayed, name=scope)
