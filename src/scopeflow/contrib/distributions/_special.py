"""TF 1.15's ``special_math``: ``ndtr`` and ``log_ndtr`` (the asymptotic series in the far tail).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import math
from typing import Any

from scopeflow._core import dtypes
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.math_ops import less, maximum, minimum
from scopeflow.ops.unary_ops import abs as abs_op
from scopeflow.ops.unary_ops import erf, erfc, log, square

_LOGNDTR_FLOAT64_LOWER, _LOGNDTR_FLOAT32_LOWER = -20.0, -10.0
_LOGNDTR_FLOAT64_UPPER, _LOGNDTR_FLOAT32_UPPER = 8.0, 5.0


def ndtr(x: Any, name: str = "ndtr") -> Any:
    """The standard normal CDF (TF's ``erf``/``erfc`` split at ``|x| = 1/sqrt(2)``)."""
    with get_default_graph().name_scope(name):
        x = convert_to_tensor(x, name="x")
        half_sqrt_2 = convert_to_tensor(0.5 * math.sqrt(2.0), dtype=x.dtype, name="half_sqrt_2")
        w = x * half_sqrt_2
        z = abs_op(w)
        y = where(less(z, half_sqrt_2), 1.0 + erf(w), where(w > 0.0, 2.0 - erfc(z), erfc(z)))
        return 0.5 * y


def _double_factorial(n: int) -> float:
    out = 1.0
    while n > 1:
        out *= n
        n -= 2
    return out


def _log_ndtr_lower(x: Any, series_order: int) -> Any:
    x_2 = square(x)
    log_scale = -0.5 * x_2 - log(-x) - 0.5 * math.log(2.0 * math.pi)
    even_sum: Any = 0.0
    odd_sum: Any = 0.0
    x_2n = x_2
    for n in range(1, series_order + 1):
        y = _double_factorial(2 * n - 1) / x_2n
        if n % 2:
            odd_sum += y
        else:
            even_sum += y
        x_2n = x_2n * x_2
    return log_scale + log(1.0 + even_sum - odd_sum)


def log_ndtr(x: Any, series_order: int = 3, name: str = "log_ndtr") -> Any:
    """``log(ndtr(x))``, accurate in both tails (TF's three segments)."""
    with get_default_graph().name_scope(name):
        x = convert_to_tensor(x, name="x")
        if x.dtype.base_dtype == dtypes.float64:
            lower, upper = _LOGNDTR_FLOAT64_LOWER, _LOGNDTR_FLOAT64_UPPER
        else:
            lower, upper = _LOGNDTR_FLOAT32_LOWER, _LOGNDTR_FLOAT32_UPPER
        return where(
            x > upper,
            -ndtr(-x),
            where(x > lower, log(ndtr(maximum(x, lower))), _log_ndtr_lower(minimum(x, lower),
                                                                         series_order)),
        )  # fmt: skip
