"""Record the structure of TensorFlow's traced-run metadata and Chrome trace (needs TensorFlow).

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_tf_timeline.py

Runs a small graph (a fed placeholder, a variable, ``MatMul``, ``Add``, ``Sum``) once with
``RunOptions(trace_level=FULL_TRACE)`` and writes ``tests/graph/golden/tf_timeline.json``: the
device names of ``run_metadata.step_stats``, the ``NodeExecStats`` fields TF fills (and those of
its ``output``/``memory`` entries), the graph ops it lists with their ``timeline_label``, and,
for ``Timeline(step_stats).generate_chrome_trace_format(show_dataflow, show_memory)``, the keys
of each event kind (``ph``), the keys of their ``args`` and the process names. Values (times,
pointers, thread ids) differ from run to run and are not recorded. It also records what a
``FileWriter.add_run_metadata`` event file holds, read back with TF's ``summary_iterator``.
``tests/graph/test_step_stats.py`` compares scopeflow's with it.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.client import timeline

tf.disable_eager_execution()
tf.disable_resource_variables()
tf.disable_v2_behavior()

OUT = Path(__file__).resolve().parent.parent / "tests" / "graph" / "golden" / "tf_timeline.json"


def _fields(message) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(f.name for f, _ in message.ListFields())


def _trace_structure(trace: dict) -> dict:  # type: ignore[type-arg]
    kinds: dict[str, dict[str, list[str]]] = {}
    for e in trace["traceEvents"]:
        k = kinds.setdefault(e["ph"], {"keys": [], "args": [], "cat": []})
        k["keys"] = sorted(set(k["keys"]) | set(e))
        if isinstance(e.get("args"), dict):
            arg_keys = {"input<i>" if a.startswith("input") else a for a in e["args"]}
            if e["ph"] == "C":
                arg_keys = {"<allocator>"}
            k["args"] = sorted(set(k["args"]) | arg_keys)
        if "cat" in e:
            k["cat"] = sorted(set(k["cat"]) | {e["cat"]})
    processes = sorted(
        e["args"]["name"] for e in trace["traceEvents"] if e.get("name") == "process_name"
    )
    return {"kinds": kinds, "processes": processes}


def main() -> None:
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    w = tf.Variable(np.ones((3, 4), np.float32), name="w")
    y = tf.matmul(x, w, name="y")
    z = tf.add(y, 1.0, name="z")
    s = tf.reduce_sum(z, name="s")
    out: dict[str, object] = {}
    with tf.Session() as sess:
        sess.run(w.initializer)
        opts = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
        md = tf.RunMetadata()
        sess.run(s, {x: np.ones((2, 3), np.float32)}, options=opts, run_metadata=md)
    graph_ops = {op.name for op in tf.get_default_graph().get_operations()}
    out["run_metadata_fields"] = _fields(md)
    out["devices"] = [d.device for d in md.step_stats.dev_stats]
    node_fields: set[str] = set()
    output_fields: set[str] = set()
    description_fields: set[str] = set()
    allocation_fields: set[str] = set()
    memory_fields: set[str] = set()
    allocators: set[str] = set()
    labels = {}
    for dev in md.step_stats.dev_stats:
        for ns in dev.node_stats:
            node_fields.update(_fields(ns))
            for o in ns.output:
                output_fields.update(_fields(o))
                description_fields.update(_fields(o.tensor_description))
                allocation_fields.update(_fields(o.tensor_description.allocation_description))
            for m in ns.memory:
                memory_fields.update(_fields(m))
                allocators.add(m.allocator_name)
            if ns.node_name in graph_ops:
                labels[ns.node_name] = ns.timeline_label
    out["node_stats_fields"] = sorted(node_fields)
    out["output_fields"] = sorted(output_fields)
    out["tensor_description_fields"] = sorted(description_fields)
    out["allocation_description_fields"] = sorted(allocation_fields)
    out["memory_fields"] = sorted(memory_fields)
    out["allocators"] = sorted(allocators)
    out["graph_op_labels"] = dict(sorted(labels.items()))
    out["all_node_names"] = sorted(
        ns.node_name for dev in md.step_stats.dev_stats for ns in dev.node_stats
    )
    for show_dataflow, show_memory in ((True, False), (True, True), (False, False)):
        tl = timeline.Timeline(tf.RunMetadata.FromString(md.SerializeToString()).step_stats)
        trace = json.loads(tl.generate_chrome_trace_format(show_dataflow, show_memory))
        out[f"trace_dataflow={show_dataflow}_memory={show_memory}"] = _trace_structure(trace)
    with tempfile.TemporaryDirectory() as d:
        with tf.summary.FileWriter(d) as writer:
            writer.add_run_metadata(md, "step0", global_step=7)
        (path,) = Path(d).iterdir()
        events = []
        for e in tf.train.summary_iterator(str(path)):
            item: dict[str, object] = {"kind": e.WhichOneof("what"), "step": e.step}
            if e.HasField("tagged_run_metadata"):
                item["tag"] = e.tagged_run_metadata.tag
                back = tf.RunMetadata.FromString(e.tagged_run_metadata.run_metadata)
                item["round_trip"] = back == md
            events.append(item)
        out["add_run_metadata_events"] = events
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(OUT, len(out["all_node_names"]))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
