"""``FileWriter.add_run_metadata`` writes TF's tagged ``RunMetadata`` event; TensorBoard loads it.

The event holds a traced run's step stats (``RunOptions.FULL_TRACE``); TensorBoard's own event
reader (``EventAccumulator``, the ``tensorboard`` package) must list the tag under
``run_metadata`` and give back the same message. ``golden/../graph/golden/tf_timeline.json``
records what TF's writer puts in such an event file (``tools/record_tf_timeline.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf

GOLDEN = json.loads(
    (Path(__file__).parents[1] / "graph" / "golden" / "tf_timeline.json").read_text()
)


def _traced_metadata():  # type: ignore[no-untyped-def]
    with tf.Graph().as_default():
        return _run_traced()


def _run_traced():  # type: ignore[no-untyped-def]
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    w = tf.Variable(np.ones((3, 4), np.float32), name="w")
    s = tf.reduce_sum(tf.add(tf.matmul(x, w, name="y"), 1.0, name="z"), name="s")
    md = tf.RunMetadata()
    with tf.Session() as sess:
        sess.run(w.initializer)
        opts = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
        sess.run(s, {x: np.ones((2, 3), np.float32)}, options=opts, run_metadata=md)
    return md


def test_add_run_metadata_round_trips_through_tensorboards_reader(tmp_path: Path) -> None:
    from tensorboard.backend.event_processing import event_accumulator
    from tensorboard.compat.proto import config_pb2 as tb_config_pb2

    md = _traced_metadata()
    with tf.summary.FileWriter(str(tmp_path)) as writer:
        writer.add_run_metadata(md, "step0", global_step=7)
    acc = event_accumulator.EventAccumulator(str(tmp_path))
    acc.Reload()
    assert acc.Tags()["run_metadata"] == ["step0"]
    back = acc.RunMetadata("step0")
    assert back.SerializeToString() == md.SerializeToString()
    assert isinstance(back, tb_config_pb2.RunMetadata)
    names = [ns.node_name for ns in back.step_stats.dev_stats[0].node_stats]
    assert {"y", "z", "s"} <= set(names)
    events = [
        {"kind": e.WhichOneof("what"), "step": e.step}
        | ({"tag": e.tagged_run_metadata.tag, "round_trip": True}
           if e.HasField("tagged_run_metadata") else {})
        for e in tf.train.summary_iterator(str(next(tmp_path.iterdir())))
    ]  # fmt: skip
    assert events == GOLDEN["add_run_metadata_events"]


def test_add_run_metadata_refuses_a_non_message(tmp_path: Path) -> None:
    with tf.summary.FileWriter(str(tmp_path)) as writer:
        with pytest.raises(TypeError, match=r"must be a tf\.RunMetadata proto"):
            writer.add_run_metadata(object(), "step0")
        writer.add_run_metadata(tf.RunMetadata(), "step0")  # the tag is still free
