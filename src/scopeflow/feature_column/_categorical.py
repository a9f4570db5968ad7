"""Categorical columns: identity, vocabulary list/file, hash bucket, weighted and crossed.

Each turns its feature into a ``SparseTensor`` of int64 ids as TF 1.x does: dense inputs are
sparsified dropping ``''``/``-1`` cells; vocabulary columns look ids up in an index table
(``<key>_lookup``, out-of-vocabulary keys to ``default_value`` or hashed OOV buckets); hash
buckets are ``Fingerprint64 % size``; crosses are ``SparseCross`` hashed with
``FingerprintCat64``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.array_ops import fill, shape
from scopeflow.ops.gather_scatter_ops import where_v2
from scopeflow.ops.hash_ops import sparse_cross_hashed, string_to_hash_bucket_fast
from scopeflow.ops.lookup_ops import index_table_from_file, index_table_from_tensor
from scopeflow.ops.math_ops import cast, greater_equal, less, logical_or
from scopeflow.ops.parsing_ops import VarLenFeature
from scopeflow.ops.sparse_ops import SparseTensor
from scopeflow.ops.string_ops import as_string

from ._base import (
    IdWeightPair,
    _CategoricalColumn,
    _FeatureColumn,
    assert_string_or_int,
    convert_to_tensor_or_sparse_tensor,
    to_sparse_input_and_drop_ignore_values,
)


def _check_compatible(key: str, dtype: Any, tensor_dtype: Any) -> None:
    if dtype.is_integer != tensor_dtype.is_integer:
        raise ValueError(
            f"Column dtype and SparseTensors dtype must be compatible. key: {key}, "
            f"column dtype: {dtype}, tensor dtype: {tensor_dtype}"
        )


class _KeyedCategoricalColumn(_CategoricalColumn):
    """A categorical column named by its ``key``, parsed as a ``VarLenFeature`` of its ``dtype``."""

    __slots__ = ()

    @property
    def name(self) -> str:
        return self.key  # type: ignore[attr-defined, no-any-return]

    @property
    def _parse_example_spec(self) -> dict[str, Any]:
        return {self.key: VarLenFeature(self.dtype)}  # type: ignore[attr-defined]

    def _lookup(self, inputs: Any, make_table: Any) -> Any:
        """The input's ids in the index table ``make_table(key_dtype)`` (vocabulary columns)."""
        t = to_sparse_input_and_drop_ignore_values(inputs.get(self.key))  # type: ignore[attr-defined]
        _check_compatible(self.key, self.dtype, t.dtype)  # type: ignore[attr-defined]
        assert_string_or_int(t.dtype, prefix=f"column_name: {self.key} input_tensor")  # type: ignore[attr-defined]
        key_dtype = self.dtype  # type: ignore[attr-defined]
        if t.dtype.is_integer:
            key_dtype = dtypes.int64
            t = SparseTensor(t.indices, cast(t.values, dtypes.int64), t.dense_shape)
        with get_default_graph().control_dependencies(None):
            table = make_table(key_dtype)
        return table.lookup(t)


class HashedCategoricalColumn(
    _KeyedCategoricalColumn,
    collections.namedtuple("HashedCategoricalColumn", ("key", "hash_bucket_size", "dtype")),
):
    """Ids ``Fingerprint64(value) % hash_bucket_size`` (integers hashed as decimal strings)."""

    def _transform_feature(self, inputs: Any) -> Any:
        t = to_sparse_input_and_drop_ignore_values(inputs.get(self.key))
        if not isinstance(t, SparseTensor):
            raise ValueError("SparseColumn input must be a SparseTensor.")
        assert_string_or_int(t.dtype, prefix=f"column_name: {self.key} input_tensor")
        _check_compatible(self.key, self.dtype, t.dtype)
        values = t.values if self.dtype == dtypes.string else as_string(t.values)
        ids = string_to_hash_bucket_fast(values, self.hash_bucket_size, name="lookup")
        return SparseTensor(t.indices, ids, t.dense_shape)

    @property
    def _num_buckets(self) -> int:
        return self.hash_bucket_size  # type: ignore[no-any-return]


class VocabularyFileCategoricalColumn(
    _KeyedCategoricalColumn,
    collections.namedtuple(
        "VocabularyFileCategoricalColumn",
        (
            "key",
            "vocabulary_file",
            "vocabulary_size",
            "num_oov_buckets",
            "dtype",
            "default_value",
            "file_format",
        ),
    ),
):
    """Ids from the line numbers of a vocabulary file (``index_table_from_file``)."""

    def _transform_feature(self, inputs: Any) -> Any:
        return self._lookup(
            inputs,
            lambda key_dtype: index_table_from_file(
                vocabulary_file=self.vocabulary_file,
                num_oov_buckets=self.num_oov_buckets,
                vocab_size=self.vocabulary_size,
                default_value=self.default_value,
                key_dtype=key_dtype,
                name=f"{self.key}_lookup",
            ),
        )

    @property
    def _num_buckets(self) -> int:
        return self.vocabulary_size + self.num_oov_buckets  # type: ignore[no-any-return]


class VocabularyListCategoricalColumn(
    _KeyedCategoricalColumn,
    collections.namedtuple(
        "VocabularyListCategoricalColumn",
        ("key", "vocabulary_list", "dtype", "default_value", "num_oov_buckets"),
    ),
):
    """Ids from the positions in an in-memory vocabulary (``index_table_from_tensor``)."""

    def _transform_feature(self, inputs: Any) -> Any:
        return self._lookup(
            inputs,
            lambda key_dtype: index_table_from_tensor(
                vocabulary_list=tuple(self.vocabulary_list),
                default_value=self.default_value,
                num_oov_buckets=self.num_oov_buckets,
                dtype=key_dtype,
                name=f"{self.key}_lookup",
            ),
        )

    @property
    def _num_buckets(self) -> int:
        return len(self.vocabulary_list) + self.num_oov_buckets  # type: ignore[no-any-return]


class IdentityCategoricalColumn(
    _CategoricalColumn,
    collections.namedtuple("IdentityCategoricalColumn", ("key", "number_buckets", "default_value")),
):
    """Integer values used as ids; out-of-range ids become ``default_value`` if given."""

    @property
    def name(self) -> str:
        return self.key  # type: ignore[no-any-return]

    @property
    def _parse_example_spec(self) -> dict[str, Any]:
        return {self.key: VarLenFeature(dtypes.int64)}

    def _transform_feature(self, inputs: Any) -> Any:
        t = to_sparse_input_and_drop_ignore_values(inputs.get(self.key))
        if not t.dtype.is_integer:
            raise ValueError(f"Invalid input, not integer. key: {self.key} dtype: {t.dtype}")
        values = t.values
        if values.dtype.base_dtype != dtypes.int64:
            values = cast(values, dtypes.int64, name="values")
        if self.default_value is not None:
            values = cast(t.values, dtypes.int64, name="values")
            num_buckets = cast(self.number_buckets, dtypes.int64, name="num_buckets")
            zero = cast(0, dtypes.int64, name="zero")
            values = where_v2(
                logical_or(
                    less(values, zero), greater_equal(values, num_buckets), name="out_of_range"
                ),
                fill(
                    dims=shape(values),
                    value=cast(self.default_value, dtypes.int64),
                    name="default_values",
                ),
                values,
            )
        return SparseTensor(indices=t.indices, values=values, dense_shape=t.dense_shape)

    @property
    def num_buckets(self) -> int:
        """The number of distinct ids."""
        return self.number_buckets  # type: ignore[no-any-return]

    @property
    def _num_buckets(self) -> int:
        return self.number_buckets  # type: ignore[no-any-return]


class WeightedCategoricalColumn(
    _CategoricalColumn,
    collections.namedtuple(
        "WeightedCategoricalColumn", ("categorical_column", "weight_feature_key", "dtype")
    ),
):
    """A categorical column whose ids carry the values of a weight feature."""

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}_weighted_by_{self.weight_feature_key}"

    @property
    def _parse_example_spec(self) -> dict[str, Any]:
        config = dict(self.categorical_column._parse_example_spec)
        if self.weight_feature_key in config:
            raise ValueError(
                f"Parse config {config[self.weight_feature_key]} already exists "
                f"for {self.weight_feature_key}."
            )
        config[self.weight_feature_key] = VarLenFeature(self.dtype)
        return config

    @property
    def _num_buckets(self) -> int:
        return self.categorical_column._num_buckets  # type: ignore[no-any-return]

    def _transform_feature(self, inputs: Any) -> Any:
        weight = inputs.get(self.weight_feature_key)
        if weight is None:
            raise ValueError(f"Missing weights {self.weight_feature_key}.")
        weight = convert_to_tensor_or_sparse_tensor(weight)
        if self.dtype != weight.dtype.base_dtype:
            raise ValueError(f"Bad dtype, expected {self.dtype}, but got {weight.dtype}.")
        if not isinstance(weight, SparseTensor):
            weight = to_sparse_input_and_drop_ignore_values(weight, ignore_value=0.0)
        if not weight.dtype.is_floating:
            weight = SparseTensor(
                weight.indices, cast(weight.values, dtypes.float32), weight.dense_shape
            )
        return (inputs.get(self.categorical_column), weight)

    def _get_sparse_tensors(
        self, inputs: Any, weight_collections: Any = None, trainable: Any = None
    ) -> IdWeightPair:
        tensors = inputs.get(self)
        return IdWeightPair(tensors[0], tensors[1])


def _leaf_keys(cross: CrossedColumn) -> list[Any]:
    out: list[Any] = []
    for k in cross.keys:
        out.extend(_leaf_keys(k) if isinstance(k, CrossedColumn) else [k])
    return out


class CrossedColumn(
    _CategoricalColumn,
    collections.namedtuple("CrossedColumn", ("keys", "hash_bucket_size", "hash_key")),
):
    """The hashed cross of string features and categorical columns."""

    @property
    def name(self) -> str:
        names = [k.name if isinstance(k, _FeatureColumn) else k for k in _leaf_keys(self)]
        return "_X_".join(sorted(names))

    @property
    def _parse_example_spec(self) -> dict[str, Any]:
        config: dict[str, Any] = {}
        for key in self.keys:
            if isinstance(key, _FeatureColumn):
                config.update(key._parse_example_spec)
            else:
                config.update({key: VarLenFeature(dtypes.string)})
        return config

    def _transform_feature(self, inputs: Any) -> Any:
        tensors = []
        for key in _leaf_keys(self):
            if isinstance(key, str):
                tensors.append(inputs.get(key))
            elif isinstance(key, _CategoricalColumn):
                pair = key._get_sparse_tensors(inputs)
                if pair.weight_tensor is not None:
                    raise ValueError(
                        "crossed_column does not support weight_tensor, but the "
                        "given column populates weight_tensor. Given column: "
                        f"{key.name}"
                    )
                tensors.append(pair.id_tensor)
            else:
                raise ValueError(f"Unsupported column type. Given: {key}")
        return sparse_cross_hashed(
            tensors, num_buckets=self.hash_bucket_size, hash_key=self.hash_key
        )

    @property
    def _num_buckets(self) -> int:
        return self.hash_bucket_size  # type: ignore[no-any-return]


# --- factories ------------------------------------------------------------------------------


def categorical_column_with_hash_bucket(
    key: str, hash_bucket_size: int, dtype: Any = dtypes.string
) -> HashedCategoricalColumn:
    """Ids ``hash(value) % hash_bucket_size`` of a string or integer feature.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.feature_column.categorical_column_with_hash_bucket("w", 10).name)
    w
    """
    if hash_bucket_size is None:
        raise ValueError(f"hash_bucket_size must be set. key: {key}")
    if hash_bucket_size < 1:
        raise ValueError(
            f"hash_bucket_size must be at least 1. hash_bucket_size: {hash_bucket_size}, key: {key}"
        )
    dtype = dtypes.as_dtype(dtype)
    assert_string_or_int(dtype, prefix=f"column_name: {key}")
    return HashedCategoricalColumn(key, hash_bucket_size, dtype)


def categorical_column_with_vocabulary_file(
    key: str,
    vocabulary_file: str,
    vocabulary_size: int | None = None,
    num_oov_buckets: int = 0,
    default_value: int | None = None,
    dtype: Any = dtypes.string,
) -> Any:
    """Ids from a vocabulary file's line numbers (its line count if ``vocabulary_size`` is None).

    >>> import scopeflow.compat.v1 as tf
    >>> print(callable(tf.feature_column.categorical_column_with_vocabulary_file))
    True
    """
    if not vocabulary_file:
        raise ValueError(f"Missing vocabulary_file in {key}.")
    if vocabulary_size is None:
        if not Path(vocabulary_file).exists():
            raise ValueError(f"vocabulary_file in {key} does not exist.")
        with Path(vocabulary_file).open("rb") as f:
            vocabulary_size = sum(1 for _ in f)
    if vocabulary_size < 1:
        raise ValueError(f"Invalid vocabulary_size in {key}.")
    if num_oov_buckets:
        if default_value is not None:
            raise ValueError(
                f"Can't specify both default_value {default_value} and "
                f"num_oov_buckets {num_oov_buckets} in column_name: {key}"
            )
        if num_oov_buckets < 0:
            raise ValueError(f"Invalid num_oov_buckets {num_oov_buckets} in {key}.")
    dtype = dtypes.as_dtype(dtype)
    assert_string_or_int(dtype, prefix=f"column_name: {key} vocabulary")
    return VocabularyFileCategoricalColumn(
        key=key,
        vocabulary_file=vocabulary_file,
        vocabulary_size=vocabulary_size,
        num_oov_buckets=0 if num_oov_buckets is None else num_oov_buckets,
        default_value=-1 if default_value is None else default_value,
        dtype=dtype,
        file_format=None,
    )


def categorical_column_with_vocabulary_list(
    key: str,
    vocabulary_list: Any,
    dtype: Any = None,
    default_value: int = -1,
    num_oov_buckets: int = 0,
) -> Any:
    """Ids from positions in ``vocabulary_list``; others to ``default_value`` or OOV buckets.

    >>> import scopeflow.compat.v1 as tf
    >>> c = tf.feature_column.categorical_column_with_vocabulary_list("k", ["a", "b"])
    >>> print(c.dtype, c._num_buckets)
    <dtype: 'string'> 2
    """
    if vocabulary_list is None or len(vocabulary_list) < 1:
        raise ValueError(f"vocabulary_list {vocabulary_list} must be non-empty, column_name: {key}")
    if len(set(vocabulary_list)) != len(vocabulary_list):
        raise ValueError(f"Duplicate keys in vocabulary_list {vocabulary_list}, column_name: {key}")
    vocabulary_dtype = dtypes.as_dtype(np.array(vocabulary_list).dtype)
    if num_oov_buckets:
        if default_value != -1:
            raise ValueError(f"Can't specify both num_oov_buckets and default_value in {key}.")
        if num_oov_buckets < 0:
            raise ValueError(f"Invalid num_oov_buckets {num_oov_buckets} in {key}.")
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
        if dtype.is_integer != vocabulary_dtype.is_integer:
            raise ValueError(
                f"dtype {dtype} and vocabulary dtype {vocabulary_dtype} do not "
                f"match, column_name: {key}"
            )
    else:
        dtype = vocabulary_dtype
    assert_string_or_int(dtype, prefix=f"column_name: {key} vocabulary")
    assert_string_or_int(vocabulary_dtype, prefix=f"column_name: {key} vocabulary")
    return VocabularyListCategoricalColumn(
        key=key,
        vocabulary_list=tuple(vocabulary_list),
        dtype=dtype,
        default_value=default_value,
        num_oov_buckets=num_oov_buckets,
    )


def categorical_column_with_identity(
    key: str, num_buckets: int, default_value: int | None = None
) -> Any:
    """Integer values as ids in ``[0, num_buckets)``.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.feature_column.categorical_column_with_identity("i", 4)._num_buckets)
    4
    """
    if num_buckets < 1:
        raise ValueError(f"num_buckets {num_buckets} < 1, column_name {key}")
    if default_value is not None and (default_value < 0 or default_value >= num_buckets):
        raise ValueError(
            f"default_value {default_value} not in range [0, {num_buckets}), column_name {key}"
        )
    return IdentityCategoricalColumn(key, num_buckets, default_value)


def weighted_categorical_column(
    categorical_column: Any, weight_feature_key: str, dtype: Any = dtypes.float32
) -> Any:
    """A categorical column weighted by the values of ``weight_feature_key``.

    >>> import scopeflow.compat.v1 as tf
    >>> ids = tf.feature_column.categorical_column_with_identity("i", 4)
    >>> print(tf.feature_column.weighted_categorical_column(ids, "w").name)
    i_weighted_by_w
    """
    if dtype is None or not dtypes.as_dtype(dtype).is_floating:
        raise ValueError(f"dtype {dtype} is not convertible to float.")
    return WeightedCategoricalColumn(categorical_column, weight_feature_key, dtypes.as_dtype(dtype))


def crossed_column(keys: Any, hash_bucket_size: int, hash_key: int | None = None) -> Any:
    """The hashed cross of features (``FingerprintCat64`` of their hashes, as TF).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.feature_column.crossed_column(["b", "a"], 10).name)
    a_X_b
    """
    if not hash_bucket_size or hash_bucket_size < 1:
        raise ValueError(f"hash_bucket_size must be > 1. hash_bucket_size: {hash_bucket_size}")
    if not keys or len(keys) < 2:
        raise ValueError(f"keys must be a list with length > 1. Given: {keys}")
    for key in keys:
        if not isinstance(key, str | _CategoricalColumn):
            raise ValueError(
                "Unsupported key type. All keys must be either string, or "
                f"categorical column except HashedCategoricalColumn. Given: {key}"
            )
        if isinstance(key, HashedCategoricalColumn):
            raise ValueError(
                "categorical_column_with_hash_bucket is not supported for crossing. Hashing "
                "before crossing will increase probability of collision. Instead, use the "
                f"feature name as a string. Given: {key}"
            )
    return CrossedColumn(keys=tuple(keys), hash_bucket_size=hash_bucket_size, hash_key=hash_key)
