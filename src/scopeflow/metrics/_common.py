"""Pieces every TF1 metric shares: metric variables, shape alignment, weights, safe division.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.name_scope import name_scope
from scopeflow._core.variable_store import VariableAggregation, VariableSynchronization
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.graph.variables import Variable
from scopeflow.ops import array_ops, math_ops, reduction_ops, shape_ops
from scopeflow.ops.control_flow_ops import cond
from scopeflow.ops.logging_ops import Assert
from scopeflow.ops.math_ops import div_no_nan


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


def _last_dim_may_be_one(t: Tensor) -> bool:
    dims = t._shape._dims
    return dims is None or dims[-1].value in (None, 1)


def remove_squeezable_dimensions_pair(labels: Any, predictions: Any) -> tuple[Tensor, Tensor]:
    """TF's ``confusion_matrix.remove_squeezable_dimensions``.

    Squeezes a trailing 1 off the operand whose rank is one more (a ``cond`` on the run-time
    ranks when they are unknown).
    """
    with name_scope(None, "remove_squeezable_dimensions", [labels, predictions]):
        predictions = convert_to_tensor(predictions)
        labels = convert_to_tensor(labels)
        p_rank = predictions._shape.ndims
        l_rank = labels._shape.ndims
        if p_rank is not None and l_rank is not None:
            diff = p_rank - l_rank
            if diff == 1 and _last_dim_may_be_one(predictions):
                predictions = shape_ops.squeeze(predictions, [-1])
            elif diff == -1 and _last_dim_may_be_one(labels):
                labels = shape_ops.squeeze(labels, [-1])
            return labels, predictions
        rank_diff = math_ops.subtract(array_ops.rank(predictions), array_ops.rank(labels))
        if _last_dim_may_be_one(predictions):
            p = predictions
            predictions = cond(
                math_ops.equal(1, rank_diff), lambda: shape_ops.squeeze(p, [-1]), lambda: p
            )
        if _last_dim_may_be_one(labels):
            lab = labels
            labels = cond(
                math_ops.equal(-1, rank_diff), lambda: shape_ops.squeeze(lab, [-1]), lambda: lab
            )
        return labels, predictions


def remove_squeezable_dimensions(
    predictions: Any, labels: Any, weights: Any
) -> tuple[Tensor, Tensor | None, Tensor | None]:
    """TF's ``metrics_impl._remove_squeezable_dimensions`` (static ranks, else ``cond``s)."""
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
    w = weights
    w_rank_t = array_ops.rank(w)
    rank_diff = math_ops.subtract(w_rank_t, array_ops.rank(predictions))

    def maybe_expand() -> Any:
        return cond(math_ops.equal(rank_diff, -1), lambda: shape_ops.expand_dims(w, [-1]),
                    lambda: w)  # fmt: skip

    if w_rank is not None and not _last_dim_may_be_one(w):
        maybe_squeeze = lambda: w  # noqa: E731
    else:
        maybe_squeeze = lambda: shape_ops.squeeze(w, [-1])  # noqa: E731

    def maybe_adjust() -> Any:
        return cond(math_ops.equal(rank_diff, 1), maybe_squeeze, maybe_expand)

    weights = cond(math_ops.equal(w_rank_t, 0), lambda: w, maybe_adjust)
    return predictions, labels, weights


_BROADCAST_ERROR = "weights can not be broadcast to values."


def _assert_broadcastable(weights: Tensor, values: Tensor) -> Any:
    """TF's ``weights_broadcast_ops.assert_broadcastable``.

    Raises ValueError when the static shapes prove ``weights`` cannot broadcast to ``values``;
    returns an ``Assert`` op when only the run-time shapes can tell, else None.
    """
    with name_scope(None, "assert_broadcastable", (weights, values)) as scope:
        with name_scope(None, "weights", (weights,)):
            weights_shape = array_ops.shape(weights, name="shape")
            weights_rank = array_ops.rank(weights, name="rank")
        with name_scope(None, "values", (values,)):
            values_shape = array_ops.shape(values, name="shape")
            values_rank = array_ops.rank(values, name="rank")
        w_rank, v_rank = weights._shape.ndims, values._shape.ndims
        if w_rank is not None and v_rank is not None:
            if w_rank == 0:
                return None
            if w_rank != v_rank:
                raise ValueError(
                    f"{_BROADCAST_ERROR} values.rank={v_rank}. weights.rank={w_rank}. "
                    f"values.shape={values._shape}. weights.shape={weights._shape}. "
                    f"Received weights={weights}, values={values}"
                )
            if weights._shape.is_fully_defined() and values._shape.is_fully_defined():
                # TF prints the constant-folded shape tensors (NumPy arrays: "[1 2]")
                w_dims = np.array(weights._shape.as_list(), np.int32)
                v_dims = np.array(values._shape.as_list(), np.int32)
                for i in range(v_rank):
                    if w_dims[i] not in (1, v_dims[i]):
                        raise ValueError(
                            f"{_BROADCAST_ERROR} Mismatch at dim {i}. values.shape={v_dims}, "
                            f"weights.shape={w_dims}. Received weights={weights}, "
                            f"values={values}"
                        )
                return None
        is_scalar = math_ops.equal(0, weights_rank, name="is_scalar")
        data = (_BROADCAST_ERROR, "weights.shape=", weights.name, weights_shape,
                "values.shape=", values.name, values_shape, "is_scalar=", is_scalar)  # fmt: skip

        def valid_dims() -> Tensor:
            ok = math_ops.logical_or(
                math_ops.equal(weights_shape, 1), math_ops.equal(weights_shape, values_shape)
            )
            return reduction_ops.reduce_all(ok)

        def valid_nonscalar() -> Any:
            same_rank = math_ops.equal(values_rank, weights_rank, name="is_same_rank")
            return cond(same_rank, valid_dims, lambda: same_rank)

        is_valid = cond(is_scalar, lambda: is_scalar, valid_nonscalar, name="is_valid_shape")
        return Assert(is_valid, data, name=scope)


def broadcast_weights(weights: Tensor, values: Tensor) -> Tensor:
    """TF's ``weights_broadcast_ops.broadcast_weights``: ``weights`` times ``ones_like(values)``.

    First TF's check that ``weights`` can be broadcast to ``values`` (static, else ``Assert``).
    """
    with name_scope(None, "broadcast_weights", (weights, values)) as scope:
        values = convert_to_tensor(values, name="values")
        weights = convert_to_tensor(weights, dtype=values._dtype.base_dtype, name="weights")
        ws, vs = weights._shape, values._shape
        if ws.is_fully_defined() and vs.is_fully_defined() and ws.is_compatible_with(vs):
            return weights
        check = _assert_broadcastable(weights, values)
        with get_default_graph().control_dependencies([check] if check is not None else []):
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
