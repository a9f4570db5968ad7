"""RandomGamma / RandomPoissonV2 sampling speed: scopeflow against TensorFlow, interleaved.

    .venv/bin/python benchmarks/bench_random_gamma.py --tf-python .tf-oracle/bin/python

Each round runs one subprocess per framework (scopeflow, then TF) that builds
``tf.random.gamma([50000], [0.5, 3.0], seed=1)`` and ``tf.random.poisson([2.0, 40.0], [50000],
seed=2)`` and times ``Session.run`` of each (best of 3 runs inside the process; wall and process
CPU time). Prints the medians over the rounds and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, sys, time
if sys.argv[1] == "tf":
    import tensorflow.compat.v1 as tf
    tf.disable_eager_execution(); tf.disable_resource_variables(); tf.disable_v2_behavior()
else:
    import scopeflow.compat.v1 as tf
g = tf.random.gamma([50000], [0.5, 3.0], seed=1)
p = tf.random.poisson([2.0, 40.0], [50000], seed=2)
out = {}
with tf.Session() as sess:
    for name, t in (("gamma", g), ("poisson", p)):
        best = (float("inf"), float("inf"))
        for _ in range(3):
            w, c = time.perf_counter(), time.process_time()
            sess.run(t)
            best = min(best, (time.perf_counter() - w, time.process_time() - c))
        out[name] = best
print(json.dumps(out))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tf-python", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root / "src"), TF_CPP_MIN_LOG_LEVEL="3")
    runs: dict[str, list[dict[str, list[float]]]] = {"scopeflow": [], "tf": []}
    for _ in range(args.rounds):
        for which, py in (("scopeflow", sys.executable), ("tf", args.tf_python)):
            res = subprocess.run([py, "-c", CHILD, which], env=env, capture_output=True,
                                 text=True, check=True)  # fmt: skip
            runs[which].append(json.loads(res.stdout.strip().splitlines()[-1]))
    print("load average:", Path("/proc/loadavg").read_text().split()[:3])
    for op in ("gamma", "poisson"):
        row = {}
        for which in ("scopeflow", "tf"):
            row[which] = [statistics.median(r[op][k] for r in runs[which]) * 1e3 for k in (0, 1)]
        ratio = row["scopeflow"][0] / row["tf"][0]
        print(f"{op} 100000 samples: scopeflow wall {row['scopeflow'][0]:.1f} ms cpu "
              f"{row['scopeflow'][1]:.1f} ms | TF wall {row['tf'][0]:.1f} ms cpu "
              f"{row['tf'][1]:.1f} ms | wall ratio {ratio:.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
