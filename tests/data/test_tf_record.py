"""TFRecord files: bytes identical to TF's, TF's files read back, TF's errors on corrupt files.

Fixtures and expectations come from real TensorFlow: ``tools/record_tf_tfrecord.py``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

import scopeflow.compat.v1 as tf

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "tfrecord"
TF_RESULTS = json.loads((GOLDEN / "tf_results.json").read_text())
sys.path.insert(0, str(HERE))

from tfrecord_inputs import SMALL, corruptions, large_records  # noqa: E402

KINDS = {"": "small.tfrecord", "GZIP": "small_gzip.tfrecord", "ZLIB": "small_zlib.tfrecord"}


@pytest.mark.parametrize("kind", list(KINDS), ids=["none", "gzip", "zlib"])
def test_small_file_bytes_match_tf_and_tf_file_reads_back(tmp_path, kind):
    path = tmp_path / "x.tfrecord"
    options = tf.python_io.TFRecordOptions(kind or None)
    with tf.python_io.TFRecordWriter(str(path), options=options) as w:
        for r in SMALL:
            w.write(r)
    assert path.read_bytes() == (GOLDEN / KINDS[kind]).read_bytes()
    assert list(tf.python_io.tf_record_iterator(str(GOLDEN / KINDS[kind]), kind)) == SMALL


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(KINDS), ids=["none", "gzip", "zlib"])
def test_large_file_bytes_match_tf(tmp_path, kind):
    path = tmp_path / "large.tfrecord"
    with tf.io.TFRecordWriter(path, kind) as w:
        for r in large_records():
            w.write(r)
    data = path.read_bytes()
    expected = TF_RESULTS["large"][kind]
    assert (len(data), hashlib.sha256(data).hexdigest()) == (expected["size"], expected["sha256"])
    assert sum(1 for _ in tf.io.tf_record_iterator(str(path), kind)) == 3000


@pytest.mark.parametrize("name", sorted(TF_RESULTS["errors"]))
def test_corrupt_files_raise_tfs_errors_with_path(tmp_path, name):
    path = tmp_path / f"{name}.tfrecord"
    path.write_bytes(corruptions((GOLDEN / "small.tfrecord").read_bytes())[name])
    expected = TF_RESULTS["errors"][name]
    try:
        got = f"OK {[len(r) for r in tf.python_io.tf_record_iterator(str(path))]}"
    except tf.errors.DataLossError as e:
        first, second = e.message.split("\n")
        got = f"DataLossError: {first}"
        assert second == f"\tin TFRecord file {path}"
    assert got == expected


def test_missing_file_and_bad_options(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match=r"nope\.tfrecord; No such file"):
        tf.python_io.tf_record_iterator(str(tmp_path / "nope.tfrecord"))
    with pytest.raises(ValueError, match='Not a valid compression_type: "BAD"'):
        tf.python_io.TFRecordOptions("BAD")
    get = tf.python_io.TFRecordOptions.get_compression_type_string
    assert [get(None), get("GZIP"), get(1), get(tf.python_io.TFRecordOptions("ZLIB"))] == [
        "",
        "GZIP",
        "ZLIB",
        "ZLIB",
    ]
    gz = tmp_path / "g.tfrecord"
    data = bytearray((GOLDEN / "small_gzip.tfrecord").read_bytes())
    data[30] ^= 0xFF
    gz.write_bytes(bytes(data))
    with pytest.raises(tf.errors.DataLossError, match="inflate\\(\\) failed with error -3"):
        list(tf.python_io.tf_record_iterator(str(gz), "GZIP"))


def test_writer_flush_and_close(tmp_path):
    path = tmp_path / "f.tfrecord"
    w = tf.python_io.TFRecordWriter(str(path), "GZIP")
    w.write("text record")
    w.flush()
    assert list(tf.python_io.tf_record_iterator(str(path), "GZIP")) == [b"text record"]
    w.close()
    w.close()
    with pytest.raises(tf.errors.FailedPreconditionError):
        w.write(b"x")
