"""Inter-op parallelism: a no-grad plan runs independent branches on worker threads (``interop``).

The parallel plan must give the serial plan's bits (checked against the same plan compiled
with ``interop.layout`` switched off), report a failing op inside a branch as that op with
TF's error type (the first one in the serial order when several fail), leave gradient plans
alone, and keep one small process-wide pool (not one per session; not the parent's in a
forked child).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.graph import interop


@pytest.fixture(autouse=True)
def _fresh_graph() -> Iterator[None]:
    tf.reset_default_graph()
    n = torch.get_num_threads()
    torch.set_num_threads(2)  # the pool needs two intra-op threads (CI may run with one)
    yield
    torch.set_num_threads(n)


def _plan(sess: Any, fetch: Any) -> Any:
    return next(p for p in sess._plans.values() if any(e is fetch for e in p.fetch_elements))


def _conv(x: Any, cin: int, cout: int, k: int, seed: int, name: str) -> Any:
    rng = np.random.RandomState(seed)
    w = tf.constant(rng.randn(k, k, cin, cout).astype(np.float32) * 0.1, name=name + "_w")
    return tf.nn.relu(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", name=name))


def _module(x: Any, cin: int, tag: str, extra: Any = None) -> Any:
    """An inception-like module: four towers (convolutions, an average pool) joined by a concat."""
    b0 = _conv(x, cin, 16, 1, 1, tag + "b0")
    b1 = _conv(_conv(x, cin, 12, 1, 2, tag + "b1a"), 12, 16, 5, 3, tag + "b1b")
    b2 = _conv(_conv(_conv(x, cin, 16, 1, 4, tag + "b2a"), 16, 24, 3, 5, tag + "b2b"), 24, 24, 3,
               6, tag + "b2c")  # fmt: skip
    if extra is not None:  # a run-time shape error inside the tower
        b2 = tf.add(b2, extra, name=tag + "bad_add")
    b3 = _conv(tf.nn.avg_pool(x, [1, 3, 3, 1], [1, 1, 1, 1], "SAME"), cin, 8, 1, 7, tag + "b3")
    return tf.concat([b0, b1, b2, b3], 3, name=tag + "concat")


def _net(extra: Any = None) -> tuple[Any, Any]:
    x = tf.placeholder(tf.float32, [None, 32, 32, 16], name="x")
    y = _module(_module(x, 16, "m1_"), 64, "m2_", extra)
    return x, tf.reduce_mean(y, [1, 2])


def _serial(monkeypatch: Any) -> None:
    monkeypatch.setattr(interop, "layout", lambda *a: None)


def _data(batch: int = 2) -> np.ndarray:
    return np.random.RandomState(0).uniform(-1, 1, [batch, 32, 32, 16]).astype(np.float32)


def test_branches_run_on_the_pool_with_the_serial_plans_bits(monkeypatch: Any) -> None:
    x, y = _net()
    with tf.Session() as sess:
        seen: set[str] = set()
        orig = interop.run_region

        def spy(fns: Any, order: Any, rank: Any) -> Any:
            def wrap(f: Any) -> Any:
                def g() -> Any:
                    seen.add(threading.current_thread().name)
                    return f()

                return g

            return orig([wrap(f) for f in fns], order, rank)

        monkeypatch.setattr(interop, "run_region", spy)
        got = [sess.run(y, {x: _data(b)}) for b in (1, 3)]
        plan = _plan(sess, y)
        assert plan.regions == 2  # one per module
        assert "_run_region" in plan.source
    assert seen
    assert all(n.startswith("scopeflow-interop-") for n in seen)
    _serial(monkeypatch)
    with tf.Session() as sess:
        want = [sess.run(y, {x: _data(b)}) for b in (1, 3)]
        assert _plan(sess, y).regions == 0
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype
        assert np.array_equal(g, w)


def test_small_or_unbalanced_branches_stay_serial() -> None:
    x = tf.placeholder(tf.float32, [None, 4, 4, 2])
    tiny = tf.concat([tf.nn.relu(x), tf.nn.avg_pool(x, [1, 3, 3, 1], [1, 1, 1, 1], "SAME")], 3)
    big = tf.placeholder(tf.float32, [None, 32, 32, 16])
    # A 1x1 shortcut beside three convolutions (resnet's projection unit): one lane holds
    # most of the work, so one-thread lanes would be slower than the serial plan.
    short = _conv(big, 16, 32, 1, 0, "short")
    long = _conv(_conv(_conv(big, 16, 16, 1, 1, "l1"), 16, 16, 3, 2, "l2"), 16, 32, 1, 3, "l3")
    with tf.Session() as sess:
        sess.run(tiny, {x: np.ones([1, 4, 4, 2], np.float32)})
        assert _plan(sess, tiny).regions == 0
        res = short + long
        sess.run(res, {big: _data(1)})
        assert _plan(sess, res).regions == 0


def test_gradient_plans_and_stateful_plans_stay_serial() -> None:
    x = tf.placeholder(tf.float32, [None, 32, 32, 16])
    v = tf.Variable(np.ones([1, 1, 16, 16], np.float32))
    y = _module(tf.nn.conv2d(x, v, [1, 1, 1, 1], "SAME"), 16, "m_")
    (g,) = tf.gradients(tf.reduce_sum(y), [v])
    counter = tf.Variable(0.0)
    bump = tf.assign_add(counter, 1.0)
    with tf.control_dependencies([bump]):
        y2 = tf.identity(y)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(y, {x: _data(1)})
        assert _plan(sess, y).regions == 1
        sess.run(g, {x: _data(1)})
        assert _plan(sess, g).regions == 0
        sess.run(y2, {x: _data(1)})  # an assignment in the plan: no op reordered around it
        assert _plan(sess, y2).regions == 0


def test_an_error_in_a_branch_is_its_ops_with_tfs_type(monkeypatch: Any) -> None:
    extra = tf.placeholder(tf.float32, [None, None, None, None], name="extra")
    x, y = _net(extra)
    bad = np.zeros([1, 5, 5, 24], np.float32)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(y, {x: _data(1), extra: bad})
        assert _plan(sess, y).regions == 2
    assert info.value.op is not None
    assert info.value.op.name == "m2_bad_add"
    assert "Incompatible shapes" in info.value.message or "size of tensor" in info.value.message
    _serial(monkeypatch)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as serial:
        sess.run(y, {x: _data(1), extra: bad})
    assert serial.value.op is not None
    assert serial.value.op.name == "m2_bad_add"
    assert serial.value.message == info.value.message


def test_two_failing_branches_report_the_serial_plans_first_failure(monkeypatch: Any) -> None:
    x = tf.placeholder(tf.float32, [None, 32, 32, 16])
    e1 = tf.placeholder(tf.float32, [None, None, None, None])
    e2 = tf.placeholder(tf.float32, [None, None, None, None])
    # Tower "a" fails after two convolutions, tower "b" after one: the serial order runs
    # "a"'s ops first (it is built first), so its add is the op TF's executor order reports.
    a = tf.add(_conv(_conv(x, 16, 16, 3, 1, "a1"), 16, 16, 3, 2, "a2"), e1, name="a_add")
    b = tf.add(_conv(x, 16, 16, 3, 3, "b1"), e2, name="b_add")
    c = _conv(x, 16, 16, 3, 4, "c1")
    y = tf.concat([a, b, c], 3)
    bad1, bad2 = np.zeros([1, 3, 3, 16], np.float32), np.zeros([2, 3, 3, 16], np.float32)
    feed = {x: _data(1), e1: bad1, e2: bad2}
    names = []
    for parallel in (True, False):
        if not parallel:
            _serial(monkeypatch)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError) as info:
                sess.run(y, feed)
            assert _plan(sess, y).regions == (1 if parallel else 0)
        names.append(info.value.op.name)
    assert names == ["a_add", "a_add"]


def test_one_pool_for_all_sessions_and_the_global_thread_count_kept() -> None:
    x, y = _net()
    for _ in range(4):
        with tf.Session() as sess:
            sess.run(y, {x: _data(1)})
    assert interop.pool_threads() == 2
    names = [t.name for t in threading.enumerate() if t.name.startswith("scopeflow-interop-")]
    assert len(names) == 2
    # The workers run one OpenMP thread each; a thread started later still gets the
    # process's count (torch.set_num_threads in a worker also sets that default).
    seen: list[int] = []
    t = threading.Thread(target=lambda: seen.append(torch.get_num_threads()))
    t.start()
    t.join()
    assert seen == [2]
    assert torch.get_num_threads() == 2


def test_workers_run_one_thread_after_the_process_count_is_restored() -> None:
    # torch gives a thread the process-wide count the first time it asks (or runs a parallel
    # kernel); a worker that set 1 before asking got the creator's restored 2 back.
    if torch.get_num_threads() != 2:
        pytest.skip("needs two intra-op threads")

    def probe() -> tuple[int, int]:
        before = torch.get_num_threads()
        torch.ones(1 << 20).add_(1)  # a parallel kernel
        return before, torch.get_num_threads()

    assert interop.run_pair(probe, probe) == ((1, 1), (1, 1))
    assert torch.get_num_threads() == 2


def test_one_intra_op_thread_runs_branches_in_the_calling_thread(monkeypatch: Any) -> None:
    x, y = _net()
    with tf.Session() as sess:
        want = sess.run(y, {x: _data(1)})
        assert _plan(sess, y).regions == 2
        called: list[str] = []
        orig = interop._get_pool
        monkeypatch.setattr(interop, "_get_pool", lambda: called.append("x") or orig())
        torch.set_num_threads(1)
        got = sess.run(y, {x: _data(1)})
    assert called
    assert np.array_equal(got, want)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_does_not_use_the_parents_pool() -> None:
    x, y = _net()
    with tf.Session() as sess:
        want = sess.run(y, {x: _data(1)})
        assert interop.pool_threads() == 2
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: the parent's worker threads are gone
            code = 1
            try:
                before = interop.pool_threads()
                # GNU OpenMP cannot start a team in a forked child of a process that used one
                # (serial plans hang too), so scopeflow runs a forked child on one thread, as
                # torch's DataLoader workers do; the plan's branches then run in its own thread.
                assert torch.get_num_threads() == 1
                got = sess.run(y, {x: _data(1)})
                os.write(w, pickle.dumps((before, interop.pool_threads(), got)))
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        deadline = time.monotonic() + 120
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                pytest.fail("the forked child hung running a parallel plan")
            time.sleep(0.05)
        data = b""
        while chunk := os.read(r, 1 << 16):
            data += chunk
        os.close(r)
        assert os.WEXITSTATUS(status) == 0
        before, after, got = pickle.loads(data)
        assert (before, after) == (0, 0)
        assert np.array_equal(got, want)
        assert interop.pool_threads() == 2  # the parent's pool is untouched


_ONE_INTER_OP_THREAD = """
import numpy as np
import scopeflow.compat.v1 as tf
x = tf.placeholder(tf.float32, [None, 32, 32, 16])
rng = np.random.RandomState(0)
towers = [tf.nn.relu(tf.nn.conv2d(x, tf.constant(rng.randn(3, 3, 16, 16).astype(np.float32)),
                                  [1, 1, 1, 1], "SAME")) for _ in range(4)]
y = tf.concat(towers, 3)
config = tf.ConfigProto(inter_op_parallelism_threads=INTER)
with tf.Session(config=config) as sess:
    sess.run(y, {x: np.ones([1, 32, 32, 16], np.float32)})
    print("regions", list(sess._plans.values())[-1].regions)
"""


@pytest.mark.parametrize(("inter", "regions"), [(1, 0), (2, 1), (0, 1)])
def test_one_inter_op_thread_in_the_first_sessions_config_runs_ops_one_at_a_time(
    inter: int, regions: int
) -> None:
    # A fresh process: TF sizes its thread pools from the process's first session.
    src = str(Path(interop.__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=src, OMP_NUM_THREADS="2")
    code = _ONE_INTER_OP_THREAD.replace("INTER", str(inter))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=300, check=True)  # fmt: skip
    assert out.stdout.split() == ["regions", str(regions)]
