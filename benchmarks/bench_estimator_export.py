"""Benchmark Estimator SavedModel export and serving: scopeflow vs TensorFlow 1.15's estimator.

The custom model of ``tests/estimator/export_model.py`` (numeric and vocabulary-file features, a
dense layer, three export outputs) is trained for 3 steps, then ``export_saved_model`` with a
``tf.Example`` parsing receiver is timed (graph building, checkpoint restore, writing the
SavedModel), and so is loading the export (``tf.saved_model.loader.load`` in a fresh graph and
session) plus one ``serving_default`` call on 3 serialized examples. Each process does
``--repeats`` of each and reports medians of wall and process CPU time (all threads); the
scopeflow and TF processes alternate for ``--rounds`` rounds (A/B/A/B) and the medians over
rounds are reported with the load average. TF runs TF 1.15's estimator source on TF 2
(``TF_ESTIMATOR_SRC``, see ``tools/tf_estimator_shim.py``)::

    TF_ESTIMATOR_SRC=/tmp/tfe15 .venv/bin/python benchmarks/bench_estimator_export.py \\
        --tf-python .tf-oracle/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

WORKLOAD = r"""
import json, statistics, sys, tempfile, time
import numpy as np
sys.path.insert(0, sys.argv[1] + "/tests/estimator")
import export_model

def run(tf, est_ns, repeats):
    work = tempfile.mkdtemp()
    vocab = work + "/vocab.txt"
    open(vocab, "w").write(export_model.VOCAB)
    est = est_ns.Estimator(export_model._model_fn(tf, est_ns, vocab), model_dir=work + "/m")
    est.train(export_model._input_fn(tf), steps=3)
    spec = {"x": tf.FixedLenFeature([2], tf.float32), "w": tf.FixedLenFeature([1], tf.string)}
    fn = est_ns.export.build_parsing_serving_input_receiver_fn(spec)
    examples = np.array(export_model._examples(tf), dtype=object)
    t = {"export": [], "export_cpu": [], "load_serve": [], "load_serve_cpu": []}
    for i in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        path = est.export_saved_model(f"{work}/e{i}", fn)
        w1, c1 = time.perf_counter(), time.process_time()
        with tf.Graph().as_default() as g, tf.Session(graph=g) as sess:
            meta = tf.saved_model.loader.load(sess, ["serve"], path)
            sig = meta.signature_def["serving_default"]
            (inp,) = sig.inputs.values()
            sess.run({k: v.name for k, v in sig.outputs.items()}, {inp.name: examples})
        w2, c2 = time.perf_counter(), time.process_time()
        t["export"].append(w1 - w0); t["export_cpu"].append(c1 - c0)
        t["load_serve"].append(w2 - w1); t["load_serve_cpu"].append(c2 - c1)
    return {k: statistics.median(v) for k, v in t.items()}
"""

SF_SIDE = (
    WORKLOAD
    + r"""
import scopeflow.compat.v1 as tf
print(json.dumps(run(tf, tf.estimator, int(sys.argv[2]))))
"""
)

TF_SIDE = (
    WORKLOAD
    + r"""
import logging, os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow.compat.v1 as tf
tf.disable_eager_execution(); tf.disable_resource_variables(); tf.disable_v2_behavior()
tf.get_logger().setLevel(logging.ERROR)
sys.path.insert(0, sys.argv[1] + "/tools")
import record_estimator_export
print(json.dumps(run(tf, record_estimator_export._estimator_namespace(tf), int(sys.argv[2]))))
"""
)


def _side(python: str, code: str, repeats: int) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), TF_USE_LEGACY_KERAS="1")
    out = subprocess.run(
        [python, "-c", code, str(REPO), str(repeats)],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tf-python", required=True)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {"scopeflow": [], "tf": []}
    loads = []
    for _ in range(args.rounds):
        loads.append(Path("/proc/loadavg").read_text().split()[0])
        runs["scopeflow"].append(_side(sys.executable, SF_SIDE, args.repeats))
        runs["tf"].append(_side(args.tf_python, TF_SIDE, args.repeats))
    print(f"load average (1 min) at each round: {', '.join(loads)}")
    print(f"{'metric (median, s)':24} {'scopeflow':>10} {'TF 1.15':>10} {'ratio':>7}")
    for key in ("export", "export_cpu", "load_serve", "load_serve_cpu"):
        sf = statistics.median(r[key] for r in runs["scopeflow"])
        tf = statistics.median(r[key] for r in runs["tf"])
        print(f"{key:24} {sf:10.4f} {tf:10.4f} {sf / tf:7.2f}")


if __name__ == "__main__":
    main()
