"""``tf.map_fn``, ``tf.scan``, ``tf.foldl``, ``tf.foldr``: Python functions over a leading axis.

Each call builds ``fn`` once on per-element tensors (``map/while/...`` names, as TF's
``while_loop`` body) and adds one ``FunctionalLoop`` op whose kernel runs ``fn``'s sub-plan for
every element in a Python loop and stacks the results, so autograd differentiates through it.
Results are named as TF names them: ``map/TensorArrayStack/TensorArrayGatherV3:0``,
``scan/TensorArrayStack/...``, ``foldl/while/Exit_2:0``.

Differences from TensorFlow: a result dtype different from the declared one raises ``TypeError``
when the graph is built (TF logs an error and continues); ``parallel_iterations`` and
``swap_memory`` have no effect; empty ``elems`` give an empty result whose unknown inner
dimensions are 0.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph._torch_dtypes import torch_dtype
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.plan import run_subplan
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops import control_flow_ops, nest
from scopeflow.ops._subgraph import building, cached_plans


def _slot(t: Tensor, name: str, shape: TensorShape) -> Tensor:
    """A per-iteration input of ``fn`` (fed by the loop kernel)."""
    g = get_default_graph()
    base = t._dtype.base_dtype
    return g._create_op("Identity", (t,), {"T": base}, name, (base,), (shape,))._outputs[0]


def _elem_shape(t: Tensor) -> TensorShape:
    if t._shape.ndims is None:
        return TensorShape(None)
    if t._shape.ndims == 0:
        raise ValueError(
            f"Elements in elems must be 1+ dimensional Tensors, not scalars. Received: {t}"
        )
    return TensorShape(t._shape.as_list()[1:])


def _leading(flat: list[Tensor]) -> Any:
    n = None
    for t in flat:
        if t._shape.ndims:
            n = t._shape.as_list()[0] if n is None else n
    return n


def _loop(kind: str, fn: Any, elems: Any, initializer: Any, dtype: Any, reverse: bool,
          back_prop: bool, name: str | None, default: str) -> Any:  # fmt: skip
    g = get_default_graph()
    with g.name_scope(name or default):
        elems_flat = [convert_to_tensor(e, name="elem") for e in nest.flatten(elems)]
        if not elems_flat:
            raise ValueError("elems must not be empty")
        n_static = _leading(elems_flat)
        if initializer is not None:
            init_flat = [convert_to_tensor(a) for a in nest.flatten(initializer)]
            acc_struct = initializer
        elif kind == "map":
            init_flat, acc_struct = [], None
        else:
            init_flat = []  # the first (last if reverse) element starts the accumulator
            acc_struct = elems
        with g.name_scope("while") as while_scope:
            slots = [_slot(e, "TensorArrayReadV3", _elem_shape(e)) for e in elems_flat]
            if kind != "map":
                src = init_flat if init_flat else elems_flat
                shapes = [t._shape if init_flat else _elem_shape(t) for t in src]
                acc_slots = [_slot(t, "Identity", s) for t, s in zip(src, shapes, strict=True)]
            else:
                acc_slots = []
            with building(g) as body:
                x = nest.pack_sequence_as(elems, slots)
                if kind == "map":
                    res = fn(x)
                else:
                    res = fn(nest.pack_sequence_as(acc_struct, acc_slots), x)
                out_struct = res
                res_flat = [convert_to_tensor(r) for r in nest.flatten(res)]
        if kind == "map":
            sig = dtype if dtype is not None else elems
            nest.assert_same_structure(sig, res)
            if dtype is not None:
                want = [dtypes.as_dtype(d).base_dtype for d in nest.flatten(dtype)]
            else:
                want = [e._dtype.base_dtype for e in elems_flat]
        else:
            nest.assert_same_structure(acc_struct, res)
            want = [t._dtype.base_dtype for t in acc_slots]
        for r, w in zip(res_flat, want, strict=True):
            if r._dtype.base_dtype != w:
                raise TypeError(
                    f"Input value {r} has dtype {r._dtype!r}, but expected dtype {w!r}."
                )
        caps, ctrl = body.captures(res_flat, slots + acc_slots)
        if kind == "fold":
            out_shapes = [a._shape for a in acc_slots]
        else:
            out_shapes = [TensorShape([n_static]).concatenate(r._shape) for r in res_flat]
        with g.name_scope(while_scope):
            op = g._create_op(
                "FunctionalLoop",
                (*elems_flat, *init_flat, *caps),
                {
                    "kind": kind,
                    "reverse": bool(reverse),
                    "back_prop": bool(back_prop),
                    "n_elems": len(elems_flat),
                    "n_init": len(init_flat),
                    "_body": (tuple(res_flat), (*slots, *acc_slots, *caps), body.inner),
                    "_out_shapes": tuple(out_shapes),
                },
                "FunctionalLoop",
                [r._dtype.base_dtype for r in res_flat],
                out_shapes,
            )
        for c in ctrl:
            if c not in op._control_inputs:
                op._control_inputs = (*op._control_inputs, c)
        outs = []
        if kind == "fold":
            with g.name_scope(while_scope):
                g.unique_name("Exit")
                g.unique_name("Exit")
                outs = [_select(o, "Exit") for o in op._outputs]
        else:
            for o in op._outputs:
                with g.name_scope("TensorArrayStack"):
                    outs.append(_select(o, "TensorArrayGatherV3"))
    return nest.pack_sequence_as(out_struct, outs)


def _select(t: Tensor, name: str) -> Tensor:
    g = get_default_graph()
    return g._create_op(name, (t,), {"T": t._dtype}, name, (t._dtype,), (t._shape,))._outputs[0]


# The one-input ``TensorArrayGatherV3`` passthrough kernel is in ``tensor_array_ops``.
_ = control_flow_ops  # registers the "Exit" kernel the folds use


@register_kernel("FunctionalLoop", stateful=True)
def _loop_kernel(op: Operation, session: Any) -> Any:
    a = op._attrs
    kind, reverse, back_prop = a["kind"], a["reverse"], a["back_prop"]
    ne, ni = a["n_elems"], a["n_init"]
    (plan,) = cached_plans(op, session, [a["_body"]])
    out_shapes = a["_out_shapes"]
    n_out = len(op._outputs)

    def kernel(*vals: Any) -> Any:
        elems = vals[:ne]
        acc = list(vals[ne : ne + ni])
        caps = list(vals[ne + ni :])
        n = int(elems[0].shape[0])
        for e in elems[1:]:
            if int(e.shape[0]) != n:
                raise ValueError("Elements in elems must have the same size along the first "
                                 f"dimension: {n} vs {int(e.shape[0])}")  # fmt: skip
        order = range(n - 1, -1, -1) if reverse else range(n)
        if kind != "map" and not acc:
            if n == 0:
                raise ValueError("elems must have at least one element when no initializer "
                                 "is given")  # fmt: skip
            first = order[0]
            acc = [e[first] for e in elems]
            order = order[1:]
            collected: list[list[Any]] = [[t] for t in acc]
        else:
            collected = [[] for _ in range(n_out)]
        for i in order:
            xs = [e[i] for e in elems]
            res = run_subplan(plan, xs + acc + caps)
            if kind != "map":
                acc = res
            if kind != "fold":
                for k, r in enumerate(res):
                    collected[k].append(r)
        if kind == "fold":
            outs = [t if t is not vals[k] else t.clone() for k, t in enumerate(acc)]
        else:
            outs = []
            for k, col in enumerate(collected):
                if col:
                    outs.append(torch.stack(col[::-1] if reverse and kind == "scan" else col))
                else:
                    dims = [0] + [d.value or 0 for d in (out_shapes[k].dims or [])[1:]]
                    outs.append(torch.zeros(dims, dtype=torch_dtype(op._outputs[k]._dtype)))
        if not back_prop:
            outs = [o.detach() for o in outs]
        return tuple(outs) if n_out > 1 else outs[0]

    kernel.needs_grad = plan.needs_grad  # type: ignore[attr-defined]
    return kernel


def map_fn(fn: Any, elems: Any, dtype: Any = None, parallel_iterations: Any = None,
           back_prop: bool = True, swap_memory: bool = False, infer_shape: bool = True,
           name: str | None = None, fn_output_signature: Any = None) -> Any:  # fmt: skip
    """``fn`` applied to each slice of ``elems`` along axis 0, results stacked (``tf.map_fn``).

    >>> import scopeflow.compat.v1 as tf
    >>> r = tf.map_fn(lambda x: x * 2.0, tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    >>> print(r.name, r.shape)
    map/TensorArrayStack/TensorArrayGatherV3:0 (2, 2)
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable. Received: {fn}")
    if fn_output_signature is not None:
        dtype = fn_output_signature
    return _loop("map", fn, elems, None, dtype, False, back_prop, name, "map")


def scan(fn: Any, elems: Any, initializer: Any = None, parallel_iterations: int = 10,
         back_prop: bool = True, swap_memory: bool = False, infer_shape: bool = True,
         reverse: bool = False, name: str | None = None) -> Any:  # fmt: skip
    """Every intermediate accumulator of ``fn(acc, x)`` over ``elems``, stacked (``tf.scan``).

    Without ``initializer`` the first element starts the accumulator (and is the first
    result).
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable. Received: {fn}")
    return _loop("scan", fn, elems, initializer, None, reverse, back_prop, name, "scan")


def foldl(fn: Any, elems: Any, initializer: Any = None, parallel_iterations: int = 10,
          back_prop: bool = True, swap_memory: bool = False,
          name: str | None = None) -> Any:  # fmt: skip
    """The final accumulator of ``fn(acc, x)`` over ``elems`` left to right (``tf.foldl``)."""
    if not callable(fn):
        raise TypeError(f"fn must be callable. Received: {fn}")
    return _loop("fold", fn, elems, initializer, None, False, back_prop, name, "foldl")


def foldr(fn: Any, elems: Any, initializer: Any = None, parallel_iterations: int = 10,
          back_prop: bool = True, swap_memory: bool = False,
          name: str | None = None) -> Any:  # fmt: skip
    """The final accumulator of ``fn(acc, x)`` over ``elems`` right to left (``tf.foldr``)."""
    if not callable(fn):
        raise TypeError(f"fn must be callable. Received: {fn}")
    return _loop("fold", fn, elems, initializer, None, True, back_prop, name, "foldr")


__all__ = ["foldl", "foldr", "map_fn", "scan"]
