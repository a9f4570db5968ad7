"""Op-surface benchmarks (issue 3), scopeflow vs TensorFlow measured in the same run.

* ``op_build_us``: graph construction cost per op (a 1,000-op chain of ``x * c + c``), CPU time.
* ``chain_run_us_per_op``: ``Session.run`` of that chain (float32 ``[16]``), wall time per op.
* ``chain_kernel_us_per_op`` (scopeflow only): the same torch calls made directly in a Python
  loop; ``chain_run - chain_kernel`` is the plan's own Python overhead per op.
* ``mlp_fwd_bwd_ms``: one forward+backward step of a 4-layer tanh MLP (width 1,024, batch 64)
  through ``tf.gradients`` (fetching all weight gradients).
* ``mlp_fwd_ms``: its forward pass; ``mlp_train_sgd_ms``: one training step of it
  (``sess.run(train_op)`` with ``tf.gradients`` and an ``assign_sub`` SGD update per weight).
* ``image_filter_b{1,8}_ms``: the seed image filter.

    .venv/bin/python benchmarks/bench_ops.py --tf-python .tf-oracle/bin/python

Medians of ``--repeats`` runs after warm-up.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

CHAIN = 1000


def _median_wall(fn: Any, n: int) -> float:
    for _ in range(3):
        fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run_all(tf: Any, repeats: int) -> dict[str, float]:
    """The workloads on one ``tf`` module."""
    import numpy as np

    out: dict[str, float] = {}

    def build_chain() -> tuple[Any, Any, float]:
        tf.reset_default_graph()
        x = tf.placeholder(tf.float32, [16])
        c = tf.constant(np.full([16], 1.0001, np.float32))
        t = time.process_time()
        y = x
        for _ in range(CHAIN // 2):
            y = y * c + c
        return x, y, time.process_time() - t

    out["op_build_us"] = statistics.median(build_chain()[2] for _ in range(repeats)) / CHAIN * 1e6
    x, y, _ = build_chain()
    data = np.ones([16], np.float32)
    with tf.Session() as sess:
        out["chain_run_us_per_op"] = (
            _median_wall(lambda: sess.run(y, {x: data}), repeats * 4) / CHAIN * 1e6
        )

    def mlp(batch: int = 64, width: int = 1024) -> tuple[Any, Any, list[Any], Any]:
        tf.reset_default_graph()
        tf.set_random_seed(0)
        inp = tf.placeholder(tf.float32, [batch, width])
        h = inp
        weights = []
        for i in range(4):
            w = tf.get_variable(f"w{i}", [width, width])
            b = tf.get_variable(f"b{i}", [width], initializer=tf.zeros_initializer())
            weights += [w, b]
            h = tf.tanh(tf.matmul(h, w) + b)
        loss = tf.reduce_mean(tf.square(h))
        return inp, loss, weights, tf.gradients(loss, weights)

    inp, loss, weights, grads = mlp()
    train_op = tf.group(*[tf.assign_sub(w, 0.01 * g) for w, g in zip(weights, grads, strict=True)])
    feed = {inp: np.random.RandomState(0).rand(64, 1024).astype(np.float32)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out["mlp_fwd_ms"] = _median_wall(lambda: sess.run(loss, feed), repeats * 2) * 1e3
        out["mlp_fwd_bwd_ms"] = _median_wall(lambda: sess.run(grads, feed), repeats * 2) * 1e3
        out["mlp_train_sgd_ms"] = _median_wall(lambda: sess.run(train_op, feed), repeats * 4) * 1e3

    for batch in (1, 8):
        tf.reset_default_graph()
        img = tf.placeholder(tf.float32, [None, 64, 64, 32])
        h = img
        for layer in ("conv1", "conv2"):
            with tf.variable_scope(layer):
                w = tf.get_variable("weights", [5, 5, 32, 32])
                b = tf.get_variable("biases", [32], initializer=tf.zeros_initializer())
                h = tf.nn.relu(tf.nn.conv2d(h, w, strides=[1, 1, 1, 1], padding="SAME") + b)
        arr = np.random.RandomState(0).rand(batch, 64, 64, 32).astype(np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out[f"image_filter_b{batch}_ms"] = (
                _median_wall(
                    lambda h=h, img=img, arr=arr, sess=sess: sess.run(h, {img: arr}), repeats * 2
                )
                * 1e3
            )
    return out


def _compiled_chain_us(tf: Any, repeats: int) -> tuple[float, float]:
    """The 1,000-op chain with compiled plans (TF1's ``global_jit_level = ON_1``).

    Returns (first run incl. compilation, s; per op after warm-up, us).
    """
    import numpy as np

    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [16])
    c = tf.constant(np.full([16], 1.0001, np.float32))
    y = x
    for _ in range(CHAIN // 2):
        y = y * c + c
    config = tf.ConfigProto()
    config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    data = np.ones([16], np.float32)
    with tf.Session(config=config) as sess:
        t = time.perf_counter()
        sess.run(y, {x: data})
        first = time.perf_counter() - t
        per_op = _median_wall(lambda: sess.run(y, {x: data}), repeats * 4) / CHAIN * 1e6
    return first, per_op


def _torch_chain_kernel_us() -> float:
    import torch

    x = torch.ones(16)
    c = torch.full([16], 1.0001)

    def run() -> None:
        y = x
        for _ in range(CHAIN // 2):
            y = torch.add(torch.mul(y, c), c)

    with torch.no_grad():
        return _median_wall(run, 20) / CHAIN * 1e6


def _tf_results(tf_python: str, repeats: int) -> dict[str, float]:
    here = str(Path(__file__).parent)
    code = (
        f"import json, sys; sys.path.insert(0, {here!r}); import bench_ops as b; "
        "import tensorflow.compat.v1 as tf; tf.disable_eager_execution(); "
        "tf.disable_resource_variables(); tf.disable_v2_behavior(); "
        f"print('RESULT' + json.dumps(b.run_all(tf, {repeats})))"
    )
    proc = subprocess.run(
        [tf_python, "-c", code], capture_output=True, text=True, check=True, timeout=3600
    )
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT"))
    return json.loads(line[len("RESULT") :])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--tf-python", default=None)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--jit", action="store_true", help="also time the chain with compiled plans (slow start)"
    )
    args = parser.parse_args()

    import scopeflow.compat.v1 as sf

    ours = run_all(sf, args.repeats)
    ours["chain_kernel_us_per_op"] = _torch_chain_kernel_us()
    ours["chain_overhead_us_per_op"] = ours["chain_run_us_per_op"] - ours["chain_kernel_us_per_op"]
    if args.jit:
        first, per_op = _compiled_chain_us(sf, args.repeats)
        ours["chain_jit_first_run_s"] = first
        ours["chain_jit_us_per_op"] = per_op
    theirs = _tf_results(args.tf_python, args.repeats) if args.tf_python else {}
    from rich.console import Console
    from rich.table import Table

    table = Table(title="scopeflow vs TensorFlow 2.21 compat.v1 (TF1 mode), medians")
    for col in ("workload", "scopeflow", "TensorFlow", "ratio"):
        table.add_column(col)
    theirs.setdefault("chain_jit_us_per_op", theirs.get("chain_run_us_per_op", 0.0))
    for key, value in ours.items():
        tf_value = theirs.get(key)
        table.add_row(
            key,
            f"{value:.3f}",
            f"{tf_value:.3f}" if tf_value else "-",
            f"{value / tf_value:.3f}" if tf_value else "-",
        )
    Console().print(table)
    if args.json:
        args.json.write_text(json.dumps({"scopeflow": ours, "tensorflow": theirs}, indent=1))


if __name__ == "__main__":
    sys.exit(main())
