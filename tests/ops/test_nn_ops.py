"""nn kernels: float64 gradchecks, TF padding semantics against NumPy, layout (no-copy) checks."""

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.op_registry import get_kernel


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()


def _kernel(t):
    """The torch closure of the op producing ``t`` (kernels read attrs only)."""
    op = t.op
    return get_kernel(op.type).factory(op, None)


def _ph(shape, dtype=tf.float64):
    return tf.placeholder(dtype, shape)


def _rand(*shape, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=g, dtype=torch.float64, requires_grad=True)


def _first(fn):
    def out(*a):
        r = fn(*a)
        return r[0] if isinstance(r, tuple) else r

    return out


GRAD_CASES = [
    pytest.param(lambda: tf.nn.conv2d(_ph([1, 5, 5, 2]), _ph([3, 3, 2, 3]), [1, 2, 2, 1], "SAME"),
                 [(1, 5, 5, 2), (3, 3, 2, 3)], id="conv2d_same_stride2"),
    pytest.param(lambda: tf.nn.conv2d(_ph([1, 2, 5, 4]), _ph([2, 2, 2, 2]), 1, "SAME",
                                      data_format="NCHW", dilations=[1, 1, 2, 1]),
                 [(1, 2, 5, 4), (2, 2, 2, 2)], id="conv2d_nchw_dilated"),
    pytest.param(lambda: tf.nn.conv3d(_ph([1, 3, 3, 3, 1]), _ph([2, 2, 2, 1, 2]), [1] * 5, "SAME"),
                 [(1, 3, 3, 3, 1), (2, 2, 2, 1, 2)], id="conv3d"),
    pytest.param(lambda: tf.nn.depthwise_conv2d_native(_ph([1, 4, 4, 2]), _ph([3, 3, 2, 2]),
                                                       [1, 1, 1, 1], "SAME"),
                 [(1, 4, 4, 2), (3, 3, 2, 2)], id="depthwise"),
    pytest.param(lambda: tf.nn.max_pool(_ph([1, 5, 5, 2]), 2, 2, "SAME"), [(1, 5, 5, 2)],
                 id="max_pool_same"),
    pytest.param(lambda: tf.nn.avg_pool(_ph([1, 5, 5, 2]), 2, 2, "SAME"), [(1, 5, 5, 2)],
                 id="avg_pool_same_asymmetric"),
    pytest.param(lambda: tf.nn.avg_pool(_ph([1, 2, 4, 4]), 3, 1, "SAME", data_format="NCHW"),
                 [(1, 2, 4, 4)], id="avg_pool_nchw"),
    pytest.param(lambda: tf.nn.softmax(_ph([2, 4]), axis=0), [(2, 4)], id="softmax_axis0"),
    pytest.param(lambda: tf.nn.log_softmax(_ph([2, 4])), [(2, 4)], id="log_softmax"),
    pytest.param(lambda: tf.nn.softmax_cross_entropy_with_logits_v2(_ph([3, 4]), _ph([3, 4])),
                 [(3, 4), (3, 4)], id="softmax_xent_v2"),
    pytest.param(lambda: tf.nn.sigmoid_cross_entropy_with_logits(labels=_ph([3, 4]),
                                                                 logits=_ph([3, 4])),
                 [(3, 4), (3, 4)], id="sigmoid_xent"),
    pytest.param(lambda: tf.nn.weighted_cross_entropy_with_logits(_ph([3, 4]), _ph([3, 4]), 2.0),
                 [(3, 4), (3, 4), ()], id="weighted_xent"),
    pytest.param(lambda: tf.nn.l2_loss(_ph([3, 4])), [(3, 4)], id="l2_loss"),
    pytest.param(lambda: tf.nn.l2_normalize(_ph([3, 4]), 1), [(3, 4)], id="l2_normalize"),
    pytest.param(lambda: tf.nn.moments(_ph([3, 4]), [0])[1], [(3, 4)], id="moments_variance"),
    pytest.param(lambda: tf.nn.batch_normalization(_ph([3, 4]), _ph([4]), _ph([4]), _ph([4]),
                                                   _ph([4]), 1e-3),
                 [(3, 4), (4,), (4,), (4,), (4,)], id="batch_normalization"),
    pytest.param(lambda: tf.nn.elu(_ph([5])), [(5,)], id="elu"),
    pytest.param(lambda: tf.nn.selu(_ph([5])), [(5,)], id="selu"),
    pytest.param(lambda: tf.nn.softplus(_ph([5])), [(5,)], id="softplus"),
    pytest.param(lambda: tf.nn.leaky_relu(_ph([5]), 0.3), [(5,)], id="leaky_relu"),
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(("build", "shapes"), GRAD_CASES)
def test_kernel_gradcheck(build, shapes):
    t = build()
    fn = _first(_kernel(t))
    args = [_rand(*s, seed=i) for i, s in enumerate(shapes)]
    if t.op.type == "SfBatchNormalization":
        args[2] = (args[2].detach().abs() + 0.5).requires_grad_()
    if t.op.type == "SfSoftmaxCrossEntropy":
        # TF's logits gradient is ``softmax - labels``: the derivative where labels sum to 1.
        args[1] = torch.softmax(args[1].detach(), -1).requires_grad_()
    assert torch.autograd.gradcheck(fn, args)


def test_softmax_xent_gradient_is_tfs_fused_rule_for_unnormalized_labels():
    logits = tf.constant([[1.0, 2.0, 0.5]])
    labels = tf.constant([[0.5, 1.0, 0.0]])  # sums to 1.5
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    gx, gz = tf.gradients(loss, [logits, labels])
    with tf.Session() as sess:
        gxv, gzv = sess.run([gx, gz])
    x = np.array([1.0, 2.0, 0.5])
    sm = np.exp(x) / np.exp(x).sum()
    np.testing.assert_allclose(gxv[0], sm - [0.5, 1.0, 0.0], rtol=1e-5)
    np.testing.assert_allclose(gzv[0], -np.log(sm), rtol=1e-5)


@pytest.mark.slow
def test_conv1d_is_expand_conv2d_squeeze():
    y = tf.nn.conv1d(tf.constant(np.arange(12.0).reshape(1, 6, 2)), tf.ones([3, 2, 1], tf.float64),
                     2, "SAME")  # fmt: skip
    assert [op.type for op in tf.get_default_graph().get_operations()][-3:] == [
        "ExpandDims", "Conv2D", "Squeeze"]  # fmt: skip
    with tf.Session() as sess:
        v = sess.run(y)
    # SAME, stride 2, width 6, kernel 3: pads (0, 1); windows [0:3], [2:5], [4:6].
    x = np.arange(12.0).reshape(6, 2).sum(axis=1)
    np.testing.assert_allclose(v.reshape(-1), [x[0:3].sum(), x[2:5].sum(), x[4:6].sum()])


@pytest.mark.slow
def test_conv2d_transpose_gradcheck_and_is_conv_gradient():
    t = tf.nn.conv2d_transpose(_ph([1, 3, 3, 2]), _ph([3, 3, 4, 2]), [1, 5, 5, 4], [1, 2, 2, 1])
    fn = _kernel(t)
    sizes = torch.tensor([1, 5, 5, 4])
    w, dy = _rand(3, 3, 4, 2), _rand(1, 3, 3, 2, seed=1)
    assert torch.autograd.gradcheck(lambda w_, y_: fn(sizes, w_, y_), (w, dy))
    # conv2d_transpose is the input gradient of conv2d with the same filter/strides/padding.
    conv = _kernel(tf.nn.conv2d(_ph([1, 5, 5, 4]), _ph([3, 3, 4, 2]), [1, 2, 2, 1], "SAME"))
    x = torch.zeros(1, 5, 5, 4, dtype=torch.float64, requires_grad=True)
    (conv(x, w.detach()) * dy.detach()).sum().backward()
    torch.testing.assert_close(fn(sizes, w.detach(), dy.detach()), x.grad)


def test_softmax_xent_v1_stops_gradient_into_labels():
    labels, logits = _rand(2, 3), _rand(2, 3, seed=1)
    v1 = _kernel(tf.nn.softmax_cross_entropy_with_logits(labels=_ph([2, 3]), logits=_ph([2, 3])))
    v1(logits, labels).sum().backward()
    assert labels.grad is None
    assert logits.grad is not None
    v2 = _kernel(tf.nn.softmax_cross_entropy_with_logits_v2(_ph([2, 3]), _ph([2, 3])))
    v2(logits, labels).sum().backward()
    torch.testing.assert_close(labels.grad, -torch.log_softmax(logits.detach(), -1))


@pytest.mark.slow
def test_sparse_xent_gradcheck_and_label_range():
    t = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=_ph([3], tf.int32),
                                                       logits=_ph([3, 4]))  # fmt: skip
    fn = _kernel(t)
    labels = torch.tensor([0, 3, 1])
    assert torch.autograd.gradcheck(lambda x: fn(x, labels)[0], (_rand(3, 4),))
    with pytest.raises(InvalidArgumentError, match=r"label value of 4 .* \[0, 4\)"):
        fn(_rand(3, 4), torch.tensor([0, 4, 1]))


def test_sigmoid_xent_gradient_at_zero_is_tf_select_branch():
    fn = _kernel(tf.nn.sigmoid_cross_entropy_with_logits(labels=_ph([1]), logits=_ph([1])))
    x = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    fn(x, torch.tensor([0.25], dtype=torch.float64)).sum().backward()
    assert x.grad.item() == pytest.approx(0.25)  # sigmoid(0) - z


@pytest.mark.slow
def test_embedding_lookup_sharded_gradcheck():
    t = tf.nn.embedding_lookup([_ph([3, 2]), _ph([2, 2])], _ph([4], tf.int32),
                               partition_strategy="div", max_norm=0.8)  # fmt: skip
    fn = _kernel(t)
    ids = torch.tensor([4, 0, 2, 0])
    assert torch.autograd.gradcheck(lambda a, b: fn(a, b, ids), (_rand(3, 2), _rand(2, 2)))


@pytest.mark.slow
def test_fused_batch_norm_training_gradcheck():
    y, _, _ = tf.nn.fused_batch_norm(_ph([2, 2, 2, 3]), _ph([3]), _ph([3]))
    fn = _kernel(y)
    empty = torch.zeros(0, dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda x, s, o: fn(x, s, o, empty, empty)[0],
                                    (_rand(2, 2, 2, 3), _rand(3), _rand(3)))  # fmt: skip


def _np_avg_pool_same(x, k, s):
    n, h, w, c = x.shape
    oh, ow = -(-h // s), -(-w // s)
    ph = max((oh - 1) * s + k - h, 0) // 2
    pw = max((ow - 1) * s + k - w, 0) // 2
    out = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * s - ph, j * s - pw
            win = x[:, max(r0, 0) : r0 + k, max(c0, 0) : c0 + k]
            out[:, i, j] = win.mean(axis=(1, 2))
    return out


@pytest.mark.parametrize(("k", "s", "size"), [(2, 2, 5), (3, 2, 6), (4, 1, 5), (3, 3, 7)])
def test_avg_pool_same_divides_by_valid_count(k, s, size):
    x = np.random.RandomState(0).rand(1, size, size, 2)
    fn = _kernel(tf.nn.avg_pool(_ph([1, size, size, 2]), k, s, "SAME"))
    np.testing.assert_allclose(fn(torch.from_numpy(x)).numpy(), _np_avg_pool_same(x, k, s))


def test_max_pool_same_pads_with_minus_infinity():
    x = -torch.ones(1, 3, 3, 1, dtype=torch.float64) * 5
    fn = _kernel(tf.nn.max_pool(_ph([1, 3, 3, 1]), 2, 2, "SAME"))
    assert (fn(x) == -5).all()


def test_conv2d_nhwc_kernel_reads_a_channels_last_view_without_copy():
    x = torch.randn(2, 8, 8, 4)
    view = x.permute(0, 3, 1, 2)
    assert view.is_contiguous(memory_format=torch.channels_last)
    assert view.data_ptr() == x.data_ptr()
    fn = _kernel(tf.nn.conv2d(tf.placeholder(tf.float32, [2, 8, 8, 4]), tf.zeros([3, 3, 4, 5]),
                              [1, 1, 1, 1], "SAME"))  # fmt: skip
    y = fn(x, torch.randn(3, 3, 4, 5))
    assert y.shape == (2, 8, 8, 5)
    assert y.is_contiguous()  # the channels-last result is a plain NHWC tensor


def test_conv2d_runtime_batch_stride_error():
    fn = _kernel(tf.nn.conv2d(_ph([1, 4, 4, 1]), _ph([1, 1, 1, 1]), [2, 1, 1, 1], "SAME"))
    with pytest.raises(InvalidArgumentError, match="strides in the batch"):
        fn(_rand(1, 4, 4, 1), _rand(1, 1, 1, 1))


def test_dropout_scales_kept_values_and_rejects_bad_keep_prob():
    y = tf.nn.dropout(tf.ones([200, 10]), keep_prob=0.2, seed=1)
    with tf.Session() as sess:
        v = sess.run(y)
    assert set(np.unique(v).tolist()) <= {0.0, 5.0}
    assert 0.1 < (v != 0).mean() < 0.3
    with pytest.raises(ValueError, match="range"):
        tf.nn.dropout(tf.ones([2]), keep_prob=0.0)


def test_in_top_k_counts_ties_and_non_finite_rows():
    fn = _kernel(tf.nn.in_top_k(tf.placeholder(tf.float32, [3, 3]), tf.constant([1, 0, 5]), 1))
    p = torch.tensor([[1.0, 1.0, 0.0], [0.0, 2.0, float("nan")], [1.0, 0.0, 0.0]])
    assert fn(p, torch.tensor([1, 0, 5]), torch.tensor(1)).tolist() == [True, False, False]
