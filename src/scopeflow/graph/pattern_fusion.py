"""Subgraph fusion for plans: a matched group of ops runs as one kernel (layer norm, GELU).

A pattern is registered per root op type (``op_registry.register_pattern``); its matcher looks
backwards from a root op and returns a ``PatternMatch``: the ops absorbed besides the root, the
tensors from outside the subgraph the fused kernel reads, the constants it read at plan time,
and the kernel. ``fuse_patterns`` replaces the root's step of a plan by the fused kernel and
drops the absorbed ops' steps, but only where that cannot be observed: every output of an
absorbed op is read by ops of the subgraph only (not by another op of the plan, not fed or
fetched, not a tensor a gradient differentiates by), no absorbed op has or is a control
dependency, and the constants are not fed. Pattern kernels are differentiable torch
functions, so plans computing gradients use them too (autograd records one node for the
subgraph instead of one per op).

Must not import ``scopeflow.ops`` or any layer above ``graph``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scopeflow.graph.op_registry import pattern_matchers
from scopeflow.graph.tensor import Operation, Tensor


@dataclass(frozen=True)
class PatternMatch:
    """A subgraph ending at a root op, and the kernel computing the root's outputs."""

    absorbed: tuple[Operation, ...]
    """The subgraph's ops other than the root (their steps are dropped)."""
    inputs: tuple[Tensor, ...]
    """The outside tensors the kernel takes, in its argument order."""
    consts: tuple[Tensor, ...]
    """Constant tensors whose values the matcher read at plan time (must not be fed)."""
    kernel: Callable[..., Any]


def fuse_patterns(
    steps: list[Any],
    session: Any,
    uses: dict[int, int],
    kept: set[int],
    leaves: set[int],
    make_step: Callable[..., Any],
) -> list[Any]:
    """``steps`` with each matched subgraph replaced by one fused step (see the module doc).

    ``uses`` counts the plan's reads of each tensor, ``kept`` holds the fed and fetched
    tensors' ids, ``leaves`` the ids of tensors gradients are taken with respect to;
    ``make_step(op, kdef, kernel, inputs)`` builds the fused step of a root. Constant steps
    that only the fused subgraphs read are dropped as well.
    """
    if not any(pattern_matchers(st.op._type) for st in steps):
        return steps
    controlled = {c._id for st in steps for c in st.op._control_inputs}
    pos = {st.op._id: i for i, st in enumerate(steps)}
    out = list(steps)
    dropped: set[int] = set()
    fused_reads: dict[int, int] = {}  # const tensor id -> reads that fused subgraphs removed
    # Consumers first: a pattern ending later may absorb the root of one ending earlier (a
    # dense layer's ``BiasAdd`` inside its ``Relu``'s pattern), never the other way round.
    for i in reversed(range(len(steps))):
        st = steps[i]
        if st.refs or i in dropped:
            continue
        for matcher in pattern_matchers(st.op._type):
            m = matcher(st.op, session)
            if m is None or not _observable_only_inside(m, st.op, pos, dropped, out, uses,
                                                        kept, leaves, controlled):  # fmt: skip
                continue
            out[i] = make_step(st.op, st.kdef, m.kernel, m.inputs)
            members = {st.op._id, *(op._id for op in m.absorbed)}
            for op in (st.op, *m.absorbed):
                for t in op._inputs:
                    if t._op._id not in members:
                        fused_reads[id(t)] = fused_reads.get(id(t), 0) + 1
            for t in m.inputs:
                fused_reads[id(t)] = fused_reads.get(id(t), 0) - 1
            dropped.update(pos[op._id] for op in m.absorbed)
            break
    if not dropped:
        return steps
    for i, st in enumerate(steps):
        # A constant read only by fused subgraphs has nothing left to do.
        if st.op._type == "Const" and i not in dropped and st.op._id not in controlled:
            t = st.op._outputs[0]
            if id(t) not in kept and fused_reads.get(id(t), 0) >= uses.get(id(t), 0) > 0:
                dropped.add(i)
    return [st for k, st in enumerate(out) if k not in dropped]


def _observable_only_inside(
    m: PatternMatch,
    root: Operation,
    pos: dict[int, int],
    dropped: set[int],
    steps: list[Any],
    uses: dict[int, int],
    kept: set[int],
    leaves: set[int],
    controlled: set[int],
) -> bool:
    """Whether dropping ``m.absorbed`` changes nothing any other op, feed or fetch can see."""
    members = {root._id, *(op._id for op in m.absorbed)}
    inside: dict[int, int] = {}  # tensor id -> reads by the subgraph's ops
    for op in (root, *m.absorbed):
        for t in op._inputs:
            inside[id(t)] = inside.get(id(t), 0) + 1
    for op in m.absorbed:
        p = pos.get(op._id)
        if p is None or p in dropped or steps[p].refs or steps[p].fused:
            return False
        if op._id in controlled or op._control_inputs:
            return False
        for t in op._outputs:
            if id(t) in kept or id(t) in leaves or uses.get(id(t), 0) != inside.get(id(t), 0):
                return False
    if any(id(t) in kept for t in m.consts):
        return False
    # Every outside tensor the kernel reads is computed (or fed) before the root.
    return all(t._op._id not in members for t in m.inputs)


__all__ = ["PatternMatch", "fuse_patterns"]
