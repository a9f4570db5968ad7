"""TF 1.x feature columns (``tf.feature_column``).

Column factories, ``input_layer``, ``linear_model`` and ``make_parse_example_spec``, with the
v1 column protocol
(``_transform_feature``, ``_get_dense_tensor``, ``_get_sparse_tensors``) estimator code uses.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.feature_column._base import (
    IdWeightPair,
    _CategoricalColumn,
    _DenseColumn,
    _FeatureColumn,
    _LazyBuilder,
)
from scopeflow.feature_column._categorical import (
    categorical_column_with_hash_bucket,
    categorical_column_with_identity,
    categorical_column_with_vocabulary_file,
    categorical_column_with_vocabulary_list,
    crossed_column,
    weighted_categorical_column,
)
from scopeflow.feature_column._dense import (
    bucketized_column,
    embedding_column,
    indicator_column,
    numeric_column,
    shared_embedding_columns,
)
from scopeflow.feature_column._models import (
    _internal_input_layer,
    input_layer,
    linear_model,
    make_parse_example_spec,
)

__all__ = [
    "bucketized_column",
    "categorical_column_with_hash_bucket",
    "categorical_column_with_identity",
    "categorical_column_with_vocabulary_file",
    "categorical_column_with_vocabulary_list",
    "crossed_column",
    "embedding_column",
    "indicator_column",
    "input_layer",
    "linear_model",
    "make_parse_example_spec",
    "numeric_column",
    "shared_embedding_columns",
    "weighted_categorical_column",
]
_PRIVATE = (
    IdWeightPair,
    _CategoricalColumn,
    _DenseColumn,
    _FeatureColumn,
    _LazyBuilder,
    _internal_input_layer,
)
