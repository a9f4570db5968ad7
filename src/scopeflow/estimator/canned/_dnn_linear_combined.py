"""``DNNLinearCombinedClassifier``/``Regressor``/``Estimator`` (wide-n-deep) of TF 1.15.

The logits are the sum of the DNN's (``dnn/...``, as ``DNNClassifier``) and the linear model's
(``linear/linear_model/...``, as ``LinearClassifier``, plus TF's ``linear/linear/...``
fraction-of-zero and activation summaries). Each part has its own optimizer over the trainable
variables of its scope: ``dnn_optimizer`` (``'Adagrad'``: learning rate 0.001) and
``linear_optimizer`` (``'Ftrl'``: ``min(0.005, 1/sqrt(#linear columns))``), neither given the
global step; the train op groups both and then increments the global step by one, as TF does.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import math
from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.partitioners import min_max_variable_partitioner
from scopeflow._core.variable_scope import variable_scope
from scopeflow.estimator.canned._dnn import (
    add_layer_summary,
    default_input_layer_partitioner,
    dnn_logits,
)
from scopeflow.estimator.canned._head import RegressionHead, classifier_head
from scopeflow.estimator.canned._linear import linear_logits
from scopeflow.estimator.canned._optimizers import get_optimizer_instance
from scopeflow.estimator.estimator import Estimator
from scopeflow.graph.graph import get_default_graph
from scopeflow.losses._losses_impl import Reduction
from scopeflow.ops.activation_ops import relu
from scopeflow.ops.state_ops import assign_add, group
from scopeflow.train.training_util import get_global_step

_DNN_LEARNING_RATE = 0.001
_LINEAR_LEARNING_RATE = 0.005


def _validate_feature_columns(linear_feature_columns: Any, dnn_feature_columns: Any) -> list[Any]:
    columns = list(linear_feature_columns or []) + list(dnn_feature_columns or [])
    if not columns:
        raise ValueError("Either linear_feature_columns or dnn_feature_columns must be defined.")
    return columns


def _dnn_linear_combined_model_fn(
    features: Any,
    labels: Any,
    mode: str,
    head: Any,
    linear_feature_columns: Any = None,
    linear_optimizer: Any = "Ftrl",
    dnn_feature_columns: Any = None,
    dnn_optimizer: Any = "Adagrad",
    dnn_hidden_units: Any = None,
    dnn_activation_fn: Any = relu,
    dnn_dropout: float | None = None,
    input_layer_partitioner: Any = None,
    config: Any = None,
    batch_norm: bool = False,
    linear_sparse_combiner: str = "sum",
) -> Any:
    if not isinstance(features, dict):
        raise ValueError(
            f"features should be a dictionary of `Tensor`s. Given type: {type(features)}"
        )
    if not linear_feature_columns and not dnn_feature_columns:
        raise ValueError("Either linear_feature_columns or dnn_feature_columns must be defined.")
    num_ps_replicas = config.num_ps_replicas if config else 0
    input_layer_partitioner = input_layer_partitioner or default_input_layer_partitioner(config)
    values = tuple(features.values())
    dnn_out = linear_out = None
    dnn_scope = linear_scope = ""
    if dnn_feature_columns:
        dnn_opt = get_optimizer_instance(dnn_optimizer, learning_rate=_DNN_LEARNING_RATE)
        if not dnn_hidden_units:
            raise ValueError(
                "dnn_hidden_units must be defined when dnn_feature_columns is specified."
            )
        partitioner = min_max_variable_partitioner(max_partitions=num_ps_replicas)
        with variable_scope("dnn", values=values, partitioner=partitioner) as scope:
            dnn_scope = scope.name
            dnn_out = dnn_logits(
                features,
                mode,
                head.logits_dimension,
                dnn_hidden_units,
                dnn_feature_columns,
                dnn_activation_fn,
                dnn_dropout,
                input_layer_partitioner,
                batch_norm,
            )
    if linear_feature_columns:
        rate = min(_LINEAR_LEARNING_RATE, 1.0 / math.sqrt(len(linear_feature_columns)))
        linear_opt = get_optimizer_instance(linear_optimizer, learning_rate=rate)
        with variable_scope("linear", values=values, partitioner=input_layer_partitioner) as scope:
            linear_scope = scope.name
            linear_out = linear_logits(
                features, linear_feature_columns, head.logits_dimension, linear_sparse_combiner
            )
            add_layer_summary(linear_out, scope.name)
    if dnn_out is not None and linear_out is not None:
        logits = dnn_out + linear_out
    else:
        logits = dnn_out if dnn_out is not None else linear_out

    def _train_op_fn(loss: Any) -> Any:
        g = get_default_graph()
        train_ops = []
        global_step = get_global_step()
        if dnn_out is not None:
            var_list = g.get_collection(GraphKeys.TRAINABLE_VARIABLES, scope=dnn_scope)
            train_ops.append(dnn_opt.minimize(loss, var_list=var_list))
        if linear_out is not None:
            var_list = g.get_collection(GraphKeys.TRAINABLE_VARIABLES, scope=linear_scope)
            train_ops.append(linear_opt.minimize(loss, var_list=var_list))
        train_op = group(*train_ops)
        with g.control_dependencies([train_op]):
            return assign_add(global_step, 1).op

    return head.create_estimator_spec(
        features=features, mode=mode, labels=labels, train_op_fn=_train_op_fn, logits=logits
    )


class _CombinedBase(Estimator):
    def __init__(
        self,
        head: Any,
        model_dir: str | None,
        linear_feature_columns: Any,
        linear_optimizer: Any,
        dnn_feature_columns: Any,
        dnn_optimizer: Any,
        dnn_hidden_units: Any,
        dnn_activation_fn: Any,
        dnn_dropout: float | None,
        input_layer_partitioner: Any,
        config: Any,
        warm_start_from: Any,
        batch_norm: bool,
        linear_sparse_combiner: str,
    ) -> None:
        self._feature_columns = _validate_feature_columns(
            linear_feature_columns, dnn_feature_columns
        )

        def _model_fn(features: Any, labels: Any, mode: str, config: Any) -> Any:
            return _dnn_linear_combined_model_fn(
                features=features,
                labels=labels,
                mode=mode,
                head=head,
                linear_feature_columns=linear_feature_columns,
                linear_optimizer=linear_optimizer,
                dnn_feature_columns=dnn_feature_columns,
                dnn_optimizer=dnn_optimizer,
                dnn_hidden_units=dnn_hidden_units,
                dnn_activation_fn=dnn_activation_fn,
                dnn_dropout=dnn_dropout,
                input_layer_partitioner=input_layer_partitioner,
                config=config,
                batch_norm=batch_norm,
                linear_sparse_combiner=linear_sparse_combiner,
            )

        super().__init__(
            model_fn=_model_fn, model_dir=model_dir, config=config, warm_start_from=warm_start_from
        )


class DNNLinearCombinedClassifier(_CombinedBase):
    """Wide-n-deep classifier (``tf.estimator.DNNLinearCombinedClassifier``, TF 1.15).

    >>> import scopeflow.compat.v1 as tf
    >>> col = tf.feature_column.numeric_column("x")
    >>> est = tf.estimator.DNNLinearCombinedClassifier(linear_feature_columns=[col])
    >>> print(type(est).__name__)
    DNNLinearCombinedClassifier
    """

    def __init__(
        self,
        model_dir: str | None = None,
        linear_feature_columns: Any = None,
        linear_optimizer: Any = "Ftrl",
        dnn_feature_columns: Any = None,
        dnn_optimizer: Any = "Adagrad",
        dnn_hidden_units: Any = None,
        dnn_activation_fn: Any = relu,
        dnn_dropout: float | None = None,
        n_classes: int = 2,
        weight_column: Any = None,
        label_vocabulary: Any = None,
        input_layer_partitioner: Any = None,
        config: Any = None,
        warm_start_from: Any = None,
        loss_reduction: str = Reduction.SUM,
        batch_norm: bool = False,
        linear_sparse_combiner: str = "sum",
    ) -> None:
        _validate_feature_columns(linear_feature_columns, dnn_feature_columns)
        head = classifier_head(n_classes, weight_column, label_vocabulary, loss_reduction)
        super().__init__(
            head,
            model_dir,
            linear_feature_columns,
            linear_optimizer,
            dnn_feature_columns,
            dnn_optimizer,
            dnn_hidden_units,
            dnn_activation_fn,
            dnn_dropout,
            input_layer_partitioner,
            config,
            warm_start_from,
            batch_norm,
            linear_sparse_combiner,
        )


class DNNLinearCombinedRegressor(_CombinedBase):
    """Wide-n-deep regressor (``tf.estimator.DNNLinearCombinedRegressor``, TF 1.15).

    >>> import scopeflow.compat.v1 as tf
    >>> col = tf.feature_column.numeric_column("x")
    >>> est = tf.estimator.DNNLinearCombinedRegressor(linear_feature_columns=[col])
    >>> print(type(est).__name__)
    DNNLinearCombinedRegressor
    """

    def __init__(
        self,
        model_dir: str | None = None,
        linear_feature_columns: Any = None,
        linear_optimizer: Any = "Ftrl",
        dnn_feature_columns: Any = None,
        dnn_optimizer: Any = "Adagrad",
        dnn_hidden_units: Any = None,
        dnn_activation_fn: Any = relu,
        dnn_dropout: float | None = None,
        label_dimension: int = 1,
        weight_column: Any = None,
        input_layer_partitioner: Any = None,
        config: Any = None,
        warm_start_from: Any = None,
        loss_reduction: str = Reduction.SUM,
        batch_norm: bool = False,
        linear_sparse_combiner: str = "sum",
    ) -> None:
        _validate_feature_columns(linear_feature_columns, dnn_feature_columns)
        head = RegressionHead(
            label_dimension=label_dimension,
            weight_column=weight_column,
            loss_reduction=loss_reduction,
        )
        super().__init__(
            head,
            model_dir,
            linear_feature_columns,
            linear_optimizer,
            dnn_feature_columns,
            dnn_optimizer,
            dnn_hidden_units,
            dnn_activation_fn,
            dnn_dropout,
            input_layer_partitioner,
            config,
            warm_start_from,
            batch_norm,
            linear_sparse_combiner,
        )


class DNNLinearCombinedEstimator(_CombinedBase):
    """Wide-n-deep with a given head (``tf.estimator.DNNLinearCombinedEstimator``, TF 1.15).

    >>> import scopeflow.compat.v1 as tf
    >>> head = tf.contrib.estimator.regression_head()
    >>> col = tf.feature_column.numeric_column("x")
    >>> est = tf.estimator.DNNLinearCombinedEstimator(head, linear_feature_columns=[col])
    >>> print(type(est).__name__)
    DNNLinearCombinedEstimator
    """

    def __init__(
        self,
        head: Any,
        model_dir: str | None = None,
        linear_feature_columns: Any = None,
        linear_optimizer: Any = "Ftrl",
        dnn_feature_columns: Any = None,
        dnn_optimizer: Any = "Adagrad",
        dnn_hidden_units: Any = None,
        dnn_activation_fn: Any = relu,
        dnn_dropout: float | None = None,
        input_layer_partitioner: Any = None,
        config: Any = None,
        linear_sparse_combiner: str = "sum",
    ) -> None:
        super().__init__(
            head,
            model_dir,
            linear_feature_columns,
            linear_optimizer,
            dnn_feature_columns,
            dnn_optimizer,
            dnn_hidden_units,
            dnn_activation_fn,
            dnn_dropout,
            input_layer_partitioner,
            config,
            None,
            False,
            linear_sparse_combiner,
        )
