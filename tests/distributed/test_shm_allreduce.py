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
from scopeflow.ops.matmul_ops import _grad_into_applies, _MatMulGradInto

HERE = Path(__file__).resolve().parent
SRC = str(HERE.parents[1] / "src")
CHECK = str(HERE / "scripts" / "shm_allreduce_check.py")
FETCHED = str(HERE / "scripts" / "fetched_grads_check.py")
GRADS_IN_SHM = str(HERE / "scripts" / "grads_in_shm_check.py")


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


# --- gradients computed into the shared buffer ----------------------------------------------------


@pytest.mark.slow
def test_gradients_computed_into_shared_memory_give_the_copying_paths_bits():
    _torchrun(GRADS_IN_SHM, 2)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("shape", [(64, 96, 48), (3, 5, 1), (1, 4, 7), (2, 1, 3)])
def test_matmul_gradient_into_given_memory_has_autograds_bits(dtype, shape):
    m, k, n = shape
    gen = torch.Generator().manual_seed(0)
    a0, b0, gy = (torch.randn(s, generator=gen, dtype=dtype) for s in [(m, k), (k, n), (m, n)])

    def grads(into):
        a, b = a0.clone().requires_grad_(), b0.clone().requires_grad_()
        h = torch.tanh(a)
        assert _grad_into_applies(h, b)
        y = torch.matmul(h, b) if into is None else _MatMulGradInto.apply(h, b, into)
        y = torch.relu(y)
        return y, *torch.autograd.grad(y, [a, b], gy)

    want = grads(None)
    buf = torch.full((k * n + 7,), float("nan"), dtype=dtype)
    slot = buf[3 : 3 + k * n]
    got = grads(slot.view)
    fresh = grads(lambda s: None)  # no memory given: a new tensor, the same bits
    for w, g, f in zip(want, got, fresh, strict=True):
        assert torch.equal(w, g)
        assert torch.equal(w, f)
    assert got[2].data_ptr() == slot.data_ptr()
    assert fresh[2].untyped_storage().data_ptr() != buf.untyped_storage().data_ptr()
    assert buf[:3].isnan().all()  # nothing written outside the slot
    assert buf[3 + k * n :].isnan().all()


def test_matmul_gradient_into_memory_only_where_autograd_computes_the_same_way():
    a, b = torch.randn(4, 3), torch.randn(3, 5, requires_grad=True)
    assert _grad_into_applies(a, b)
    assert not _grad_into_applies(a, b.detach())  # no gradient to compute
    assert not _grad_into_applies(a, torch.randn(5, 3, requires_grad=True).t())  # column-major
    assert not _grad_into_applies(torch.randn(3, 4).t(), b)
    assert not _grad_into_applies(a.half(), b.detach().half().requires_grad_())
    with torch.no_grad():
        assert not _grad_into_applies(a, b)


def test_gradients_go_into_shared_memory_only_where_nothing_else_sees_them(
    group_of_one, monkeypatch
):
    seen: list[PlanUses] = []
    run_local = cops._run_local

    def spy(t, uses):
        seen.append(uses)
        return run_local(t, uses)

    monkeypatch.setattr(cops, "_run_local", spy)
    with tf.Graph().as_default():  # (not the graph of earlier tests)
        x = tf.constant(np.ones((2, 4), np.float32))
        h = tf.layers.dense(x, 4, name="fused")  # MatMul + BiasAdd: one fused step
        w = tf.Variable(np.ones((4, 4), np.float32), name="w")
        h = tf.matmul(h, w)  # a MatMul step of its own
        shared = tf.Variable(np.ones((4, 4), np.float32), name="shared")
        h = tf.matmul(tf.matmul(h, shared), shared)  # read by two MatMuls: a sum of gradients
        wt = tf.Variable(np.ones((4, 4), np.float32), name="wt")
        h = tf.matmul(h, wt, transpose_b=True)  # no slot offered for a transposed operand
        fetched = tf.Variable(np.ones((4, 4), np.float32), name="fetched")
        h = tf.matmul(h, fetched)
        opt = hvd.DistributedOptimizer(tf.train.AdamOptimizer(0.1))
        gvs = opt.compute_gradients(tf.reduce_sum(h * h))
        train = opt.apply_gradients(gvs)
        grads = {v.op.name: g for g, v in gvs}  # (averaged)
        group = next(
            op for op in tf.get_default_graph().get_operations()
            if op.type == "HorovodGroupedAllreduce"
        )  # fmt: skip

        def offered(fetches):
            seen.clear()
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                sess.run(fetches)
            uses = seen[0]
            names = [v.op.name for _, v in gvs]
            return {n: cops._gradient_producer(t, group, uses) is not None
                    for n, t in zip(names, group.inputs, strict=True)}  # fmt: skip

        want = {"fused/kernel": True, "fused/bias": False, "w": True, "shared": False, "wt": False,
                "fetched": True}  # fmt: skip
        assert offered(train) == want
        # The averaged gradients may be fetched (the all-reduce then copies its result)...
        assert offered([train, grads["fetched"], grads["w"] * 2.0]) == want
        # ... the local ones not: their memory becomes the average (process 0) or is reused.
        local = dict(zip([v.op.name for _, v in gvs], group.inputs, strict=True))
        assert offered([train, local["fetched"]]) == dict(want, fetched=False)
        assert offered([train, local["w"] * 2.0]) == dict(want, w=False)  # another reader
