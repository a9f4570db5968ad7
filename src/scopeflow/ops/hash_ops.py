"""Hashing ops: ``StringToHashBucketFast`` and ``SparseCross`` (hashed and string crosses).

``string_to_hash_bucket_fast(s, n)`` is FarmHash ``Fingerprint64(s) % n`` (TF's kernel).
``sparse_cross``/``sparse_cross_hashed`` build TF's ``SparseCross`` op: for each batch row,
every combination of one feature from each input, the last input varying fastest. A hashed
cross starts from ``hash_key`` and folds in each feature's hash with ``FingerprintCat64``; a
string feature hashes to its ``Fingerprint64`` and an int64 feature to its own value (as TF's
``sparse_cross_op.cc`` does); the result is taken ``% num_buckets`` (``% (2**63 - 1)`` when
``num_buckets`` is 0). Sparse inputs come before dense ones, whatever their order in
``inputs`` (TF's wrapper splits them). A string cross joins the features with ``"_X_"``.
Dense inputs count
every element of a row as a feature.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph._torch_dtypes import to_numpy
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._farmhash import fingerprint64, fingerprint_cat64
from scopeflow.ops._math_common import _scope
from scopeflow.ops._op_builder import make_multi_op, make_op
from scopeflow.ops.math_ops import cast
from scopeflow.ops.sparse_ops import SparseTensor

_DEFAULT_HASH_KEY = 0xDECAFCAFFE
_INT64_MAX = (1 << 63) - 1


def _bytes(v: Any) -> bytes:
    return v.encode() if isinstance(v, str) else bytes(v)


def string_to_hash_bucket_fast(input: Any, num_buckets: int, name: str | None = None) -> Tensor:
    """``Fingerprint64(s) % num_buckets`` of each string (``tf.string_to_hash_bucket_fast``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.string_to_hash_bucket_fast(["a", "b"], 100)))
    [39 22]
    """
    if int(num_buckets) < 1:
        raise ValueError(
            f"Value for attr 'num_buckets' of {num_buckets} must be at least minimum 1"
        )
    scope = _scope(name, "StringToHashBucketFast")
    x = convert_to_tensor(input, dtype=dtypes.string, name=scope + "input/")
    return make_op(
        "StringToHashBucketFast",
        (x,),
        {"num_buckets": int(num_buckets)},
        scope,
        dtypes.int64,
        x._shape,
    )


@register_kernel("StringToHashBucketFast")
def _hash_bucket_kernel(op: Operation, session: Any) -> Any:
    n = op._attrs["num_buckets"]

    def kernel(x: Any) -> torch.Tensor:
        arr = np.asarray(to_numpy(x), dtype=object)
        flat = [fingerprint64(_bytes(s)) % n for s in arr.reshape(-1)]
        return torch.tensor(flat, dtype=torch.int64).reshape(arr.shape)

    return kernel


def _cross_op(
    inputs: Any, hashed: bool, num_buckets: int, hash_key: int | None, name: str | None
) -> SparseTensor:
    if not isinstance(inputs, list | tuple):
        raise TypeError("Inputs must be a list")
    if not inputs:
        raise ValueError("Inputs must not be empty.")
    scope = _scope(name, "SparseCross")
    sparse = [x for x in inputs if isinstance(x, SparseTensor)]
    dense = [convert_to_tensor(x) for x in inputs if not isinstance(x, SparseTensor)]
    # TF's wrapper: every non-string input is cast to int64
    sparse = [
        s
        if s.values.dtype.base_dtype in (dtypes.string, dtypes.int64)
        or not s.values.dtype.is_integer
        else SparseTensor(s.indices, cast(s.values, dtypes.int64), s.dense_shape)
        for s in sparse
    ]
    dense = [
        d
        if d.dtype.base_dtype in (dtypes.string, dtypes.int64) or not d.dtype.is_integer
        else cast(d, dtypes.int64)
        for d in dense
    ]
    for t in [s.values for s in sparse] + dense:
        if t.dtype.base_dtype not in (dtypes.string, dtypes.int64):
            raise TypeError(
                f"Value passed to parameter 'values' has DataType {t.dtype.name} "
                "not in list of allowed values: int64, string"
            )
    out_type = dtypes.int64 if hashed else dtypes.string
    attrs = {
        "N": len(sparse),
        "hashed_output": hashed,
        "num_buckets": int(num_buckets),
        "hash_key": _DEFAULT_HASH_KEY if hash_key is None else int(hash_key),
        "sparse_types": [s.values.dtype.base_dtype for s in sparse],
        "dense_types": [d.dtype.base_dtype for d in dense],
        "out_type": out_type,
        "internal_type": out_type,
    }
    ins = (
        *(s.indices for s in sparse),
        *(s.values for s in sparse),
        *(s.dense_shape for s in sparse),
        *dense,
    )
    op = make_multi_op(
        "SparseCross",
        ins,
        attrs,
        scope,
        (dtypes.int64, out_type, dtypes.int64),
        (TensorShape([None, 2]), TensorShape([None]), TensorShape([2])),
    )
    return SparseTensor(op._outputs[0], op._outputs[1], op._outputs[2])


def sparse_cross(
    inputs: Any, name: str | None = None, separator: str | None = None
) -> SparseTensor:
    """The string cross of sparse and dense inputs (``tf.sparse.cross``), joined by ``_X_``.

    >>> import scopeflow.compat.v1 as tf
    >>> c = tf.sparse.cross([tf.constant([["a"]]), tf.constant([["b", "c"]])])
    >>> print(tf.Session().run(c.values))
    [b'a_X_b' b'a_X_c']
    """
    if separator is not None:
        from scopeflow.errors import UnsupportedError  # noqa: PLC0415

        raise UnsupportedError("sparse_cross(separator=...) (TF 1.15 has no separator)")
    return _cross_op(inputs, False, 0, None, name)


def sparse_cross_hashed(
    inputs: Any, num_buckets: int = 0, hash_key: int | None = None, name: str | None = None
) -> SparseTensor:
    """The hashed cross of sparse and dense inputs (``tf.sparse.cross_hashed``).

    >>> import scopeflow.compat.v1 as tf
    >>> c = tf.sparse.cross_hashed([tf.constant([["a"]]), tf.constant([["b"]])], 10)
    >>> print(tf.Session().run(c.values).dtype)
    int64
    """
    return _cross_op(inputs, True, num_buckets, hash_key, name)


def _rows(
    order: list[bool], n_sparse: int, values: tuple[Any, ...], op: Operation
) -> tuple[int, list[list[list[Any]]]]:
    """Per input, per batch row: the row's features."""
    idx, vals, shapes = values[:n_sparse], values[n_sparse : 2 * n_sparse], values[2 * n_sparse :]
    dense = list(shapes[n_sparse:])
    shapes = shapes[:n_sparse]
    batch = None
    per_input: list[list[list[Any]]] = []
    si = di = 0
    for is_sparse in order:
        if is_sparse:
            ix = idx[si].reshape(-1, 2).tolist() if idx[si].numel() else []
            v = to_numpy(vals[si])
            b = int(shapes[si][0])
            rows: list[list[Any]] = [[] for _ in range(b)]
            for (r, _), val in zip(ix, np.asarray(v).reshape(-1), strict=True):
                rows[r].append(val)
            si += 1
        else:
            d = np.asarray(to_numpy(dense[di]))
            if d.ndim != 2:
                raise InvalidArgumentError(
                    None, op, f"Dense inputs should be a matrix but received shape: {list(d.shape)}"
                )
            b = d.shape[0]
            rows = [list(r) for r in d]
            di += 1
        if batch is not None and b != batch:
            raise InvalidArgumentError(
                None, op, f"Expected batch size {batch} got {b}"
            )  # TF: each input's batch size must match the first's
        batch = b
        per_input.append(rows)
    return batch or 0, per_input


def _feature_hash(v: Any) -> int:
    if isinstance(v, bytes | str | np.bytes_):
        return fingerprint64(_bytes(v))
    return int(v) & ((1 << 64) - 1)


def _feature_str(v: Any) -> bytes:
    if isinstance(v, bytes | str | np.bytes_):
        return _bytes(v)
    return str(int(v)).encode()


@register_kernel("SparseCross")
def _cross_kernel(op: Operation, session: Any) -> Any:
    a = op._attrs
    hashed, n_sparse = a["hashed_output"], a["N"]
    order = [True] * n_sparse + [False] * len(a["dense_types"])  # TF: sparse inputs first
    nb, key = a["num_buckets"], a["hash_key"]

    def kernel(*values: Any) -> Any:
        batch, per_input = _rows(order, n_sparse, values, op)
        out_idx: list[list[int]] = []
        out_vals: list[Any] = []
        width = 0
        for b in range(batch):
            combos = list(itertools.product(*(rows[b] for rows in per_input)))
            width = max(width, len(combos))
            for k, combo in enumerate(combos):
                out_idx.append([b, k])
                if hashed:
                    h = key
                    for f in combo:
                        h = fingerprint_cat64(h, _feature_hash(f))
                    out_vals.append(h % (nb if nb > 0 else _INT64_MAX))
                else:
                    out_vals.append(b"_X_".join(_feature_str(f) for f in combo))
        indices = torch.tensor(out_idx, dtype=torch.int64).reshape(-1, 2)
        shape = torch.tensor([batch, width], dtype=torch.int64)
        if hashed:
            return indices, torch.tensor(out_vals, dtype=torch.int64).reshape(-1), shape
        arr = np.empty(len(out_vals), dtype=object)
        arr[:] = out_vals
        return indices, arr, shape

    return kernel


__all__ = ["sparse_cross", "sparse_cross_hashed", "string_to_hash_bucket_fast"]
