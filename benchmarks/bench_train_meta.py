"""Continuing training from a TF-written ``model.ckpt.meta``: scopeflow vs TF.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_train_meta.py \
        --tf-python .tf-oracle/bin/python

For each training fixture named (default ``conv_adam`` and ``lstm_momentum`` of
``tests/graph_import/golden/train_meta``): the wall time of ``import_meta_graph`` + ``restore``
(median of ``--repeats`` fresh graphs), then the median wall time of one training step (the
recorded first batch fed, ``--steps`` steps after 3 warm-up steps). Each side runs in its own
process, TF (``--tf-python``, never a scopeflow dependency) right after scopeflow; the ratio is
TF / scopeflow (above 1: scopeflow faster).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

TRAIN = Path(__file__).resolve().parents[1] / "tests" / "graph_import" / "golden" / "train_meta"


def _worker(side: str, name: str, repeats: int, steps: int) -> dict[str, float]:
    import numpy as np

    if side == "tf":
        import tensorflow.compat.v1 as tf

        tf.disable_v2_behavior()
    else:
        import scopeflow.compat.v1 as tf  # type: ignore[no-redef]
    d = TRAIN / name
    data = np.load(d / "expected.npz")
    case = json.loads((d / "case.json").read_text())
    feeds = {k[6:]: data[k] for k in data.files if k.startswith("feed0:")}
    imports = []
    for _ in range(repeats):
        with tf.Graph().as_default(), tf.Session() as sess:
            t0 = time.perf_counter()
            saver = tf.train.import_meta_graph(str(d / "model.ckpt.meta"))
            saver.restore(sess, str(d / "model.ckpt"))
            imports.append(time.perf_counter() - t0)
    with tf.Graph().as_default(), tf.Session() as sess:
        saver = tf.train.import_meta_graph(str(d / "model.ckpt.meta"))
        saver.restore(sess, str(d / "model.ckpt"))
        fetches = [case["loss"], case["train_op"]]
        for _ in range(3):
            sess.run(fetches, feeds)
        times = []
        for _ in range(steps):
            t0 = time.perf_counter()
            sess.run(fetches, feeds)
            times.append(time.perf_counter() - t0)
    return {"import": statistics.median(imports), "step": statistics.median(times)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--tf-python", help="a Python with TensorFlow, to time TF on the same files")
    p.add_argument("--names", nargs="*", default=["conv_adam", "lstm_momentum"])
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--worker", nargs=2, metavar=("SIDE", "NAME"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        side, name = args.worker
        print(json.dumps(_worker(side, name, args.repeats, args.steps)))
        return
    for name in args.names:
        rows = {}
        sides = [("scopeflow", sys.executable)]
        if args.tf_python:
            sides.append(("tf", args.tf_python))
        for side, python in sides:
            cmd = [python, __file__, "--worker", side, name, "--repeats", str(args.repeats),
                   "--steps", str(args.steps)]  # fmt: skip
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            rows[side] = json.loads(out.strip().splitlines()[-1])
        for key in ("import", "step"):
            line = f"{name} {key}: scopeflow {rows['scopeflow'][key] * 1e3:.2f} ms"
            if "tf" in rows:
                ratio = rows["tf"][key] / rows["scopeflow"][key]
                line += f", TF {rows['tf'][key] * 1e3:.2f} ms, TF/scopeflow {ratio:.2f}"
            print(line)


if __name__ == "__main__":
    main()
