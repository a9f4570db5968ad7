"""``tf.parse_single_sequence_example``: one serialized ``tf.train.SequenceExample`` to tensors.

One op, ``ParseSequenceExampleV2`` named ``ParseSingleSequenceExample/ParseSequenceExample/
ParseSequenceExampleV2`` as in TF 2, with TF's output order: the context ``VarLenFeature``
indices, values and shapes, the context ``FixedLenFeature`` values, the feature-list
``VarLenFeature`` indices (``[time, j]``), values and shapes, the feature-list
``FixedLenSequenceFeature`` values (``[time, *shape]``) and their lengths; each group in sorted
key order. Returns ``(context, feature_lists)`` dicts.

Differences from TensorFlow:
    The keys and defaults are private attributes of the op (TF also has their ``Const`` ops);
    such a graph exported with ``as_graph_def`` does not hold TF's node. ``RaggedFeature`` and
    ``SparseFeature`` raise ``UnsupportedError``; error texts for malformed protos are shorter
    than TF's.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow import errors
from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow._core.tensor_shape import TensorShape, as_shape
from scopeflow.graph._torch_dtypes import to_numpy, to_torch
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._op_builder import make_multi_op
from scopeflow.ops.parsing_ops import (
    _C_NAME,
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
    _check_dtype,
    _values,
)
from scopeflow.ops.sparse_ops import SparseTensor
from scopeflow.ops.tensor_util import constant_value


def _np_dtype(dt: dtypes.DType) -> Any:
    return object if dt == dtypes.string else dt.as_numpy_dtype


def _default(key: str, spec: Any, dt: dtypes.DType, dims: list[int]) -> Any:
    value = spec.default_value
    if isinstance(value, Tensor):
        value = constant_value(value)
        if value is None:
            raise errors.UnsupportedError(
                f"a default_value tensor whose value is not constant (key {key})"
            )
    if value is None:
        return None
    if dt == dtypes.string:
        encode = np.vectorize(
            lambda v: v.encode() if isinstance(v, str) else bytes(v), otypes=[object]
        )
        return encode(np.asarray(value, dtype=object)).reshape(dims)
    return np.asarray(value, dtype=dt.as_numpy_dtype).reshape(dims)


def _split(
    features: dict[str, Any] | None, dense_type: Any, where: str
) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    sparse, dense = [], []
    for key in sorted(features or {}):
        spec: Any = (features or {})[key]
        if isinstance(spec, VarLenFeature):
            sparse.append((key, _check_dtype("sparse_types", spec.dtype)))
        elif isinstance(spec, dense_type):
            dt = _check_dtype("dense_types", spec.dtype)
            shape = as_shape(spec.shape)
            if not shape.is_fully_defined():
                raise ValueError(f"All dense shapes must be fully defined; got {shape} for {key}")
            dims = [int(d or 0) for d in shape.as_list()]  # fully defined: no None
            default = _default(key, spec, dt, dims) if dense_type is FixedLenFeature else None
            allow_missing = bool(getattr(spec, "allow_missing", False))
            dense.append((key, (dt, dims, default, allow_missing)))
        else:
            raise errors.UnsupportedError(f"the {where} feature spec {type(spec).__name__} ({key})")
    return sparse, dense


def parse_single_sequence_example(
    serialized: Any,
    context_features: dict[str, Any] | None = None,
    sequence_features: dict[str, Any] | None = None,
    example_name: Any = None,
    name: str | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Parses one serialized ``SequenceExample`` (``tf.io.parse_single_sequence_example``).

    ``context_features`` take ``VarLenFeature``/``FixedLenFeature``; ``sequence_features`` take
    ``VarLenFeature`` (a ``[time, max_len]`` ``SparseTensor``) and ``FixedLenSequenceFeature``
    (a ``[time, *shape]`` tensor).

    >>> import scopeflow.compat.v1 as tf
    >>> s = tf.placeholder(tf.string, [])
    >>> _, seq = tf.parse_single_sequence_example(
    ...     s, sequence_features={"x": tf.FixedLenSequenceFeature([2], tf.float32)})
    >>> print(seq["x"].name, seq["x"].shape)
    ParseSingleSequenceExample/ParseSequenceExample/ParseSequenceExampleV2:0 (?, 2)
    """
    del example_name  # only used by TF in error messages
    if not context_features and not sequence_features:
        raise ValueError("Must provide at least one context_feature or sequence_feature.")
    ctx_sparse, ctx_dense = _split(context_features, FixedLenFeature, "context")
    fl_sparse, fl_dense = _split(sequence_features, FixedLenSequenceFeature, "sequence")
    with name_scope(name, "ParseSingleSequenceExample"), name_scope(None, "ParseSequenceExample"):
        s = convert_to_tensor(serialized, dtype=dtypes.string, name="serialized")
        if s.shape.ndims not in (0, None):
            raise ValueError(f"Input serialized must be a scalar; got rank {s.shape.ndims}")
        out_dtypes: list[dtypes.DType] = []
        out_shapes: list[TensorShape] = []

        def add_sparse(sparse: list[tuple[str, Any]], rank: int) -> None:
            out_dtypes.extend([dtypes.int64] * len(sparse))
            out_shapes.extend([TensorShape([None, rank])] * len(sparse))
            out_dtypes.extend(dt for _, dt in sparse)
            out_shapes.extend([TensorShape([None])] * len(sparse))
            out_dtypes.extend([dtypes.int64] * len(sparse))
            out_shapes.extend([TensorShape([rank])] * len(sparse))

        add_sparse(ctx_sparse, 1)
        for _, (dt, dims, _, _) in ctx_dense:
            out_dtypes.append(dt)
            out_shapes.append(TensorShape(dims))
        add_sparse(fl_sparse, 2)
        for _, (dt, dims, _, _) in fl_dense:
            out_dtypes.append(dt)
            out_shapes.append(TensorShape([None, *dims]))
        out_dtypes.extend([dtypes.int64] * len(fl_dense))
        out_shapes.extend([TensorShape([])] * len(fl_dense))
        op = make_multi_op(
            "ParseSequenceExampleV2",
            [s],
            {
                "_context_sparse": tuple(ctx_sparse),
                "_context_dense": tuple(ctx_dense),
                "_feature_list_sparse": tuple(fl_sparse),
                "_feature_list_dense": tuple(fl_dense),
            },
            "ParseSequenceExampleV2",
            out_dtypes,
            out_shapes,
        )
    outs = list(op.outputs)
    context: dict[str, Any] = {}
    feature_lists: dict[str, Any] = {}
    n = len(ctx_sparse)
    for i, (key, _) in enumerate(ctx_sparse):
        context[key] = SparseTensor(outs[i], outs[n + i], outs[2 * n + i])
    pos = 3 * n
    for key, _ in ctx_dense:
        context[key] = outs[pos]
        pos += 1
    m = len(fl_sparse)
    for i, (key, _) in enumerate(fl_sparse):
        feature_lists[key] = SparseTensor(outs[pos + i], outs[pos + m + i], outs[pos + 2 * m + i])
    pos += 3 * m
    for key, _ in fl_dense:
        feature_lists[key] = outs[pos]
        pos += 1
    return context, feature_lists


@register_kernel("ParseSequenceExampleV2")
def _parse_sequence_example_kernel(op: Operation, session: Any) -> Any:
    from scopeflow.protos.feature_pb2 import SequenceExample  # noqa: PLC0415

    a = op._attrs

    def sparse_out(rows: list[list[Any]], dt: dtypes.DType, rank: int) -> list[Any]:
        idx = [[j] if rank == 1 else [t, j] for t, row in enumerate(rows) for j in range(len(row))]
        vals = [v for row in rows for v in row]
        longest = max((len(r) for r in rows), default=0)
        shape = [longest] if rank == 1 else [len(rows), longest]
        return [
            to_torch(np.asarray(idx, np.int64).reshape(-1, rank), dtypes.int64),
            to_torch(np.asarray(vals, dtype=_np_dtype(dt)), dt),
            to_torch(np.asarray(shape, np.int64), dtypes.int64),
        ]

    def kernel(serialized: Any) -> Any:
        data = np.asarray(to_numpy(serialized), dtype=object).item()
        ex = SequenceExample()
        try:
            ex.ParseFromString(bytes(data))
        except Exception:
            raise errors.InvalidArgumentError(
                None, op, f"Could not parse example input, value: '{data!r}'"
            ) from None
        ctx = ex.context.feature
        lists = ex.feature_lists.feature_list
        groups: list[list[Any]] = [[], [], []]
        for key, dt in a["_context_sparse"]:
            parts = sparse_out([_values(ctx[key], key, dt) if key in ctx else []], dt, 1)
            for g, p in zip(groups, parts, strict=True):
                g.append(p)
        outs = [x for g in groups for x in g]
        for key, (dt, dims, default, _) in a["_context_dense"]:
            size = int(np.prod(dims)) if dims else 1
            if key in ctx:
                vals = _values(ctx[key], key, dt)
                if len(vals) != size:
                    raise errors.InvalidArgumentError(
                        None, op, f"Name: <unknown>, Context feature '{key}' Invalid values: "
                        f"expected {size} values, got {len(vals)}"
                    )  # fmt: skip
                value = np.asarray(vals, dtype=_np_dtype(dt)).reshape(dims)
            elif default is None:
                raise errors.InvalidArgumentError(
                    None, op, f"Name: <unknown>, Context feature '{key}' is required but could "
                    "not be found."
                )  # fmt: skip
            else:
                value = default
            outs.append(to_torch(np.asarray(value, dtype=_np_dtype(dt)), dt))
        groups = [[], [], []]
        for key, dt in a["_feature_list_sparse"]:
            feats = lists[key].feature if key in lists else []
            parts = sparse_out([_values(f, key, dt) for f in feats], dt, 2)
            for g, p in zip(groups, parts, strict=True):
                g.append(p)
        outs += [x for g in groups for x in g]
        lengths = []
        for key, (dt, dims, _, allow_missing) in a["_feature_list_dense"]:
            size = int(np.prod(dims)) if dims else 1
            if key not in lists and not allow_missing:
                raise errors.InvalidArgumentError(
                    None, op, f"Name: <unknown>, Feature list '{key}' is required but could not "
                    "be found.  Did you mean to include it in "
                    "feature_list_dense_missing_assumed_empty or feature_list_dense_defaults?"
                )  # fmt: skip
            rows = []
            for t, f in enumerate(lists[key].feature if key in lists else []):
                vals = _values(f, key, dt)
                if len(vals) != size:
                    raise errors.InvalidArgumentError(
                        None, op, f"Name: <unknown>, Key: {key}, Index: {t}.  Number of "
                        f"{_C_NAME[dt]} values != expected.  values size: {len(vals)} but "
                        f"output shape: {dims}"
                    )  # fmt: skip
                rows.append(vals)
            np_dt = _np_dtype(dt)
            value = np.asarray(rows, dtype=np_dt).reshape([len(rows), *dims])
            outs.append(to_torch(value, dt))
            lengths.append(to_torch(np.asarray(len(rows), np.int64), dtypes.int64))
        outs += lengths
        return tuple(outs) if len(outs) > 1 else outs[0]

    return kernel


__all__ = ["parse_single_sequence_example"]
