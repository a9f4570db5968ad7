"""Record TFRecord files written by real TensorFlow as fixtures for tests/data.

Regenerate (needs TensorFlow, installed separately; never a scopeflow dependency)::

    /work/tfenv/bin/python tools/record_tf_tfrecord.py

Writes ``tests/data/golden/tfrecord/``: ``small{,_gzip,_zlib}.tfrecord`` (the ``SMALL`` records,
written by ``tf.io.TFRecordWriter``), and ``large.json`` (size and sha256 of the ``large_records``
file TF writes with each compression, too big to commit) plus the messages TF raises for
corrupted files; ``tests/data/golden/image.jpg``, an 8x6 RGB JPEG encoded by TF, and
``image_tf_decoded.npy``, TF's decoding of it.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "golden" / "tfrecord"
sys.path.insert(0, str(ROOT / "tests" / "data"))

from tfrecord_inputs import SMALL, corruptions, large_records  # noqa: E402

KINDS = {"": "small.tfrecord", "GZIP": "small_gzip.tfrecord", "ZLIB": "small_zlib.tfrecord"}


def main() -> None:
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    OUT.mkdir(parents=True, exist_ok=True)
    for kind, name in KINDS.items():
        with tf.io.TFRecordWriter(str(OUT / name), options=kind or None) as w:
            for r in SMALL:
                w.write(r)
    info: dict[str, object] = {"large": {}, "errors": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in KINDS:
            path = Path(tmp) / f"large{kind}.tfrecord"
            with tf.io.TFRecordWriter(str(path), options=kind or None) as w:
                for r in large_records():
                    w.write(r)
            data = path.read_bytes()
            info["large"][kind] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        plain = (OUT / "small.tfrecord").read_bytes()
        for name, data in corruptions(plain).items():
            path = Path(tmp) / f"{name}.tfrecord"
            path.write_bytes(data)
            try:
                got = [len(r) for r in tf.python_io.tf_record_iterator(str(path))]
                info["errors"][name] = f"OK {got}"
            except tf.errors.OpError as e:
                info["errors"][name] = f"{type(e).__name__}: {e.message}"
    image = tf.cast(tf.reshape(tf.range(8 * 6 * 3) * 5 % 256, [8, 6, 3]), tf.uint8)
    with tf.Session() as sess:
        jpeg = sess.run(tf.image.encode_jpeg(image, quality=90))
        (OUT.parent / "image.jpg").write_bytes(jpeg)
        decoded = sess.run(tf.image.decode_jpeg(jpeg, channels=3))
        np.save(OUT.parent / "image_tf_decoded.npy", decoded)
    (OUT / "tf_results.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
