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

from typing import Any

from scopeflow.graph.tensor import Tensor
from scopeflow.ops._gather_grads import Lookup, lookups_of
from scopeflow.ops.gradients_impl import _backprop_reach

__all__ = ["Lookup", "sparse_gradient_sources"]


def sparse_gradient_sources(loss: Tensor, var_list: list[Any]) -> dict[int, list[Lookup]]:
    """``{id(variable): lookups}`` for the variables whose gradient from ``loss`` is sparse."""
    reached, _ = _backprop_reach([loss], set())
    out: dict[int, list[Lookup]] = {}
    for v in var_list:
        t = getattr(v, "_variable", None)
        if t is None or id(t) not in reached:
            continue
        lookups = lookups_of(t, reached)
        if lookups:
            out[id(v)] = lookups
    return out
