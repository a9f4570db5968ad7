"""MobileNet/ResNet blocks of frozen graphs as TF's grappler runs them: (depthwise) convolution,
inference batch norm and ReLU6/ReLU, with NaN and out-of-range inputs (fused kernels clip NaN
to 0 where TF's remapper fuses the activation, standalone ones keep it)."""

import numpy as np


def _block(tf, show, depthwise, stride, act, with_nan):
    rng = np.random.default_rng(31 + stride)
    x = tf.placeholder(tf.float32, [None, 6, 6, 3], name="x")
    if depthwise:
        w = tf.constant(rng.normal(size=(3, 3, 3, 2)).astype(np.float32), name="w")
        h = tf.nn.depthwise_conv2d(x, w, [1, stride, stride, 1], "SAME")
        c = 6
    else:
        w = tf.constant(rng.normal(size=(3, 3, 3, 5)).astype(np.float32), name="w")
        h = tf.nn.conv2d(x, w, [1, stride, stride, 1], "SAME")
        c = 5
    stats = [tf.constant(rng.uniform(0.5, 1.5, c).astype(np.float32)) for _ in range(4)]
    y, _, _ = tf.nn.fused_batch_norm(h, *stats, is_training=False)
    out = act(y)
    data = 4 * rng.normal(size=(2, 6, 6, 3)).astype(np.float32)
    if with_nan:
        data[0, 2, 3, 1] = np.nan
        data[1, 0, 0, 0] = np.inf
    with tf.Session() as sess:
        show(np.round(sess.run(out, {x: data}), 4))


def case_conv_bn_relu6(tf, show):
    _block(tf, show, False, 1, tf.nn.relu6, False)


def case_conv_bn_relu6_stride2(tf, show):
    _block(tf, show, False, 2, tf.nn.relu6, False)


def case_conv_bn_relu6_nan(tf, show):
    _block(tf, show, False, 1, tf.nn.relu6, True)


def case_conv_bn_relu6_stride2_nan(tf, show):
    _block(tf, show, False, 2, tf.nn.relu6, True)


def case_depthwise_bn_relu6(tf, show):
    _block(tf, show, True, 1, tf.nn.relu6, False)


def case_depthwise_bn_relu6_stride2(tf, show):
    _block(tf, show, True, 2, tf.nn.relu6, False)


def case_depthwise_bn_relu6_nan(tf, show):
    _block(tf, show, True, 1, tf.nn.relu6, True)


def case_depthwise_bn_relu6_stride2_nan(tf, show):
    _block(tf, show, True, 2, tf.nn.relu6, True)
