"""``tf.RegisterGradient`` and ``tf.NotDifferentiable``: Python gradient functions by op type.

A gradient function ``fn(op, *grads)`` returns one gradient (or ``None``) per input of ``op``,
as in TF. ``tf.gradients`` looks it up by the op's gradient type: the ``_gradient_op_type``
attr that ``Graph.gradient_override_map`` recorded when the op was created, else the op's
type. An op whose gradient type is registered (and is reached by the gradient) gets its
function built once, under ``gradients/<op name>_grad/`` as TF names it, on stand-in ``dy``
tensors (a body, see ``_subgraph``); at run time the op's kernel is wrapped in a
``torch.autograd.Function`` whose backward runs that body on the incoming gradients, so every
autograd pass through the op (``tf.gradients``, optimizers) uses the Python gradient. A type
registered with ``NotDifferentiable`` passes no gradient. An override naming TF's ``Identity``
(the straight-through estimator, ``{"Round": "Identity"}``) passes the gradient to input 0.

Differences from TensorFlow: TF's registry already holds every built-in op type, so
registering e.g. ``"Relu"`` raises ``KeyError`` there; scopeflow knows only the registrations
made through this module and accepts it (the function then replaces autograd's derivative). An
op's gradient function is built by the first ``tf.gradients`` that reaches it and reused by
later ones (TF builds it again under each ``gradients_N/``). It may read the op's inputs and
outputs and create new ops, but not read other tensors of the graph (``UnsupportedError``).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel_wrapper
from scopeflow.graph.plan import run_subplan
from scopeflow.graph.tensor import Operation
from scopeflow.ops._subgraph import building, cached_plans

_REGISTRY: dict[str, tuple[Callable[..., Any] | None, str]] = {}
_TRAINABLE = frozenset({
    dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, dtypes.complex64,
    dtypes.complex128,
})  # fmt: skip
_ATTR = "_py_gradient"


def _register(name: str, fn: Callable[..., Any] | None) -> None:
    if name in _REGISTRY:
        raise KeyError(
            f"Registering two gradient with name '{name}'! (Previous registration was in "
            f"{_REGISTRY[name][1]})"
        )
    frame = traceback.extract_stack()[-3]
    _REGISTRY[name] = (fn, f"{frame.name} {frame.filename}:{frame.lineno}")


class RegisterGradient:
    """Decorator registering a gradient function for an op type (``tf.RegisterGradient``).

    >>> import scopeflow.compat.v1 as tf
    >>> @tf.RegisterGradient("DocHalfGrad")
    ... def _half(op, grad):
    ...     return grad * 0.5
    >>> x = tf.constant(3.0)
    >>> with tf.get_default_graph().gradient_override_map({"Identity": "DocHalfGrad"}):
    ...     y = tf.identity(x)
    >>> print(tf.Session().run(tf.gradients(y, x)[0]))
    0.5
    """

    def __init__(self, op_type: str) -> None:
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, f: Callable[..., Any]) -> Callable[..., Any]:
        """Registers ``f(op, *grads)`` as the gradient of the op type and returns ``f``."""
        _register(self._op_type, f)
        return f


def no_gradient(op_type: str) -> None:
    """Declares that ops of ``op_type`` pass no gradient (``tf.NotDifferentiable``)."""
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    _register(op_type, None)


NotDifferentiable = no_gradient
NoGradient = no_gradient


def gradient_type(op: Operation) -> str:
    """The type ``op``'s gradient is looked up by (TF's ``_gradient_op_type`` override)."""
    gtype = op._attrs.get("_gradient_op_type")
    return op._type if gtype is None else gtype.decode()


def lookup(op: Operation) -> tuple[bool, Callable[..., Any] | None]:
    """``(found, fn)`` for ``op``'s gradient type among this module's registrations.

    An override to ``Identity`` is found (TF's Identity gradient); ``fn`` is ``None`` for a
    ``NotDifferentiable`` type.
    """
    gtype = gradient_type(op)
    if gtype in _REGISTRY:
        return True, _REGISTRY[gtype][0]
    if gtype == "Identity" and op._type != "Identity":
        return True, _identity_grad
    return False, None


def _identity_grad(op: Operation, grad: Any, *_rest: Any) -> Any:
    return grad


def grad_slots(op: Operation) -> tuple[bool, ...] | None:
    """Which inputs ``op``'s built Python gradient gives a gradient (``None``: not built)."""
    info = op._attrs.get(_ATTR)
    return None if info is None else info["grad_slots"]


def unresolved_override(op: Operation) -> bool:
    """Whether ``op`` names an override type that no gradient is registered for."""
    gtype = op._attrs.get("_gradient_op_type")
    return gtype is not None and gradient_type(op) != op._type and not lookup(op)[0]


def build_python_gradient(op: Operation, fn: Callable[..., Any] | None) -> None:
    """Builds ``fn(op, *dys)`` once as a body and marks ``op`` to run through it (see module)."""
    if _ATTR in op._attrs:
        return
    g = op._graph
    if fn is None:  # NotDifferentiable: autograd must not pass through the op either
        op._attrs[_ATTR] = {"grad_slots": (False,) * len(op._inputs)}
        g._plan_cache_version += 1
        return
    outs = list(op._outputs)
    slots = [o._dtype.base_dtype in _TRAINABLE for o in outs]
    with g.name_scope(op._name + "_grad"):
        dys = [
            g._create_op("Identity", (o,), {"T": o._dtype.base_dtype}, "dy",
                         (o._dtype.base_dtype,), (o._shape,))._outputs[0]
            if s else None
            for o, s in zip(outs, slots, strict=True)
        ]  # fmt: skip
        with building(g) as body:
            res = fn(op, *dys)
            grads = list(res) if isinstance(res, (list, tuple)) else [res]
            if len(grads) != len(op._inputs):
                raise ValueError(
                    f"Num gradients {len(grads)} generated for op {op._name} do not match num "
                    f"inputs {len(op._inputs)}"
                )
            grads = [None if gr is None else convert_to_tensor(gr) for gr in grads]
    fed = [d for d in dys if d is not None]
    present = [gr for gr in grads if gr is not None]
    caps, _ctrl = body.captures(present, fed)
    where: list[tuple[str, int]] = []
    for c in caps:
        if c._op is op:
            where.append(("out", c._value_index))
        elif any(c is t for t in op._inputs):
            where.append(("in", next(i for i, t in enumerate(op._inputs) if c is t)))
        else:
            raise UnsupportedError(
                f"the gradient function registered for {gradient_type(op)!r} reads "
                f"{c.name}, which is neither an input nor an output of {op._name!r}"
            )
    op._attrs[_ATTR] = {
        "spec": (tuple(present), (*fed, *caps), body.inner),
        "grad_slots": tuple(gr is not None for gr in grads),
        "out_slots": tuple(slots),
        "caps": tuple(where),
    }
    g._plan_cache_version += 1


class _PyGradFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, runner: Any, *inputs: Any) -> Any:
        ctx.runner = runner
        ctx.specs = [(t.shape, t.dtype) if isinstance(t, torch.Tensor) else None for t in inputs]
        outs = tuple(runner["outs"][k].detach() for k in runner["diff_outs"])
        return outs if len(outs) > 1 else outs[0]

    @staticmethod
    def backward(ctx: Any, *dys: Any) -> Any:
        r = ctx.runner
        outs, ins = r["outs"], r["ins"]
        cap_vals = [outs[i] if kind == "out" else ins[i] for kind, i in r["caps"]]
        vals = iter(run_subplan(r["plan"], [*dys, *cap_vals]))
        grads: list[Any] = []
        for k, present in enumerate(r["grad_slots"]):
            gr = next(vals) if present else None
            if gr is not None and not ctx.needs_input_grad[k + 1]:
                gr = None
            if gr is not None and isinstance(gr, torch.Tensor):
                shape, dt = ctx.specs[k]
                gr = gr.to(dt)
                if tuple(gr.shape) != tuple(shape):
                    gr = gr.expand(shape) if gr.dim() <= len(shape) else gr.reshape(shape)
            grads.append(gr)
        return (None, *grads)


def _detached(kernel: Callable[..., Any]) -> Callable[..., Any]:
    def detached(*vals: Any) -> Any:
        res = kernel(*vals)
        if isinstance(res, tuple):
            return tuple(r.detach() if isinstance(r, torch.Tensor) else r for r in res)
        return res.detach() if isinstance(res, torch.Tensor) else res

    return detached


def _wrap(op: Operation, session: Any, kernel: Callable[..., Any]) -> Callable[..., Any]:
    info = op._attrs[_ATTR]
    if "spec" not in info:
        return _detached(kernel)
    (plan,) = cached_plans(op, session, [info["spec"]])
    diff_outs = tuple(k for k, s in enumerate(info["out_slots"]) if s)
    n_out = len(op._outputs)

    def wrapped(*vals: Any) -> Any:
        if not torch.is_grad_enabled() or not any(
            isinstance(v, torch.Tensor) and v.requires_grad for v in vals
        ):
            return kernel(*vals)
        with torch.no_grad():
            res = kernel(*vals)
        outs = list(res) if n_out > 1 else [res]
        runner = {"outs": outs, "ins": vals, "plan": plan, "caps": info["caps"],
                  "grad_slots": info["grad_slots"], "diff_outs": diff_outs}  # fmt: skip
        routed = _PyGradFunction.apply(runner, *vals)
        routed = routed if isinstance(routed, tuple) else (routed,)
        for k, t in zip(diff_outs, routed, strict=True):
            outs[k] = t
        return tuple(outs) if n_out > 1 else outs[0]

    for key in ("grad_sources",):
        if hasattr(kernel, key):
            setattr(wrapped, key, getattr(kernel, key))
    wrapped.needs_grad = bool(getattr(kernel, "needs_grad", False))  # type: ignore[attr-defined]
    return wrapped


register_kernel_wrapper(_ATTR, _wrap)


__all__ = [
    "NoGradient",
    "NotDifferentiable",
    "RegisterGradient",
    "build_python_gradient",
    "grad_slots",
    "gradient_type",
    "lookup",
    "no_gradient",
    "unresolved_override",
]
