"""Top-level ``tf.*`` names of the control op family (re-exports only).

Each op family has its own export module so that families can grow independently; the ``tf``
namespace (``compat/v1/__init__.py``) star-imports all of them.
"""

# --- check_ops2 (checkops) ---
from scopeflow.ops.check_ops import (
    assert_equal,
    assert_greater,
    assert_greater_equal,
    assert_integer,
    assert_less,
    assert_less_equal,
    assert_near,
    assert_negative,
    assert_non_negative,
    assert_non_positive,
    assert_none_equal,
    assert_positive,
    assert_proper_iterable,
    assert_rank,
    assert_rank_at_least,
    assert_rank_in,
    assert_same_float_dtype,
    assert_scalar,
    assert_type,
    is_non_decreasing,
    is_numeric_tensor,
    is_strictly_increasing,
)

# --- end check_ops2 ---
from scopeflow.ops.control_flow_ops import case, cond, tuple, while_loop
from scopeflow.ops.custom_gradient import custom_gradient
from scopeflow.ops.functional_ops import foldl, foldr, map_fn, scan
from scopeflow.ops.gradients_impl import (
    AggregationMethod,
    UnconnectedGradients,
    gradients,
    hessians,
    stop_gradient,
)
from scopeflow.ops.logging_ops import Assert, Print
from scopeflow.ops.logging_ops import print_v2 as print
from scopeflow.ops.numerics import (
    add_check_numerics_ops,
    check_numerics,
    verify_tensor_all_finite,
)
from scopeflow.ops.random_ops import multinomial, random_crop, random_shuffle
from scopeflow.ops.script_ops import numpy_function, py_func
from scopeflow.ops.tensor_array_ops import TensorArray

__all__ = [
    "AggregationMethod",
    "Assert",
    "Print",
    "TensorArray",
    "UnconnectedGradients",
    "assert_equal",
    "assert_greater",
    "assert_greater_equal",
    "assert_less",
    "assert_less_equal",
    "assert_negative",
    "assert_non_negative",
    "assert_non_positive",
    "assert_none_equal",
    "assert_positive",
    "case",
    "cond",
    "custom_gradient",
    "foldl",
    "foldr",
    "gradients",
    "hessians",
    "map_fn",
    "multinomial",
    "numpy_function",
    "print",
    "py_func",
    "random_crop",
    "random_shuffle",
    "scan",
    "stop_gradient",
    "tuple",
    "while_loop",
    "add_check_numerics_ops",
    "check_numerics",
    "verify_tensor_all_finite",
    # --- check_ops2 (checkops) ---
    "assert_integer",
    "assert_near",
    "assert_proper_iterable",
    "assert_rank",
    "assert_rank_at_least",
    "assert_rank_in",
    "assert_same_float_dtype",
    "assert_scalar",
    "assert_type",
    "is_non_decreasing",
    "is_numeric_tensor",
    "is_strictly_increasing",
    # --- end check_ops2 ---
]
