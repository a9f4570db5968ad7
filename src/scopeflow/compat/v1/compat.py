"""``tf.compat``: string helpers, Python type groups and ``tf.compat.v1``. Re-exports only.

``tf.compat.v1`` is this ``tf`` namespace itself, so ``tf.compat.v1.get_variable`` works after
``import scopeflow.compat.v1 as tf`` (and after ``import tensorflow as tf`` under
``scopeflow run``).
"""

from scopeflow._core.tensor_shape import dimension_value
from scopeflow.app.compat import (
    as_bytes,
    as_str,
    as_str_any,
    as_text,
    bytes_or_text_types,
    complex_types,
    integral_types,
    path_to_bytes,
    path_to_str,
    real_types,
)
from scopeflow.compat import v1

__all__ = [
    "as_bytes",
    "as_str",
    "as_str_any",
    "as_text",
    "bytes_or_text_types",
    "complex_types",
    "dimension_value",
    "integral_types",
    "path_to_bytes",
    "path_to_str",
    "real_types",
    "v1",
]
