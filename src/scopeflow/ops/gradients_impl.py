"""``tf.gradients``, ``tf.hessians`` and ``tf.stop_gradient``, computed by torch autograd.

``tf.gradients(ys, xs)`` adds one ``SymbolicGradient`` op (named ``gradients/SymbolicGradient``,
``gradients_1/...`` for later calls) with one output per connected ``x``; its static dtype and
shape are those of ``x`` (a Variable's base dtype and shape). Connectivity is decided at build
time as TF does: a backward walk from ``ys`` that stops at ``stop_gradients``, ``StopGradient``
and TF's non-differentiable op types, and carries no gradient through integer or boolean
tensors. The walk enters ``cond`` branches, ``while_loop`` bodies and ``map_fn``/``scan``/``fold``
functions, follows loop variables round the loop, and sends TF's zeros into a loop's unused
exits. An unconnected ``x`` gets ``None`` (or ``zeros_like(x)`` with
``UnconnectedGradients.ZERO``). An ``x`` whose whole gradient comes through row gathers (an
embedding table) is differentiated at the gathers' outputs instead, and its gradient is TF's
``IndexedSlices`` built from them (``_gather_grads``).

At run time the session makes every ``x`` an autograd leaf right after it is produced or fed
(``grad_sources`` on the kernel) and runs the plan with grad enabled (``needs_grad``); the kernel
calls ``torch.autograd.grad``. When a later ``tf.gradients`` differentiates through a gradient op
(WGAN-GP penalties), that op is switched to ``create_graph=True``. A gradient that depends on
an in-place update of a variable its forward pass read before the update (pix2pix's generator
gradient under ``control_dependencies([discriminator_train])``) backpropagates with the
variable's new value where TF's gradient ops read it and with the old activations elsewhere, as
TF 1's ref variables do: the plan re-runs those forward steps at backward time
(``graph.stale_reads``).

Differences from TensorFlow: the gradient is one op, so TF's per-op gradient node names
(``gradients/MatMul_grad/MatMul_1``) do not exist; ``gate_gradients``,
``colocate_gradients_with_ops`` and ``aggregation_method`` do not change values and are
accepted and ignored. An ``x`` that is connected in the graph but that torch finds unused (a
kernel without a torch derivative) gets zeros. ``IndexedSlices`` gradients come only from
``Gather``/``GatherV2`` on axis 0 and single-table ``embedding_lookup`` without ``max_norm``
(through ``Identity``); a sharded or ``max_norm`` lookup gets a dense gradient (TF's is sparse).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import enum
from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import get_kernel, register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops import gradient_registry
from scopeflow.ops._gather_grads import Lookup, indexed_slices_gradient, lookups_of
from scopeflow.ops._op_builder import make_op
from scopeflow.ops.math_ops import _scope


class UnconnectedGradients(enum.Enum):
    """What ``tf.gradients`` returns for an ``x`` that ``ys`` do not depend on."""

    NONE = "none"
    ZERO = "zero"


class AggregationMethod:
    """Gradient aggregation methods (accepted; autograd always sums)."""

    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


# Op types whose TF gradient is ``None``: TF's ``ops.NotDifferentiable`` registrations and the
# gradient functions that return only ``None`` (``ArgMax``, ``Floor``, ``FloorDiv``, ...).
_NOT_DIFFERENTIABLE = frozenset({
    "StopGradient", "PreventGradient", "Floor", "Ceil", "Round", "Rint", "ZerosLike", "OnesLike",
    "SparseConcat",
    "Shape", "ShapeN", "Size", "Rank", "Assign", "AssignAdd", "AssignSub", "PyFunc",
    "PyFuncStateless", "RandomShuffle", "Multinomial", "RandomStandardNormal", "RandomUniform",
    "RandomUniformInt", "TruncatedNormal", "IsVariableInitialized", "FloorDiv", "TruncateDiv",
    "ArgMax", "ArgMin", "OneHot", "Range", "Const", "Equal", "NotEqual", "Greater",
    "GreaterEqual", "Less", "LessEqual", "LogicalAnd", "LogicalOr", "LogicalNot",
    "ApproximateEqual", "InvertPermutation", "BroadcastGradientArgs", "ConcatOffset",
    "ScatterAdd", "ScatterSub", "ScatterMul", "ScatterDiv", "ScatterNdAdd", "ScatterNdSub",
    "ScatterNdUpdate", "StatelessRandomNormal", "StatelessRandomUniform",
    "StatelessTruncatedNormal", "StatelessMultinomial", "ParameterizedTruncatedNormal",
})  # fmt: skip
# Op types with float results that TF registers no gradient for: a gradient reaching one that
# lies between ``xs`` and ``ys`` raises TF's ``LookupError``.
_NO_GRADIENT = frozenset({
    "ResizeArea", "TruncateMod", "Unique", "SparseSplit", "StridedSliceAssign",
})  # fmt: skip
_NO_GRADIENT_MESSAGE = (
    "No gradient defined for operation'{name}' (op type: {type}). In general every operation "
    "must have an associated `@tf.RegisterGradient` for correct autodiff, which this op is "
    "lacking. If you want to pretend this operation is a constant in your program, you may "
    "insert `tf.stop_gradient`. This can be useful to silence the error in cases where you know "
    "gradients are not needed, e.g. the forward pass of tf.custom_gradient. Please see more "
    "details in https://www.tensorflow.org/api_docs/python/tf/custom_gradient."
)
# Ops that pass gradients to some inputs only.
# Ops whose TF gradient function returns None for some float inputs: only these inputs connect.
# Fused batch norm's mean/variance inputs (the moving statistics when not training, or blended
# into the new ones with ``exponential_avg_factor``) get None in training and inference alike.
_DIFFERENTIABLE_INPUTS: dict[str, tuple[int, ...]] = {
    "Print": (0,),
    "Fill": (1,),
    "FusedBatchNorm": (0, 1, 2),
    "FusedBatchNormV2": (0, 1, 2),
    "FusedBatchNormV3": (0, 1, 2),
    "Betainc": (2,),
    "Zeta": (1,),
    "Polygamma": (1,),
}
_TRAINABLE = frozenset({
    dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, dtypes.complex64,
    dtypes.complex128,
})  # fmt: skip


def _trainable(t: Tensor) -> bool:
    return t._dtype.base_dtype in _TRAINABLE


def _as_list(x: Any) -> list[Any]:
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _ref_inputs(op: Operation) -> tuple[int, ...]:
    try:
        return get_kernel(op._type).ref_inputs
    except Exception:  # an op without kernel: every input is an ordinary edge
        return ()


def _backprop_reach(
    ys: list[Tensor], stop_ops: set[int], py_ops: list[Operation] | None = None
) -> tuple[set[int], list[Operation]]:
    """Ids of the tensors a gradient from ``ys`` reaches, and the gradient ops passed through.

    Ops with a Python gradient function (``gradient_registry``) that the walk passes are
    appended to ``py_ops``.

    A loop's outputs that get no gradient while another one does are TF's "unused exits": TF
    sends zeros into them (``ProcessUnusedLoopExits``), and those zeros reach what lies on a
    path from the loop variable to ``ys`` (TF only visits ops between ``xs`` and ``ys``).
    """
    reached: set[int] = set()
    grad_ops: list[Operation] = []
    loop_back: dict[int, Tensor] = {}
    loops: list[Operation] = []
    if py_ops is None:
        py_ops = []
    _walk([y for y in ys if _trainable(y)], None, stop_ops, reached, grad_ops, loop_back, loops,
          py_ops)  # fmt: skip
    to_ys: set[int] | None = None
    done = 0
    while done < len(loops):
        op = loops[done]
        done += 1
        unused = [o for o in op._outputs if id(o) not in reached and _trainable(o)]
        if not unused:
            continue
        if to_ys is None:
            to_ys = _structural_reach(ys)
        starts = [o for o in unused if id(o) in to_ys]
        _walk(starts, to_ys, stop_ops, reached, grad_ops, loop_back, loops, py_ops)
    return reached, grad_ops


def _walk(stack: list[Tensor], within: set[int] | None, stop_ops: set[int], reached: set[int],
          grad_ops: list[Operation], loop_back: dict[int, Tensor],
          loops: list[Operation], py_ops: list[Operation]) -> None:  # fmt: skip
    """Marks in ``reached`` the tensors a gradient from ``stack`` reaches (inside ``within``)."""
    while stack:
        t = stack.pop()
        if id(t) in reached or (within is not None and id(t) not in within):
            continue
        reached.add(id(t))
        op = t._op
        if op._id in stop_ops or op._attrs.get("back_prop") is False:
            continue
        found, fn = gradient_registry.lookup(op)
        if found:  # a Python gradient (tf.RegisterGradient) or tf.NotDifferentiable
            py_ops.append(op)
            if fn is not None:
                refs = _ref_inputs(op)
                slots = gradient_registry.grad_slots(op)  # None until its function is built
                stack.extend(
                    inp for i, inp in enumerate(op._inputs)
                    if i not in refs and id(inp) not in reached and _trainable(inp)
                    and (slots is None or slots[i])
                )  # fmt: skip
            continue
        if op._type in _NOT_DIFFERENTIABLE:
            continue
        if op._type in ("SymbolicGradient", "HessianRows") and op not in grad_ops:
            grad_ops.append(op)
        if op._type in ("While", "FunctionalLoop"):
            if op not in loops:
                loops.append(op)
            edges = _loop_edges(op, op._outputs.index(t), loop_back)
            stack.extend(e for e in edges if _trainable(e))
            continue
        if id(t) in loop_back:  # a loop body's input: the gradient goes round the loop again
            stack.append(loop_back[id(t)])
        if op._type == "If" and t in op._outputs[:-1]:
            # Into the branches from the matching branch outputs, so that only the captures a
            # branch reaches differentiably are connected (an ArgMax inside cuts, as in TF).
            i = op._outputs.index(t)
            for outs, _caps, _inner in op._attrs["_branches"]:
                if isinstance(outs[i], Tensor) and id(outs[i]) not in reached:
                    stack.append(outs[i])
            continue
        refs = _ref_inputs(op)
        only = _DIFFERENTIABLE_INPUTS.get(op._type)
        if only is None:
            only = op._attrs.get("_diff_inputs")
        for i, inp in enumerate(op._inputs):
            if i in refs or (only is not None and i not in only):
                continue
            if id(inp) not in reached and _trainable(inp):
                stack.append(inp)


def _structural_reach(ys: list[Tensor]) -> set[int]:
    """Ids of the tensors ``ys`` depend on through any data edge (TF's ``between`` ops' side).

    Loops count their back edges and their condition (TF's ``Switch`` takes the ``LoopCond``).
    """
    seen: set[int] = set()
    back: dict[int, Tensor] = {}
    stack = list(ys)
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        if id(t) in back:
            stack.append(back[id(t)])
        op = t._op
        if op._type in ("While", "FunctionalLoop"):
            stack.extend(_loop_edges(op, op._outputs.index(t), back))
            if op._type == "While":
                (c,), cond_inputs, _inner = op._attrs["_cond"]
                for j, m in enumerate(cond_inputs[: len(op._attrs["T"])]):
                    back[id(m)] = op._outputs[j]
                stack.append(c)
            stack.extend(op._inputs)  # the condition's captures; map_fn's length
            continue
        if op._type == "If" and t in op._outputs[:-1]:
            i = op._outputs.index(t)
            stack.append(op._inputs[0])
            stack.extend(
                outs[i] for outs, _c, _in in op._attrs["_branches"] if isinstance(outs[i], Tensor)
            )
            continue
        stack.extend(op._inputs)
    return seen


def _check_gradients_defined(g: Any, reached: set[int], xs: list[Tensor],
                             stop_ops: set[int]) -> None:  # fmt: skip
    """Raises TF's ``LookupError`` for an op without a gradient between ``xs`` and ``ys``.

    The op must get a gradient from ``ys`` and depend on an ``x``: TF visits only those ops.
    """
    x_ids = {id(x) for x in xs}
    suspects = [
        op for op in g._ops
        if (op._type in _NO_GRADIENT or gradient_registry.unresolved_override(op))
        and op._id not in stop_ops
        and any(id(o) in reached for o in op._outputs)
        and not any(id(o) in x_ids for o in op._outputs)
    ]  # fmt: skip
    if not suspects:
        return
    after_x = {x._op._id for x in xs}
    for op in g._ops:  # creation order: inputs come first
        if any(t._op._id in after_x for t in op._inputs):
            after_x.add(op._id)
    for op in suspects:
        if op._id in after_x:
            raise LookupError(_NO_GRADIENT_MESSAGE.format(name=op._name, type=op._type))


def _loop_edges(op: Operation, k: int, loop_back: dict[int, Tensor]) -> list[Tensor]:
    """Where the gradient of a loop's output ``k`` goes, as in TF's ``Exit``/``Merge`` gradients.

    Into the initial value of loop variable ``k`` (always: the loop may run zero times) and into
    the body from its result ``k``; the condition gets none (``LoopCond`` has no gradient). The
    body's inputs are recorded in ``loop_back``: a gradient that reaches body input ``j`` reaches
    loop variable ``j``, so the walk continues from output ``j`` (TF's ``NextIteration`` edge).
    ``map_fn`` has no loop variables: its outputs come from the body alone.
    """
    a = op._attrs
    outs, body_inputs, _inner = a["_body"]
    if op._type == "While":
        n = len(a["T"])
        initial, carried = list(op._inputs[:n]), list(body_inputs[:n])
    else:
        ne, ni = a["n_elems"], a["n_init"]
        if a["kind"] == "map":
            initial, carried = [], []
        else:
            initial = list(op._inputs[ne : ne + ni] if ni else op._inputs[:ne])
            carried = list(body_inputs[ne : ne + len(outs)])
    for j, c in enumerate(carried):
        loop_back[id(c)] = op._outputs[j]
    return [outs[k], initial[k]] if initial else [outs[k]]


def _enable_create_graph(ops: list[Operation]) -> None:
    for op in ops:
        if not op._attrs.get("create_graph"):
            op._attrs["create_graph"] = True
            op._graph._plan_cache_version += 1


def gradients(
    ys: Any,
    xs: Any,
    grad_ys: Any = None,
    name: str = "gradients",
    colocate_gradients_with_ops: bool = False,
    gate_gradients: bool = False,
    aggregation_method: Any = None,
    stop_gradients: Any = None,
    unconnected_gradients: Any = UnconnectedGradients.NONE,
) -> list[Any]:
    """Symbolic derivatives of ``sum(ys)`` with respect to each of ``xs`` (``tf.gradients``).

    Args:
        ys: a tensor or list of tensors to differentiate.
        xs: a tensor, Variable, or list of them.
        grad_ys: optional initial gradients, one per ``y`` (``None`` entries mean ones).
        name: the name scope of the gradient ops.
        colocate_gradients_with_ops: accepted, no effect.
        gate_gradients: accepted, no effect.
        aggregation_method: accepted, no effect (gradients are summed).
        stop_gradients: tensors through which no gradient flows.
        unconnected_gradients: ``UnconnectedGradients.NONE`` (``None`` for unconnected ``xs``)
            or ``ZERO``.

    Returns:
        A list with, for each ``x``, a tensor of its dtype and shape, or ``None``; as in TF, an
        ``IndexedSlices`` for an ``x`` whose whole gradient comes through row gathers
        (``tf.gather`` on axis 0, ``tf.nn.embedding_lookup``), e.g. an embedding table.

    Raises:
        ValueError: ``grad_ys`` has a different length from ``ys``, or an unknown
            ``unconnected_gradients`` value.

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [2])
    >>> g = tf.gradients(x * x, x)
    >>> print(g[0].name, g[0].shape)
    gradients/SymbolicGradient:0 (2,)
    """
    return _gradients(ys, xs, grad_ys, name, stop_gradients, unconnected_gradients, sparse=True)


def _gradients(ys: Any, xs: Any, grad_ys: Any, name: str, stop_gradients: Any,
               unconnected_gradients: Any, *, sparse: bool) -> list[Any]:  # fmt: skip
    """``tf.gradients``; with ``sparse=False`` every gradient is a dense ``Tensor``."""
    try:
        unconnected = UnconnectedGradients(unconnected_gradients)
    except ValueError:
        raise ValueError(
            f"Unknown value for unconnected_gradients: {unconnected_gradients!r}"
        ) from None
    g = get_default_graph()
    ys_l = _as_list(ys)
    xs_l = _as_list(xs)
    stops = _as_list(stop_gradients) if stop_gradients is not None else []
    gys_l = _as_list(grad_ys) if grad_ys is not None else [None] * len(ys_l)
    if len(gys_l) != len(ys_l):
        raise ValueError(f"Length mismatch. Passed {len(gys_l)} grad_ys for {len(ys_l)} ys")
    with g.name_scope(name or "gradients"):
        y_t = [convert_to_tensor(y, name="y") for y in ys_l]
        x_t = [convert_to_tensor(x, name="x", as_ref=True) for x in xs_l]
        gy_t: list[Tensor | None] = []
        for i, (y, gy) in enumerate(zip(y_t, gys_l, strict=True)):
            if gy is None:
                gy_t.append(None)
                continue
            base = y._dtype.base_dtype
            gt = convert_to_tensor(gy, dtype=None if isinstance(gy, Tensor) else base,
                                   name=f"grad_ys_{i}")  # fmt: skip
            if gt._dtype.base_dtype != base:
                raise TypeError(
                    f"Gradient type {gt._dtype.base_dtype.name} generated for tensor {y.name} "
                    f"with type {base.name} must match."
                )
            gy_t.append(gt)
        stop_t = [convert_to_tensor(s) for s in stops]
        stop_ops = {s._op._id for s in stop_t}
        while True:
            # Python gradient functions (tf.RegisterGradient) are built on the ops reached; one
            # returning None for an input cuts that edge, so walk again until nothing changes.
            py_ops: list[Operation] = []
            reached, grad_ops = _backprop_reach(y_t, stop_ops, py_ops)
            cut = False
            for pop in py_ops:
                if gradient_registry.grad_slots(pop) is None:
                    fn = gradient_registry.lookup(pop)[1]
                    gradient_registry.build_python_gradient(pop, fn)
                    cut = cut or not all(gradient_registry.grad_slots(pop) or ())
            if not cut:
                break
        _check_gradients_defined(g, reached, x_t, stop_ops)
        # Stopped tensors that gradients reach: their gradient is cut at run time (a hook), as
        # autograd would otherwise also differentiate through them.
        stop_in: list[Tensor] = []
        for st in stop_t:
            for out in st._op._outputs:
                if id(out) in reached and out not in stop_in:
                    stop_in.append(out)
        connected: list[Tensor] = []
        for x in x_t:
            if id(x) in reached and _trainable(x) and x not in connected:
                connected.append(x)
        _enable_create_graph(grad_ops)
        # An x only gathered on the way to ys gets TF's IndexedSlices: differentiate with
        # respect to the gathers' outputs instead of x.
        sparse_of: dict[int, list[Lookup]] = {}
        targets: list[Tensor] = []
        for x in connected:
            lookups = None
            if sparse and not any(x is y for y in y_t):
                lookups = lookups_of(x, reached)
            if not lookups:
                targets.append(x)
                continue
            sparse_of[id(x)] = lookups
            targets.extend(lk.output for lk in lookups if lk.output not in targets)
        grads: dict[int, Any] = {}
        if connected:
            gy_inputs = [t for t in gy_t if t is not None]
            op = g._create_op(
                "SymbolicGradient",
                (*y_t, *targets, *gy_inputs, *stop_in),
                {
                    "num_ys": len(y_t),
                    "num_stops": len(stop_in),
                    "num_xs": len(targets),
                    "grad_ys_mask": tuple(t is not None for t in gy_t),
                    "create_graph": False,
                },
                "SymbolicGradient",
                [t._dtype.base_dtype for t in targets],
                [t._shape for t in targets],
            )
            grads = {id(t): out for t, out in zip(targets, op._outputs, strict=True)}
            for x in connected:
                lookups = sparse_of.get(id(x))
                if lookups is not None:
                    parts = [grads[id(lk.output)] for lk in lookups]
                    grads[id(x)] = indexed_slices_gradient(x, lookups, parts)
    result: list[Any] = []
    for x in x_t:
        gr = grads.get(id(x))
        if gr is None and unconnected is UnconnectedGradients.ZERO:
            from scopeflow.ops.array_ops import zeros_like  # noqa: PLC0415

            gr = zeros_like(x)
        result.append(gr)
    return result


def symbolic_gradient_from_attrs(
    inputs: list[Tensor], attrs: dict[str, Any], name: str
) -> Operation:
    """Re-creates a ``SymbolicGradient`` op from an exported NodeDef's ``_sf_*`` attrs.

    ``inputs`` are the node's inputs (``ys``, ``xs``, the given ``grad_ys``, the stopped
    tensors); ``name`` is the node's full name ending in ``/``. The op differentiates the
    imported forward ops at run time as one built by ``tf.gradients`` does.
    """
    from scopeflow.errors import UnsupportedError  # noqa: PLC0415

    keys = ("_sf_num_ys", "_sf_num_xs", "_sf_num_stops")
    if any(k not in attrs for k in keys):
        raise UnsupportedError(
            f"importing the SymbolicGradient node {name[:-1]!r} without scopeflow's _sf_num_ys/"
            "_sf_num_xs/_sf_num_stops attrs (TF's function-based SymbolicGradient)"
        )
    ny, nx, ns = (int(attrs[k]) for k in keys)
    mask = tuple(bool(b) for b in attrs.get("_sf_grad_ys_mask") or [False] * ny)
    if len(mask) != ny or len(inputs) != ny + nx + sum(mask) + ns:
        raise ValueError(
            f"SymbolicGradient node {name[:-1]!r}: {len(inputs)} inputs do not match "
            f"{ny} ys, {nx} xs, {sum(mask)} grad_ys and {ns} stopped tensors"
        )
    xs = inputs[ny : ny + nx]
    return get_default_graph()._create_op(
        "SymbolicGradient",
        inputs,
        {
            "num_ys": ny,
            "num_stops": ns,
            "num_xs": nx,
            "grad_ys_mask": mask,
            "create_graph": bool(attrs.get("_sf_create_graph", False)),
        },
        name,
        [x._dtype.base_dtype for x in xs],
        [x._shape for x in xs],
    )


@register_kernel("SymbolicGradient")
def _symbolic_gradient_kernel(op: Operation, session: Any) -> Any:
    ny = op._attrs["num_ys"]
    nx = op._attrs["num_xs"]
    create_graph = bool(op._attrs["create_graph"])
    gy_pos: list[int | None] = []
    pos = ny + nx
    for has in op._attrs["grad_ys_mask"]:
        gy_pos.append(pos if has else None)
        pos += 1 if has else 0
    n_stop = op._attrs["num_stops"]

    def grad(outs: list[Any], xs: list[Any], gouts: list[Any], stops: Any) -> Any:
        hooks = [s.register_hook(torch.zeros_like) for s in stops if s.requires_grad]
        try:
            return torch.autograd.grad(outs, xs, gouts, retain_graph=True,
                                       create_graph=create_graph, allow_unused=True)  # fmt: skip
        except RuntimeError as e:
            if "modified by an inplace operation" not in str(e):
                raise
            from scopeflow.errors import UnsupportedError  # noqa: PLC0415

            raise UnsupportedError(
                f"{op._name}: a value this gradient's forward pass used was overwritten in place "
                "before the gradient ran, by an update the gradient does not depend on (TF's "
                "result then depends on its schedule) or through a step that is not re-run "
                "with the new value (see scopeflow.graph.stale_reads). Run the update in a "
                "later Session.run, or order it before the gradient with a control dependency."
            ) from e
        finally:
            for h in hooks:
                h.remove()

    def kernel(*vals: Any) -> Any:
        outs, gouts = [], []
        for i in range(ny):
            y = vals[i]
            if isinstance(y, torch.Tensor) and y.requires_grad:
                outs.append(y)
                p = gy_pos[i]
                gouts.append(torch.ones_like(y) if p is None else vals[p])
        xs = vals[ny : ny + nx]
        need = [k for k in range(nx) if xs[k].requires_grad]
        grads: list[Any] = [None] * nx
        if outs and need:
            stops = vals[len(vals) - n_stop :] if n_stop else ()
            plain = [k for k in need if not any(xs[k] is s for s in stops)]
            if plain:
                res = grad(outs, [xs[k] for k in plain], gouts, stops)
                for k, r in zip(plain, res, strict=True):
                    grads[k] = r
            for k in need:
                if k not in plain:  # an x that is itself stopped keeps its own gradient
                    others = [s for s in stops if s is not xs[k]]
                    grads[k] = grad(outs, [xs[k]], gouts, others)[0]
        result = tuple(torch.zeros_like(xs[k]) if grads[k] is None else grads[k] for k in range(nx))
        return result if nx > 1 else result[0]

    kernel.needs_grad = True  # type: ignore[attr-defined]
    kernel.grad_sources = op._inputs[ny : ny + nx]  # type: ignore[attr-defined]
    return kernel


def hessians(
    ys: Any,
    xs: Any,
    name: str = "hessians",
    colocate_gradients_with_ops: bool = False,
    gate_gradients: bool = False,
    aggregation_method: Any = None,
) -> list[Tensor | None]:
    """Second derivatives of ``sum(ys)`` (``tf.hessians``).

    For each ``x``, a tensor of shape ``x.shape + x.shape``; ``None`` for an unconnected ``x``.

    Differences from TensorFlow: the rows are computed by one ``HessianRows`` op (one autograd
    pass per element of ``x``) instead of TF's ``while_loop`` over a ``TensorArray``.
    """
    first = _gradients(ys, xs, None, "gradients", None, UnconnectedGradients.NONE, sparse=False)
    g = get_default_graph()
    out: list[Tensor | None] = []
    for grad, x in zip(first, _as_list(xs), strict=True):
        if grad is None:
            out.append(None)
            continue
        _enable_create_graph([grad._op])
        xt = convert_to_tensor(x, as_ref=True)
        shape = xt._shape.concatenate(xt._shape)
        with g.name_scope(name or "hessians"):
            out.append(make_op("HessianRows", (grad, xt), {}, "HessianRows",
                               xt._dtype.base_dtype, shape))  # fmt: skip
    return out


@register_kernel("HessianRows")
def _hessian_rows_kernel(op: Operation, session: Any) -> Any:
    def kernel(grad: Any, x: Any) -> Any:
        flat = grad.reshape(-1)
        rows = []
        for j in range(flat.numel()):
            if not flat.requires_grad:
                rows.append(torch.zeros_like(x))
                continue
            (r,) = torch.autograd.grad(flat[j], x, retain_graph=True, allow_unused=True)
            rows.append(torch.zeros_like(x) if r is None else r)
        if not rows:
            return x.new_zeros(tuple(x.shape) * 2)
        return torch.stack(rows).reshape(tuple(x.shape) * 2)

    kernel.needs_grad = True  # type: ignore[attr-defined]
    kernel.grad_sources = (op._inputs[1],)  # type: ignore[attr-defined]
    return kernel


def stop_gradient(input: Any, name: str | None = None) -> Tensor:
    """The value of ``input``, through which no gradient flows (``tf.stop_gradient``)."""
    scope = _scope(name, "StopGradient")
    x = convert_to_tensor(input, name=scope + "input/")
    base = x._dtype.base_dtype
    return make_op("StopGradient", (x,), {"T": base}, scope, base, x._shape)


register_kernel("StopGradient")(lambda op, session: torch.Tensor.detach)


__all__ = [
    "AggregationMethod",
    "UnconnectedGradients",
    "gradients",
    "hessians",
    "stop_gradient",
    "symbolic_gradient_from_attrs",
]
