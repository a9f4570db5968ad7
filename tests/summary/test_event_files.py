"""Event files: scopeflow reads TF-written files, and TensorBoard's own reader loads scopeflow's.

``golden/tf_events`` was written by TensorFlow's FileWriter (``tools/record_tf_event_file.py``);
``golden/tf_events.json`` is what TF's ``summary_iterator`` read back from it.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.errors import DataLossError
from scopeflow.summary.summary_iterator import summary_iterator, tf_record_iterator

GOLDEN = Path(__file__).parent / "golden"


def _event_files(logdir: Path) -> list[Path]:
    return sorted(logdir.glob("events.out.tfevents.*"))


def test_reads_tf_written_event_file() -> None:
    (path,) = _event_files(GOLDEN / "tf_events")
    expected = json.loads((GOLDEN / "tf_events.json").read_text())
    events = list(tf.train.summary_iterator(str(path)))
    assert len(events) == len(expected)
    for e, want in zip(events, expected, strict=True):
        kind = e.WhichOneof("what")
        assert (kind, e.step) == (want["kind"], want["step"])
        if kind == "summary":
            assert e.summary.SerializeToString().hex() == want["summary"]
        elif kind == "graph_def":
            assert [n.name for n in tf.GraphDef.FromString(e.graph_def).node] == want["nodes"]
        elif kind == "session_log":
            assert e.session_log.status == want["status"] == tf.SessionLog.STOP
        elif kind == "file_version":
            assert e.file_version == want["file_version"]


def test_corrupted_file_raises_data_loss(tmp_path: Path) -> None:
    (path,) = _event_files(GOLDEN / "tf_events")
    data = bytearray(path.read_bytes())
    data[20] ^= 0xFF
    bad = tmp_path / "events.out.tfevents.bad"
    bad.write_bytes(bytes(data))
    with pytest.raises(DataLossError):
        list(summary_iterator(bad))


def _build_and_write(logdir: Path) -> tuple[tf.Graph, str]:
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        with tf.variable_scope("dense"):
            w = tf.get_variable("kernel", [3, 2])
        y = tf.matmul(x, w)
        tf.summary.scalar("loss", tf.reduce_mean(y))
        tf.summary.histogram("kernel", w)
        tf.summary.image("img", tf.reshape(tf.range(24, dtype=tf.float32), [2, 2, 2, 3]))
        tf.summary.audio("snd", tf.zeros([1, 16]), 8000, max_outputs=1)
        tf.summary.text("note", tf.constant("hello"))
        merged = tf.summary.merge_all()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            writer = tf.summary.FileWriter(str(logdir), sess.graph)
            for step in range(3):
                writer.add_summary(sess.run(merged, {x: np.ones((2, 3)) * step}), step)
            writer.add_session_log(tf.SessionLog(status=tf.SessionLog.START), 3)
            writer.close()
    return g, writer.event_writer.get_filename()


def test_tensorboard_reader_loads_scopeflow_event_file(tmp_path: Path) -> None:
    from tensorboard.backend.event_processing import event_accumulator

    g, filename = _build_and_write(tmp_path)
    assert re.fullmatch(r"events\.out\.tfevents\.\d{10}\.[^/]+", Path(filename).name)
    acc = event_accumulator.EventAccumulator(
        str(tmp_path), size_guidance={event_accumulator.IMAGES: 0, event_accumulator.AUDIO: 0}
    )
    acc.Reload()
    tags = acc.Tags()
    assert tags["scalars"] == ["loss"]
    assert tags["histograms"] == ["kernel"]
    assert tags["images"] == ["img/image/0", "img/image/1"]
    assert tags["audio"] == ["snd/audio"]
    assert tags["tensors"] == ["note"]
    assert tags["graph"]
    assert tags["meta_graph"]
    assert [s.step for s in acc.Scalars("loss")] == [0, 1, 2]
    graph_def = acc.Graph()
    # the fused initializer is exported as TF's 7 nodes (graph_io): its 6 inner nodes are extra
    names = [n.name for n in graph_def.node]
    inner = [n for n in names if "/Initializer/random_uniform/" in n]
    assert len(inner) == 6
    assert [n for n in names if n not in inner] == [op.name for op in g.get_operations()]
    kernel = next(n for n in graph_def.node if n.name == "dense/kernel")
    assert kernel.op == "VariableV2"
    assert [d.size for d in kernel.attr["shape"].shape.dim] == [3, 2]
    img = acc.Images("img/image/1")[0]
    assert (img.width, img.height) == (2, 2)
    assert acc.Histograms("kernel")[0].histogram_value.num == 6


def test_event_loader_reads_every_record(tmp_path: Path) -> None:
    from tensorboard.backend.event_processing import event_file_loader

    _, filename = _build_and_write(tmp_path)
    ours = list(tf_record_iterator(filename))
    theirs = list(event_file_loader.RawEventFileLoader(filename).Load())
    assert ours == theirs
    assert len(ours) == 1 + 2 + 3 + 1  # version, graph + meta graph, 3 summaries, session log


def test_reopen_writes_a_new_file_and_closed_writer_warns(tmp_path: Path) -> None:
    w = tf.summary.FileWriter(str(tmp_path), filename_suffix=".a")
    w.close()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        w.add_summary(tf.Summary(value=[tf.Summary.Value(tag="t", simple_value=1.0)]))
    assert "closed FileWriter" in str(caught[0].message)
    first = w.event_writer.get_filename()
    w.reopen()
    w.add_summary(tf.Summary(value=[tf.Summary.Value(tag="t", simple_value=2.0)]), 7)
    w.flush()
    second = w.event_writer.get_filename()
    w.close()
    assert w.get_logdir() == str(tmp_path)
    assert second.endswith(".a")
    events = list(summary_iterator(second))
    assert [e.step for e in events] == [0, 7]
    assert [e.summary.value[0].simple_value for e in events[1:]] == [2.0]
    assert len(list(summary_iterator(first))) == 1 or first == second


def test_metadata_written_once_per_tag_and_run_metadata(tmp_path: Path) -> None:
    t = tf.summary.text("note", tf.constant("x"))
    with tf.Session() as sess:
        value = sess.run(t)
    with tf.summary.FileWriter(str(tmp_path)) as w:
        w.add_summary(value, 1)
        w.add_summary(value, 2)
        w.add_run_metadata(tf.RunMetadata(), "step0")  # the session's stand-in: written empty
        w.add_run_metadata(_run_metadata(), "step1")
        with pytest.raises(ValueError, match="tag was already used"):
            w.add_run_metadata(_run_metadata(), "step1")
        name = w.event_writer.get_filename()
    events = [e for e in summary_iterator(name) if e.HasField("summary")]
    assert [v.HasField("metadata") for e in events for v in e.summary.value] == [True, False]
    tagged = [e.tagged_run_metadata.tag for e in summary_iterator(name)
              if e.HasField("tagged_run_metadata")]  # fmt: skip
    assert tagged == ["step0", "step1"]


def _run_metadata():  # type: ignore[no-untyped-def]
    from scopeflow.protos import config_pb2

    return config_pb2.RunMetadata()


def test_add_graph_type_errors(tmp_path: Path) -> None:
    with tf.summary.FileWriter(str(tmp_path)) as w:
        with pytest.raises(TypeError, match="must be an instance of `Graph`"):
            w.add_graph("nope")
        with pytest.raises(ValueError, match="only graph, or graph_def"):
            w.add_graph(tf.get_default_graph(), graph_def=tf.GraphDef())
        with pytest.raises(TypeError, match="meta_graph_def must be type MetaGraphDef"):
            w.add_meta_graph(tf.GraphDef())


def test_file_writer_cache(tmp_path: Path) -> None:
    a = tf.summary.FileWriterCache.get(str(tmp_path))
    assert tf.summary.FileWriterCache.get(str(tmp_path)) is a
    tf.summary.FileWriterCache.clear()
    assert tf.summary.FileWriterCache.get(str(tmp_path)) is not a
    tf.summary.FileWriterCache.clear()


def test_session_argument_is_unsupported(tmp_path: Path) -> None:
    from scopeflow.errors import UnsupportedError

    with pytest.raises(UnsupportedError, match="session"):
        tf.summary.FileWriter(str(tmp_path), session=object())


def test_protos_have_tf_full_names_and_lazy_import() -> None:
    assert tf.Summary.DESCRIPTOR.full_name == "tensorflow.Summary"
    assert tf.GraphDef.DESCRIPTOR.full_name == "tensorflow.GraphDef"
    assert tf.summary.TaggedRunMetadata.DESCRIPTOR.full_name == "tensorflow.TaggedRunMetadata"
    with pytest.raises(AttributeError):
        _ = tf.NoSuchProto  # type: ignore[attr-defined]


def test_metadata_dropped_after_first_write_of_a_tag_even_without_metadata(tmp_path: Path) -> None:
    plain = tf.Summary(value=[tf.Summary.Value(tag="t", simple_value=1.0)])
    with_meta = tf.Summary(value=[tf.Summary.Value(tag="t", simple_value=2.0)])
    with_meta.value[0].metadata.display_name = "T"
    with tf.summary.FileWriter(str(tmp_path)) as w:
        w.add_summary(plain, 1)
        w.add_summary(with_meta, 2)
        name = w.event_writer.get_filename()
    events = [e for e in summary_iterator(name) if e.HasField("summary")]
    assert [e.summary.value[0].HasField("metadata") for e in events] == [False, False]


def test_background_flush_every_flush_secs(tmp_path: Path) -> None:
    import time

    w = tf.summary.FileWriter(str(tmp_path), flush_secs=0.05)
    w.add_summary(tf.Summary(value=[tf.Summary.Value(tag="t", simple_value=1.0)]), 5)
    name = w.event_writer.get_filename()
    deadline = time.time() + 5.0
    steps: list[int] = []
    while time.time() < deadline:
        steps = [e.step for e in summary_iterator(name)]
        if steps == [0, 5]:
            break
        time.sleep(0.05)
    w.close()
    assert steps == [0, 5]
