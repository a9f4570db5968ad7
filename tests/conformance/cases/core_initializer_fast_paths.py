"""Explicit initializers built by their fast paths: names, later names and seeded values as TF.

``zeros``/``ones``/``constant`` initializers of a known shape build one ``Const``; the random
ones build one fused op that reserves TF's internal names and op ids (issue 13, item 5). These
cases check what is visible: variable and later op names (the uniquifier) and exact values.
"""


def _later_names(tf):
    with tf.name_scope("Initializer"):
        print(tf.constant(0.0, name="zeros").name, tf.constant(0.0, name="truncated_normal").name)
    print(tf.random_uniform([1], name="random_uniform").name, tf.constant(0).name)


def case_fast_initializer_names_and_values(tf, show):
    tf.set_random_seed(7)
    inits = {
        "zeros": tf.zeros_initializer(),
        "ones": tf.ones_initializer(),
        "const": tf.constant_initializer(0.25),
        "const_int_value": tf.constant_initializer(3),
        "tnormal": tf.truncated_normal_initializer(stddev=0.02),
        "tnormal_mean": tf.truncated_normal_initializer(mean=1, stddev=2),
        "rnormal": tf.random_normal_initializer(stddev=0.5, seed=3),
        "runiform": tf.random_uniform_initializer(-0.1, 0.1),
        "runiform_default": tf.random_uniform_initializer(),
        "runiform_int_bounds": tf.random_uniform_initializer(0, 1),
        "runiform_int_max": tf.random_uniform_initializer(-1, 2, seed=4),
    }
    vs = []
    with tf.variable_scope("m"):
        for name, init in inits.items():
            for dtype in (tf.float32, tf.float64, tf.float16):
                vs.append(tf.get_variable(f"{name}_{dtype.name}", [3, 2], dtype=dtype,
                                          initializer=init))  # fmt: skip
                print(vs[-1].name, vs[-1].initial_value.name)
        _later_names(tf)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for v, value in zip(vs, sess.run(vs), strict=True):
            print(v.name)
            show(value, decimals=6)


def case_fast_initializer_other_dtypes_and_shapes(tf, show, expect_error):
    with tf.variable_scope("d"):
        vs = [
            tf.get_variable("zi", [2], dtype=tf.int32, initializer=tf.zeros_initializer()),
            tf.get_variable("ob", [2], dtype=tf.bool, initializer=tf.ones_initializer()),
            tf.get_variable("zu8", [0, 2], dtype=tf.uint8, initializer=tf.zeros_initializer()),
            tf.get_variable("zbig", [40, 30], initializer=tf.zeros_initializer()),
            tf.get_variable("obig", [1000], initializer=tf.ones_initializer()),
            tf.get_variable("cbig", [50, 50], initializer=tf.constant_initializer(-1.5)),
            tf.get_variable("tbig", [64, 64], initializer=tf.truncated_normal_initializer(seed=1)),
            tf.get_variable("scalar", [], initializer=tf.random_normal_initializer(seed=2)),
        ]
        for v in vs:
            print(v.name, v.shape, v.initial_value.name)
        tn = tf.truncated_normal_initializer()
        expect_error(lambda: tf.get_variable("ti", [2], dtype=tf.int32, initializer=tn))
        c = tf.constant_initializer(0.5)
        expect_error(lambda: tf.get_variable("ci", [2], dtype=tf.int32, initializer=c))
        _later_names(tf)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run(vs)
        show(values[0], values[1], values[2], values[7], decimals=6)
        show(values[3].sum(), values[4].sum(), values[5].sum(), values[6][:2, :3], decimals=6)


def case_fast_initializer_partitioned(tf, show):
    part = tf.fixed_size_partitioner(3)
    with tf.variable_scope("p"):
        a = tf.get_variable("a", [7, 2], initializer=tf.truncated_normal_initializer(seed=5),
                            partitioner=part)  # fmt: skip
        b = tf.get_variable("b", [7], initializer=tf.zeros_initializer(), partitioner=part)
        c = tf.get_variable("c", [5, 2], initializer=tf.random_uniform_initializer(-1.0, 1.0,
                            seed=6), partitioner=part)  # fmt: skip
    for v in (*a, *b, *c):
        print(v.name, v.shape, v.initial_value.name)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(*sess.run([a.as_tensor(), b.as_tensor(), c.as_tensor()]), decimals=6)


def case_random_uniform_int_bounds(tf, show):
    tf.set_random_seed(11)
    ts = [
        tf.random_uniform([2, 2]),
        tf.random_uniform([2], 0, 3),
        tf.random_uniform([2], 0.0, 1),
        tf.random_uniform([2], 1, 2),
        tf.random_uniform([2], 0, 1.5),
        tf.random_uniform([2], 0, 5, dtype=tf.int32),
    ]
    for t in ts:
        print(t.name, t.op.type, [i.name for i in t.op.inputs])
    with tf.Session() as sess:
        show(*sess.run(ts), decimals=6)
