"""Traced runs and ``tensorflow.python.client.timeline``: what matches TensorFlow exactly.

The Chrome trace of a hand-made ``StepStats`` is compared character for character (lanes,
flows, tensor objects, memory counters, ``op_time`` with GPU kernel records). Of a traced
``Session.run`` only what does not depend on timing is compared: the device, and the graph
ops' names, labels (op type and inputs) and output descriptions. (TF also lists its internal
``_SOURCE``, ``_Arg`` and ``_Retval`` nodes, which scopeflow's plans do not have.)
"""

import importlib

import numpy as np

CPU = "/job:localhost/replica:0/task:0/device:CPU:0"


def _timeline(tf):
    """The ``timeline`` module of the implementation under test."""
    if tf.__name__.startswith("scopeflow"):
        return importlib.import_module("scopeflow.graph.timeline")
    return importlib.import_module("tensorflow.python.client.timeline")


def _node(dev, name, start, dur, label, out_bytes=(), allocator="cpu"):
    ns = dev.node_stats.add(node_name=name, all_start_micros=start, all_end_rel_micros=dur,
                            timeline_label=label, thread_id=7)  # fmt: skip
    for slot, n in enumerate(out_bytes):
        out = ns.output.add(slot=slot)
        td = out.tensor_description
        td.dtype = 1
        td.shape.dim.add(size=n // 4)
        td.allocation_description.requested_bytes = n
        td.allocation_description.allocator_name = allocator
    return ns


def _step_stats(tf):
    md = tf.RunMetadata()
    dev = md.step_stats.dev_stats.add(device=CPU)
    _node(dev, "a", 100, 10, "a = Const()", [16])
    _node(dev, "b", 105, 10, "b = Split(a)", [8, 8])
    _node(dev, "c", 111, 3, "c = Neg(b:1)", [8])
    _node(dev, "d", 120, 2, "[cpu 0.1MB 0.1MB] d = AddN(b, c, a/_3, missing, ^a)", [8])
    _node(dev, "RecvTensor", 130, 1, "", [])
    gpu = md.step_stats.dev_stats.add(device="/job:localhost/replica:0/task:0/device:GPU:0")
    _node(gpu, "g", 101, 4, "g = MatMul(a, a)", [32], "GPU_0_bfc")
    stream = md.step_stats.dev_stats.add(device="/device:GPU:0/stream:all Compute")
    _node(stream, "g:MatMul", 103, 9, "sgemm @@g:MatMul#id=1#")
    _node(stream, "g:MatMul", 99, 1, "other @@g:MatMul#id=2#")
    return md


def case_chrome_trace_of_handmade_step_stats(tf, show):
    timeline = _timeline(tf)
    for dataflow, memory in ((True, False), (False, False), (True, True)):
        md = _step_stats(tf)
        text = timeline.Timeline(md.step_stats).generate_chrome_trace_format(dataflow, memory)
        print(text)
        show([ns.thread_id for d in md.step_stats.dev_stats for ns in d.node_stats])


def case_allocator_maximums_and_compact_json(tf, show):
    timeline = _timeline(tf)
    analysis = timeline.Timeline(_step_stats(tf).step_stats).analyze_step_stats()
    for name, maximum in sorted(analysis.allocator_maximums.items()):
        show(name, maximum.timestamp, maximum.num_bytes, sorted(maximum.tensors))
    print(analysis.chrome_trace.format_to_string())


def case_op_time_gpu_and_all(tf, show):
    timeline = _timeline(tf)
    for op_time in ("gpu", "all"):
        md = _step_stats(tf)
        text = timeline.Timeline(md.step_stats).generate_chrome_trace_format(op_time=op_time)
        print(text)
        # the caller's step stats keep their times (the timeline worked on a copy)
        show([ns.all_start_micros for d in md.step_stats.dev_stats for ns in d.node_stats])


def case_run_options_and_metadata(tf, show):
    show(tf.RunOptions.NO_TRACE, tf.RunOptions.SOFTWARE_TRACE, tf.RunOptions.HARDWARE_TRACE,
         tf.RunOptions.FULL_TRACE)  # fmt: skip
    md = tf.RunMetadata()
    show(type(md).DESCRIPTOR.full_name, sorted(f.name for f in type(md).DESCRIPTOR.fields))
    show(md.step_stats.DESCRIPTOR.full_name, len(md.step_stats.dev_stats))


def case_traced_run_of_a_small_graph(tf, show):
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    w = tf.Variable(np.arange(12, dtype=np.float32).reshape(3, 4), name="w")
    y = tf.matmul(x, w, name="y")
    z = tf.nn.relu(y - 20.0, name="z")
    s = tf.reduce_sum(z, 1, name="s")
    graph_ops = {op.name for op in tf.get_default_graph().get_operations()}
    with tf.Session() as sess:
        sess.run(w.initializer)
        md = tf.RunMetadata()
        opts = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
        value = sess.run(s, {x: np.ones((2, 3), np.float32)}, options=opts, run_metadata=md)
        show(value)
        untraced = tf.RunMetadata()
        sess.run(s, {x: np.ones((2, 3), np.float32)}, run_metadata=untraced)
        show(untraced.HasField("step_stats"))
    show([d.device for d in md.step_stats.dev_stats])
    for ns in sorted(md.step_stats.dev_stats[0].node_stats, key=lambda n: n.node_name):
        if ns.node_name not in graph_ops:
            continue
        outs = [
            (o.slot, o.tensor_description.dtype, [d.size for d in o.tensor_description.shape.dim],
             o.tensor_description.allocation_description.requested_bytes)
            for o in ns.output
        ]  # fmt: skip
        name, op, inputs = _label_parts(ns.timeline_label)
        # TF 2's oneDNN builds rename MatMul to _MklMatMul (TF 1.15's plain builds do not), and
        # TF feeds through _Arg nodes (``_arg_x_0_0``) that scopeflow's plans do not have.
        fed = ("x", "_arg_x_0_0")
        show(name, op.replace("_Mkl", ""), [i for i in inputs if i not in fed], outs)


def _label_parts(label):
    name, rest = label.split(" = ")
    op, inputs = rest[:-1].split("(")
    return name, op, inputs.split(", ") if inputs else []
