"""``timeline.Timeline``: TF's Chrome trace of a hand-made ``StepStats``, event by event.

The expected events follow TF 1.15's ``tensorflow/python/client/timeline.py``: lanes are the
first lane free strictly before an op's start (stored back into ``thread_id``), a flow arrow
joins a producer and a consumer on different lanes, a tensor lives from its producer's start
to its last consumer's end minus one microsecond, and the ``Memory`` counter sums the live
tensors of each allocator.
"""

from __future__ import annotations

import json

from scopeflow.graph.timeline import AllocationMaximum, Timeline
from scopeflow.protos import step_stats_pb2

DEV = "/job:localhost/replica:0/task:0/device:CPU:0"


def _stats() -> object:
    stats = step_stats_pb2.StepStats()
    dev = stats.dev_stats.add(device=DEV)
    for name, start, dur, label in (
        ("a", 10, 5, "a = Const()"),
        ("b", 12, 4, "b = Neg(a)"),
        ("c", 20, 1, "c = AddV2(a, b, ^a)"),
    ):
        ns = dev.node_stats.add(node_name=name, all_start_micros=start, all_end_rel_micros=dur,
                                timeline_label=label, thread_id=99)  # fmt: skip
        if name != "c":
            out = ns.output.add(slot=0)
            out.tensor_description.dtype = 1
            out.tensor_description.allocation_description.requested_bytes = 8
            out.tensor_description.allocation_description.allocator_name = "cpu"
    return stats


def _meta(name: str, pid: int) -> dict[str, object]:
    return {"name": "process_name", "ph": "M", "pid": pid, "args": {"name": name}}


def _op(name: str, op: str, ts: int, dur: int, tid: int, *inputs: str) -> dict[str, object]:
    args = {"name": name, "op": op, **{f"input{i}": n for i, n in enumerate(inputs)}}
    return {"ph": "X", "cat": "Op", "name": op, "pid": 1, "tid": tid, "ts": ts, "dur": dur,
            "args": args}  # fmt: skip


def _flow(ph: str, name: str, ts: int, tid: int, flow_id: int) -> dict[str, object]:
    return {"ph": ph, "cat": "DataFlow", "name": name, "pid": 1, "tid": tid, "ts": ts,
            "id": flow_id}  # fmt: skip


METADATA = [_meta("Allocators", 0), _meta(f"{DEV} Compute", 1), _meta(f"{DEV} Tensors", 2)]
COMPUTE = [
    _op("a", "Const", 10, 5, 0),
    _op("b", "Neg", 12, 4, 1, "a"),
    _flow("s", "a", 15, 0, 0),
    _flow("t", "a", 12, 1, 0),
    _op("c", "AddV2", 20, 1, 0, "a", "b", "^a"),
    _flow("s", "b", 16, 1, 1),
    _flow("t", "b", 20, 0, 1),
]


def test_ops_lanes_and_dataflow() -> None:
    stats = _stats()
    text = Timeline(stats).generate_chrome_trace_format()
    assert text.startswith('{\n    "traceEvents": [\n')  # indented as TF's
    assert json.loads(text) == {"traceEvents": METADATA + COMPUTE}
    # the lanes are written back into the caller's step stats, as TF's timeline does
    assert [ns.thread_id for ns in stats.dev_stats[0].node_stats] == [0, 1, 0]  # type: ignore[attr-defined]
    no_flows = json.loads(Timeline(_stats()).generate_chrome_trace_format(show_dataflow=False))
    assert no_flows["traceEvents"] == METADATA + [e for e in COMPUTE if e["ph"] == "X"]


def test_memory_objects_and_counters() -> None:
    tl = Timeline(_stats())
    analysis = tl.analyze_step_stats(show_dataflow=False, show_memory=True)
    events = json.loads(analysis.chrome_trace.format_to_string())["traceEvents"]
    kinds = [(e["ph"], e["name"], e["ts"]) for e in events if e["ph"] not in "MX"]
    assert kinds == [
        ("N", "a", 10), ("O", "a", 14), ("N", "b", 12), ("O", "b", 15),
        ("D", "a", 20), ("D", "b", 20),
        ("C", "cpu", 10), ("C", "cpu", 12), ("C", "cpu", 20), ("C", "cpu", 20),
    ]  # fmt: skip
    counters = [e["args"] for e in events if e["ph"] == "C"]
    assert counters == [{"cpu": 8}, {"cpu": 16}, {"cpu": 8}, {"cpu": 0}]
    snapshot = next(e for e in events if e["ph"] == "O")
    assert snapshot["args"] == {"snapshot": {"tensor_description": "dtype: DT_FLOAT\n"
                                             "allocation_description {\n  requested_bytes: 8\n"
                                             "  allocator_name: cpu\n}\n"}}  # fmt: skip
    assert [e["tid"] for e in events if e["ph"] in "NOD"] == [0, 0, 1, 1, 0, 0]
    assert analysis.allocator_maximums == {"cpu": AllocationMaximum(12, 16, {"a", "b"})}


def test_unparsable_labels_and_rpc_records() -> None:
    stats = step_stats_pb2.StepStats()
    dev = stats.dev_stats.add(device=DEV)
    dev.node_stats.add(node_name="x", all_start_micros=1, all_end_rel_micros=1, timeline_label="?")
    dev.node_stats.add(node_name="RecvTensor", all_start_micros=5, all_end_rel_micros=1)
    ops = [e for e in json.loads(Timeline(stats).generate_chrome_trace_format())["traceEvents"]
           if e["ph"] == "X"]  # fmt: skip
    assert [(e["name"], e["args"]) for e in ops] == [
        ("unknown", {"name": "x", "op": "unknown"}),
        ("RecvTensor", {"name": "RecvTensor", "op": "RecvTensor"}),
    ]
