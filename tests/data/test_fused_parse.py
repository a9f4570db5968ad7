"""``map(parse_single_example).batch(n)`` parses whole batches: same values and errors as unfused.

Each case runs the pipeline twice, with the fusion and with it disabled (``_fused_parse``
patched to None), and compares everything ``get_next`` returns or raises.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import scopeflow.compat.v1 as tf
from scopeflow.data import dataset_ops


def _example(**features):
    feature = {}
    for key, (kind, values) in features.items():
        if kind == "bytes":
            feature[key] = tf.train.Feature(bytes_list=tf.train.BytesList(value=values))
        elif kind == "int":
            feature[key] = tf.train.Feature(int64_list=tf.train.Int64List(value=values))
        else:
            feature[key] = tf.train.Feature(float_list=tf.train.FloatList(value=values))
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


GOOD = [
    _example(img=("bytes", [b"a%d" % i]), label=("int", [i]), xy=("float", [i, -i]))
    for i in range(10)
]
SPEC = {
    "img": tf.FixedLenFeature([], tf.string),
    "label": tf.FixedLenFeature([], tf.int64),
    "xy": tf.FixedLenFeature([2], tf.float32),
    "opt": tf.FixedLenFeature([1, 2], tf.int64, default_value=[[7, 8]]),
}
CASES = [
    pytest.param(GOOD, SPEC, 4, False, id="defaults-and-remainder"),
    pytest.param(GOOD, SPEC, 4, True, id="drop-remainder"),
    pytest.param(
        [*GOOD[:5], _example(img=("bytes", [b"z"]), label=("int", [1]))],
        SPEC,
        3,
        False,
        id="missing-required",
    ),
    pytest.param(
        [*GOOD[:2], _example(img=("int", [1]), label=("int", [1]), xy=("float", [1, 2]))],
        SPEC,
        2,
        False,
        id="wrong-kind",
    ),
    pytest.param(
        [*GOOD[:3], _example(img=("bytes", [b"q"]), label=("int", [1, 2]), xy=("float", [1, 2]))],
        SPEC,
        2,
        False,
        id="wrong-size",
    ),
    pytest.param([*GOOD[:3], b"\xff\xfe not a proto"], SPEC, 2, False, id="corrupt"),
    pytest.param(GOOD, {"label": tf.FixedLenFeature([], tf.int64)}, 64, False, id="one-key"),
]


def _run(path: str, spec: dict, n: int, drop: bool) -> list:
    tf.reset_default_graph()
    ds = tf.data.TFRecordDataset(path).map(lambda s: tf.parse_single_example(s, spec))
    nxt = ds.batch(n, drop_remainder=drop).make_one_shot_iterator().get_next()
    out: list = []
    with tf.Session() as sess:
        for _ in range(20):
            try:
                got = sess.run(nxt)
            except tf.errors.OpError as e:
                out.append((type(e).__name__, e.message))
                if isinstance(e, tf.errors.OutOfRangeError):
                    break
                continue
            out.append({k: (v.dtype.str, v.tolist()) for k, v in sorted(got.items())})
    return out


@pytest.mark.parametrize(("records", "spec", "n", "drop"), CASES)
def test_fused_parse_matches_unfused(tmp_path: Path, monkeypatch, records, spec, n, drop):
    path = str(tmp_path / "data.tfrecord")
    with tf.python_io.TFRecordWriter(path) as w:
        for r in records:
            w.write(r)
    fused = _run(path, spec, n, drop)
    monkeypatch.setattr(dataset_ops, "_fused_parse", lambda ds: None)
    unfused = _run(path, spec, n, drop)
    assert fused == unfused
    assert fused  # something came out


def test_fusion_applies_only_to_a_lone_parse():
    ds = tf.data.TFRecordDataset("x").map(lambda s: tf.parse_single_example(s, SPEC))
    assert dataset_ops._fused_parse(ds) is not None
    ds2 = tf.data.TFRecordDataset("x").map(lambda s: tf.parse_single_example(s, SPEC)["label"] + 1)
    assert dataset_ops._fused_parse(ds2) is None
    assert dataset_ops._fused_parse(tf.data.TFRecordDataset("x")) is None
