"""Benchmark loading a TF1 SavedModel and running its serving signature: scopeflow vs TF.

Loads ``tests/fixtures/saved_models/convnet`` (written by TF: conv, pool, dense; 3 variables)
with ``tf.compat.v1.saved_model.loader.load`` into a fresh graph and session, then runs
``fc/scores`` on the recorded input. Rows: the load (parse, import, restore) and one run after
the first, each the median over ``--repeats`` fresh loads (20 runs each). The same code runs
under both libraries; TF runs in a subprocess of ``--tf-python``. Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_saved_model.py \
        --tf-python .tf-oracle/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

MEASURE = r"""
import json, statistics, sys, time
import numpy as np
d, repeats = sys.argv[1], int(sys.argv[2])
x = np.load(d + "/expected.npz")["in:images"]
loads, runs = [], []
for _ in range(repeats):
    with tf.Graph().as_default(), tf.Session() as sess:
        t0 = time.perf_counter()
        tf.saved_model.loader.load(sess, ["serve"], d)
        t1 = time.perf_counter()
        sess.run("fc/scores:0", {"images:0": x})
        t2 = time.perf_counter()
        for _ in range(20):
            sess.run("fc/scores:0", {"images:0": x})
        t3 = time.perf_counter()
    loads.append(t1 - t0)
    runs.append((t3 - t2) / 20)
print(json.dumps({"load": statistics.median(loads), "run": statistics.median(runs)}))
"""
SF = "import scopeflow.compat.v1 as tf\n"
TF = (
    "import os\nos.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')\n"
    "import tensorflow.compat.v1 as tf\ntf.disable_eager_execution()\n"
    "tf.disable_resource_variables()\ntf.disable_v2_behavior()\n"
)


def _measure(python: str, prelude: str, repeats: int) -> dict[str, float]:
    d = str(REPO / "tests" / "fixtures" / "saved_models" / "convnet")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    out = subprocess.run([python, "-c", prelude + MEASURE, d, str(repeats)], env=env,
                         capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tf-python", help="python of a virtualenv with tensorflow installed")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    sf = _measure(sys.executable, SF, args.repeats)
    tfr = _measure(args.tf_python, TF, args.repeats) if args.tf_python else None
    print("| step | scopeflow | TF | ratio |\n|---|---|---|---|")
    for key, label, scale, unit in (("load", "load", 1e3, "ms"), ("run", "run", 1e6, "us")):
        row = f"| {label} | {sf[key] * scale:.1f} {unit} |"
        if tfr:
            row += f" {tfr[key] * scale:.1f} {unit} | {sf[key] / tfr[key]:.2f} |"
        else:
            row += " | |"
        print(row)


if __name__ == "__main__":
    main()
