"""BERT's attention on head-split views (rank-4 ``BatchMatMulV2`` of transposed reshapes).

``reshape`` -> ``transpose [0, 2, 1, 3]`` -> ``matmul(q, k, transpose_b=True)`` -> scale, mask,
softmax -> ``matmul`` -> ``transpose`` -> ``reshape``, as google-research/bert's
``attention_layer`` writes it: values and gradients with respect to the input and the
projections, run without and with a gradient (a no-grad plan and a gradient plan). Recorded
while trying strided products on the views (branch ``bertperf``, not kept: no faster).
"""

import numpy as np


def _attention(tf, x, mask, b, s, h, d):
    rng = np.random.RandomState(1)
    ws = [tf.Variable(rng.randn(h * d, h * d).astype(np.float32) * 0.1, name=n)
          for n in ("query", "key", "value")]  # fmt: skip

    def split(t):
        return tf.transpose(tf.reshape(t, [b, s, h, d]), [0, 2, 1, 3])

    q, k, v = (tf.matmul(x, w) for w in ws)
    scores = tf.matmul(split(q), split(k), transpose_b=True) * (1.0 / np.sqrt(d))
    adder = (1.0 - tf.cast(tf.reshape(mask, [b, 1, 1, s]), tf.float32)) * -10000.0
    probs = tf.nn.softmax(scores + adder)
    ctx = tf.reshape(tf.transpose(tf.matmul(probs, split(v)), [0, 2, 1, 3]), [-1, h * d])
    return ctx, ws


def case_attention_forward_and_gradients(tf, show):
    b, s, h, d = 2, 32, 4, 16
    x = tf.placeholder(tf.float32, [b * s, h * d])
    mask = tf.placeholder(tf.int32, [b, s])
    ctx, ws = _attention(tf, x, mask, b, s, h, d)
    loss = tf.reduce_sum(tf.square(ctx))
    grads = tf.gradients(loss, [x, *ws])
    rng = np.random.RandomState(0)
    feed = {x: rng.randn(b * s, h * d).astype(np.float32),
            mask: (np.arange(s)[None, :] < np.array([[s], [s - 5]])).astype(np.int32)}  # fmt: skip
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(ctx, feed)[::9, ::7], decimals=3)
        for value in sess.run([ctx, *grads], feed):
            show(value[::9, ::7], decimals=3)  # a sample: fewer float32 rounding ties
            show(float(np.abs(value).sum()) / value.size, decimals=3)
