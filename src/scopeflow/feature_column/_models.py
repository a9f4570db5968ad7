"""``input_layer``, ``linear_model`` and ``make_parse_example_spec`` of TF 1.x feature columns.

``input_layer`` concatenates the columns' dense tensors (sorted by column name, each reshaped
to ``[batch, num_elements]``) under ``input_layer/<column var scope>/``. ``linear_model``
creates ``<model>/<column>/weights`` (zeros, ``[num_buckets or num_elements, units]``) and
``<model>/bias_weights`` and returns ``bias_add(add_n(weighted sums))``; categorical columns are
summed with ``safe_embedding_lookup_sparse(..., combiner=sparse_combiner)``. Variable names,
collections and uniquified scope names are TF's.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.variable_scope import get_variable_scope, variable_scope
from scopeflow._core.variable_store import get_variable
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops._math_common import _scope
from scopeflow.ops.array_ops import concat, reshape, shape
from scopeflow.ops.embedding_sparse_ops import safe_embedding_lookup_sparse
from scopeflow.ops.init_ops import Zeros
from scopeflow.ops.matmul_ops import add_n, matmul
from scopeflow.ops.nn_ops import bias_add
from scopeflow.ops.sparse_reshape_ops import sparse_reshape

from ._base import (
    _CategoricalColumn,
    _DenseColumn,
    _LazyBuilder,
    normalize_feature_columns,
    verify_static_batch_size_equality,
)


def _with_model_collections(weight_collections: Any) -> list[Any]:
    out = list(weight_collections or [])
    for key in (GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES):
        if key not in out:
            out.append(key)
    return out


def input_layer(
    features: dict[Any, Any],
    feature_columns: Any,
    weight_collections: Any = None,
    trainable: bool = True,
    cols_to_vars: dict[Any, Any] | None = None,
    cols_to_output_tensors: dict[Any, Any] | None = None,
) -> Any:
    """The dense input tensor of ``feature_columns`` (``tf.feature_column.input_layer``).

    >>> import scopeflow.compat.v1 as tf
    >>> col = tf.feature_column.numeric_column("a")
    >>> x = tf.feature_column.input_layer({"a": [[1.0], [2.0]]}, [col])
    >>> print(x.name, x.shape)
    input_layer/concat/concat:0 (2, 1)
    """
    return _internal_input_layer(
        features,
        feature_columns,
        weight_collections,
        trainable,
        cols_to_vars,
        None,
        cols_to_output_tensors,
    )


def _internal_input_layer(
    features: dict[Any, Any],
    feature_columns: Any,
    weight_collections: Any = None,
    trainable: bool = True,
    cols_to_vars: dict[Any, Any] | None = None,
    scope: Any = None,
    cols_to_output_tensors: dict[Any, Any] | None = None,
    from_template: bool = False,
) -> Any:
    columns = normalize_feature_columns(feature_columns)
    for column in columns:
        if not isinstance(column, _DenseColumn):
            raise ValueError(
                "Items of feature_columns must be a _DenseColumn. You can wrap a "
                "categorical column with an embedding_column or indicator_column. "
                f"Given: {column}"
            )
    collections_ = _with_model_collections(weight_collections)
    g = get_default_graph()

    def get_logits() -> Any:
        builder = _LazyBuilder(features)
        outputs = []
        ordered = []
        for column in sorted(columns, key=lambda x: x.name):
            ordered.append(column)
            with variable_scope(None, default_name=column._var_scope_name):
                tensor = column._get_dense_tensor(
                    builder, weight_collections=collections_, trainable=trainable
                )
                num_elements = column._variable_shape.num_elements()
                batch_size = shape(tensor)[0]
                out = reshape(tensor, shape=(batch_size, num_elements))
                outputs.append(out)
                if cols_to_vars is not None:
                    cols_to_vars[column] = g.get_collection(
                        GraphKeys.GLOBAL_VARIABLES, scope=get_variable_scope().name
                    )
                if cols_to_output_tensors is not None:
                    cols_to_output_tensors[column] = out
        verify_static_batch_size_equality(outputs, ordered)
        return concat(outputs, 1)

    if from_template:
        return get_logits()
    with variable_scope(scope, default_name="input_layer"):
        return get_logits()


def _weighted_sum(
    column: Any,
    builder: _LazyBuilder,
    units: int,
    sparse_combiner: str,
    weight_collections: list[Any],
    trainable: bool,
) -> Any:
    if isinstance(column, _CategoricalColumn):
        pair = column._get_sparse_tensors(
            builder, weight_collections=weight_collections, trainable=trainable
        )
        id_tensor = sparse_reshape(pair.id_tensor, [pair.id_tensor.dense_shape[0], -1])
        weight_tensor = pair.weight_tensor
        if weight_tensor is not None:
            weight_tensor = sparse_reshape(weight_tensor, [weight_tensor.dense_shape[0], -1])
        weight = get_variable(
            name="weights",
            shape=(column._num_buckets, units),
            initializer=Zeros(),
            trainable=trainable,
            collections=weight_collections,
        )
        return weight, safe_embedding_lookup_sparse(
            weight,
            id_tensor,
            sparse_weights=weight_tensor,
            combiner=sparse_combiner,
            name="weighted_sum",
        )
    tensor = column._get_dense_tensor(
        builder, weight_collections=weight_collections, trainable=trainable
    )
    num_elements = column._variable_shape.num_elements()
    tensor = reshape(tensor, shape=(shape(tensor)[0], num_elements))
    weight = get_variable(
        name="weights",
        shape=[num_elements, units],
        initializer=Zeros(),
        trainable=trainable,
        collections=weight_collections,
    )
    return weight, matmul(tensor, weight, name="weighted_sum")


def linear_model(
    features: dict[Any, Any],
    feature_columns: Any,
    units: int = 1,
    sparse_combiner: str = "sum",
    weight_collections: Any = None,
    trainable: bool = True,
    cols_to_vars: dict[Any, Any] | None = None,
) -> Any:
    """A linear model of ``feature_columns`` (``tf.feature_column.linear_model``).

    >>> import scopeflow.compat.v1 as tf
    >>> col = tf.feature_column.numeric_column("a")
    >>> out = tf.feature_column.linear_model({"a": [[1.0]]}, [col])
    >>> print(sorted(v.op.name for v in tf.global_variables()))
    ['linear_model/a/weights', 'linear_model/bias_weights']
    """
    with variable_scope(None, "linear_model") as vs:
        model_name = vs.name.rsplit("/", 1)[-1]
    return _linear_model(
        model_name,
        features,
        feature_columns,
        units,
        sparse_combiner,
        weight_collections,
        trainable,
        cols_to_vars,
    )


def _linear_model(
    model_name: str,
    features: dict[Any, Any],
    feature_columns: Any,
    units: int = 1,
    sparse_combiner: str = "sum",
    weight_collections: Any = None,
    trainable: bool = True,
    cols_to_vars: dict[Any, Any] | None = None,
) -> Any:
    """TF 1.15's ``_LinearModel(..., name=model_name)(features)``.

    The canned linear estimators call this directly, as TF's ``linear_logit_fn`` builds the
    layer without ``linear_model``'s probing scope: its ops are then ``linear_model/...``, not
    ``linear_model_1/...``.
    """
    columns = normalize_feature_columns(feature_columns)
    collections_ = _with_model_collections(weight_collections)
    column_names = {}
    for column in sorted(columns, key=lambda x: x.name):
        with variable_scope(None, default_name=column._var_scope_name) as vs:
            column_names[column] = vs.name.rsplit("/", 1)[-1]
    for column in columns:
        if not isinstance(column, _DenseColumn | _CategoricalColumn):
            raise ValueError(
                "Items of feature_columns must be either a _DenseColumn or "
                f"_CategoricalColumn. Given: {column}"
            )
    g = get_default_graph()
    result_vars: dict[Any, Any] = {}
    with g.name_scope(_scope(None, model_name)), variable_scope(model_name):
        builder = _LazyBuilder(features)
        sums = []
        ordered = []
        for column in sorted(columns, key=lambda c: column_names[c]):
            ordered.append(column)
            with variable_scope(column_names[column]):
                weight, weighted = _weighted_sum(
                    column, builder, units, sparse_combiner, collections_, trainable
                )
            # TF's _add_to_collections: a partitioned variable's parts, not the variable
            parts = (
                list(weight._get_variable_list())
                if hasattr(weight, "_get_variable_list")
                else [weight]
            )
            for c in collections_:
                for part in parts:
                    if c != GraphKeys.GLOBAL_VARIABLES and part not in g.get_collection(c):
                        g.add_to_collection(c, part)
            sums.append(weighted)
            result_vars[column] = [weight]
        verify_static_batch_size_equality(sums, ordered)
        no_bias = add_n(sums, name="weighted_sum_no_bias")
        bias = get_variable(
            "bias_weights",
            shape=[units],
            initializer=Zeros(),
            trainable=trainable,
            collections=collections_,
        )
        predictions = bias_add(no_bias, bias, name="weighted_sum")
        result_vars["bias"] = [bias]
    if cols_to_vars is not None:
        cols_to_vars.update(result_vars)
    return predictions


def make_parse_example_spec(feature_columns: Any) -> dict[str, Any]:
    """The ``parse_example`` spec of ``feature_columns`` (``make_parse_example_spec``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.feature_column.make_parse_example_spec([tf.feature_column.numeric_column("a")]))
    {'a': FixedLenFeature(shape=(1,), dtype=tf.float32, default_value=None)}
    """
    from ._base import _FeatureColumn  # noqa: PLC0415

    result: dict[str, Any] = {}
    for column in feature_columns:
        if not isinstance(column, _FeatureColumn):
            raise ValueError(
                f"All feature_columns must be _FeatureColumn instances. Given: {column}"
            )
        config = column._parse_example_spec
        for key, value in config.items():
            if key in result and value != result[key]:
                raise ValueError(
                    f"feature_columns contain different parse_spec for key {key}. "
                    f"Given {value} and {result[key]}"
                )
        result.update(config)
    return result
