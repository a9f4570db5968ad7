"""``LinearRegressor`` and ``LinearClassifier`` (binary) of TF 1.15's canned estimators.

The model is ``linear/linear_model/<column>/weights`` and ``linear/linear_model/bias_weights``
(zero-initialized, partitioned by ``min_max_variable_partitioner`` as TF does, so checkpoints
hold TF's names and ``part_0`` optimizer slots), trained with FTRL (learning rate 0.2 for the
name ``'Ftrl'``; ``min(0.2, 1/sqrt(#columns))`` when ``optimizer=None``).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import math
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.partitioners import min_max_variable_partitioner
from scopeflow._core.variable_scope import variable_scope
from scopeflow.estimator.canned._head import RegressionHead, classifier_head
from scopeflow.estimator.canned._optimizers import get_optimizer_instance
from scopeflow.estimator.estimator import Estimator
from scopeflow.feature_column._models import _linear_model
from scopeflow.losses._losses_impl import Reduction
from scopeflow.ops.array_ops import concat, reshape
from scopeflow.ops.math_ops import cast
from scopeflow.ops.sort_ops import zero_fraction
from scopeflow.summary.summary import histogram, scalar
from scopeflow.train.ftrl import FtrlOptimizer

_LEARNING_RATE = 0.2


def _parts(var: Any) -> list[Any]:
    if hasattr(var, "_get_variable_list"):
        return list(var._get_variable_list())
    return [var]


def _fraction_of_zero(variables: list[Any]) -> Any:
    # TF sums each variable's zero count over the total size; one concatenation is the same
    return cast(zero_fraction(concat([reshape(v, [-1]) for v in variables], 0)), dtypes.float32)


def linear_logits(
    features: Any, feature_columns: Any, units: int, sparse_combiner: str = "sum"
) -> Any:
    """TF 1.15's ``linear_logit_fn``: ``linear_model`` logits plus its bias/zero-weight summaries.

    Built in the current (``linear``) variable scope.
    """
    cols_to_vars: dict[Any, Any] = {}
    logits = _linear_model(
        "linear_model",
        features,
        feature_columns,
        units=units,
        sparse_combiner=sparse_combiner,
        cols_to_vars=cols_to_vars,
    )
    bias = [p for v in cols_to_vars.pop("bias") for p in _parts(v)]
    variables = [p for vs in cols_to_vars.values() for v in vs for p in _parts(v)]
    if units > 1:
        histogram("bias", bias[0])
    else:
        scalar("bias", bias[0][0])
    scalar("fraction_of_zero_weights", _fraction_of_zero(variables))
    return logits


def _linear_model_fn(
    features: Any,
    labels: Any,
    mode: str,
    head: Any,
    feature_columns: Any,
    optimizer: Any,
    partitioner: Any,
    config: Any,
    sparse_combiner: str = "sum",
) -> Any:
    if not isinstance(features, dict):
        raise ValueError(
            f"features should be a dictionary of `Tensor`s. Given type: {type(features)}"
        )
    num_ps_replicas = config.num_ps_replicas if config else 0
    partitioner = partitioner or min_max_variable_partitioner(
        max_partitions=num_ps_replicas, min_slice_size=64 << 20
    )
    with variable_scope("linear", partitioner=partitioner):
        logits = linear_logits(features, feature_columns, head.logits_dimension, sparse_combiner)
        if optimizer is None:
            n = len(list(feature_columns))
            optimizer = FtrlOptimizer(learning_rate=min(_LEARNING_RATE, 1.0 / math.sqrt(n)))
        optimizer = get_optimizer_instance(optimizer, learning_rate=_LEARNING_RATE)
        return head.create_estimator_spec(
            features=features, mode=mode, labels=labels, optimizer=optimizer, logits=logits
        )


class LinearRegressor(Estimator):
    """A linear regression model (``tf.estimator.LinearRegressor``, TF 1.15).

    >>> import scopeflow.compat.v1 as tf
    >>> est = tf.estimator.LinearRegressor([tf.feature_column.numeric_column("x")])
    >>> print(type(est).__name__)
    LinearRegressor
    """

    def __init__(
        self,
        feature_columns: Any,
        model_dir: str | None = None,
        label_dimension: int = 1,
        weight_column: Any = None,
        optimizer: Any = "Ftrl",
        config: Any = None,
        partitioner: Any = None,
        warm_start_from: Any = None,
        loss_reduction: str = Reduction.SUM,
        sparse_combiner: str = "sum",
    ) -> None:
        head = RegressionHead(
            label_dimension=label_dimension,
            weight_column=weight_column,
            loss_reduction=loss_reduction,
        )
        columns = tuple(feature_columns or [])

        def _model_fn(features: Any, labels: Any, mode: str, config: Any) -> Any:
            return _linear_model_fn(
                features,
                labels,
                mode,
                head,
                columns,
                optimizer,
                partitioner,
                config,
                sparse_combiner,
            )

        super().__init__(
            model_fn=_model_fn, model_dir=model_dir, config=config, warm_start_from=warm_start_from
        )


class LinearClassifier(Estimator):
    """A linear logistic-regression model (``tf.estimator.LinearClassifier``, TF 1.15).

    >>> import scopeflow.compat.v1 as tf
    >>> est = tf.estimator.LinearClassifier([tf.feature_column.numeric_column("x")])
    >>> print(type(est).__name__)
    LinearClassifier
    """

    def __init__(
        self,
        feature_columns: Any,
        model_dir: str | None = None,
        n_classes: int = 2,
        weight_column: Any = None,
        label_vocabulary: Any = None,
        optimizer: Any = "Ftrl",
        config: Any = None,
        partitioner: Any = None,
        warm_start_from: Any = None,
        loss_reduction: str = Reduction.SUM,
        sparse_combiner: str = "sum",
    ) -> None:
        head = classifier_head(n_classes, weight_column, label_vocabulary, loss_reduction)
        columns = tuple(feature_columns or [])

        def _model_fn(features: Any, labels: Any, mode: str, config: Any) -> Any:
            return _linear_model_fn(
                features,
                labels,
                mode,
                head,
                columns,
                optimizer,
                partitioner,
                config,
                sparse_combiner,
            )

        super().__init__(
            model_fn=_model_fn, model_dir=model_dir, config=config, warm_start_from=warm_start_from
        )


class LinearEstimator(Estimator):
    """A linear model with a given head (``tf.estimator.LinearEstimator``, TF 1.15).

    ``head`` is a canned head object (``logits_dimension`` and ``create_estimator_spec``).

    >>> import scopeflow.compat.v1 as tf
    >>> head = tf.contrib.estimator.regression_head()
    >>> est = tf.estimator.LinearEstimator(head, [tf.feature_column.numeric_column("x")])
    >>> print(type(est).__name__)
    LinearEstimator
    """

    def __init__(
        self,
        head: Any,
        feature_columns: Any,
        model_dir: str | None = None,
        optimizer: Any = "Ftrl",
        config: Any = None,
        partitioner: Any = None,
        sparse_combiner: str = "sum",
    ) -> None:
        columns = tuple(feature_columns or [])

        def _model_fn(features: Any, labels: Any, mode: str, config: Any) -> Any:
            return _linear_model_fn(
                features,
                labels,
                mode,
                head,
                columns,
                optimizer,
                partitioner,
                config,
                sparse_combiner,
            )

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config)


def linear_logit_fn_builder(units: int, feature_columns: Any, sparse_combiner: str = "sum") -> Any:
    """``tf.estimator.experimental.linear_logit_fn_builder``: ``logit_fn(features)``.

    The returned function builds ``LinearClassifier``'s model in the current variable scope.

    >>> import scopeflow.compat.v1 as tf
    >>> fn = tf.estimator.experimental.linear_logit_fn_builder(
    ...     1, [tf.feature_column.numeric_column("x")])
    >>> print(fn({"x": tf.ones([4, 1])}).shape)
    (4, 1)
    """

    def linear_logit_fn(features: Any) -> Any:
        return linear_logits(features, feature_columns, units, sparse_combiner)

    return linear_logit_fn
