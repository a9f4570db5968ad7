"""Foundation benchmarks (issue 2): graph building and Session.run, scopeflow vs TensorFlow.

Runs the same workloads on scopeflow (in this process) and on TensorFlow 2.21 ``compat.v1`` in
TF 1.x mode (in a subprocess of ``--tf-python``), and prints the ratio of each pair measured in the
same run. Timings are CPU time (``time.process_time``) where the workload is single-threaded Python
(graph building), so other load on the machine disturbs them less; Session.run uses wall time.
Each number is the median of ``--repeats`` runs.

    .venv/bin/python benchmarks/bench_foundation.py --tf-python .tf-oracle/bin/python

Targets (issue 2): get_variable create <= 1/20 of TF's time, reuse lookup <= 1/10, variable_scope
enter+exit <= 1/5, a 16,000-variable model built in <= 1 s with cost linear in the number of
variables, Session.run of the seed image filter (batch 1 and 8) no slower than TF. Issue 13 adds
the same create and 16,000-variable targets (<= 1/20 of TF's per-variable time) with explicit
initializers (``zeros_initializer()``, ``truncated_normal_initializer(stddev=0.02)``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any


def _median(fn: Any, repeats: int) -> float:
    return statistics.median(fn() for _ in range(repeats))


def run_all(tf: Any, repeats: int, backend: str) -> dict[str, float]:
    """All workloads on one ``tf`` module; returns seconds (per unit where named ``_us``)."""
    import numpy as np

    out: dict[str, float] = {}
    n = 2000

    def create() -> float:
        tf.reset_default_graph()
        t = time.process_time()
        for i in range(n):
            tf.get_variable(f"v{i}", [10, 10])
        return (time.process_time() - t) / n * 1e6

    out["get_variable_create_us"] = _median(create, repeats)

    def create_explicit(make_init: Any) -> float:
        tf.reset_default_graph()
        t = time.process_time()
        for i in range(n):
            tf.get_variable(f"v{i}", [10, 10], initializer=make_init())
        return (time.process_time() - t) / n * 1e6

    out["get_variable_create_zeros_us"] = _median(
        lambda: create_explicit(tf.zeros_initializer), repeats
    )
    out["get_variable_create_truncated_normal_us"] = _median(
        lambda: create_explicit(lambda: tf.truncated_normal_initializer(stddev=0.02)), repeats
    )

    def reuse() -> float:
        tf.reset_default_graph()
        for i in range(n):
            tf.get_variable(f"v{i}", [10, 10])
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):
            t = time.process_time()
            for i in range(n):
                tf.get_variable(f"v{i}", [10, 10])
            return (time.process_time() - t) / n * 1e6

    out["get_variable_reuse_us"] = _median(reuse, repeats)

    def scope() -> float:
        tf.reset_default_graph()
        t = time.process_time()
        for _ in range(n):
            with tf.variable_scope("s"):
                pass
        return (time.process_time() - t) / n * 1e6

    out["variable_scope_enter_exit_us"] = _median(scope, repeats)

    def model(num_vars: int) -> float:
        tf.reset_default_graph()
        t = time.process_time()
        for layer in range(num_vars // 2):
            with tf.variable_scope(f"layer{layer}"):
                tf.get_variable("kernel", [16, 16])
                tf.get_variable("bias", [16], initializer=tf.zeros_initializer())
        tf.global_variables_initializer()
        return time.process_time() - t

    def model_explicit(num_vars: int) -> float:
        """A BERT-style build: every initializer explicit (kernels N(0, 0.02²), zero biases)."""
        tf.reset_default_graph()
        t = time.process_time()
        for layer in range(num_vars // 2):
            with tf.variable_scope(f"layer{layer}"):
                tf.get_variable(
                    "kernel", [16, 16], initializer=tf.truncated_normal_initializer(stddev=0.02)
                )
                tf.get_variable("bias", [16], initializer=tf.zeros_initializer())
        tf.global_variables_initializer()
        return time.process_time() - t

    model_sizes = (4000, 8000, 16000) if backend == "scopeflow" else (4000, 16000)
    model_repeats = repeats if backend == "scopeflow" else 1
    for size in model_sizes:
        out[f"model_{size}_vars_s"] = _median(lambda s=size: model(s), model_repeats)
    for size in model_sizes:
        out[f"model_explicit_{size}_vars_s"] = _median(
            lambda s=size: model_explicit(s), model_repeats
        )

    def image_filter(batch: int) -> float:
        tf.reset_default_graph()
        tf.set_random_seed(1)

        def conv_relu(inp: Any, kernel_shape: list[int], bias_shape: list[int]) -> Any:
            weights = tf.get_variable(
                "weights", kernel_shape, initializer=tf.random_normal_initializer()
            )
            biases = tf.get_variable("biases", bias_shape, initializer=tf.constant_initializer(0.0))
            conv = tf.nn.conv2d(inp, weights, strides=[1, 1, 1, 1], padding="SAME")
            return tf.nn.relu(conv + biases)

        x = tf.placeholder(tf.float32, [None, 64, 64, 32])
        with tf.variable_scope("image_filters"):
            with tf.variable_scope("conv1"):
                relu1 = conv_relu(x, [5, 5, 32, 32], [32])
            with tf.variable_scope("conv2"):
                y = conv_relu(relu1, [5, 5, 32, 32], [32])
        data = np.random.RandomState(0).rand(batch, 64, 64, 32).astype(np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(y, {x: data})
            times = []
            for _ in range(max(5, repeats * 2)):
                t = time.perf_counter()
                sess.run(y, {x: data})
                times.append(time.perf_counter() - t)
        return statistics.median(times) * 1e3

    out["image_filter_batch1_ms"] = image_filter(1)
    out["image_filter_batch8_ms"] = image_filter(8)
    return out


def _tf_results(tf_python: str, repeats: int) -> dict[str, float]:
    here = str(Path(__file__).parent)
    code = (
        f"import json, sys; sys.path.insert(0, {here!r}); import bench_foundation as b; "
        "import tensorflow.compat.v1 as tf; tf.disable_eager_execution(); "
        "tf.disable_resource_variables(); tf.disable_v2_behavior(); "
        f"print('RESULT' + json.dumps(b.run_all(tf, {repeats}, 'tf')))"
    )
    proc = subprocess.run(
        [tf_python, "-c", code], capture_output=True, text=True, check=True, timeout=3600
    )
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT"))
    return json.loads(line[len("RESULT") :])  # type: ignore[no-any-return]


TARGETS = {
    "get_variable_create_us": 1 / 20,
    "get_variable_create_zeros_us": 1 / 20,
    "get_variable_create_truncated_normal_us": 1 / 20,
    "model_16000_vars_s": 1 / 20,
    "model_explicit_16000_vars_s": 1 / 20,
    "get_variable_reuse_us": 1 / 10,
    "variable_scope_enter_exit_us": 1 / 5,
    "image_filter_batch1_ms": 1.0,
    "image_filter_batch8_ms": 1.0,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tf-python", default=None, help="python of a TensorFlow virtualenv")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    args = parser.parse_args()

    import scopeflow.compat.v1 as sf

    ours = run_all(sf, args.repeats, "scopeflow")
    theirs = _tf_results(args.tf_python, args.repeats) if args.tf_python else {}
    from rich.console import Console
    from rich.table import Table

    table = Table(title="scopeflow vs TensorFlow 2.21 compat.v1 (TF1 mode), medians")
    for col in ("workload", "scopeflow", "TensorFlow", "ratio", "target"):
        table.add_column(col)
    for key, value in ours.items():
        tf_value = theirs.get(key)
        ratio = f"{value / tf_value:.3f}" if tf_value else "-"
        target = TARGETS.get(key)
        table.add_row(
            key,
            f"{value:.3f}",
            f"{tf_value:.3f}" if tf_value else "-",
            ratio,
            f"<= {target:.3f}" if target else "",
        )
    Console().print(table)
    if args.json:
        args.json.write_text(json.dumps({"scopeflow": ours, "tensorflow": theirs}, indent=1))


if __name__ == "__main__":
    main()
