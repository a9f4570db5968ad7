"""``tf.strings.split`` (TF1's ``SparseTensor`` form) and ``to_hash_bucket_strong``.

As TF 1.15's ``tf.strings.split(input, sep=None, maxsplit=-1, result_type="SparseTensor")``:
inside a ``StringSplit`` name scope an op ``StringSplitV2`` splits each string of a vector like
Python's ``bytes.split(sep, maxsplit)`` (``sep=None``: runs of whitespace, empty tokens
dropped); the result has dense shape ``[len(input), max tokens]``. ``source`` is the older name
of ``input``.

``to_hash_bucket_strong`` (``tf.string_to_hash_bucket_strong``; op
``StringToHashBucketStrong`` with attrs ``num_buckets`` and ``key``) is SipHash-2-4 keyed by
the two 64-bit ``key`` words, modulo ``num_buckets``, as TF's kernel.

Differences from TensorFlow: ``result_type="RaggedTensor"`` and inputs of rank other than 1
(TF splits them through ragged tensors) raise ``UnsupportedError``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow.errors import UnsupportedError
from scopeflow.graph._torch_dtypes import to_torch
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _scope
from scopeflow.ops._op_builder import make_op
from scopeflow.ops.sparse_ops import SparseTensor
from scopeflow.ops.string_ops import _split_op, _strings


def split(input: Any = None, sep: Any = None, maxsplit: int = -1,
          result_type: str = "SparseTensor", source: Any = None,
          name: str | None = None) -> SparseTensor:  # fmt: skip
    """Splits each string of a vector at ``sep`` (``tf.strings.split``, TF1 signature).

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.strings.split(["a,,b", "c"], sep=",")
    >>> print(sp.indices.name, tf.Session().run(sp.values))
    StringSplit/StringSplitV2:0 [b'a' b'' b'b' b'c']
    """
    if input is not None and source is not None:
        raise ValueError("Cannot specify both 'input' and 'source'.")
    if input is None:
        input = source
    if result_type != "SparseTensor":
        raise UnsupportedError(f"tf.strings.split(result_type={result_type!r})")
    scope = _scope(name, "StringSplit")
    with get_default_graph().name_scope(scope):
        x = convert_to_tensor(input, dtype=dtypes.string)
        if x._shape.ndims not in (None, 1):
            raise UnsupportedError(f"tf.strings.split of a rank-{x._shape.ndims} input")
        d = convert_to_tensor("" if sep is None else sep, dtype=dtypes.string)
        return _split_op("StringSplitV2", (x, d), {"maxsplit": int(maxsplit)}, "StringSplitV2")


_M64 = (1 << 64) - 1


def _rotl(x: int, b: int) -> int:
    return ((x << b) | (x >> (64 - b))) & _M64


def _siphash24(k0: int, k1: int, data: bytes) -> int:
    """SipHash-2-4 of ``data`` under the 128-bit key ``(k0, k1)``."""
    v = [k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D,
         k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573]  # fmt: skip

    def sip_round() -> None:
        v[0] = (v[0] + v[1]) & _M64
        v[1] = _rotl(v[1], 13) ^ v[0]
        v[0] = _rotl(v[0], 32)
        v[2] = (v[2] + v[3]) & _M64
        v[3] = _rotl(v[3], 16) ^ v[2]
        v[0] = (v[0] + v[3]) & _M64
        v[3] = _rotl(v[3], 21) ^ v[0]
        v[2] = (v[2] + v[1]) & _M64
        v[1] = _rotl(v[1], 17) ^ v[2]
        v[2] = _rotl(v[2], 32)

    n = len(data)
    end = n - n % 8
    for i in range(0, end, 8):
        m = struct.unpack_from("<Q", data, i)[0]
        v[3] ^= m
        sip_round()
        sip_round()
        v[0] ^= m
    last = (n & 0xFF) << 56
    for j, c in enumerate(data[end:]):
        last |= c << (8 * j)
    v[3] ^= last
    sip_round()
    sip_round()
    v[0] ^= last
    v[2] ^= 0xFF
    for _ in range(4):
        sip_round()
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def to_hash_bucket_strong(input: Any, num_buckets: int, key: Any,
                          name: str | None = None) -> Tensor:  # fmt: skip
    """Keyed strong hash of each string into ``[0, num_buckets)`` (``StringToHashBucketStrong``).

    >>> import scopeflow.compat.v1 as tf
    >>> h = tf.strings.to_hash_bucket_strong(["hello"], 10, [1, 2])
    >>> print(h.name, tf.Session().run(h))
    StringToHashBucketStrong:0 [2]
    """
    key = [int(k) for k in key]
    if len(key) != 2:
        raise ValueError(f"Key must have 2 elements, got {len(key)}")
    scope = _scope(name, "StringToHashBucketStrong")
    x = convert_to_tensor(input, dtype=dtypes.string, name=scope + "input/")
    attrs = {"num_buckets": int(num_buckets), "key": key}
    return make_op("StringToHashBucketStrong", (x,), attrs, scope, dtypes.int64, x._shape)


@register_kernel("StringToHashBucketStrong")
def _hash_strong_kernel(op: Operation, session: Any) -> Any:
    k0, k1 = (k & _M64 for k in op._attrs["key"])
    buckets = op._attrs["num_buckets"]

    def kernel(x: Any) -> Any:
        arr = _strings(x)
        out = np.empty(arr.shape, dtype=np.int64)
        for i, b in np.ndenumerate(arr):
            out[i] = _siphash24(k0, k1, bytes(b)) % buckets
        return to_torch(out, dtypes.int64)

    return kernel


string_to_hash_bucket_strong = to_hash_bucket_strong

__all__ = ["split", "string_to_hash_bucket_strong", "to_hash_bucket_strong"]
