"""Per-op-type time of one BERT-base encoder ``Session.run`` (batch 8 x 128), scopeflow vs TF.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_op_profile.py --tf-python .tf-oracle/bin/python
    PYTHONPATH=src .venv/bin/python benchmarks/bench_op_profile.py --threads 1 --dense-ab

TF's times are its ``RunOptions(trace_level=FULL_TRACE)`` step stats (wall time inside each
kernel, summed by op type); scopeflow's are the process CPU time (all threads) of each plan step's
kernel, summed by op type and kernel. ``--threads N`` sets both runtimes' intra- and inter-op
threads (0: their defaults). Each table is the mean over ``--runs`` runs after two warm-up runs.

``--dense-ab`` also times one encoder layer's six dense products (four 768x768, 768x3072,
3072x768 at 1024 rows) with torch's MKL ``mm`` + bias and with oneDNN's inner product on a
prepacked weight, the two alternated in one process (medians of ``--ab-iters``).
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent


def _profile(kind: str, runs: int, threads: int) -> None:
    if kind == "tf":
        import tensorflow.compat.v1 as tf

        tf.disable_eager_execution()
        tf.disable_resource_variables()
        tf.disable_v2_behavior()
    else:
        import scopeflow.compat.v1 as tf  # type: ignore[no-redef]
    sys.path.insert(0, str(HERE))
    import bench_layers_build as b

    tf.set_random_seed(0)
    b.build_encoder(tf)
    g = tf.get_default_graph()
    x, y = g.get_tensor_by_name("input:0"), g.get_tensor_by_name("encoder_output:0")
    data = np.random.RandomState(0).normal(size=[8, b.SEQ, b.WIDTH]).astype(np.float32)
    cfg = None
    if threads:
        cfg = tf.ConfigProto(intra_op_parallelism_threads=threads,
                             inter_op_parallelism_threads=threads)  # fmt: skip
    sess = tf.Session(config=cfg)
    sess.run(tf.global_variables_initializer())
    for _ in range(2):
        sess.run(y, {x: data})
    tot: collections.Counter[str] = collections.Counter()
    cnt: collections.Counter[str] = collections.Counter()
    wall, cpu = [], []
    opts: dict[str, Any] = {}
    if kind == "tf":
        opts = {"options": tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)}
    else:
        plan = next(p for p in sess._plans.values() if p.feeds)  # type: ignore[attr-defined]
        env = plan.fn.__globals__
        ops = {op._id: op for op in g.get_operations()}
        for name in re.findall(r"= (k\d+)\(", plan.source):
            fn = env[name]
            label = f"{ops[int(name[1:])].type} <{getattr(fn, '__qualname__', '?')}>"

            def timed(*a: Any, fn: Any = fn, label: str = label) -> Any:
                t = time.process_time()
                out = fn(*a)
                tot[label] += time.process_time() - t
                cnt[label] += 1
                return out

            env[name] = timed
    for _ in range(runs):
        md = tf.RunMetadata() if kind == "tf" else None
        t, c = time.perf_counter(), time.process_time()
        sess.run(y, {x: data}, run_metadata=md, **opts)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        if md is not None:
            for dev in md.step_stats.dev_stats:
                for ns in dev.node_stats:
                    m = re.match(r"[^=]*= ([A-Za-z0-9_]+)", ns.timeline_label)
                    label = m.group(1) if m else ns.node_name
                    tot[label] += ns.all_end_rel_micros / 1e6
                    cnt[label] += 1
    what = "kernel wall (step stats)" if kind == "tf" else "kernel CPU"
    w_ms, c_ms = 1e3 * statistics.median(wall), 1e3 * statistics.median(cpu)
    print(f"\n{kind}: threads {threads or 'default'}, run wall median {w_ms:.1f} ms, CPU median "
          f"{c_ms:.1f} ms")  # fmt: skip
    print(f"| op type | {what}, ms per run | ops per run | share |\n|---|---|---|---|")
    total = sum(tot.values())
    for label, v in tot.most_common():
        if v / total >= 0.001:
            print(f"| {label} | {1e3 * v / runs:.1f} | {cnt[label] // runs} | {v / total:.1%} |")


def _dense_ab(threads: int, iters: int) -> None:
    import torch

    if threads:
        torch.set_num_threads(threads)
    rs = np.random.RandomState(0)
    shapes = [(768, 768)] * 4 + [(768, 3072), (3072, 768)]
    ws = [torch.from_numpy((rs.normal(size=s) * 0.02).astype(np.float32)) for s in shapes]
    bs = [torch.from_numpy(rs.normal(size=s[1]).astype(np.float32)) for s in shapes]
    packed = [w.t().contiguous().to_mkldnn() for w in ws]
    ins = {k: torch.from_numpy(rs.normal(size=(1024, k)).astype(np.float32)) for k in (768, 3072)}
    linear = torch.ops.mkldnn._linear_pointwise

    def mkl() -> None:
        for w, b in zip(ws, bs, strict=True):
            torch.mm(ins[w.shape[0]], w).add_(b)

    def onednn() -> None:
        for w, p, b in zip(ws, packed, bs, strict=True):
            linear(ins[w.shape[0]], p, b, "none", [], "")

    res: dict[str, tuple[list[float], list[float]]] = {"mkl": ([], []), "onednn": ([], [])}
    for f in (mkl, onednn, mkl, onednn):
        f()
    for i in range(iters):
        pair = [("mkl", mkl), ("onednn", onednn)]
        for name, f in pair if i % 2 == 0 else pair[::-1]:
            t, c = time.perf_counter(), time.process_time()
            f()
            res[name][0].append(time.perf_counter() - t)
            res[name][1].append(time.process_time() - c)
    for name, (w, c) in res.items():
        w_ms, c_ms = 1e3 * statistics.median(w), 1e3 * statistics.median(c)
        print(f"dense A/B, {torch.get_num_threads()} threads, {name}: one layer's six products "
              f"wall {w_ms:.1f} ms, CPU {c_ms:.1f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tf-python", help="python of a TensorFlow virtualenv")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dense-ab", action="store_true")
    parser.add_argument("--ab-iters", type=int, default=20)
    args = parser.parse_args()
    print(f"load average at start: {Path('/proc/loadavg').read_text().split()[:3]}")
    _profile("sf", args.runs, args.threads)
    if args.tf_python:
        argv = [args.tf_python, __file__, "--worker", str(args.runs), str(args.threads)]
        env = {"TF_USE_LEGACY_KERAS": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
        subprocess.run(argv, check=True, env={**os.environ, **env})
    if args.dense_ab:
        _dense_ab(args.threads, args.ab_iters)
    print(f"load average at end: {Path('/proc/loadavg').read_text().split()[:3]}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _profile("tf", int(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
