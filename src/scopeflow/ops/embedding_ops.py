"""``tf.nn.embedding_lookup`` with TF's partition strategies.

``tf.nn.embedding_lookup``: rows of ``params`` (a Tensor, a Variable, a list of shards or a
``PartitionedVariable``) by id, with TF's ``mod``/``div`` partition strategies and ``max_norm``.

Differences from TensorFlow: TF builds the lookup from many ops (partition assignment,
``DynamicPartition``, per-shard ``Gather``, ``DynamicStitch``); here it is one ``SfEmbeddingLookup``
node named as TF's result, with TF's values and gradients. TF's intermediate names are reserved.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._op_builder import UNKNOWN, make_op
from scopeflow.ops.array_ops import identity
from scopeflow.ops.math_ops import _scope


def _shards(params: Any) -> list[Any]:
    if hasattr(params, "_get_variable_list"):
        return list(params._get_variable_list())
    if isinstance(params, (list, tuple)):
        return list(params)
    return [params]


def embedding_lookup(params: Any, ids: Any, partition_strategy: str = "mod",
                     name: str | None = None, validate_indices: bool = True,
                     max_norm: float | None = None) -> Tensor:  # fmt: skip
    """Looks up rows ``ids`` of ``params`` (``tf.nn.embedding_lookup``).

    With several shards, id ``i`` lives in shard ``i % n`` at row ``i // n`` (``"mod"``) or in
    contiguous blocks, the first ``total % n`` shards one row larger (``"div"``). With
    ``max_norm``, each looked-up vector whose L2 norm exceeds it is scaled down to it. Ids out of
    range raise ``InvalidArgumentError`` at run time.

    The result is ``embedding_lookup/Identity`` for one shard and ``embedding_lookup/Reshape_1``
    for several, as in TF.

    Differences from TensorFlow: the lookup (TF's ``GatherV2``, or its ``DynamicPartition``/
    ``ParallelDynamicStitch`` chain for shards, and its ``clip_by_norm`` ops) is one node of the
    private op type ``SfEmbeddingLookup``.

    >>> import scopeflow.compat.v1 as tf
    >>> e = tf.nn.embedding_lookup(tf.zeros([10, 4]), [[1, 2, 3]])
    >>> print(e.name, e.shape)
    embedding_lookup/Identity:0 (1, 3, 4)
    """
    shards = _shards(params)
    if not shards:
        raise ValueError("Length of params is currently 0. Need at least one param.")
    if len(shards) > 1 and partition_strategy not in ("mod", "div"):
        raise ValueError(f"Unrecognized partition strategy: {partition_strategy}. Must be one of "
                         f"'mod' or 'div'.")  # fmt: skip
    g = get_default_graph()
    scope = _scope(name, "embedding_lookup")
    ps = [convert_to_tensor(p, name=scope + "params/") for p in shards]
    ids_t = convert_to_tensor(ids, name=scope + "ids/")
    if ids_t._dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Value passed to parameter 'indices' has DataType "
                        f"{ids_t._dtype.base_dtype.name} not in list of allowed values: int16, "
                        f"int32, int64")  # fmt: skip
    dt = ps[0]._dtype.base_dtype
    for p in ps[1:]:
        if p._dtype.base_dtype != dt:
            raise TypeError(f"Expected {dt.name} for all params, got {p._dtype.base_dtype.name}")
    tail: TensorShape = UNKNOWN
    if all(p._shape.ndims is not None for p in ps):
        tail = TensorShape(ps[0]._shape.as_list()[1:])
        for p in ps[1:]:
            tail = tail.merge_with(TensorShape(p._shape.as_list()[1:]))
    out = (TensorShape(ids_t._shape.as_list() + tail.as_list())
           if ids_t._shape.ndims is not None and tail.ndims is not None else UNKNOWN)  # fmt: skip
    attrs = {"Tparams": dt, "Tindices": ids_t._dtype.base_dtype, "num_shards": len(ps),
             "partition_strategy": partition_strategy,
             "max_norm": None if max_norm is None else float(max_norm),
             "ids_rank": ids_t._shape.ndims}  # fmt: skip
    if len(ps) == 1:
        if max_norm is not None:
            g._names.mark_used(scope + "clip_by_norm")
        t = make_op("SfEmbeddingLookup", (*ps, ids_t), attrs, scope, dt, out)
        return identity(t, name=scope + "Identity/")
    for nm in ("Reshape", "Size", "range", "mod", "floordiv", "DynamicPartition",
               "DynamicPartition_1", "GatherV2", "Shape", "concat"):  # fmt: skip
        g._names.mark_used(scope + nm)
    g._names.mark_used(scope[:-1])
    final = "Reshape_1/"
    if max_norm is not None:
        g._names.mark_used(scope + "Reshape_1")
        final = "clip_by_norm/"
    return make_op("SfEmbeddingLookup", (*ps, ids_t), attrs, scope + final, dt, out)


def _index_error(op: Any, ids: Any, bad: Any, limit: int) -> InvalidArgumentError:
    pos = ",".join(str(int(v)) for v in bad)
    return InvalidArgumentError(
        None, op, f"indices[{pos}] = {int(ids[tuple(bad)])} is not in [0, {limit})"
    )


@register_kernel("SfEmbeddingLookup")
def _embedding_lookup_kernel(op: Any, session: Any) -> Any:
    a = op._attrs
    n, div, max_norm = a["num_shards"], a["partition_strategy"] == "div", a["max_norm"]

    def clip(rows: Any, ids_rank: int) -> Any:
        if max_norm is None:
            return rows
        axes = tuple(range(ids_rank, rows.dim()))
        if not axes:
            return rows
        l2sum = (rows * rows).sum(dim=axes, keepdim=True)
        pred = l2sum > 0
        l2norm = torch.where(pred, torch.sqrt(torch.where(pred, l2sum, torch.ones_like(l2sum))),
                             l2sum)  # fmt: skip
        return rows * max_norm / torch.clamp_min(l2norm, max_norm)

    def kernel(*inputs: Any) -> Any:
        shards, ids = inputs[:-1], inputs[-1]
        ids_l = ids.long()
        if n == 1:
            limit = shards[0].shape[0]
            bad = ((ids_l < 0) | (ids_l >= limit)).nonzero()
            if len(bad):
                raise _index_error(op, ids, bad[0].tolist(), limit)
            # index_select: 3x+ faster than advanced indexing for rows of a large table.
            rows = shards[0].index_select(0, ids_l.reshape(-1))
            return clip(rows.reshape(*ids.shape, *shards[0].shape[1:]), ids.dim())
        flat = ids_l.reshape(-1)
        sizes = [s.shape[0] for s in shards]
        total = sum(sizes)
        if div:
            per, extras = total // n, total % n
            big = flat // (per + 1)
            small = (flat - extras) // per if per else big
            assign = torch.maximum(big, small)
            new_ids = torch.where(assign < extras, flat % (per + 1),
                                  (flat - extras) % per if per else flat)  # fmt: skip
        else:
            assign = flat % n
            new_ids = flat // n
        rows = shards[0].new_empty((flat.shape[0], *shards[0].shape[1:]))
        pieces = []
        for i, shard in enumerate(shards):
            sel = (assign == i).nonzero().reshape(-1)
            local = new_ids[sel]
            if len(local) and (int(local.min()) < 0 or int(local.max()) >= sizes[i]):
                j = int(((local < 0) | (local >= sizes[i])).nonzero()[0])
                raise InvalidArgumentError(
                    None, op, f"indices[{j}] = {int(local[j])} is not in [0, {sizes[i]})"
                )
            pieces.append((sel, shard[local]))
        rows = torch.zeros_like(rows).index_put(
            (torch.cat([p[0] for p in pieces]),), torch.cat([p[1] for p in pieces])
        )
        return clip(rows.reshape(*ids.shape, *shards[0].shape[1:]), ids.dim())

    return kernel


__all__ = ["embedding_lookup"]
