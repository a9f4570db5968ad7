"""Sparse value classes: ``tf.SparseTensor``, ``tf.IndexedSlices``; ``sparse_tensor_to_dense``.

A ``SparseTensor`` is TF's Python triple of tensors (``indices`` int64 ``[N, rank]``, ``values``
``[N]``, ``dense_shape`` int64 ``[rank]``); ``sparse_tensor_to_dense`` builds TF's
``SparseToDense`` op (differentiable in ``values``). ``sparse_placeholder`` creates the three
placeholders.

An ``IndexedSlices`` (rows ``values`` at ``indices`` of a ``dense_shape`` tensor) converts to a
dense tensor with TF's ``UnsortedSegmentSum``.

``Session.run`` fetches a ``SparseTensor`` as a ``SparseTensorValue`` and takes one as a feed key
(value: a ``SparseTensorValue`` or an ``(indices, values, dense_shape)`` tuple), as TF does.

``SparseTensor * dense`` and ``/`` and ``sparse_tensor_dense_matmul`` live in
``sparse_math_ops``; reshaping and reordering in ``sparse_reshape_ops``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import collections
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError, UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor, register_tensor_conversion_function
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import declare_fresh_output, register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _check_allowed
from scopeflow.ops._op_builder import UNKNOWN, make_op, shape_from_tensor
from scopeflow.ops.array_ops import placeholder, placeholder_with_default, zeros
from scopeflow.ops.math_ops import _scope

SparseTensorValue = collections.namedtuple(
    "SparseTensorValue", ["indices", "values", "dense_shape"]
)
SparseTensorValue.__doc__ = (
    "The value of a ``SparseTensor``: NumPy ``indices, values, dense_shape``."
)


class SparseTensor:
    """A sparse tensor: ``values[i]`` at ``indices[i]`` of a ``dense_shape`` tensor.

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1.0, 2.0], dense_shape=[3, 4])
    >>> print(sp.shape, sp.values.name)
    (3, 4) SparseTensor/values:0
    """

    def __init__(self, indices: Any, values: Any, dense_shape: Any) -> None:
        g = get_default_graph()
        with g.name_scope(_scope(None, "SparseTensor")):
            self._indices = convert_to_tensor(indices, dtype=dtypes.int64, name="indices")
            self._values = convert_to_tensor(values, name="values")
            self._dense_shape = convert_to_tensor(
                dense_shape, dtype=dtypes.int64, name="dense_shape"
            )
        ish, vsh, dsh = self._indices._shape, self._values._shape, self._dense_shape._shape
        ish = ish.with_rank(2)
        vsh = vsh.with_rank(1)
        dsh = dsh.with_rank(1)
        ish.dims[0].merge_with(vsh.dims[0])  # type: ignore[index]
        ish.dims[1].merge_with(dsh.dims[0])  # type: ignore[index]

    @classmethod
    def from_value(cls, sparse_tensor_value: Any) -> SparseTensor:
        """A ``SparseTensor`` of constants from a ``SparseTensorValue``."""
        return cls(
            sparse_tensor_value.indices, sparse_tensor_value.values, sparse_tensor_value.dense_shape
        )

    @property
    def indices(self) -> Tensor:
        """The int64 ``[N, rank]`` indices of the non-default values."""
        return self._indices

    @property
    def values(self) -> Tensor:
        """The ``[N]`` values."""
        return self._values

    @property
    def dense_shape(self) -> Tensor:
        """The int64 ``[rank]`` shape of the dense tensor."""
        return self._dense_shape

    @property
    def dtype(self) -> dtypes.DType:
        """The dtype of the values."""
        return self._values._dtype

    @property
    def op(self) -> Operation:
        """The op producing ``values``."""
        return self._values._op

    @property
    def graph(self) -> Any:
        """The graph of the components."""
        return self._values._op._graph

    @property
    def shape(self) -> TensorShape:
        """The static dense shape (from ``dense_shape``'s known value)."""
        return shape_from_tensor(self._dense_shape)

    def get_shape(self) -> TensorShape:
        """The static dense shape."""
        return self.shape

    def eval(self, feed_dict: Any = None, session: Any = None) -> Any:
        """This value as a ``SparseTensorValue`` in ``session`` (default: the default session)."""
        from scopeflow.graph.session import _run_using_default_session  # noqa: PLC0415

        return _run_using_default_session(self, feed_dict, self.graph, session)

    def consumers(self) -> list[Operation]:
        """The ops reading any component."""
        out: list[Operation] = []
        for t in (self._indices, self._values, self._dense_shape):
            out.extend(c for c in t.consumers() if c not in out)
        return out

    def _fetch_components(self) -> tuple[Tensor, Tensor, Tensor]:
        """What ``Session.run`` fetches for this value (rebuilt by ``_fetch_value``)."""
        return (self._indices, self._values, self._dense_shape)

    @staticmethod
    def _fetch_value(indices: Any, values: Any, dense_shape: Any) -> Any:
        return SparseTensorValue(indices, values, dense_shape)

    def _feed_components(self, value: Any) -> list[tuple[Tensor, Any]]:
        """The per-tensor feeds for a ``SparseTensorValue`` (or ``(indices, values, shape)``)."""
        if isinstance(value, SparseTensor):
            raise TypeError(
                "The value of a feed cannot be a tf.Tensor object. Acceptable feed values include "
                "Python scalars, strings, lists, numpy ndarrays, or TensorHandles."
            )
        try:
            indices, values, dense_shape = value
        except (TypeError, ValueError):
            raise TypeError(
                f"Cannot feed {value!r} for a SparseTensor: expected a SparseTensorValue or a "
                "(indices, values, dense_shape) tuple."
            ) from None
        return [
            (self._indices, indices),
            (self._values, values),
            (self._dense_shape, dense_shape),
        ]

    def __mul__(self, y: Any) -> SparseTensor:
        from scopeflow.ops.sparse_math_ops import sparse_dense_cwise_mul  # noqa: PLC0415

        return sparse_dense_cwise_mul(self, y)

    def __truediv__(self, y: Any) -> SparseTensor:
        from scopeflow.ops.sparse_math_ops import sparse_dense_cwise_div  # noqa: PLC0415

        return sparse_dense_cwise_div(self, y)

    __div__ = __truediv__

    def _as_graph_element(self) -> Any:
        raise UnsupportedError(
            "a SparseTensor where a single tensor or op is expected",
            "Use its .indices, .values or .dense_shape tensor.",
        )

    def __repr__(self) -> str:
        return (
            f"SparseTensor(indices={self._indices}, values={self._values}, "
            f"dense_shape={self._dense_shape})"
        )


def convert_to_sparse_tensor(sp_input: Any) -> SparseTensor:
    """``sp_input`` as a ``SparseTensor`` (TF's ``_convert_to_sparse_tensor``).

    A ``SparseTensorValue`` becomes a ``SparseTensor`` of constants; anything else but a
    ``SparseTensor`` raises TF's ``TypeError``.
    """
    if isinstance(sp_input, SparseTensorValue):
        return SparseTensor.from_value(sp_input)
    if not isinstance(sp_input, SparseTensor):
        raise TypeError("Input must be a SparseTensor.")
    return sp_input


def sparse_tensor_to_dense(
    sp_input: Any, default_value: Any = None, validate_indices: bool = True, name: str | None = None
) -> Tensor:
    """The dense tensor of ``sp_input`` with ``default_value`` elsewhere (op ``SparseToDense``).

    With ``validate_indices`` the indices must be in bounds, sorted and unique (TF's run-time
    ``InvalidArgumentError`` texts).
    """
    if not isinstance(sp_input, SparseTensor):
        raise TypeError(f"Input must be a SparseTensor. Received: {sp_input}")
    dt = sp_input.dtype.base_dtype
    if default_value is None:
        default = zeros([], dtype=dt)
        scope = _scope(name, "SparseToDense")
    else:
        scope = _scope(name, "SparseToDense")
        default = convert_to_tensor(default_value, dtype=dt, name=scope + "default_value/")
    return make_op(
        "SparseToDense",
        (sp_input.indices, sp_input.dense_shape, sp_input.values, default),
        {"T": dt, "Tindices": dtypes.int64, "validate_indices": bool(validate_indices)},
        scope,
        dt,
        sp_input.shape,
    )


def _index_str(ix: list[int]) -> str:
    return "[" + ",".join(map(str, ix)) + "]"


@register_kernel("SparseToDense")
def _to_dense_kernel(op: Operation, session: Any) -> Any:
    validate = op._attrs["validate_indices"]

    def kernel(indices: torch.Tensor, shape: torch.Tensor, values: Any, default: Any) -> Any:
        dims = shape.tolist()
        strings = isinstance(values, np.ndarray)  # string values are object arrays
        rank = values.ndim if strings else values.dim()
        idx = indices.reshape(len(values) if rank else -1, len(dims)).long()
        if validate:
            prev: list[int] | None = None
            for i, ix in enumerate(idx.tolist()):
                if any(not 0 <= v < n for v, n in zip(ix, dims, strict=True)):
                    raise InvalidArgumentError(
                        None,
                        op,
                        f"indices[{i}] = {_index_str(ix)} is out "
                        f"of bounds: need 0 <= index < {_index_str(dims)}",
                    )
                if prev is not None and ix == prev:
                    raise InvalidArgumentError(
                        None, op, f"indices[{i}] = {_index_str(ix)} is repeated"
                    )
                if prev is not None and ix < prev:
                    raise InvalidArgumentError(
                        None,
                        op,
                        f"indices[{i}] = {_index_str(ix)} is out of order. Many sparse "
                        "ops require sorted indices.\n    Use `tf.sparse.reorder` to create a "
                        "correctly ordered copy.\n\n",
                    )
                prev = ix
        if strings:
            out_s = np.full(dims, np.asarray(default).reshape(-1)[0], dtype=object)
            vals_s = np.broadcast_to(values, (idx.shape[0],)) if rank == 0 else values
            for ix, v in zip(idx.tolist(), vals_s.reshape(-1), strict=True):
                out_s[tuple(ix)] = v
            return out_s
        out = default.expand(dims).clone()
        vals = values.expand(idx.shape[0]) if rank == 0 else values
        return out.index_put((*idx.t(),), vals)

    return kernel


def sparse_placeholder(dtype: Any, shape: Any = None, name: str | None = None) -> SparseTensor:
    """Placeholders for the three components of a ``SparseTensor`` (``tf.sparse_placeholder``).

    Feed them component-wise: ``{sp.indices: ..., sp.values: ..., sp.dense_shape: ...}``.
    """
    rank = None
    if shape is not None and not isinstance(shape, Tensor):
        st = TensorShape(shape)
        rank = st.ndims
        if st.is_fully_defined():
            dense = placeholder_with_default(
                convert_to_tensor(st.as_list(), dtype=dtypes.int64),
                [rank],
                name=None if name is None else name + "/shape",
            )
        else:
            dense = placeholder(
                dtypes.int64, [rank], name=None if name is None else name + "/shape"
            )
    else:
        dense = placeholder(dtypes.int64, [None], name=None if name is None else name + "/shape")
    values = placeholder(dtype, [None], name=None if name is None else name + "/values")
    indices = placeholder(
        dtypes.int64, [None, rank], name=None if name is None else name + "/indices"
    )
    sp = SparseTensor.__new__(SparseTensor)
    sp._indices, sp._values, sp._dense_shape = indices, values, dense
    return sp


# --- IndexedSlices --------------------------------------------------------------------------------


class IndexedSlices:
    """Rows ``values`` at ``indices`` of a tensor of ``dense_shape`` (``tf.IndexedSlices``).

    Converts to a dense tensor (``UnsortedSegmentSum`` of the rows) when used as a tensor.
    """

    def __init__(self, values: Any, indices: Any, dense_shape: Any = None) -> None:
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    @property
    def values(self) -> Any:
        """The rows."""
        return self._values

    @property
    def indices(self) -> Any:
        """The row indices."""
        return self._indices

    @property
    def dense_shape(self) -> Any:
        """The shape of the dense tensor (or None)."""
        return self._dense_shape

    @property
    def name(self) -> str:
        """The name of ``values``."""
        return self._values.name  # type: ignore[no-any-return]

    @property
    def dtype(self) -> dtypes.DType:
        """The dtype of ``values``."""
        return self._values.dtype  # type: ignore[no-any-return]

    @property
    def op(self) -> Operation:
        """The op producing ``values``."""
        return self._values.op  # type: ignore[no-any-return]

    @property
    def graph(self) -> Any:
        """The graph of ``values``."""
        return self._values.graph

    @property
    def device(self) -> str:
        """The device of ``values``."""
        return self._values.device  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        shape = "" if self._dense_shape is None else f", dense_shape={self._dense_shape}"
        return f"IndexedSlices(indices={self._indices}, values={self._values}{shape})"

    def _fetch_components(self) -> tuple[Any, ...]:
        """What ``Session.run`` fetches for this value (rebuilt by ``_fetch_value``)."""
        if self._dense_shape is None:
            return (self._values, self._indices)
        return (self._values, self._indices, self._dense_shape)

    @staticmethod
    def _fetch_value(values: Any, indices: Any, dense_shape: Any = None) -> Any:
        return IndexedSlicesValue(values, indices, dense_shape)


IndexedSlicesValue = collections.namedtuple(
    "IndexedSlicesValue", ["values", "indices", "dense_shape"]
)
IndexedSlicesValue.__doc__ = (
    "The value of an ``IndexedSlices`` from ``Session.run``: NumPy ``values, indices, "
    "dense_shape``."
)


def _indexed_slices_to_tensor(
    value: IndexedSlices, dtype: Any = None, name: Any = None, as_ref: bool = False
) -> Tensor:
    if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
        raise ValueError(
            f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} for "
            f"IndexedSlices with dtype {value.dtype.name}"
        )
    if value.dense_shape is None:
        raise ValueError(
            "Tensor conversion requested for IndexedSlices for argument `value` "
            f"without dense_shape: {value!r}"
        )
    from scopeflow.ops.slicing_ops import strided_slice  # noqa: PLC0415

    ds = convert_to_tensor(value.dense_shape)
    n = strided_slice(ds, [0], [1], shrink_axis_mask=1) if ds._const is None else ds._const[0]
    return unsorted_segment_sum(value.values, value.indices, n, name=name)


register_tensor_conversion_function(IndexedSlices, _indexed_slices_to_tensor)


def unsorted_segment_sum(
    data: Any, segment_ids: Any, num_segments: Any, name: str | None = None
) -> Tensor:
    """Sums of the ``data`` rows with equal ``segment_ids`` (``tf.math.unsorted_segment_sum``).

    Output shape ``[num_segments] + data.shape[segment_ids.rank:]``; ids < 0 are dropped.
    """
    scope = _scope(name, "UnsortedSegmentSum")
    x = convert_to_tensor(data, name=scope + "data/")
    ids = convert_to_tensor(segment_ids, name=scope + "segment_ids/")
    _check_allowed(ids, (dtypes.int32, dtypes.int64), "segment_ids")
    num = convert_to_tensor(num_segments, name=scope + "num_segments/")
    _check_allowed(num, (dtypes.int32, dtypes.int64), "num_segments")
    out = UNKNOWN
    if x._shape.dims is not None and ids._shape.dims is not None:
        k = None if num._const is None else int(num._const)
        out = TensorShape([k, *x._shape.dims[len(ids._shape.dims) :]])
    return make_op(
        "UnsortedSegmentSum",
        (x, ids, num),
        {
            "T": x._dtype.base_dtype,
            "Tindices": ids._dtype.base_dtype,
            "Tnumsegments": num._dtype.base_dtype,
        },
        scope,
        x._dtype.base_dtype,
        out,
    )


@register_kernel("UnsortedSegmentSum")
def _segment_sum_kernel(op: Operation, session: Any) -> Any:
    def kernel(data: torch.Tensor, ids: torch.Tensor, num: torch.Tensor) -> torch.Tensor:
        n = int(num)
        flat = ids.reshape(-1).long()
        rows = data.reshape(flat.shape[0], *data.shape[ids.dim() :])
        bad = flat >= n
        if bool(bad.any()):
            i = int(bad.nonzero()[0])
            raise InvalidArgumentError(
                None, op, f"segment_ids[{i}] = {int(flat[i])} is out of range [0, {n})"
            )
        keep = flat >= 0
        out = torch.zeros((n, *rows.shape[1:]), dtype=data.dtype)
        return out.index_add_(0, flat[keep], rows[keep])  # in place: no copy of the fresh zeros

    return kernel


declare_fresh_output("UnsortedSegmentSum")


__all__ = [
    "IndexedSlices",
    "IndexedSlicesValue",
    "SparseTensor",
    "SparseTensorValue",
    "convert_to_sparse_tensor",
    "sparse_placeholder",
    "sparse_tensor_to_dense",
    "unsorted_segment_sum",
]
