"""Which variables get TF's ``IndexedSlices`` gradient: those only gathered on the way to a loss.

TF's gradient of ``Gather``/``GatherV2`` (axis 0) with respect to ``params`` is an
``IndexedSlices`` of the output gradient's rows at the gathered ids; it stays sparse through
``Identity`` (the variable's ``read``) and becomes dense only when added to a dense gradient.
``sparse_gradient_sources`` finds, for each variable, the gather-like ops through which all of
its gradient flows, so ``Optimizer.compute_gradients`` can differentiate the loss with respect to
their outputs and build the ``IndexedSlices``.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops.gradients_impl import _backprop_reach

__all__ = ["Lookup", "sparse_gradient_sources"]


@dataclass(frozen=True)
class Lookup:
    """A gather of a variable's rows: its output tensor and its ids tensor."""

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


def _lookups_of(t: Tensor, reached: set[int]) -> list[Lookup] | None:
    """The lookups all of ``t``'s gradient flows through, or None if some of it is dense."""
    found: list[Lookup] = []
    for op in t.consumers():
        if not any(id(o) in reached for o in op._outputs):
            continue
        positions = [i for i, x in enumerate(op._inputs) if x is t]
        if op._type == "Identity":
            sub = _lookups_of(op._outputs[0], reached)
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


def sparse_gradient_sources(loss: Tensor, var_list: list[Any]) -> dict[int, list[Lookup]]:
    """``{id(variable): lookups}`` for the variables whose gradient from ``loss`` is sparse."""
    reached, _ = _backprop_reach([loss], set())
    out: dict[int, list[Lookup]] = {}
    for v in var_list:
        t = getattr(v, "_variable", None)
        if t is None or id(t) not in reached:
            continue
        lookups = _lookups_of(t, reached)
        if lookups:
            out[id(v)] = lookups
    return out
