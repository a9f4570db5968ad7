"""``Sqrt`` is correctly rounded, as TF's Eigen kernel (``ops.unary_ops``).

torch's CPU ``sqrt`` (MKL vector math) is one ulp off for ~0.7% of float32 inputs; the kernel,
its in-place variant (a plan's donation) and its gradient are checked bit for bit against
NumPy's IEEE square root, which is what TF computes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import scopeflow.compat.v1 as tf


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


def _inputs(dtype: Any) -> Any:
    rng = np.random.RandomState(0)
    x = rng.rand(50_000) * np.exp(rng.randn(50_000) * 5)
    return np.concatenate([x, [0.0, 1.0, 4.0, 2.0, 1e-30, np.inf]]).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sqrt_is_correctly_rounded(dtype: Any) -> None:
    xv = _inputs(dtype)
    x = tf.placeholder(dtype, [None])
    y = tf.sqrt(x)
    donated = tf.sqrt(x * 1.0)  # the product is fresh and read once: computed in place
    with tf.Session() as sess:
        got, got_inplace = sess.run([y, donated], {x: xv})
        assert list(sess._plans.values())[-1].donations >= 1
    np.testing.assert_array_equal(got, np.sqrt(xv))
    np.testing.assert_array_equal(got_inplace, np.sqrt(xv))
    assert np.isnan(tf.Session().run(tf.sqrt(tf.constant(-1.0, dtype))))


def test_sqrt_gradient_is_torch_formula_on_exact_forward() -> None:
    xv = _inputs(np.float32)[:-2]
    xv = xv[xv > 0]
    x = tf.placeholder(tf.float32, [None])
    y = tf.sqrt(x)
    (g,) = tf.gradients(tf.reduce_sum(y * 3.0), [x])
    (gg,) = tf.gradients(tf.reduce_sum(g), [x])
    with tf.Session() as sess:
        yv, gv, ggv = sess.run([y, g, gg], {x: xv})
    np.testing.assert_array_equal(yv, np.sqrt(xv))
    three = np.full_like(xv, 3.0)
    np.testing.assert_array_equal(gv, three / (np.float32(2) * np.sqrt(xv)))
    np.testing.assert_allclose(ggv, -0.75 * xv.astype(np.float64) ** -1.5, rtol=1e-5)
