"""Array kernels: gradchecks (float64) on the torch kernels, slice-spec resolution, edge cases."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.op_registry import get_kernel
from scopeflow.ops.slicing_ops import _resolve


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()


def _kernel(t):
    op = t.op
    return get_kernel(op.type).factory(op, None)


def _const_inputs(t, skip):
    """The known values of ``t.op``'s inputs, except the differentiated ones (``skip``)."""
    return [
        None if i in skip else torch.tensor(np.asarray(x._const)) for i, x in enumerate(t.op.inputs)
    ]


def _check(out, shapes, diff=(0,)):
    kernel = _kernel(out)
    consts = _const_inputs(out, set(diff))
    gen = torch.Generator().manual_seed(3)
    vals = [
        torch.rand(tuple(s), generator=gen, dtype=torch.float64).requires_grad_() for s in shapes
    ]

    def fn(*xs):
        args = list(consts)
        for i, x in zip(diff, xs, strict=True):
            args[i] = x
        res = kernel(*args)
        return res if isinstance(res, tuple) else (res,)

    assert torch.autograd.gradcheck(fn, tuple(vals))


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda x: x[1], id="shrink"),
        pytest.param(lambda x: x[:, ::-2], id="negative-stride"),
        pytest.param(lambda x: x[::-1, None, 1:3], id="newaxis-reverse"),
        pytest.param(lambda x: x[..., -1], id="ellipsis"),
        pytest.param(lambda x: tf.strided_slice(x, [2, 3], [0, 0], [-1, -2]), id="explicit"),
    ],
)
def test_strided_slice_gradcheck(build):
    x = tf.placeholder(tf.float64, [3, 4])
    _check(build(x), [(3, 4)])


def test_strided_slice_gradient_scatters_into_slice():
    x = tf.placeholder(tf.float64, [3, 4])
    out = x[::-2, 1]
    k = _kernel(out)
    v = torch.zeros(3, 4, dtype=torch.float64, requires_grad=True)
    args = _const_inputs(out, {0})
    args[0] = v
    (k(*args) * torch.tensor([1.0, 2.0], dtype=torch.float64)).sum().backward()
    expected = np.zeros((3, 4))
    expected[2, 1], expected[0, 1] = 1.0, 2.0
    np.testing.assert_array_equal(v.grad.numpy(), expected)


@pytest.mark.parametrize(
    ("build", "shapes", "diff"),
    [
        pytest.param(lambda x: tf.gather(x, [2, 0, 2]), [(3, 4)], (0,), id="gather-dup"),
        pytest.param(lambda x: tf.gather(x, [[1], [3]], axis=1), [(3, 4)], (0,), id="gather-ax1"),
        pytest.param(
            lambda x: tf.gather(x, [[1], [3], [0]], axis=1, batch_dims=1),
            [(3, 4)],
            (0,),
            id="gather-batch",
        ),
        pytest.param(lambda x: tf.gather_nd(x, [[1, 0], [2, 3]]), [(3, 4)], (0,), id="gather_nd"),
        pytest.param(lambda x: tf.pad(x, [[1, 0], [2, 1]]), [(3, 4)], (0,), id="pad"),
        pytest.param(
            lambda x: tf.pad(x, [[1, 2], [2, 3]], mode="REFLECT"), [(3, 4)], (0,), id="pad-reflect"
        ),
        pytest.param(
            lambda x: tf.pad(x, [[3, 1], [0, 4]], mode="symmetric"),
            [(3, 4)],
            (0,),
            id="pad-symmetric",
        ),
        pytest.param(
            lambda x: tf.pad(x, [[1, 1], [0, 1]], constant_values=2.0), [(3, 4)], (0,), id="padv2"
        ),
        pytest.param(lambda x: tf.tile(x, [2, 3]), [(3, 4)], (0,), id="tile"),
        pytest.param(tf.transpose, [(3, 4)], (0,), id="transpose"),
        pytest.param(lambda x: tf.reverse(x, [0, 1]), [(3, 4)], (0,), id="reverse"),
        pytest.param(lambda x: tf.squeeze(tf.expand_dims(x, 1)), [(3, 4)], (0,), id="squeeze"),
        pytest.param(lambda x: tf.broadcast_to(x, [2, 3, 4]), [(3, 4)], (0,), id="broadcast_to"),
        pytest.param(
            lambda x: tf.reverse_sequence(x, [1, 4, 2], seq_axis=1),
            [(3, 4)],
            (0,),
            id="reverse_sequence",
        ),
        pytest.param(
            lambda x: tf.split(x, [1, -1], 1)[1].op.outputs[0], [(3, 4)], (0,), id="splitv"
        ),
        pytest.param(lambda x: tf.unstack(x)[0].op.outputs[0], [(3, 4)], (0,), id="unstack"),
        pytest.param(
            lambda x: tf.scatter_nd([[1], [1], [0]], x, [4, 4]), [(3, 4)], (1,), id="scatter_nd"
        ),
    ],
)
def test_kernel_gradcheck(build, shapes, diff):
    x = tf.placeholder(tf.float64, [3, 4])
    _check(build(x), shapes, diff)


def test_concat_stack_transpose_perm_gradcheck():
    a = tf.placeholder(tf.float64, [2, 3])
    b = tf.placeholder(tf.float64, [2, 5])
    _check(tf.concat([a, b], 1), [(2, 3), (2, 5)], (0, 1))
    c = tf.placeholder(tf.float64, [2, 3])
    _check(tf.stack([a, c], axis=1), [(2, 3), (2, 3)], (0, 1))
    x = tf.placeholder(tf.float64, [2, 3, 4])
    _check(tf.transpose(x, [2, 0, 1]), [(2, 3, 4)])


def test_select_and_one_hot_gradcheck():
    t = tf.placeholder(tf.float64, [3, 2])
    e = tf.placeholder(tf.float64, [3, 2])
    _check(tf.where([True, False, True], t, e), [(3, 2), (3, 2)], (1, 2))
    on = tf.placeholder(tf.float64, [])
    _check(
        tf.one_hot([0, 2, 5], 3, on_value=on, off_value=tf.constant(0.5, tf.float64)), [()], (2,)
    )


def test_resolve_matches_numpy_on_many_specs():
    arr = np.arange(5 * 6).reshape(5, 6)
    specs = [
        (slice(None, None, -1), slice(1, None, 2)),
        (slice(-2, -6, -1), 3),
        (slice(10, -10, -3), slice(-1, None)),
        (4, slice(None, -7, -1)),
        (slice(2, 2), slice(0, 6, 7)),
    ]
    for spec in specs:
        c = tf.constant(arr)
        out = c[spec]
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(out), arr[spec])
        assert out.get_shape().as_list() == list(arr[spec].shape)
        assert out._const is not None
        np.testing.assert_array_equal(out._const, arr[spec])


def test_resolve_unknown_begin_keeps_masked_dims():
    canon, final, _ = _resolve([4, None, 3], None, None, [1, 1, -1], (6, 6, 0, 0, 1))
    assert final == [None, 3]
    assert canon == [None, None, None]


def test_strided_slice_with_fed_bounds_and_runtime_error():
    x = tf.constant(np.arange(10))
    b = tf.placeholder(tf.int32, [1])
    s = tf.strided_slice(x, b, [10], [3])
    assert s.get_shape().as_list() == [None]
    shrink = tf.strided_slice(x, b, b + 1, [1], shrink_axis_mask=1)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(s, {b: [2]}), [2, 5, 8])
        with pytest.raises(InvalidArgumentError, match="slice index 12 of dimension 0 out of"):
            sess.run(shrink, {b: [12]})


def test_fetched_slice_of_variable_is_a_copy():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    s = v[0]
    with tf.Session() as sess:
        sess.run(v.initializer)
        got = sess.run(s)
        sess.run(v.assign([[9.0, 9.0], [9.0, 9.0]]))
        np.testing.assert_array_equal(got, [1.0, 2.0])


def test_iterating_a_tensor_uses_getitem():
    c = tf.constant([[1, 2], [3, 4]])
    rows = list(c)
    assert [r.name for r in rows] == ["strided_slice:0", "strided_slice_1:0"]


def test_split_single_output_and_unique_order():
    (only,) = tf.split(tf.constant([1.0, 2.0]), 1)
    u = tf.unique(tf.constant([3, 1, 3, 2]))
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(only), [1.0, 2.0])
        y, idx = sess.run([u.y, u.idx])
    np.testing.assert_array_equal(y, [3, 1, 2])
    np.testing.assert_array_equal(idx, [0, 1, 0, 2])
