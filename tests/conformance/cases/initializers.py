"""§6: initializer defaults, deterministic values, errors, and bounds of random initializers."""

import numpy as np


def _run(tf, v):
    with tf.Session() as sess:
        sess.run(v.initializer)
        return sess.run(v)


def _init(tf, initializer, shape, dtype=None, name="v"):
    kwargs = {} if dtype is None else {"dtype": dtype}
    return _run(tf, tf.get_variable(name, shape, initializer=initializer, **kwargs))


def _stats(x, limit):
    """Bounds check and a coarse sanity check that values are spread out."""
    a = np.abs(x)
    print(x.dtype, x.shape, bool(a.max() <= limit + 1e-6), bool(a.max() > 0.5 * limit))


def case_zeros_initializer(tf, show):
    show(_init(tf, tf.zeros_initializer(), [2, 2]))


def case_ones_initializer(tf, show):
    show(_init(tf, tf.ones_initializer(), [3]))


def case_ones_initializer_int_variable(tf, show):
    show(_init(tf, tf.ones_initializer(), [2], dtype=tf.int32))


def case_zeros_initializer_float64(tf, show):
    show(_init(tf, tf.zeros_initializer(dtype=tf.float64), [2], dtype=tf.float64))


def case_constant_initializer_scalar(tf, show):
    show(_init(tf, tf.constant_initializer(2.5), [2, 3]))


def case_constant_initializer_default_zero(tf, show):
    show(_init(tf, tf.constant_initializer(), [2]))


def case_constant_initializer_full_list(tf, show):
    show(_init(tf, tf.constant_initializer([1, 2, 3, 4, 5, 6]), [2, 3]))


def case_constant_initializer_fill_last_value(tf, show):
    show(_init(tf, tf.constant_initializer([1, 2, 3]), [2, 3]))


def case_constant_initializer_tuple_and_ndarray(tf, show):
    show(_init(tf, tf.constant_initializer((1.5, 2.5)), [2], name="a"))
    show(_init(tf, tf.constant_initializer(np.array([[1, 2], [3, 4]])), [2, 2], name="b"))


def case_constant_initializer_int_variable(tf, show):
    show(_init(tf, tf.constant_initializer(7), [2], dtype=tf.int32))


def case_constant_initializer_too_many(tf, expect_error):
    expect_error(lambda: tf.get_variable("v", [2], initializer=tf.constant_initializer([1, 2, 3])))


def case_constant_initializer_verify_shape_mismatch(tf, expect_error):
    init = tf.constant_initializer([1, 2, 3, 4], verify_shape=True)
    expect_error(lambda: tf.get_variable("v", [2, 2], initializer=init))


def case_constant_initializer_verify_shape_ok(tf, show):
    init = tf.constant_initializer([[1, 2], [3, 4]], verify_shape=True)
    show(_init(tf, init, [2, 2]))


def case_constant_initializer_invalid_type(tf, expect_error):
    expect_error(lambda: tf.constant_initializer({}))


def case_constant_initializer_direct_call(tf, show):
    init = tf.constant_initializer([1.0, 2.0])
    t = init([2, 2])
    print(t.dtype, t.get_shape())
    with tf.Session() as sess:
        show(sess.run(t))


def case_initializer_direct_call_dtypes(tf):
    print(tf.zeros_initializer()([2]).dtype, tf.ones_initializer(dtype=tf.int64)([2]).dtype)
    print(tf.zeros_initializer()([2], dtype=tf.float16).dtype)


def case_identity_initializer(tf, show):
    show(_init(tf, tf.initializers.identity(), [2, 3]))


def case_identity_initializer_gain(tf, show):
    show(_init(tf, tf.initializers.identity(gain=2.0), [3, 3]))


def case_identity_initializer_not_2d(tf, expect_error):
    expect_error(lambda: tf.get_variable("v", [3], initializer=tf.initializers.identity()))
    expect_error(lambda: tf.get_variable("w", [2, 2, 2], initializer=tf.initializers.identity()))


def case_random_uniform_bounds(tf):
    x = _init(tf, tf.random_uniform_initializer(-0.5, 0.5), [400])
    print(x.dtype, x.shape, bool(x.min() >= -0.5), bool(x.max() < 0.5))


def case_random_uniform_default_range(tf):
    x = _init(tf, tf.random_uniform_initializer(), [400])
    print(bool(x.min() >= 0.0), bool(x.max() < 1.0), bool(x.max() > 0.5))


def case_random_uniform_int_needs_maxval(tf, expect_error):
    expect_error(
        lambda: tf.get_variable(
            "v", [2], dtype=tf.int32, initializer=tf.random_uniform_initializer()
        )
    )


def case_random_uniform_int_with_maxval(tf):
    x = _init(tf, tf.random_uniform_initializer(0, 5), [200], dtype=tf.int32)
    print(x.dtype, bool(x.min() >= 0), bool(x.max() < 5))


def case_random_normal_shape_dtype(tf):
    x = _init(tf, tf.random_normal_initializer(mean=3.0, stddev=0.1), [1000])
    print(x.dtype, x.shape, round(float(x.mean()), 1))


def case_random_normal_int_error(tf, expect_error):
    expect_error(
        lambda: tf.get_variable(
            "v", [2], dtype=tf.int32, initializer=tf.random_normal_initializer()
        )
    )


def case_truncated_normal_within_two_sigma(tf):
    x = _init(tf, tf.truncated_normal_initializer(mean=1.0, stddev=0.5), [2000])
    print(x.dtype, bool(x.min() >= 0.0), bool(x.max() <= 2.0), bool(x.max() > 1.8))


def case_truncated_normal_int_error(tf, expect_error):
    init = tf.truncated_normal_initializer()
    expect_error(lambda: tf.get_variable("v", [2], dtype=tf.int32, initializer=init))


def case_uniform_unit_scaling_limit(tf):
    x = _init(tf, tf.uniform_unit_scaling_initializer(factor=1.43), [3, 3, 64, 128])
    _stats(x, np.sqrt(3.0 / (3 * 3 * 64)) * 1.43)


def case_glorot_uniform_conv_limit(tf):
    _stats(_init(tf, tf.glorot_uniform_initializer(), [3, 3, 64, 128]), np.sqrt(6.0 / (576 + 1152)))


def case_glorot_uniform_dense_limit(tf):
    _stats(_init(tf, tf.glorot_uniform_initializer(), [300, 500]), np.sqrt(6.0 / 800))


def case_glorot_uniform_vector_limit(tf):
    _stats(_init(tf, tf.glorot_uniform_initializer(), [1000]), np.sqrt(6.0 / 2000))


def case_glorot_uniform_scalar_limit(tf):
    x = _init(tf, tf.glorot_uniform_initializer(), [])
    print(x.dtype, x.shape, bool(abs(x) <= np.sqrt(3.0)))


def case_glorot_uniform_float64(tf):
    x = _init(tf, tf.glorot_uniform_initializer(), [10, 10], dtype=tf.float64)
    _stats(x, np.sqrt(6.0 / 20))


def case_glorot_normal_truncated(tf):
    x = _init(tf, tf.glorot_normal_initializer(), [200, 300])
    std = np.sqrt(2.0 / 500)
    print(x.dtype, bool(np.abs(x).max() <= 2 * std / 0.87962566103423978 + 1e-6))
    print(round(float(x.std() / std), 1))


def case_variance_scaling_uniform_fan_in(tf):
    init = tf.variance_scaling_initializer(scale=2.0, mode="fan_in", distribution="uniform")
    _stats(_init(tf, init, [100, 50]), np.sqrt(3 * 2.0 / 100))


def case_variance_scaling_uniform_fan_out(tf):
    init = tf.variance_scaling_initializer(mode="fan_out", distribution="uniform")
    _stats(_init(tf, init, [100, 50]), np.sqrt(3.0 / 50))


def case_variance_scaling_uniform_fan_avg(tf):
    init = tf.variance_scaling_initializer(mode="fan_avg", distribution="uniform")
    _stats(_init(tf, init, [100, 50]), np.sqrt(3.0 / 75))


def case_variance_scaling_truncated_default(tf):
    x = _init(tf, tf.variance_scaling_initializer(), [400, 300])
    sigma = np.sqrt(1.0 / 400) / 0.87962566103423978
    print(bool(np.abs(x).max() <= 2 * sigma + 1e-6), round(float(x.std() * 20), 1))


def case_variance_scaling_untruncated(tf):
    x = _init(tf, tf.variance_scaling_initializer(distribution="untruncated_normal"), [400, 300])
    print(x.dtype, round(float(x.std() * 20), 1))


def case_variance_scaling_errors(tf, expect_error):
    expect_error(lambda: tf.variance_scaling_initializer(scale=0.0))
    expect_error(lambda: tf.variance_scaling_initializer(mode="bad"))
    expect_error(lambda: tf.variance_scaling_initializer(distribution="bad"))


def case_variance_scaling_distribution_case_insensitive(tf):
    init = tf.variance_scaling_initializer(distribution="UNIFORM")
    _stats(_init(tf, init, [100, 50]), np.sqrt(3.0 / 100))


def case_he_and_lecun_uniform(tf):
    _stats(_init(tf, tf.initializers.he_uniform(), [60, 10], name="he"), np.sqrt(6.0 / 60))
    _stats(_init(tf, tf.initializers.lecun_uniform(), [60, 10], name="le"), np.sqrt(3.0 / 60))


def case_he_and_lecun_normal(tf):
    he = _init(tf, tf.initializers.he_normal(), [200, 200], name="he")
    le = _init(tf, tf.initializers.lecun_normal(), [200, 200], name="le")
    print(round(float(he.std() / np.sqrt(2.0 / 200)), 1), round(float(le.std() * np.sqrt(200)), 1))


def case_orthogonal_tall(tf, show):
    q = _init(tf, tf.orthogonal_initializer(), [6, 4])
    show(q.T @ q, decimals=3)


def case_orthogonal_wide(tf, show):
    q = _init(tf, tf.orthogonal_initializer(), [3, 5])
    show(q @ q.T, decimals=3)


def case_orthogonal_gain(tf, show):
    q = _init(tf, tf.orthogonal_initializer(gain=2.0), [4, 4])
    show(q.T @ q, decimals=3)


def case_orthogonal_conv_shape(tf, show):
    q = _init(tf, tf.orthogonal_initializer(), [2, 2, 3, 4])
    m = q.reshape(-1, 4)
    print(q.shape)
    show(m.T @ m, decimals=3)


def case_orthogonal_needs_2d(tf, expect_error):
    expect_error(lambda: tf.get_variable("v", [3], initializer=tf.orthogonal_initializer()))


def case_orthogonal_int_error(tf, expect_error):
    init = tf.orthogonal_initializer()
    expect_error(lambda: tf.get_variable("v", [2, 2], dtype=tf.int32, initializer=init))


def case_initializer_aliases_resolve(tf):
    print(tf.initializers.zeros is tf.zeros_initializer)
    print(tf.initializers.constant is tf.constant_initializer)
    print(tf.keras.initializers.Zeros is not None)


def case_keras_initializer_object(tf, show):
    v = tf.get_variable("v", [2], initializer=tf.keras.initializers.Ones())
    print(v.dtype)
    show(_run(tf, v))


def case_initializer_seed_reproducible(tf):
    a = _init(tf, tf.random_uniform_initializer(seed=3), [20], name="a")
    b = _init(tf, tf.random_uniform_initializer(seed=3), [20], name="b")
    print(bool((a == b).all()))


def case_tensor_random_ops_shapes(tf):
    for t in (
        tf.random_normal([2, 3]),
        tf.random_uniform([4], maxval=10, dtype=tf.int32),
        tf.truncated_normal([3, 1], dtype=tf.float64),
    ):
        print(t.name, t.get_shape(), t.dtype)


def case_random_normal_int_error_direct_call(tf, expect_error):
    expect_error(lambda: tf.random_normal_initializer()([2], dtype=tf.int32))
    expect_error(lambda: tf.truncated_normal_initializer()([2], dtype=tf.int32))
    expect_error(lambda: tf.orthogonal_initializer()([2, 2], dtype=tf.int32))
    expect_error(lambda: tf.random_normal_initializer(dtype=tf.int32))


def case_fan_computation_scalar_and_vector(tf):
    init = tf.variance_scaling_initializer(mode="fan_in", distribution="uniform")
    _stats(_init(tf, init, [200], name="vec"), np.sqrt(3.0 / 200))
    _stats(_init(tf, init, [5, 5, 40, 2], name="conv"), np.sqrt(3.0 / 1000))
