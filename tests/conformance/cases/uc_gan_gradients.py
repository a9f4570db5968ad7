"""Gradients the GAN user codebases lean on (``tests/acceptance/test_user_code_gan.py``).

jiamings/wgan minimizes over every global variable of a net (``var_list`` holds batch norm's
moving statistics too): TF's fused batch norm gradient is None for its mean/variance inputs, so
the optimizer makes no slots for them.
"""

import numpy as np


def case_fused_batch_norm_training_blend_inputs_get_no_gradient(tf, show):
    # Training with exponential_avg_factor blends the given mean/variance into the new ones
    # (how scopeflow's contrib batch_norm updates moving statistics): still no gradient to them.
    x = tf.placeholder(tf.float32, [None, 2, 2, 2])
    mean = tf.Variable([0.5, -0.5], name="moving_mean")
    var = tf.Variable([1.5, 0.5], name="moving_variance")
    scale = tf.Variable([1.0, 2.0], name="gamma")
    offset = tf.Variable([0.0, 0.1], name="beta")
    y, new_mean, new_var = tf.nn.fused_batch_norm(
        x, scale, offset, mean, var, is_training=True, exponential_avg_factor=0.5
    )
    loss = tf.reduce_sum(y * y) + tf.reduce_sum(new_mean) + tf.reduce_sum(new_var)
    variables = tf.global_variables()
    grads = tf.gradients(loss, variables)
    print([(v.op.name, g is not None) for v, g in zip(variables, grads, strict=True)])
    train = tf.train.RMSPropOptimizer(0.1).minimize(loss, var_list=variables)
    print([v.op.name for v in tf.global_variables()])
    feed = {x: np.linspace(-1, 1, 24).reshape(3, 2, 2, 2)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, feed)
        show(sess.run([loss, *variables], feed))


def case_fused_batch_norm_inference_mean_variance_inputs(tf, show):
    x = tf.constant(np.linspace(-1, 1, 16, dtype=np.float32).reshape(1, 2, 2, 4))
    mean = tf.constant([1.0, 2.0, 3.0, 4.0])
    var = tf.constant([2.0, 1.0, 0.5, 3.0])
    scale = tf.constant([1.0, 0.5, 2.0, 1.5])
    offset = tf.constant([0.0, 0.1, 0.2, 0.3])
    y, _, _ = tf.nn.fused_batch_norm(x, scale, offset, mean, var, is_training=False)
    grads = tf.gradients(tf.reduce_sum(y * y), [x, scale, offset, mean, var])
    print([g is not None for g in grads])
    with tf.Session() as sess:
        # Rounded: inference computes x * inv + shift, whose last bits differ from TF's.
        show([np.round(g, 2) for g in sess.run([g for g in grads if g is not None])])
