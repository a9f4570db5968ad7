"""Benchmark ``tf.train.Saver.restore`` and ``tf.train.list_variables``: scopeflow vs TensorFlow.

* restore: a model of ``--vars`` float32 variables of shape ``[--dim, --dim]`` is saved once
  with scopeflow's Saver; scopeflow and TF (same graph, same checkpoint files) each time
  ``Saver.restore`` into a fresh session — first call (scopeflow compiles its run plan then)
  and median of the following calls.
* list: ``tf.train.list_variables`` of the 16,000-variable ``many_vars`` fixture, median of
  N calls; scopeflow's reader cache is cleared before each call (cold) and also measured warm.

TF runs in a subprocess of ``--tf-python`` (never imported here). Usage::

    .venv/bin/python benchmarks/bench_checkpoint_restore.py --tf-python .tf-oracle/bin/python
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
import time
import warnings
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, os.environ.get("SCOPEFLOW_SRC", str(REPO / "src")))

MANY_VARS = REPO.parent / "shared" / "fixtures" / "tf1_checkpoints" / "many_vars" / "model.ckpt"

TF_SCRIPT = textwrap.dedent(
    """
    import json, os, statistics, sys, time
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tensorflow.compat.v1 as tf
    tf.disable_eager_execution(); tf.disable_resource_variables(); tf.disable_v2_behavior()
    prefix, many, n_vars, dim, repeats = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
    for i in range(n_vars):
        tf.get_variable("layer_%05d/w" % i, [dim, dim], initializer=tf.zeros_initializer())
    saver = tf.train.Saver()
    times = []
    for _ in range(repeats + 1):
        with tf.Session() as sess:
            t = time.perf_counter()
            saver.restore(sess, prefix)
            times.append(time.perf_counter() - t)
    lt = []
    for _ in range(repeats):
        t = time.perf_counter(); tf.train.list_variables(many); lt.append(time.perf_counter() - t)
    print(json.dumps({"version": tf.__version__ if hasattr(tf, "__version__") else "",
                      "first": times[0], "restore": statistics.median(times[1:]),
                      "list": statistics.median(lt)}))
    """
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vars", type=int, default=2000)
    parser.add_argument("--dim", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--tf-python", help="python of a virtualenv with tensorflow installed")
    args = parser.parse_args()

    import scopeflow.compat.v1 as tf
    from scopeflow.train import io_ops

    warnings.simplefilter("ignore", UserWarning)
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        prefix = str(Path(tmp) / "model.ckpt")
        t0 = time.perf_counter()
        variables = [
            tf.get_variable(f"layer_{i:05d}/w", [args.dim, args.dim]) for i in range(args.vars)
        ]
        saver = tf.train.Saver()
        build_s = time.perf_counter() - t0
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            t0 = time.perf_counter()
            saver.save(sess, prefix, write_meta_graph=False)
            save_s = time.perf_counter() - t0
            want = sess.run(variables[-1])
        mib = args.vars * args.dim * args.dim * 4 / (1 << 20)
        rows.append(
            ("model", f"{args.vars} float32 variables [{args.dim},{args.dim}], {mib:.1f} MiB")
        )
        rows.append(("scopeflow graph build (variables + Saver)", f"{build_s:.3f} s"))
        rows.append(("scopeflow Saver.save", f"{save_s:.3f} s"))
        times = []
        for _ in range(args.repeats + 1):
            with tf.Session() as sess:
                t0 = time.perf_counter()
                saver.restore(sess, prefix)
                times.append(time.perf_counter() - t0)
                assert np.array_equal(sess.run(variables[-1]), want)
        ours_first, ours = times[0], statistics.median(times[1:])
        rows.append(("scopeflow Saver.restore, first (incl. plan compile)", f"{ours_first:.3f} s"))
        rows.append(("scopeflow Saver.restore, fresh session (median)", f"{ours:.3f} s"))

        def list_cold() -> float:
            io_ops._READERS.clear()
            t0 = time.perf_counter()
            tf.train.list_variables(str(MANY_VARS))
            return time.perf_counter() - t0

        cold = statistics.median(list_cold() for _ in range(args.repeats))
        warm_times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            tf.train.list_variables(str(MANY_VARS))
            warm_times.append(time.perf_counter() - t0)
        warm = statistics.median(warm_times)
        rows.append(("scopeflow list_variables(many_vars, 16,000), cold", f"{cold * 1e3:.1f} ms"))
        rows.append(("scopeflow list_variables(many_vars), reader cached", f"{warm * 1e3:.1f} ms"))

        if args.tf_python:
            out = subprocess.run(
                [args.tf_python, "-c", TF_SCRIPT, prefix, str(MANY_VARS), str(args.vars),
                 str(args.dim), str(args.repeats)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            res = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(("TF Saver.restore, first", f"{res['first']:.3f} s"))
            rows.append(("TF Saver.restore, fresh session (median)", f"{res['restore']:.3f} s"))
            rows.append(("TF list_variables(many_vars)", f"{res['list'] * 1e3:.1f} ms"))
            rows.append(("ratio restore scopeflow/TF (median)", f"{ours / res['restore']:.2f}x"))
            rows.append(("ratio list scopeflow cold/TF", f"{cold / res['list']:.2f}x"))

    width = max(len(n) for n, _ in rows)
    print(f"median of {args.repeats} runs")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
