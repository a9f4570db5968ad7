"""tf.image colour kernels on a 224x224x3 image: TF and scopeflow source trees, interleaved.

    .venv/bin/python benchmarks/bench_image_colour.py --tf-python .tf-oracle/bin/python \\
        --sf before=/path/to/old/checkout/src --sf after=src --rounds 6 --steps 20

Every runtime (TensorFlow, and each ``--sf name=src_dir`` scopeflow tree) is a long-lived
worker process that builds every workload once (a float32 placeholder fed from NumPy, one op
or chain fetched); the parent then asks the workers in turn, round after round with the order
rotating, for ``--steps`` timed ``Session.run`` calls, so load spikes of a shared machine fall
on all of them alike. Reported per workload and runtime: the median wall time and process CPU
time (``time.process_time``: all threads of the worker) of one run, and the ratio of TF's
median wall time to the runtime's (throughput relative to TF, > 1 is faster).

Workloads: ``adjust_saturation`` (x1.3), ``adjust_hue`` (+0.1), ``rgb_to_hsv``,
``hsv_to_rgb``, ``adjust_contrast`` (x1.2), and ``colour_224`` (inception-style
``random_brightness``, ``random_saturation``, ``random_hue``, ``random_contrast``,
``clip_by_value``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

WORKLOADS = (
    "adjust_saturation",
    "adjust_hue",
    "rgb_to_hsv",
    "hsv_to_rgb",
    "adjust_contrast",
    "colour_224",
)


def _build(tf: Any, workload: str) -> tuple[Any, Any]:
    x = tf.placeholder(tf.float32, [224, 224, 3])
    if workload == "adjust_saturation":
        return x, tf.image.adjust_saturation(x, 1.3)
    if workload == "adjust_hue":
        return x, tf.image.adjust_hue(x, 0.1)
    if workload == "rgb_to_hsv":
        return x, tf.image.rgb_to_hsv(x)
    if workload == "hsv_to_rgb":
        return x, tf.image.hsv_to_rgb(x)
    if workload == "adjust_contrast":
        return x, tf.image.adjust_contrast(x, 1.2)
    tf.set_random_seed(1)
    d = tf.image.random_brightness(x, max_delta=32.0 / 255.0)
    d = tf.image.random_saturation(d, lower=0.5, upper=1.5)
    d = tf.image.random_hue(d, max_delta=0.2)
    d = tf.image.random_contrast(d, lower=0.5, upper=1.5)
    return x, tf.clip_by_value(d, 0.0, 1.0)


def _worker_main(kind: str) -> None:
    if kind == "tf":
        import tensorflow.compat.v1 as tf

        tf.disable_eager_execution()
        tf.disable_v2_behavior()
    else:
        import scopeflow.compat.v1 as tf
    image = np.random.RandomState(0).uniform(0, 1, (224, 224, 3)).astype(np.float32)
    built = {}
    for w in WORKLOADS:
        g = tf.Graph()
        with g.as_default():
            x, y = _build(tf, w)
        sess = tf.Session(graph=g)
        for _ in range(3):
            sess.run(y, {x: image})
        built[w] = (sess, x, y)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    for line in sys.stdin:
        req = json.loads(line)
        if req["cmd"] == "quit":
            break
        sess, x, y = built[req["workload"]]
        wall, cpu = [], []
        for _ in range(req["steps"]):
            t, c = time.perf_counter(), time.process_time()
            sess.run(y, {x: image})
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        sys.stdout.write(json.dumps({"wall": wall, "cpu": cpu}) + "\n")
        sys.stdout.flush()


class _Worker:
    def __init__(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  env=env, text=True)  # fmt: skip
        assert self.p.stdout is not None
        assert self.p.stdout.readline().strip() == "ready"

    def ask(self, workload: str, steps: int) -> dict[str, list[float]]:
        assert self.p.stdin is not None
        assert self.p.stdout is not None
        self.p.stdin.write(json.dumps({"cmd": "run", "workload": workload, "steps": steps}) + "\n")
        self.p.stdin.flush()
        return json.loads(self.p.stdout.readline())  # type: ignore[no-any-return]

    def close(self) -> None:
        assert self.p.stdin is not None
        self.p.stdin.write(json.dumps({"cmd": "quit"}) + "\n")
        self.p.stdin.close()
        self.p.wait()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tf-python", default=None)
    ap.add_argument("--sf", action="append", default=[], help="name=src_dir (repeatable)")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        _worker_main(args.worker)
        return
    script = str(Path(__file__).resolve())
    workers = []
    if args.tf_python:
        env = {**os.environ, "TF_USE_LEGACY_KERAS": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
        workers.append(_Worker("TF", [args.tf_python, script, "--worker", "tf"], env))
    for spec in args.sf or ["scopeflow=src"]:
        name, _, src = spec.partition("=")
        env = {**os.environ, "PYTHONPATH": str(Path(src).resolve())}
        workers.append(_Worker(name, [sys.executable, script, "--worker", "sf"], env))
    print(f"load average at start: {os.getloadavg()}")
    results: dict[tuple[str, str], dict[str, list[float]]] = {}
    for r in range(args.rounds):
        order = workers[r % len(workers) :] + workers[: r % len(workers)]
        for w in WORKLOADS:
            for wk in order:
                got = wk.ask(w, args.steps)
                acc = results.setdefault((wk.name, w), {"wall": [], "cpu": []})
                acc["wall"] += got["wall"]
                acc["cpu"] += got["cpu"]
    print(f"load average at end: {os.getloadavg()}")
    for wk in workers:
        wk.close()
    print("| workload | runtime | wall ms | CPU ms | throughput vs TF |")
    print("|---|---|---|---|---|")
    for w in WORKLOADS:
        base = results.get(("TF", w))
        for wk in workers:
            res = results[(wk.name, w)]
            wall = statistics.median(res["wall"]) * 1e3
            cpu = statistics.median(res["cpu"]) * 1e3
            ratio = f"{statistics.median(base['wall']) * 1e3 / wall:.2f}" if base else "-"
            print(f"| {w} | {wk.name} | {wall:.2f} | {cpu:.2f} | {ratio} |")


if __name__ == "__main__":
    main()
