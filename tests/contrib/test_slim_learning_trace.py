"""``slim.learning.train(trace_every_n_steps=...)``: tf-slim's ``testTrainWithTrace``, smaller.

Every ``trace_every_n_steps``-th step runs with ``FULL_TRACE``; its Chrome trace goes to
``<logdir>/tf_trace-<step>.json`` and its ``RunMetadata`` to the supervisor's summary writer as
``run_metadata-<step>``. (tf-slim's test trains 300 steps, tracing every 100, and accepts
``tf_trace-<n>.json`` or ``tf_trace-<n + 1>.json`` since the global step is read in the step's
run.) tests/acceptance/tf_slim_suite.py runs tf-slim's own test.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

import scopeflow.compat.v1 as tf


def test_train_with_trace_writes_chrome_traces_and_run_metadata(tmp_path: Path) -> None:
    with tf.Graph().as_default():  # the supervisor finalizes it
        _train_with_trace(tmp_path)


def _train_with_trace(tmp_path: Path) -> None:
    slim = tf.contrib.slim
    rng = np.random.RandomState(0)
    labels = rng.randint(0, 2, size=(16, 1)).astype(np.float32)
    inputs = np.zeros((16, 4), np.float32)
    for i in range(16):
        inputs[i, int(2 * labels[i].item() + rng.randint(0, 2))] = 1
    tf.set_random_seed(0)
    predictions = slim.fully_connected(tf.constant(inputs), 1, activation_fn=tf.sigmoid)
    slim.losses.log_loss(tf.constant(labels), predictions)
    total_loss = slim.losses.get_total_loss()
    tf.summary.scalar("total_loss", total_loss)
    train_op = slim.learning.create_train_op(total_loss, tf.train.GradientDescentOptimizer(1.0))
    loss = slim.learning.train(train_op, str(tmp_path), number_of_steps=6, log_every_n_steps=10,
                               trace_every_n_steps=2)  # fmt: skip
    assert loss is not None
    traces = sorted(p.name for p in tmp_path.glob("tf_trace-*.json"))
    assert len(traces) == 3
    steps = sorted(int(name[len("tf_trace-") : -len(".json")]) for name in traces)
    assert steps in ([0, 2, 4], [1, 3, 5])
    trace = json.loads((tmp_path / traces[0]).read_text())
    ops = {e["args"]["name"] for e in trace["traceEvents"] if e["ph"] == "X"}
    assert any(name.startswith("GradientDescent/") for name in ops)
    tags = sorted(
        e.tagged_run_metadata.tag
        for path in tmp_path.glob("events.out.tfevents.*")
        for e in tf.train.summary_iterator(str(path))
        if e.HasField("tagged_run_metadata")
    )
    assert tags == sorted(f"run_metadata-{s}" for s in steps)
