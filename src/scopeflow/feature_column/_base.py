"""The feature-column protocol of TF 1.x: base classes, the lazy builder and shared helpers.

A column is an immutable namedtuple with TF's fields and the v1 methods estimator code calls:
``name``, ``_var_scope_name``, ``_parse_example_spec``, ``_transform_feature(builder)``; dense
columns add ``_variable_shape`` and ``_get_dense_tensor(builder, weight_collections,
trainable)``; categorical ones ``_num_buckets`` and ``_get_sparse_tensors(...)`` returning an
``IdWeightPair``. ``_LazyBuilder`` caches raw features (rank 1 expanded to rank 2, rank 0
rejected) and transformed columns, so a column shared by several consumers is built once.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import abc
import collections
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._math_common import _scope
from scopeflow.ops.array_ops import shape
from scopeflow.ops.gather_scatter_ops import gather_nd, where_v2
from scopeflow.ops.math_ops import cast, not_equal
from scopeflow.ops.shape_ops import expand_dims
from scopeflow.ops.sparse_ops import SparseTensor, SparseTensorValue
from scopeflow.ops.sparse_reshape_ops import sparse_reshape

IdWeightPair = collections.namedtuple("IdWeightPair", ["id_tensor", "weight_tensor"])


class _FeatureColumn(abc.ABC):
    """Base of every column: a name, a parse spec and a transformation."""

    __slots__ = ()

    @property
    @abc.abstractmethod
    def name(self) -> str:
        """The column's name (for base columns, its key in the features dict)."""

    @property
    def _var_scope_name(self) -> str:
        return self.name

    @property
    @abc.abstractmethod
    def _parse_example_spec(self) -> dict[str, Any]:
        """The ``tf.parse_example`` features this column reads."""

    @abc.abstractmethod
    def _transform_feature(self, inputs: _LazyBuilder) -> Any:
        """The column's intermediate tensor, built from ``inputs`` (cached there)."""

    def _reset_config(self) -> None:  # noqa: B027  (a hook with a default, as in TF)
        """Nothing to reset (TF's hook for columns with mutable state)."""

    def __lt__(self, other: Any) -> bool:
        return str(self) < str(other)

    def __gt__(self, other: Any) -> bool:
        return str(self) > str(other)


class _DenseColumn(_FeatureColumn):
    """A column giving a dense ``[batch] + _variable_shape`` float tensor."""

    __slots__ = ()

    @property
    @abc.abstractmethod
    def _variable_shape(self) -> Any:
        """The ``TensorShape`` of one example's dense value."""

    @abc.abstractmethod
    def _get_dense_tensor(
        self, inputs: _LazyBuilder, weight_collections: Any = None, trainable: Any = None
    ) -> Any:
        """The ``[batch] + _variable_shape`` dense tensor of this column."""


class _CategoricalColumn(_FeatureColumn):
    """A column giving sparse int64 ids in ``[0, _num_buckets)`` (and optional weights)."""

    __slots__ = ()

    @property
    @abc.abstractmethod
    def _num_buckets(self) -> int:
        """How many ids this column can give."""

    def _get_sparse_tensors(
        self, inputs: _LazyBuilder, weight_collections: Any = None, trainable: Any = None
    ) -> IdWeightPair:
        return IdWeightPair(inputs.get(self), None)


def convert_to_tensor_or_sparse_tensor(value: Any) -> Any:
    """A ``SparseTensor`` as is (or from a ``SparseTensorValue``), anything else as a tensor."""
    if isinstance(value, SparseTensor):
        return value
    if isinstance(value, SparseTensorValue):
        return SparseTensor.from_value(value)
    return convert_to_tensor(value)


class _LazyBuilder:
    """Builds and caches raw and transformed features for a set of columns (TF's builder)."""

    def __init__(self, features: dict[Any, Any]) -> None:
        self._features = dict(features)
        self._feature_tensors: dict[Any, Any] = {}

    def get(self, key: Any) -> Any:
        """The tensor of a raw feature ``key`` (a str) or of a transformed column."""
        if key in self._feature_tensors:
            return self._feature_tensors[key]
        if key in self._features:
            t = self._get_raw_feature_as_tensor(key)
            self._feature_tensors[key] = t
            return t
        if isinstance(key, str):
            raise ValueError(f"Feature {key} is not in features dictionary.")
        if not isinstance(key, _FeatureColumn):
            raise TypeError(f'"key" must be either a "str" or "_FeatureColumn". Provided: {key}')
        transformed = key._transform_feature(self)
        if transformed is None:
            raise ValueError(f"Column {key.name} is not supported.")
        self._feature_tensors[key] = transformed
        return transformed

    def _get_raw_feature_as_tensor(self, key: str) -> Any:
        t = convert_to_tensor_or_sparse_tensor(self._features[key])
        r = t.get_shape().ndims
        if r is None:
            raise UnsupportedError(
                f"feature {key!r} of unknown rank",
                "Give the feature a static rank (TF would build a cond on its run-time rank).",
            )
        if r == 0:
            raise ValueError(f"Feature (key: {key}) cannot have rank 0. Given: {t}")
        if r != 1:
            return t
        if isinstance(t, SparseTensor):
            return sparse_reshape(t, [t.dense_shape[0], 1])
        return expand_dims(t, -1)


def to_sparse_input_and_drop_ignore_values(input_tensor: Any, ignore_value: Any = None) -> Any:
    """A dense tensor as a ``SparseTensor`` without its ``ignore_value`` cells (TF's helper).

    The default ignore value is ``''`` for strings and ``-1`` for integers.
    """
    t = convert_to_tensor_or_sparse_tensor(input_tensor)
    if isinstance(t, SparseTensor):
        return t
    g = get_default_graph()
    with g.name_scope(_scope(None, "to_sparse_input")):
        if ignore_value is None:
            if t.dtype.base_dtype == dtypes.string:
                ignore_value = ""
            elif t.dtype.is_integer:
                ignore_value = -1
            else:
                ignore_value = t.dtype.as_numpy_dtype()
        ignore = cast(ignore_value, t.dtype.base_dtype, name="ignore_value")
        indices = where_v2(not_equal(t, ignore), name="indices")
        return SparseTensor(
            indices=indices,
            values=gather_nd(t, indices, name="values"),
            dense_shape=shape(t, out_type=dtypes.int64, name="dense_shape"),
        )


def normalize_feature_columns(feature_columns: Any) -> list[Any]:
    """The columns as a list, checked: columns only, unique names, non-empty."""
    if isinstance(feature_columns, _FeatureColumn):
        feature_columns = [feature_columns]
    if isinstance(feature_columns, collections.abc.Iterator):
        feature_columns = list(feature_columns)
    if isinstance(feature_columns, dict):
        raise ValueError("Expected feature_columns to be iterable, found dict.")
    for column in feature_columns:
        if not isinstance(column, _FeatureColumn):
            raise ValueError(
                f"Items of feature_columns must be a _FeatureColumn. Given (type "
                f"{type(column)}): {column}."
            )
    if not feature_columns:
        raise ValueError("feature_columns must not be empty.")
    name_to_column: dict[str, Any] = {}
    for column in feature_columns:
        if column.name in name_to_column:
            raise ValueError(
                f"Duplicate feature column name found for columns: {column} and "
                f"{name_to_column[column.name]}. This usually means that these "
                "columns refer to same base feature. Either one must be discarded "
                "or a duplicated but renamed item must be inserted in features "
                "dict."
            )
        name_to_column[column.name] = column
    return list(feature_columns)


def assert_string_or_int(dtype: Any, prefix: str) -> None:
    """TF's ``fc_utils.assert_string_or_int``."""
    if dtype != dtypes.string and not dtype.is_integer:
        raise ValueError(f"{prefix} dtype must be string or integer. dtype: {dtype}.")


def check_shape(shape_: Any, key: str) -> tuple[int, ...]:
    """``shape`` as a tuple of ints (TF's ``_check_shape``)."""
    if not isinstance(shape_, collections.abc.Iterable):
        shape_ = [shape_]
    try:
        shape_ = tuple(shape_)
    except TypeError:
        raise ValueError(f"shape must be convertible to TensorShape. Given: {shape_}") from None
    for dim in shape_:
        if not isinstance(dim, int | np.integer):
            raise TypeError(f"shape dimensions must be integer. shape: {shape_}, key: {key}")
        if dim < 1:
            raise ValueError(
                f"shape dimensions must be greater than 0. shape: {shape_}, key: {key}"
            )
    return tuple(int(d) for d in shape_)


def verify_static_batch_size_equality(tensors: list[Tensor], columns: list[Any]) -> None:
    """All outputs share one static batch size (TF's check)."""
    expected = None
    expected_i = 0
    for i, t in enumerate(tensors):
        dims = t.get_shape().dims
        batch = dims[0].value if dims else None
        if batch is not None:
            if expected is None:
                expected, expected_i = batch, i
            elif batch != expected:
                raise ValueError(
                    "Batch size (first dimension) of each feature must be same. Batch size of "
                    f"columns ({columns[expected_i].name}, {columns[i].name}): ({expected}, "
                    f"{batch})"
                )
