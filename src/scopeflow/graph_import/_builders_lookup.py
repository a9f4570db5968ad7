"""Builders for the feature-column ops of exported Estimator graphs (tables, hashing, summaries).

A canned estimator's (or a feature-column model's) SavedModel holds vocabulary tables
(``HashTableV2`` filled by ``InitializeTableFromTextFileV2``/``InitializeTableV2``, read by
``LookupTableFindV2``/``LookupTableSizeV2``), ``StringToHashBucketFast`` and ``SparseToDense``
for hashed and indicator columns, and the model's summary ops. Same contract as
``_builders``: ``builder(inputs, attrs, name)`` with ``name`` ending in ``/``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow.ops._op_builder import SCALAR, make_op
from scopeflow.ops.hash_ops import string_to_hash_bucket_fast
from scopeflow.ops.sampled_loss_ops import sparse_to_dense
from scopeflow.ops.summary_ops import histogram_summary, merge_summary, scalar_summary

Builder = Callable[[list[Any], dict[str, Any], str], Any]


def _hash_table(i: list[Any], a: dict[str, Any], n: str) -> Any:
    attrs = {
        "shared_name": a.get("shared_name", ""),
        "container": a.get("container", ""),
        "use_node_name_sharing": a.get("use_node_name_sharing", False),
        "key_dtype": dtypes.as_dtype(a["key_dtype"]),
        "value_dtype": dtypes.as_dtype(a["value_dtype"]),
    }
    return make_op("HashTableV2", (), attrs, n, dtypes.resource, SCALAR)


def _init_from_text_file(i: list[Any], a: dict[str, Any], n: str) -> Any:
    attrs = {
        "key_index": a["key_index"],
        "value_index": a["value_index"],
        "vocab_size": a.get("vocab_size", -1),
        "delimiter": a.get("delimiter", "\t"),
    }
    return make_op("InitializeTableFromTextFileV2", i[:2], attrs, n, dtypes.int32, SCALAR).op


def _init_table(i: list[Any], a: dict[str, Any], n: str) -> Any:
    attrs = {"Tkey": i[1].dtype.base_dtype, "Tval": i[2].dtype.base_dtype}
    return make_op("InitializeTableV2", i[:3], attrs, n, dtypes.int32, SCALAR).op


def _find(i: list[Any], a: dict[str, Any], n: str) -> Any:
    out_dtype = dtypes.as_dtype(a["Tout"])
    attrs = {"Tin": dtypes.as_dtype(a["Tin"]), "Tout": out_dtype}
    return make_op("LookupTableFindV2", i[:3], attrs, n, out_dtype, i[1].get_shape())


LOOKUP_BUILDERS: dict[str, Builder] = {
    "HashTableV2": _hash_table,
    "InitializeTableFromTextFileV2": _init_from_text_file,
    "InitializeTableV2": _init_table,
    "LookupTableFindV2": _find,
    "LookupTableSizeV2": lambda i, a, n: make_op(
        "LookupTableSizeV2", i[:1], {}, n, dtypes.int64, SCALAR
    ),
    "StringToHashBucketFast": lambda i, a, n: string_to_hash_bucket_fast(
        i[0], a["num_buckets"], name=n
    ),
    "SparseToDense": lambda i, a, n: sparse_to_dense(
        i[0], i[1], i[2], i[3], validate_indices=a.get("validate_indices", True), name=n
    ),
    "ScalarSummary": lambda i, a, n: scalar_summary(i[0], i[1], name=n),
    "HistogramSummary": lambda i, a, n: histogram_summary(i[0], i[1], name=n),
    "MergeSummary": lambda i, a, n: merge_summary(list(i), name=n),
}

__all__ = ["LOOKUP_BUILDERS"]
