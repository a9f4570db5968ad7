"""``tf.assert_*`` (check_ops) as BERT uses them: the op they return, construction-time failure of
constant operands with TF's message, and run-time failures with TF's data lines."""

import numpy as np


def case_static_operands(tf, expect_error):
    op = tf.assert_less_equal(8, 512)
    print(op.type, op.name)
    expect_error(lambda: tf.assert_less_equal(600, 512))
    expect_error(lambda: tf.assert_equal(tf.constant([1, 2]), tf.constant([1, 3]), message="m"))
    # (float data make TF wrap the Assert in a cond and return its Merge: see check_ops.py)
    print(tf.assert_greater(3, 2).type, tf.assert_none_equal(1, 2).type)


def case_runtime_failures(tf, expect_error):
    p = tf.placeholder(tf.float32, [3])
    checks = {
        "equal": tf.assert_equal(p, tf.zeros([3]), message="not zero"),
        "less": tf.assert_less(p, 2.0),
        "greater_equal": tf.assert_greater_equal(p, -1.0),
        "positive": tf.assert_positive(p),
        "non_negative": tf.assert_non_negative(p),
        "negative": tf.assert_negative(p),
        "non_positive": tf.assert_non_positive(p),
    }
    with tf.Session() as sess:
        for name, op in checks.items():
            for value in ([0.0, 0.0, 0.0], [1.0, 2.0, 3.0], [-2.0, -1.0, 0.0]):
                print(name, value)
                expect_error(lambda op=op, value=value: sess.run(op, {p: np.float32(value)}),
                             message=False)  # fmt: skip


def case_control_dependency_on_assert(tf, expect_error):
    seq = tf.placeholder(tf.int32, [])
    check = tf.assert_less_equal(seq, 4)
    with tf.control_dependencies([check]):
        y = tf.identity(seq * 2)
    with tf.Session() as sess:
        print(sess.run(y, {seq: 3}))
        expect_error(lambda: sess.run(y, {seq: 5}))
