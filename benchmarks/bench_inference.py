"""Inference ``Session.run`` of slim nets, a BERT-base encoder and a frozen graph, interleaved.

    .venv/bin/python benchmarks/bench_inference.py --tf-python .tf-oracle/bin/python
    .venv/bin/python benchmarks/bench_inference.py --tf-python .tf-oracle/bin/python \\
        --sf before=/path/to/old/checkout/src --sf after=src --rounds 8 --steps 3

Made for a shared, noisy machine: every runtime (TensorFlow and one or more scopeflow source
trees, e.g. before and after a change) is a long-lived worker process that builds each workload
once; then the parent asks the workers in turn, round after round (the order rotating), for
``--steps`` timed ``Session.run`` calls, so slow and quiet moments of the machine fall on all of
them alike. Each step records wall time and process CPU time (``time.process_time``: all
threads of the worker, less sensitive to other processes than wall time); the table gives the
median of all ``rounds * steps`` steps and each runtime's ratio to TF's median.

Workloads (``--workloads``, default all):

* ``resnet_v1_50_b1`` / ``_b8``, ``inception_v3_b1`` / ``_b8``: ``tf.contrib.slim.nets`` with
  their arg scopes, ``is_training=False``, seeded random weights in variables (224 / 299 px).
* ``bert_base_b8``: the BERT-base-shaped encoder of ``bench_layers_build.py`` (12 layers, width
  768, ``tf.layers.dense``, moments layer norm), batch 8, sequence 128.
* ``frozen_resnet_v1_50_b1``: TensorFlow builds resnet_v1_50, freezes it with
  ``convert_variables_to_constants`` and writes the ``.pb``; every runtime imports that file with
  ``tf.import_graph_def`` and runs it (issue 12's "imported frozen inference graph").
* ``frozen_mobilenet_v1_b1`` / ``_b8``: the same for a MobileNet-v1-shaped network (depthwise
  separable convolutions, fused batch norms, ``relu6``; 224 px, 1001 classes) that TensorFlow
  builds and freezes with ``tools/record_mobilenet_frozen.py``.

``--profile`` also prints, per scopeflow worker and workload, the Python function calls of one
``Session.run`` under cProfile and the share of its time spent outside torch's kernels.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORKLOADS = ["resnet_v1_50_b1", "resnet_v1_50_b8", "inception_v3_b1", "inception_v3_b8",
             "bert_base_b8", "frozen_resnet_v1_50_b1", "frozen_mobilenet_v1_b1",
             "frozen_mobilenet_v1_b8"]  # fmt: skip
_TAG = "@@"


# --- worker ---------------------------------------------------------------------------------------


def _slim(tf: Any, net: str, batch: int) -> tuple[Any, Any, np.ndarray]:
    sys.path.insert(0, str(HERE))
    from bench_slim_nets import _build

    size = 224 if net == "resnet_v1_50" else 299
    x, logits = _build(tf, net, size)
    data = np.random.RandomState(0).uniform(-1, 1, [batch, size, size, 3]).astype(np.float32)
    return x, logits, data


def _bert(tf: Any, batch: int) -> tuple[Any, Any, np.ndarray]:
    sys.path.insert(0, str(HERE))
    import bench_layers_build as b

    b.build_encoder(tf)
    g = tf.get_default_graph()
    data = np.random.RandomState(0).normal(size=[batch, b.SEQ, b.WIDTH]).astype(np.float32)
    return g.get_tensor_by_name("input:0"), g.get_tensor_by_name("encoder_output:0"), data


class _Worker:
    def __init__(self, tf: Any, is_tf: bool, frozen_dir: str) -> None:
        self.tf, self.is_tf, self.frozen_dir = tf, is_tf, frozen_dir
        self.sess: Any = None

    def build(self, name: str) -> None:
        tf = self.tf
        if self.sess is not None:
            self.sess.close()
        tf.reset_default_graph()
        tf.set_random_seed(0)
        frozen = name.startswith("frozen_")
        base = name.removeprefix("frozen_")
        net, batch = base.rsplit("_b", 1)
        if frozen:
            path = Path(self.frozen_dir) / f"{net}.pb"
            if self.is_tf and not path.exists() and net == "mobilenet_v1":
                sys.path.insert(0, str(ROOT / "tools"))
                import record_mobilenet_frozen as mobilenet

                got = mobilenet.write_frozen(tf, tf.contrib.slim, path, 1.0, 224, 1001)
                path.with_suffix(".json").write_text(json.dumps([got["input"], got["probs"]]))
            elif self.is_tf and not path.exists():
                x, y, _ = _slim(tf, net, int(batch))
                with tf.Session() as sess:
                    sess.run(tf.global_variables_initializer())
                    gd = tf.graph_util.convert_variables_to_constants(
                        sess, tf.get_default_graph().as_graph_def(), [y.op.name]
                    )
                path.write_bytes(gd.SerializeToString())
                path.with_suffix(".json").write_text(json.dumps([x.name, y.name]))
                tf.reset_default_graph()
            gd = tf.GraphDef()
            gd.ParseFromString(path.read_bytes())
            tf.import_graph_def(gd, name="")
            g = tf.get_default_graph()
            x_name, y_name = json.loads(path.with_suffix(".json").read_text())
            self.x, self.y = g.get_tensor_by_name(x_name), g.get_tensor_by_name(y_name)
            size = 299 if net.startswith("inception") else 224
            self.data = np.random.RandomState(0).uniform(-1, 1, [int(batch), size, size, 3])
            self.data = self.data.astype(np.float32)
        elif net == "bert_base":
            self.x, self.y, self.data = _bert(tf, int(batch))
        else:
            self.x, self.y, self.data = _slim(tf, net, int(batch))
        self.sess = tf.Session()
        if not frozen:
            self.sess.run(tf.global_variables_initializer())
        for _ in range(2):
            self.step()

    def step(self) -> Any:
        return self.sess.run(self.y, {self.x: self.data})

    def run(self, n: int) -> dict[str, list[float]]:
        wall, cpu = [], []
        for _ in range(n):
            t, c = time.perf_counter(), time.process_time()
            self.step()
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        return {"wall": wall, "cpu": cpu}

    def profile(self) -> dict[str, Any]:
        prof = cProfile.Profile()
        prof.enable()
        self.step()
        prof.disable()
        st = pstats.Stats(prof)
        total = st.total_tt  # type: ignore[attr-defined]
        calls = st.total_calls  # type: ignore[attr-defined]
        builtin = sum(v[2] for k, v in st.stats.items() if k[0] == "~")  # type: ignore[attr-defined]
        return {"calls": calls, "total_s": total, "python_share": 1 - builtin / max(total, 1e-9)}


def _worker_main(kind: str, frozen_dir: str) -> None:
    if kind == "tf":
        import tensorflow.compat.v1 as tf

        tf.disable_eager_execution()
        tf.disable_resource_variables()
        tf.disable_v2_behavior()
        sys.path.insert(0, str(ROOT / "tools"))
        import tf_contrib_shim

        tf_contrib_shim.install(tf)
    else:
        import scopeflow.compat.v1 as tf
    worker = _Worker(tf, kind == "tf", frozen_dir)
    for line in sys.stdin:
        req = json.loads(line)
        if req["cmd"] == "build":
            worker.build(req["workload"])
            out: Any = {"ok": True}
        elif req["cmd"] == "run":
            out = worker.run(req["n"])
        elif req["cmd"] == "profile":
            out = worker.profile()
        else:
            return
        sys.stdout.write(_TAG + json.dumps(out) + "\n")
        sys.stdout.flush()


# --- parent ---------------------------------------------------------------------------------------


class _Proc:
    def __init__(self, label: str, argv: list[str], env: dict[str, str]) -> None:
        self.label = label
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True, env=env)  # fmt: skip

    def ask(self, req: dict[str, Any]) -> Any:
        assert self.p.stdin is not None
        assert self.p.stdout is not None
        self.p.stdin.write(json.dumps(req) + "\n")
        self.p.stdin.flush()
        for line in self.p.stdout:
            if line.startswith(_TAG):
                return json.loads(line[len(_TAG) :])
        raise RuntimeError(f"worker {self.label} exited")

    def close(self) -> None:
        assert self.p.stdin is not None
        self.p.stdin.write(json.dumps({"cmd": "quit"}) + "\n")
        self.p.stdin.close()
        self.p.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tf-python", help="python of a TensorFlow virtualenv")
    parser.add_argument("--sf", action="append", default=[], metavar="LABEL=SRC",
                        help="a scopeflow source tree (repeatable; default: this one)")  # fmt: skip
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--steps", type=int, default=3, help="timed runs per worker and round")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    trees = [s.split("=", 1) for s in args.sf] or [["scopeflow", str(ROOT / "src")]]
    frozen_dir = tempfile.mkdtemp(prefix="sf-bench-frozen-")
    procs = []
    if args.tf_python:
        env = dict(os.environ, TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3")
        argv = [args.tf_python, __file__, "--worker", "tf", frozen_dir]
        procs.append(_Proc("TF", argv, env))
    for label, src in trees:
        env = dict(os.environ, PYTHONPATH=str(Path(src).resolve()))
        procs.append(_Proc(label, [sys.executable, __file__, "--worker", "sf", frozen_dir], env))
    print(f"load average at start: {os.getloadavg()}")
    print("| workload | runtime | wall median | CPU median | wall ratio to TF | CPU ratio to TF |")
    print("|---|---|---|---|---|---|")
    for name in args.workloads.split(","):
        for p in procs:  # TF first: it writes the frozen graph
            p.ask({"cmd": "build", "workload": name})
        times: dict[str, dict[str, list[float]]] = {p.label: {"wall": [], "cpu": []}
                                                    for p in procs}  # fmt: skip
        for r in range(args.rounds):
            for k in range(len(procs)):
                p = procs[(r + k) % len(procs)]
                got = p.ask({"cmd": "run", "n": args.steps})
                times[p.label]["wall"] += got["wall"]
                times[p.label]["cpu"] += got["cpu"]
        med = {lb: {k: statistics.median(v) for k, v in t.items()} for lb, t in times.items()}
        for p in procs:
            m = med[p.label]
            ratio = {k: f"{m[k] / med['TF'][k]:.2f}" if "TF" in med else "-" for k in m}
            print(f"| {name} | {p.label} | {1e3 * m['wall']:.1f} ms | {1e3 * m['cpu']:.1f} ms | "
                  f"{ratio['wall']} | {ratio['cpu']} |", flush=True)  # fmt: skip
        if args.profile:
            for p in procs:
                if p.label != "TF":
                    prof = p.ask({"cmd": "profile"})
                    print(
                        f"<!-- {name} {p.label}: {prof['calls']} Python calls per run, "
                        f"{prof['python_share']:.1%} of profiled time outside builtins -->"
                    )
    print(f"load average at end: {os.getloadavg()}")
    for p in procs:
        p.close()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _worker_main(sys.argv[2], sys.argv[3])
    else:
        main()
