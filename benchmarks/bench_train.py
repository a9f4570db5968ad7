"""Training-step benchmarks (issue 8), scopeflow vs TensorFlow measured in the same run.

One ``sess.run(train_op)`` of ``AdamOptimizer(1e-3).minimize(loss, global_step=...)`` for:

* ``mlp_adam_step_ms``: a 4-layer MLP of width 1,024 (ReLU, softmax cross-entropy over 10
  classes), batch 64;
* ``cnn_adam_step_ms``: the classic MNIST CNN (conv 32x5x5, max-pool, conv 64x3x3, max-pool,
  dense 1,024, dropout 0.5, dense 10), batch 64, NHWC.

Models are built from ``get_variable`` + ops (seeded initializers), the same code under both
libraries. Inputs are fed from NumPy each step, as a training loop does.

    .venv/bin/python benchmarks/bench_train.py --tf-python .tf-oracle/bin/python

Medians of ``--repeats`` timed steps after warm-up. With ``--interleave`` (for a shared, noisy
machine), TF and one or more scopeflow source trees (``--sf before=OLD/src --sf after=src``) are
long-lived worker processes that build both workloads once; the parent asks them in turn, round
after round (the order rotating), for ``--steps`` timed steps, and prints the medians of wall
time and process CPU time (all threads) with the ratios to TF:

    .venv/bin/python benchmarks/bench_train.py --tf-python .tf-oracle/bin/python --interleave \\
        --rounds 10 --steps 5
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


def _median_wall(fn: Any, n: int, warmup: int = 5) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _dense(tf: Any, x: Any, n_in: int, n_out: int, name: str, act: Any = None) -> Any:
    with tf.variable_scope(name):
        w = tf.get_variable(
            "kernel", [n_in, n_out], initializer=tf.glorot_uniform_initializer(seed=1)
        )
        b = tf.get_variable("bias", [n_out], initializer=tf.zeros_initializer())
    y = tf.matmul(x, w) + b
    return act(y) if act is not None else y


def _conv(tf: Any, x: Any, k: int, c_in: int, c_out: int, name: str) -> Any:
    with tf.variable_scope(name):
        w = tf.get_variable(
            "kernel", [k, k, c_in, c_out], initializer=tf.glorot_uniform_initializer(seed=2)
        )
        b = tf.get_variable("bias", [c_out], initializer=tf.zeros_initializer())
    return tf.nn.relu(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME") + b)


def _pool(tf: Any, x: Any) -> Any:
    return tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")


def _session_step(tf: Any, loss: Any, x: Any, y: Any, xs: Any, ys: Any) -> tuple[Any, Any]:
    """(session, one training step) for ``loss``: Adam(1e-3) with a global step, initialized."""
    gs = tf.train.get_or_create_global_step()
    train = tf.train.AdamOptimizer(1e-3).minimize(loss, global_step=gs)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    feed = {x: xs, y: ys}
    return sess, lambda: sess.run(train, feed)


def _step(tf: Any, loss: Any, x: Any, y: Any, xs: Any, ys: Any, repeats: int) -> float:
    sess, step = _session_step(tf, loss, x, y, xs, ys)
    ms = _median_wall(step, repeats) * 1e3
    sess.close()
    return ms


def build(tf: Any, name: str, step_fn: Any = _step, repeats: int = 0) -> Any:
    """Builds workload ``name`` (``mlp``/``cnn``) in a new graph and applies ``step_fn`` to it."""
    import numpy as np

    rng = np.random.RandomState(0)
    if name == "mlp":
        x = tf.placeholder(tf.float32, [64, 1024], name="x")
        y = tf.placeholder(tf.int64, [64], name="y")
        h = x
        for i in range(4):
            h = _dense(tf, h, 1024, 1024, f"dense_{i}", tf.nn.relu)
        logits = _dense(tf, h, 1024, 10, "logits")
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        )
        xs = rng.randn(64, 1024).astype(np.float32)
        return step_fn(tf, loss, x, y, xs, rng.randint(0, 10, 64), *([repeats] if repeats else []))
    x = tf.placeholder(tf.float32, [64, 28, 28, 1], name="x")
    y = tf.placeholder(tf.int64, [64], name="y")
    h = _pool(tf, _conv(tf, x, 5, 1, 32, "conv1"))
    h = _pool(tf, _conv(tf, h, 3, 32, 64, "conv2"))
    h = tf.reshape(h, [64, 7 * 7 * 64])
    h = _dense(tf, h, 7 * 7 * 64, 1024, "fc1", tf.nn.relu)
    h = tf.nn.dropout(h, keep_prob=0.5, seed=3)
    logits = _dense(tf, h, 1024, 10, "logits")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    rng.randn(64, 1024)  # the MLP's draws: the same inputs as when both were built in one run
    rng.randint(0, 10, 64)
    xs = rng.rand(64, 28, 28, 1).astype(np.float32)
    return step_fn(tf, loss, x, y, xs, rng.randint(0, 10, 64), *([repeats] if repeats else []))


def run_all(tf: Any, repeats: int) -> dict[str, float]:
    """The workloads on one ``tf`` module."""
    out: dict[str, float] = {}
    for name in ("mlp", "cnn"):
        with tf.Graph().as_default():
            out[f"{name}_adam_step_ms"] = build(tf, name, _step, repeats)
    return out


# --- interleaved mode: long-lived workers, A/B/A/B ------------------------------------------------

_TAG = "@@"


def _worker_main(kind: str) -> None:
    """A worker: builds both workloads once, then runs timed steps on request (stdin/stdout)."""
    if kind == "tf":
        import tensorflow.compat.v1 as tf

        tf.disable_eager_execution()
        tf.disable_resource_variables()
        tf.disable_v2_behavior()
    else:
        import scopeflow.compat.v1 as tf  # type: ignore[no-redef]
    steps = {}
    for name in ("mlp", "cnn"):
        with tf.Graph().as_default():
            _, steps[name] = build(tf, name, _session_step)
        for _ in range(5):
            steps[name]()
    print(_TAG + "{}", flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        if req["cmd"] != "run":
            return
        wall, cpu = [], []
        for _ in range(req["n"]):
            t, c = time.perf_counter(), time.process_time()
            steps[req["workload"]]()
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        print(_TAG + json.dumps({"wall": wall, "cpu": cpu}), flush=True)


class _Worker:
    def __init__(self, label: str, argv: list[str], env: dict[str, str]) -> None:
        self.label = label
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True, env=env)  # fmt: skip
        self.read()  # built and warmed up

    def read(self) -> Any:
        assert self.p.stdout is not None
        for line in self.p.stdout:
            if line.startswith(_TAG):
                return json.loads(line[len(_TAG) :])
        raise RuntimeError(f"worker {self.label} exited")

    def ask(self, req: dict[str, Any]) -> Any:
        assert self.p.stdin is not None
        self.p.stdin.write(json.dumps(req) + "\n")
        self.p.stdin.flush()
        return self.read()

    def close(self) -> None:
        assert self.p.stdin is not None
        self.p.stdin.write(json.dumps({"cmd": "quit"}) + "\n")
        self.p.stdin.close()
        self.p.wait()


def interleaved(tf_python: str | None, trees: list[list[str]], rounds: int, steps: int) -> None:
    """Alternates the workers round after round (the order rotating); prints median tables."""
    import os

    workers = []
    if tf_python:
        env = dict(os.environ, TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3")
        workers.append(_Worker("TF", [tf_python, __file__, "--worker", "tf"], env))
    for label, src in trees:
        env = dict(os.environ, PYTHONPATH=str(Path(src).resolve()))
        workers.append(_Worker(label, [sys.executable, __file__, "--worker", "sf"], env))
    print(f"load average at start: {os.getloadavg()}")
    print("| workload | runtime | wall median | CPU median | wall ratio to TF | CPU ratio to TF |")
    print("|---|---|---|---|---|---|")
    for name in ("mlp", "cnn"):
        times = {w.label: {"wall": [], "cpu": []} for w in workers}
        for r in range(rounds):
            for k in range(len(workers)):
                w = workers[(r + k) % len(workers)]
                got = w.ask({"cmd": "run", "workload": name, "n": steps})
                times[w.label]["wall"] += got["wall"]
                times[w.label]["cpu"] += got["cpu"]
        med = {lb: {k: statistics.median(v) for k, v in t.items()} for lb, t in times.items()}
        for w in workers:
            m = med[w.label]
            ratio = {k: f"{m[k] / med['TF'][k]:.2f}" if "TF" in med else "-" for k in m}
            print(f"| {name} Adam step | {w.label} | {1e3 * m['wall']:.1f} ms | "
                  f"{1e3 * m['cpu']:.1f} ms | {ratio['wall']} | {ratio['cpu']} |",
                  flush=True)  # fmt: skip
    print(f"load average at end: {os.getloadavg()}")
    for w in workers:
        w.close()


def _tf_results(tf_python: str, repeats: int) -> dict[str, float]:
    here = str(Path(__file__).parent)
    code = (
        f"import json, sys; sys.path.insert(0, {here!r}); import bench_train as b; "
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
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1, help="alternate scopeflow/TF rounds")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--interleave",
        action="store_true",
        help="long-lived workers alternated every --steps steps, --rounds rounds",
    )
    parser.add_argument("--steps", type=int, default=5, help="steps per worker and round")
    parser.add_argument("--sf", action="append", default=[], metavar="LABEL=SRC",
                        help="with --interleave: a scopeflow source tree (repeatable)")  # fmt: skip
    parser.add_argument(
        "--torch-threads",
        type=int,
        default=None,
        help="torch.set_num_threads for scopeflow (default: torch's own choice)",
    )
    args = parser.parse_args()
    if args.interleave:
        root = Path(__file__).resolve().parent.parent
        trees = [t.split("=", 1) for t in args.sf] or [["scopeflow", str(root / "src")]]
        interleaved(args.tf_python, trees, args.rounds, args.steps)
        return

    import scopeflow.compat.v1 as sf

    if args.torch_threads:
        import torch

        torch.set_num_threads(args.torch_threads)

    rounds: list[tuple[dict[str, float], dict[str, float]]] = []
    for _ in range(args.rounds):
        ours = run_all(sf, args.repeats)
        theirs = _tf_results(args.tf_python, args.repeats) if args.tf_python else {}
        rounds.append((ours, theirs))
    for i, (ours, theirs) in enumerate(rounds):
        for key, value in ours.items():
            tf_value = theirs.get(key)
            ratio = f"{value / tf_value:.3f}" if tf_value else "-"
            tf_text = f"{tf_value:.2f}" if tf_value else "-"
            print(f"round {i} {key:20s} scopeflow {value:8.2f}  TF {tf_text:>8s}  ratio {ratio}")
    if args.json:
        args.json.write_text(json.dumps(rounds, indent=1))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _worker_main(sys.argv[2])
    else:
        sys.exit(main())
