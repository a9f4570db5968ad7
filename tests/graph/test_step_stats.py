"""Traced runs (``RunOptions.trace_level``) fill ``RunMetadata.step_stats`` as TF does.

``golden/tf_timeline.json`` is recorded from TensorFlow by ``tools/record_tf_timeline.py``: the
fields TF fills and the key structure of its Chrome trace (values such as times differ).
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.graph.step_stats import CPU_DEVICE, traced_kernels
from scopeflow.graph.timeline import Timeline


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


GOLDEN = json.loads((Path(__file__).parent / "golden" / "tf_timeline.json").read_text())
FULL = tf.RunOptions.FULL_TRACE


def _model():  # type: ignore[no-untyped-def]
    """The recorder's graph: ``s = sum(x @ w + 1)``."""
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    w = tf.Variable(np.ones((3, 4), np.float32), name="w")
    y = tf.matmul(x, w, name="y")
    z = tf.add(y, 1.0, name="z")
    s = tf.reduce_sum(z, name="s")
    return x, w, s


def _ancestors(t, fed) -> set[str]:  # type: ignore[no-untyped-def]
    seen: set[str] = set()
    stack = [t.op]
    while stack:
        op = stack.pop()
        if op.name in seen:
            continue
        seen.add(op.name)
        stack.extend(i.op for i in op.inputs if i not in fed)
        stack.extend(op.control_inputs)
    return seen


def _traced_run(sess, fetch, feed, level=FULL):  # type: ignore[no-untyped-def]
    md = tf.RunMetadata()
    value = sess.run(fetch, feed, options=tf.RunOptions(trace_level=level), run_metadata=md)
    return value, md


def test_traced_run_lists_every_executed_op_once_with_tf_fields() -> None:
    x, w, s = _model()
    feed = {x: np.ones((2, 3), np.float32)}
    with tf.Session() as sess:
        sess.run(w.initializer)
        before = time.time()
        value, md = _traced_run(sess, s, feed)
        after = time.time()
        assert value == sess.run(s, feed) == 32.0
    assert [d.device for d in md.step_stats.dev_stats] == [CPU_DEVICE] == GOLDEN["devices"]
    stats = md.step_stats.dev_stats[0].node_stats
    names = [ns.node_name for ns in stats]
    assert len(names) == len(set(names))
    assert set(names) == _ancestors(s, {x})
    tf_ops = {n for n in GOLDEN["all_node_names"] if not n.startswith("_")}
    assert {"y", "z", "s"} <= tf_ops & set(names)
    main = threading.get_native_id()
    for ns in stats:
        assert ns.all_end_rel_micros >= ns.op_end_rel_micros >= ns.op_start_rel_micros >= 0
        assert int(before * 1e6) - 1 <= ns.all_start_micros <= int(after * 1e6) + 1
        assert ns.all_start_nanos // 1000 == ns.all_start_micros
        assert ns.thread_id == main  # no branch of this plan runs on a region worker
    fields = {f.name for ns in stats for f, _ in ns.ListFields()}
    # TF's fields, less the ones scopeflow leaves at their default: ``op_start_rel_*`` (the
    # kernel starts when the step does) and ``memory_stats`` (temporaries are not seen).
    zero = {"op_start_rel_micros", "op_start_rel_nanos", "memory_stats"}
    assert set(GOLDEN["node_stats_fields"]) - zero <= fields
    assert fields <= set(GOLDEN["node_stats_fields"]) | {"thread_id"}  # TF 2 leaves it 0
    by_name = {ns.node_name: ns for ns in stats}
    # TF's label: ``name = Type(inputs)`` with the NodeDef's input names (TF 2's oneDNN build
    # runs MatMul as _MklMatMul and feeds x through an _Arg node)
    labels = {n: ns.timeline_label for n, ns in by_name.items()}
    assert labels == {**GOLDEN["graph_op_labels"], "y": "y = MatMul(x, w/read)"}
    out = by_name["y"].output[0]
    assert out.slot == 0
    assert out.tensor_description.dtype == tf.float32.as_datatype_enum
    assert [d.size for d in out.tensor_description.shape.dim] == [2, 4]
    alloc = out.tensor_description.allocation_description
    assert alloc.requested_bytes == alloc.allocated_bytes == 2 * 4 * 4
    assert alloc.allocator_name == "cpu"
    assert {f.name for f, _ in out.ListFields()} == set(GOLDEN["output_fields"])
    assert by_name["y"].memory[0].total_bytes == 32


def test_untraced_plan_is_untouched_and_cached_apart() -> None:
    x, w, s = _model()
    feed = {x: np.ones((2, 3), np.float32)}
    with tf.Session() as sess:
        sess.run(w.initializer)
        sess.run(s, feed)
        (plain,) = [p for p in sess._plans.values() if p.fetch_elements == [s]]
        md = tf.RunMetadata()
        sess.run(s, feed, run_metadata=md)  # no trace level: nothing recorded
        sess.run(s, feed, options=tf.RunOptions(), run_metadata=md)
        sess.run(s, feed, options=tf.RunOptions(trace_level=FULL))  # no run_metadata
        assert not md.HasField("step_stats")
        assert [p for p in sess._plans.values() if p.fetch_elements == [s]] == [plain]
        _traced_run(sess, s, feed, tf.RunOptions.SOFTWARE_TRACE)
        plans = [p for p in sess._plans.values() if p.fetch_elements == [s]]
    assert len(plans) == 2
    traced = plans[1]
    assert plain.trace is None
    assert traced.trace is not None
    assert traced.source == plain.source  # the same generated code
    assert traced_kernels(plain.fn.__globals__) == []
    assert traced_kernels(traced.fn.__globals__) == sorted(
        k for k in plain.fn.__globals__ if k.startswith("k") and k[1:].isdigit()
    )


def test_metadata_is_replaced_each_run_and_partition_graphs_on_request() -> None:
    x, w, s = _model()
    feed = {x: np.ones((2, 3), np.float32)}
    with tf.Session() as sess:
        sess.run(w.initializer)
        md = tf.RunMetadata()
        opts = tf.RunOptions(trace_level=FULL, output_partition_graphs=True)
        for _ in range(2):
            sess.run(s, feed, options=opts, run_metadata=md)
        n = len(md.step_stats.dev_stats[0].node_stats)
        assert n == len(_ancestors(s, {x}))
        (graph_def,) = md.partition_graphs
        assert sorted(n.name for n in graph_def.node) == sorted(_ancestors(s, {x}))
        call = sess.make_callable(s, [x])
        md2 = tf.RunMetadata()
        assert call(np.ones((2, 3), np.float32), options=opts, run_metadata=md2) == 32.0
        assert len(md2.step_stats.dev_stats[0].node_stats) == n
        with pytest.raises(TypeError, match=r"must be a tf\.RunMetadata proto"):
            sess.run(s, feed, options=opts, run_metadata=object())


def test_region_workers_record_their_own_threads() -> None:
    # An inception-like module: towers that the plan runs side by side (see test_interop).
    n_threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        x = tf.placeholder(tf.float32, [None, 32, 32, 16], name="x")
        rng = np.random.RandomState(0)

        def conv(t, cin, cout, k, name):  # type: ignore[no-untyped-def]
            w = tf.constant(rng.randn(k, k, cin, cout).astype(np.float32) * 0.1)
            return tf.nn.relu(tf.nn.conv2d(t, w, [1, 1, 1, 1], "SAME", name=name))

        towers = [conv(x, 16, 16, 1, "b0"), conv(conv(x, 16, 12, 1, "b1a"), 12, 16, 5, "b1b"),
                  conv(conv(x, 16, 16, 1, "b2a"), 16, 24, 3, "b2b")]  # fmt: skip
        out = tf.reduce_mean(tf.concat(towers, 3), [1, 2])
        feed = {x: rng.uniform(-1, 1, [2, 32, 32, 16]).astype(np.float32)}
        with tf.Session() as sess:
            expected = sess.run(out, feed)
            value, md = _traced_run(sess, out, feed)
            (traced,) = [p for p in sess._plans.values() if p.trace is not None]
    finally:
        torch.set_num_threads(n_threads)
    np.testing.assert_array_equal(value, expected)
    assert traced.regions >= 1
    stats = md.step_stats.dev_stats[0].node_stats
    assert len({ns.node_name for ns in stats}) == len(stats)
    threads = {ns.node_name.split("/")[0]: ns.thread_id for ns in stats}
    assert len(set(threads.values())) >= 2  # the towers ran on the pool's workers


def test_chrome_trace_has_tf_event_kinds_and_keys() -> None:
    x, w, s = _model()
    feed = {x: np.ones((2, 3), np.float32)}
    with tf.Session() as sess:
        sess.run(w.initializer)
        _, md = _traced_run(sess, s, feed)
    for flags in ((True, False), (True, True), (False, False)):
        tf_structure = GOLDEN[f"trace_dataflow={flags[0]}_memory={flags[1]}"]
        copy = tf.RunMetadata.FromString(md.SerializeToString())
        trace = json.loads(Timeline(copy.step_stats).generate_chrome_trace_format(*flags))
        ours = _structure(trace)
        assert ours["processes"] == tf_structure["processes"]
        assert set(ours["kinds"]) - {"s", "t"} == set(tf_structure["kinds"]) - {"s", "t"}
        for ph, spec in ours["kinds"].items():
            if ph in tf_structure["kinds"]:
                assert spec == tf_structure["kinds"][ph], ph
    ops = [e for e in trace["traceEvents"] if e["ph"] == "X"]
    assert sorted(e["args"]["name"] for e in ops) == sorted(_ancestors(s, {x}))
    y = next(e for e in ops if e["args"]["name"] == "y")
    args = {"name": "y", "op": "MatMul", "input0": "x", "input1": "w/read"}
    assert (y["name"], y["cat"], y["args"]) == ("MatMul", "Op", args)


def _structure(trace):  # type: ignore[no-untyped-def]
    """As ``tools/record_tf_timeline.py`` summarizes TF's trace."""
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
