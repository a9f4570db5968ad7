"""Import time of a 1,000-node GraphDef: scopeflow's ``tf.import_graph_def`` (and TF's, if run
with TensorFlow's Python).

    PYTHONPATH=src .venv/bin/python benchmarks/graph_import_bench.py write /tmp/g1000.pb
    PYTHONPATH=src .venv/bin/python benchmarks/graph_import_bench.py time /tmp/g1000.pb
    /path/to/tfenv/bin/python benchmarks/graph_import_bench.py tf /tmp/g1000.pb

The graph: a placeholder and 333 blocks of (Const, MatMul, Relu) on [8, 8] floats, 1,000 nodes.
Results are in ``benchmarks/graph_import_bench.md``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def _write(path: str) -> None:
    import numpy as np

    import scopeflow.compat.v1 as tf

    x = tf.placeholder(tf.float32, [None, 8], name="x")
    h = x
    rng = np.random.default_rng(0)
    for i in range(333):
        w = tf.constant(rng.normal(size=(8, 8)).astype(np.float32) / 3, name=f"w{i}")
        h = tf.nn.relu(tf.matmul(h, w), name=f"r{i}")
    gd = tf.get_default_graph().as_graph_def()
    Path(path).write_bytes(gd.SerializeToString())
    print(len(gd.node), "nodes")


def _best(fn: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "write":
        _write(path)
        return
    if mode == "tf":
        import tensorflow.compat.v1 as tf
    else:
        import scopeflow.compat.v1 as tf
    gd = tf.GraphDef()
    gd.ParseFromString(Path(path).read_bytes())

    def run() -> None:
        with tf.Graph().as_default():
            tf.import_graph_def(gd, name="")

    run()
    print(f"{mode}: import of {len(gd.node)} nodes: best of 5 {_best(run) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
