"""Data-parallel overhead (issue 11): the MLP training step of ``bench_train.py`` on 2 processes.

Two CPU processes started by ``torchrun --standalone --nproc_per_node 2`` (gloo, one torch
thread each) run the 4-layer width-1,024 MLP Adam step with batch 64 per process, twice:

* ``local``: plain ``AdamOptimizer`` (no communication; both processes still run at once, so
  they compete for the machine exactly as in the data-parallel run);
* ``dp``: ``hvd.DistributedOptimizer(AdamOptimizer)``: the 4.2M gradient values are averaged
  by one all-reduce op inside each ``Session.run``.

The overhead is reported two ways: ``(dp - local) / local`` of the median step times of the two
runs (sensitive to the load on a shared machine changing between runs), and, within the
``dp`` run, the median time per step spent in the all-reduce (including waiting for the other
process) as a fraction of that run's median step time. TensorFlow has no data-parallel
counterpart to compare with (Horovod is not installed with the oracle).

    .venv/bin/python benchmarks/bench_data_parallel.py [--repeats 30] [--baseline-src MAIN/src]

``--baseline-src`` adds, in every round, a ``dp`` run of another tree (before/after in one run).
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

HERE = Path(__file__).resolve().parent


def _worker(mode: str, repeats: int, out: Path) -> None:
    import numpy as np
    import torch

    import scopeflow.compat.v1 as tf
    from scopeflow.distributed import _horovod as hvd

    sys.path.insert(0, str(HERE))
    import bench_train
    import torch.distributed as dist

    torch.set_num_threads(1)
    hvd.init()
    comm: list[float] = []  # seconds per step blocked in all-reduce calls and waits
    all_reduce = dist.all_reduce

    class _TimedWork:
        def __init__(self, work: Any) -> None:
            self._work = work

        def wait(self) -> Any:
            t = time.perf_counter()
            out = self._work.wait()
            comm[-1] += time.perf_counter() - t
            return out

    def timed_all_reduce(*a: Any, **k: Any) -> Any:
        t = time.perf_counter()
        out = all_reduce(*a, **k)
        comm[-1] += time.perf_counter() - t
        return _TimedWork(out) if k.get("async_op") else out

    dist.all_reduce = timed_all_reduce  # type: ignore[assignment]
    try:
        from scopeflow.distributed import _shm_allreduce
    except ImportError:  # a tree from before the shared-memory all-reduce (--baseline-src)
        _shm_allreduce = None  # type: ignore[assignment]
    if _shm_allreduce is not None:
        shm_allreduce = _shm_allreduce.ShmAllreduce.allreduce

        def timed_shm_allreduce(*a: Any, **k: Any) -> Any:
            t = time.perf_counter()
            out = shm_allreduce(*a, **k)
            comm[-1] += time.perf_counter() - t
            return out

        _shm_allreduce.ShmAllreduce.allreduce = timed_shm_allreduce  # type: ignore[method-assign]
    rng = np.random.RandomState(hvd.rank())
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [64, 1024], name="x")
        y = tf.placeholder(tf.int64, [64], name="y")
        h = x
        for i in range(4):
            h = bench_train._dense(tf, h, 1024, 1024, f"dense_{i}", tf.nn.relu)
        logits = bench_train._dense(tf, h, 1024, 10, "logits")
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        )
        gs = tf.train.get_or_create_global_step()
        opt: Any = tf.train.AdamOptimizer(1e-3)
        if mode == "dp":
            opt = hvd.DistributedOptimizer(opt)
        train = opt.minimize(loss, global_step=gs)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        if mode == "dp":
            sess.run(hvd.broadcast_global_variables(0))
        feed = {x: rng.randn(64, 1024).astype(np.float32), y: rng.randint(0, 10, 64)}
        for _ in range(5):
            comm.append(0.0)
            sess.run(train, feed)
        times = []
        comm.clear()
        cpu0 = time.process_time()
        for _ in range(repeats):
            comm.append(0.0)
            t = time.perf_counter()
            sess.run(train, feed)
            times.append(time.perf_counter() - t)
        cpu = (time.process_time() - cpu0) / repeats
    result = {"step": times, "comm": comm, "cpu": cpu}
    (out / f"{mode}_rank{hvd.rank()}.json").write_text(json.dumps(result), encoding="utf-8")
    hvd.shutdown()


def _launch(mode: str, repeats: int, out: Path, src: Path) -> tuple[float, float, float]:
    env = dict(os.environ, PYTHONPATH=str(src), OMP_NUM_THREADS="1")
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node",
           "2", str(Path(__file__).resolve()), "--worker", mode, "--repeats", str(repeats),
           "--out", str(out)]  # fmt: skip
    subprocess.run(cmd, check=True, env=env, capture_output=True, timeout=1800)
    steps, comms, cpus = [], [], []
    for r in (0, 1):
        res = json.loads((out / f"{mode}_rank{r}.json").read_text(encoding="utf-8"))
        steps.append(statistics.median(res["step"]) * 1e3)
        comms.append(statistics.median(res["comm"]) * 1e3 if res["comm"] else 0.0)
        cpus.append(res["cpu"] * 1e3)
    # the step is as slow as the slower process; report that process's all-reduce time
    slow = max((0, 1), key=lambda r: steps[r])
    return steps[slow], comms[slow], statistics.mean(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3, help="alternate local/dp rounds")
    parser.add_argument("--worker", choices=["local", "dp"], default=None)
    parser.add_argument("--out", type=Path, default=Path("/tmp"))
    parser.add_argument(
        "--baseline-src",
        type=Path,
        default=None,
        help="another tree's src/ (e.g. main's) whose dp run is interleaved as a third run",
    )
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker, args.repeats, args.out)
        return
    import tempfile

    src = HERE.parent / "src"
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.rounds):
            load = Path("/proc/loadavg").read_text(encoding="utf-8").split()[0]
            local, _, local_cpu = _launch("local", args.repeats, Path(tmp), src)
            runs = [("dp", src)]
            if args.baseline_src is not None:
                runs.append(("dp baseline", args.baseline_src))
            for label, tree in runs:
                dp, comm, dp_cpu = _launch("dp", args.repeats, Path(tmp), tree)
                rel = 100 * (dp - local) / local
                share = 100 * comm / dp
                print(
                    f"round {i} (load {load}): local {local:7.2f} ms  {label} {dp:7.2f} ms  "
                    f"(dp - local) / local {rel:5.1f}%  all-reduce {comm:6.2f} ms = "
                    f"{share:4.1f}% of the dp step; CPU time per step local {local_cpu:6.2f} ms "
                    f"dp {dp_cpu:6.2f} ms ({100 * (dp_cpu - local_cpu) / local_cpu:+5.1f}%)",
                    flush=True,
                )


if __name__ == "__main__":
    main()
