"""TF 1.15's rank/type/closeness check ops and tf.debugging against TF: names, construction-time
failures (ValueError / TypeError / InvalidArgumentError with TF's messages), run-time failures
(TF's Assert data lines) and passing cases."""

import numpy as np


def case_debugging_namespace(tf, expect_error):
    names = [
        "Assert", "assert_all_finite", "assert_equal", "assert_greater", "assert_greater_equal",
        "assert_integer", "assert_less", "assert_less_equal", "assert_near", "assert_negative",
        "assert_non_negative", "assert_non_positive", "assert_none_equal", "assert_positive",
        "assert_proper_iterable", "assert_rank", "assert_rank_at_least", "assert_rank_in",
        "assert_same_float_dtype", "assert_scalar", "assert_type", "check_numerics", "is_finite",
        "is_inf", "is_nan", "is_non_decreasing", "is_numeric_tensor", "is_strictly_increasing",
    ]  # fmt: skip
    print([n for n in names if not hasattr(tf.debugging, n)])
    top = [n for n in names if n not in ("assert_all_finite", "Assert", "check_numerics")]
    print([n for n in top if n.startswith(("assert", "is_numeric")) and not hasattr(tf, n)])
    x = tf.placeholder(tf.float32, [2], name="x")
    y = tf.debugging.assert_all_finite(x, "bad x")
    print(y.name, y.op.type)
    with tf.Session() as sess:
        print(sess.run(y, {x: [1.0, 2.0]}).tolist())
        expect_error(lambda: sess.run(y, {x: [np.nan, 2.0]}))


def case_assert_rank_static(tf, expect_error):
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    for fn, ok, bad in (
        (tf.assert_rank, 2, 3),
        (tf.assert_rank_at_least, 1, 3),
        (tf.assert_rank_in, (1, 2), (0, 3)),
    ):
        op = fn(x, ok)
        print(op.name, op.type)
        expect_error(lambda fn=fn, bad=bad: fn(x, bad))
        expect_error(lambda fn=fn, bad=bad: fn(x, bad, message="my msg"))
    print(tf.assert_rank(x, 2, name="named").name)
    expect_error(lambda: tf.assert_rank(x, [2]))
    expect_error(lambda: tf.assert_rank(x, 2.0))
    expect_error(lambda: tf.assert_rank(tf.constant([1, 2]), 0))


def case_assert_rank_runtime(tf, expect_error):
    p = tf.placeholder(tf.float32, name="p")
    checks = {
        "rank": tf.assert_rank(p, 2),
        "at_least": tf.assert_rank_at_least(p, 2),
        "in": tf.assert_rank_in(p, (0, 2)),
    }
    for op in checks.values():
        print(op.name, op.type)
    with tf.Session() as sess:
        for name, op in checks.items():
            for value in (np.float32(1.0), np.ones([2], np.float32), np.ones([2, 2], np.float32),
                          np.ones([1, 2, 1], np.float32)):  # fmt: skip
                print(name, value.shape)
                expect_error(lambda op=op, value=value: sess.run(op, {p: value}))


def case_assert_rank_dynamic_rank(tf, expect_error):
    p = tf.placeholder(tf.float32, [None, 2], name="p")
    r = tf.placeholder(tf.int32, name="r")
    op = tf.assert_rank(p, r)
    print(op.name, op.type)
    with tf.Session() as sess:
        expect_error(lambda: sess.run(op, {p: np.ones([3, 2]), r: 2}))
        expect_error(lambda: sess.run(op, {p: np.ones([3, 2]), r: 1}))


def case_assert_type_integer_scalar(tf, expect_error):
    a = tf.constant([1, 2], name="a")
    f = tf.constant([1.0], name="f")
    op = tf.assert_type(a, tf.int32)
    print(op.name, op.type)
    expect_error(lambda: tf.assert_type(a, tf.float32))
    expect_error(lambda: tf.assert_type(f, tf.int64, message="need int"))
    op = tf.assert_integer(a)
    print(op.name, op.type)
    expect_error(lambda: tf.assert_integer(f))
    expect_error(lambda: tf.assert_integer(f, message="m"))
    s = tf.constant(3.0, name="s")
    print(tf.assert_scalar(s).name, tf.assert_scalar(4).name)
    expect_error(lambda: tf.assert_scalar(f))
    expect_error(lambda: tf.assert_scalar(tf.placeholder(tf.float32), message="m"))


def case_assert_near(tf, expect_error):
    x = tf.placeholder(tf.float32, [3], name="x")
    y = tf.constant([1.0, 2.0, 3.0], name="y")
    default = tf.assert_near(x, y)
    loose = tf.assert_near(x, y, rtol=0.1, atol=0.0, name="loose")
    d = tf.placeholder(tf.float64, [2], name="d")
    # (TF returns the Merge of an AssertGuard cond here, scopeflow the Assert: see check_ops.py)
    print(default.name.split("/")[0], loose.name.split("/")[0])
    rt = tf.get_default_graph().get_tensor_by_name("assert_near/rtol:0")
    with tf.Session() as sess:
        print(float(sess.run(rt)))
        for value in ([1.0, 2.0, 3.0], [1.0, 2.0, 3.000001], [1.05, 2.0, 3.1], [2.0, 2.0, 3.0]):
            print(value)
            expect_error(lambda value=value: sess.run(default, {x: value}))
            expect_error(lambda value=value: sess.run(loose, {x: value}))
        near64 = tf.assert_near(d, [1.0, 1.0])
        print(float(sess.run(tf.get_default_graph().get_tensor_by_name("assert_near_1/rtol:0"))))
        expect_error(lambda: sess.run(near64, {d: [1.0, 1.0 + 1e-15]}))
        expect_error(lambda: sess.run(near64, {d: [1.0, 1.0 + 1e-13]}))


def case_same_float_dtype_and_iterables(tf, expect_error):
    a = tf.constant([1.0], name="a")
    b = tf.constant([1.0], tf.float64, name="b")
    i = tf.constant([1], name="i")
    print(tf.assert_same_float_dtype().name, tf.assert_same_float_dtype([a, None, a]).name)
    print(tf.assert_same_float_dtype(dtype=tf.float16).name)
    expect_error(lambda: tf.assert_same_float_dtype([a, b]))
    expect_error(lambda: tf.assert_same_float_dtype([a], tf.float64))
    expect_error(lambda: tf.assert_same_float_dtype([i]))
    expect_error(lambda: tf.assert_same_float_dtype(dtype=tf.int32))
    for v in ([1], (a,), {"k": 1}, np.zeros(2), "abc", b"abc", 3):
        expect_error(lambda v=v: tf.assert_proper_iterable(v))
    expect_error(lambda: tf.assert_proper_iterable(a), message=False)  # (TF's class name)
    print(tf.is_numeric_tensor(a), tf.is_numeric_tensor(i), tf.is_numeric_tensor([1.0]))
    print(tf.is_numeric_tensor(tf.constant(True)), tf.is_numeric_tensor(tf.constant("s")))


def case_monotonic(tf, expect_error):
    p = tf.placeholder(tf.float32, name="p")
    nd = tf.is_non_decreasing(p)
    si = tf.is_strictly_increasing(p, name="inc")
    print(nd.name, nd.dtype.name, si.name)
    with tf.Session() as sess:
        for v in ([], [1.0], [1.0, 1.0, 2.0], [1.0, 2.0, 3.0], [3.0, 1.0], [[1.0, 2.0], [3.0, 4.0]],
                  [[1.0, 5.0], [3.0, 4.0]]):  # fmt: skip
            print(v, [bool(r) for r in sess.run([nd, si], {p: v})])
    expect_error(lambda: tf.is_non_decreasing(tf.constant([True, False])), message=False)


def case_assert_string_data_are_c_escaped(tf, expect_error):
    p = tf.placeholder(tf.bool, [], name="p")
    s = tf.constant(['say "hi"', "tab\there", "é"], name="s")
    op = tf.Assert(p, ["quote \" apostrophe ' backslash \\ newline \n end", s, "ü"])
    with tf.Session() as sess:
        sess.run(op, {p: True})
        expect_error(lambda: sess.run(op, {p: False}))


def case_assert_rank_sparse(tf, expect_error):
    sp = tf.SparseTensor([[0, 0]], [1.0], [2, 3])
    print(tf.assert_rank(sp, 2).name, tf.assert_rank_in(sp, (1, 2)).name)
    expect_error(lambda: tf.assert_rank(sp, 3))
    expect_error(lambda: tf.assert_rank_at_least(sp, 3, message="m"))
    print(tf.assert_type(sp, tf.float32).name)
    expect_error(lambda: tf.assert_type(sp, tf.int32))
    ph = tf.sparse_placeholder(tf.float32, name="sp")
    op = tf.assert_rank(ph, 2)
    with tf.Session() as sess:
        feed = tf.SparseTensorValue([[0, 0]], [1.0], [2, 3])
        sess.run(op, {ph: feed})
        bad = tf.SparseTensorValue([[0, 0, 0]], [1.0], [2, 3, 1])
        expect_error(lambda: sess.run(op, {ph: bad}))
