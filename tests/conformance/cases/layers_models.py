"""Small models in the style of real TF1 code, built with tf.layers (our own model code, written
after the published architectures): a 2-layer BERT-shaped encoder (``tf.layers.dense`` named
query/key/value/dense under bert/encoder/layer_i, truncated-normal initializers) and a DCGAN-shaped
generator/discriminator (``conv2d_transpose``, ``conv2d``, ``batch_normalization`` with
UPDATE_OPS). Checks the variable list in creation order, output names and static shapes, seeded
outputs, gradients, and moving statistics after training steps.

Recorded with ``TF_USE_LEGACY_KERAS=1`` (TF 2.21's ``tf.compat.v1.layers`` is tf_keras's).
"""

import numpy as np


def _bert(tf, x, width=8, heads=2, layers=2, seq=4):
    init = tf.truncated_normal_initializer(stddev=0.02)
    head = width // heads

    def layer_norm(t):
        with tf.variable_scope("LayerNorm"):
            beta = tf.get_variable("beta", [width], initializer=tf.zeros_initializer())
            gamma = tf.get_variable("gamma", [width], initializer=tf.ones_initializer())
            mean, var = tf.nn.moments(t, [-1], keep_dims=True)
            return (t - mean) * tf.rsqrt(var + 1e-12) * gamma + beta

    def split(t):
        return tf.transpose(tf.reshape(t, [-1, seq, heads, head]), [0, 2, 1, 3])

    prev = tf.reshape(x, [-1, width])
    with tf.variable_scope("bert/encoder"):
        for i in range(layers):
            with tf.variable_scope(f"layer_{i}"):
                with tf.variable_scope("attention"):
                    with tf.variable_scope("self"):
                        q = tf.layers.dense(prev, width, name="query", kernel_initializer=init)
                        k = tf.layers.dense(prev, width, name="key", kernel_initializer=init)
                        v = tf.layers.dense(prev, width, name="value", kernel_initializer=init)
                        scores = tf.matmul(split(q), split(k), transpose_b=True)
                        probs = tf.nn.softmax(scores * (1.0 / head**0.5))
                        ctx = tf.reshape(
                            tf.transpose(tf.matmul(probs, split(v)), [0, 2, 1, 3]), [-1, width]
                        )
                    with tf.variable_scope("output"):
                        att = tf.layers.dense(ctx, width, kernel_initializer=init)
                        att = tf.layers.dropout(att, 0.1, training=False)
                        att = layer_norm(att + prev)
                with tf.variable_scope("intermediate"):
                    mid = tf.layers.dense(
                        att, 4 * width, activation=tf.nn.relu, kernel_initializer=init
                    )
                with tf.variable_scope("output"):
                    out = tf.layers.dense(mid, width, kernel_initializer=init)
                    prev = layer_norm(out + att)
    return tf.reshape(prev, [-1, seq, width])


def case_bert_shaped_encoder(tf, show):
    tf.set_random_seed(1234)
    x = tf.placeholder(tf.float32, [None, 4, 8])
    y = _bert(tf, x)
    print(y)
    for v in tf.global_variables():
        print(v.name, v.shape.as_list())
    xv = np.random.RandomState(0).normal(size=[2, 4, 8]).astype(np.float32)
    grads = tf.gradients(tf.reduce_sum(y * y), tf.trainable_variables()[:4])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(tf.trainable_variables()[0]), decimals=7)
        show(sess.run(y, {x: xv}))
        show(sess.run(grads, {x: xv}), decimals=3)


def case_bert_shared_layers_auto_reuse(tf, show):
    tf.set_random_seed(5)
    x = tf.placeholder(tf.float32, [None, 4])
    h = x
    for _ in range(3):
        with tf.variable_scope("transformer", reuse=tf.AUTO_REUSE):
            h = tf.layers.dense(h, 4, activation=tf.tanh, name="ffn")
    print(h, [v.name for v in tf.global_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(h, {x: np.ones([1, 4], np.float32)}))


def _generator(tf, z, training):
    with tf.variable_scope("generator"):
        h = tf.layers.dense(z, 2 * 2 * 8, name="g_h0_lin")
        h = tf.reshape(h, [-1, 2, 2, 8])
        h = tf.nn.relu(tf.layers.batch_normalization(h, training=training, name="g_bn0"))
        h = tf.layers.conv2d_transpose(h, 4, 5, strides=2, padding="same", name="g_h1")
        h = tf.nn.relu(tf.layers.batch_normalization(h, training=training, name="g_bn1"))
        h = tf.layers.conv2d_transpose(h, 1, 5, strides=2, padding="same", name="g_h2")
        return tf.nn.tanh(h)


def _discriminator(tf, img, training, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        h = tf.nn.leaky_relu(tf.layers.conv2d(img, 4, 5, strides=2, padding="same", name="d_h0"))
        h = tf.layers.conv2d(h, 8, 5, strides=2, padding="same", name="d_h1")
        h = tf.nn.leaky_relu(tf.layers.batch_normalization(h, training=training, name="d_bn1"))
        return tf.layers.dense(tf.layers.flatten(h), 1, name="d_h2_lin")


def case_dcgan_shaped_model(tf, show):
    tf.set_random_seed(99)
    z = tf.placeholder(tf.float32, [None, 6])
    training = tf.placeholder_with_default(True, [])
    fake = _generator(tf, z, training)
    real = tf.constant(np.random.RandomState(1).uniform(-1, 1, [3, 8, 8, 1]).astype(np.float32))
    d_real = _discriminator(tf, real, training)
    d_fake = _discriminator(tf, fake, training, reuse=True)
    print(fake, d_real, d_fake)
    for v in tf.global_variables():
        print(v.name, v.shape.as_list(), v in tf.trainable_variables())
    print([u.name for u in tf.get_collection(tf.GraphKeys.UPDATE_OPS)])
    zv = np.random.RandomState(2).uniform(-1, 1, [3, 6]).astype(np.float32)
    loss = tf.reduce_mean(d_fake) - tf.reduce_mean(d_real)
    g_vars = [v for v in tf.trainable_variables() if v.name.startswith("generator")]
    grads = tf.gradients(loss, g_vars[:3])
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(2):
            sess.run(updates, {z: zv})
        show(sess.run([d_real, d_fake], {z: zv}))
        show(sess.run(grads, {z: zv}), decimals=3)
        moving = [v for v in tf.global_variables() if "moving" in v.name]
        show(sess.run(moving))
        show(sess.run(fake, {z: zv, training: False})[0, :2, :2, 0])
