"""slim's weight regularizers.

slim's weight regularizers: ``l1_regularizer``, ``l2_regularizer``, ``l1_l2_regularizer``,
``sum_regularizer`` and ``apply_regularization`` (TF 1.15's ``contrib.layers`` ones).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.constant_op import constant
from scopeflow.ops.math_ops import multiply
from scopeflow.ops.matmul_ops import add_n
from scopeflow.ops.nn_loss_ops import l2_loss
from scopeflow.ops.reduction_ops import reduce_sum
from scopeflow.ops.unary_ops import abs as abs_

Regularizer = Callable[[Any], Any]


def _check_scale(scale: Any, what: str = "scale") -> bool:
    """Validate ``scale``; True when it is a Python 0 (the regularizer is disabled)."""
    if isinstance(scale, numbers.Integral):
        raise ValueError(f"{what} cannot be an integer: {scale}")
    if isinstance(scale, numbers.Real):
        if scale < 0.0:
            raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale:g}")
        return scale == 0.0
    return False


def l1_regularizer(scale: Any, scope: str | None = None) -> Regularizer:
    """``scale * reduce_sum(abs(weights))``, named ``l1_regularizer``.

    >>> import scopeflow.compat.v1 as tf
    >>> print(l1_regularizer(0.5)(tf.constant([1.0, -2.0])).name)
    l1_regularizer:0
    """
    if _check_scale(scale):
        return lambda _: None

    def l1(weights: Any, name: str | None = None) -> Any:
        with get_default_graph().name_scope(scope or "l1_regularizer") as ns:
            my_scale = convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return multiply(my_scale, reduce_sum(abs_(weights)), name=ns)

    return l1


def l2_regularizer(scale: Any, scope: str | None = None) -> Regularizer:
    """``scale * l2_loss(weights)`` (half the sum of squares), named ``l2_regularizer``.

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.Session() as sess:
    ...     print(sess.run(l2_regularizer(0.5)(tf.constant([1.0, 2.0]))))
    1.25
    """
    if _check_scale(scale):
        return lambda _: None

    def l2(weights: Any) -> Any:
        with get_default_graph().name_scope(scope or "l2_regularizer") as name:
            my_scale = convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return multiply(my_scale, l2_loss(weights), name=name)

    return l2


def l1_l2_regularizer(
    scale_l1: Any = 1.0, scale_l2: Any = 1.0, scope: str | None = None
) -> Regularizer:
    """The sum of an L1 and an L2 regularizer (just one of them when the other scale is 0)."""
    if isinstance(scale_l1, numbers.Integral):
        raise ValueError(f"scale_l1 cannot be an integer: {scale_l1}")
    if isinstance(scale_l2, numbers.Integral):
        raise ValueError(f"scale_l2 cannot be an integer: {scale_l2}")
    scope = scope or "l1_l2_regularizer"
    if scale_l1 == 0.0:
        return l2_regularizer(scale_l2, scope)
    if scale_l2 == 0.0:
        return l1_regularizer(scale_l1, scope)
    combined = sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)], scope=scope)
    assert combined is not None
    return combined


def sum_regularizer(regularizer_list: list[Any], scope: str | None = None) -> Regularizer | None:
    """The sum of several regularizers.

    A regularizer adding the (non-None) results of ``regularizer_list``, named
    ``sum_regularizer``; None when the list holds no regularizer.
    """
    regularizers = [reg for reg in regularizer_list if reg is not None]
    if not regularizers:
        return None

    def sum_reg(weights: Any) -> Any:
        with get_default_graph().name_scope(scope or "sum_regularizer") as name:
            tensors = [t for t in (reg(weights) for reg in regularizers) if t is not None]
            return add_n(tensors, name=name) if tensors else None

    return sum_reg


def apply_regularization(regularizer: Regularizer, weights_list: Any = None) -> Any:
    """The summed penalty of ``regularizer`` over a list of weights.

    The sum of ``regularizer`` over ``weights_list`` (default: the ``WEIGHTS`` collection),
    named ``get_regularization_penalty`` and added to ``REGULARIZATION_LOSSES``.
    """
    graph = get_default_graph()
    if not weights_list:
        weights_list = graph.get_collection(GraphKeys.WEIGHTS)
    if not weights_list:
        raise ValueError("No weights to regularize.")
    with graph.name_scope("get_regularization_penalty") as scope:
        penalties = [regularizer(w) for w in weights_list]
        penalties = [p if p is not None else constant(0.0) for p in penalties]
        for p in penalties:
            if p.get_shape().ndims != 0:
                raise ValueError(
                    f"regularizer must return a scalar Tensor instead of a Tensor "
                    f"with rank {p.get_shape().ndims}."
                )
        summed = add_n(penalties, name=scope)
        graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, summed)
        return summed


__all__ = [
    "apply_regularization",
    "l1_l2_regularizer",
    "l1_regularizer",
    "l2_regularizer",
    "sum_regularizer",
]
