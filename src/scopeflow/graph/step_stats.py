"""Per-op statistics of a traced ``Session.run``: TF's ``RunMetadata.step_stats``.

A run whose ``RunOptions.trace_level`` is ``SOFTWARE_TRACE``, ``HARDWARE_TRACE`` or
``FULL_TRACE`` and that is given a ``run_metadata`` runs a *traced* plan: the same generated
code as the plan of that (fetches, feeds) signature, built separately and cached beside it, whose
kernels are wrapped by ``StepTrace.wrap``. A wrapper reads the clock around its kernel and
notes the thread it ran on (region workers of ``interop`` run branches on their own threads)
and its outputs' dtypes, shapes and bytes. After the run, ``StepTrace.fill`` writes one
``NodeExecStats`` per executed step into ``run_metadata.step_stats``, in the order the steps
finished, under the device TF names (``/job:localhost/replica:0/task:0/device:CPU:0``, or the
GPU an op was placed on). Plans run without tracing are not touched: their kernels are never
wrapped.

Fields filled, as TF's executor fills them: ``node_name``, ``all_start_micros`` (wall clock,
microseconds since the epoch), ``op_start_rel_micros`` (0), ``op_end_rel_micros`` and
``all_end_rel_micros`` (the kernel's duration), the ``*_nanos`` counterparts,
``scheduled_micros``/``scheduled_nanos`` (the start), ``thread_id`` (the OS thread id),
``timeline_label`` (``name = Type(input, input:1, ^control)``, which ``timeline`` parses),
``output`` (slot, dtype, run-time shape and an ``AllocationDescription`` with the bytes, the
allocator's name, the data pointer and, for a new buffer, an ``allocation_id`` numbering the
run's new buffers) and ``memory`` (one ``AllocatorMemoryUsed`` with the
bytes of the outputs whose storage is new, i.e. not one of the inputs').

Differences from TensorFlow: a fused step (``MatMul`` into ``BiasAdd``, a layer-norm pattern,
see ``plan``) is one record under the name of the op whose outputs it computes, as TF's
grappler remapper fuses the same pairs into one node (TF names the fused node's type
``_FusedMatMul``; here the label keeps the op's own type); ops inside a control-flow body
(``cond`` branches, ``while_loop`` bodies) are timed as part of their enclosing op's record;
``memory`` counts output allocations only (temporaries inside a torch kernel are not seen, and
``allocator_bytes_in_use``, ``allocation_records``, ``memory_stats`` and ``op_start_rel_*`` stay
0); the allocator is named ``cpu`` (TF 1.15's plain builds; TF 2's oneDNN builds say ``mklcpu``);
a fed placeholder appears in labels under its own name (TF feeds through ``_arg_<name>_0_<i>``
nodes); TF's internal ``_SOURCE``, ``_Arg`` and ``_Retval`` nodes
do not exist here. Concurrent traced runs of one plan take turns.

Must not import ``scopeflow.ops`` or any layer above ``graph``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

#: TF's name of the CPU device in step stats.
CPU_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"
_GPU_DEVICE = "/job:localhost/replica:0/task:0/device:GPU:{}"

NO_TRACE = 0


def trace_requested(options: Any, run_metadata: Any) -> bool:
    """Whether a run asks for step stats: a trace level above ``NO_TRACE`` and a run_metadata."""
    if options is None or run_metadata is None:
        return False
    return int(getattr(options, "trace_level", None) or NO_TRACE) > NO_TRACE


def device_name(device: Any) -> str:
    """TF's full device name for a torch device (None: the CPU)."""
    if device is None or device.type == "cpu":
        return CPU_DEVICE
    return _GPU_DEVICE.format(device.index or 0)


def node_input_names(inputs: Any, control_inputs: Any) -> list[str]:
    """A node's inputs as a ``NodeDef`` lists them: ``op``, ``op:1``, then ``^control``."""
    names = [t._op._name if t._value_index == 0 else f"{t._op._name}:{t._value_index}"
             for t in inputs]  # fmt: skip
    names.extend(f"^{c._name}" for c in control_inputs)
    return names


class StepTrace:
    """The records of a traced plan's current run; ``wrap`` makes its traced kernels."""

    def __init__(self) -> None:
        self.records: list[tuple[Any, ...]] = []
        self.lock = threading.Lock()  # one traced run of the plan at a time
        self._wall0 = 0
        self._perf0 = 0

    def begin(self) -> None:
        """Starts a run: forgets the last run's records and fixes the clock origin."""
        self.records = []
        self._perf0 = time.perf_counter_ns()
        self._wall0 = time.time_ns()

    def wrap(self, op: Any, inputs: Any, device: Any, kernel: Callable[..., Any]
             ) -> Callable[..., Any]:  # fmt: skip
        """``kernel`` recording one entry per call: the step of ``op`` reading ``inputs``."""
        name = op._name
        label = f"{name} = {op._type}({', '.join(node_input_names(inputs, op._control_inputs))})"
        dtypes = [t._dtype.base_dtype.as_datatype_enum for t in op._outputs]
        n_out = len(dtypes)
        dev = device_name(device)
        clock = time.perf_counter_ns
        thread_id = threading.get_native_id

        def traced(*args: Any) -> Any:
            start = clock()
            out = kernel(*args)
            end = clock()
            values = () if n_out == 0 else (out,) if n_out == 1 else tuple(out)
            self.records.append((dev, name, label, start, end, thread_id(), dtypes,
                                 [_describe(v) for v in values], _pointers(args)))  # fmt: skip
            return out

        traced.__wrapped__ = kernel  # type: ignore[attr-defined]
        return traced

    def fill(self, run_metadata: Any) -> None:
        """Replaces ``run_metadata.step_stats`` by this run's records."""
        from scopeflow.protos import step_stats_pb2  # noqa: PLC0415  (loaded when tracing)

        stats = step_stats_pb2.StepStats()
        devices: dict[str, Any] = {}
        wall0, perf0 = self._wall0, self._perf0
        allocation_id = 0  # numbers the run's new output buffers, as TF's allocator ids do
        for dev, name, label, start, end, tid, dtypes, outs, in_ptrs in self.records:
            dev_stats = devices.get(dev)
            if dev_stats is None:
                dev_stats = devices[dev] = stats.dev_stats.add(device=dev)
            start_ns = wall0 + (start - perf0)
            dur_ns = end - start
            start_us, dur_us = start_ns // 1000, (start_ns + dur_ns) // 1000 - start_ns // 1000
            ns = dev_stats.node_stats.add(
                node_name=name, all_start_micros=start_us, op_start_rel_micros=0,
                op_end_rel_micros=dur_us, all_end_rel_micros=dur_us, scheduled_micros=start_us,
                all_start_nanos=start_ns, op_start_rel_nanos=0, op_end_rel_nanos=dur_ns,
                all_end_rel_nanos=dur_ns, scheduled_nanos=start_ns, thread_id=tid,
                timeline_label=label,
            )  # fmt: skip
            allocator = "cpu" if dev == CPU_DEVICE else "GPU_0_bfc"
            fresh = 0
            for slot, (dtype, desc) in enumerate(zip(dtypes, outs, strict=True)):
                output = ns.output.add(slot=slot)
                if desc is None:
                    continue
                shape, nbytes, ptr, storage = desc
                td = output.tensor_description
                td.dtype = dtype
                for d in shape:
                    td.shape.dim.add(size=d)
                ad = td.allocation_description
                ad.requested_bytes = ad.allocated_bytes = nbytes
                ad.allocator_name = allocator
                if ptr:
                    ad.ptr = ptr
                if nbytes and storage not in in_ptrs:
                    fresh += nbytes
                    allocation_id += 1
                    ad.allocation_id = allocation_id
            if fresh:
                ns.memory.add(allocator_name=allocator, total_bytes=fresh, peak_bytes=fresh,
                              live_bytes=fresh)  # fmt: skip
        run_metadata.step_stats.CopyFrom(stats)


def _describe(v: Any) -> tuple[tuple[int, ...], int, int, int] | None:
    """A value's (shape, bytes, data pointer, storage pointer), or None for a non-array value."""
    if isinstance(v, torch.Tensor):
        if v.layout != torch.strided:
            return tuple(v.shape), 0, 0, 0
        if not v.numel():
            return tuple(v.shape), 0, 0, 0
        return tuple(v.shape), v.numel() * v.element_size(), v.data_ptr(), _storage(v)
    if isinstance(v, np.ndarray):
        if not v.size:
            return v.shape, 0, 0, 0
        base = v
        while isinstance(base.base, np.ndarray):
            base = base.base
        return v.shape, v.nbytes, v.ctypes.data, base.ctypes.data
    return None


def _storage(t: torch.Tensor) -> int:
    try:
        return int(t.untyped_storage().data_ptr())
    except (RuntimeError, NotImplementedError):  # tensors without storage (functorch wrappers)
        return int(t.data_ptr())


def _pointers(args: tuple[Any, ...]) -> set[int]:
    """The storages of a kernel's tensor arguments (to tell new outputs from reused ones)."""
    return {_storage(a) for a in args if isinstance(a, torch.Tensor) and a.layout == torch.strided
            and a.numel()}  # fmt: skip


def traced_kernels(plan_globals: dict[str, Any]) -> list[str]:
    """The names of the traced kernels among a plan function's globals (for tests)."""
    return sorted(k for k, v in plan_globals.items() if getattr(v, "__wrapped__", None) is not None
                  and getattr(v, "__name__", "") == "traced")  # fmt: skip


__all__ = [
    "CPU_DEVICE",
    "StepTrace",
    "device_name",
    "node_input_names",
    "trace_requested",
    "traced_kernels",
]
