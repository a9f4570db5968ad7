"""``tf.parse_example`` / ``tf.parse_single_example`` and their feature specs.

One op, ``ParseExampleV2`` (TF's type and output order: sparse indices, values and shapes of the
``VarLenFeature`` keys, then the dense values of the ``FixedLenFeature`` and
``FixedLenSequenceFeature`` keys, each group in sorted key order), parses serialized
``tf.train.Example`` protos with the protobuf classes of ``scopeflow.protos.feature_pb2``. The
serialized input may be a vector (a batch) or a scalar (one example, no batch dimension), as in
TF. Outputs have TF's static shapes.

The keys and dense defaults are private attributes of the op in scopeflow's graph;
``as_graph_def`` writes TF's node with its ``Const`` inputs and attributes
(``graph_io/tf_subgraphs.py``), so TF and scopeflow's importer read it back.

Differences from TensorFlow:
    In the live graph only the ``ParseExampleV2`` op exists (TF also has the key and default
    ``Const`` ops); a ``default_value`` tensor must have a constant value (it is folded).
    ``SparseFeature`` and ``RaggedFeature`` raise ``UnsupportedError``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from scopeflow import errors
from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow._core.tensor_shape import TensorShape, as_shape
from scopeflow.graph._torch_dtypes import to_numpy, to_torch
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._op_builder import make_multi_op
from scopeflow.ops.sparse_ops import SparseTensor
from scopeflow.ops.tensor_util import constant_value

_KIND = {dtypes.float32: "float_list", dtypes.int64: "int64_list", dtypes.string: "bytes_list"}
_C_NAME = {dtypes.float32: "float", dtypes.int64: "int64", dtypes.string: "string"}


class FixedLenFeature(
    collections.namedtuple("FixedLenFeature", ["shape", "dtype", "default_value"])
):
    """A fixed-length input feature (``tf.io.FixedLenFeature``)."""

    def __new__(cls, shape: Any, dtype: Any, default_value: Any = None) -> FixedLenFeature:
        """``default_value`` is used when an example lacks the feature (None: required)."""
        return super().__new__(cls, shape, dtype, default_value)


class FixedLenSequenceFeature(
    collections.namedtuple(
        "FixedLenSequenceFeature", ["shape", "dtype", "allow_missing", "default_value"]
    )
):
    """A variable number of fixed-shape values, batched with padding (``tf.io``)."""

    def __new__(
        cls, shape: Any, dtype: Any, allow_missing: bool = False, default_value: Any = None
    ) -> FixedLenSequenceFeature:
        """``allow_missing`` must be True; ``default_value`` pads shorter examples."""
        return super().__new__(cls, shape, dtype, allow_missing, default_value)


class VarLenFeature(collections.namedtuple("VarLenFeature", ["dtype"])):
    """A variable-length feature, parsed to a ``SparseTensor`` (``tf.io.VarLenFeature``)."""


def _check_dtype(param: str, dtype: Any) -> dtypes.DType:
    dt = dtypes.as_dtype(dtype).base_dtype
    if dt not in _KIND:
        raise TypeError(
            f"Value passed to parameter '{param}' has DataType {dt.name} not in list of allowed "
            "values: float32, int64, string"
        )
    return dt


def _parse_specs(features: dict[str, Any]) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    if not features:
        raise ValueError("Invalid argument: features cannot be empty.")
    sparse, dense = [], []
    for key in sorted(features):
        spec = features[key]
        if isinstance(spec, VarLenFeature):
            sparse.append((key, spec))
        elif isinstance(spec, (FixedLenFeature, FixedLenSequenceFeature)):
            dense.append((key, spec))
        else:
            raise errors.UnsupportedError(f"the feature spec {type(spec).__name__} (key {key})")
    return sparse, dense


def parse_example(
    serialized: Any,
    features: dict[str, Any],
    name: str | None = None,
    example_names: Any = None,
) -> dict[str, Any]:
    """Parses a batch of serialized ``Example`` protos into tensors (``tf.parse_example``).

    Returns:
        A dict: a ``Tensor`` for each ``FixedLenFeature``/``FixedLenSequenceFeature`` key and a
        ``SparseTensor`` for each ``VarLenFeature`` key.

    >>> import scopeflow.compat.v1 as tf
    >>> s = tf.placeholder(tf.string, [None])
    >>> out = tf.parse_example(s, {"x": tf.FixedLenFeature([2], tf.float32)})
    >>> print(out["x"].name, out["x"].shape)
    ParseExample/ParseExampleV2:0 (?, 2)
    """
    with name_scope(name, "ParseExample", [serialized]):
        return _parse(serialized, features, example_names, name or "ParseExampleV2")


def parse_single_example(
    serialized: Any,
    features: dict[str, Any],
    name: str | None = None,
    example_names: Any = None,
) -> dict[str, Any]:
    """Parses one serialized ``Example`` (a scalar string) (``tf.parse_single_example``).

    >>> import scopeflow.compat.v1 as tf
    >>> s = tf.placeholder(tf.string, [])
    >>> out = tf.parse_single_example(s, {"y": tf.FixedLenFeature([], tf.int64)})
    >>> print(out["y"].name, out["y"].shape)
    ParseSingleExample/ParseExample/ParseExampleV2:0 ()
    """
    with name_scope(name, "ParseSingleExample", [serialized]), name_scope(None, "ParseExample"):
        return _parse(serialized, features, example_names, "ParseExampleV2")


def _parse(
    serialized: Any, features: dict[str, Any], example_names: Any, op_name: str
) -> dict[str, Any]:
    del example_names  # only used by TF in error messages
    sparse, dense = _parse_specs(features)
    s = convert_to_tensor(serialized, dtype=dtypes.string, name="serialized")
    rank = s.shape.ndims
    if rank not in (0, 1, None):
        raise ValueError(f"Shape must be at most rank 1 but is rank {rank}")
    batch: list[int | None] = [] if rank == 0 else [s.shape.as_list()[0] if rank else None]
    out_dtypes: list[dtypes.DType] = []
    out_shapes: list[TensorShape] = []
    sparse_rank = (1 if rank == 0 else 2) if rank is not None else None
    for _, _spec in sparse:
        out_dtypes.append(dtypes.int64)
        out_shapes.append(TensorShape([None, sparse_rank]))
    for _key, spec in sparse:
        out_dtypes.append(_check_dtype("sparse_types", spec.dtype))
        out_shapes.append(TensorShape([None]))
    for _ in sparse:
        out_dtypes.append(dtypes.int64)
        out_shapes.append(TensorShape([sparse_rank]))
    dense_info = []
    for key, spec in dense:
        dt = _check_dtype("dense_defaults", spec.dtype)
        shape = as_shape(spec.shape)
        if not shape.is_fully_defined():
            raise ValueError(f"All dense shapes must be fully defined; got {shape} for {key}")
        dims = shape.as_list()
        is_seq = isinstance(spec, FixedLenSequenceFeature)
        if is_seq and not spec.allow_missing:
            raise errors.UnsupportedError(
                "FixedLenSequenceFeature with allow_missing=False in parse_example",
                "TF requires allow_missing=True there too.",
            )
        default = None
        default_value = spec.default_value
        if isinstance(default_value, Tensor):  # ``default_value=tf.zeros([], tf.int64)`` (slim)
            default_value = constant_value(default_value)
            if default_value is None:
                raise errors.UnsupportedError(
                    f"a default_value tensor whose value is not constant (key {key})"
                )
        if default_value is not None:
            if dt == dtypes.string:
                encode = np.vectorize(
                    lambda v: v.encode() if isinstance(v, str) else bytes(v), otypes=[object]
                )
                default = encode(np.asarray(default_value, dtype=object))
            else:
                default = np.asarray(default_value, dtype=dt.as_numpy_dtype)
            if not is_seq:
                want = int(np.prod([int(d or 0) for d in dims])) if dims else 1
                if default.size != want:
                    dims_text = ",".join(str(d) for d in dims)
                    raise ValueError(
                        f"Cannot reshape a tensor with {default.size} elements to shape "
                        f"[{dims_text}] ({want} elements)"
                    )
                default = default.reshape(dims)
        dense_info.append((key, dt, dims, is_seq, default))
        out_dtypes.append(dt)
        full = batch + ([None] if is_seq else []) + dims
        out_shapes.append(TensorShape(full) if rank is not None else TensorShape(None))
    op = make_multi_op(
        "ParseExampleV2",
        [s],
        {
            "sparse_keys": tuple(k for k, _ in sparse),
            "sparse_types": tuple(out_dtypes[len(sparse) + i] for i in range(len(sparse))),
            "_dense": tuple(dense_info),
        },
        op_name,
        out_dtypes,
        out_shapes,
    )
    outs = op.outputs
    n = len(sparse)
    result: dict[str, Any] = {}
    for i, (key, _) in enumerate(sparse):
        result[key] = SparseTensor(outs[i], outs[n + i], outs[2 * n + i])
    for j, (key, _) in enumerate(dense):
        result[key] = outs[3 * n + j]
    return result


def _values(feature: Any, key: str, dt: dtypes.DType) -> list[Any]:
    kind = feature.WhichOneof("kind")
    if kind is None:
        return []
    if kind != _KIND[dt]:
        actual = kind.split("_")[0].replace("bytes", "string")
        raise errors.InvalidArgumentError(
            None,
            None,
            f"Key: {key}.  Data types don't match. Data type: {actual} but expected type: "
            f"{_C_NAME[dt]}",
        )
    return list(getattr(feature, kind).value)


def _parse_example_kernel(op: Operation, session: Any) -> Any:
    from scopeflow.protos.feature_pb2 import Example  # noqa: PLC0415

    sparse_keys = op._attrs["sparse_keys"]
    sparse_types = op._attrs["sparse_types"]
    dense = op._attrs["_dense"]

    fast = not sparse_keys and all(not is_seq for _, _, _, is_seq, _ in dense)
    np_types = [object if dt == dtypes.string else dt.as_numpy_dtype for _, dt, _, _, _ in dense]

    def single_dense(data: bytes) -> Any:
        """One example, dense features only: the common ``parse_single_example`` case."""
        ex = Example()
        try:
            ex.ParseFromString(data)
        except Exception:
            raise errors.InvalidArgumentError(
                None, op, f"Could not parse example input, value: '{data!r}'"
            ) from None
        feats = ex.features.feature
        outs = []
        for (key, dt, dims, _, default), np_dt in zip(dense, np_types, strict=True):
            if key in feats:
                vals = _values(feats[key], key, dt)
                size = int(np.prod(dims)) if dims else 1
                if len(vals) != size:
                    raise errors.InvalidArgumentError(
                        None,
                        op,
                        f"Key: {key}.  Can't parse serialized Example: Some {_KIND[dt]} slice "
                        "was not parsed.",
                    )
                value = np.array(vals[0] if not dims else vals, dtype=np_dt)
                if dims:
                    value = value.reshape(dims)
            elif default is None:
                raise errors.InvalidArgumentError(
                    None, op, f"Feature: {key} (data type: {_C_NAME[dt]}) is required "
                    "but could not be found."
                )  # fmt: skip
            else:
                value = default
            outs.append(value if np_dt is object else torch.from_numpy(np.array(value)))
        return tuple(outs)

    def kernel(serialized: Any) -> Any:
        if fast and isinstance(serialized, (bytes, np.ndarray)) and np.ndim(serialized) == 0:
            data = serialized if isinstance(serialized, bytes) else serialized.item()
            parsed = single_dense(bytes(data))
            return parsed if len(parsed) > 1 else parsed[0]
        arr = np.asarray(to_numpy(serialized), dtype=object)
        scalar = arr.ndim == 0
        items = [arr.item()] if scalar else list(arr.reshape(-1))
        examples = []
        for i, data in enumerate(items):
            ex = Example()
            try:
                ex.ParseFromString(bytes(data))
            except Exception:
                raise errors.InvalidArgumentError(
                    None, op, f"Could not parse example input, value: '{data!r}'"
                ) from None
            examples.append(ex.features.feature)
            del i
        outs: list[Any] = []
        sp_idx, sp_val, sp_shape = [], [], []
        for key, dt in zip(sparse_keys, sparse_types, strict=True):
            idx: list[list[int]] = []
            vals: list[Any] = []
            max_len = 0
            for b, feats in enumerate(examples):
                v = _values(feats[key], key, dt) if key in feats else []
                max_len = max(max_len, len(v))
                idx.extend(([j] if scalar else [b, j]) for j in range(len(v)))
                vals.extend(v)
            np_dt = object if dt == dtypes.string else dt.as_numpy_dtype
            sp_idx.append(to_torch(np.asarray(idx, np.int64).reshape(-1, 1 if scalar else 2),
                                   dtypes.int64))  # fmt: skip
            sp_val.append(to_torch(np.asarray(vals, dtype=np_dt), dt))
            shape = [max_len] if scalar else [len(examples), max_len]
            sp_shape.append(to_torch(np.asarray(shape, np.int64), dtypes.int64))
        outs.extend(sp_idx + sp_val + sp_shape)
        for key, dt, dims, is_seq, default in dense:
            np_dt = object if dt == dtypes.string else dt.as_numpy_dtype
            size = int(np.prod(dims)) if dims else 1
            rows = []
            for feats in examples:
                if key not in feats:
                    if is_seq:
                        rows.append(np.zeros([0, *dims], np_dt))
                        continue
                    if default is None:
                        raise errors.InvalidArgumentError(
                            None, op, f"Feature: {key} (data type: {_C_NAME[dt]}) is required "
                            "but could not be found."
                        )  # fmt: skip
                    rows.append(default)
                    continue
                vals = _values(feats[key], key, dt)
                if is_seq:
                    if len(vals) % size:
                        raise errors.InvalidArgumentError(
                            None, op, f"Name: <unknown>, Key: {key}, Index: 0.  Number of "
                            f"{_C_NAME[dt]} values is not a multiple of stride length. Saw "
                            f"{len(vals)} {_C_NAME[dt]} values but output shape is: {dims}"
                        )  # fmt: skip
                    rows.append(np.asarray(vals, dtype=np_dt).reshape([-1, *dims]))
                    continue
                if len(vals) != size:
                    raise errors.InvalidArgumentError(
                        None,
                        op,
                        f"Key: {key}.  Can't parse serialized Example: Some {_KIND[dt]} slice "
                        "was not parsed.",
                    )
                rows.append(np.asarray(vals, dtype=np_dt).reshape(dims))
            if is_seq:
                longest = max((len(r) for r in rows), default=0)
                pad = (np.asarray(default, dtype=np_dt) if default is not None
                       else np.asarray(b"" if dt == dtypes.string else 0, dtype=np_dt))  # fmt: skip
                padded = []
                for r in rows:
                    fill = np.empty([longest - len(r), *dims], dtype=np_dt)
                    fill[...] = pad
                    padded.append(np.concatenate([r, fill]) if len(fill) else r)
                rows = padded
            value = (
                rows[0]
                if scalar
                else np.stack(rows)
                if rows
                else np.zeros([0, *([0] if is_seq else []), *dims], np_dt)
            )
            outs.append(to_torch(np.asarray(value, dtype=np_dt), dt))
        return tuple(outs) if len(outs) > 1 else outs[0]

    return kernel


register_kernel("ParseExampleV2")(_parse_example_kernel)


def dense_batch_parser(op: Operation) -> Callable[[list[bytes]], list[Any] | None] | None:
    """A batched ``parse_single_example`` for a dense-only ``ParseExampleV2`` op, or None.

    The returned function parses a list of serialized Examples into the op's outputs stacked
    along a new first dimension, exactly what parsing each and batching them gives (the
    ``map(parse).batch(n)`` fusion of ``data``). It returns None for anything it does not
    handle quickly (a missing feature without default, a wrong kind or size, bad bytes), so
    the caller falls back to the per-example kernel, which raises TF's error.
    """
    if op.type != "ParseExampleV2" or op._attrs["sparse_keys"]:
        return None
    dense = op._attrs["_dense"]
    if any(is_seq for _, _, _, is_seq, _ in dense):
        return None
    from scopeflow.protos.feature_pb2 import Example  # noqa: PLC0415

    specs = []
    for key, dt, dims, _, default in dense:
        size = int(np.prod(dims)) if dims else 1
        fill = None if default is None else np.asarray(default).reshape(-1).tolist()
        np_dt = object if dt == dtypes.string else dt.as_numpy_dtype
        specs.append((key, _KIND[dt], size, list(dims), fill, np_dt))

    def parse(datas: list[bytes]) -> list[Any] | None:
        try:
            feats = [Example.FromString(d).features.feature for d in datas]
        except Exception:  # the per-example kernel reports it
            return None
        outs: list[Any] = []
        for key, kind, size, dims, fill, np_dt in specs:
            found = [f.get(key) for f in feats]  # (indexing a message map would insert)
            if any(x is None for x in found):  # a missing feature: its default, if any
                if fill is None:
                    return None
                lists = [fill if x is None else getattr(x, kind).value for x in found]
            else:
                lists = [getattr(x, kind).value for x in found]
            # a feature of another kind has an empty list of this kind: size 0 needs the check
            if any(len(v) != size for v in lists) or (
                size == 0 and any(x is not None and x.WhichOneof("kind") != kind for x in found)
            ):
                return None
            col = [v[0] for v in lists] if size == 1 else [x for v in lists for x in v]
            if np_dt is object:
                arr = np.empty(len(col), dtype=object)
                arr[:] = col
                outs.append(arr.reshape([len(datas), *dims]))
            else:
                arr = np.asarray(col, dtype=np_dt).reshape([len(datas), *dims])
                outs.append(torch.from_numpy(arr))
        return outs

    return parse


__all__ = [
    "FixedLenFeature",
    "FixedLenSequenceFeature",
    "VarLenFeature",
    "parse_example",
    "parse_single_example",
]
