"""slim's initializers.

slim's initializers: ``xavier_initializer`` (Glorot) and ``variance_scaling_initializer``
(TF 1.15's ``contrib.layers`` functions; their random ops are TF's, so seeded values are too).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow.ops import random_ops

Initializer = Callable[..., Any]


def xavier_initializer(
    uniform: bool = True, seed: int | None = None, dtype: Any = dtypes.float32
) -> Initializer:
    """Glorot initialisation: ``variance_scaling_initializer(1.0, "FAN_AVG", uniform)``.

    >>> import scopeflow.compat.v1 as tf
    >>> w = tf.get_variable("w", [4, 3], initializer=xavier_initializer())
    >>> w.initializer.inputs[1].op.name
    'w/Initializer/random_uniform'
    """
    return variance_scaling_initializer(
        factor=1.0, mode="FAN_AVG", uniform=uniform, seed=seed, dtype=dtype
    )


xavier_initializer_conv2d = xavier_initializer


def variance_scaling_initializer(
    factor: float = 2.0,
    mode: str = "FAN_IN",
    uniform: bool = False,
    seed: int | None = None,
    dtype: Any = dtypes.float32,
) -> Initializer:
    """An initializer with variance ``factor / n``, ``n`` the fan-in, fan-out or their mean.

    Uniform: U(±sqrt(3·factor/n)); otherwise a truncated normal of stddev sqrt(1.3·factor/n).
    Fans are slim's: ``fan_in = shape[-2]·prod(shape[:-2])``, ``fan_out = shape[-1]·prod(...)``.
    """
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise TypeError("Cannot create initializer for non-floating point type.")
    if mode not in ("FAN_IN", "FAN_OUT", "FAN_AVG"):
        raise TypeError(f"Unknown mode {mode} [FAN_IN, FAN_OUT, FAN_AVG]")

    def _initializer(shape: Any, dtype: Any = dtype, partition_info: Any = None) -> Any:
        dtype = dtypes.as_dtype(dtype)
        if not dtype.is_floating:
            raise TypeError("Cannot create initializer for non-floating point type.")
        shape = [int(d) for d in shape]
        if shape:
            fan_in = float(shape[-2]) if len(shape) > 1 else float(shape[-1])
            fan_out = float(shape[-1])
        else:
            fan_in = fan_out = 1.0
        for dim in shape[:-2]:
            fan_in *= float(dim)
            fan_out *= float(dim)
        n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2.0}[mode]
        if uniform:
            limit = math.sqrt(3.0 * factor / n)
            return random_ops.random_uniform(shape, -limit, limit, dtype, seed=seed)
        trunc_stddev = math.sqrt(1.3 * factor / n)
        return random_ops.truncated_normal(shape, 0.0, trunc_stddev, dtype, seed=seed)

    return _initializer


__all__ = ["variance_scaling_initializer", "xavier_initializer", "xavier_initializer_conv2d"]
