"""``Session``: runs the pruned subgraph for a set of fetches and feeds on torch kernels.

Design: ``run`` maps the fetch structure to a flat list of graph elements, looks up a compiled
*plan* (``graph/plan.py``) for (fetches, feed keys) and calls it, then converts the results to
NumPy in the fetch structure.

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
from scopeflow.graph.config import apply_thread_config, jit_enabled
from scopeflow.graph.devices import Placer, apply_tf32_policy, log_device_mapping
from scopeflow.graph.graph import Graph, get_default_graph
from scopeflow.graph.plan import Plan
from scopeflow.graph.step_stats import StepTrace, trace_requested
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
        components = getattr(fetch, "_fetch_components", None)
        if components is not None and not isinstance(fetch, type):
            # Composite values (SparseTensor): fetch the parts, rebuild the value type.
            parts = [self._map(graph, c) for c in components()]
            make = fetch._fetch_value
            return lambda vals: make(*[p(vals) for p in parts])
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


# --- sessions ------------------------------------------------------------------------------------


class _DefaultSessionStack(threading.local):
    def __init__(self) -> None:
        self.stack: list[BaseSession] = []


_default_sessions = _DefaultSessionStack()


_utf8 = np.frompyfunc(lambda v: v.encode() if isinstance(v, str) else v, 1, 1)


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


_malloc_tuned: bool | None = None

#: glibc settings that keep freed memory for reuse (see ``tune_malloc``).
MALLOC_MMAP_THRESHOLD = 32 << 20
MALLOC_TRIM_THRESHOLD = 1 << 30
MALLOC_MMAP_MAX = 0

# The user's own glibc malloc settings, which ``tune_malloc`` leaves alone.
_USER_MALLOC_ENV = (
    "MALLOC_MMAP_THRESHOLD_",
    "MALLOC_TRIM_THRESHOLD_",
    "MALLOC_TOP_PAD_",
    "MALLOC_MMAP_MAX_",
)


def tune_malloc() -> bool:
    """Keeps freed memory for reuse: done once, when the first session is created.

    glibc hands large freed blocks back to the OS (``munmap`` above ``M_MMAP_THRESHOLD``, heap
    trimming above ``M_TRIM_THRESHOLD``; its dynamic thresholds only reach twice the largest
    block freed), so each run's fresh multi-MB activations and gradients page-fault again on
    first touch: ~4,800 page faults and about 40% of a 4x1024 MLP training step. This sets
    ``M_MMAP_THRESHOLD`` to 32 MiB (glibc's own ceiling for any threshold: ``mallopt`` refuses
    more), ``M_MMAP_MAX`` to 0 and ``M_TRIM_THRESHOLD`` to 1 GiB, for the whole process: no block
    of the main arena is served by its own ``mmap`` (other threads' arenas still fall back to
    mmap when their heaps are full), freed blocks of any size are reused from the heap, and up to
    1 GiB of free heap top is kept instead of returned (TF's allocator keeps all of its memory).
    Without ``M_MMAP_MAX`` every block over 32 MiB was mapped and page-faulted anew: each of the
    ~15 temporaries of an AdamWeightDecay update of BERT's 30,522 x 768 word embeddings took
    ~130 ms into a fresh mapping against ~55 ms into a reused block (2-core machine).

    Skipped when ``SCOPEFLOW_TUNE_MALLOC=0``, when the user set glibc's own ``MALLOC_*_``
    variables or ``GLIBC_TUNABLES`` with malloc settings, and where libc has no ``mallopt``.
    Returns whether the settings are in effect.
    """
    global _malloc_tuned
    if _malloc_tuned is not None:
        return _malloc_tuned
    _malloc_tuned = False
    env = os.environ
    if (
        env.get("SCOPEFLOW_TUNE_MALLOC", "") == "0"
        or any(k in env for k in _USER_MALLOC_ENV)
        or "glibc.malloc" in env.get("GLIBC_TUNABLES", "")
    ):
        return False
    try:
        import ctypes  # noqa: PLC0415

        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold, m_mmap_max = -1, -3, -4  # <malloc.h>
        ok = bool(libc.mallopt(m_mmap_threshold, MALLOC_MMAP_THRESHOLD))
        ok = bool(libc.mallopt(m_trim_threshold, MALLOC_TRIM_THRESHOLD)) and ok
        ok = bool(libc.mallopt(m_mmap_max, MALLOC_MMAP_MAX)) and ok
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
        self._plans: dict[Any, Plan] = {}
        self._plans_version = graph._plan_cache_version
        self._jit = jit_enabled(config) or os.environ.get("SCOPEFLOW_JIT", "") == "1"
        tune_malloc()
        apply_thread_config(config)
        apply_tf32_policy()
        self._placer = Placer(config)
        log_device_mapping(self._placer)
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
        values replace the tensors they key. With ``options.trace_level`` above ``NO_TRACE``
        (``tf.RunOptions.FULL_TRACE``...) and a ``run_metadata`` (``tf.RunMetadata()``), the
        run is traced: ``run_metadata.step_stats`` receives one ``NodeExecStats`` per executed
        op (see ``scopeflow.graph.step_stats``), and with ``options.output_partition_graphs``
        ``run_metadata.partition_graphs`` the ``GraphDef`` of the executed ops.

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
        if run_metadata is not None and trace_requested(options, run_metadata):
            values = self._run_traced(mapper.elements, feed_tensors, feed_values, options,
                                      run_metadata)  # fmt: skip
        else:
            values = self._run_flat(mapper.elements, feed_tensors, feed_values)
        return mapper.build(values)

    def _process_feeds(self, feed_dict: Any) -> tuple[list[Tensor], list[Any]]:
        if not feed_dict:
            return [], []
        tensors: list[Tensor] = []
        vals: list[Any] = []
        items: list[tuple[Any, Any]] = []
        for key, value in _flatten_feed_dict(feed_dict):
            expand = getattr(key, "_feed_components", None)
            items.extend(expand(value) if expand is not None else [(key, value)])
        for key, value in items:
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
                if base == dtypes.string:  # text is fed as its UTF-8 bytes, as TF does
                    np_val = np.asarray(value, dtype=object)
                    if np_val.size and any(isinstance(v, str) for v in np_val.flat):
                        np_val = np.asarray(_utf8(np_val), dtype=object).reshape(np_val.shape)
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

    def _plan_for(self, elements: list[Any], feeds: list[Tensor], traced: bool = False) -> Plan:
        if self._graph._plan_cache_version != self._plans_version:
            self._plans.clear()
            self._plans_version = self._graph._plan_cache_version
        key: tuple[Any, ...] = (tuple(map(id, elements)), tuple(map(id, feeds)))
        if traced:
            key = (*key, "traced")
        plan = self._plans.get(key)
        if plan is None:
            for el in elements:
                if not self._graph.is_fetchable(el if isinstance(el, Operation) else el.op) or (
                    not self._graph.is_fetchable(el)
                ):
                    raise ValueError(f"Operation {el.name!r} has been marked as not fetchable.")
            trace = StepTrace() if traced else None
            plan = Plan(self, elements, feeds, donate=not self._jit, trace=trace)
            if self._jit and not traced:
                plan.jit()
            self._plans[key] = plan
        return plan

    def _run_traced(self, elements: list[Any], feeds: list[Tensor], feed_values: list[Any],
                    options: Any, run_metadata: Any) -> Any:  # fmt: skip
        """``_run_flat`` on the traced plan, filling ``run_metadata`` (``step_stats``)."""
        if not callable(getattr(getattr(run_metadata, "step_stats", None), "CopyFrom", None)):
            raise TypeError(
                f"run_metadata must be a tf.RunMetadata proto, but got {type(run_metadata)}"
            )
        plan = self._plan_for(elements, feeds, traced=True)
        trace = plan.trace
        assert trace is not None
        with trace.lock:
            trace.begin()
            values = self._run_flat(elements, feeds, feed_values, plan)
            trace.fill(run_metadata)
        if getattr(options, "output_partition_graphs", False):
            del run_metadata.partition_graphs[:]
            run_metadata.partition_graphs.add().CopyFrom(_executed_graph_def(self._graph, plan))
        return values

    def _run_flat(self, elements: list[Any], feeds: list[Tensor], feed_values: list[Any],
                  plan: Plan | None = None) -> Any:  # fmt: skip
        if plan is None:
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
        """A function ``f(*feed_values)`` equal to ``run(fetches, dict(zip(feed_list, ...)))``.

        The fetch structure is resolved once, here, so a call only converts its feeds. A call
        takes ``options=`` and ``run_metadata=`` keywords, as ``run`` does (tracing).
        """
        feed_list = list(feed_list or [])
        mapper = _FetchMapper(self._graph, fetches)

        def call(*args: Any, options: Any = None, run_metadata: Any = None) -> Any:
            if len(args) != len(feed_list):
                raise TypeError(
                    f"Expected {len(feed_list)} feed values, but got {len(args)} arguments."
                )
            if self._closed:
                raise RuntimeError("Attempted to use a closed Session.")
            tensors, values = self._process_feeds(dict(zip(feed_list, args, strict=True)))
            if run_metadata is not None and trace_requested(options, run_metadata):
                return mapper.build(
                    self._run_traced(mapper.elements, tensors, values, options, run_metadata)
                )
            return mapper.build(self._run_flat(mapper.elements, tensors, values))

        return call

    def list_devices(self) -> list[Any]:
        """The local devices: the CPU and the GPUs the session may use."""
        local = "/job:localhost/replica:0/task:0/device:"
        out = [{"name": f"{local}CPU:0", "device_type": "CPU"}]
        out.extend(
            {"name": f"{local}GPU:{i}", "device_type": "GPU"} for i in range(self._placer.gpus)
        )
        return out


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
    "get_default_session",
]


def _executed_graph_def(graph: Graph, plan: Plan) -> Any:
    """The ``GraphDef`` of the ops a traced plan ran (TF's partition graph of one device)."""
    from scopeflow.protos import graph_pb2  # noqa: PLC0415  (loaded when asked for)

    ran = {name for _, name, *_ in plan.trace.records} if plan.trace is not None else set()
    full = graph.as_graph_def()
    out = graph_pb2.GraphDef()
    out.versions.CopyFrom(full.versions)
    out.node.extend(n for n in full.node if n.name in ran)
    return out


def _flat(structure: Any) -> list[Any]:
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in _flat(item)]
    return [structure]


def _flatten_feed_dict(feed_dict: Any) -> list[tuple[Any, Any]]:
    """TF's ``nest.flatten_dict_items`` on a feed dict.

    A key that is a (nested) tuple or list of tensors, e.g. an RNN's ``(LSTMStateTuple(c, h),
    ...)`` state, is fed from a value of the same structure, leaf by leaf.
    """
    items: dict[Any, Any] = {}
    for key, value in feed_dict.items():
        if not isinstance(key, (list, tuple)):
            pairs = [(key, value)]
        else:
            keys, values = _flat(key), _flat(value)
            if len(keys) != len(values):
                raise ValueError(
                    f"Could not flatten dictionary. Key had {len(keys)} elements, but value had "
                    f"{len(values)} elements. Key: {keys}, value: {values}."
                )
            pairs = list(zip(keys, values, strict=True))
        for k, v in pairs:
            if k in items:
                raise ValueError(f"Cannot flatten dict because this key is not unique: {k}")
            items[k] = v
    return list(items.items())
