"""Benchmark reading + parsing a TFRecord file of ``tf.train.Example``s: scopeflow vs TensorFlow.

Writes ``--mb`` MB of Examples (``image``: ``--image-bytes`` random bytes, ``label``: int64) with
scopeflow's TFRecordWriter, then iterates
``TFRecordDataset(f).map(parse_single_example).batch(64)`` to the end through ``get_next`` in a
``Session`` (graph mode, as a TF1 program does), reporting examples/s (median of ``--repeats``).
TF runs the same pipeline on the same file in a subprocess of ``--tf-python`` (TF 1.x mode).

    .venv/bin/python benchmarks/bench_data.py --tf-python /work/tfenv/bin/python --mb 50
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap

PIPELINE = textwrap.dedent(
    """
    import time
    def run(tf, path, repeats):
        spec = {"image": tf.FixedLenFeature([], tf.string),
                "label": tf.FixedLenFeature([], tf.int64)}
        ds = tf.data.TFRecordDataset(path).map(lambda s: tf.parse_single_example(s, spec))
        ds = ds.batch(64)
        it = ds.make_initializable_iterator()
        nxt = it.get_next()
        times, count = [], 0
        with tf.Session() as sess:
            for _ in range(repeats):
                sess.run(it.initializer)
                count = 0
                t0 = time.perf_counter()
                try:
                    while True:
                        count += len(sess.run(nxt)["label"])
                except tf.errors.OutOfRangeError:
                    pass
                times.append(time.perf_counter() - t0)
        return times, count
    """
)


def write_file(path: str, mb: int, image_bytes: int) -> int:
    import numpy as np

    import scopeflow.compat.v1 as tf

    rng = np.random.default_rng(0)
    n = mb * (1 << 20) // (image_bytes + 30)
    with tf.python_io.TFRecordWriter(path) as w:
        for i in range(n):
            ex = tf.train.Example(
                features=tf.train.Features(
                    feature={
                        "image": tf.train.Feature(
                            bytes_list=tf.train.BytesList(value=[rng.bytes(image_bytes)])
                        ),
                        "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 10])),
                    }
                )
            )
            w.write(ex.SerializeToString())
    return n


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--tf-python", default=None)
    p.add_argument("--mb", type=int, default=20)
    p.add_argument("--image-bytes", type=int, default=3072)
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "data.tfrecord")  # noqa: PTH118
        n = write_file(path, args.mb, args.image_bytes)
        size = os.path.getsize(path) / (1 << 20)  # noqa: PTH202
        print(f"file: {size:.1f} MB, {n} examples of {args.image_bytes} image bytes")
        ns: dict[str, object] = {}
        exec(PIPELINE, ns)
        import scopeflow.compat.v1 as tf

        times, count = ns["run"](tf, path, args.repeats)  # type: ignore[operator]
        ours = count / statistics.median(times)
        print(f"scopeflow: {ours:,.0f} examples/s ({count} examples, times {times})")
        if args.tf_python:
            code = (
                "import json, sys\n"
                "import tensorflow.compat.v1 as tf\n"
                "tf.disable_eager_execution(); tf.disable_v2_behavior()\n"
                + PIPELINE
                + f"\nprint(json.dumps(run(tf, {path!r}, {args.repeats})))\n"
            )
            env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
            out = subprocess.run(
                [args.tf_python, "-c", code], capture_output=True, text=True, check=True, env=env
            )
            tf_times, tf_count = json.loads(out.stdout.strip().splitlines()[-1])
            theirs = tf_count / statistics.median(tf_times)
            print(f"TensorFlow: {theirs:,.0f} examples/s ({tf_count} examples, times {tf_times})")
            print(f"ratio (scopeflow throughput / TF): {ours / theirs:.3f}")


if __name__ == "__main__":
    sys.exit(main())
