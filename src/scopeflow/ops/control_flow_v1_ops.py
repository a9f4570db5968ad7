"""TF 1.x's control-flow primitives: ``Switch``/``Merge`` for user code and imported graphs.

``control_flow_ops.switch(data, pred)`` and ``control_flow_ops.merge(inputs)`` (what
``tf.cond`` is made of in TF 1.x, and what tf-slim's ``apply_with_random_selector`` calls
directly) build TF's ``Switch`` and ``Merge`` nodes. TF's executor makes the untaken output of a
``Switch`` dead, skips every op that reads a dead tensor, and ``Merge`` forwards its one live
input with its index. scopeflow's executor has no dead tensors, so ``merge`` turns the ops
between the ``Switch`` outputs and each ``Merge`` input (the *branch*) into a sub-plan of the
``Merge`` op itself: the ``Merge`` op reads the branch's outer tensors, and its kernel checks each
branch's switches (every ``Switch`` output the branch reads must be the live one) and runs only
the first live branch, so the ops of the other branches never run, as in TF. The ``Merge`` node
keeps TF's inputs for ``op.inputs`` (``_tf_inputs``) and ``as_graph_def`` (``_v1_inputs``).

``tf.import_graph_def`` rebuilds a TF 1.x while frame (``Enter`` ... ``Exit``) as scopeflow's
functional ``While`` op and each ``Switch``/``Merge`` conditional as an ``If`` op
(``graph_import._control_flow``). The frame's own nodes stay in the graph under their names so
``get_tensor_by_name`` finds them; inside the sub-plans of the functional ops they pass values
through:

- ``Enter``, ``NextIteration``, ``LoopCond`` (and ``RefEnter``, ``RefNextIteration``,
  ``RefExit``): the identity; ``RefMerge`` is ``Merge``.
- ``Switch``/``RefSwitch``: both outputs carry the data input. The enclosing ``If``/``While``
  (or user ``Merge``) runs only the sub-plan of the taken branch (or the body only while the
  loop condition holds), which is what TF's dead-tensor propagation achieves; the predicate
  input, when present, is not consulted.

Differences from TensorFlow: fetching a ``Switch`` output, or an op of a branch, directly
computes it whatever the predicate (TF raises ``Retval[0] does not have value`` for a dead
one); a ``Switch`` whose data or predicate depends on another ``Switch`` is not supported; when
several ``Merge`` inputs are live, the first one is taken (TF takes whichever arrives first).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import collections
from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError, UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import get_kernel, register_kernel
from scopeflow.graph.plan import run_subplan
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._shape_inference import node_error
from scopeflow.ops._subgraph import Body, cached_plans, merge_inputs
from scopeflow.ops.math_ops import _scope, name_scope

SwitchOutput = collections.namedtuple("Switch", ["output_false", "output_true"])  # type: ignore[name-match]
MergeOutput = collections.namedtuple("Merge", ["output", "value_index"])  # type: ignore[name-match]

_SWITCH_TYPES = ("Switch", "RefSwitch")


def switch(data: Any, pred: Any, dtype: Any = None, name: str | None = None) -> SwitchOutput:
    """Forwards ``data`` to ``output_true`` if ``pred`` else to ``output_false`` (TF 1.x).

    The other output is dead in TF: only a ``merge`` of the branches makes use of it (see the
    module docstring).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.ops.control_flow_v1_ops import merge, switch
    >>> f, t = switch(tf.constant([1.0, 2.0]), tf.constant(True))
    >>> out, index = merge([f * 2.0, t * 3.0])
    >>> value, i = tf.Session().run([out, index])
    >>> print(t.name, out.name, value, i)
    Switch:1 Merge:0 [3. 6.] 1
    """
    g = get_default_graph()
    scope = _scope(name, "Switch")
    with name_scope(scope):
        x = convert_to_tensor(data, dtype=dtype, name="data", as_ref=True)
        p = convert_to_tensor(pred, name="pred")
    base = x._dtype.base_dtype
    if p._dtype.base_dtype != dtypes.bool:
        raise TypeError(
            f"Input 'pred' of 'Switch' Op has type {p._dtype.base_dtype.name} that does not "
            "match expected type of bool."
        )
    if p._shape.ndims not in (None, 0):
        raise node_error(f"Shape must be rank 0 but is rank {p._shape.ndims}", scope, "Switch",
                         {"T": base}, (x, p))  # fmt: skip
    op_type = "RefSwitch" if x._dtype._is_ref_dtype else "Switch"
    op = g._create_op(op_type, (x, p), {"T": base}, scope, (x._dtype, x._dtype),
                      (x._shape, x._shape))  # fmt: skip
    return SwitchOutput(*op._outputs)


def merge(inputs: Any, name: str | None = None) -> MergeOutput:
    """The one live tensor of ``inputs`` and its index (TF 1.x's ``control_flow_ops.merge``).

    Each input is live unless it was computed from the untaken output of a ``switch``; only the
    ops of the live input run.
    """
    if any(inp is None for inp in inputs):
        raise ValueError(f"At least one of the merge inputs is None: {list(inputs)}")
    g = get_default_graph()
    scope = _scope(name, "Merge")
    with name_scope(scope):
        ts = [convert_to_tensor(inp, as_ref=True) for inp in inputs]
    kinds = [t._dtype.base_dtype for t in ts]
    if len(set(kinds)) > 1:
        raise TypeError(
            "Tensors in list passed to 'inputs' of 'Merge' Op have types "
            f"[{', '.join(k.name for k in kinds)}] that don't all match."
        )
    memo: dict[int, bool] = {}
    branches = []
    all_caps: list[Tensor] = []
    ctrl: list[Operation] = []
    for t in ts:
        inner, guards = _branch(t, memo)
        body = Body(g)
        body.inner = frozenset(inner)
        caps, ctl = body.captures([t], guards)
        for s in guards:
            caps = merge_inputs(caps, list(s._op._inputs))
        branches.append(((t,), tuple(guards), tuple(caps), body.inner))
        all_caps = merge_inputs(all_caps, caps)
        ctrl += [c for c in ctl if c not in ctrl]
    shape = ts[0]._shape
    for t in ts[1:]:
        shape = _merge_shape(shape, t._shape)
    base = kinds[0]
    op = g._create_op(
        "RefMerge" if all(t._dtype._is_ref_dtype for t in ts) else "Merge",
        tuple(all_caps),
        {
            "T": base,
            "N": len(ts),
            "_switch_branches": tuple(branches),
            "_v1_inputs": tuple(_input_name(t) for t in ts),
            "_tf_inputs": tuple(ts),
        },
        scope,
        (base, dtypes.int32),
        (shape, TensorShape([])),
    )
    for c in ctrl:
        op._control_inputs = (*op._control_inputs, c)
    return MergeOutput(*op._outputs)


def _input_name(t: Tensor) -> str:
    return t._op._name if t._value_index == 0 else f"{t._op._name}:{t._value_index}"


def _merge_shape(a: TensorShape, b: TensorShape) -> TensorShape:
    """TF's ``Merge`` shape function: the dimensions all inputs agree on."""
    if a.dims is None or b.dims is None or len(a.dims) != len(b.dims):
        return TensorShape(None)
    return TensorShape([
        da.value if da.value == db.value else None for da, db in zip(a.dims, b.dims, strict=True)
    ])  # fmt: skip


def _branch(t: Tensor, memo: dict[int, bool]) -> tuple[set[int], list[Tensor]]:
    """The ops between ``switch`` outputs and ``t`` (ids), and the ``Switch`` outputs they read.

    An op belongs to the branch when one of its data or control inputs comes from a ``Switch``
    or from an op of the branch (TF's dead-tensor propagation).
    """
    if t._op._type in _SWITCH_TYPES:
        _depends(t._op, memo)  # raises for a nested switch
        return set(), [t]
    if not _depends(t._op, memo):
        return set(), []
    inner: set[int] = set()
    guards: dict[int, Tensor] = {}
    stack = [t._op]
    while stack:
        op = stack.pop()
        if op._id in inner:
            continue
        inner.add(op._id)
        for inp in op._inputs:
            if inp._op._type in _SWITCH_TYPES:
                guards.setdefault(id(inp), inp)
            elif _depends(inp._op, memo):
                stack.append(inp._op)
        for c in op._control_inputs:
            if c._type in _SWITCH_TYPES:
                raise UnsupportedError(
                    f"merge: op {op._name} has a Switch ({c._name}) as a control input"
                )
            if _depends(c, memo):
                stack.append(c)
    return inner, list(guards.values())


def _depends(op: Operation, memo: dict[int, bool]) -> bool:
    """Whether ``op`` reads (through any chain of ops) a ``Switch`` output."""
    stack = [(op, False)]
    while stack:
        o, expanded = stack.pop()
        if o._id in memo:
            continue
        preds = [i._op for i in o._inputs] + list(o._control_inputs)
        if expanded:
            hit = any(p._type in _SWITCH_TYPES or memo.get(p._id, False) for p in preds)
            if o._type in _SWITCH_TYPES and hit:
                raise UnsupportedError(
                    f"merge: Switch {o._name} reads the output of another Switch (nested "
                    "switches are not supported)"
                )
            memo[o._id] = (
                hit and o._type not in _SWITCH_TYPES and "_switch_branches" not in (o._attrs)
            )
            continue
        stack.append((o, True))
        stack.extend((p, False) for p in preds if p._id not in memo)
    return memo[op._id]


def switch_merge_kernel(op: Operation, session: Any) -> Any:
    """The kernel of a ``merge`` of ``switch`` branches: runs the first live branch only."""
    branches = op._attrs["_switch_branches"]
    pos = {id(t): i for i, t in enumerate(op._inputs)}
    plans = cached_plans(
        op, session, [(outs, (*guards, *caps), inner) for outs, guards, caps, inner in branches]
    )
    info = []
    for (_outs, guards, caps, _inner), plan in zip(branches, plans, strict=True):
        checks = [(pos[id(s._op._inputs[1])], s._value_index == 1) for s in guards]
        feeds = [pos[id(s._op._inputs[0])] for s in guards] + [pos[id(c)] for c in caps]
        info.append((checks, feeds, plan, plan.copy_on_fetch[0]))

    def kernel(*vals: Any) -> Any:
        for index, (checks, feeds, plan, copy) in enumerate(info):
            if all(bool(vals[p]) == want for p, want in checks):
                (out,) = run_subplan(plan, [vals[i] for i in feeds])
                if copy and isinstance(out, torch.Tensor):
                    out = out.clone()
                return out, torch.tensor(index, dtype=torch.int32)
        raise InvalidArgumentError(None, op, "Retval[0] does not have value")

    kernel.needs_grad = any(p.needs_grad for p in plans)  # type: ignore[attr-defined]
    return kernel


def _identity(op: Operation, session: Any) -> Any:
    return lambda x: x


def _switch(op: Operation, session: Any) -> Any:
    return lambda x, *pred: (x, x)


def _merge(op: Operation, session: Any) -> Any:
    return get_kernel("Merge").factory(op, session)


for _type in ("Enter", "NextIteration", "LoopCond", "RefEnter", "RefNextIteration", "RefExit"):
    register_kernel(_type, aliases_input=True)(_identity)
for _type in ("Switch", "RefSwitch"):
    register_kernel(_type, aliases_input=True)(_switch)
register_kernel("RefMerge", aliases_input=True)(_merge)

__all__ = ["MergeOutput", "SwitchOutput", "merge", "switch"]
