"""TF 1.x control flow: ``tf.cond``, ``tf.case``, ``tf.while_loop``, ``tf.tuple``.

Each construct is one functional op whose kernel runs sub-plans (``_subgraph``): ``If`` runs only
the taken branch (stateful ops of the other branch never run, as in TF), ``While`` runs its
condition and body sub-plans in a Python loop on torch values, so autograd differentiates
through both. Branch and body ops are created in the graph under the construct's name scope, with
TF 1.x's names (``cond/mul``, ``while/add``); results are named as TF's v1 control flow names
them: ``cond/Merge:0`` (``Merge`` ops with outputs ``(output, value_index)``) and
``while/Exit:0``; inside a loop the condition sees ``while/Merge:k`` and the body
``while/Identity:k``.

Differences from TensorFlow: there are no ``Switch``/``Enter``/``NextIteration`` nodes (their
names are reserved so later names match); the functional ops are named ``cond/If`` and
``while/While``; fetching a tensor created inside a branch or loop body runs it unconditionally
(TF raises for an untaken branch); ``parallel_iterations`` and ``swap_memory`` have no effect.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import builtins
import collections
import functools
from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.plan import run_subplan
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops import control_flow_v1_ops, nest
from scopeflow.ops._subgraph import building, cached_plans, merge_inputs, shape_le
from scopeflow.ops.array_ops import identity
from scopeflow.ops.state_ops import group
from scopeflow.ops.tensor_array_ops import from_flow, to_flow

# --- helpers --------------------------------------------------------------------------------------


def _merge_shape(a: TensorShape, b: TensorShape) -> TensorShape:
    """The static shape of a ``Merge``: dims both branches agree on, else unknown."""
    if a.dims is None or b.dims is None or len(a.dims) != len(b.dims):
        return TensorShape(None)
    return TensorShape(
        [x.value if x.value == y.value else None for x, y in zip(a.dims, b.dims, strict=True)]
    )


def _to_output(v: Any) -> Any:
    """A branch result leaf: an Operation stays one, anything else becomes a tensor."""
    if isinstance(v, Operation):
        return v
    return convert_to_tensor(v)


def _unpack_if_singleton(res: Any) -> Any:
    if isinstance(res, (list, builtins.tuple)) and len(res) == 1:
        return res[0]
    return res


def _reserve(*names: str) -> None:
    g = get_default_graph()
    for n in names:
        g.unique_name(n)


# --- cond -----------------------------------------------------------------------------------------


def cond(pred: Any, true_fn: Any = None, false_fn: Any = None, strict: bool = False,
         name: str | None = None, fn1: Any = None, fn2: Any = None) -> Any:  # fmt: skip
    """``true_fn()`` if ``pred`` else ``false_fn()``; only the taken branch runs (``tf.cond``).

    Branches return the same nested structure of tensors (or values convertible to tensors, or
    ops) with the same dtypes; each result tensor's static shape is what both branches agree
    on. With ``strict=False`` a one-element list or tuple is unpacked, as in TF.

    Raises:
        TypeError: ``pred`` is a Python bool or not a bool tensor; a branch is missing or not
            callable; branch structures differ in sequence type.
        ValueError: a branch returns ``None``, structures or dtypes differ.

    >>> import scopeflow.compat.v1 as tf
    >>> p = tf.placeholder(tf.bool, [])
    >>> r = tf.cond(p, lambda: tf.constant(1.0), lambda: tf.constant(2.0))
    >>> print(r.name)
    cond/Merge:0
    """
    if fn1 is not None:
        if true_fn is not None:
            raise TypeError("cond(): 'true_fn' and 'fn1' may not be set simultaneously.")
        true_fn = fn1
    if fn2 is not None:
        if false_fn is not None:
            raise TypeError("cond(): 'false_fn' and 'fn2' may not be set simultaneously.")
        false_fn = fn2
    if true_fn is None:
        raise TypeError("cond(): 'true_fn' argument required")
    if false_fn is None:
        raise TypeError("cond(): 'false_fn' argument required")
    if not callable(true_fn):
        raise TypeError("'true_fn' must be callable.")
    if not callable(false_fn):
        raise TypeError("'false_fn' must be callable.")
    if isinstance(pred, bool):
        raise TypeError("'pred' must not be a Python bool.")
    g = get_default_graph()
    with g.name_scope(name or "cond") as scope:
        p = convert_to_tensor(pred)
        if p._dtype.base_dtype != dtypes.bool:
            raise TypeError(
                f"Input 'pred' of 'Switch' Op has type {p._dtype.base_dtype.name} that does not "
                "match expected type of bool."
            )
        if p._shape.ndims not in (None, 0):
            raise ValueError(
                f"Shape must be rank 0 but is rank {p._shape.ndims} for "
                f"'{{{{node {scope}Switch}}}} = Switch[T=DT_BOOL](pred, pred)' with input "
                f"shapes: {p._shape.as_list()}, {p._shape.as_list()}."
            )
        _reserve("Switch", "switch_t", "switch_f", "pred_id")
        results = []
        bodies = []
        for fn, label in ((true_fn, "true_fn"), (false_fn, "false_fn")):
            with building(g) as body:
                res = fn()
                if res is None:
                    raise ValueError(f"'{label}' must have a return value.")
                res = nest.map_structure(_to_output, res)
            results.append(res)
            bodies.append(body)
        res_t, res_f = results
        if not strict:
            res_t, res_f = _unpack_if_singleton(res_t), _unpack_if_singleton(res_f)
        nest.assert_same_structure(res_t, res_f)
        flat_t, flat_f = nest.flatten(res_t), nest.flatten(res_f)
        out_dtypes, out_shapes = [], []
        for a, b in zip(flat_t, flat_f, strict=True):
            da = dtypes.bool if isinstance(a, Operation) else a._dtype.base_dtype
            db = dtypes.bool if isinstance(b, Operation) else b._dtype.base_dtype
            if da != db:
                raise ValueError(
                    "Outputs of 'true_fn' and 'false_fn' must have the same type(s). Received "
                    f"{da.name} from 'true_fn' and {db.name} from 'false_fn'."
                )
            sa = TensorShape([]) if isinstance(a, Operation) else a._shape
            sb = TensorShape([]) if isinstance(b, Operation) else b._shape
            out_dtypes.append(da)
            out_shapes.append(_merge_shape(sa, sb))
        caps_t, ctrl_t = bodies[0].captures(flat_t, [])
        caps_f, ctrl_f = bodies[1].captures(flat_f, [])
        caps = merge_inputs(caps_t, caps_f)
        op = g._create_op(
            "If",
            (p, *caps),
            {
                "_branches": (
                    (builtins.tuple(flat_t), builtins.tuple(caps_t), bodies[0].inner),
                    (builtins.tuple(flat_f), builtins.tuple(caps_f), bodies[1].inner),
                ),
                "Tout": builtins.tuple(out_dtypes),
            },
            "If",
            (*out_dtypes, dtypes.int32),
            (*out_shapes, TensorShape([])),
        )
        for c in ctrl_t + ctrl_f:
            if c not in op._control_inputs:
                op._control_inputs = (*op._control_inputs, c)
        index = op._outputs[-1]
        merges = [
            g._create_op("Merge", (out, index), {"T": out._dtype, "N": 2}, "Merge",
                         (out._dtype, dtypes.int32), (out._shape, TensorShape([])))._outputs[0]
            for out in op._outputs[:-1]
        ]  # fmt: skip
    packed = nest.pack_sequence_as(res_t, merges)
    if not strict:
        packed = _unpack_if_singleton(packed)
    return packed


@register_kernel("If", stateful=True)
def _if_kernel(op: Operation, session: Any) -> Any:
    branches = op._attrs["_branches"]
    caps = list(op._inputs[1:])
    pos = {id(t): i for i, t in enumerate(caps)}
    plans = cached_plans(op, session, [(outs, bcaps, inner) for outs, bcaps, inner in branches])
    info = []
    for (outs, bcaps, _), plan in zip(branches, plans, strict=True):
        idx = [pos[id(t)] for t in bcaps]
        fix = [
            (i, isinstance(o, Operation), plan.copy_on_fetch[i]) for i, o in enumerate(outs)
            if isinstance(o, Operation) or plan.copy_on_fetch[i]
        ]  # fmt: skip
        info.append((plan, idx, fix))
    n_out = len(branches[0][0])

    def kernel(pred: Any, *vals: Any) -> Any:
        taken = bool(pred)
        plan, idx, fix = info[0 if taken else 1]
        outs = run_subplan(plan, [vals[i] for i in idx])
        for i, is_op, copy in fix:
            if is_op:
                outs[i] = torch.tensor(taken)
            elif copy and isinstance(outs[i], torch.Tensor):
                outs[i] = outs[i].clone()
        index = torch.tensor(1 if taken else 0, dtype=torch.int32)
        if n_out == 0:
            return index
        return (*outs, index)

    kernel.needs_grad = any(p.needs_grad for p in plans)  # type: ignore[attr-defined]
    return kernel


@register_kernel("Merge", aliases_input=True)
def _merge_kernel(op: Operation, session: Any) -> Any:
    if "_switch_branches" in op._attrs:  # a user ``merge`` of ``switch`` branches
        return control_flow_v1_ops.switch_merge_kernel(op, session)
    if len(op._inputs) == 1:
        # An imported loop ``Merge`` (its value is fed by the ``While``); it runs only as a
        # control dependency of ops inside the loop.
        zero = torch.tensor(0, dtype=torch.int32)
        return lambda v: (v, zero)
    return lambda v, i: (v, i)


def case(pred_fn_pairs: Any, default: Any = None, exclusive: bool = False, strict: bool = False,
         name: str = "case") -> Any:  # fmt: skip
    """The result of the first ``fn`` whose ``pred`` is true, else ``default()`` (``tf.case``).

    Built as TF 1.x builds it: a chain of nested ``cond`` ops named ``case/cond/...``. A plain
    dict of pairs is ordered by predicate name (an ``OrderedDict`` keeps its order), as in TF.

    With ``exclusive=True`` the conds run after TF's assertion that at most one predicate is
    true (``case/preds_c`` ... ``case/Assert``; ``InvalidArgumentError`` at run time).

    Raises:
        UnsupportedError: no ``default`` (TF asserts at run time that one predicate holds;
            not implemented).
        TypeError: malformed ``pred_fn_pairs``.
    """
    from scopeflow.errors import UnsupportedError  # noqa: PLC0415

    if isinstance(pred_fn_pairs, collections.OrderedDict):
        pairs = list(pred_fn_pairs.items())
    elif isinstance(pred_fn_pairs, dict):
        pairs = sorted(pred_fn_pairs.items(), key=lambda item: item[0].name)
    elif isinstance(pred_fn_pairs, (list, builtins.tuple)):
        pairs = list(pred_fn_pairs)
    else:
        raise TypeError("pred_fn_pairs must be a list, tuple, or dict")
    for pair in pairs:
        if not isinstance(pair, builtins.tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in pred_fn_pairs must be a 2-tuple: {pair}")
        if not callable(pair[1]):
            raise TypeError(f"fn for pred {pair[0].name} must be callable.")
    if default is None:
        raise UnsupportedError("tf.case without default", "TF asserts at run time that one "
                               "predicate holds; pass default=.")  # fmt: skip
    g = get_default_graph()
    with g.name_scope(name or "case"):
        fn = default
        for pred, f in reversed(pairs):
            fn = functools.partial(cond, pred, f, fn, strict=strict)
        if not exclusive:
            return fn()
        with g.control_dependencies([_assert_at_most_one_true([p for p, _ in pairs])]):
            return fn()


def _assert_at_most_one_true(predicates: list[Any]) -> Any:
    """TF 1.x's ``_assert_at_most_n_true(predicates, n=1, "Input error: exclusive=True")``."""
    from scopeflow._core import dtypes  # noqa: PLC0415
    from scopeflow.ops import array_ops, math_ops, reduction_ops  # noqa: PLC0415
    from scopeflow.ops.constant_op import constant  # noqa: PLC0415
    from scopeflow.ops.logging_ops import Assert  # noqa: PLC0415

    preds_c = array_ops.stack(predicates, name="preds_c")
    num_true = reduction_ops.reduce_sum(math_ops.cast(preds_c, dtypes.int32), name="num_true_conds")
    condition = math_ops.less_equal(num_true, constant(1, name="n_true_conds"))
    names = ", ".join(getattr(p, "name", "?") for p in predicates)
    message = f"Input error: exclusive=True: more than 1 conditions ({names}) evaluated as True:"
    return Assert(condition, data=[message, preds_c], summarize=len(predicates))


# --- while_loop ---------------------------------------------------------------------------------


def _loop_placeholders(flat: list[Tensor], shapes: list[TensorShape], name: str) -> list[Tensor]:
    g = get_default_graph()
    return [
        g._create_op("Identity", (t,), {"T": t._dtype.base_dtype}, name,
                     (t._dtype.base_dtype,), (s,))._outputs[0]
        for t, s in zip(flat, shapes, strict=True)
    ]  # fmt: skip


def while_loop(cond: Any, body: Any, loop_vars: Any, shape_invariants: Any = None,
               parallel_iterations: int = 10, back_prop: bool = True, swap_memory: bool = False,
               name: str | None = None, maximum_iterations: Any = None,
               return_same_structure: bool = False) -> Any:  # fmt: skip
    """Repeats ``body`` while ``cond`` is true (``tf.while_loop``, TF 1.x semantics).

    ``loop_vars`` may be nested; ``body`` returns the same structure. Shapes must stay within
    ``shape_invariants`` (checked when the loop is built, TF's texts). The result has the body's
    structure; without ``return_same_structure`` a single loop variable is returned unwrapped.
    With ``back_prop=False`` no gradient flows through the loop.

    >>> import scopeflow.compat.v1 as tf
    >>> r = tf.while_loop(lambda i: i < 10, lambda i: i + 1, [tf.constant(0)])
    >>> print(r.name)
    while/Exit:0
    """
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    g = get_default_graph()
    with g.name_scope(name or "while") as scope:
        if not loop_vars:
            raise ValueError("'loop_vars' must be provided.")
        try_to_pack = len(loop_vars) == 1 and not return_same_structure
        if maximum_iterations is not None:
            from scopeflow.ops import math_ops  # noqa: PLC0415

            max_it = convert_to_tensor(maximum_iterations, name="maximum_iterations")
            if max_it._shape.ndims != 0:
                raise ValueError(
                    f"'maximum_iterations' must be a scalar. Received shape: {max_it._shape}"
                )
            from scopeflow.ops.constant_op import constant  # noqa: PLC0415

            counter = constant(0, dtype=max_it._dtype, name="iteration_counter")
            orig_cond, orig_body = cond, body
            if try_to_pack:
                loop_vars = (counter, loop_vars[0])
                cond = lambda i, lv: math_ops.logical_and(i < max_it, orig_cond(lv))  # noqa: E731
                body = lambda i, lv: (i + 1, orig_body(lv))  # noqa: E731
            else:
                loop_vars = (counter, loop_vars)
                cond = lambda i, lv: math_ops.logical_and(i < max_it, orig_cond(*lv))  # noqa: E731
                body = lambda i, lv: (i + 1, orig_body(*lv))  # noqa: E731
            if shape_invariants is not None:
                shape_invariants = (TensorShape([]), shape_invariants)
        result = _build_loop(cond, body, loop_vars, shape_invariants, return_same_structure,
                             back_prop, scope)  # fmt: skip
    if maximum_iterations is not None:
        return result[1]
    return result


def _build_loop(cond_fn: Any, body_fn: Any, loop_vars: Any, shape_invariants: Any,
                return_same_structure: bool, back_prop: bool, scope: str) -> Any:  # fmt: skip
    g = get_default_graph()
    orig_vars = loop_vars
    # TensorArrays travel through the loop as their flow tensors (TF's
    # ``_convert_tensorarray_to_flow``); the functions see TensorArrays rebuilt around them.
    loop_vars = nest.map_structure(lambda v: convert_to_tensor(to_flow(v)), loop_vars)
    flat = nest.flatten(loop_vars)
    if shape_invariants is not None:
        inv = nest.flatten(nest.map_structure(lambda _v, s: TensorShape(s) if not isinstance(
            s, TensorShape) else s, loop_vars, shape_invariants))  # fmt: skip
    else:
        inv = [t._shape for t in flat]
    for t, s in zip(flat, inv, strict=True):
        if not shape_le(t._shape, s):
            raise ValueError(
                f"The shape invariant specified for {t.name} is not compatible with the initial "
                f"shape of the loop variable. It enters the loop with shape {t._shape}, but the "
                f"specified shape invariant is {s}."
            )
    n = len(flat)
    _reserve(*["Enter"] * n)
    merge_vars = _loop_placeholders(flat, inv, "Merge")
    with building(g) as cbody:
        c = convert_to_tensor(cond_fn(*_with_arrays(orig_vars, merge_vars)))
    if c._dtype.base_dtype != dtypes.bool:
        raise TypeError(
            f"Input 'input' of 'LoopCond' Op has type {c._dtype.base_dtype.name} that does not "
            "match expected type of bool."
        )
    _reserve("LoopCond", *["Switch"] * n)
    body_vars = _loop_placeholders(flat, inv, "Identity")
    packed_body_vars = _with_arrays(orig_vars, body_vars)
    with building(g) as bbody:
        body_result = body_fn(*packed_body_vars)
        if not nest.is_nested(body_result):
            body_result = [body_result]
        body_result = nest.map_structure(lambda v: convert_to_tensor(to_flow(v)), body_result)
        nest.assert_same_structure(list(packed_body_vars), list(body_result))
    result = nest.flatten(body_result)
    if len(result) != n:
        raise ValueError(
            "Number of inputs and outputs of 'body' must match 'loop_vars'. Got "
            f"{n} for the number of inputs/outputs, and {len(result)} for 'loop_vars'."
        )
    for t, m, r in zip(flat, merge_vars, result, strict=True):
        if r._dtype.base_dtype != m._dtype.base_dtype:
            raise TypeError(
                f"Input tensor '{t.name}' enters the loop with dtype {m._dtype.base_dtype.name}, "
                f"but has dtype {r._dtype.base_dtype.name} after one iteration."
            )
        if not shape_le(r._shape, m._shape):
            raise ValueError(
                f"Input tensor '{t.name}' enters the loop with shape {t._shape}, but has shape "
                f"{r._shape} after one iteration. To allow the shape to vary across iterations, "
                "use the `shape_invariants` argument of tf.while_loop to specify a less-specific "
                "shape."
            )
    caps_c, ctrl_c = cbody.captures([c], merge_vars)
    caps_b, ctrl_b = bbody.captures(result, body_vars)
    caps = merge_inputs(caps_c, caps_b)
    _reserve(*["NextIteration"] * n)
    op = g._create_op(
        "While",
        (*flat, *caps),
        {
            "_cond": ((c,), (*merge_vars, *caps_c), cbody.inner),
            "_body": (builtins.tuple(result), (*body_vars, *caps_b), bbody.inner),
            "back_prop": bool(back_prop),
            "T": builtins.tuple(t._dtype.base_dtype for t in flat),
        },
        "While",
        [t._dtype.base_dtype for t in flat],
        inv,
    )
    for ctl in ctrl_c + ctrl_b:
        if ctl not in op._control_inputs:
            op._control_inputs = (*op._control_inputs, ctl)
    exits = [
        g._create_op("Exit", (o,), {"T": o._dtype}, "Exit", (o._dtype,), (o._shape,))._outputs[0]
        for o in op._outputs
    ]
    packed = _with_arrays(orig_vars, exits, body_result)
    if return_same_structure:
        return packed
    return packed[0] if n == 1 else packed


def _with_arrays(orig_vars: Any, flat: list[Tensor], structure: Any = None) -> Any:
    """``flat`` packed like ``structure`` (default ``orig_vars``), TensorArrays rebuilt.

    A TensorArray is rebuilt around the flow in each place where ``orig_vars`` holds one.
    """
    olds = nest.flatten(orig_vars)
    vals = [from_flow(o, f) for o, f in zip(olds, flat, strict=True)]
    return nest.pack_sequence_as(orig_vars if structure is None else structure, vals)


@register_kernel("While", stateful=True)
def _while_kernel(op: Operation, session: Any) -> Any:
    fused = op._attrs.get("_fused_kernel")
    if fused is not None:  # a loop a library recognised (``dynamic_rnn``'s standard cells)
        return fused(op, session)
    n = len(op._attrs["T"])
    caps = list(op._inputs[n:])
    pos = {id(t): i for i, t in enumerate(caps)}
    specs = [op._attrs["_cond"], op._attrs["_body"]]
    cplan, bplan = cached_plans(op, session, specs)
    cidx = [pos[id(t)] for t in specs[0][1][n:]]
    bidx = [pos[id(t)] for t in specs[1][1][n:]]
    back_prop = op._attrs["back_prop"]

    def kernel(*args: Any) -> Any:
        vals = list(args[:n])
        extra = args[n:]
        ccaps = [extra[i] for i in cidx]
        bcaps = [extra[i] for i in bidx]
        while bool(run_subplan(cplan, vals + ccaps)[0]):
            vals = run_subplan(bplan, vals + bcaps)
        for k, val in enumerate(vals):
            if not isinstance(val, torch.Tensor):
                continue
            out = val if back_prop else val.detach()
            vals[k] = out.clone() if any(val is a for a in args) else out
        return builtins.tuple(vals) if n > 1 else vals[0]

    kernel.needs_grad = cplan.needs_grad or bplan.needs_grad  # type: ignore[attr-defined]
    return kernel


register_kernel("Exit", aliases_input=True)(lambda op, session: lambda x: x)


# --- tuple / with_dependencies ------------------------------------------------------------------


def with_dependencies(dependencies: Any, output_tensor: Any, name: str | None = None) -> Any:
    """``output_tensor`` after ``dependencies`` have run (``Identity`` ``control_dependency``)."""
    g = get_default_graph()
    with g.name_scope(name or "control_dependency") as scope, g.control_dependencies(dependencies):
        if isinstance(output_tensor, Operation):
            return group(output_tensor, name=scope)
        return identity(convert_to_tensor(output_tensor), name=scope)


def tuple(tensors: Any, name: str | None = None, control_inputs: Any = None) -> list[Any]:
    """The tensors, each available only after all of them are computed (``tf.tuple``).

    >>> import scopeflow.compat.v1 as tf
    >>> a, b = tf.tuple([tf.constant(1), tf.constant(2)])
    >>> print(a.name, b.name)
    tuple/control_dependency:0 tuple/control_dependency_1:0
    """
    if not isinstance(tensors, (list, builtins.tuple)):
        raise TypeError("tensors must be a list or tuple")
    g = get_default_graph()
    with g.name_scope(name or "tuple"):
        gating = [t if isinstance(t, Operation) else t.op for t in tensors if t is not None]
        if control_inputs:
            for ci in control_inputs:
                c = ci.op if isinstance(ci, Tensor) else ci
                if not isinstance(c, Operation):
                    raise TypeError(f"'control_inputs' must only contain Operation or Tensor. "
                                    f"Received: {type(c)}")  # fmt: skip
                gating.append(c)
        gate = group(*gating)
        return [None if t is None else _gated(gate, t) for t in tensors]


def _gated(gate: Any, t: Any) -> Any:
    """``t`` after ``gate``; an ``IndexedSlices`` is gated through its values, as in TF."""
    from scopeflow.ops.sparse_ops import IndexedSlices  # noqa: PLC0415

    if isinstance(t, IndexedSlices):
        return IndexedSlices(with_dependencies([gate], t.values), t.indices, t.dense_shape)
    return with_dependencies([gate], t)


# TF 1.x's Switch/Merge primitives, as ``tensorflow.python.ops.control_flow_ops`` has them
merge = control_flow_v1_ops.merge
switch = control_flow_v1_ops.switch

__all__ = ["case", "cond", "merge", "switch", "tuple", "while_loop", "with_dependencies"]
