"""``tf.contrib.seq2seq.sequence_loss`` (TF 1.15's ``loss.py``) and its ``div_no_nan``.

Differences from TensorFlow: ``div_no_nan`` is built from ``Select`` and ``RealDiv`` (no
``DivNoNan`` op); values and gradients are TF's.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.array_ops import ones_like, reshape, shape, zeros_like
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.math_ops import cast, equal, not_equal, truediv
from scopeflow.ops.nn_loss_ops import sparse_softmax_cross_entropy_with_logits
from scopeflow.ops.reduction_ops import reduce_sum


def div_no_nan(x: Any, y: Any) -> Any:
    """``x / y``, and 0 where ``y == 0`` (gradients stay finite)."""
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype=x.dtype)
    zero = equal(y, 0.0)
    safe = where(zero, ones_like(y), y)
    return where(zero, zeros_like(x), truediv(x, safe))


def _count_nonzero(w: Any, axis: Any = None) -> Any:
    return reduce_sum(cast(not_equal(w, 0.0), dtypes.int64), axis=axis)


def sequence_loss(logits: Any, targets: Any, weights: Any, average_across_timesteps: bool = True,
                  average_across_batch: bool = True, sum_over_timesteps: bool = False,
                  sum_over_batch: bool = False, softmax_loss_function: Any = None,
                  name: str | None = None) -> Any:  # fmt: skip
    """Weighted cross-entropy of ``[batch, time, classes]`` logits (``tf.contrib.seq2seq``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.seq2seq import sequence_loss
    >>> loss = sequence_loss(tf.zeros([2, 3, 4]), tf.zeros([2, 3], tf.int32), tf.ones([2, 3]))
    >>> print(loss.shape)
    ()
    """
    logits = convert_to_tensor(logits)
    targets = convert_to_tensor(targets)
    weights = convert_to_tensor(weights)
    if logits.get_shape().ndims != 3:
        raise ValueError("Logits must be a [batch_size x sequence_length x logits] tensor")
    if targets.get_shape().ndims != 2:
        raise ValueError("Targets must be a [batch_size x sequence_length] tensor")
    if weights.get_shape().ndims != 2:
        raise ValueError("Weights must be a [batch_size x sequence_length] tensor")
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError(
            "average_across_timesteps and sum_over_timesteps cannot be set to True at same time."
        )
    if average_across_batch and sum_over_batch:
        raise ValueError(
            "average_across_batch and sum_over_batch cannot be set to True at same time."
        )
    with get_default_graph().name_scope(name or "sequence_loss"):
        num_classes = shape(logits)[2]
        logits_flat = reshape(logits, [-1, num_classes])
        targets = reshape(targets, [-1])
        if softmax_loss_function is None:
            crossent = sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits_flat)
        else:
            crossent = softmax_loss_function(labels=targets, logits=logits_flat)
        crossent *= reshape(weights, [-1])
        if average_across_timesteps and average_across_batch:
            crossent = div_no_nan(reduce_sum(crossent), reduce_sum(weights))
        elif sum_over_timesteps and sum_over_batch:
            total_count = cast(_count_nonzero(weights), dtypes.float32)
            crossent = div_no_nan(reduce_sum(crossent), total_count)
        else:
            crossent = reshape(crossent, shape(logits)[0:2])
            if average_across_timesteps or average_across_batch:
                axis = [0] if average_across_batch else [1]
                crossent = div_no_nan(reduce_sum(crossent, axis=axis),
                                      reduce_sum(weights, axis=axis))  # fmt: skip
            elif sum_over_timesteps or sum_over_batch:
                axis = [0] if sum_over_batch else [1]
                total_count = cast(_count_nonzero(weights, axis=axis), dtypes.float32)
                crossent = div_no_nan(reduce_sum(crossent, axis=axis), total_count)
        return crossent


__all__ = ["div_no_nan", "sequence_loss"]
