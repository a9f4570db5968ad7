"""TF's ``IndexedSlices`` gradients: which tensors are only gathered on the way to ``ys``.

TF's gradient of ``Gather``/``GatherV2`` (axis 0, no ``batch_dims``) with respect to ``params``
is an ``IndexedSlices``: the output gradient's rows (``values``, of shape
``[size(ids), *params.shape[1:]]``) at ``indices`` (the ids flattened) with ``dense_shape``
``shape(params)`` as int32. It stays sparse through ``Identity`` (a variable's ``read``);
several sparse contributions are concatenated; a tensor whose gradient also has a dense
contribution gets a dense gradient (TF adds them with ``AddN``). ``lookups_of`` finds, for a
tensor, the gather-like ops all of its gradient flows through, so ``tf.gradients`` and
``Optimizer.compute_gradients`` can differentiate with respect to their outputs and build the
``IndexedSlices``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scopeflow.graph.tensor import Operation, Tensor

__all__ = ["Lookup", "indexed_slices_gradient", "lookups_of"]


@dataclass(frozen=True)
class Lookup:
    """A gather of a tensor's rows: its output tensor and its ids tensor."""

    output: Tensor
    ids: Tensor


def _as_lookup(op: Operation, inp: int) -> Lookup | None:
    """The lookup if ``op`` gathers rows (axis 0) of its input ``inp``, else None."""
    if inp != 0:
        return None
    if op._type == "SfEmbeddingLookup":
        a = op._attrs
        if a["num_shards"] == 1 and a["max_norm"] is None:
            return Lookup(op._outputs[0], op._inputs[-1])
        return None
    if op._type == "Gather":
        return Lookup(op._outputs[0], op._inputs[1])
    if op._type == "GatherV2" and op._attrs.get("batch_dims", 0) == 0:
        axis = op._inputs[2]._const
        if axis is not None and int(axis) == 0:
            return Lookup(op._outputs[0], op._inputs[1])
    return None


def lookups_of(t: Tensor, reached: set[int]) -> list[Lookup] | None:
    """The lookups all of ``t``'s gradient flows through, or None if some of it is dense.

    ``reached`` holds the ids of the tensors a gradient reaches; the list is empty if none of
    ``t``'s consumers is reached.
    """
    found: list[Lookup] = []
    for op in t.consumers():
        if not any(id(o) in reached for o in op._outputs):
            continue
        positions = [i for i, x in enumerate(op._inputs) if x is t]
        if op._type == "Identity":
            sub = lookups_of(op._outputs[0], reached)
            if sub is None:
                return None
            found.extend(sub)
            continue
        for i in positions:
            lk = _as_lookup(op, i)
            if lk is None:
                return None
            found.append(lk)
    return found


def indexed_slices_gradient(params: Any, lookups: list[Lookup], parts: list[Any]) -> Any:
    """TF's gradient of the gathers ``lookups`` of ``params`` whose output gradients are ``parts``.

    ``values`` are each part reshaped to ``[-1, *params.shape[1:]]``, ``indices`` the ids
    flattened (concatenated over several lookups, as TF aggregates them), ``dense_shape``
    ``shape(params)`` (int32). None if no part is connected.
    """
    from scopeflow._core import dtypes  # noqa: PLC0415
    from scopeflow.ops.array_ops import concat, reshape, shape  # noqa: PLC0415
    from scopeflow.ops.math_ops import cast  # noqa: PLC0415
    from scopeflow.ops.sparse_ops import IndexedSlices  # noqa: PLC0415

    tail = params.get_shape().as_list()[1:]
    if any(d is None for d in tail):
        tail_t = shape(params)[1:]
    values, indices = [], []
    for lk, part in zip(lookups, parts, strict=True):
        if part is None:
            continue
        if any(d is None for d in tail):
            values.append(reshape(part, concat([[-1], tail_t], 0)))
        else:
            values.append(reshape(part, [-1, *tail]))
        indices.append(reshape(lk.ids, [-1]))
    if not values:
        return None
    dense_shape = shape(params, out_type=dtypes.int32)
    if len(values) == 1:
        return IndexedSlices(values[0], indices[0], dense_shape)
    if len({i.dtype.base_dtype for i in indices}) > 1:  # TF casts mixed id types to int64
        indices = [cast(i, dtypes.int64) for i in indices]
    return IndexedSlices(concat(values, 0), concat(indices, 0), dense_shape)
