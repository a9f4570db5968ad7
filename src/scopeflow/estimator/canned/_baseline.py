"""``BaselineRegressor`` and ``BaselineClassifier`` (binary) of TF 1.15's canned estimators.

The model is one zero-initialized ``baseline/bias`` of ``[logits_dimension]`` broadcast over the
batch (the batch size is the first feature's, checked equal across features), trained with
FTRL at learning rate 0.3 for the name ``'Ftrl'`` (TF 1.15's baseline default).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.variable_scope import variable_scope
from scopeflow._core.variable_store import get_variable
from scopeflow.estimator.canned._head import RegressionHead, classifier_head
from scopeflow.estimator.canned._optimizers import get_optimizer_instance
from scopeflow.estimator.estimator import Estimator
from scopeflow.graph.graph import get_default_graph
from scopeflow.losses._losses_impl import Reduction
from scopeflow.ops.array_ops import ones, shape, stack
from scopeflow.ops.check_ops import assert_equal
from scopeflow.ops.init_ops import Zeros
from scopeflow.ops.math_ops import multiply
from scopeflow.train.training_util import get_global_step

_LEARNING_RATE = 0.3


def _baseline_model_fn(features: Any, labels: Any, mode: str, head: Any, optimizer: Any) -> Any:
    checks = []
    batch_size = None
    for feature in features.values():
        first_dim = shape(feature)[0]
        if batch_size is None:
            batch_size = first_dim
        else:
            checks.append(assert_equal(batch_size, first_dim))
    with get_default_graph().control_dependencies(checks), variable_scope("baseline"):
        n = head.logits_dimension
        bias = get_variable("bias", shape=[n], initializer=Zeros())
        logits = multiply(bias, ones(stack([batch_size, n])))

    def train_op_fn(loss: Any) -> Any:
        opt = get_optimizer_instance(optimizer, learning_rate=_LEARNING_RATE)
        return opt.minimize(loss, global_step=get_global_step())

    return head.create_estimator_spec(
        features=features, mode=mode, logits=logits, labels=labels, train_op_fn=train_op_fn
    )


class BaselineRegressor(Estimator):
    """Predicts the label mean it learns (``tf.estimator.BaselineRegressor``, TF 1.15).

    >>> import scopeflow.compat.v1 as tf
    >>> print(type(tf.estimator.BaselineRegressor()).__name__)
    BaselineRegressor
    """

    def __init__(
        self,
        model_dir: str | None = None,
        label_dimension: int = 1,
        weight_column: Any = None,
        optimizer: Any = "Ftrl",
        config: Any = None,
        loss_reduction: str = Reduction.SUM,
    ) -> None:
        head = RegressionHead(
            label_dimension=label_dimension,
            weight_column=weight_column,
            loss_reduction=loss_reduction,
        )

        def _model_fn(features: Any, labels: Any, mode: str, config: Any) -> Any:
            return _baseline_model_fn(features, labels, mode, head, optimizer)

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config)


class BaselineClassifier(Estimator):
    """Predicts the class prior it learns (``tf.estimator.BaselineClassifier``, TF 1.15).

    >>> import scopeflow.compat.v1 as tf
    >>> print(type(tf.estimator.BaselineClassifier()).__name__)
    BaselineClassifier
    """

    def __init__(
        self,
        model_dir: str | None = None,
        n_classes: int = 2,
        weight_column: Any = None,
        label_vocabulary: Any = None,
        optimizer: Any = "Ftrl",
        config: Any = None,
        loss_reduction: str = Reduction.SUM,
    ) -> None:
        head = classifier_head(n_classes, weight_column, label_vocabulary, loss_reduction)

        def _model_fn(features: Any, labels: Any, mode: str, config: Any) -> Any:
            return _baseline_model_fn(features, labels, mode, head, optimizer)

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config)


class BaselineEstimator(Estimator):
    """The bias-only model with a given head (``tf.estimator.BaselineEstimator``, TF 1.15).

    ``head`` is a canned head object (``logits_dimension`` and ``create_estimator_spec``).

    >>> import scopeflow.compat.v1 as tf
    >>> est = tf.estimator.BaselineEstimator(tf.contrib.estimator.regression_head())
    >>> print(type(est).__name__)
    BaselineEstimator
    """

    def __init__(
        self,
        head: Any,
        model_dir: str | None = None,
        optimizer: Any = "Ftrl",
        config: Any = None,
    ) -> None:
        def _model_fn(features: Any, labels: Any, mode: str, config: Any) -> Any:
            return _baseline_model_fn(features, labels, mode, head, optimizer)

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config)
