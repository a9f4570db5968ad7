"""Conversions the GAN user codebases lean on (``tests/acceptance/test_user_code_gan.py``).

hwalsuklee's ``ops.py`` reshapes to a static shape, ``tf.reshape(x, conv.get_shape())``: a
``TensorShape`` converts to an int32 constant named after the argument (``Reshape/shape``) inside
whatever name scope is open, and on its own to ``shape_as_tensor``.
"""

import numpy as np


def case_reshape_to_tensor_shape_in_scopes(tf, show):
    x = tf.placeholder(tf.float32, [2, 3, 4])
    with tf.variable_scope("discriminator"), tf.variable_scope("d_conv1"):
        y = tf.reshape(x + 1.0, x.get_shape())
        z = tf.reshape(y, tf.TensorShape([6, 4]), name="flat")
    with tf.name_scope("outer"), tf.name_scope("inner"):
        w = tf.reshape(z, y.get_shape())
    print(y, z, w)
    for op in tf.get_default_graph().get_operations():
        print(op.name, op.type)
    with tf.Session() as sess:
        show(sess.run(w, {x: np.arange(24, dtype=np.float32).reshape(2, 3, 4)}))


def case_tensor_shape_to_tensor(tf, show):
    s = tf.placeholder(tf.float32, [5, 7]).get_shape()
    with tf.name_scope("a"):
        c = tf.convert_to_tensor(s)
        d = tf.convert_to_tensor(s, dtype=tf.int64)
        e = tf.convert_to_tensor(tf.TensorShape([2**31, 3]))
        f = tf.convert_to_tensor(tf.TensorShape([]), name="scalar_shape")
    print(c, d, e, f)
    with tf.Session() as sess:
        show(sess.run([c, d, e, f]))


def case_tensor_shape_to_tensor_errors(tf, show, expect_error):
    expect_error(lambda: tf.convert_to_tensor(tf.TensorShape([None, 3])))
    expect_error(lambda: tf.convert_to_tensor(tf.TensorShape(None)))
    expect_error(lambda: tf.convert_to_tensor(tf.TensorShape([2]), dtype=tf.float32))
    expect_error(lambda: tf.convert_to_tensor(tf.TensorShape([2**31]), dtype=tf.int32))


def case_index_input_retried_as_int32_in_name_scope(tf, show):
    # ``[]`` converts to float32 first; TF's op builder retries with int32 and names the second
    # constant ``Reshape/shape_1`` inside the scope that is open.
    with tf.name_scope("s"):
        a = tf.reshape(tf.constant([1.0]), [])
        b = tf.reshape(tf.constant([2.0]), [])
    print(a, b)
    print([op.name for op in tf.get_default_graph().get_operations()])
    with tf.Session() as sess:
        show(sess.run([a, b]))
