"""Training-step memory: in-place update math in grad plans, and large blocks kept by malloc.

A plan that computes gradients (``tf.gradients`` next to an optimizer's update, as in BERT's
``AdamWeightDecayOptimizer``) runs an elementwise op in place when, at run time, none of its
inputs requires grad (``plan._grad_guarded``); inputs on the autograd path are never written.
Values are checked against the same update computed from fed gradients (a no-grad plan) and
against numpy.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests.graph.adam_wd import adam_wd, numpy_adam_wd

import scopeflow.compat.v1 as tf


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


def _plan(sess: Any) -> Any:
    return list(sess._plans.values())[-1]


def test_optimizer_math_next_to_gradients_runs_in_place_with_the_same_values() -> None:
    rng = np.random.RandomState(0)
    xv = rng.randn(6, 5).astype(np.float32)
    w0, m0, v0 = (rng.randn(5, 4).astype(np.float32) for _ in range(3))
    v0 = np.abs(v0)
    x = tf.placeholder(tf.float32, [6, 5])
    w, m, v = tf.Variable(w0), tf.Variable(m0), tf.Variable(v0)
    loss = tf.reduce_sum(tf.tanh(tf.matmul(x, w) + 1.0))
    (g,) = tf.gradients(loss, [w])
    nm, nv, nw = adam_wd(g, m, v, w)
    train = tf.group(w.assign(nw), m.assign(nm), v.assign(nv))
    fed_g = tf.placeholder(tf.float32, [5, 4])
    ref = adam_wd(fed_g, m, v, w)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        gv, lv = sess.run([g, loss], {x: xv})
        want = sess.run(list(ref), {fed_g: gv})  # no-grad plan, the gradient fed
        sess.run(train, {x: xv})
        plan = _plan(sess)
        assert plan.needs_grad
        assert plan.post_grad_ops > 10
        assert plan.donations + plan.guarded_donations >= 6
        got = sess.run([m, v, w])
        assert sess.run(loss, {x: xv}) != lv  # the step changed w
    for a, b in zip(got, want, strict=True):
        np.testing.assert_array_equal(a, b)
    t = np.tanh(xv @ w0 + 1)
    g_np = xv.T @ (1 - t * t)
    np.testing.assert_allclose(gv, g_np, rtol=1e-5, atol=1e-6)
    for a, b in zip(got, numpy_adam_wd(gv, m0, v0, w0), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_values_on_the_autograd_path_are_not_overwritten() -> None:
    # ``a + 1`` and ``3 * h`` could write into their fresh inputs, but those require grad at run
    # time: the guarded kernels fall back, and the gradient and the fetched values stay right.
    xv = np.array([[0.1, -0.4], [0.3, 0.2]], np.float32)
    x = tf.placeholder(tf.float32, [2, 2])
    w = tf.Variable(np.eye(2, dtype=np.float32))
    a = tf.matmul(x, w)
    h = tf.tanh(a + 1.0)
    y = 3.0 * h
    loss = tf.reduce_sum(y * y)
    (g,) = tf.gradients(loss, [w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        gv, yv = sess.run([g, y], {x: xv})
        assert _plan(sess).guarded_donations >= 1
    t = np.tanh(xv + 1)
    np.testing.assert_allclose(yv, 3 * t, rtol=1e-6)
    np.testing.assert_allclose(gv, xv.T @ (18 * t * (1 - t * t)), rtol=1e-5)


def test_densified_indexed_slices_gradient_is_scaled_in_place() -> None:
    # BERT's optimizer multiplies the word embeddings' IndexedSlices gradient: the
    # UnsortedSegmentSum that densifies it is a fresh output the Mul may write into.
    table0 = np.arange(12, dtype=np.float32).reshape(6, 2)
    table = tf.Variable(table0)
    ids = tf.constant([1, 4, 1, 0])
    loss = tf.reduce_sum(tf.gather(table, ids) * tf.constant([[1.0, 2.0]]))
    (g,) = tf.gradients(loss, [table])
    assert isinstance(g, tf.IndexedSlices)
    scaled = tf.multiply(0.5, g)
    step = table.assign(table - scaled)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        assert _plan(sess).donations >= 1
        got = sess.run(table)
    dense = np.zeros([6, 2], np.float32)
    for i in [1, 4, 1, 0]:
        dense[i] += [1.0, 2.0]
    np.testing.assert_array_equal(got, table0 - 0.5 * dense)


def test_sub_and_div_write_into_their_second_input() -> None:
    x = tf.placeholder(tf.float32, [2])
    a = tf.constant([8.0, 9.0]) - tf.tanh(x)
    b = tf.constant([1.0, 3.0]) / (tf.exp(x) + 1.0)
    xv = np.array([0.5, -1.5], np.float32)
    with tf.Session() as sess:
        av, bv = sess.run([a, b], {x: xv})
        assert _plan(sess).donations == 3  # exp + 1, const - tanh, const / (exp + 1)
    np.testing.assert_allclose(av, [8 - np.tanh(0.5), 9 - np.tanh(-1.5)], rtol=1e-6)
    np.testing.assert_allclose(bv, np.array([1.0, 3.0]) / (np.exp(xv) + 1), rtol=1e-6)


# After the first Session, glibc serves a 64 MiB block (above its largest mmap threshold) from
# the heap, not from a fresh mapping (``mallinfo2().hblks`` counts live mmap-served blocks), and
# keeps the freed memory (the heap does not shrink).
_PROBE = """
import ctypes, torch
import scopeflow.compat.v1 as tf

class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in (
        "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split())]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2
tf.Session().close()
before = libc.mallinfo2().hblks
t = torch.ones(16 * 1024 * 1024)
during = libc.mallinfo2().hblks
arena = libc.mallinfo2().arena
del t
print(during - before, libc.mallinfo2().arena >= arena)
"""


def _probe(**env: str) -> list[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("MALLOC_", "SCOPEFLOW_"))}
    full.pop("GLIBC_TUNABLES", None)
    full["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "src")
    full.update(env)
    return subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, env=full
    ).stdout.split()


_GLIBC_233 = sys.platform.startswith("linux") and hasattr(ctypes.CDLL(None), "mallinfo2")


@pytest.mark.slow
@pytest.mark.skipif(not _GLIBC_233, reason="needs glibc >= 2.33 (mallinfo2)")
def test_blocks_over_32_mib_come_from_the_heap_and_stay() -> None:
    assert _probe() == ["0", "True"]


@pytest.mark.slow
@pytest.mark.skipif(not _GLIBC_233, reason="needs glibc >= 2.33 (mallinfo2)")
@pytest.mark.parametrize("env", [{"SCOPEFLOW_TUNE_MALLOC": "0"}, {"MALLOC_MMAP_MAX_": "65536"}])
def test_glibc_defaults_map_large_blocks_when_tuning_is_off(env: dict[str, str]) -> None:
    assert _probe(**env)[0] == "1"
