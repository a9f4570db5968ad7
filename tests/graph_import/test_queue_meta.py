"""Queue input pipelines through meta graphs, against TF (``tools/record_tf_queue_meta.py``).

TF1 programs that export a meta graph and import it into a fresh graph (the PTB tutorial's
``main()``, ``Supervisor`` restarts) carry their queue pipeline as queue ops plus the
``queue_runners`` collection of ``QueueRunnerDef``s. The recording holds TF's meta graph of
``queue_pipeline.build`` and what ``queue_pipeline.run`` printed in TF, run directly and from the
imported meta graph.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import scopeflow.compat.v1 as tf
from scopeflow.protos import queue_runner_pb2

from . import queue_pipeline

GOLDEN = Path(__file__).parent / "golden" / "queue_meta"
EXPECTED = json.loads((GOLDEN / "expected.json").read_text())


def test_pipeline_runs_as_in_tf() -> None:
    with tf.Graph().as_default():
        queue_pipeline.build(tf)
        assert queue_pipeline.run(tf) == EXPECTED["direct"]


def test_tf_written_meta_graph_runs_its_queue_runners() -> None:
    with tf.Graph().as_default():
        tf.train.import_meta_graph(str(GOLDEN / "pipeline.meta"))
        runners = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
        assert all(isinstance(r, tf.train.QueueRunner) for r in runners)
        assert queue_pipeline.run(tf) == EXPECTED["imported"]


def test_exported_queue_runners_are_tfs() -> None:
    with tf.Graph().as_default():
        queue_pipeline.build(tf)
        meta = tf.train.export_meta_graph()
    assert queue_pipeline.queue_runner_text(meta) == EXPECTED["queue_runners"]


def test_scopeflow_round_trip_under_an_import_scope() -> None:
    with tf.Graph().as_default():
        queue_pipeline.build(tf)
        meta = tf.train.export_meta_graph()
    with tf.Graph().as_default():
        tf.train.import_meta_graph(meta, import_scope="copy")
        (runner,) = [
            r for r in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS) if r.name == "copy/ranges"
        ]
        assert [op.name for op in runner.enqueue_ops] == ["copy/ranges/ranges_EnqueueMany"]
        assert runner.to_proto(export_scope="copy").queue_name == "ranges"
        assert runner.to_proto(export_scope="other") is None
    with tf.Graph().as_default():
        tf.train.import_meta_graph(meta)
        assert queue_pipeline.run(tf) == EXPECTED["direct"]


def test_queue_runner_def_errors_and_closed_types() -> None:
    with tf.Graph().as_default():
        q = tf.FIFOQueue(2, tf.float32, name="q")
        enq = q.enqueue([1.0])
        closed = (tf.errors.OutOfRangeError, tf.errors.CancelledError)
        qr = tf.train.QueueRunner(q, [enq], queue_closed_exception_types=closed)
        proto = qr.to_proto()
        assert list(proto.queue_closed_exception_types) == [11, 1]
        assert proto.DESCRIPTOR.full_name == "tensorflow.QueueRunnerDef"
        back = tf.train.QueueRunner.from_proto(queue_runner_pb2.QueueRunnerDef.FromString(
            proto.SerializeToString()))  # fmt: skip
        assert back.queue_closed_exception_types == (
            tf.errors.OutOfRangeError,
            tf.errors.CancelledError,
        )
        assert back.queue is q.queue_ref.op
        with pytest.raises(ValueError, match="mutually exclusive"):
            tf.train.QueueRunner(q, [enq], queue_runner_def=proto)
        with pytest.raises(ValueError, match="at least one enqueue_op"):
            tf.train.QueueRunner(q, [])
