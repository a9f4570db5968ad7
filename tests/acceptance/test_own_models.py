"""What the real-code acceptance runs found, checked without the real code (always runs).

* ``tf.nn.conv2d_transpose``'s static shape is TF 1.15's: the value of ``output_shape`` alone
  (TF 1.15's ``Conv2DBackpropInput`` shape function is ``MakeShapeFromShapeTensor`` of input 0;
  tensorflow/tensorflow issue 8972 shows it). TF 2.x later took the batch from the input, so
  these shapes cannot be recorded from the TF 2.21 oracle. DCGAN's ``deconv2d`` reshapes to it.
* Adam's fused update with a gradient in a permuted memory layout (a conv kernel's gradient).
* ``scopeflow run`` resolves tf_slim's own module paths, as tf-slim's nets import them.

The models with BERT's, ALBERT's and DCGAN's API spellings are the ``accept_models``
conformance topic (recorded from TensorFlow).
"""

from __future__ import annotations

import numpy as np

import scopeflow.compat.v1 as tf
from scopeflow.run import _modules


def test_conv2d_transpose_static_shape_is_the_output_shape_value() -> None:
    x = tf.placeholder(tf.float32, [None, 2, 2, 8])
    w = tf.get_variable("w", [5, 5, 4, 8])
    fixed = tf.nn.conv2d_transpose(x, w, output_shape=[3, 4, 4, 4], strides=[1, 2, 2, 1])
    assert fixed.shape.as_list() == [3, 4, 4, 4]
    partial = tf.nn.conv2d_transpose(
        x, w, output_shape=tf.stack([tf.shape(x)[0], 4, 4, 4]), strides=[1, 2, 2, 1]
    )
    assert partial.shape.as_list() == [None, 4, 4, 4]
    fed = tf.nn.conv2d_transpose(
        x, w, output_shape=tf.placeholder(tf.int32, [4]), strides=[1, 2, 2, 1]
    )
    assert fed.shape.as_list() == [None, None, None, None]
    # DCGAN's deconv2d: bias_add, then reshape to the static shape.
    y = tf.reshape(tf.nn.bias_add(fixed, tf.zeros([4])), fixed.get_shape())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(y, {x: np.ones([3, 2, 2, 8], np.float32)})
    assert out.shape == (3, 4, 4, 4)


def test_adam_step_with_a_conv_kernel_gradient_follows_tf_rule() -> None:
    rng = np.random.RandomState(0)
    x = tf.constant(rng.normal(size=[2, 6, 6, 3]).astype(np.float32))
    w0 = (0.1 * rng.normal(size=[3, 3, 3, 5])).astype(np.float32)
    w = tf.get_variable("kernel", initializer=w0)
    loss = tf.reduce_sum(tf.square(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")))
    (grad,) = tf.gradients(loss, [w])
    opt = tf.train.AdamOptimizer(1e-2, beta1=0.5)
    train = opt.minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        g = sess.run(grad)
        sess.run(train)
        m, v, w1 = sess.run([opt.get_slot(w, "m"), opt.get_slot(w, "v"), w])
    np.testing.assert_allclose(m, 0.5 * g, rtol=1e-6)
    one_minus_b2 = np.float32(1) - np.float32(0.999)  # TF rounds 1 - beta2 in float32
    np.testing.assert_allclose(v, one_minus_b2 * g * g, rtol=1e-5)
    alpha = 1e-2 * np.sqrt(1 - 0.999) / (1 - 0.5)
    np.testing.assert_allclose(w1, w0 - alpha * m / (np.sqrt(v) + 1e-8), rtol=1e-5, atol=1e-7)


def test_run_hook_resolves_tf_slim_module_paths() -> None:
    layers = _modules.import_tf_module("tensorflow.contrib.slim.layers.layers")
    assert layers.conv2d is tf.contrib.layers.conv2d
    assert layers.max_pool2d is tf.contrib.slim.max_pool2d
    init = _modules.import_tf_module("tensorflow.contrib.slim.layers.initializers")
    assert init.xavier_initializer is tf.contrib.layers.xavier_initializer
    regs = _modules.import_tf_module("tensorflow.contrib.slim.layers.regularizers")
    assert regs.l2_regularizer is tf.contrib.layers.l2_regularizer
    utils = _modules.import_tf_module("tensorflow.contrib.slim.layers.utils")
    assert utils.collect_named_outputs is tf.contrib.layers.utils.collect_named_outputs
    arg_scope = _modules.import_tf_module("tensorflow.contrib.slim.ops.arg_scope")
    assert arg_scope.arg_scope is tf.contrib.framework.arg_scope
    assert arg_scope.add_arg_scope is tf.contrib.framework.add_arg_scope
    old = _modules.import_tf_module("tensorflow.contrib.layers.python.layers.layers")
    assert old.fully_connected is tf.contrib.layers.fully_connected
    framework = _modules.import_tf_module("tensorflow.contrib.framework.python.ops.variables")
    assert framework.get_model_variables is tf.contrib.framework.get_model_variables
