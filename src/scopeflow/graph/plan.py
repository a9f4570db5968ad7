"""Plan compilation: the ops a ``Session.run`` needs, as one generated straight-line function.

A plan is built once per (fetches, feeds) signature: the ops needed for the fetches (stopping at
fed tensors) in dependency order, each op's kernel closure created by its factory, and a Python
function generated from them (``t3 = k3(t1, t2)`` per op), so a repeated ``run`` costs one call
per op plus feed/fetch conversion. A kernel exception is mapped back to its op through the
generated code's line numbers, at no cost on the fast path. Intermediates are freed at their last
use. In plans that need no gradient, elementwise ops may write into inputs nobody else can
observe, and a producer whose only reader has a registered fusion with it (``MatMul`` into
``BiasAdd``, ``Conv2D`` into an inference ``FusedBatchNormV3``) runs as one fused kernel
(``register_fusion``, see ``_fuse``): one call instead of two and no intermediate tensor, as
TF's grappler remapper fuses the same pairs. Before that, in every top-level plan (gradient
plans included), registered subgraph patterns (layer norm, GELU, dense layers; see
``pattern_fusion``) run as one differentiable kernel where their intermediates are unobservable.
Gradient plans apply only the pair fusions registered as differentiable (``grad=True``: a
convolution and its bias add, see ``ops/conv_fusions``). Gradient ops mark the tensors they
differentiate by as autograd leaves. Control-flow bodies compile to sub-plans with the same
machinery. Forward steps that read a variable before an update that a later gradient of the
plan depends on backpropagate with the variable's new value, as TF 1's ref variables do
(``stale_reads``). A no-grad top-level plan whose kernels allow it runs independent branches (an
inception module's towers) side by side on a small thread pool, each branch a nested function
of the generated code (``interop``), with the serial plan's values. A run that asks for step
stats (``RunOptions.trace_level``) runs a traced plan, built and cached apart: the same generated
code, its kernels wrapped to time and describe each step (``step_stats``); untraced plans are
never wrapped.

Must not import ``scopeflow.ops`` or any layer above ``graph``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import torch

from scopeflow.errors import InvalidArgumentError, OpError, UnsupportedError
from scopeflow.graph import interop
from scopeflow.graph.config import inter_op_threads
from scopeflow.graph.devices import on_device
from scopeflow.graph.op_registry import (
    fusion_factory,
    get_kernel,
    has_fresh_output,
    inplace_factory,
    kernel_wrappers,
)
from scopeflow.graph.pattern_fusion import fuse_patterns
from scopeflow.graph.plan_uses import notify_plan_uses
from scopeflow.graph.stale_reads import recompute_at_backward, stale_variable_reads
from scopeflow.graph.step_stats import StepTrace
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.graph.var_donation import variable_donations

if TYPE_CHECKING:
    from scopeflow.graph.session import BaseSession


# --- plans ---------------------------------------------------------------------------------------


class Plan:
    """A compiled straight-line program computing some fetches from some feeds.

    Each op's outputs go to a local of the generated function; a local is reused as soon as the
    value it holds has had its last consumer, so intermediates are freed as early as in TF's
    executor instead of living until the plan returns. In a no-grad plan, an elementwise op whose
    input nobody else can observe (see ``_donatable``) computes in place into that input's
    memory (its ``register_inplace_kernel`` variant), which saves an allocation and the page
    faults of first touching it. A grad plan does the same after its last gradient kernel, where
    ops run without autograd (``_without_grad``: an optimizer's update), and before it for ops
    none of whose inputs requires grad at run time (``_grad_guarded``).
    """

    def __init__(
        self,
        session: BaseSession,
        fetches: list[Any],
        feeds: list[Tensor],
        inner: frozenset[int] | None = None,
        donate: bool = True,
        trace: StepTrace | None = None,
    ) -> None:
        self.feeds = feeds
        self.fetch_elements = fetches
        fed = {id(t): i for i, t in enumerate(feeds)}
        order = _writes_last(_topo_order(fetches, fed, inner), fed, inner)
        if inner is None and feeds:
            _refuse_feeds_inside_bodies(order, feeds)
        devices = _placement(session, order)
        if devices is not None:
            donate = False  # values cross devices: keep the plan simple
        env: dict[str, Any] = {"_leaf_fresh": _leaf_fresh, "_leaf_keep": _leaf_keep,
                               "_run_region": interop.run_region, "_rank": self._rank}  # fmt: skip
        kernels = []
        leaves: set[int] = set()
        needs_grad = False
        uses: dict[int, int] = {}  # tensor id -> number of op inputs reading it in this plan
        wrappers = kernel_wrappers()
        unfusable: set[int] = set()  # a wrapped op's inputs and outputs: never fused away
        for pos, op in enumerate(order):
            kdef = get_kernel(op._type)
            kernel = kdef.factory(op, session)
            for attr, wrap in wrappers.items():
                if attr in op._attrs:
                    kernel = wrap(op, session, kernel)
                    unfusable.update(id(t) for t in (*op._inputs, *op._outputs))
            if devices is not None:
                kernel = on_device(kernel, devices[pos], _writes_back(op, session))
            needs_grad = needs_grad or getattr(kernel, "needs_grad", False)
            # Gradient kernels name the tensors they differentiate by: those become autograd
            # leaves right after they are produced or fed.
            leaves.update(id(t) for t in getattr(kernel, "grad_sources", ()))
            kernels.append(_Step(op, kdef, kernel, op._inputs, kdef.ref_inputs))
            for i, t in enumerate(op._inputs):
                if i not in kdef.ref_inputs:
                    uses[id(t)] = uses.get(id(t), 0) + 1
        kept = {id(el) for el in fetches}
        kept.update(fed)
        kept.update(unfusable)
        # A gradient after an ordered update of a variable its forward pass read: those
        # forward steps backpropagate with the variable's new value (``stale_reads``) and
        # stay unfused. Nothing in plans without such an ordering.
        fuse_kept = kept
        stale = stale_variable_reads(kernels) if needs_grad and inner is None else {}
        if stale:
            fuse_kept = set(kept)
            for pos, variable_inputs in stale.items():
                st = kernels[pos]
                st.kernel = recompute_at_backward(st.kernel, variable_inputs, st.op._name)
                fuse_kept.update(id(t) for t in (*st.inputs, *st.op._outputs))
        self.recomputed = len(stale)
        if devices is None and inner is None:
            kernels = fuse_patterns(kernels, session, uses, fuse_kept, leaves, _fused_step)
            uses = _count_uses(kernels)
        # A grad plan donates too, but each in-place kernel runs only while none of its inputs
        # requires grad (``_grad_guarded``): e.g. an optimizer's update math on gradients/slots.
        guarded = donate and inner is None and needs_grad
        # Sub-plans run in their enclosing op's grad mode, which may record history: no donation.
        donate = donate and inner is None and not needs_grad
        if donate or guarded:
            # A grad plan fuses only pairs registered as differentiable (``grad=True``).
            kernels = _fuse(kernels, session, uses, fuse_kept, grad=guarded)
            uses = _count_uses(kernels)
        self.fusions = sum(1 for st in kernels if st.fused)
        if devices is None and inner is None:
            # Hook (``plan_uses``): kernels that adapt to what this plan does with their outputs.
            notify_plan_uses(kernels, kept)
        # Ops after the last gradient kernel (the optimizer's update, assignments) feed no
        # backward pass of this run: they run without autograd and donate like a no-grad plan's.
        last_grad = max(
            (pos for pos, st in enumerate(kernels) if getattr(st.kernel, "needs_grad", False)),
            default=len(kernels),
        )
        self.donations = 0
        self.guarded_donations = 0  # in a grad plan: in place while no input requires grad
        self.post_grad_ops = 0  # in a grad plan: ops run without autograd after the last gradient
        choices: list[tuple[Callable[..., Any], int] | None] = [
            _inplace_choice(st.op, session, st.refs, uses, kept)
            if (donate or guarded) and not st.fused
            else None
            for st in kernels
        ]
        # The last reader of a variable's value writes into the variable (``var_donation``).
        into_var: dict[int, int] = {}
        if donate or guarded:
            into_var = variable_donations(
                kernels,
                0 if donate else last_grad + 1,
                kept,
                lambda p, k: _inplace_into(kernels[p].op, session, k) is not None,
                lambda p: None if choices[p] is None else choices[p][1],  # type: ignore[index]
            )
        self.variable_donations = len(into_var)
        for pos, st in enumerate(kernels):
            op, kernel = st.op, st.kernel
            kname = f"k{op._id}"
            post_grad = guarded and pos > last_grad
            inplace = None
            if pos in into_var:
                inplace = _inplace_into(op, session, into_var[pos])
            elif donate and choices[pos] is not None:
                inplace = choices[pos][0]  # type: ignore[index]
            if inplace is not None:
                self.donations += 1
            elif guarded and choices[pos] is not None:
                inplace = choices[pos][0]  # type: ignore[index]
                if inplace is not None and post_grad:
                    self.donations += 1
                elif inplace is not None:
                    self.guarded_donations += 1
                    inplace = _grad_guarded(inplace, kernel)
            env[kname] = kernel if inplace is None else inplace
            if post_grad:
                env[kname] = _without_grad(env[kname])
                self.post_grad_ops += 1
            if trace is not None:
                # A traced plan (``step_stats``): same code, each kernel timed and described.
                device = None if devices is None else devices[pos]
                env[kname] = trace.wrap(op, st.inputs, device, env[kname])
        self.trace = trace
        # A no-grad plan runs independent branches side by side (``interop``).
        # (Not with one inter-op thread: TF's executor then runs one op at a time.)
        serial = inter_op_threads() == 1
        lay = interop.layout(kernels, kept) if donate and not leaves and not serial else None
        self._op_rank = {st.op._id: pos for pos, st in enumerate(kernels)}
        self.regions = 0 if lay is None else len(lay.orders)
        lines = ["def _plan(_feeds):"]
        if feeds:
            names = ", ".join(f"f{i}" for i in range(len(feeds)))
            lines.append(f"    {names}{',' if len(feeds) == 1 else ''} = _feeds")
            lines.extend(
                f"    f{i} = _leaf_keep(f{i})" for i, t in enumerate(feeds) if id(t) in leaves
            )
        var_of: dict[int, str] = {id(t): f"f{i}" for i, t in enumerate(feeds)}
        self._line_ops: dict[int, Operation] = {}
        n_locals = [0]

        def new_local(free: list[str], prefix: str) -> str:
            if free:
                return free.pop()
            n_locals[0] += 1
            return f"{prefix}{n_locals[0] - 1}"

        def emit(i: int, unit: int, indent: str, names: dict[int, str], free: list[str],
                 last_use: dict[int, int], keep: set[int], prefix: str) -> None:  # fmt: skip
            """Appends the line of step ``i``, the ``unit``-th of its scope, to ``lines``."""
            st = kernels[i]
            op, refs = st.op, st.refs
            args = ", ".join("None" if k in refs else names[id(t)] for k, t in enumerate(st.inputs))
            for k, t in enumerate(st.inputs):
                if k not in refs and last_use.get(id(t)) == unit and id(t) not in keep:
                    last_use[id(t)] = -1  # an input read twice by this op is freed once
                    free.append(names[id(t)])
            outs = op._outputs
            # A fed output still has its op run (e.g. for another output) but keeps the fed value.
            out_names = []
            for t in outs:
                if id(t) in names:
                    out_names.append("_")
                    continue
                nm = new_local(free, prefix)
                names[id(t)] = nm
                out_names.append(nm)
            call = f"k{op._id}({args})"
            lines.append(f"{indent}{', '.join(out_names)} = {call}" if outs else indent + call)
            self._line_ops[len(lines)] = op
            for t, nm in zip(outs, out_names, strict=True):
                if nm == "_":
                    continue
                if id(t) in leaves:
                    # Source ops (variables, constants...) get a fresh leaf, so a stored value is
                    # never made part of a graph; computed tensors keep their history.
                    fn = "_leaf_keep" if op._inputs else "_leaf_fresh"
                    lines.append(f"{indent}{nm} = {fn}({nm})")
                    self._line_ops[len(lines)] = op
                if id(t) not in uses and id(t) not in keep:
                    free.append(nm)

        def reads(steps: list[int]) -> list[Tensor]:
            return [t for i in steps for k, t in enumerate(kernels[i].inputs)
                    if k not in kernels[i].refs]  # fmt: skip

        # The plan's units: its steps, or with regions the prologue, steps and regions.
        units: list[Any] = list(range(len(kernels))) if lay is None else [*lay.prologue, *lay.items]
        last_use: dict[int, int] = {}  # tensor id -> the unit of its last consumer
        for u, item in enumerate(units):
            for t in reads([k for b in item for k in b] if isinstance(item, list) else [item]):
                last_use[id(t)] = u
        free: list[str] = []  # locals whose value has had its last consumer
        n_regions = 0
        for u, item in enumerate(units):
            if not isinstance(item, list):
                emit(item, u, "    ", var_of, free, last_use, kept, "t")
                continue
            # A region: each branch a nested function of the plan (reading the plan's locals),
            # returning the values read after the region; ``_run_region`` runs them.
            r = n_regions
            n_regions += 1
            exports = []
            for b, branch in enumerate(item):
                members = set(branch)
                out_ids = {id(t) for k in branch for t in kernels[k].op._outputs}
                read_elsewhere = {id(t) for k in range(len(kernels)) if k not in members
                                  for t in reads([k])}  # fmt: skip
                ts = [t for k in branch for t in kernels[k].op._outputs
                      if id(t) in read_elsewhere or id(t) in kept]  # fmt: skip
                exports.append(ts)
                lines.append(f"    def _r{r}b{b}():")
                local = dict(var_of)  # the plan's locals are read through the closure
                inner_last: dict[int, int] = {}
                for v, k in enumerate(branch):
                    for t in reads([k]):
                        if id(t) in out_ids:
                            inner_last[id(t)] = v
                inner_free: list[str] = []
                keep = kept | {id(t) for t in ts}
                for v, k in enumerate(branch):
                    emit(k, v, "        ", local, inner_free, inner_last, keep, f"r{r}b{b}_")
                lines.append(f"        return [{', '.join(local[id(t)] for t in ts)}]")
            for t in reads([k for b in item for k in b]):
                if last_use.get(id(t)) == u and id(t) not in kept and id(t) in var_of:
                    last_use[id(t)] = -1
                    free.append(var_of[id(t)])
            groups = []
            for ts in exports:
                got = []
                for t in ts:
                    var_of[id(t)] = new_local(free, "t")
                    got.append(var_of[id(t)])
                groups.append(f"[{', '.join(got)}]")
            fns = ", ".join(f"_r{r}b{b}" for b in range(len(item)))
            env[f"_order{r}"] = tuple(lay.orders[r])  # type: ignore[union-attr]
            lines.append(f"    {', '.join(groups)}, = _run_region(({fns},), _order{r}, _rank)")
        results = []
        for el in fetches:
            results.append("None" if isinstance(el, Operation) else var_of[id(el)])
        lines.append(f"    return [{', '.join(results)}]")
        self._filename = f"<scopeflow-plan-{id(self):x}>"
        code = compile("\n".join(lines) + "\n", self._filename, "exec")
        exec(code, env)
        self.fn = env["_plan"]
        self.compiled: Any = None
        self.needs_grad = needs_grad
        self.source = "\n".join(lines)
        # Fetches that may share memory with a variable or a feed are copied on return.
        self.copy_on_fetch = [not isinstance(el, Operation) and _may_alias(el) for el in fetches]

    def jit(self) -> None:
        """Compiles ``fn`` with ``torch.compile`` (opt-in: TF1's ``global_jit_level``).

        Pays off for long chains of small ops, where per-op dispatch dominates: the compiled
        plan fuses them into a few kernels. The first run compiles (seconds); a plan whose
        compilation fails falls back to the plain generated function. A kernel error inside a
        compiled plan is reported without the failing op's name.
        """
        self.compiled = torch.compile(self.fn, dynamic=False)

    def run_compiled(self, feed_values: list[Any]) -> Any:
        """Runs the compiled plan, falling back to ``fn`` for good if compilation fails."""
        grad = torch.enable_grad() if self.needs_grad else torch.no_grad()
        with grad:
            try:
                return self.compiled(feed_values)
            except OpError:
                raise
            except Exception as e:
                if not _is_compiler_error(e):
                    raise
                self.compiled = None
                return self.fn(feed_values)

    def failing_op(self, tb: Any) -> Operation | None:
        """The op whose line of generated code raised, from a traceback."""
        op = None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == self._filename:
                op = self._line_ops.get(tb.tb_lineno)
            tb = tb.tb_next
        return op

    def _rank(self, e: BaseException) -> int:
        """The serial position of the op whose line raised ``e`` (for ``run_region``)."""
        op = self.failing_op(e.__traceback__)
        return self._op_rank.get(-1 if op is None else op._id, len(self._op_rank))


def _placement(session: Any, order: list[Operation]) -> list[Any] | None:
    """Each op's torch device when some op runs off the CPU, else None (the common case).

    Also reports placements (``log_device_placement``) and raises TF's error for a GPU
    request that cannot be met without soft placement.
    """
    placer = getattr(session, "_placer", None)
    if placer is None or not placer.active:
        return None
    devices = [placer.device_of(op) for op in order]
    placer.report(order, devices)
    if all(d.type == "cpu" for d in devices):
        return None
    return devices


def _writes_back(op: Operation, session: Any) -> Any:
    """For a variable read: store the value moved to the op's device (it lives there)."""
    if op._type not in ("VariableV2", "Variable"):
        return None
    values, name = session._variables, op._name

    def store(value: Any) -> None:
        values[name] = value

    return store


class _Step:
    """One line of a plan: an op's kernel, or a fused kernel standing for a producer and ``op``."""

    __slots__ = ("covers", "fused", "inputs", "kdef", "kernel", "op", "refs")

    def __init__(self, op: Operation, kdef: Any, kernel: Any, inputs: Any, refs: Any,
                 fused: bool = False, covers: tuple[Any, ...] | None = ()) -> None:  # fmt: skip
        self.op, self.kdef, self.kernel = op, kdef, kernel
        self.inputs: tuple[Tensor, ...] = tuple(inputs)
        self.refs: tuple[int, ...] = tuple(refs)
        self.fused = fused
        # The ops a fused step computes besides ``op`` (None: a pattern's, not listed).
        self.covers = covers


def _fused_step(op: Operation, kdef: Any, kernel: Any, inputs: Any) -> _Step:
    return _Step(op, kdef, kernel, inputs, (), fused=True, covers=None)


def _count_uses(steps: list[_Step]) -> dict[int, int]:
    """Tensor id -> number of step inputs reading it (variable references excluded)."""
    uses: dict[int, int] = {}
    for st in steps:
        for i, t in enumerate(st.inputs):
            if i not in st.refs:
                uses[id(t)] = uses.get(id(t), 0) + 1
    return uses


def _fuse(steps: list[_Step], session: Any, uses: dict[int, int], kept: set[int],
          grad: bool = False) -> list[_Step]:  # fmt: skip
    """Replaces producer/consumer pairs that have a registered fusion by one fused step.

    A pair fuses when the producer's output has the consumer as its only reader, its other
    outputs have none, none of them is fed or fetched, no op waits on the producer through a
    control edge, and the consumer is not fused already (the producer may be: chains fuse
    left to right). The fused kernel takes the producer step's inputs followed by the
    consumer's other inputs and returns the consumer's outputs; errors it raises are reported
    as the consumer's. With ``grad`` (a plan recording autograd) only differentiable fusions
    apply.
    """
    controlled = {c._id for st in steps for c in st.op._control_inputs}
    pos = {st.op._id: i for i, st in enumerate(steps)}
    out = list(steps)
    dropped: set[int] = set()
    for i, st in enumerate(steps):
        if st.refs or st.fused:  # a pattern-fused step's inputs are not its op's
            continue
        for j, t in enumerate(st.inputs):
            p = t._op
            factory = fusion_factory(p._type, st.op._type, j, grad)
            pi = pos.get(p._id)
            if factory is None or pi is None or pi in dropped:
                continue
            if uses.get(id(t)) != 1 or id(t) in kept or p._id in controlled or out[pi].refs:
                continue
            if any(uses.get(id(o)) or id(o) in kept for o in p._outputs if o is not t):
                continue
            kernel = factory(p, st.op, session, out[pi].kernel)
            if kernel is None:
                continue
            ins = (*out[pi].inputs, *(u for k, u in enumerate(st.inputs) if k != j))
            prev = out[pi].covers
            covers = None if prev is None else (*prev, p)
            out[i] = _Step(st.op, st.kdef, kernel, ins, (), fused=True, covers=covers)
            dropped.add(pi)
            break
    return [st for k, st in enumerate(out) if k not in dropped]


def _is_compiler_error(e: Exception) -> bool:
    mod = type(e).__module__
    return (
        mod.startswith(("torch._dynamo", "torch._inductor"))
        or "BackendCompilerFailed" in type(e).__name__
    )


def _may_alias(t: Tensor) -> bool:
    seen = 0
    while seen < 64:
        kdef = get_kernel(t._op._type)
        if not kdef.aliases_input:
            return t._op._type == "Placeholder"
        if not t._op._inputs:
            return True
        t = t._op._inputs[0]
        seen += 1
    return True


def _inplace_choice(
    op: Operation, session: Any, refs: tuple[int, ...], uses: dict[int, int], kept: set[int]
) -> tuple[Callable[..., Any], int] | None:
    """``op``'s in-place kernel writing into an input nobody else observes, and its index."""
    factory = inplace_factory(op._type)
    if factory is None:
        return None
    ins = op._inputs
    for i, t in enumerate(ins):
        if i in refs or not _donatable(t, uses, kept):
            continue
        if not _holds_result(t, [u for j, u in enumerate(ins) if j != i], op._outputs):
            continue
        kernel = factory(op, session, i)
        if kernel is not None:
            return kernel, i
    return None


def _inplace_into(op: Operation, session: Any, i: int) -> Callable[..., Any] | None:
    """``op``'s in-place kernel writing into input ``i`` when it holds the result, or None."""
    factory = inplace_factory(op._type)
    ins = op._inputs
    if factory is None or not _holds_result(ins[i], [u for j, u in enumerate(ins) if j != i],
                                            op._outputs):  # fmt: skip
        return None
    return factory(op, session, i)


def _grad_guarded(inplace: Callable[..., Any], kernel: Callable[..., Any]) -> Callable[..., Any]:
    """``inplace`` when no input requires grad, else the out-of-place ``kernel``.

    In a grad plan an input that requires grad may be saved by autograd or be a leaf whose
    history must stay intact. One that does not is safe to overwrite: the plan's donation rule
    makes this op its only reader, so no autograd node saved it, and with no input requiring
    grad this op records no history either.
    """

    def run(*args: Any) -> Any:
        for a in args:
            if isinstance(a, torch.Tensor) and a.requires_grad:
                return kernel(*args)
        return inplace(*args)

    return run


def _without_grad(kernel: Callable[..., Any]) -> Callable[..., Any]:
    """``kernel`` run under ``torch.no_grad`` (an op after the plan's last gradient kernel).

    No later op of the run differentiates through its result, so recording history would only
    cost time and keep saved tensors alive; and its in-place variant may then write into a
    fresh input even if that input requires grad (it is read by nobody else, see
    ``_donatable``, and no backward pass of this run is left to read it).
    """

    def run(*args: Any) -> Any:
        with torch.no_grad():
            return kernel(*args)

    return run


def _donatable(t: Tensor, uses: dict[int, int], kept: set[int]) -> bool:
    """Whether the plan may overwrite ``t``: a fresh kernel output read by one input only.

    ``kept`` holds the fed and fetched tensors (the caller's arrays, values returned to it).
    """
    return (
        uses.get(id(t)) == 1 and id(t) not in kept and has_fresh_output(t._op._type, t._value_index)
    )


def _holds_result(t: Tensor, others: list[Tensor], outs: tuple[Tensor, ...]) -> bool:
    """Whether ``t``'s buffer fits the op's single output for any run-time shapes.

    True when ``t`` has the output's dtype, a known rank, and every other input broadcasts into
    it without growing it: each of its dimensions is 1 or equal to ``t``'s (both known).
    """
    if len(outs) != 1 or outs[0]._dtype.base_dtype != t._dtype.base_dtype:
        return False
    if not others:
        return True
    dims = t._shape._dims
    if dims is None:
        return False
    for u in others:
        if u._dtype.base_dtype != t._dtype.base_dtype:
            return False
        udims = u._shape._dims
        if udims is None or len(udims) > len(dims):
            return False
        for ud, d in zip(reversed(udims), reversed(dims), strict=False):
            uv = ud.value
            if uv != 1 and (uv is None or uv != d.value):
                return False
    return True


def _leaf_fresh(t: Any) -> Any:
    """A new autograd leaf sharing ``t``'s storage (``t`` itself is left untouched)."""
    if isinstance(t, torch.Tensor) and (t.is_floating_point() or t.is_complex()):
        return t.detach().requires_grad_()
    return t


def _leaf_keep(t: Any) -> Any:
    """``t`` if it already carries autograd history, else a fresh leaf."""
    if isinstance(t, torch.Tensor) and t.requires_grad:
        return t
    return _leaf_fresh(t)


def _topo_order(
    fetches: list[Any], fed: dict[int, int], inner: frozenset[int] | None = None
) -> list[Operation]:
    """The ops needed for ``fetches`` given fed tensors, each after its inputs and control deps.

    With ``inner`` (a sub-plan of a control-flow body), control inputs on ops outside ``inner``
    are already satisfied by the enclosing op and are skipped.
    """
    order: list[Operation] = []
    state: dict[int, int] = {}  # op id -> 1 visiting, 2 done
    stack: list[tuple[Operation, int]] = []
    roots: list[Operation] = []
    for el in fetches:
        if isinstance(el, Operation):
            roots.append(el)
        elif id(el) not in fed:
            roots.append(el._op)
    for root in roots:
        if state.get(root._id) == 2:
            continue
        stack.append((root, 0))
        while stack:
            op, i = stack.pop()
            if i == 0:
                if state.get(op._id) == 2:
                    continue
                state[op._id] = 1
            deps = _deps(op, fed, inner)
            if i < len(deps):
                stack.append((op, i + 1))
                dep = deps[i]
                s = state.get(dep._id)
                if s is None:
                    stack.append((dep, 0))
                elif s == 1:
                    raise InvalidArgumentError(
                        None, dep, f"Graph has a cycle through op {dep.name}"
                    )
                continue
            state[op._id] = 2
            order.append(op)
    return order


def _body_sets(value: Any, depth: int = 0) -> list[frozenset[int]]:
    """The ``inner`` op-id sets of the control-flow bodies held in an op attribute value.

    A body is a ``(fetches, feeds, inner)`` triple; ``cond`` keeps a tuple of them.
    """
    if isinstance(value, frozenset):
        return [value]
    if depth < 2 and isinstance(value, (tuple, list)) and value:
        if isinstance(value[-1], frozenset):
            return [value[-1]]
        if isinstance(value[0], (tuple, list)):
            return [s for v in value for s in _body_sets(v, depth + 1)]
    return []


def _refuse_feeds_inside_bodies(order: list[Operation], feeds: list[Tensor]) -> None:
    """Raises ``UnsupportedError`` for a feed of a tensor computed inside a control-flow body.

    A body (a ``tf.cond`` branch, a ``while_loop`` body) runs as its own sub-plan that
    computes the tensor itself, so the fed value would be ignored. TF uses it (and a ``cond``'s
    ``Merge`` even passes it on when the predicate chose the other branch).
    """
    fed_ops = {t._op._id: t for t in feeds}
    for op in order:
        for value in op._attrs.values():
            for inner in _body_sets(value):
                hit = [fed_ops[i] for i in fed_ops.keys() & inner]
                if hit:
                    raise UnsupportedError(
                        f"feeding {hit[0].name}, a tensor computed inside the control-flow body "
                        f"of {op.name}",
                        "Feed a tensor outside the tf.cond/tf.while_loop instead.",
                    )


_GRADIENT_OPS = ("SymbolicGradient", "HessianRows")


def _writes_last(
    order: list[Operation], fed: dict[int, int], inner: frozenset[int] | None
) -> list[Operation]:
    """``order`` with variable writes as late as allowed, when a run computes several gradients.

    The ops that write a variable (a ref input) wait for every other ready op; those a gradient
    depends on (batch norm's moving-average updates under ``updates_collections=None``) go
    first. Several optimizers in one ``Session.run`` (CycleGAN's four, infoGAN's ``g_optim``
    with ``q_optim``) share variables: one optimizer's update must not run between the forward
    pass and the backward pass of another loss that reads the variable (TF reads the variables
    before any update lands in practice; here autograd would find its saved input changed).
    Other ops keep their depth-first order.
    """
    if sum(op._type in _GRADIENT_OPS for op in order) < 2:
        return order
    writes = {op._id for op in order if get_kernel(op._type).ref_inputs}
    if not writes:
        return order
    import heapq  # noqa: PLC0415

    position = {op._id: i for i, op in enumerate(order)}
    waiting = dict.fromkeys(position, 0)
    dependents: dict[int, list[int]] = {i: [] for i in position}
    for op in order:
        for dep_id in dict.fromkeys(d._id for d in _deps(op, fed, inner)):
            if dep_id in position:
                waiting[op._id] += 1
                dependents[dep_id].append(op._id)
    # Classes: 0 other ops, 1 writes a gradient depends on, 2 the other writes (updates).
    before_grads: set[int] = set()
    stack = [op for op in order if op._type in _GRADIENT_OPS]
    while stack:
        for dep in _deps(stack.pop(), fed, inner):
            if dep._id in position and dep._id not in before_grads:
                before_grads.add(dep._id)
                stack.append(dep)
    rank = {i: 0 if i not in writes else 1 if i in before_grads else 2 for i in position}
    ready: tuple[list[int], ...] = ([], [], [])  # positions, by class
    for op in order:
        if waiting[op._id] == 0:
            heapq.heappush(ready[rank[op._id]], position[op._id])
    out: list[Operation] = []
    while any(ready):
        op = order[heapq.heappop(next(r for r in ready if r))]
        out.append(op)
        for d in dependents[op._id]:
            waiting[d] -= 1
            if waiting[d] == 0:
                heapq.heappush(ready[rank[d]], position[d])
    return out if len(out) == len(order) else order


_BLOCKING_OPS = frozenset(
    f"{name}{version}"
    for name in (
        "QueueDequeue",
        "QueueDequeueMany",
        "QueueDequeueUpTo",
        "ReaderRead",
        "ReaderReadUpTo",
    )
    for version in ("", "V2")
)


def _deps(op: Operation, fed: dict[int, int], inner: frozenset[int] | None = None
          ) -> list[Operation]:  # fmt: skip
    refs = get_kernel(op._type).ref_inputs
    deps = [t._op for i, t in enumerate(op._inputs) if id(t) not in fed and i not in refs]
    # Inputs that may block (a dequeue, a reader's read) run after their siblings: TF runs
    # siblings concurrently, so a sibling's error (``count_up_to``'s OutOfRange) ends the step
    # instead of the step waiting forever on an empty queue.
    deps.sort(key=lambda d: d._type in _BLOCKING_OPS)
    if inner is None:
        deps.extend(c for c in op._control_inputs if not _fed_placeholder(c, fed))
    else:
        deps.extend(c for c in op._control_inputs if c._id in inner)
    return deps


def _fed_placeholder(op: Operation, fed: dict[int, int]) -> bool:
    """A fed ``Placeholder``: TF moves its control edges to the feed, so it never runs."""
    return op._type in ("Placeholder", "PlaceholderV2") and id(op._outputs[0]) in fed


# --- sub-plans (control-flow bodies) -------------------------------------------------------------


def compile_subplan(
    session: BaseSession, fetches: list[Any], feeds: list[Tensor], inner: frozenset[int]
) -> Plan:
    """A plan for the body of a control-flow op (``cond`` branch, loop body).

    ``feeds`` are the body's inputs (captured outer tensors, loop variables); ``inner`` the ids of
    the ops that belong to the body. The plan is called with ``run_subplan`` by the enclosing
    op's kernel, in the enclosing plan's grad mode.
    """
    return Plan(session, fetches, feeds, inner)


def run_subplan(plan: Plan, values: list[Any]) -> list[Any]:
    """Runs a sub-plan; a failing kernel is reported as its own op (not the enclosing one)."""
    try:
        return plan.fn(values)  # type: ignore[no-any-return]
    except OpError as e:
        if e.op is None:
            e.op = plan.failing_op(e.__traceback__)
        raise
    except (RuntimeError, ValueError, IndexError, TypeError, ZeroDivisionError) as e:
        op = plan.failing_op(e.__traceback__)
        if op is None:
            raise
        raise InvalidArgumentError(None, op, f"{type(e).__name__}: {e}") from e


__all__ = ["Plan", "compile_subplan", "run_subplan"]
