"""Import time of a 1,000-node GraphDef: scopeflow's ``tf.import_graph_def`` vs TF's.

    PYTHONPATH=src .venv/bin/python benchmarks/graph_import_bench.py \
        --tf-python .tf-oracle/bin/python

The graph: a placeholder and 333 blocks of (Const, MatMul, Relu) on [8, 8] floats, 1,000 nodes,
written by scopeflow to a temporary ``.pb``; each side parses it once and imports it into a
fresh graph ``--repeats`` times (after one warm-up import), in its own process. The two sides
alternate for ``--rounds`` rounds (scopeflow, TF, TF, scopeflow, ...: TF runs under
``--tf-python``, it is never a scopeflow dependency). Prints per round and over all imports the
median wall time and the median CPU time of the process (less sensitive to other load on a
shared machine), the ratios TF / scopeflow of the medians, and the load average.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _write(path: str) -> None:
    import numpy as np

    import scopeflow.compat.v1 as tf

    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [None, 8], name="x")
        h = x
        rng = np.random.default_rng(0)
        for i in range(333):
            w = tf.constant(rng.normal(size=(8, 8)).astype(np.float32) / 3, name=f"w{i}")
            h = tf.nn.relu(tf.matmul(h, w), name=f"r{i}")
        gd = g.as_graph_def()
    Path(path).write_bytes(gd.SerializeToString())


def _times(tf: object, path: str, repeats: int) -> list[tuple[float, float]]:
    gd = tf.GraphDef()  # type: ignore[attr-defined]
    gd.ParseFromString(Path(path).read_bytes())

    def run() -> None:
        with tf.Graph().as_default():  # type: ignore[attr-defined]
            tf.import_graph_def(gd, name="")  # type: ignore[attr-defined]

    run()
    out = []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        run()
        out.append((time.perf_counter() - start, time.process_time() - cpu))
    return out


def _report(side: str, times: list[tuple[float, float]]) -> tuple[float, float]:
    wall = statistics.median(t for t, _ in times)
    cpu = statistics.median(c for _, c in times)
    best = min(t for t, _ in times)
    print(f"{side:<10} wall median {wall * 1e3:.1f} ms (best {best * 1e3:.1f}), "
          f"CPU median {cpu * 1e3:.1f} ms")  # fmt: skip
    return wall, cpu


def _worker(python: str, side: str, path: str, repeats: int) -> list[tuple[float, float]]:
    out = subprocess.run(
        [python, __file__, "--worker", side, path, "--repeats", str(repeats)],
        check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    return [(float(t), float(c)) for t, c in (item.split(",") for item in out)]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--tf-python", help="a Python with TensorFlow, to time TF on the same graph")
    p.add_argument("--repeats", type=int, default=9)
    p.add_argument("--rounds", type=int, default=4)
    p.add_argument("--worker", nargs=2, metavar=("SIDE", "PB"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        side, path = args.worker
        if side == "tf":
            import tensorflow.compat.v1 as tf
        else:
            import scopeflow.compat.v1 as tf  # type: ignore[no-redef]
        print(" ".join(f"{t:.6f},{c:.6f}" for t, c in _times(tf, path, args.repeats)))
        return
    with tempfile.TemporaryDirectory() as d:
        path = str(Path(d) / "g1000.pb")
        _write(path)
        sides = {"scopeflow": sys.executable}
        if args.tf_python:
            sides["TF"] = args.tf_python
        every: dict[str, list[tuple[float, float]]] = {side: [] for side in sides}
        for r in range(args.rounds):
            order = list(sides) if r % 2 == 0 else list(reversed(sides))
            medians = {}
            for side in order:
                times = _worker(sides[side], "tf" if side == "TF" else "sf", path, args.repeats)
                every[side] += times
                medians[side] = _report(f"{side}", times)
            if "TF" in medians:
                (sw, sc), (tw, tc) = medians["scopeflow"], medians["TF"]
                print(f"round {r}: TF / scopeflow wall {tw / sw:.2f}x, CPU {tc / sc:.2f}x")
        print("all rounds:")
        res = {side: _report(side, times) for side, times in every.items()}
        if "TF" in res:
            (sw, sc), (tw, tc) = res["scopeflow"], res["TF"]
            print(f"TF / scopeflow: wall {tw / sw:.2f}x, CPU {tc / sc:.2f}x")
        print("load average:", Path("/proc/loadavg").read_text().split()[:3])
    sys.stdout.flush()


if __name__ == "__main__":
    main()
