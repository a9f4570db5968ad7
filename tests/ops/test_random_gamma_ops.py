"""RandomGamma / RandomPoissonV2 beyond the TF recordings (tests/conformance/cases/ops_randgamma_*):
distribution statistics over many samples, the alpha gradient against finite differences of the
same seeded draws, edge parameters TF's kernels handle (NaN, alpha = 1, tiny alpha), the
Poisson rates TF's kernel never returns for, and MatrixDiagV3 against NumPy."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.errors import InvalidArgumentError
from scopeflow.ops.matrix_diag_v3_ops import matrix_diag_v3


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


# Moments of n = 20000 draws: the standard error of the mean is sqrt(var / n); of the variance
# about var * sqrt(2 / n) (more for skewed laws). Six standard errors keep a correct sampler
# failing less than once in 10^8 runs (the seeds are fixed anyway) while a wrong shape or rate
# (a 10% error in alpha or beta) is far outside.
@pytest.mark.slow
@pytest.mark.parametrize(
    ("alpha", "beta"),
    [pytest.param(0.3, 1.0, id="alpha<1"), pytest.param(1.0, 2.0, id="exponential"),
     pytest.param(4.5, 0.5, id="alpha>1"), pytest.param(200.0, 3.0, id="large")],
)  # fmt: skip
def test_gamma_moments(alpha: float, beta: float) -> None:
    n = 20000
    s = tf.random.gamma([n], alpha, beta=beta, dtype=tf.float64, seed=42)
    with tf.Session() as sess:
        v = sess.run(s)
    mean, var = alpha / beta, alpha / beta**2
    assert abs(v.mean() - mean) < 6 * np.sqrt(var / n)
    kurt = 6 / alpha  # excess kurtosis of Gamma(alpha)
    assert abs(v.var() - var) < 6 * var * np.sqrt((2 + kurt) / n)
    assert v.min() > 0


@pytest.mark.slow
@pytest.mark.parametrize("rate", [0.2, 3.0, 9.5, 10.0, 60.0, 5000.0])
def test_poisson_moments(rate: float) -> None:
    n = 20000
    s = tf.random.poisson([rate], [n], dtype=tf.float64, seed=7)
    with tf.Session() as sess:
        v = sess.run(s)[:, 0]
    assert np.all(v == np.floor(v))
    assert v.min() >= 0
    assert abs(v.mean() - rate) < 6 * np.sqrt(rate / n)
    assert abs(v.var() - rate) < 6 * rate * np.sqrt((2 + 1 / rate) / n)


def _cdf(a: float, x: float) -> float:
    return float(torch.special.gammainc(torch.tensor(a, dtype=torch.float64),
                                        torch.tensor(x, dtype=torch.float64)))  # fmt: skip


def _inverse_cdf(a: float, u: float) -> float:
    """The Gamma(a) quantile of ``u`` by bisection on torch's float64 ``gammainc``."""
    lo, hi = 0.0, 1.0
    while _cdf(a, hi) < u:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _cdf(a, mid) < u else (lo, mid)
    return (lo + hi) / 2


def test_gamma_alpha_gradient_is_the_implicit_reparameterization_derivative() -> None:
    # TF's RandomGammaGrad: d sample / d alpha keeping the sample's CDF value u fixed, i.e. the
    # derivative of the Gamma(alpha) quantile of u (a finite difference of bisected quantiles).
    alpha = tf.constant([0.4, 1.7, 6.0], tf.float64)
    s = tf.random.gamma([2], alpha, dtype=tf.float64, seed=3)
    g = tf.gradients(s[0], alpha)[0]
    with tf.Session() as sess:
        x, grad = sess.run([s, g])
    h = 1e-5
    for i, a in enumerate([0.4, 1.7, 6.0]):
        u = _cdf(a, float(x[0, i]))
        fd = (_inverse_cdf(a + h, u) - _inverse_cdf(a - h, u)) / (2 * h)
        assert grad[i] == pytest.approx(fd, rel=1e-6)


def test_gamma_edge_alphas() -> None:
    s = tf.random.gamma([4], [np.nan, 1.0, 1e-4, np.inf], dtype=tf.float64, seed=1)
    with tf.Session() as sess:
        v = sess.run(s)
    assert np.isnan(v[:, 0]).all()
    assert (v[:, 1] > 0).all()
    assert (v[:, 2] >= np.finfo(np.float64).tiny).all()
    assert np.isinf(v[:, 3]).all()


@pytest.mark.parametrize("rate", [np.nan, np.inf])
def test_poisson_rates_tf_never_returns_for_raise(rate: float) -> None:
    s = tf.random.poisson([rate], [2], seed=1)
    with tf.Session() as sess, pytest.raises(InvalidArgumentError, match="never returns"):
        sess.run(s)


def _diag_numpy(diags: np.ndarray, lower: int, upper: int, rows: int, cols: int, align: str,
                pad: float) -> np.ndarray:  # fmt: skip
    out = np.full((rows, cols), pad, dtype=diags.dtype)
    max_len = diags.shape[-1]
    sup, sub = align.split("_")
    for d in range(lower, upper + 1):
        length = min(rows + min(0, d), cols - max(0, d))
        left = (d >= 0 and sup == "LEFT") or (d <= 0 and sub == "LEFT")
        off = 0 if left else max_len - length
        for n in range(length):
            out[n + max(0, -d), n + max(0, d)] = diags[upper - d, n + off]
    return out


@pytest.mark.parametrize("align", ["LEFT_RIGHT", "RIGHT_LEFT", "LEFT_LEFT", "RIGHT_RIGHT"])
@pytest.mark.parametrize(("k", "rows", "cols"), [((-1, 1), -1, -1), ((0, 2), 4, -1),
                                                 ((-2, -1), -1, 4), ((1, 1), 4, 7)])  # fmt: skip
def test_matrix_diag_v3_against_numpy(align: str, k: tuple[int, int], rows: int, cols: int
                                      ) -> None:  # fmt: skip
    lower, upper = k
    rng = np.random.default_rng(0)
    diags = rng.normal(size=(upper - lower + 1, 4)).astype(np.float32)
    t = matrix_diag_v3(diags if lower != upper else diags[0], list(k), rows, cols, -1.0, align)
    with tf.Session() as sess:
        got = sess.run(t)
    min_rows, min_cols = 4 - min(upper, 0), 4 + max(lower, 0)
    r = max(min_rows, min_cols) if rows == -1 and cols == -1 else (min_rows if rows == -1 else rows)
    c = max(min_rows, min_cols) if rows == -1 and cols == -1 else (min_cols if cols == -1 else cols)
    np.testing.assert_array_equal(got, _diag_numpy(diags, lower, upper, r, c, align, -1.0))
    assert t.shape.as_list() == [r, c]
