"""``DNNClassifier``, ``DNNRegressor`` and ``DNNEstimator`` of TF 1.15's canned estimators.

The network is TF 1.15's v1 ``_DNNModel``: under variable scope ``dnn`` (partitioned by
``min_max_variable_partitioner``, so variables are ``.../part_0``) the feature columns' dense
input (``dnn/input_from_feature_columns/input_layer/...``), then one ``tf.layers.Dense`` a hidden
layer (``dnn/hiddenlayer_<i>/kernel`` glorot-uniform, ``bias`` zeros), optional dropout (training
only) and batch normalization (``dnn/batchnorm_<i>``, momentum 0.999), and the ``dnn/logits``
layer. Each layer's output gets TF's ``dnn/dnn/<layer>/fraction_of_zero_values`` scalar and
``dnn/dnn/<layer>/activation`` histogram summaries. Trained with Adagrad at learning rate 0.05
for the name ``'Adagrad'`` (TF's default).

Differences from TensorFlow: TF wraps the layers in a Keras ``Model``, which makes the
``tf.layers`` variables resource variables (``VarHandleOp``); here they are ref variables
(``VariableV2``) with the same names, values, slots and checkpoint keys. Random initial values
match TF (seeds come from TF 2's per-graph counter of seeded ops, not from op ids).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.partitioners import min_max_variable_partitioner
from scopeflow._core.template import make_template
from scopeflow._core.variable_scope import variable_scope
from scopeflow.estimator.canned._head import RegressionHead, classifier_head
from scopeflow.estimator.canned._optimizers import get_optimizer_instance
from scopeflow.estimator.estimator import Estimator
from scopeflow.estimator.mode_keys import ModeKeys
from scopeflow.feature_column._models import _internal_input_layer
from scopeflow.graph.graph import get_default_graph
from scopeflow.layers.core import Dense, Dropout
from scopeflow.layers.normalization import BatchNormalization
from scopeflow.losses._losses_impl import Reduction
from scopeflow.ops.activation_ops import relu
from scopeflow.ops.init_ops import GlorotUniform
from scopeflow.ops.sort_ops import zero_fraction
from scopeflow.summary.summary import histogram, scalar

_LEARNING_RATE = 0.05


def add_layer_summary(value: Any, tag: str) -> None:
    """TF's ``<tag>/fraction_of_zero_values`` scalar and ``<tag>/activation`` histogram."""
    scalar(f"{tag}/fraction_of_zero_values", zero_fraction(value))
    histogram(f"{tag}/activation", value)


def dnn_logits(
    features: dict[Any, Any],
    mode: str,
    units: int,
    hidden_units: Any,
    feature_columns: Any,
    activation_fn: Any,
    dropout: float | None,
    input_layer_partitioner: Any,
    batch_norm: bool,
) -> Any:
    """TF 1.15's ``dnn_logit_fn``: the logits of the DNN, built in the current ``dnn`` scope.

    As TF's Keras ``_DNNModel``: the layers' variable scopes are entered first (construction),
    then the model's call opens name scope ``<scope>/dnn`` and returns to ``<scope>/`` for the
    ops, so summaries are named ``dnn/dnn/hiddenlayer_0/...``.
    """
    if not isinstance(units, int):
        raise ValueError(f"units must be an int.  Given type: {type(units)}")
    g = get_default_graph()
    input_layer = make_template("input_layer", _internal_input_layer)
    hidden_layers, dropout_layers, norm_layers, scope_names = [], [], [], []
    for layer_id, num_hidden_units in enumerate(hidden_units):
        with variable_scope(f"hiddenlayer_{layer_id}") as hidden_scope:
            hidden_layers.append(
                Dense(
                    units=num_hidden_units,
                    activation=activation_fn,
                    kernel_initializer=GlorotUniform(),
                    name=hidden_scope,
                    _scope=hidden_scope,
                )
            )
            scope_names.append(hidden_scope.name)
            if dropout is not None:
                dropout_layers.append(Dropout(rate=dropout))
            if batch_norm:
                norm_layers.append(
                    BatchNormalization(
                        momentum=0.999,
                        trainable=True,
                        name=f"batchnorm_{layer_id}",
                        _scope=f"batchnorm_{layer_id}",
                    )
                )
    with variable_scope("logits") as logits_scope:
        logits_layer = Dense(
            units=units,
            activation=None,
            kernel_initializer=GlorotUniform(),
            name=logits_scope,
            _scope=logits_scope,
        )
    is_training = mode == ModeKeys.TRAIN
    with g.name_scope("dnn") as model_scope:  # the Keras model's own name scope, then back
        outer_scope = model_scope.rstrip("/").rsplit("/", 1)[0] + "/"
    with g.name_scope(outer_scope):
        with variable_scope("input_from_feature_columns", partitioner=input_layer_partitioner):
            net = input_layer(
                features=features, feature_columns=feature_columns, from_template=True
            )
        for i, hidden in enumerate(hidden_layers):
            net = hidden(net)
            if dropout is not None and is_training:
                net = dropout_layers[i](net, training=True)
            if batch_norm:
                net = norm_layers[i](net, training=is_training)
            add_layer_summary(net, scope_names[i])
        logits = logits_layer(net)
        add_layer_summary(logits, logits_scope.name)
    return logits


def default_input_layer_partitioner(config: Any) -> Any:
    """TF's default input-layer partitioner: one part per 64 MB, at most #ps replicas."""
    num_ps_replicas = config.num_ps_replicas if config else 0
    return min_max_variable_partitioner(max_partitions=num_ps_replicas, min_slice_size=64 << 20)


def _dnn_model_fn(
    features: Any,
    labels: Any,
    mode: str,
    head: Any,
    hidden_units: Any,
    feature_columns: Any,
    optimizer: Any = "Adagrad",
    activation_fn: Any = relu,
    dropout: float | None = None,
    input_layer_partitioner: Any = None,
    config: Any = None,
    batch_norm: bool = False,
) -> Any:
    optimizer = get_optimizer_instance(optimizer, learning_rate=_LEARNING_RATE)
    if not isinstance(features, dict):
        raise ValueError(
            f"features should be a dictionary of `Tensor`s. Given type: {type(features)}"
        )
    num_ps_replicas = config.num_ps_replicas if config else 0
    partitioner = min_max_variable_partitioner(max_partitions=num_ps_replicas)
    with variable_scope("dnn", values=tuple(features.values()), partitioner=partitioner):
        logits = dnn_logits(
            features,
            mode,
            head.logits_dimension,
            hidden_units,
            feature_columns,
            activation_fn,
            dropout,
            input_layer_partitioner or default_input_layer_partitioner(config),
            batch_norm,
        )
        return head.create_estimator_spec(
            features=features, mode=mode, labels=labels, optimizer=optimizer, logits=logits
        )


class _DNNBase(Estimator):
    def __init__(
        self,
        head: Any,
        hidden_units: Any,
        feature_columns: Any,
        model_dir: str | None,
        optimizer: Any,
        activation_fn: Any,
        dropout: float | None,
        input_layer_partitioner: Any,
        config: Any,
        warm_start_from: Any,
        batch_norm: bool,
    ) -> None:
        columns = tuple(feature_columns or [])

        def _model_fn(features: Any, labels: Any, mode: str, config: Any) -> Any:
            return _dnn_model_fn(
                features=features,
                labels=labels,
                mode=mode,
                head=head,
                hidden_units=hidden_units,
                feature_columns=columns,
                optimizer=optimizer,
                activation_fn=activation_fn,
                dropout=dropout,
                input_layer_partitioner=input_layer_partitioner,
                config=config,
                batch_norm=batch_norm,
            )

        super().__init__(
            model_fn=_model_fn, model_dir=model_dir, config=config, warm_start_from=warm_start_from
        )


class DNNClassifier(_DNNBase):
    """A feed-forward classifier (``tf.estimator.DNNClassifier``, TF 1.15).

    >>> import scopeflow.compat.v1 as tf
    >>> est = tf.estimator.DNNClassifier([4], [tf.feature_column.numeric_column("x")])
    >>> print(type(est).__name__)
    DNNClassifier
    """

    def __init__(
        self,
        hidden_units: Any,
        feature_columns: Any,
        model_dir: str | None = None,
        n_classes: int = 2,
        weight_column: Any = None,
        label_vocabulary: Any = None,
        optimizer: Any = "Adagrad",
        activation_fn: Any = relu,
        dropout: float | None = None,
        input_layer_partitioner: Any = None,
        config: Any = None,
        warm_start_from: Any = None,
        loss_reduction: str = Reduction.SUM,
        batch_norm: bool = False,
    ) -> None:
        head = classifier_head(n_classes, weight_column, label_vocabulary, loss_reduction)
        super().__init__(
            head,
            hidden_units,
            feature_columns,
            model_dir,
            optimizer,
            activation_fn,
            dropout,
            input_layer_partitioner,
            config,
            warm_start_from,
            batch_norm,
        )


class DNNRegressor(_DNNBase):
    """A feed-forward regressor (``tf.estimator.DNNRegressor``, TF 1.15).

    >>> import scopeflow.compat.v1 as tf
    >>> est = tf.estimator.DNNRegressor([4], [tf.feature_column.numeric_column("x")])
    >>> print(type(est).__name__)
    DNNRegressor
    """

    def __init__(
        self,
        hidden_units: Any,
        feature_columns: Any,
        model_dir: str | None = None,
        label_dimension: int = 1,
        weight_column: Any = None,
        optimizer: Any = "Adagrad",
        activation_fn: Any = relu,
        dropout: float | None = None,
        input_layer_partitioner: Any = None,
        config: Any = None,
        warm_start_from: Any = None,
        loss_reduction: str = Reduction.SUM,
        batch_norm: bool = False,
    ) -> None:
        head = RegressionHead(
            label_dimension=label_dimension,
            weight_column=weight_column,
            loss_reduction=loss_reduction,
        )
        super().__init__(
            head,
            hidden_units,
            feature_columns,
            model_dir,
            optimizer,
            activation_fn,
            dropout,
            input_layer_partitioner,
            config,
            warm_start_from,
            batch_norm,
        )


class DNNEstimator(_DNNBase):
    """A feed-forward network with a given head (``tf.estimator.DNNEstimator``, TF 1.15).

    ``head`` is a canned head object (``logits_dimension`` and ``create_estimator_spec``).

    >>> import scopeflow.compat.v1 as tf
    >>> head = tf.contrib.estimator.regression_head()
    >>> est = tf.estimator.DNNEstimator(head, [4], [tf.feature_column.numeric_column("x")])
    >>> print(type(est).__name__)
    DNNEstimator
    """

    def __init__(
        self,
        head: Any,
        hidden_units: Any,
        feature_columns: Any,
        model_dir: str | None = None,
        optimizer: Any = "Adagrad",
        activation_fn: Any = relu,
        dropout: float | None = None,
        input_layer_partitioner: Any = None,
        config: Any = None,
        warm_start_from: Any = None,
        batch_norm: bool = False,
    ) -> None:
        super().__init__(
            head,
            hidden_units,
            feature_columns,
            model_dir,
            optimizer,
            activation_fn,
            dropout,
            input_layer_partitioner,
            config,
            warm_start_from,
            batch_norm,
        )


def dnn_logit_fn_builder(
    units: int,
    hidden_units: Any,
    feature_columns: Any,
    activation_fn: Any,
    dropout: float | None,
    input_layer_partitioner: Any,
    batch_norm: bool,
) -> Any:
    """``tf.estimator.experimental.dnn_logit_fn_builder``: ``logit_fn(features, mode)``.

    The returned function builds ``DNNClassifier``'s network in the current variable scope.

    >>> import scopeflow.compat.v1 as tf
    >>> fn = tf.estimator.experimental.dnn_logit_fn_builder(
    ...     2, [3], [tf.feature_column.numeric_column("x")], tf.nn.relu, None, None, False)
    >>> with tf.variable_scope("dnn"):
    ...     print(fn({"x": tf.ones([4, 1])}, tf.estimator.ModeKeys.PREDICT).shape)
    (4, 2)
    """
    if not isinstance(units, int):
        raise ValueError(f"units must be an int.  Given type: {type(units)}")

    def dnn_logit_fn(features: Any, mode: str) -> Any:
        return dnn_logits(
            features,
            mode,
            units,
            hidden_units,
            feature_columns,
            activation_fn,
            dropout,
            input_layer_partitioner,
            batch_norm,
        )

    return dnn_logit_fn
