"""MLP forward on an idle and on a busy machine (issue 13), scopeflow vs TensorFlow in the same run.

Workload: the forward pass of a 4-layer tanh MLP (width 1,024, batch 64) in a session configured
with ``intra_op_parallelism_threads=2``, as a user on a shared server or a laptop would run it.

* idle: nothing else started by the benchmark (the machine may still carry other load).
* contended: a busy-loop process pinned to CPU 0 runs for the whole measurement (bounded by
  ``--busy-timeout`` seconds, stopped at the end), so one of the cores is taken.

Each implementation runs in a fresh subprocess, so the environment scopeflow sees at import time
is the one given here (``--sf-env`` adds variables, e.g. ``OMP_WAIT_POLICY=ACTIVE`` to measure the
old default). Medians of ``--repeats`` subprocess runs, each the median of ``--calls`` calls.

    .venv/bin/python benchmarks/bench_contention.py --tf-python .tf-oracle/bin/python
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
_SRC = _HERE.parent / "src"


def mlp_forward_ms(tf: Any, calls: int, threads: int = 2) -> float:
    """Median wall time (ms) of the MLP forward in a session with ``threads`` intra-op threads."""
    import numpy as np

    tf.reset_default_graph()
    tf.set_random_seed(0)
    inp = tf.placeholder(tf.float32, [64, 1024])
    h = inp
    for i in range(4):
        w = tf.get_variable(f"w{i}", [1024, 1024])
        b = tf.get_variable(f"b{i}", [1024], initializer=tf.zeros_initializer())
        h = tf.tanh(tf.matmul(h, w) + b)
    loss = tf.reduce_mean(tf.square(h))
    feed = {inp: np.random.RandomState(0).rand(64, 1024).astype(np.float32)}
    config = tf.ConfigProto(
        intra_op_parallelism_threads=threads, inter_op_parallelism_threads=threads
    )
    with tf.Session(config=config) as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            sess.run(loss, feed)
        times = []
        for _ in range(calls):
            t = time.perf_counter()
            sess.run(loss, feed)
            times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


_SF_CODE = (
    "import sys, json; sys.path.insert(0, {here!r}); import bench_contention as b; "
    "import scopeflow.compat.v1 as tf; print('RESULT' + json.dumps(b.mlp_forward_ms(tf, {calls})))"
)
_TF_CODE = (
    "import sys, json; sys.path.insert(0, {here!r}); import bench_contention as b; "
    "import tensorflow.compat.v1 as tf; tf.disable_eager_execution(); "
    "tf.disable_resource_variables(); tf.disable_v2_behavior(); "
    "print('RESULT' + json.dumps(b.mlp_forward_ms(tf, {calls})))"
)


def _measure(python: str, code: str, env: dict[str, str]) -> float:
    proc = subprocess.run(
        [python, "-c", code], capture_output=True, text=True, check=True, env=env, timeout=600
    )
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT"))
    return float(line[len("RESULT") :])


_BUSY_CODE = (
    "import os, time; os.sched_setaffinity(0, {{0}}); end = time.monotonic() + {timeout}\n"
    "while time.monotonic() < end:\n    sum(range(10000))\n"
)


@contextlib.contextmanager
def busy_core(timeout: float) -> Iterator[None]:
    """A busy-loop process pinned to CPU 0 for the block (it exits by itself after ``timeout``)."""
    proc = subprocess.Popen([sys.executable, "-c", _BUSY_CODE.format(timeout=timeout)])
    try:
        time.sleep(0.5)
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--tf-python", default=None)
    parser.add_argument("--repeats", type=int, default=5, help="subprocess runs per cell")
    parser.add_argument("--calls", type=int, default=30, help="timed calls per subprocess")
    parser.add_argument("--busy-timeout", type=float, default=900.0)
    parser.add_argument(
        "--sf-env", action="append", default=[], help="NAME=VALUE for the scopeflow runs"
    )
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    sf_env = dict(os.environ)
    sf_env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(_SRC), sf_env.get("PYTHONPATH", "")) if p
    )
    for item in args.sf_env:
        name, _, value = item.partition("=")
        sf_env[name] = value
    tf_env = dict(os.environ)
    sf_code = _SF_CODE.format(here=str(_HERE), calls=args.calls)
    tf_code = _TF_CODE.format(here=str(_HERE), calls=args.calls)

    load_before = os.getloadavg()[0]
    results: dict[str, dict[str, list[float]]] = {}
    for load in ("idle", "contended"):
        cm = busy_core(args.busy_timeout) if load == "contended" else contextlib.nullcontext()
        runs: dict[str, list[float]] = {"scopeflow": [], "tensorflow": []}
        with cm:
            for _ in range(args.repeats):  # interleaved, so drifting load hits both alike
                runs["scopeflow"].append(_measure(sys.executable, sf_code, sf_env))
                if args.tf_python:
                    runs["tensorflow"].append(_measure(args.tf_python, tf_code, tf_env))
        results[load] = runs

    print("MLP 4x1024 forward, batch 64, intra_op_parallelism_threads=2 (ms, median of runs)")
    print(f"1-minute load average: {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(
        f"{'load':<10} {'scopeflow':>10} {'TensorFlow':>11} {'ratio':>7} {'best sf/tf':>12}"
        "   runs (sf | tf)"
    )
    for load, runs in results.items():
        sf = statistics.median(runs["scopeflow"])
        tf = statistics.median(runs["tensorflow"]) if runs["tensorflow"] else float("nan")
        best = min(runs["scopeflow"]) / min(runs["tensorflow"]) if runs["tensorflow"] else sf
        detail = " ".join(f"{v:.1f}" for v in runs["scopeflow"])
        detail += " | " + " ".join(f"{v:.1f}" for v in runs["tensorflow"])
        print(f"{load:<10} {sf:>10.2f} {tf:>11.2f} {sf / tf:>7.2f} {best:>12.2f}   {detail}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
