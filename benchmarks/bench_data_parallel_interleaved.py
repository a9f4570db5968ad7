"""Data-parallel overhead measured step by step in the same two processes (issue 11).

``bench_data_parallel.py`` compares separate launches, so the machine's load can change
between the runs it compares. Here two CPU processes (``torchrun --standalone
--nproc_per_node 2``, gloo, one torch thread each) build the 4 x 1,024 MLP Adam step of
``bench_train.py`` (batch 64 per process) four times, each in its own graph and session:

* ``local``: plain ``AdamOptimizer`` (no communication);
* ``dp``: ``hvd.DistributedOptimizer(AdamOptimizer)`` as it runs now (on one machine the
  gradients are averaged through shared memory, and the optimizer reads views of the shared
  result);
* ``dp copy``: the same with the views turned off in this benchmark (every result copied
  into a fresh tensor, as when the gradients are fetched);
* ``dp gloo``: the same with the shared-memory path turned off in this benchmark, i.e. the
  gloo all-reduce used before,

and runs them in turn, one step each (local, dp, dp copy, dp gloo, local, ...), so all four
see the same load. Reported per variant: the median wall time per step (of the slower process) and
the median CPU time per step (``time.process_time``: all threads of the process, so gloo's
worker threads count), averaged over the two processes; overheads relative to ``local``.

Also reported, as a second wall-time measure, the *aligned* wall time per step: from the moment
both processes have started the step to the moment the last one ends it, median over the steps
(the clock, ``time.perf_counter``, is the machine's monotonic clock, common to both processes).
The first measure charges a ``dp`` step with the time the process that finished its ``local``
step first waits (in the ``dp`` step's first barrier) for the other to finish that ``local``
step, i.e. with the previous step's imbalance, which a loop of ``dp`` steps does not have; the
aligned measure leaves out only that time before both processes are in the step. Also given:
the median difference between the two processes' start times (``skew``).

    .venv/bin/python benchmarks/bench_data_parallel_interleaved.py [--repeats 60] [--src TREE/src]

``--src`` runs the steps with another tree's ``scopeflow`` (say main's, for before/after).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
VARIANTS = ("local", "dp", "dp copy", "dp gloo")


def _worker(repeats: int, out: Path) -> None:
    import numpy as np
    import torch

    import scopeflow.compat.v1 as tf
    from scopeflow.distributed import _collective_ops as cops
    from scopeflow.distributed import _horovod as hvd

    sys.path.insert(0, str(HERE))
    import bench_train

    torch.set_num_threads(1)
    hvd.init()
    use_gloo = [False]
    shm_usable = cops._shm.usable

    def usable(info: Any, xs: Any) -> bool:
        return not use_gloo[0] and shm_usable(info, xs)

    cops._shm.usable = usable  # type: ignore[assignment]
    no_views = [False]
    run_local = cops._run_local

    def views_ok(t: Any, uses: Any) -> bool:
        return not no_views[0] and run_local(t, uses)

    cops._run_local = views_ok  # type: ignore[assignment]
    rng = np.random.RandomState(hvd.rank())
    x_val = rng.randn(64, 1024).astype(np.float32)
    y_val = rng.randint(0, 10, 64)
    runs = {}
    for variant in VARIANTS:
        g = tf.Graph()
        with g.as_default():
            x = tf.placeholder(tf.float32, [64, 1024], name="x")
            y = tf.placeholder(tf.int64, [64], name="y")
            h = x
            for i in range(4):
                h = bench_train._dense(tf, h, 1024, 1024, f"dense_{i}", tf.nn.relu)
            logits = bench_train._dense(tf, h, 1024, 10, "logits")
            loss = tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
            )
            opt: Any = tf.train.AdamOptimizer(1e-3)
            if variant != "local":
                opt = hvd.DistributedOptimizer(opt)
            train = opt.minimize(loss, global_step=tf.train.get_or_create_global_step())
            sess = tf.Session()
            sess.run(tf.global_variables_initializer())
            if variant != "local":
                sess.run(hvd.broadcast_global_variables(0))
        runs[variant] = (sess, train, {x: x_val, y: y_val})
    wall: dict[str, list[float]] = {v: [] for v in VARIANTS}
    cpu: dict[str, list[float]] = {v: [] for v in VARIANTS}
    start: dict[str, list[float]] = {v: [] for v in VARIANTS}
    for step in range(5 + repeats):
        for variant in VARIANTS:
            sess, train, feed = runs[variant]
            use_gloo[0] = variant == "dp gloo"
            no_views[0] = variant == "dp copy"
            c, t = time.process_time(), time.perf_counter()
            sess.run(train, feed)
            if step >= 5:
                wall[variant].append(time.perf_counter() - t)
                cpu[variant].append(time.process_time() - c)
                start[variant].append(t)
    result = {"wall": wall, "cpu": cpu, "start": start}
    (out / f"rank{hvd.rank()}.json").write_text(json.dumps(result), encoding="utf-8")
    hvd.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=60)
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--src",
        type=Path,
        default=HERE.parent / "src",
        help="the src/ directory of the scopeflow to run (default: this tree's)",
    )
    args = parser.parse_args()
    if args.worker:
        _worker(args.repeats, args.out)
        return
    env = dict(os.environ, PYTHONPATH=str(args.src.resolve()), OMP_NUM_THREADS="1")
    load_before = Path("/proc/loadavg").read_text(encoding="utf-8").split()[0]
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone",
               "--nproc_per_node", "2", str(Path(__file__).resolve()), "--worker",
               "--repeats", str(args.repeats), "--out", tmp]  # fmt: skip
        subprocess.run(cmd, check=True, env=env, capture_output=True, timeout=3600)
        ranks = [json.loads((Path(tmp) / f"rank{r}.json").read_text(encoding="utf-8"))
                 for r in (0, 1)]  # fmt: skip
    load_after = Path("/proc/loadavg").read_text(encoding="utf-8").split()[0]
    print(f"load average {load_before} -> {load_after}; {args.repeats} interleaved steps each")
    wall = {v: max(statistics.median(r["wall"][v]) for r in ranks) * 1e3 for v in VARIANTS}
    cpu = {v: statistics.mean(statistics.median(r["cpu"][v]) for r in ranks) * 1e3
           for v in VARIANTS}  # fmt: skip
    aligned, skew = {}, {}
    for v in VARIANTS:
        steps = zip(*(zip(r["start"][v], r["wall"][v], strict=True) for r in ranks), strict=True)
        spans, skews = [], []
        for pair in steps:
            both_in = max(t for t, _ in pair)  # both processes are in the step from here
            spans.append(max(t + w for t, w in pair) - both_in)
            skews.append(both_in - min(t for t, _ in pair))
        aligned[v] = statistics.median(spans) * 1e3
        skew[v] = statistics.median(skews) * 1e3
    for v in VARIANTS:
        print(f"{v:8s} wall {wall[v]:7.2f} ms ({100 * (wall[v] / wall['local'] - 1):+6.1f}%)  "
              f"CPU {cpu[v]:6.2f} ms ({cpu[v] - cpu['local']:+6.2f} ms, "
              f"{100 * (cpu[v] / cpu['local'] - 1):+6.1f}%)  aligned wall {aligned[v]:7.2f} ms "
              f"({100 * (aligned[v] / aligned['local'] - 1):+6.1f}%), "
              f"skew {skew[v]:5.2f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
