"""``classifier_parse_example_spec`` and ``regressor_parse_example_spec`` (TF 1.15).

The ``tf.parse_example`` spec of a canned estimator's features plus its label (and weight)
feature: ``make_parse_example_spec(feature_columns)`` with ``label_key`` as a
``FixedLenFeature`` of ``[1]`` (classifier, ``int64``) or ``[label_dimension]`` (regressor,
``float32``), and the weight column's own spec.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow.feature_column._dense import NumericColumn, numeric_column
from scopeflow.feature_column._models import make_parse_example_spec
from scopeflow.ops.parsing_ops import FixedLenFeature


def _add_label_and_weight(
    spec: dict[str, Any], label_key: str, label_spec: Any, weight_column: Any
) -> dict[str, Any]:
    if label_key in spec:
        raise ValueError(
            f"label should not be used as feature. label_key: {label_key}, features: {spec.keys()}"
        )
    spec[label_key] = label_spec
    if weight_column is None:
        return spec
    if isinstance(weight_column, str):
        weight_column = numeric_column(weight_column)
    if not isinstance(weight_column, NumericColumn):
        raise ValueError(
            "weight_column should be an instance of tf.feature_column.numeric_column. "
            f"Given type: {type(weight_column)} value: {weight_column}"
        )
    if weight_column.key in spec:
        raise ValueError(
            f"weight_column should not be used as feature. weight_column: "
            f"{weight_column.key}, features: {spec.keys()}"
        )
    spec.update(weight_column._parse_example_spec)
    return spec


def classifier_parse_example_spec(
    feature_columns: Any,
    label_key: str,
    label_dtype: Any = dtypes.int64,
    label_default: Any = None,
    weight_column: Any = None,
) -> dict[str, Any]:
    """The parsing spec of a canned classifier's features, label and weight.

    >>> import scopeflow.compat.v1 as tf
    >>> spec = tf.estimator.classifier_parse_example_spec(
    ...     [tf.feature_column.numeric_column("x")], label_key="y")
    >>> print(sorted(spec), spec["y"].shape, spec["y"].dtype.name)
    ['x', 'y'] (1,) int64
    """
    spec = make_parse_example_spec(feature_columns)
    label_spec = FixedLenFeature((1,), label_dtype, label_default)
    return _add_label_and_weight(spec, label_key, label_spec, weight_column)


def regressor_parse_example_spec(
    feature_columns: Any,
    label_key: str,
    label_dtype: Any = dtypes.float32,
    label_default: Any = None,
    label_dimension: int = 1,
    weight_column: Any = None,
) -> dict[str, Any]:
    """The parsing spec of a canned regressor's features, label and weight.

    >>> import scopeflow.compat.v1 as tf
    >>> spec = tf.estimator.regressor_parse_example_spec(
    ...     [tf.feature_column.numeric_column("x")], label_key="y", label_dimension=2)
    >>> print(sorted(spec), spec["y"].shape, spec["y"].dtype.name)
    ['x', 'y'] (2,) float32
    """
    spec = make_parse_example_spec(feature_columns)
    label_spec = FixedLenFeature((label_dimension,), label_dtype, label_default)
    return _add_label_and_weight(spec, label_key, label_spec, weight_column)
