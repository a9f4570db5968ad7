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

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.distributed import _collective_ops as cops
from scopeflow.distributed import _fused_average, _process
from scopeflow.distributed import _horovod as hvd
from scopeflow.distributed._process import ProcessInfo
from scopeflow.distributed._shm_allreduce import SHM_DIR, usable
from scopeflow.graph.plan_uses import PlanUses

HERE = Path(__file__).resolve().parent
SRC = str(HERE.parents[1] / "src")
CHECK = str(HERE / "scripts" / "shm_allreduce_check.py")
FETCHED = str(HERE / "scripts" / "fetched_grads_check.py")


def test_used_only_for_cpu_tensors_of_processes_on_one_machine():
    cpu = [torch.zeros(3)]
    if not SHM_DIR.is_dir():
        pytest.skip(f"no {SHM_DIR} here")
    assert usable(ProcessInfo(0, 2, 0, 2), cpu)
    assert not usable(ProcessInfo(0, 1, 0, 1), cpu)  # nothing to reduce with
    assert not usable(ProcessInfo(0, 4, 0, 2), cpu)  # two machines
    assert not usable(ProcessInfo(0, 2, 0, 2), [torch.zeros(3, device="meta")])


def _torchrun(script: str, nproc: int) -> None:
    env = dict(os.environ, PYTHONPATH=SRC, OMP_NUM_THREADS="1")
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node",
           str(nproc), script]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False, env=env)
    assert done.returncode == 0, done.stderr[-4000:]
    for r in range(nproc):  # (the processes' lines may interleave)
        assert f"rank {r} ok" in done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("nproc", [2, 3])
def test_equals_gloo_for_every_reduction(nproc):
    before = {p.name for p in SHM_DIR.iterdir()} if SHM_DIR.is_dir() else set()
    _torchrun(CHECK, nproc)
    if SHM_DIR.is_dir():  # the shared file and FIFOs were removed once opened
        left = {p.name for p in SHM_DIR.iterdir()} - before
        assert not {n for n in left if n.startswith("scopeflow-")}


@pytest.mark.slow
def test_fetched_averaged_gradients_do_not_change_under_the_user():
    _torchrun(FETCHED, 2)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("a_first", [True, False])
def test_one_pass_average_has_the_bits_of_the_add_then_the_multiply(dtype, a_first):
    if not _fused_average.available():
        pytest.skip("no C compiler on this machine: the all-reduce keeps the two torch ops")
    fi = torch.finfo(dtype)
    special = torch.tensor([0.0, -0.0, fi.tiny, -fi.tiny * 3, fi.tiny / 4, -fi.tiny / 8,
                            fi.smallest_normal * 1.5, fi.eps, 1.0, -3.0, fi.max, -fi.max,
                            fi.max / 2, float("inf"), float("-inf"), float("nan")],
                           dtype=dtype)  # fmt: skip
    pairs = torch.cartesian_prod(special, special)  # every pair: overflow, subnormal halves
    gen = torch.Generator().manual_seed(0)
    noise = torch.randn(2, 100_003, generator=gen, dtype=dtype) * 10.0 ** torch.randint(
        -40, 38, (2, 100_003), generator=gen
    ).to(dtype)
    a = torch.cat([pairs[:, 0], noise[0]])
    b = torch.cat([pairs[:, 1], noise[1]])
    want = (torch.add(a, b) if a_first else torch.add(b, a)).mul_(0.5)
    got = b.clone()
    assert _fused_average.average_into(a, got, a_first)
    ints = torch.int32 if dtype == torch.float32 else torch.int64
    nan = want.isnan()
    assert torch.equal(got.isnan(), nan)
    assert torch.equal(got[~nan].view(ints), want[~nan].view(ints))  # signed zeros included


def test_one_pass_average_refuses_what_it_cannot_do():
    b = torch.ones(6)
    for a, dst in [(torch.ones(6, dtype=torch.float16), b.half()), (torch.ones(6), b[::2]),
                   (torch.ones(5), b), (torch.ones(6, dtype=torch.float64), b)]:  # fmt: skip
        before = dst.clone()
        assert not _fused_average.average_into(a, dst, True)
        assert torch.equal(dst, before)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.float16, torch.bfloat16])
@pytest.mark.parametrize("size", [2, 3, 4, 8])
def test_average_has_the_bits_of_a_division(dtype, size):
    # subnormals, their neighbours and the largest values (a power-of-two size multiplies)
    info = torch.finfo(dtype)
    special = [info.tiny, -info.tiny * 3, info.tiny / 4, info.smallest_normal * 1.5, info.max]
    y = torch.cat([torch.tensor(special, dtype=dtype), torch.randn(1000, dtype=dtype) * 1e3])
    want = y / size
    got = cops._finish(y.clone(), "Average", 1.0, ProcessInfo(0, size, 0, size))
    assert torch.equal(got, want)
    assert torch.equal(got.view(-1).abs() == 0, want.view(-1).abs() == 0)


@pytest.fixture
def group_of_one(monkeypatch):
    for var in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE"):
        monkeypatch.delenv(var, raising=False)
    _process.shutdown()
    hvd.init()
    yield
    _process.shutdown()


def test_results_are_shared_views_only_where_no_reader_can_keep_them(group_of_one, monkeypatch):
    decided: list[bool] = []
    run_local = cops._run_local

    def spy(t, uses):
        decided.append(run_local(t, uses))
        return decided[-1]

    monkeypatch.setattr(cops, "_run_local", spy)
    vs = [tf.Variable(np.ones(3, np.float32) * k, name=f"v{k}") for k in range(6)]
    loss = tf.add_n([tf.reduce_sum(v * v) for v in vs])
    opt = hvd.DistributedOptimizer(tf.train.AdamOptimizer(0.1))
    gvs = opt.compute_gradients(loss)
    train = opt.apply_gradients(gvs)
    g = [gv[0] for gv in gvs]
    other = tf.Variable(np.zeros(3, np.float32), name="other")
    cases = [
        (None, True),  # read by its update op only
        (g[1], False),  # fetched
        (tf.identity(tf.reshape(g[2], [3, 1])), False),  # fetched through views of it
        (tf.assign(other, g[3]), False),  # Assign keeps a value (may keep this one)
        (g[4] * 2.0, True),  # Mul's output is new memory
        (tf.summary.histogram("g5", g[5]), True),  # a string
    ]
    fetches = [train] + [f for f, _ in cases if f is not None]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        decided.clear()
        sess.run(train)
        assert decided == [True] * 6
        decided.clear()
        sess.run(fetches)
        assert decided == [want for _, want in cases]
        decided.clear()
        sess.run(g)  # the plain all-reduce results
        assert decided == [False] * 6


def test_views_follow_aliases_and_stop_at_stateful_readers(group_of_one):
    x = tf.placeholder(tf.float32, [3])
    (y,) = cops.grouped_allreduce_op([x])
    chain = y
    for _ in range(4):
        chain = tf.identity(chain)

    def uses(kept: set[int]) -> PlanUses:
        return PlanUses([_Step(op) for op in tf.get_default_graph().get_operations()], kept)

    assert cops._run_local(y, uses(set()))
    assert not cops._run_local(y, uses({id(chain)}))  # fetched through 4 identities
    tf.Print(chain, [chain])
    assert not cops._run_local(y, uses(set()))  # Print is stateful


class _Step:
    def __init__(self, op):
        self.op, self.inputs, self.refs = op, op._inputs, ()
