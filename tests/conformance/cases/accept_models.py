"""Our own small models that use the TF1 API the way BERT, ALBERT and carpedm20's DCGAN do (our
code, written after the published architectures; the real files run in tests/acceptance when
SCOPEFLOW_REAL_CODE is set). They exercise what tests/layers and the layers_models topic do not:

* a BERT-style encoder: word embeddings by ``tf.gather`` (an IndexedSlices gradient), token types
  by ``one_hot`` + ``matmul``, positions by ``tf.slice`` under ``control_dependencies`` on
  ``tf.assert_less_equal``, ``tf.contrib.layers.layer_norm(begin_norm_axis=-1,
  begin_params_axis=-1)``, tanh-GELU, an additive attention mask, a ``tf.squeeze`` pooler, and a
  training step of a decoupled-weight-decay Adam over ``tf.gradients`` +
  ``tf.clip_by_global_norm`` + ``polynomial_decay`` (BERT's recipe);
* an ALBERT-style encoder: factorized embeddings projected by ``tf.einsum``, one transformer layer
  shared across depth by ``reuse=tf.AUTO_REUSE``, 3-D dense layers with ``tf.einsum``;
* a DCGAN-style generator/discriminator built from ``get_variable`` + ``tf.nn.conv2d`` /
  ``tf.nn.conv2d_transpose`` with a fixed ``output_shape`` (reshaped to its static shape), slim
  ``batch_norm(updates_collections=None, scale=True)``, ``tf.maximum`` leaky ReLU and two Adam
  optimizers over ``var_list`` subsets.
"""

import numpy as np


def _set_weights(tf, sess, variables, seed):
    rng = np.random.RandomState(seed)
    ops = []
    for v in variables:
        shape = v.shape.as_list()
        base = v.op.name.rsplit("/", 1)[-1]
        if base in ("gamma", "moving_variance"):
            value = 1.0 + 0.1 * rng.uniform(-1, 1, shape)
        else:
            value = 0.05 * rng.normal(size=shape)
        ops.append(tf.assign(v, value.astype(np.float32)))
    sess.run(ops)


def _summary(x):
    """Sum and absolute sum to 4 significant digits, and the first elements."""
    x = np.asarray(x, np.float64)
    return [float(f"{x.sum():.4g}"), float(f"{np.abs(x).sum():.4g}"), x.reshape(-1)[:4]]


def _kinds(tf, grads):
    return ["IndexedSlices" if isinstance(g, tf.IndexedSlices) else "Tensor" for g in grads]


def _gelu(tf, x):
    c = np.sqrt(2.0 / np.pi)
    return x * 0.5 * (1.0 + tf.tanh(c * (x + 0.044715 * tf.pow(x, 3))))


def _norm(tf, x, name):
    return tf.contrib.layers.layer_norm(x, begin_norm_axis=-1, begin_params_axis=-1, scope=name)


def _bert_encoder(tf, ids, types, mask, vocab=30, width=32, heads=4, depth=2, max_pos=16):
    init = tf.truncated_normal_initializer(stddev=0.02)
    batch, seq = ids.shape.as_list()
    head = width // heads
    with tf.variable_scope("bert"):
        with tf.variable_scope("embeddings"):
            table = tf.get_variable("word_embeddings", [vocab, width], initializer=init)
            x = tf.gather(table, tf.reshape(ids, [-1]))
            x = tf.reshape(x, [batch, seq, width])
            type_table = tf.get_variable("token_type_embeddings", [2, width], initializer=init)
            one_hot = tf.one_hot(tf.reshape(types, [-1]), depth=2)
            x += tf.reshape(tf.matmul(one_hot, type_table), [batch, seq, width])
            check = tf.assert_less_equal(seq, max_pos)
            with tf.control_dependencies([check]):
                pos_table = tf.get_variable("position_embeddings", [max_pos, width],
                                            initializer=init)  # fmt: skip
                x += tf.expand_dims(tf.slice(pos_table, [0, 0], [seq, -1]), 0)
            x = _norm(tf, x, "LayerNorm")
        to_mask = tf.cast(tf.reshape(mask, [batch, 1, seq]), tf.float32)
        attn_mask = tf.ones([batch, seq, 1], tf.float32) * to_mask
        adder = (1.0 - tf.expand_dims(attn_mask, 1)) * -10000.0
        h = tf.reshape(x, [-1, width])
        with tf.variable_scope("encoder"):
            for i in range(depth):
                with tf.variable_scope(f"layer_{i}"):
                    with tf.variable_scope("attention"):
                        with tf.variable_scope("self"):
                            q, k, v = (
                                tf.layers.dense(h, width, name=n, kernel_initializer=init)
                                for n in ("query", "key", "value")
                            )

                            def split(t):
                                t = tf.reshape(t, [batch, seq, heads, head])
                                return tf.transpose(t, [0, 2, 1, 3])

                            scores = tf.matmul(split(q), split(k), transpose_b=True)
                            scores = tf.multiply(scores, 1.0 / np.sqrt(head)) + adder
                            ctx = tf.matmul(tf.nn.softmax(scores), split(v))
                            ctx = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [-1, width])
                        with tf.variable_scope("output"):
                            a = tf.layers.dense(ctx, width, kernel_initializer=init)
                            a = _norm(tf, a + h, "LayerNorm")
                    with tf.variable_scope("intermediate"):
                        m = tf.layers.dense(a, 2 * width, activation=lambda t: _gelu(tf, t),
                                            kernel_initializer=init)  # fmt: skip
                    with tf.variable_scope("output"):
                        o = tf.layers.dense(m, width, kernel_initializer=init)
                        h = _norm(tf, o + a, "LayerNorm")
        seq_out = tf.reshape(h, [batch, seq, width])
        with tf.variable_scope("pooler"):
            first = tf.squeeze(seq_out[:, 0:1, :], axis=1)
            pooled = tf.layers.dense(first, width, activation=tf.tanh, kernel_initializer=init)
    return seq_out, pooled


def _decoupled_adam_step(tf, loss, lr, exclude=("LayerNorm", "bias")):
    tvars = tf.trainable_variables()
    grads = tf.gradients(loss, tvars)
    print(_kinds(tf, grads[:2]))
    grads, _ = tf.clip_by_global_norm(grads, clip_norm=1.0)
    assignments = []
    for g, p in zip(grads, tvars, strict=True):
        name = p.op.name
        m = tf.get_variable(name + "/adam_m", p.shape.as_list(), tf.float32, trainable=False,
                            initializer=tf.zeros_initializer())  # fmt: skip
        v = tf.get_variable(name + "/adam_v", p.shape.as_list(), tf.float32, trainable=False,
                            initializer=tf.zeros_initializer())  # fmt: skip
        next_m = tf.multiply(0.9, m) + tf.multiply(0.1, g)
        next_v = tf.multiply(0.999, v) + tf.multiply(0.001, tf.square(g))
        update = next_m / (tf.sqrt(next_v) + 1e-6)
        if not any(e in name for e in exclude):
            update += 0.01 * p
        assignments += [p.assign(p - lr * update), m.assign(next_m), v.assign(next_v)]
    return tf.group(*assignments)


def _bert_inputs():
    rng = np.random.RandomState(7)
    ids = rng.randint(0, 30, [2, 8]).astype(np.int32)
    mask = np.ones([2, 8], np.int32)
    mask[1, 5:] = 0
    types = np.zeros([2, 8], np.int32)
    types[:, 4:] = 1
    return ids, types, mask


def case_bert_style_encoder_and_decoupled_adam_step(tf, show):
    ids, types, mask = (tf.constant(a) for a in _bert_inputs())
    seq_out, pooled = _bert_encoder(tf, ids, types, mask)
    print(seq_out, pooled)
    model_vars = tf.global_variables()
    for v in model_vars:
        print(v.op.name, v.shape.as_list())
    loss = tf.reduce_mean(tf.square(seq_out)) + tf.reduce_sum(pooled * pooled)
    gs = tf.train.get_or_create_global_step()
    lr = tf.train.polynomial_decay(tf.constant(1e-2), gs, 100, end_learning_rate=0.0, power=1.0)
    train = _decoupled_adam_step(tf, loss, lr)
    with tf.control_dependencies([train]):
        train = gs.assign_add(1)
    print([v.op.name for v in tf.global_variables()][-4:])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _set_weights(tf, sess, model_vars, seed=1)
        show(_summary(sess.run(seq_out)), _summary(sess.run(pooled)), sess.run(loss))
        for _ in range(2):
            sess.run(train)
        show(sess.run(loss))
        show([_summary(sess.run(v)) for v in tf.trainable_variables()[:6]])


def case_albert_style_shared_layers(tf, show):
    ids = tf.constant(_bert_inputs()[0])
    init = tf.truncated_normal_initializer(stddev=0.02)
    emb, width, heads = 8, 32, 4
    with tf.variable_scope("bert"):
        with tf.variable_scope("embeddings"):
            table = tf.get_variable("word_embeddings", [30, emb], initializer=init)
            x = tf.nn.embedding_lookup(table, ids)
            x = _norm(tf, x, "LayerNorm")
        with tf.variable_scope("encoder"):
            with tf.variable_scope("embedding_hidden_mapping_in"):
                w = tf.get_variable("kernel", [emb, width], initializer=init)
                b = tf.get_variable("bias", [width], initializer=tf.zeros_initializer())
                h = tf.einsum("BFH,HO->BFO", x, w) + b
            for _ in range(3):
                with (
                    tf.variable_scope("transformer/group_0", reuse=tf.AUTO_REUSE),
                    tf.variable_scope("inner_group_0"),
                ):
                    with tf.variable_scope("attention_1/self/query"):
                        wq = tf.get_variable("kernel", [width, heads, width // heads],
                                                 initializer=init)  # fmt: skip
                        q = tf.einsum("BFH,HND->BFND", h, wq)
                    with tf.variable_scope("attention_1/output/dense"):
                        wo = tf.get_variable("kernel", [heads, width // heads, width],
                                                 initializer=init)  # fmt: skip
                        a = tf.einsum("BFND,NDH->BFH", tf.tanh(q), wo)
                    h = _norm(tf, a + h, "LayerNorm")
    for v in tf.global_variables():
        print(v.op.name, v.shape.as_list())
    print(h)
    loss = tf.reduce_sum(h * h)
    grads = tf.gradients(loss, tf.trainable_variables())
    print(_kinds(tf, grads))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _set_weights(tf, sess, tf.global_variables(), seed=2)
        show(_summary(sess.run(h)))
        show([_summary(sess.run(tf.convert_to_tensor(g))) for g in grads])


def _bn(tf, x, name, train):
    return tf.contrib.layers.batch_norm(x, decay=0.9, updates_collections=None, epsilon=1e-5,
                                        scale=True, is_training=train, scope=name)  # fmt: skip


def _conv(tf, x, out, name):
    with tf.variable_scope(name):
        w = tf.get_variable("w", [5, 5, x.get_shape()[-1], out],
                            initializer=tf.truncated_normal_initializer(stddev=0.02))  # fmt: skip
        y = tf.nn.conv2d(x, w, strides=[1, 2, 2, 1], padding="SAME")
        b = tf.get_variable("biases", [out], initializer=tf.constant_initializer(0.0))
        return tf.reshape(tf.nn.bias_add(y, b), y.get_shape())


def _deconv(tf, x, shape, name):
    with tf.variable_scope(name):
        w = tf.get_variable("w", [5, 5, shape[-1], x.get_shape()[-1]],
                            initializer=tf.random_normal_initializer(stddev=0.02))  # fmt: skip
        y = tf.nn.conv2d_transpose(x, w, output_shape=shape, strides=[1, 2, 2, 1])
        b = tf.get_variable("biases", [shape[-1]], initializer=tf.constant_initializer(0.0))
        return tf.reshape(tf.nn.bias_add(y, b), y.get_shape())


def _linear(tf, x, size, name):
    with tf.variable_scope(name):
        m = tf.get_variable("Matrix", [x.get_shape().as_list()[1], size], tf.float32,
                            tf.random_normal_initializer(stddev=0.02))  # fmt: skip
        b = tf.get_variable("bias", [size], initializer=tf.constant_initializer(0.0))
        return tf.matmul(x, m) + b


def _lrelu(tf, x):
    return tf.maximum(x, 0.2 * x)


def case_dcgan_style_ops_and_two_adams(tf, show):
    batch = 4
    # A known batch: with ``None`` TF 2.21's conv2d_transpose loses the batch dimension that TF
    # 1.15 (and scopeflow) keep, and the reshape to the static shape fails (test_own_models.py).
    z = tf.placeholder(tf.float32, [batch, 6], name="z")
    images = tf.placeholder(tf.float32, [batch, 16, 16, 3], name="real_images")

    def generator(train):
        with tf.variable_scope("generator", reuse=not train):
            h = tf.reshape(_linear(tf, z, 8 * 2 * 2, "g_h0_lin"), [-1, 2, 2, 8])
            h = tf.nn.relu(_bn(tf, h, "g_bn0", train))
            h = _deconv(tf, h, [batch, 4, 4, 4], "g_h1")
            print(h)
            h = tf.nn.relu(_bn(tf, h, "g_bn1", train))
            h = _deconv(tf, h, [batch, 8, 8, 2], "g_h2")
            h = tf.nn.relu(_bn(tf, h, "g_bn2", train))
            return tf.nn.tanh(_deconv(tf, h, [batch, 16, 16, 3], "g_h3"))

    def discriminator(x, reuse):
        with tf.variable_scope("discriminator") as scope:
            if reuse:
                scope.reuse_variables()
            h = _lrelu(tf, _conv(tf, x, 4, "d_h0_conv"))
            h = _lrelu(tf, _bn(tf, _conv(tf, h, 8, "d_h1_conv"), "d_bn1", True))
            logits = _linear(tf, tf.reshape(h, [batch, -1]), 1, "d_h2_lin")
            return tf.nn.sigmoid(logits), logits

    fake = generator(True)
    sampler = generator(False)
    d_real, d_real_logits = discriminator(images, False)
    d_fake, d_fake_logits = discriminator(fake, True)
    print(fake, sampler, d_real, d_fake_logits)
    xent = tf.nn.sigmoid_cross_entropy_with_logits
    d_loss = tf.reduce_mean(xent(logits=d_real_logits, labels=tf.ones_like(d_real))) + (
        tf.reduce_mean(xent(logits=d_fake_logits, labels=tf.zeros_like(d_fake)))
    )
    g_loss = tf.reduce_mean(xent(logits=d_fake_logits, labels=tf.ones_like(d_fake)))
    t_vars = tf.trainable_variables()
    d_vars = [v for v in t_vars if "d_" in v.name]
    g_vars = [v for v in t_vars if "g_" in v.name]
    model_vars = tf.global_variables()
    d_optim = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(d_loss, var_list=d_vars)
    g_optim = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(g_loss, var_list=g_vars)
    for v in tf.global_variables():
        print(v.op.name, v.shape.as_list(), v in t_vars)
    rng = np.random.RandomState(3)
    feed = {
        images: rng.uniform(-1, 1, [batch, 16, 16, 3]).astype(np.float32),
        z: rng.uniform(-1, 1, [batch, 6]).astype(np.float32),
    }
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _set_weights(tf, sess, model_vars, seed=3)
        show(_summary(sess.run(sampler, feed)))
        show(_summary(sess.run(fake, feed)), sess.run(d_loss, feed), sess.run(g_loss, feed))
        sess.run(d_optim, feed)
        sess.run(g_optim, feed)
        show(sess.run(d_loss, feed), sess.run(g_loss, feed))
        show([_summary(sess.run(v)) for v in model_vars if "moving" in v.name][:3])
        slots = [v for v in tf.global_variables() if v.op.name.endswith("Matrix/Adam")]
        show([_summary(sess.run(v)) for v in slots])
