"""Math kernels: TF's gradients (custom autograd functions), gradchecks, integer semantics."""

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.op_registry import get_kernel
from scopeflow.ops import _math_grad


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()


def _grads(fn, *xs):
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    fn(*ts).sum().backward()
    return [t.grad.tolist() for t in ts]


def test_maximum_ties_send_gradient_to_x():
    # TF: dx = grad where x >= y, dy = grad elsewhere; torch would split ties 0.5/0.5.
    gx, gy = _grads(_math_grad.maximum, [1.0, 2.0, 3.0], [1.0, 3.0, 2.0])
    assert gx == [1.0, 0.0, 1.0]
    assert gy == [0.0, 1.0, 0.0]


def test_minimum_ties_send_gradient_to_x():
    gx, gy = _grads(_math_grad.minimum, [1.0, 2.0, 3.0], [1.0, 3.0, 2.0])
    assert gx == [1.0, 1.0, 0.0]
    assert gy == [0.0, 0.0, 1.0]


def test_maximum_broadcast_gradient_is_summed():
    x = torch.tensor([[1.0, 5.0], [2.0, 0.0]], dtype=torch.float64, requires_grad=True)
    y = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    _math_grad.maximum(x, y).sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0], [1.0, 0.0]]
    assert y.grad.item() == 2.0


def test_pow_gradients_match_tf_at_zero_and_negative_base():
    # TF: dz/dy = z * log(x) only where x > 0 (0 elsewhere); dz/dx = y * x**(y-1) (NaN at 0**0).
    gx, gy = _grads(_math_grad.pow, [0.0, -2.0, 2.0, 0.0], [2.0, 2.0, 3.0, 0.0])
    assert gx[:3] == [0.0, -4.0, 12.0]
    assert np.isnan(gx[3])
    assert gy[:2] == [0.0, 0.0]
    assert gy[2] == pytest.approx(8 * np.log(2.0))
    assert gy[3] == 0.0


@pytest.mark.parametrize(
    "fn",
    [
        pytest.param(_math_grad.maximum, id="maximum"),
        pytest.param(_math_grad.minimum, id="minimum"),
        pytest.param(_math_grad.pow, id="pow"),
    ],
)
def test_custom_functions_gradcheck(fn):
    gen = torch.Generator().manual_seed(0)
    x = (torch.rand(3, 4, generator=gen, dtype=torch.float64) + 0.5).requires_grad_()
    y = (torch.rand(4, generator=gen, dtype=torch.float64) + 0.5).requires_grad_()
    assert torch.autograd.gradcheck(fn, (x, y))


def _kernel(tensor):
    op = tensor.op
    return get_kernel(op.type).factory(op, None)


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda x: tf.reduce_sum(x, 1), id="sum"),
        pytest.param(lambda x: tf.reduce_mean(x, [0, 1]), id="mean"),
        pytest.param(lambda x: tf.reduce_prod(x, 0, keepdims=True), id="prod"),
        pytest.param(lambda x: tf.reduce_max(x, 1), id="max"),
        pytest.param(lambda x: tf.cumsum(x, 1, exclusive=True, reverse=True), id="cumsum"),
        pytest.param(lambda x: tf.cumprod(x, 0, exclusive=True), id="cumprod"),
        pytest.param(tf.sqrt, id="sqrt"),
        pytest.param(tf.rsqrt, id="rsqrt"),
        pytest.param(tf.lgamma, id="lgamma"),
        pytest.param(tf.sigmoid, id="sigmoid"),
        pytest.param(lambda x: tf.matmul(x, x, transpose_b=True), id="matmul"),
        pytest.param(lambda x: tf.matmul(x, x, transpose_a=True), id="matmul_ta"),
        pytest.param(lambda x: tf.floormod(x, 0.3), id="floormod"),
        pytest.param(lambda x: tf.pow(x, 1.7), id="pow"),
        pytest.param(lambda x: tf.maximum(x, 0.9), id="maximum"),
    ],
)
def test_kernel_gradcheck(build):
    x = tf.placeholder(tf.float64, [2, 3])
    out = build(x)
    kernel = _kernel(out)
    gen = torch.Generator().manual_seed(1)
    val = (torch.rand(2, 3, generator=gen, dtype=torch.float64) + 0.5).requires_grad_()

    def run(v):
        args = [v if t is x else torch.tensor(np.asarray(t._const)) for t in out.op.inputs]
        return kernel(*args)

    with torch.enable_grad():
        assert torch.autograd.gradcheck(run, (val,))


def test_abs_sign_round_floor_gradients_at_zero():
    x = torch.tensor([0.0, 1.5, -2.5], dtype=torch.float64, requires_grad=True)
    (torch.abs(x) + torch.round(x) + torch.floor(x)).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, -1.0]


def test_integer_division_rounds_toward_minus_infinity():
    a = tf.constant([7, -7, 7, -7])
    b = tf.constant([2, 2, -2, -2])
    with tf.Session() as sess:
        fd, fm, td, tm = sess.run([a // b, a % b, tf.truncatediv(a, b), tf.truncatemod(a, b)])
    assert fd.tolist() == [3, -4, -4, 3]
    assert fm.tolist() == [1, 1, -1, -1]
    assert td.tolist() == [3, -3, -3, 3]
    assert tm.tolist() == [1, -1, 1, -1]


def test_integer_division_by_zero_is_a_run_time_error():
    q = tf.floordiv(tf.constant([1]), tf.constant([0]))
    with (
        tf.Session() as sess,
        pytest.raises(InvalidArgumentError, match="Integer division by zero"),
    ):
        sess.run(q)


def test_mixed_dtype_is_a_type_error():
    with pytest.raises(TypeError, match="Input 'y' of 'AddV2' Op has type float32"):
        tf.add(tf.constant(1), tf.constant(1.0))


def test_reduce_mean_of_integers_truncates_toward_zero():
    with tf.Session() as sess:
        assert sess.run(tf.reduce_mean(tf.constant([-1, -2]))) == -1
        assert sess.run(tf.reduce_mean(tf.constant([1, 2]))) == 1


def test_round_is_half_to_even():
    with tf.Session() as sess:
        out = sess.run(tf.round(tf.constant([0.5, 1.5, 2.5, -0.5, -1.5])))
    assert out.tolist() == [0.0, 2.0, 2.0, -0.0, -2.0]


def test_top_k_ties_keep_index_order():
    with tf.Session() as sess:
        values, indices = sess.run(tf.math.top_k(tf.constant([1.0, 3.0, 3.0, 2.0]), 3))
    assert values.tolist() == [3.0, 3.0, 2.0]
    assert indices.tolist() == [1, 2, 3]
