"""``Session``: runs the pruned subgraph for a set of fetches and feeds on torch kernels.

Design: ``run`` maps the fetch structure to a flat list of graph elements, looks up a compiled
*plan* for (fetches, feed keys) and calls it. A plan is built once: the ops needed for the fetches
(stopping at fed tensors) in dependency order, each op's kernel closure created by its factory,
and a straight-line Python function generated from them (``t3 = k3(t1, t2)`` per op), so a
repeated ``run`` costs one function call per op plus feed/fetch conversion. A kernel exception is
mapped back to its op through the generated code's line numbers, at no cost on the fast path.

Variable values belong to the session (``Session._variables``: op name -> torch tensor); a new
session starts uninitialized, as in TF.

Must not import ``scopeflow.ops`` or any layer above ``graph``.
"""

from __future__ import annotations

import collections
import contextlib
import os
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow.errors import (
    FailedPreconditionError,
    InvalidArgumentError,
    OpError,
    UnsupportedError,
)
from scopeflow.graph._torch_dtypes import to_numpy, to_torch
from scopeflow.graph.config import jit_enabled
from scopeflow.graph.graph import Graph, get_default_graph
from scopeflow.graph.op_registry import get_kernel, has_fresh_output, inplace_factory
from scopeflow.graph.tensor import Operation, Tensor

# --- fetch structures ----------------------------------------------------------------------------


class _FetchMapper:
    """Flattens a nested fetch structure to graph elements and rebuilds results in its shape."""

    def __init__(self, graph: Graph, fetches: Any) -> None:
        self.elements: list[Any] = []
        self._build = self._map(graph, fetches)

    def _map(self, graph: Graph, fetch: Any) -> Callable[[list[Any]], Any]:
        if fetch is None:
            raise TypeError(f"Fetch argument {fetch!r} has invalid type {type(fetch)}")
        if isinstance(fetch, (list, tuple)) and not hasattr(fetch, "_as_graph_element"):
            subs = [self._map(graph, f) for f in fetch]
            if isinstance(fetch, tuple) and hasattr(fetch, "_fields"):
                ftype = type(fetch)
                return lambda vals: ftype(*[s(vals) for s in subs])
            ctor = type(fetch) if isinstance(fetch, tuple) else list
            return lambda vals: ctor(s(vals) for s in subs)
        if isinstance(fetch, collections.abc.Mapping):
            keys = list(fetch.keys())
            subs = [self._map(graph, fetch[k]) for k in keys]
            mtype: Any = type(fetch)

            def build_dict(vals: list[Any]) -> Any:
                results = [s(vals) for s in subs]
                if mtype is collections.defaultdict:
                    out: Any = collections.defaultdict(fetch.default_factory)  # type: ignore[attr-defined]
                    out.update(zip(keys, results, strict=True))
                    return out
                return mtype(zip(keys, results, strict=True))

            return build_dict
        try:
            el = graph.as_graph_element(fetch, allow_tensor=True, allow_operation=True)
        except TypeError as e:
            raise TypeError(
                f"Fetch argument {fetch!r} has invalid type {type(fetch)}, must be a string or "
                f"Tensor. ({e})"
            ) from None
        except (ValueError, KeyError) as e:
            raise ValueError(
                f"Argument `fetch` = {fetch} cannot be interpreted as a Tensor. ({e.args[0]})"
            ) from None
        idx = len(self.elements)
        self.elements.append(el)
        if isinstance(el, Operation):
            return lambda vals: None
        return lambda vals: vals[idx]

    def build(self, values: list[Any]) -> Any:
        return self._build(values)


# --- plans ---------------------------------------------------------------------------------------


class _Plan:
    """A compiled straight-line program computing some fetches from some feeds.

    Each op's outputs go to a local of the generated function; a local is reused as soon as the
    value it holds has had its last consumer, so intermediates are freed as early as in TF's
    executor instead of living until the plan returns. In a no-grad plan, an elementwise op whose
    input nobody else can observe (see ``_donatable``) computes in place into that input's
    memory (its ``register_inplace_kernel`` variant), which saves an allocation and the page
    faults of first touching it.
    """

    def __init__(
        self,
        session: BaseSession,
        fetches: list[Any],
        feeds: list[Tensor],
        inner: frozenset[int] | None = None,
        donate: bool = True,
    ) -> None:
        self.feeds = feeds
        self.fetch_elements = fetches
        fed = {id(t): i for i, t in enumerate(feeds)}
        order = _topo_order(fetches, fed, inner)
        env: dict[str, Any] = {"_leaf_fresh": _leaf_fresh, "_leaf_keep": _leaf_keep}
        kernels = []
        leaves: set[int] = set()
        needs_grad = False
        uses: dict[int, int] = {}  # tensor id -> number of op inputs reading it in this plan
        last_use: dict[int, int] = {}  # tensor id -> position of its last consumer
        for pos, op in enumerate(order):
            kdef = get_kernel(op._type)
            kernel = kdef.factory(op, session)
            needs_grad = needs_grad or getattr(kernel, "needs_grad", False)
            # Gradient kernels name the tensors they differentiate by: those become autograd
            # leaves right after they are produced or fed.
            leaves.update(id(t) for t in getattr(kernel, "grad_sources", ()))
            kernels.append((op, kdef, kernel))
            refs = kdef.ref_inputs
            for i, t in enumerate(op._inputs):
                if i not in refs:
                    uses[id(t)] = uses.get(id(t), 0) + 1
                    last_use[id(t)] = pos
        kept = {id(el) for el in fetches}
        kept.update(fed)
        # Sub-plans run in their enclosing op's grad mode, which may record history: no donation.
        donate = donate and inner is None and not needs_grad
        lines = ["def _plan(_feeds):"]
        if feeds:
            names = ", ".join(f"f{i}" for i in range(len(feeds)))
            lines.append(f"    {names}{',' if len(feeds) == 1 else ''} = _feeds")
            lines.extend(
                f"    f{i} = _leaf_keep(f{i})" for i, t in enumerate(feeds) if id(t) in leaves
            )
        var_of: dict[int, str] = {id(t): f"f{i}" for i, t in enumerate(feeds)}
        free: list[str] = []  # locals whose value has had its last consumer
        n_locals = 0
        self._line_ops: dict[int, Operation] = {}
        self.donations = 0
        for pos, (op, kdef, kernel) in enumerate(kernels):
            kname = f"k{op._id}"
            refs = kdef.ref_inputs
            inplace = _inplace_kernel(op, session, refs, uses, kept) if donate else None
            if inplace is not None:
                self.donations += 1
            env[kname] = kernel if inplace is None else inplace
            args = ", ".join(
                "None" if i in refs else var_of[id(t)] for i, t in enumerate(op._inputs)
            )
            for i, t in enumerate(op._inputs):
                if i not in refs and last_use[id(t)] == pos and id(t) not in kept:
                    last_use[id(t)] = -1  # an input read twice by this op is freed once
                    free.append(var_of[id(t)])
            outs = op._outputs
            # A fed output still has its op run (e.g. for another output) but keeps the fed value.
            out_names = []
            for t in outs:
                if id(t) in var_of:
                    out_names.append("_")
                    continue
                if free:
                    nm = free.pop()
                else:
                    nm = f"t{n_locals}"
                    n_locals += 1
                var_of[id(t)] = nm
                out_names.append(nm)
            if not outs:
                lines.append(f"    {kname}({args})")
            elif len(outs) == 1:
                lines.append(f"    {out_names[0]} = {kname}({args})")
            else:
                lines.append(f"    {', '.join(out_names)} = {kname}({args})")
            self._line_ops[len(lines)] = op
            for t, nm in zip(outs, out_names, strict=True):
                if nm == "_":
                    continue
                if id(t) in leaves:
                    # Source ops (variables, constants...) get a fresh leaf, so a stored value is
                    # never made part of a graph; computed tensors keep their history.
                    fn = "_leaf_keep" if op._inputs else "_leaf_fresh"
                    lines.append(f"    {nm} = {fn}({nm})")
                    self._line_ops[len(lines)] = op
                if id(t) not in uses and id(t) not in kept:
                    free.append(nm)
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


def _inplace_kernel(
    op: Operation, session: Any, refs: tuple[int, ...], uses: dict[int, int], kept: set[int]
) -> Callable[..., Any] | None:
    """``op``'s in-place kernel writing into an input nobody else observes, or None."""
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
            return kernel
    return None


def _donatable(t: Tensor, uses: dict[int, int], kept: set[int]) -> bool:
    """Whether the plan may overwrite ``t``: a fresh kernel output read by one input only.

    ``kept`` holds the fed and fetched tensors (the caller's arrays, values returned to it).
    """
    return uses.get(id(t)) == 1 and id(t) not in kept and has_fresh_output(t._op._type)


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


def _deps(op: Operation, fed: dict[int, int], inner: frozenset[int] | None = None
          ) -> list[Operation]:  # fmt: skip
    refs = get_kernel(op._type).ref_inputs
    deps = [t._op for i, t in enumerate(op._inputs) if id(t) not in fed and i not in refs]
    if inner is None:
        deps.extend(op._control_inputs)
    else:
        deps.extend(c for c in op._control_inputs if c._id in inner)
    return deps


# --- sub-plans (control-flow bodies) -------------------------------------------------------------


def compile_subplan(
    session: BaseSession, fetches: list[Any], feeds: list[Tensor], inner: frozenset[int]
) -> _Plan:
    """A plan for the body of a control-flow op (``cond`` branch, loop body).

    ``feeds`` are the body's inputs (captured outer tensors, loop variables); ``inner`` the ids of
    the ops that belong to the body. The plan is called with ``run_subplan`` by the enclosing
    op's kernel, in the enclosing plan's grad mode.
    """
    return _Plan(session, fetches, feeds, inner)


def run_subplan(plan: _Plan, values: list[Any]) -> list[Any]:
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


# --- sessions ------------------------------------------------------------------------------------


class _DefaultSessionStack(threading.local):
    def __init__(self) -> None:
        self.stack: list[BaseSession] = []


_default_sessions = _DefaultSessionStack()


def get_default_session() -> BaseSession | None:
    """The innermost ``as_default()`` session of this thread, or None."""
    stack = _default_sessions.stack
    return stack[-1] if stack else None


class _DefaultSessionContext:
    def __init__(self, session: BaseSession) -> None:
        self._session = session

    def __enter__(self) -> BaseSession:
        _default_sessions.stack.append(self._session)
        return self._session

    def __exit__(self, *exc: object) -> None:
        stack = _default_sessions.stack
        if stack and stack[-1] is self._session:
            stack.pop()


_malloc_tuned = False


def tune_malloc() -> bool:
    """Opt-in (``SCOPEFLOW_TUNE_MALLOC=1`` before the first session): keeps freed memory.

    glibc hands every large freed block back to the OS (``munmap`` above ``M_MMAP_THRESHOLD``,
    heap trimming above ``M_TRIM_THRESHOLD``), so each run's fresh multi-MB activations and
    gradients page-fault again on first touch: about 40% of a 4x1024 MLP training step on a
    2-core machine. This sets ``M_MMAP_THRESHOLD`` to 32 MiB and ``M_TRIM_THRESHOLD`` to 1 GiB,
    once, for the whole process (its memory then stays at its high-water mark, as with TF's
    own allocator). Returns whether the settings were applied (False if libc has no mallopt).
    """
    global _malloc_tuned
    if _malloc_tuned:
        return True
    try:
        import ctypes  # noqa: PLC0415

        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3  # <malloc.h>
        ok = bool(libc.mallopt(m_mmap_threshold, 32 << 20))
        ok = bool(libc.mallopt(m_trim_threshold, 1 << 30)) and ok
    except (OSError, AttributeError):
        return False
    _malloc_tuned = ok
    return ok


class BaseSession:
    """Shared machinery of ``Session`` and ``InteractiveSession``."""

    def __init__(self, target: str = "", graph: Graph | None = None, config: Any = None) -> None:
        if graph is None:
            graph = get_default_graph()
        if not isinstance(graph, Graph):
            raise TypeError(f"graph must be a tf.Graph, but got {type(graph)}")
        if target:
            raise UnsupportedError(f"Session target {target!r}", "Only in-process sessions exist.")
        self._graph = graph
        self._config = config
        self._target = target
        self._closed = False
        self._variables: dict[str, Any] = {}
        self._op_state: dict[int, Any] = {}
        self._plans: dict[Any, _Plan] = {}
        self._plans_version = graph._plan_cache_version
        self._jit = jit_enabled(config) or os.environ.get("SCOPEFLOW_JIT", "") == "1"
        if os.environ.get("SCOPEFLOW_TUNE_MALLOC", "") == "1":
            tune_malloc()
        self._lock = threading.RLock()
        self._default_ctx: list[Any] = []
        self._graph_ctx: list[Any] = []

    @property
    def graph(self) -> Graph:
        """The graph this session runs."""
        return self._graph

    @property
    def graph_def(self) -> Any:
        """Not available (no protobuf GraphDef)."""
        raise UnsupportedError("Session.graph_def")

    @property
    def sess_str(self) -> str:
        """The target string (always empty: in-process)."""
        return self._target

    def as_default(self) -> _DefaultSessionContext:
        """Makes this the default session inside the block (does not close it)."""
        return _DefaultSessionContext(self)

    def close(self) -> None:
        """Releases variable values; further ``run`` calls raise RuntimeError."""
        self._closed = True
        self._variables.clear()
        self._op_state.clear()
        self._plans.clear()

    def __enter__(self) -> BaseSession:
        ctx = self.as_default()
        ctx.__enter__()
        gctx = self._graph.as_default()
        gctx.__enter__()
        self._default_ctx.append(ctx)
        self._graph_ctx.append(gctx)
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self._graph_ctx.pop().__exit__(exc_type, exc, tb)
        self._default_ctx.pop().__exit__(exc_type, exc, tb)
        self.close()

    # --- state used by kernels ----------------------------------------------------------------

    def _read_variable(self, name: str, op: Operation | None = None) -> Any:
        try:
            return self._variables[name]
        except KeyError:
            raise FailedPreconditionError(
                None, op, f"Attempting to use uninitialized value {name}"
            ) from None

    def _op_state_for(self, op: Operation, make: Callable[[], Any]) -> Any:
        st = self._op_state.get(op._id)
        if st is None:
            st = self._op_state[op._id] = make()
        return st

    def _load_variable(self, var: Any, value: Any) -> None:
        base = var.dtype.base_dtype
        t = to_torch(value, base)
        shape = var.get_shape()
        if isinstance(t, torch.Tensor) and not shape.is_compatible_with(list(t.shape)):
            raise ValueError(
                f"Cannot feed value of shape {tuple(t.shape)} for Tensor {var.name!r}, which has "
                f"shape {shape!r}"
            )
        self._variables[var.op.name] = t.clone() if isinstance(t, torch.Tensor) else t

    # --- run ----------------------------------------------------------------------------------

    def run(
        self,
        fetches: Any,
        feed_dict: Any = None,
        options: Any = None,
        run_metadata: Any = None,
    ) -> Any:
        """Runs the ops and evaluates the tensors in ``fetches``.

        ``fetches`` may be any nesting of lists, tuples, namedtuples and dicts; ``feed_dict``
        values replace the tensors they key.

        Returns the fetched values as NumPy arrays/scalars in the same structure (``None`` for
        ops).

        Raises:
            RuntimeError: the session is closed.
            TypeError/ValueError: a fetch or feed key/value is invalid.
            OpError: an op failed (e.g. ``FailedPreconditionError`` for uninitialized variables).
        """
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if not self._graph._ops:
            raise RuntimeError(
                "The Session graph is empty. Add operations to the graph before calling run()."
            )
        mapper = _FetchMapper(self._graph, fetches)
        feed_tensors, feed_values = self._process_feeds(feed_dict)
        values = self._run_flat(mapper.elements, feed_tensors, feed_values)
        return mapper.build(values)

    def _process_feeds(self, feed_dict: Any) -> tuple[list[Tensor], list[Any]]:
        if not feed_dict:
            return [], []
        tensors: list[Tensor] = []
        vals: list[Any] = []
        for key, value in feed_dict.items():
            try:
                t = self._graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
            except (TypeError, ValueError, KeyError) as e:
                raise TypeError(
                    f"Cannot interpret feed_dict key as Tensor: {e.args[0] if e.args else e}"
                ) from None
            if not isinstance(t, Tensor):
                raise TypeError(f"Cannot interpret feed_dict key as Tensor: {key!r}")
            if isinstance(value, Tensor):
                raise TypeError(
                    "The value of a feed cannot be a tf.Tensor object. Acceptable feed values "
                    "include Python scalars, strings, lists, numpy ndarrays, or TensorHandles. "
                    "For reference, the tensor object was "
                    f"{value} which was passed to the argument `feed_dict` with key {t}."
                )
            if not self._graph.is_feedable(t):
                raise ValueError(f"Tensor {t.name} may not be fed.")
            base = t._dtype.base_dtype
            np_val = value
            if not isinstance(value, torch.Tensor):
                if base == dtypes.string:
                    np_val = np.asarray(value, dtype=object)
                else:
                    try:
                        np_val = np.asarray(value, dtype=base.as_numpy_dtype)
                    except (TypeError, ValueError) as e:
                        raise ValueError(
                            f"Cannot feed value {value!r} for Tensor {t.name!r}: {e}"
                        ) from None
                shape = getattr(np_val, "shape", ())
                if not t._shape.is_compatible_with(shape):
                    raise ValueError(
                        f"Cannot feed value of shape {tuple(shape)!r} for Tensor {t.name}, which "
                        f"has shape {t._shape}"
                    )
            tensors.append(t)
            vals.append(to_torch(np_val, base))
        return tensors, vals

    def _plan_for(self, elements: list[Any], feeds: list[Tensor]) -> _Plan:
        if self._graph._plan_cache_version != self._plans_version:
            self._plans.clear()
            self._plans_version = self._graph._plan_cache_version
        key = (tuple(map(id, elements)), tuple(map(id, feeds)))
        plan = self._plans.get(key)
        if plan is None:
            for el in elements:
                if not self._graph.is_fetchable(el if isinstance(el, Operation) else el.op) or (
                    not self._graph.is_fetchable(el)
                ):
                    raise ValueError(f"Operation {el.name!r} has been marked as not fetchable.")
            plan = _Plan(self, elements, feeds, donate=not self._jit)
            if self._jit:
                plan.jit()
            self._plans[key] = plan
        return plan

    def _run_flat(self, elements: list[Any], feeds: list[Tensor], feed_values: list[Any]) -> Any:
        plan = self._plan_for(elements, feeds)
        try:
            if plan.compiled is not None:
                raw = plan.run_compiled(feed_values)
            elif plan.needs_grad:
                with torch.enable_grad():
                    raw = plan.fn(feed_values)
            else:
                with torch.no_grad():
                    raw = plan.fn(feed_values)
        except OpError as e:
            if e.op is None:
                e.op = plan.failing_op(e.__traceback__)
            raise
        except (RuntimeError, ValueError, IndexError, TypeError, ZeroDivisionError) as e:
            op = plan.failing_op(e.__traceback__)
            if op is None:
                raise
            raise InvalidArgumentError(None, op, f"{type(e).__name__}: {e}") from e
        out: list[Any] = []
        for v, copy in zip(raw, plan.copy_on_fetch, strict=True):
            if v is None:
                out.append(None)
                continue
            arr = to_numpy(v)
            if copy and isinstance(arr, np.ndarray):
                arr = arr.copy()
            out.append(arr)
        return out

    def make_callable(self, fetches: Any, feed_list: Any = None, accept_options: bool = False
                      ) -> Callable[..., Any]:  # fmt: skip
        """A function ``f(*feed_values)`` equal to ``run(fetches, dict(zip(feed_list, ...)))``."""
        feed_list = list(feed_list or [])

        def call(*args: Any, **kwargs: Any) -> Any:
            return self.run(fetches, dict(zip(feed_list, args, strict=True)))

        return call

    def list_devices(self) -> list[Any]:
        """The one local device."""
        return [{"name": "/job:localhost/replica:0/task:0/device:CPU:0", "device_type": "CPU"}]


class Session(BaseSession):
    """A TF1 session: ``run(fetches, feed_dict)`` over a graph, holding variable values.

    ``target`` must be empty (in-process); ``config`` (``ConfigProto``) is accepted and stored.

    >>> import scopeflow.compat.v1 as tf
    >>> c = tf.constant([1.0, 2.0]) * 2
    >>> with tf.Session() as sess:
    ...     print(sess.run(c))
    [2. 4.]
    """

    def reset(self) -> None:
        """Not supported: in-process sessions own no shared resource containers."""
        raise UnsupportedError("Session.reset")


class InteractiveSession(BaseSession):
    """A session that installs itself as the default session on construction."""

    def __init__(self, target: str = "", graph: Graph | None = None, config: Any = None) -> None:
        super().__init__(target, graph, config)
        self._ctx = self.as_default()
        self._ctx.__enter__()
        self._gctx = self._graph.as_default()
        self._gctx.__enter__()

    def close(self) -> None:
        """Closes the session and removes it as the default session."""
        super().close()
        if self._ctx is not None:
            # The graph may have been pushed again since; leave the stack as it is then.
            with contextlib.suppress(AssertionError):
                self._gctx.__exit__(None, None, None)
            self._ctx.__exit__(None, None, None)
            self._ctx = None  # type: ignore[assignment]


def _run_using_default_session(
    fetch: Any, feed_dict: Any, graph: Graph, session: BaseSession | None
) -> Any:
    if session is None:
        session = get_default_session()
        if session is None:
            raise ValueError(
                "Cannot evaluate tensor using `eval()`: No default session is registered. Use "
                "`with sess.as_default()` or pass an explicit session to `eval(session=sess)`"
                if isinstance(fetch, Tensor)
                else "Cannot execute operation using `run()`: No default session is registered. "
                "Use `with sess.as_default():` or pass an explicit session to "
                "`run(session=sess)`"
            )
        if session.graph is not graph:
            raise ValueError(
                "Cannot use the default session to evaluate tensor: the tensor's graph is "
                "different from the session's graph. Pass an explicit session to "
                "`eval(session=sess)`."
            )
    elif session.graph is not graph:
        raise ValueError(
            "Cannot use the given session to evaluate tensor: the tensor's graph is different "
            "from the session's graph."
        )
    return session.run(fetch, feed_dict)


__all__ = [
    "BaseSession",
    "InteractiveSession",
    "Session",
    "compile_subplan",
    "get_default_session",
    "run_subplan",
]
