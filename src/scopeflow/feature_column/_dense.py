"""Dense columns: numeric, bucketized, indicator, embedding and shared embedding columns.

``embedding_column`` creates ``embedding_weights`` ``[num_buckets, dimension]`` (default
initializer ``truncated_normal(stddev=1/sqrt(dimension))``) in the caller's variable scope and
combines each example's ids with TF 1.15's ``safe_embedding_lookup_sparse``; shared embedding
columns keep their one variable in a graph collection named after the columns.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import collections
import math
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.tensor_shape import TensorShape
from scopeflow._core.variable_store import get_variable
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops._math_common import _scope
from scopeflow.ops.array_ops import shape
from scopeflow.ops.bucketize_ops import bucketize
from scopeflow.ops.creation_ops import one_hot
from scopeflow.ops.embedding_sparse_ops import safe_embedding_lookup_sparse
from scopeflow.ops.gather_scatter_ops import scatter_nd
from scopeflow.ops.init_ops import TruncatedNormal
from scopeflow.ops.math_ops import cast
from scopeflow.ops.parsing_ops import FixedLenFeature
from scopeflow.ops.reduction_ops import reduce_sum
from scopeflow.ops.sparse_merge_ops import sparse_merge
from scopeflow.ops.sparse_ops import SparseTensor, sparse_tensor_to_dense
from scopeflow.train.checkpoint_utils import init_from_checkpoint

from ._base import _CategoricalColumn, _DenseColumn, check_shape


class NumericColumn(
    _DenseColumn,
    collections.namedtuple(
        "NumericColumn", ("key", "shape", "default_value", "dtype", "normalizer_fn")
    ),
):
    """A real-valued feature of fixed ``shape``, cast to float32 after ``normalizer_fn``."""

    @property
    def name(self) -> str:
        return self.key  # type: ignore[no-any-return]

    @property
    def _parse_example_spec(self) -> dict[str, Any]:
        return {self.key: FixedLenFeature(self.shape, self.dtype, self.default_value)}

    def _transform_feature(self, inputs: Any) -> Any:
        t = inputs.get(self.key)
        if isinstance(t, SparseTensor):
            raise ValueError(
                "The corresponding Tensor of numerical column must be a Tensor. "
                f"SparseTensor is not supported. key: {self.key}"
            )
        if self.normalizer_fn is not None:
            t = self.normalizer_fn(t)
        return cast(t, dtypes.float32)

    @property
    def _variable_shape(self) -> TensorShape:
        return TensorShape(self.shape)

    def _get_dense_tensor(
        self, inputs: Any, weight_collections: Any = None, trainable: Any = None
    ) -> Any:
        return inputs.get(self)


class BucketizedColumn(
    _DenseColumn,
    _CategoricalColumn,
    collections.namedtuple("BucketizedColumn", ("source_column", "boundaries")),
):
    """A numeric column discretized by ``boundaries`` (one-hot dense, or sparse ids)."""

    @property
    def name(self) -> str:
        return f"{self.source_column.name}_bucketized"

    @property
    def _parse_example_spec(self) -> dict[str, Any]:
        return self.source_column._parse_example_spec  # type: ignore[no-any-return]

    def _transform_feature(self, inputs: Any) -> Any:
        return bucketize(inputs.get(self.source_column), boundaries=self.boundaries)

    @property
    def _variable_shape(self) -> TensorShape:
        return TensorShape((*self.source_column.shape, len(self.boundaries) + 1))

    def _get_dense_tensor(
        self, inputs: Any, weight_collections: Any = None, trainable: Any = None
    ) -> Any:
        return one_hot(
            indices=cast(inputs.get(self), dtypes.int64),
            depth=len(self.boundaries) + 1,
            on_value=1.0,
            off_value=0.0,
        )

    @property
    def _num_buckets(self) -> int:
        return (len(self.boundaries) + 1) * self.source_column.shape[0]  # type: ignore[no-any-return]

    def _get_sparse_tensors(
        self, inputs: Any, weight_collections: Any = None, trainable: Any = None
    ) -> Any:
        from scopeflow.ops.array_ops import reshape, stack  # noqa: PLC0415
        from scopeflow.ops.creation_ops import range as math_range  # noqa: PLC0415
        from scopeflow.ops.shape_ops import (  # noqa: PLC0415
            expand_dims,
            tile,
            transpose,
        )

        from ._base import IdWeightPair  # noqa: PLC0415

        t = inputs.get(self)
        batch_size = shape(t)[0]
        dim = self.source_column.shape[0]
        i1 = reshape(tile(expand_dims(math_range(0, batch_size), 1), [1, dim]), (-1,))
        i2 = tile(math_range(0, dim), [batch_size])
        bucket_indices = reshape(t, (-1,)) + (len(self.boundaries) + 1) * i2
        indices = cast(transpose(stack((i1, i2))), dtypes.int64)
        dense_shape = cast(stack([batch_size, dim]), dtypes.int64)
        return IdWeightPair(SparseTensor(indices, bucket_indices, dense_shape), None)


class IndicatorColumn(
    _DenseColumn, collections.namedtuple("IndicatorColumn", ("categorical_column",))
):
    """A multi-hot (or weight-summed) dense encoding of a categorical column."""

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}_indicator"

    def _transform_feature(self, inputs: Any) -> Any:
        pair = self.categorical_column._get_sparse_tensors(inputs)
        size = self._variable_shape[-1]
        size = size.value if hasattr(size, "value") else size
        if pair.weight_tensor is not None:
            merged = sparse_merge(
                sp_ids=pair.id_tensor, sp_values=pair.weight_tensor, vocab_size=int(size)
            )
            return scatter_nd(merged.indices, merged.values, merged.dense_shape)
        dense_ids = sparse_tensor_to_dense(pair.id_tensor, default_value=-1)
        hot = one_hot(dense_ids, depth=size, on_value=1.0, off_value=0.0)
        return reduce_sum(hot, axis=[-2])

    @property
    def _parse_example_spec(self) -> dict[str, Any]:
        return self.categorical_column._parse_example_spec  # type: ignore[no-any-return]

    @property
    def _variable_shape(self) -> TensorShape:
        return TensorShape([1, self.categorical_column._num_buckets])

    def _get_dense_tensor(
        self, inputs: Any, weight_collections: Any = None, trainable: Any = None
    ) -> Any:
        return inputs.get(self)


def _lookup(column: Any, sparse_ids: Any, sparse_weights: Any, weights: Any) -> Any:
    if column.ckpt_to_load_from is not None:
        init_from_checkpoint(column.ckpt_to_load_from, {column.tensor_name_in_ckpt: weights})
    if column.max_norm is not None:
        from scopeflow.errors import UnsupportedError  # noqa: PLC0415

        raise UnsupportedError(f"{column.name}: embedding max_norm")
    return safe_embedding_lookup_sparse(
        weights, sparse_ids, sparse_weights, combiner=column.combiner, name=f"{column.name}_weights"
    )


class EmbeddingColumn(
    _DenseColumn,
    collections.namedtuple(
        "EmbeddingColumn",
        (
            "categorical_column",
            "dimension",
            "combiner",
            "initializer",
            "ckpt_to_load_from",
            "tensor_name_in_ckpt",
            "max_norm",
            "trainable",
            "use_safe_embedding_lookup",
        ),
    ),
):
    """A trainable ``dimension``-vector per id, combined over each example's ids."""

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}_embedding"

    @property
    def _parse_example_spec(self) -> dict[str, Any]:
        return self.categorical_column._parse_example_spec  # type: ignore[no-any-return]

    def _transform_feature(self, inputs: Any) -> Any:
        return inputs.get(self.categorical_column)

    @property
    def _variable_shape(self) -> TensorShape:
        return TensorShape([self.dimension])

    def _get_dense_tensor(
        self, inputs: Any, weight_collections: Any = None, trainable: Any = None
    ) -> Any:
        pair = self.categorical_column._get_sparse_tensors(inputs, weight_collections, trainable)
        collections_ = weight_collections
        if collections_ and GraphKeys.GLOBAL_VARIABLES not in collections_:
            collections_.append(GraphKeys.GLOBAL_VARIABLES)
        weights = get_variable(
            name="embedding_weights",
            shape=(self.categorical_column._num_buckets, self.dimension),
            dtype=dtypes.float32,
            initializer=self.initializer,
            trainable=self.trainable and (trainable if trainable is not None else True),
            collections=collections_,
        )
        return _lookup(self, pair.id_tensor, pair.weight_tensor, weights)


class _SharedEmbeddingColumn(
    _DenseColumn,
    collections.namedtuple(
        "_SharedEmbeddingColumn",
        (
            "categorical_column",
            "dimension",
            "combiner",
            "initializer",
            "shared_embedding_collection_name",
            "ckpt_to_load_from",
            "tensor_name_in_ckpt",
            "max_norm",
            "trainable",
            "use_safe_embedding_lookup",
        ),
    ),
):
    """An embedding column whose variable is shared with the other columns of its group."""

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}_shared_embedding"

    @property
    def _var_scope_name(self) -> str:
        return self.shared_embedding_collection_name  # type: ignore[no-any-return]

    @property
    def _parse_example_spec(self) -> dict[str, Any]:
        return self.categorical_column._parse_example_spec  # type: ignore[no-any-return]

    def _transform_feature(self, inputs: Any) -> Any:
        return inputs.get(self.categorical_column)

    @property
    def _variable_shape(self) -> TensorShape:
        return TensorShape([self.dimension])

    def _get_dense_tensor(
        self, inputs: Any, weight_collections: Any = None, trainable: Any = None
    ) -> Any:
        g = get_default_graph()
        with g.name_scope(_scope(None, self.name)):
            pair = self.categorical_column._get_sparse_tensors(
                inputs, weight_collections, trainable
            )
            shape_ = (self.categorical_column._num_buckets, self.dimension)
            shared = g.get_collection(self.shared_embedding_collection_name)
            if shared:
                if len(shared) > 1:
                    raise ValueError(
                        f"Collection {shared} can only contain one variable. Suggested fix A: "
                        "Choose a unique name for this collection. Suggested fix B: Do not add "
                        "any variables to this collection. The feature_column library already "
                        "adds a variable under the hood."
                    )
                weights = shared[0]
                if tuple(weights.get_shape().as_list()) != shape_:
                    raise ValueError(
                        f"Shared embedding collection {self.shared_embedding_collection_name} "
                        f"contains variable {weights.name} of unexpected shape "
                        f"{weights.get_shape()}. Expected shape is {shape_}. Suggested fix A: "
                        "Choose a unique name for this collection. Suggested fix B: Do not add "
                        "any variables to this collection. The feature_column library already "
                        "adds a variable under the hood."
                    )
            else:
                weights = get_variable(
                    name="embedding_weights",
                    shape=shape_,
                    dtype=dtypes.float32,
                    initializer=self.initializer,
                    trainable=self.trainable and (trainable if trainable is not None else True),
                    collections=weight_collections,
                )
                g.add_to_collection(self.shared_embedding_collection_name, weights)
            return _lookup(self, pair.id_tensor, pair.weight_tensor, weights)


# --- factories ------------------------------------------------------------------------------


def _check_default_value(shape_: tuple[int, ...], default_value: Any, dtype: Any, key: str) -> Any:
    if default_value is None:
        return None
    if isinstance(default_value, int | float | np.integer | np.floating):
        if dtype.is_integer and not isinstance(default_value, int | np.integer):
            raise TypeError(
                f"The default_value of a numeric column must be compatible with "
                f"dtype. default_value: {default_value}, dtype: {dtype}, key: {key}"
            )
        return _nested(np.full(shape_, default_value))
    arr = np.array(default_value)
    if arr.shape != shape_:
        raise ValueError(
            f"The shape of default_value must be equal to given shape. "
            f"default_value: {default_value}, shape: {shape_}, key: {key}"
        )
    return _nested(arr)


def _nested(arr: np.ndarray) -> Any:
    if arr.ndim == 0:
        return arr.item()
    return tuple(_nested(a) for a in arr)


def numeric_column(
    key: str,
    shape: Any = (1,),
    default_value: Any = None,
    dtype: Any = dtypes.float32,
    normalizer_fn: Any = None,
) -> NumericColumn:
    """A real-valued feature (``tf.feature_column.numeric_column``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.feature_column.numeric_column("x", shape=2))
    NumericColumn(key='x', shape=(2,), default_value=None, dtype=tf.float32, normalizer_fn=None)
    """
    shape_ = check_shape(shape, key)
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError(f"dtype must be convertible to float. dtype: {dtype}, key: {key}")
    default = _check_default_value(shape_, default_value, dtype, key)
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"normalizer_fn must be a callable. Given: {normalizer_fn}")
    return NumericColumn(key, shape_, default, dtype, normalizer_fn)


def bucketized_column(source_column: Any, boundaries: Any) -> BucketizedColumn:
    """A numeric column discretized at ``boundaries``.

    >>> import scopeflow.compat.v1 as tf
    >>> age = tf.feature_column.numeric_column("age")
    >>> print(tf.feature_column.bucketized_column(age, [18, 65]).name)
    age_bucketized
    """
    if not isinstance(source_column, NumericColumn):
        raise ValueError(
            "source_column must be a column generated with numeric_column(). "
            f"Given: {source_column}"
        )
    if len(source_column.shape) > 1:
        raise ValueError(f"source_column must be one-dimensional column. Given: {source_column}")
    if not boundaries:
        raise ValueError("boundaries must not be empty.")
    if not isinstance(boundaries, list | tuple):
        raise ValueError("boundaries must be a sorted list.")
    for i in range(len(boundaries) - 1):
        if boundaries[i] >= boundaries[i + 1]:
            raise ValueError("boundaries must be a sorted list.")
    return BucketizedColumn(source_column, tuple(boundaries))


def indicator_column(categorical_column: Any) -> IndicatorColumn:
    """A multi-hot dense representation of a categorical column.

    >>> import scopeflow.compat.v1 as tf
    >>> ids = tf.feature_column.categorical_column_with_identity("i", 4)
    >>> print(tf.feature_column.indicator_column(ids).name)
    i_indicator
    """
    return IndicatorColumn(categorical_column)


def _embedding_checks(
    dimension: Any, ckpt: Any, tensor_name: Any, initializer: Any, what: str
) -> Any:
    if dimension is None or dimension < 1:
        raise ValueError(f"Invalid dimension {dimension}.")
    if (ckpt is None) != (tensor_name is None):
        raise ValueError(
            "Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or none of them."
        )
    if initializer is not None and not callable(initializer):
        raise ValueError(f"initializer must be callable if specified.{what}")
    if initializer is None:
        initializer = TruncatedNormal(mean=0.0, stddev=1.0 / math.sqrt(dimension))
    return initializer


def embedding_column(
    categorical_column: Any,
    dimension: int,
    combiner: str = "mean",
    initializer: Any = None,
    ckpt_to_load_from: Any = None,
    tensor_name_in_ckpt: Any = None,
    max_norm: Any = None,
    trainable: bool = True,
    use_safe_embedding_lookup: bool = True,
) -> Any:
    """A trainable embedding of a categorical column (``tf.feature_column.embedding_column``).

    >>> import scopeflow.compat.v1 as tf
    >>> ids = tf.feature_column.categorical_column_with_identity("i", 4)
    >>> print(tf.feature_column.embedding_column(ids, 3).name)
    i_embedding
    """
    initializer = _embedding_checks(
        dimension,
        ckpt_to_load_from,
        tensor_name_in_ckpt,
        initializer,
        f" Embedding of column_name: {categorical_column.name}",
    )
    return EmbeddingColumn(
        categorical_column,
        dimension,
        combiner,
        initializer,
        ckpt_to_load_from,
        tensor_name_in_ckpt,
        max_norm,
        trainable,
        use_safe_embedding_lookup,
    )


def shared_embedding_columns(
    categorical_columns: Any,
    dimension: int,
    combiner: str = "mean",
    initializer: Any = None,
    shared_embedding_collection_name: str | None = None,
    ckpt_to_load_from: Any = None,
    tensor_name_in_ckpt: Any = None,
    max_norm: Any = None,
    trainable: bool = True,
    use_safe_embedding_lookup: bool = True,
) -> list[Any]:
    """Embedding columns sharing one ``embedding_weights`` variable.

    >>> import scopeflow.compat.v1 as tf
    >>> a = tf.feature_column.categorical_column_with_identity("a", 4)
    >>> b = tf.feature_column.categorical_column_with_identity("b", 4)
    >>> print([c.name for c in tf.feature_column.shared_embedding_columns([a, b], 2)])
    ['a_shared_embedding', 'b_shared_embedding']
    """
    from ._categorical import WeightedCategoricalColumn  # noqa: PLC0415

    initializer = _embedding_checks(
        dimension, ckpt_to_load_from, tensor_name_in_ckpt, initializer, ""
    )
    sorted_columns = sorted(categorical_columns, key=lambda x: x.name)
    c0 = sorted_columns[0]
    num_buckets = c0._num_buckets
    if not isinstance(c0, _CategoricalColumn):
        raise ValueError(
            "All categorical_columns must be subclasses of _CategoricalColumn. "
            f"Given: {c0}, of type: {type(c0)}"
        )
    while isinstance(c0, WeightedCategoricalColumn):
        c0 = c0.categorical_column
    for column in sorted_columns[1:]:
        c = column
        while isinstance(c, WeightedCategoricalColumn):
            c = c.categorical_column
        if not isinstance(c, type(c0)):
            raise ValueError(
                "To use shared_embedding_column, all categorical_columns must have the same "
                "type, or be weighted_categorical_column or sequence column of the same type. "
                f"Given column: {c0} of type: {type(c0)} does not match given column: {c} of "
                f"type: {type(c)}"
            )
        if num_buckets != c._num_buckets:
            raise ValueError(
                "To use shared_embedding_column, all categorical_columns must have the same "
                f"number of buckets. ven column: {c0} with buckets: {num_buckets} does  not "
                f"match column: {c} with buckets: {c._num_buckets}"
            )
    if not shared_embedding_collection_name:
        shared_embedding_collection_name = "_".join(c.name for c in sorted_columns)
        shared_embedding_collection_name += "_shared_embedding"
    return [
        _SharedEmbeddingColumn(
            column,
            dimension,
            combiner,
            initializer,
            shared_embedding_collection_name,
            ckpt_to_load_from,
            tensor_name_in_ckpt,
            max_norm,
            trainable,
            use_safe_embedding_lookup,
        )
        for column in categorical_columns
    ]
