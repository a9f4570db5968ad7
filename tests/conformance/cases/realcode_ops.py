"""TF1 spellings that real programs (aymericdamien/TensorFlow-Examples) use and that scopeflow
lacked: the names, graph and values must be TF's."""

import numpy as np


def case_arg_min_arg_max(tf, expect_error):
    # nearest_neighbor.py: tf.arg_min(distance, 0), the deprecated raw-op spelling of argmin
    x = tf.constant([[3.0, 1.0, 3.0], [0.0, 5.0, -1.0]])
    outs = [
        tf.arg_min(x, 0),
        tf.arg_min(x, dimension=1, output_type=tf.int32),
        tf.arg_max(x, 1, name="am"),
        tf.arg_max(tf.constant([1.0, np.nan, 3.0]), 0),
    ]
    for t in outs:
        print(t.name, t.op.type, t.get_shape(), t.dtype.name, [i.op.type for i in t.op.inputs])
    with tf.Session() as sess:
        print(sess.run(outs))
    expect_error(lambda: tf.arg_min(x, 2))
    expect_error(lambda: tf.arg_max(x, 0, output_type=tf.float32))


def case_list_of_numpy_scalars_dtype(tf):
    # kmeans.py: tf.convert_to_tensor([np.argmax(c) for c in counts]) is int32 in TF (a list
    # goes through np.array, then int64 -> int32 and float64 -> float32 when lossless)
    values = [
        [np.int64(3), np.int64(1)],
        [np.int64(2**40)],
        [3, np.int64(2)],
        [[np.int64(1)], [np.int64(2)]],
        [np.float64(1.5)],
        [np.float32(1.5), 2.0],
        [np.uint8(3)],
        [np.int16(3), np.int16(4)],
        [True, 1],
        np.int64(3),
        np.array([1.5]),
    ]
    out = [tf.convert_to_tensor(v) for v in values]
    print([t.dtype.name for t in out])
    print([tf.constant(v).dtype.name for v in values])
    with tf.Session() as sess:
        print(sess.run(out))
