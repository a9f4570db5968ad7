"""Gradients taken after an ordered in-place update of a variable their forward pass read.

pix2pix computes the generator's gradient under ``control_dependencies([discriminator_train])``
through the discriminator's forward pass, which ran before that update. TF 1's ref variables
are buffers: ``v/read`` (an ``Identity``) and the other ops that forward their input's buffer
(``Reshape``, ``ExpandDims``, ``Squeeze``, ``Snapshot``) alias the variable, and a gradient op
that reads such a tensor when it runs sees the *updated* weights; everything else the forward
pass computed (activations) keeps the values from before the update. So TF's gradient of a
``MatMul`` with respect to its activation input uses the new weight, while the gradient through
the ``Sigmoid`` after it uses the old output.

torch autograd cannot do that from its saved tensors: it refuses a saved tensor whose version
changed, and a kernel may have saved a converted copy of the weight (the convolution's filter
in torch's layout, batch norm's ``scale * rsqrt(var + eps)``) that the update never reaches.
``stale_variable_reads`` finds, when a plan is built, the forward steps whose autograd nodes a
gradient would replay after such an update: steps reading a variable (through TF's aliasing
ops) before an update that the gradient op depends on (data or control edges), on a path from
the gradient's ``xs`` to its ``ys``. ``recompute_at_backward`` runs each of them as one autograd
node that keeps its inputs and, at backward time after the update, re-runs the step's kernel on
the variable's *current* value and the saved activations, and backpropagates through that
(before the update, through the kernel's graph from the forward pass): for an op whose TF
gradient reads only the op's inputs (``MatMul``, convolutions, ``FusedBatchNormV3``, ``Mul``,
bias adds) that is TF's gradient function evaluated on what TF's gradient ops read. Ops whose
TF gradient reads none of their inputs' values (``Tanh``, ``Sigmoid``, ``Relu``...: they read
their outputs, which are activations) run as usual. Any other op there raises
``UnsupportedError`` naming it, the variable and the update. Plans without such an ordering are
untouched: the analysis runs once per plan and returns nothing.

Differences from TensorFlow: a forward read that TF does not order before the update (neither
depends on the other) races with it in TF; here it reads the old value (the plan runs it
first). A second-order gradient through such a step raises ``UnsupportedError``.

Must not import ``scopeflow.ops`` or any layer above ``graph``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch

from scopeflow.errors import UnsupportedError

# Ops whose output is their input's buffer in TF (a ref variable's alias stays one).
_TF_ALIASES = frozenset({"Identity", "Snapshot", "Reshape", "ExpandDims", "Squeeze"})
# Ops whose TF gradient reads only the op's inputs (never its outputs): re-run at backward time.
_RECOMPUTED = frozenset({
    "MatMul", "BatchMatMul", "BatchMatMulV2", "Conv2D", "DepthwiseConv2dNative",
    "Conv2DBackpropInput", "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3", "BiasAdd",
    "Add", "AddV2", "Sub", "Mul",
})  # fmt: skip
# Ops whose TF gradient reads none of their inputs' values (only outputs, or nothing); their
# torch kernels save their outputs (or nothing), so they backpropagate as TF's do.
_READS_NO_INPUT = frozenset({
    "Tanh", "Sigmoid", "Relu", "Exp", "Sqrt", "Rsqrt", "Softmax", "Neg", "Cast", "Transpose",
})  # fmt: skip


def stale_variable_reads(steps: Sequence[Any]) -> dict[int, tuple[int, ...]]:
    """Step position -> indices of its variable inputs, for the steps to re-run at backward.

    ``steps`` have ``op``, ``inputs`` and ``refs`` (a plan's steps, before any fusion). Empty
    unless some ``SymbolicGradient`` step depends on a step writing a variable (a reference
    input) that a forward step on the gradient's path read before the write.

    Raises:
        UnsupportedError: such a forward step is an op whose TF gradient this cannot reproduce.
    """
    grads = [p for p, st in enumerate(steps) if st.op._type == "SymbolicGradient"]
    first_write = next((p for p, st in enumerate(steps) if st.refs), None)
    if not grads or first_write is None or first_write > grads[-1]:
        return {}
    pos_of = {st.op._id: p for p, st in enumerate(steps)}
    readers: dict[int, list[tuple[int, int]]] = {}
    for p, st in enumerate(steps):
        for k, t in enumerate(st.inputs):
            if k not in st.refs:
                readers.setdefault(id(t), []).append((p, k))
    found: dict[int, set[int]] = {}
    for g in grads:
        before = _ancestors(steps, g, pos_of)
        writes = [(p, steps[p].inputs[k]) for p in sorted(before) for k in steps[p].refs]
        if not writes:
            continue
        path = _on_path(steps, g, pos_of)
        for w, var_out in writes:
            for p, k in _alias_reads(var_out, readers, steps):
                if p >= w or p not in path:
                    continue
                op = steps[p].op
                if op._type in _RECOMPUTED:
                    found.setdefault(p, set()).add(k)
                elif op._type not in _READS_NO_INPUT:
                    raise UnsupportedError(
                        f"the gradient {steps[g].op._name!r} through {op._name!r} (op type "
                        f"{op._type}), which read the variable {var_out._op._name!r} before "
                        f"{steps[w].op._name!r} updated it in place and the gradient depends on "
                        "that update",
                        "TF 1 backpropagates there with the variable's new value and the other "
                        "forward values from before the update; scopeflow reproduces that for "
                        "ops whose TF gradient reads only their inputs "
                        f"({', '.join(sorted(_RECOMPUTED))}) or none of them "
                        f"({', '.join(sorted(_READS_NO_INPUT))}).",
                    )
    return {p: tuple(sorted(ks)) for p, ks in found.items()}


def _ancestors(steps: Sequence[Any], g: int, pos_of: dict[int, int]) -> set[int]:
    """Positions of the steps step ``g`` depends on (data and control edges, transitively)."""
    seen: set[int] = set()
    stack = [g]
    while stack:
        op = steps[stack.pop()].op
        for dep in (*(t._op for t in op._inputs), *op._control_inputs):
            p = pos_of.get(dep._id)
            if p is not None and p not in seen:
                seen.add(p)
                stack.append(p)
    return seen


def _on_path(steps: Sequence[Any], g: int, pos_of: dict[int, int]) -> set[int]:
    """Positions of the steps between gradient step ``g``'s ``xs`` and its ``ys``."""
    op = steps[g].op
    ny, nx = op._attrs["num_ys"], op._attrs["num_xs"]
    live = {id(x) for x in op._inputs[ny : ny + nx]}
    after_x: set[int] = set()
    for p, st in enumerate(steps[:g]):
        if any(id(t) in live for k, t in enumerate(st.inputs) if k not in st.refs):
            after_x.add(p)
            live.update(id(o) for o in st.op._outputs)
    path: set[int] = set()
    stack = [pos_of[y._op._id] for y in op._inputs[:ny] if y._op._id in pos_of]
    while stack:
        p = stack.pop()
        if p in path or p not in after_x:
            continue
        path.add(p)
        st = steps[p]
        stack.extend(
            pos_of[t._op._id] for k, t in enumerate(st.inputs)
            if k not in st.refs and t._op._id in pos_of
        )  # fmt: skip
    return path


def _alias_reads(var_out: Any, readers: dict[int, list[tuple[int, int]]],
                 steps: Sequence[Any]) -> list[tuple[int, int]]:  # fmt: skip
    """(step, input index) of every read of ``var_out`` or of a TF alias of it."""
    out: list[tuple[int, int]] = []
    frontier, seen = [var_out], {id(var_out)}
    while frontier:
        t = frontier.pop()
        for p, k in readers.get(id(t), ()):
            op = steps[p].op
            if op._type in _TF_ALIASES:
                for o in op._outputs:
                    if id(o) not in seen:
                        seen.add(id(o))
                        frontier.append(o)
                continue
            out.append((p, k))
    return out


def recompute_at_backward(
    kernel: Callable[..., Any], variable_inputs: tuple[int, ...], name: str
) -> Callable[..., Any]:
    """``kernel`` as one autograd node that backpropagates with its variables' current values.

    ``variable_inputs`` are the indices of the inputs that alias a variable: at backward time
    the kernel re-runs on their current contents (an update since then shows) and on the other
    inputs as they were. Where no input requires grad it is ``kernel`` itself.
    """

    def run(*args: Any) -> Any:
        if torch.is_grad_enabled() and any(
            isinstance(a, torch.Tensor) and a.requires_grad for a in args
        ):
            return _CurrentValueVJP.apply(kernel, variable_inputs, name, *args)
        return kernel(*args)

    return run


class _CurrentValueVJP(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, kernel: Any, variable_inputs: Any, name: str, *args: Any) -> Any:
        ctx.kernel, ctx.name, ctx.n = kernel, name, len(args)
        want = [i for i in range(len(args)) if ctx.needs_input_grad[3 + i]]
        # The kernel's own autograd graph, on leaves standing for the inputs: the backward uses
        # it while the variables are unchanged (a gradient before the update), as an ordinary
        # plan would, and re-runs the kernel once one of them changed.
        leaves = list(args)
        for i in want:
            leaves[i] = args[i].detach().requires_grad_()
        with torch.enable_grad():
            out = kernel(*leaves)
        outs = out if isinstance(out, tuple) else (out,)
        ctx.first = (leaves, outs)
        # The variables' tensors are kept as plain references, not saved: autograd would refuse
        # them after the update, and their current contents are what the backward must read.
        ctx.current = {i: args[i] for i in variable_inputs}
        ctx.versions = {i: args[i]._version for i in variable_inputs}
        saved = [
            i for i, a in enumerate(args) if isinstance(a, torch.Tensor) and i not in ctx.current
        ]
        ctx.saved_at = saved
        ctx.plain = {i: a for i, a in enumerate(args) if not isinstance(a, torch.Tensor)}
        ctx.save_for_backward(*(args[i] for i in saved))
        detached = tuple(o.detach() if isinstance(o, torch.Tensor) else o for o in outs)
        ctx.mark_non_differentiable(*(
            o for o in detached
            if isinstance(o, torch.Tensor) and not (o.is_floating_point() or o.is_complex())
        ))  # fmt: skip
        return detached if isinstance(out, tuple) else detached[0]

    @staticmethod
    def backward(ctx: Any, *gouts: Any) -> Any:
        if torch.is_grad_enabled():
            raise UnsupportedError(
                f"a second-order gradient through {ctx.name!r}, a forward step re-run with a "
                "variable's value updated since (a gradient after an ordered update)"
            )
        want = [i for i in range(ctx.n) if ctx.needs_input_grad[3 + i]]
        if all(ctx.current[i]._version == v for i, v in ctx.versions.items()):
            args, outs = ctx.first
        else:
            args = [None] * ctx.n
            for i, t in zip(ctx.saved_at, ctx.saved_tensors, strict=True):
                args[i] = t
            for i, t in ctx.current.items():
                args[i] = t
            for i, a in ctx.plain.items():
                args[i] = a
            for i, a in enumerate(args):
                if isinstance(a, torch.Tensor):
                    args[i] = a.detach().requires_grad_(i in want)
            with torch.enable_grad():
                out = ctx.kernel(*args)
            outs = out if isinstance(out, tuple) else (out,)
        pairs = [
            (o, g) for o, g in zip(outs, gouts, strict=True)
            if g is not None and isinstance(o, torch.Tensor) and o.requires_grad
        ]  # fmt: skip
        result: list[Any] = [None] * ctx.n
        if pairs and want:
            grads = torch.autograd.grad(
                [o for o, _ in pairs], [args[i] for i in want], [g for _, g in pairs],
                retain_graph=True, allow_unused=True,
            )  # fmt: skip
            for i, gr in zip(want, grads, strict=True):
                result[i] = gr
        return (None, None, None, *result)


__all__ = ["recompute_at_backward", "stale_variable_reads"]
