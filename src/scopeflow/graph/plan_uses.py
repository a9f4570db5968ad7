"""How a compiled plan uses tensors, told to the kernels that adapt to it.

A kernel factory runs once per plan but sees only its op and the session; a few kernels can do
better when they know what the plan does with their outputs. The shared-memory all-reduce, for
one, may return views of memory it overwrites two runs later when no reader can hold on to them
past the run (not fetched, read only by ops that keep nothing). A kernel (the closure the factory
returned) that has an ``observe_plan_uses`` attribute is called with its op and a ``PlanUses``
once, when a top-level plan on the CPU is compiled, before it first runs; kernels of other plans
(control-flow bodies, device placement) are never called and must assume the worst.

Must not import ``scopeflow.ops`` or any layer above ``graph``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.graph.tensor import Operation, Tensor


class PlanUses:
    """The readers of each tensor in one plan and which tensors the caller sees (fed, fetched).

    A reader is the op of a plan step reading the tensor as a value (variable references
    excluded); for a step that runs a fused kernel (several ops' math in one call), the last
    of its ops, which produces the step's outputs.
    """

    def __init__(self, steps: list[Any], kept: set[int]) -> None:
        self._kept = kept
        self._readers: dict[int, list[Operation]] = {}
        self._steps: dict[int, Any] = {}
        for st in steps:
            self._steps[id(st.op)] = st
            for i, t in enumerate(st.inputs):
                if i not in st.refs:
                    self._readers.setdefault(id(t), []).append(st.op)

    def kept(self, t: Tensor) -> bool:
        """Whether the caller gives or gets ``t``'s value (fed or fetched)."""
        return id(t) in self._kept

    def readers(self, t: Tensor) -> list[Operation]:
        """The plan's steps that read ``t`` (one entry per input reading it)."""
        return self._readers.get(id(t), [])

    def kernel(self, op: Operation) -> Any:
        """The kernel of the plan step whose op (as ``readers`` names it) is ``op``, or None.

        A kernel may offer the others of its plan a hook (``MatMul``'s ``grad_into``); they
        find it here.
        """
        st = self._steps.get(id(op))
        return None if st is None else st.kernel

    def inputs(self, op: Operation) -> tuple[Tensor, ...]:
        """The tensors the step of ``op`` takes (a fused step's are not its op's inputs)."""
        st = self._steps.get(id(op))
        return () if st is None else tuple(st.inputs)


def notify_plan_uses(steps: list[Any], kept: set[int]) -> None:
    """Calls ``observe_plan_uses(op, uses)`` of every step kernel that has one."""
    uses: PlanUses | None = None
    for st in steps:
        observe = getattr(st.kernel, "observe_plan_uses", None)
        if observe is not None:
            if uses is None:
                uses = PlanUses(steps, kept)
            observe(st.op, uses)


__all__ = ["PlanUses", "notify_plan_uses"]
