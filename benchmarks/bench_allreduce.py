"""One gradient all-reduce of the MLP of ``bench_data_parallel.py``: shared memory vs gloo.

Two CPU processes (``torchrun --standalone --nproc_per_node 2``, one torch thread each)
average the 4.2M float32 gradient values of the 4 x 1,024 MLP (its 10 tensors, 16.8 MB)
again and again, alternating the shared-memory all-reduce that ``HorovodGroupedAllreduce``
now uses on one machine (``shm``: results copied into fresh tensors, as for fetched
gradients; ``shm views``: results left as views of the shared result buffer, as for gradients
only the optimizer reads) and the gloo path it used before (a copy of each gradient, then one
asynchronous ``all_reduce`` each, then the waits and the division). All give the same bits
(checked). Reported: medians of the CPU time (``time.process_time``: all threads of the
process, so gloo's worker threads count) and of the wall time per all-reduce, on rank 0.

    .venv/bin/python benchmarks/bench_allreduce.py [--repeats 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHAPES = [(1024, 1024), (1024,)] * 4 + [(1024, 10), (10,)]


def _worker(repeats: int) -> None:
    import torch
    import torch.distributed as dist

    from scopeflow.distributed import _collective_ops as cops
    from scopeflow.distributed import _process
    from scopeflow.distributed._shm_allreduce import ShmAllreduce

    torch.set_num_threads(1)
    info = _process.init()
    xs = [torch.randn(s) for s in SHAPES]
    reducer = ShmAllreduce(info, sum(x.numel() for x in xs), torch.float32)
    if not reducer.ok:
        raise RuntimeError("shared memory is not usable here")

    def shm() -> list[torch.Tensor]:
        return reducer.allreduce(xs, "Average", 1.0, 1.0, cops._finish)

    def shm_views() -> list[torch.Tensor]:
        return reducer.allreduce(xs, "Average", 1.0, 1.0, cops._finish, views=True)

    def gloo() -> list[torch.Tensor]:
        works = []
        for x in xs:
            y = x.detach().clone(memory_format=torch.contiguous_format)
            works.append((dist.all_reduce(y, async_op=True), y))
        out = []
        for work, y in works:
            work.wait()
            out.append(cops._finish(y, "Average", 1.0, info))
        return out

    for a, b, c in zip(shm(), gloo(), shm_views(), strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
        torch.testing.assert_close(c, b, rtol=0, atol=0)
    fns = {"shm": shm, "shm views": shm_views, "gloo": gloo}
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            dist.barrier()
            cpu, wall = time.process_time(), time.perf_counter()
            fn()
            times[name][0].append(time.process_time() - cpu)
            times[name][1].append(time.perf_counter() - wall)
    if info.rank == 0:
        for name, (cpu_s, wall_s) in times.items():
            print(f"{name:9s} CPU {statistics.median(cpu_s) * 1e3:6.2f} ms  wall "
                  f"{statistics.median(wall_s) * 1e3:6.2f} ms per 16.8 MB all-reduce",
                  flush=True)  # fmt: skip
    _process.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--worker", action="store_true")
    args = parser.parse_args()
    if args.worker:
        _worker(args.repeats)
        return
    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"), OMP_NUM_THREADS="1")
    load = Path("/proc/loadavg").read_text(encoding="utf-8").split()[0]
    print(f"load average {load}", flush=True)
    script = str(Path(__file__).resolve())
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node",
           "2", script, "--worker", "--repeats", str(args.repeats)]  # fmt: skip
    subprocess.run(cmd, check=True, env=env, timeout=1800)


if __name__ == "__main__":
    main()
