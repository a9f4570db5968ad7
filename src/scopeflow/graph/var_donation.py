"""Variable updates computed in the variable's own memory (plans that donate, see ``plan.Plan``).

An optimizer written in ops (BERT's ``AdamWeightDecayOptimizer``: ``next_m = 0.9 * m + 0.1 *
g``, ..., ``m.assign(next_m)``) reads each variable, computes its new value into fresh tensors
and copies that value into the variable with ``Assign``, as TF 1's ``AssignOp`` does. When
nothing can observe the difference, a plan instead lets the *last* op reading the variable's
old value write its result into the variable's buffer (``m *= 0.9``); the ops after it that
already run in place into their input (``plan._inplace_kernel``) carry the chain on in that
buffer, and the ``Assign`` then finds its value already there and copies nothing (the
``Assign`` kernel skips a copy of a tensor onto its own memory). That saves the copy and a
fresh output per variable and update: one read and two writes of every element.

``variable_donations`` picks, for each variable ``V`` written by exactly one ``Assign`` ``A``
of the plan, the step ``P`` that may write into ``V``'s buffer. It must hold that:

* every step reading ``V``'s value (its ``VariableV2`` output or an alias of it: ``Identity``
  ``read`` snapshots and any other aliasing op, transitively) comes before ``P`` in the plan's
  serial order, or is ``P``; no such tensor is fed or fetched; ``P`` has an in-place variant
  for that input whose result fits its buffer, and ``P`` comes before ``A``;
* no other step of the plan writes ``V`` (no other op has it as a reference input), every
  reference input of the plan is a variable's own output, and the plan holds no stateful op
  that could reach variables unseen (control flow, ``py_func``, custom gradients: besides
  variable reads and ops writing variables through reference inputs, only random ops and
  ``Assert``);
* no step between ``P`` and ``A`` is a check that fails on values (``Assert``,
  ``CheckNumerics``): when it fails, the variable keeps its old value, as in TF;
* following the in-place steps from ``P``'s output, the tensor in ``V``'s buffer when ``A``
  runs is ``A``'s value (``A`` then copies nothing), or it is read by no step after ``A``
  (``A`` copies over it).

The values are those of the op-by-op plan bit for bit: the same kernels compute the same
elements, only into a different buffer. The caller runs ``P`` (and everything after it) only
where no autograd history is recorded (no-grad plans, or after a gradient plan's last
gradient kernel).

Differences from TensorFlow: another thread reading the variable while such an update runs
(a second ``Session.run`` in parallel) can see an intermediate value of the chain, such as
``0.9 * m`` before ``+ 0.1 * g`` is added; in TF it sees the old or the new value (or, as
here, a torn copy: ``Assign`` is not synchronised with readers either).

Must not import ``scopeflow.ops`` or any layer above ``graph``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from scopeflow.graph.op_registry import has_fresh_output

_VARIABLE_OPS = frozenset({"VariableV2", "Variable"})
# Stateful ops that touch no variable unseen (their state is a random generator's).
_HARMLESS_STATEFUL = frozenset({
    "RandomUniform", "RandomStandardNormal", "TruncatedNormal", "RandomUniformInt",
    "Multinomial", "RandomShuffle", "Assert",
})  # fmt: skip
# Ops whose outputs never share memory with a variable they read, though not declared fresh.
_NEVER_ALIAS_INPUTS = frozenset({"SymbolicGradient"})
# Ops that fail on the values they check. Between ``P`` and the ``Assign`` none may run: when
# one fails, TF's ``Assign`` has not copied anything, so the variable must still hold its old
# value, not ``P``'s partial update.
_CHECKS = frozenset({"Assert", "CheckNumerics"})


def variable_donations(
    steps: Sequence[Any],
    start: int,
    kept: set[int],
    inplace_at: Callable[[int, int], bool],
    donated_input: Callable[[int], int | None],
) -> dict[int, int]:
    """Step position -> index of the input (a variable's value) it writes its result into.

    ``steps`` have ``op``, ``kdef``, ``inputs``, ``refs`` and ``fused``; only steps at ``start``
    or later may write into a variable. ``kept`` holds the fed and fetched tensors' ids.
    ``inplace_at(pos, index)`` says whether step ``pos`` has an in-place variant writing into
    input ``index`` that holds its result; ``donated_input(pos)`` is the input the plan's
    ordinary donation makes step ``pos`` write into, or None.
    """
    writers: dict[str, list[int]] = {}  # variable op name -> steps with it as a ref input
    for pos, st in enumerate(steps):
        for k in st.refs:
            t = st.inputs[k]
            if t._op._type not in _VARIABLE_OPS:
                return {}  # a reference through another op (RefSwitch...): not followed
            writers.setdefault(t._op._name, []).append(pos)
        kdef = st.kdef
        if kdef.stateful and not st.refs and st.op._type not in _VARIABLE_OPS | _HARMLESS_STATEFUL:
            return {}
    readers: dict[int, list[tuple[int, int]]] = {}  # tensor id -> (step, input index)
    for pos, st in enumerate(steps):
        for k, t in enumerate(st.inputs):
            if k not in st.refs:
                readers.setdefault(id(t), []).append((pos, k))
    found: list[tuple[int, int, list[int]]] = []
    for ws in writers.values():
        if len(ws) != 1 or steps[ws[0]].op._type != "Assign":
            continue
        a = ws[0]
        var_out = steps[a].inputs[0]
        got = _donation_for(steps, a, var_out, start, readers, kept, inplace_at, donated_input)
        if got is not None:
            found.append(got)
    # A step writing into one variable must not be where another variable's chain goes on.
    firsts = {p for p, _, _ in found}
    return {p: k for p, k, chain in found if not firsts.intersection(chain)}


def _donation_for(steps: Sequence[Any], a: int, var_out: Any, start: int,
                  readers: dict[int, list[tuple[int, int]]], kept: set[int],
                  inplace_at: Callable[[int, int], bool],
                  donated_input: Callable[[int], int | None]
                  ) -> tuple[int, int, list[int]] | None:  # fmt: skip
    """``(P, input index, in-place steps after P in the buffer)`` for ``var_out``, or None.

    ``var_out`` is the variable's output that step ``a`` (its only ``Assign``) refers to.
    """
    assign = steps[a].op
    if not assign._attrs.get("validate_shape", True):
        return None
    # Every read of the variable's value: of its output and, transitively, of every output
    # that may share its memory (any output not declared fresh: views, identities...).
    reads: list[tuple[int, int]] = []
    frontier, seen = [var_out], {id(var_out)}
    while frontier:
        t = frontier.pop()
        if id(t) in kept:
            return None
        for pos, k in readers.get(id(t), ()):
            reads.append((pos, k))
            st = steps[pos]
            if pos == a or st.op._type in _NEVER_ALIAS_INPUTS:
                continue  # the Assign's value input: ``v.assign(v)``, its output is ``v``
            for i, o in enumerate(st.op._outputs):
                if id(o) not in seen and (st.fused or not has_fresh_output(st.op._type, i)):
                    seen.add(id(o))
                    frontier.append(o)
    if not reads:
        return None
    p, k = max(reads)
    if p < start or p >= a or sum(1 for r in reads if r[0] == p) != 1:
        return None
    if any(steps[q].op._type in _CHECKS for q in range(p + 1, a)):
        return None  # a failing check would leave the variable half updated
    st = steps[p]
    if st.kdef.aliases_input or st.fused or not inplace_at(p, k):
        return None
    t = st.inputs[k]  # the whole variable: its output or an identity of it, not a view
    while t is not var_out:
        if t._op._type != "Identity":
            return None
        t = t._op._inputs[0]
    outs = st.op._outputs
    if len(outs) != 1 or outs[0]._shape != var_out._shape or not var_out._shape.is_fully_defined():
        return None
    # Follow the in-place steps after P: which tensor holds the variable's buffer at A?
    held, chain = outs[0], []
    for q in range(p + 1, a):
        j = donated_input(q)
        if j is not None and steps[q].inputs[j] is held:
            held = steps[q].op._outputs[0]
            chain.append(q)
    if id(held) in kept:
        return None
    value = steps[a].inputs[1]
    if held is not value and any(pos > a for pos, _ in readers.get(id(held), ())):
        return None
    return p, k, chain


__all__ = ["variable_donations"]
