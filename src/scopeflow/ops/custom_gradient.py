"""``tf.custom_gradient``: a forward function with a user-defined gradient.

``f(*xs)`` returns ``(y, grad_fn)``. The decorated call builds ``f``'s ops as usual, then builds
``grad_fn(*dys)`` once on stand-in ``dy`` tensors (a control-flow body, see ``_subgraph``) and
returns ``y`` through one ``IdentityN`` op (type ``SfCustomGradient``). At run time that op is a
``torch.autograd.Function``: forward passes ``y`` through, backward runs ``grad_fn``'s sub-plan on
the incoming gradients, so ``tf.gradients`` and optimizers see the custom gradient for the
arguments. If ``f`` reads Variables (not passed as arguments), ``grad_fn`` must accept
``variables=`` and return ``(grads_for_xs, grads_for_variables)``, as in TF; a ``None`` gradient
is treated as zero.

Differences from TensorFlow: ``grad_fn``'s ops are created when the decorated function is called
(TF creates them under ``gradients/`` when differentiating); they run only during backprop.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

import torch

from scopeflow._core.graph_keys import GraphKeys
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.plan import run_subplan
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops import nest
from scopeflow.ops._subgraph import building, cached_plans


def _dependent_variables(ys: list[Tensor], xs: list[Tensor], first_id: int) -> list[Any]:
    """Variables read by the ops ``f`` created (ids > ``first_id``) between ``xs`` and ``ys``.

    Only ``f``'s own ops count, as TF's graph-mode decorator takes the variables its tape saw
    read while ``f`` ran: a tensor ``f`` captures from outside (stylegan's nested gradient
    functions read the forward output ``y``) brings no variables with it.
    """
    g = get_default_graph()
    stop = {id(x) for x in xs}
    seen: set[int] = set()
    var_ops: set[int] = set()
    stack = [y._op for y in ys if id(y) not in stop]
    while stack:
        op = stack.pop()
        if op._id in seen:
            continue
        seen.add(op._id)
        if op._type == "VariableV2":
            var_ops.add(op._id)
            continue
        if op._id <= first_id:
            # made before ``f``: only a variable's ``read`` snapshot is followed
            if op._type == "Identity" and op._inputs and op._inputs[0]._op._type == "VariableV2":
                var_ops.add(op._inputs[0]._op._id)
            continue
        stack.extend(t._op for t in op._inputs if id(t) not in stop)
    found: dict[int, Any] = {}
    for key in (GraphKeys.GLOBAL_VARIABLES, GraphKeys.LOCAL_VARIABLES,
                GraphKeys.TRAINABLE_VARIABLES):  # fmt: skip
        for v in g.get_collection(key):
            vop = getattr(v, "op", None)
            if isinstance(vop, Operation) and vop._id in var_ops:
                found.setdefault(vop._id, v)
    return sorted(found.values(), key=lambda v: v.name)


def _accepts_variables(fn: Any) -> bool:
    try:
        spec = inspect.getfullargspec(fn)
    except TypeError:
        return False
    return "variables" in spec.args or "variables" in spec.kwonlyargs or spec.varkw is not None


def custom_gradient(f: Any = None) -> Any:
    """Decorator giving ``f`` a custom gradient (``tf.custom_gradient``).

    ``f(*x)`` returns ``(y, grad_fn)``; ``grad_fn(*dy)`` returns the gradients for ``x``.

    >>> import scopeflow.compat.v1 as tf
    >>> @tf.custom_gradient
    ... def clip_grad(x):
    ...     return tf.identity(x), lambda dy: dy * 0.5
    >>> print(clip_grad(tf.constant(1.0)).name)
    IdentityN:0
    """
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def decorated(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            raise ValueError(
                "The custom_gradient decorator currently supports keywords arguments only when "
                "eager execution is enabled."
            )
        return _call(f, args)

    return decorated


def _call(f: Any, args: Any) -> Any:
    g = get_default_graph()
    args = nest.map_structure(convert_to_tensor, list(args))
    xs = nest.flatten(args)
    first_id = g._last_id
    result, grad_fn = f(*args)
    flat = [convert_to_tensor(y) for y in nest.flatten(result)]
    variables = _dependent_variables(flat, xs, first_id)
    if variables and not _accepts_variables(grad_fn):
        raise TypeError(
            "@tf.custom_gradient grad_fn must accept keyword argument 'variables', since function "
            f"uses variables: {variables}"
        )
    var_refs = [v._ref() for v in variables]
    dys = [
        g._create_op("Identity", (y,), {"T": y._dtype.base_dtype}, "dy", (y._dtype.base_dtype,),
                     (y._shape,))._outputs[0]
        for y in flat
    ]  # fmt: skip
    with building(g) as body:
        if variables:
            in_grads, var_grads = grad_fn(*dys, variables=variables)
            grads = nest.flatten(in_grads) + nest.flatten(var_grads)
        else:
            grads = nest.flatten(grad_fn(*dys))
        if len(grads) != len(xs) + len(variables):
            raise ValueError(
                f"custom_gradient function expected to return {len(xs) + len(variables)} "
                f"gradients but returned {len(grads)} instead."
            )
        grads = [None if gr is None else convert_to_tensor(gr) for gr in grads]
    present = [gr for gr in grads if gr is not None]
    caps, _ = body.captures(present, dys)
    n_x, n_v, n_y = len(xs), len(var_refs), len(flat)
    op = g._create_op(
        "SfCustomGradient",
        (*xs, *var_refs, *flat, *caps),
        {
            "n_x": n_x,
            "n_v": n_v,
            "n_y": n_y,
            "_grad_body": (tuple(present), (*dys, *caps), body.inner),
            "_grad_slots": tuple(gr is not None for gr in grads),
            "_diff_inputs": tuple(range(n_x + n_v)),
        },
        "IdentityN",
        [y._dtype.base_dtype for y in flat],
        [y._shape for y in flat],
    )
    return nest.pack_sequence_as(result, list(op._outputs))


class _CustomFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, runner: Any, *inputs: Any) -> Any:
        ctx.runner = runner
        ctx.shapes = [(t.shape, t.dtype) for t in inputs]
        outs = tuple(y.detach() for y in runner["ys"])
        return outs if len(outs) > 1 else outs[0]

    @staticmethod
    def backward(ctx: Any, *dys: Any) -> Any:
        r = ctx.runner
        vals = run_subplan(r["plan"], list(dys) + r["caps"])
        it = iter(vals)
        grads = []
        for k, (present, (shape, dt)) in enumerate(zip(r["slots"], ctx.shapes, strict=True)):
            gr = next(it) if present else None
            if not ctx.needs_input_grad[k + 1]:
                gr = None
            elif gr is None:
                gr = torch.zeros(shape, dtype=dt)
            grads.append(gr)
        return (None, *grads)


@register_kernel("SfCustomGradient", stateful=True)
def _custom_gradient_kernel(op: Operation, session: Any) -> Any:
    a = op._attrs
    n_in = a["n_x"] + a["n_v"]
    n_y = a["n_y"]
    (plan,) = cached_plans(op, session, [a["_grad_body"]])
    slots = a["_grad_slots"]

    def kernel(*vals: Any) -> Any:
        inputs = vals[:n_in]
        ys = vals[n_in : n_in + n_y]
        if not torch.is_grad_enabled() or not any(
            isinstance(t, torch.Tensor) and t.requires_grad for t in inputs
        ):
            outs = tuple(y.detach() if isinstance(y, torch.Tensor) else y for y in ys)
            return outs if n_y > 1 else outs[0]
        runner = {"ys": ys, "plan": plan, "caps": list(vals[n_in + n_y :]), "slots": slots}
        return _CustomFunction.apply(runner, *inputs)

    kernel.needs_grad = plan.needs_grad  # type: ignore[attr-defined]
    return kernel


__all__ = ["custom_gradient"]
