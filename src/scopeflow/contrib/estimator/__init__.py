"""``tf.contrib.estimator``'s canned heads (TF 1.15): for ``DNNEstimator``, ``LinearEstimator``...

``regression_head``, ``binary_classification_head`` and ``multi_class_head`` build the canned
heads of ``scopeflow.estimator.canned`` with the contrib defaults (``loss_reduction`` is
``SUM_OVER_BATCH_SIZE``); a ``name`` suffixes the metric and summary keys (``loss/<name>``) as
TF does.

Differences from TensorFlow: ``loss_fn``, ``inverse_link_fn`` and ``thresholds`` raise
``UnsupportedError``; the other contrib heads and estimators are not built.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.errors import UnsupportedError
from scopeflow.estimator.canned._head import BinaryLogisticHead, MultiClassHead, RegressionHead
from scopeflow.losses._losses_impl import Reduction


def _unsupported(**kwargs: Any) -> None:
    for arg, value in kwargs.items():
        if value is not None:
            raise UnsupportedError(f"tf.contrib.estimator heads' {arg}")


def regression_head(
    weight_column: Any = None,
    label_dimension: int = 1,
    loss_reduction: str = Reduction.SUM_OVER_BATCH_SIZE,
    loss_fn: Any = None,
    inverse_link_fn: Any = None,
    name: str | None = None,
) -> RegressionHead:
    """A mean-squared-error regression head (``tf.contrib.estimator.regression_head``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.contrib.estimator.regression_head(label_dimension=2).logits_dimension)
    2
    """
    _unsupported(loss_fn=loss_fn, inverse_link_fn=inverse_link_fn)
    return RegressionHead(
        label_dimension=label_dimension,
        weight_column=weight_column,
        loss_reduction=loss_reduction,
        name=name,
    )


def binary_classification_head(
    weight_column: Any = None,
    thresholds: Any = None,
    label_vocabulary: Any = None,
    loss_reduction: str = Reduction.SUM_OVER_BATCH_SIZE,
    loss_fn: Any = None,
    name: str | None = None,
) -> BinaryLogisticHead:
    """A sigmoid cross-entropy head (``tf.contrib.estimator.binary_classification_head``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.contrib.estimator.binary_classification_head().logits_dimension)
    1
    """
    _unsupported(loss_fn=loss_fn, thresholds=thresholds or None)
    return BinaryLogisticHead(
        weight_column=weight_column,
        label_vocabulary=label_vocabulary,
        loss_reduction=loss_reduction,
        name=name,
    )


def multi_class_head(
    n_classes: int,
    weight_column: Any = None,
    label_vocabulary: Any = None,
    loss_reduction: str = Reduction.SUM_OVER_BATCH_SIZE,
    loss_fn: Any = None,
    name: str | None = None,
) -> MultiClassHead:
    """A softmax cross-entropy head (``tf.contrib.estimator.multi_class_head``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.contrib.estimator.multi_class_head(4).logits_dimension)
    4
    """
    _unsupported(loss_fn=loss_fn)
    return MultiClassHead(
        n_classes,
        weight_column=weight_column,
        label_vocabulary=label_vocabulary,
        loss_reduction=loss_reduction,
        name=name,
    )


__all__ = ["binary_classification_head", "multi_class_head", "regression_head"]
