"""``tensorflow.python.client.timeline``: a run's step stats as a Chrome trace (chrome://tracing).

``Timeline(run_metadata.step_stats).generate_chrome_trace_format()`` returns the JSON that TF's
timeline module writes, with the same events: a process (``"ph": "M"``) per allocator group
(``Allocators``) and per device (``<device> Compute`` for ops, ``<device> Tensors`` for
tensor objects); one complete event (``"ph": "X"``, category ``Op``) per ``NodeExecStats``,
named by the op type parsed from its ``timeline_label`` (``name = Type(in0, in1)``) with the
node name and inputs as ``args``; with ``show_dataflow``, flow start/end events (``s``/``t``,
category ``DataFlow``) from a tensor's producer to a consumer on another lane; with
``show_memory``, tensor objects (``N`` created, ``O`` snapshot of its ``tensor_description``,
``D`` deleted) and a ``Memory`` counter (``C``) per allocator, whose peak
``analyze_step_stats`` returns as ``allocator_maximums``.

As TF's does, the timeline lays the ops of each device out on lanes (the first lane free at an
op's start) and stores the lane in each ``NodeExecStats.thread_id`` of the step stats it was
given (with ``op_time="schedule"``, the default, those are the caller's).

Must not import ``scopeflow.ops`` or any layer above ``graph``.

>>> from scopeflow.protos import step_stats_pb2
>>> stats = step_stats_pb2.StepStats()
>>> dev = stats.dev_stats.add(device="/job:localhost/replica:0/task:0/device:CPU:0")
>>> _ = dev.node_stats.add(node_name="a", all_start_micros=10, all_end_rel_micros=5,
...                        timeline_label="a = Const()")
>>> import json
>>> trace = json.loads(Timeline(stats).generate_chrome_trace_format())
>>> [(e["ph"], e["name"]) for e in trace["traceEvents"]]
[('M', 'process_name'), ('M', 'process_name'), ('M', 'process_name'), ('X', 'Const')]
"""

from __future__ import annotations

import collections
import copy
import json
import re
from typing import Any

AllocationMaximum = collections.namedtuple(
    "AllocationMaximum", ("timestamp", "num_bytes", "tensors")
)
AllocationMaximum.__doc__ = """An allocator's peak: when (``timestamp``), bytes, tensors live."""

StepStatsAnalysis = collections.namedtuple(
    "StepStatsAnalysis", ("chrome_trace", "allocator_maximums")
)
StepStatsAnalysis.__doc__ = """The trace (a ``_ChromeTraceFormatter``) and each allocator's peak."""

_LABEL = re.compile(r"(.*) = (.*)\((.*)\)")


class _ChromeTraceFormatter:
    """Collects Chrome trace events (catapult's trace event format) and writes them as JSON."""

    def __init__(self, show_memory: bool = False) -> None:
        self._show_memory = show_memory
        self._events: list[dict[str, Any]] = []
        self._metadata: list[dict[str, Any]] = []

    def _create_event(self, ph: str, category: str, name: str, pid: int, tid: int,
                      timestamp: int) -> dict[str, Any]:  # fmt: skip
        return {"ph": ph, "cat": category, "name": name, "pid": pid, "tid": tid, "ts": timestamp}

    def emit_pid(self, name: str, pid: int) -> None:
        """Names a process (a metadata event)."""
        self._metadata.append({"name": "process_name", "ph": "M", "pid": pid,
                               "args": {"name": name}})  # fmt: skip

    def emit_tid(self, name: str, pid: int, tid: int) -> None:
        """Names a thread of a process (a metadata event)."""
        self._metadata.append({"name": "thread_name", "ph": "M", "pid": pid, "tid": tid,
                               "args": {"name": name}})  # fmt: skip

    def emit_region(self, timestamp: int, duration: int, pid: int, tid: int, category: str,
                    name: str, args: dict[str, Any]) -> None:  # fmt: skip
        """A complete event: ``duration`` microseconds from ``timestamp``."""
        event = self._create_event("X", category, name, pid, tid, timestamp)
        event["dur"] = duration
        event["args"] = args
        self._events.append(event)

    def emit_obj_create(self, category: str, name: str, timestamp: int, pid: int, tid: int,
                        object_id: int) -> None:  # fmt: skip
        """An object's creation."""
        self._object("N", category, name, timestamp, pid, tid, object_id)

    def emit_obj_delete(self, category: str, name: str, timestamp: int, pid: int, tid: int,
                        object_id: int) -> None:  # fmt: skip
        """An object's deletion."""
        self._object("D", category, name, timestamp, pid, tid, object_id)

    def emit_obj_snapshot(self, category: str, name: str, timestamp: int, pid: int, tid: int,
                          object_id: int, snapshot: dict[str, Any]) -> None:  # fmt: skip
        """An object's state at ``timestamp``."""
        self._object("O", category, name, timestamp, pid, tid, object_id)
        self._events[-1]["args"] = {"snapshot": snapshot}

    def _object(self, ph: str, category: str, name: str, timestamp: int, pid: int, tid: int,
                object_id: int) -> None:  # fmt: skip
        event = self._create_event(ph, category, name, pid, tid, timestamp)
        event["id"] = object_id
        self._events.append(event)

    def emit_flow_start(self, name: str, timestamp: int, pid: int, tid: int,
                        flow_id: int) -> None:  # fmt: skip
        """The start of an arrow (to the ``emit_flow_end`` with the same ``flow_id``)."""
        self._object("s", "DataFlow", name, timestamp, pid, tid, flow_id)

    def emit_flow_end(self, name: str, timestamp: int, pid: int, tid: int,
                      flow_id: int) -> None:  # fmt: skip
        """The end of an arrow."""
        self._object("t", "DataFlow", name, timestamp, pid, tid, flow_id)

    def emit_counter(self, category: str, name: str, pid: int, timestamp: int, counter: str,
                     value: int) -> None:  # fmt: skip
        """One counter's value at ``timestamp``."""
        self.emit_counters(category, name, pid, timestamp, {counter: value})

    def emit_counters(self, category: str, name: str, pid: int, timestamp: int,
                      counters: dict[str, Any]) -> None:  # fmt: skip
        """Several counters' values at ``timestamp``."""
        event = self._create_event("C", category, name, pid, 0, timestamp)
        event["args"] = dict(counters)
        self._events.append(event)

    def format_to_string(self, pretty: bool = False) -> str:
        """The trace as JSON: ``{"traceEvents": [metadata..., events...]}``."""
        trace = {"traceEvents": self._metadata + self._events}
        if pretty:
            return json.dumps(trace, indent=4, separators=(",", ": "))
        return json.dumps(trace, separators=(",", ":"))


class _TensorTracker:
    """A tensor's lifetime in the trace: creation, references and releases."""

    def __init__(self, name: str, object_id: int, timestamp: int, pid: int, allocator: str,
                 num_bytes: int) -> None:  # fmt: skip
        self.name, self.object_id, self.pid = name, object_id, pid
        self.create_time, self.allocator, self.num_bytes = timestamp, allocator, num_bytes
        self._ref_times: list[int] = []
        self._unref_times: list[int] = []

    @property
    def last_unref(self) -> int:
        """When the tensor was last released."""
        return max(self._unref_times)

    def add_ref(self, timestamp: int) -> None:
        """Notes a reference at ``timestamp``."""
        self._ref_times.append(timestamp)

    def add_unref(self, timestamp: int) -> None:
        """Notes a release at ``timestamp``."""
        self._unref_times.append(timestamp)


class Timeline:
    """The execution of one step (a ``StepStats``) as a Chrome trace; not thread safe.

    Args:
        step_stats: the ``StepStats`` of a traced run (``run_metadata.step_stats``).
        graph: the executed ``Graph`` (optional; unused, as in TF).
    """

    def __init__(self, step_stats: Any, graph: Any = None) -> None:
        self._origin_step_stats = step_stats
        self._step_stats: Any = None
        self._graph = graph
        self._chrome_trace = _ChromeTraceFormatter()
        self._next_pid = 0
        self._next_flow_id = 0
        self._allocators_pid = -1
        self._device_pids: dict[str, int] = {}
        self._tensor_pids: dict[str, int] = {}
        self._tensors: dict[str, _TensorTracker] = {}
        self._flow_starts: dict[str, tuple[int, int, int]] = {}
        self._allocator_maximums: dict[str, AllocationMaximum] = {}

    def _alloc_pid(self) -> int:
        self._next_pid += 1
        return self._next_pid - 1

    def _alloc_flow_id(self) -> int:
        self._next_flow_id += 1
        return self._next_flow_id - 1

    @staticmethod
    def _parse_op_label(label: str) -> tuple[str, str, list[str]]:
        """``(name, op, inputs)`` of a label ``name = op(in0, in1)``."""
        m = _LABEL.match(label)
        if m is None:
            return "unknown", "unknown", []
        name, op, inputs = m.groups()
        return name, op, inputs.split(", ") if inputs else []

    @staticmethod
    def _parse_kernel_label(label: str, node_name: str) -> tuple[str, str]:
        """``(name, op)`` of a GPU tracer's kernel record (``...@@name:op#...``)."""
        at, hash_ = label.find("@@"), label.find("#")
        if at >= 0 and hash_ >= 0 and at + 2 < hash_:
            node_name = label[at + 2 : hash_]
        name, op = [*node_name.split(":"), "unknown"][:2]
        return name, op

    @staticmethod
    def _is_gputrace_device(device_name: str) -> bool:
        return "/stream:" in device_name or "/memcpy" in device_name

    def _assign_lanes(self) -> None:
        """Puts each device's ops on lanes that never overlap (stored as ``thread_id``)."""
        for dev_stats in self._step_stats.dev_stats:
            lane_ends = [0]
            for ns in dev_stats.node_stats:
                start = ns.all_start_micros
                lane = next((i for i, end in enumerate(lane_ends) if start > end), None)
                if lane is None:
                    lane = len(lane_ends)
                    lane_ends.append(0)
                lane_ends[lane] = start + ns.all_end_rel_micros
                ns.thread_id = lane

    def _allocate_pids(self) -> None:
        self._allocators_pid = self._alloc_pid()
        self._chrome_trace.emit_pid("Allocators", self._allocators_pid)
        for dev_stats in self._step_stats.dev_stats:
            device = dev_stats.device
            self._device_pids[device] = self._alloc_pid()
            self._tensor_pids[device] = self._alloc_pid()
            self._chrome_trace.emit_pid(f"{device} Compute", self._device_pids[device])
            self._chrome_trace.emit_pid(f"{device} Tensors", self._tensor_pids[device])

    def _emit_op(self, nodestats: Any, pid: int, is_gputrace: bool) -> None:
        node_name = nodestats.node_name
        inputs: list[str] = []
        if is_gputrace:
            node_name, op = self._parse_kernel_label(nodestats.timeline_label, node_name)
        elif node_name == "RecvTensor":
            op = "RecvTensor"  # RPC records carry no op label
        else:
            _, op, inputs = self._parse_op_label(nodestats.timeline_label)
        args: dict[str, Any] = {"name": node_name, "op": op}
        args.update((f"input{i}", name) for i, name in enumerate(inputs))
        self._chrome_trace.emit_region(nodestats.all_start_micros, nodestats.all_end_rel_micros,
                                       pid, nodestats.thread_id, "Op", op, args)  # fmt: skip

    def _analyze_tensors(self, show_memory: bool) -> None:
        """A tracker per op output (``name`` for slot 0, ``name:k`` after), produced at the op."""
        for dev_stats in self._step_stats.dev_stats:
            device_pid = self._device_pids[dev_stats.device]
            tensors_pid = self._tensor_pids[dev_stats.device]
            for ns in dev_stats.node_stats:
                tid = ns.thread_id
                start = ns.all_start_micros
                end = start + ns.all_end_rel_micros
                for k, output in enumerate(ns.output):
                    name = f"{ns.node_name}:{k}" if k else ns.node_name
                    alloc = output.tensor_description.allocation_description
                    tensor = _TensorTracker(
                        name, len(self._tensors), start, tensors_pid, alloc.allocator_name,
                        alloc.requested_bytes,
                    )  # fmt: skip
                    self._tensors[name] = tensor
                    tensor.add_ref(start)
                    tensor.add_unref(end)
                    self._flow_starts[name] = (end, device_pid, tid)
                    if show_memory:
                        trace = self._chrome_trace
                        trace.emit_obj_create("Tensor", name, start, tensors_pid, tid,
                                              tensor.object_id)  # fmt: skip
                        description = str(output.tensor_description).replace('"', "")
                        trace.emit_obj_snapshot("Tensor", name, end - 1, tensors_pid, tid,
                                                tensor.object_id,
                                                {"tensor_description": description})  # fmt: skip

    def _show_compute(self, show_dataflow: bool) -> None:
        """The op events, and arrows from each input's producer when it ran on another lane."""
        for dev_stats in self._step_stats.dev_stats:
            device_pid = self._device_pids[dev_stats.device]
            is_gputrace = self._is_gputrace_device(dev_stats.device)
            for ns in dev_stats.node_stats:
                tid = ns.thread_id
                start = ns.all_start_micros
                end = start + ns.all_end_rel_micros
                self._emit_op(ns, device_pid, is_gputrace)
                if is_gputrace or ns.node_name == "RecvTensor":
                    continue
                for name in self._parse_op_label(ns.timeline_label)[2]:
                    if name not in self._tensors:
                        # An input through a partition's Send/Recv pair: the original node.
                        cut = name.rfind("/_")
                        if cut > 0:
                            name = name[:cut]  # noqa: PLW2901
                    tensor = self._tensors.get(name)
                    if tensor is None:
                        continue  # a control input, or a tensor no record produced
                    tensor.add_ref(start)
                    tensor.add_unref(end - 1)
                    if not show_dataflow:
                        continue
                    made_at, made_pid, made_tid = self._flow_starts[name]
                    if (made_pid, made_tid) != (device_pid, tid):
                        flow_id = self._alloc_flow_id()
                        self._chrome_trace.emit_flow_start(name, made_at, made_pid, made_tid,
                                                           flow_id)  # fmt: skip
                        self._chrome_trace.emit_flow_end(name, start, device_pid, tid, flow_id)

    def _show_memory_counters(self) -> None:
        """Deletion events, and each allocator's bytes in use over time (and its peak)."""
        per_allocator: dict[str, list[tuple[int, int, str]]] = {}
        for name, tensor in self._tensors.items():
            self._chrome_trace.emit_obj_delete("Tensor", name, tensor.last_unref, tensor.pid, 0,
                                               tensor.object_id)  # fmt: skip
            changes = per_allocator.setdefault(tensor.allocator, [])
            changes.append((tensor.create_time, tensor.num_bytes, name))
            changes.append((tensor.last_unref, -tensor.num_bytes, name))
        maximums: dict[str, AllocationMaximum] = {}
        for allocator, changes in per_allocator.items():
            changes.sort()
            total = 0
            live: set[str] = set()
            maximums[allocator] = AllocationMaximum(timestamp=0, num_bytes=0, tensors=set())
            for when, num_bytes, name in changes:
                total += num_bytes
                if num_bytes < 0:
                    live.discard(name)
                else:
                    live.add(name)
                if total > maximums[allocator].num_bytes:
                    maximums[allocator] = AllocationMaximum(when, total, set(live))
                self._chrome_trace.emit_counter("Memory", allocator, self._allocators_pid, when,
                                                allocator, total)  # fmt: skip
        self._allocator_maximums = maximums

    def _preprocess_op_time(self, op_time: str) -> None:
        """With ``"gpu"``/``"all"``, stretches ops over their GPU kernels' records (a copy)."""
        if op_time == "schedule":
            self._step_stats = self._origin_step_stats
            return
        self._step_stats = copy.deepcopy(self._origin_step_stats)
        kernel_spans: dict[str, tuple[int, int]] = {}
        for dev_stats in self._step_stats.dev_stats:
            if "/stream:all" not in dev_stats.device:
                continue
            for kernel in dev_stats.node_stats:
                name, _ = self._parse_kernel_label(kernel.timeline_label, kernel.node_name)
                start = kernel.all_start_micros
                end = start + kernel.all_end_rel_micros
                lo, hi = kernel_spans.get(name, (start, end))
                kernel_spans[name] = (min(lo, start), max(hi, end))
        for dev_stats in self._step_stats.dev_stats:
            if "/stream:all" in dev_stats.device or "/job" not in dev_stats.device:
                continue
            for ns in dev_stats.node_stats:
                span = kernel_spans.get(ns.node_name)
                if span is None:
                    continue
                end = max(span[1], ns.all_start_micros + ns.all_end_rel_micros)
                if op_time == "gpu":
                    ns.all_start_micros = span[0]
                ns.all_end_rel_micros = end - ns.all_start_micros

    def analyze_step_stats(self, show_dataflow: bool = True, show_memory: bool = True,
                           op_time: str = "schedule") -> StepStatsAnalysis:  # fmt: skip
        """The trace and the allocators' peaks (see ``generate_chrome_trace_format``)."""
        self._preprocess_op_time(op_time)
        self._allocate_pids()
        self._assign_lanes()
        self._analyze_tensors(show_memory)
        self._show_compute(show_dataflow)
        if show_memory:
            self._show_memory_counters()
        return StepStatsAnalysis(self._chrome_trace, self._allocator_maximums)

    def generate_chrome_trace_format(self, show_dataflow: bool = True, show_memory: bool = False,
                                     op_time: str = "schedule") -> str:  # fmt: skip
        """The step as Chrome trace JSON (indented), for chrome://tracing or Perfetto.

        Args:
            show_dataflow: add arrows from each tensor's producer to its consumers.
            show_memory: add tensor objects and each allocator's memory counter.
            op_time: ``"schedule"`` (the recorded times), ``"gpu"`` (ops span their GPU
                kernels) or ``"all"`` (from the op's start to its last kernel's end).
        """
        analysis = self.analyze_step_stats(show_dataflow, show_memory, op_time)
        return analysis.chrome_trace.format_to_string(pretty=True)  # type: ignore[no-any-return]


__all__ = ["AllocationMaximum", "StepStatsAnalysis", "Timeline"]
