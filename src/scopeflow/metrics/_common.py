"""Pieces every TF1 metric shares: metric variables, shape alignment, weights, safe division.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.name_scope import name_scope
from scopeflow._core.variable_store import VariableAggregation, VariableSynchronization
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.graph.variables import Variable
from scopeflow.ops import array_ops, math_ops, shape_ops
from scopeflow.ops.div_no_nan_ops import div_no_nan


def metric_variable(shape: Any, dtype: Any, validate_shape: bool = True,
                    name: str | None = None) -> Variable:  # fmt: skip
    """A zero-initialized local variable in ``LOCAL_VARIABLES`` and ``METRIC_VARIABLES``."""
    return Variable(
        lambda: array_ops.zeros(shape, dtype),
        trainable=False,
        collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.METRIC_VARIABLES],
        validate_shape=validate_shape,
        synchronization=VariableSynchronization.ON_READ,
        aggregation=VariableAggregation.SUM,
        name=name,
    )


def _last_dim_is_one(t: Tensor) -> bool:
    dims = t._shape._dims
    return dims is not None and dims[-1].value in (None, 1)


def remove_squeezable_dimensions_pair(labels: Tensor, predictions: Tensor) -> tuple[Tensor, Tensor]:
    """TF's ``confusion_matrix.remove_squeezable_dimensions`` (static ranks)."""
    with name_scope(None, "remove_squeezable_dimensions", [labels, predictions]):
        predictions = convert_to_tensor(predictions)
        labels = convert_to_tensor(labels)
        p_rank = predictions._shape.ndims
        l_rank = labels._shape.ndims
        if p_rank is not None and l_rank is not None:
            diff = p_rank - l_rank
            if diff == 1 and _last_dim_is_one(predictions):
                predictions = shape_ops.squeeze(predictions, [-1])
            elif diff == -1 and _last_dim_is_one(labels):
                labels = shape_ops.squeeze(labels, [-1])
        return labels, predictions


def remove_squeezable_dimensions(
    predictions: Any, labels: Any, weights: Any
) -> tuple[Tensor, Tensor | None, Tensor | None]:
    """TF's ``metrics_impl._remove_squeezable_dimensions`` for statically known ranks."""
    predictions = convert_to_tensor(predictions)
    if labels is not None:
        labels, predictions = remove_squeezable_dimensions_pair(labels, predictions)
        predictions._shape.assert_is_compatible_with(labels._shape)
    if weights is None:
        return predictions, labels, None
    weights = convert_to_tensor(weights)
    w_rank = weights._shape.ndims
    if w_rank == 0:
        return predictions, labels, weights
    p_rank = predictions._shape.ndims
    if p_rank is not None and w_rank is not None:
        if w_rank - p_rank == 1:
            weights = shape_ops.squeeze(weights, [-1])
        elif p_rank - w_rank == 1:
            weights = shape_ops.expand_dims(weights, [-1])
    return predictions, labels, weights


def broadcast_weights(weights: Tensor, values: Tensor) -> Tensor:
    """TF's ``weights_broadcast_ops.broadcast_weights``: ``weights`` times ``ones_like(values)``.

    Differences from TensorFlow: TF also adds a run-time ``assert_broadcastable`` check; here a
    non-broadcastable pair fails at graph build (static shapes) or in the multiplication.
    """
    with name_scope(None, "broadcast_weights", (weights, values)) as scope:
        values = convert_to_tensor(values, name="values")
        weights = convert_to_tensor(weights, dtype=values._dtype.base_dtype, name="weights")
        ws, vs = weights._shape, values._shape
        if ws.is_fully_defined() and vs.is_fully_defined() and ws.is_compatible_with(vs):
            return weights
        return math_ops.multiply(weights, array_ops.ones_like(values), name=scope)


def safe_div(numerator: Any, denominator: Any, name: str) -> Tensor:
    """``div_no_nan(numerator, maximum(denominator, 0))`` as TF's metrics compute means."""
    return div_no_nan(numerator, math_ops.maximum(denominator, 0), name=name)


def add_to_collections(collections: Any, value: Any) -> None:
    """``ops.add_to_collections`` when ``collections`` is non-empty."""
    if collections:
        get_default_graph().add_to_collections(collections, value)


def as_float32(x: Any) -> Tensor:
    """``cast(x, float32)``."""
    return math_ops.cast(x, dtypes.float32)


__all__ = [
    "add_to_collections",
    "as_float32",
    "broadcast_weights",
    "metric_variable",
    "remove_squeezable_dimensions",
    "remove_squeezable_dimensions_pair",
    "safe_div",
]
