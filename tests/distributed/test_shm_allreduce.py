"""The shared-memory all-reduce of processes on one machine (``_shm_allreduce``).

Its results equal gloo's all-reduce for every reduction on 2 and 3 processes
(``scripts/shm_allreduce_check.py`` under ``torchrun``); it is only used where every process
is on this machine and the tensors are on the CPU, and it leaves nothing in ``/dev/shm``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from scopeflow.distributed._process import ProcessInfo
from scopeflow.distributed._shm_allreduce import SHM_DIR, usable

HERE = Path(__file__).resolve().parent
SRC = str(HERE.parents[1] / "src")
CHECK = str(HERE / "scripts" / "shm_allreduce_check.py")


def test_used_only_for_cpu_tensors_of_processes_on_one_machine():
    cpu = [torch.zeros(3)]
    if not SHM_DIR.is_dir():
        pytest.skip(f"no {SHM_DIR} here")
    assert usable(ProcessInfo(0, 2, 0, 2), cpu)
    assert not usable(ProcessInfo(0, 1, 0, 1), cpu)  # nothing to reduce with
    assert not usable(ProcessInfo(0, 4, 0, 2), cpu)  # two machines
    assert not usable(ProcessInfo(0, 2, 0, 2), [torch.zeros(3, device="meta")])


@pytest.mark.slow
@pytest.mark.parametrize("nproc", [2, 3])
def test_equals_gloo_for_every_reduction(nproc):
    before = {p.name for p in SHM_DIR.iterdir()} if SHM_DIR.is_dir() else set()
    env = dict(os.environ, PYTHONPATH=SRC, OMP_NUM_THREADS="1")
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node",
           str(nproc), CHECK]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False, env=env)
    assert done.returncode == 0, done.stderr[-4000:]
    for r in range(nproc):  # (the processes' lines may interleave)
        assert f"rank {r} ok" in done.stdout
    if SHM_DIR.is_dir():  # the shared file and FIFOs were removed once opened
        left = {p.name for p in SHM_DIR.iterdir()} - before
        assert not {n for n in left if n.startswith("scopeflow-")}
