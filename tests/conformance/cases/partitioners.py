"""§10: partitioned variables: names, shard shapes, reuse rules, errors, built-in partitioners."""

import numpy as np


def _shards(v):
    print(v.name, v.get_shape(), v.dtype, len(v))
    print([(s.name, s.get_shape().as_list()) for s in v])


def _const_partitioner(parts):
    def partitioner(shape, dtype):
        return parts

    return partitioner


def case_partitioned_names_and_shapes(tf):
    with tf.variable_scope("scope0"):
        v = tf.get_variable("w", [10, 3], partitioner=tf.fixed_size_partitioner(3))
    _shards(v)


def case_partitioned_uneven_four(tf):
    _shards(tf.get_variable("w", [10], partitioner=tf.fixed_size_partitioner(4)))


def case_fixed_size_partitioner_capped_by_dim(tf):
    _shards(tf.get_variable("w", [2, 7], partitioner=tf.fixed_size_partitioner(5)))


def case_fixed_size_partitioner_axis(tf):
    _shards(tf.get_variable("w", [2, 6], partitioner=tf.fixed_size_partitioner(3, axis=1)))


def case_partitioned_as_tensor_name(tf):
    with tf.variable_scope("scope0"):
        v = tf.get_variable("w", [4, 2], partitioner=tf.fixed_size_partitioner(2))
    t = v.as_tensor()
    print(t.name, t.get_shape())
    print(tf.convert_to_tensor(v).get_shape())


def case_partitioned_get_partitions(tf):
    v = tf.get_variable("w", [6, 2], partitioner=tf.fixed_size_partitioner(3))
    print(v._get_partitions())


def case_partitioned_values_constant_tensor_sliced(tf, show):
    init = tf.constant(np.arange(10, dtype=np.float32))
    v = tf.get_variable("w", initializer=init, partitioner=tf.fixed_size_partitioner(3))
    _shards(v)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(list(v)))
        show(sess.run(v.as_tensor()))


def case_partitioned_numpy_value_needs_shape(tf, expect_error, show):
    part = tf.fixed_size_partitioner(2)
    expect_error(lambda: tf.get_variable("w", initializer=np.ones([4]), partitioner=part))
    v = tf.get_variable("x", [4], initializer=np.arange(4.0), partitioner=part)
    _shards(v)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(v.as_tensor()))


def case_partitioned_callable_partition_info(tf):
    seen = []

    def init(shape, dtype=None, partition_info=None):
        seen.append((shape, partition_info.full_shape, partition_info.var_offset))
        return tf.zeros(shape, dtype)

    tf.get_variable("w", [6, 2], initializer=init, partitioner=tf.fixed_size_partitioner(3))
    print(seen)


def case_partitioned_constant_initializer_not_sliced(tf, expect_error):
    init = tf.constant_initializer(list(range(14)))
    expect_error(
        lambda: tf.get_variable(
            "w", [7, 2], initializer=init, partitioner=tf.fixed_size_partitioner(3)
        )
    )


def case_partitioned_constant_initializer_scalar(tf, show):
    init = tf.constant_initializer(3.0)
    v = tf.get_variable("w", [3, 1], initializer=init, partitioner=tf.fixed_size_partitioner(2))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(v.as_tensor()))


def case_partitioned_glorot_uses_full_shape(tf):
    v = tf.get_variable("w", [6, 4], partitioner=tf.fixed_size_partitioner(3))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        x = sess.run(v.as_tensor())
    print(x.shape, bool(np.abs(x).max() <= np.sqrt(6.0 / 10) + 1e-6))


def case_partitioned_identity_sliced(tf, show):
    v = tf.get_variable(
        "w",
        [4, 4],
        initializer=tf.initializers.identity(),
        partitioner=tf.fixed_size_partitioner(2),
    )
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(v.as_tensor()))


def case_partitioned_scalar_shape_skips(tf):
    part = tf.fixed_size_partitioner(2)
    with tf.variable_scope("scope0"):
        a = tf.get_variable("name0", [], partitioner=part)
        b = tf.get_variable("name1", (), partitioner=part)
    print(a.name, b.name)


def case_partitioned_tensorshape_scalar_not_skipped(tf, expect_error):
    part = tf.fixed_size_partitioner(2)
    expect_error(lambda: tf.get_variable("name0", tf.TensorShape([]), partitioner=part))


def case_partitioned_reuse_true_without_partitioner(tf):
    with tf.variable_scope("scope0"):
        v = tf.get_variable("name0", [4, 1, 1], partitioner=tf.fixed_size_partitioner(2))
    with tf.variable_scope("scope0", reuse=True):
        print(tf.get_variable("name0") is v)
        print(tf.get_variable("name0", [4, 1, 1]) is v)


def case_partitioned_auto_reuse_without_partitioner(tf, expect_error):
    with tf.variable_scope("scope0", reuse=tf.AUTO_REUSE):
        tf.get_variable("name0", [4, 1, 1], partitioner=tf.fixed_size_partitioner(2))
        expect_error(lambda: tf.get_variable("name0", [4, 1, 1]))


def case_partitioned_auto_reuse_with_partitioner(tf):
    part = tf.fixed_size_partitioner(2)
    with tf.variable_scope("scope0", reuse=tf.AUTO_REUSE):
        a = tf.get_variable("name0", [4, 1, 1], partitioner=part)
        b = tf.get_variable("name0", [4, 1, 1], partitioner=part)
    print(a is b)


def case_partitioned_reuse_different_count(tf, expect_error):
    with tf.variable_scope("scope0"):
        tf.get_variable("name0", [4, 1, 1], partitioner=_const_partitioner([2, 1, 1]))
    with tf.variable_scope("scope0", reuse=True):
        expect_error(
            lambda: tf.get_variable("name0", [4, 1, 1], partitioner=_const_partitioner([3, 1, 1]))
        )


def case_partitioned_reuse_different_shape(tf, expect_error):
    part = _const_partitioner([2, 1, 1])
    with tf.variable_scope("scope0"):
        tf.get_variable("name0", [3, 1, 1], partitioner=part)
    with tf.variable_scope("scope0", reuse=True):
        expect_error(lambda: tf.get_variable("name0", [4, 1, 1], partitioner=part))


def case_partitioned_reuse_different_dtype(tf, expect_error):
    part = _const_partitioner([2, 1, 1])
    with tf.variable_scope("scope0"):
        tf.get_variable("name0", [3, 1, 1], partitioner=part)
    with tf.variable_scope("scope0", reuse=True):
        expect_error(lambda: tf.get_variable("name0", [3, 1, 1], dtype=tf.int32, partitioner=part))


def case_partitioned_reuse_missing(tf, expect_error):
    part = _const_partitioner([2, 1, 1])
    with tf.variable_scope("scope0", reuse=True):
        expect_error(lambda: tf.get_variable("nope", [3, 1, 1], partitioner=part))


def case_partitioned_create_again(tf, expect_error):
    part = _const_partitioner([2, 1, 1])
    with tf.variable_scope("scope0"):
        tf.get_variable("name0", [3, 1, 1], partitioner=part)
    with tf.variable_scope("scope0"):
        expect_error(lambda: tf.get_variable("name0", [3, 1, 1], partitioner=part))


def case_partitioner_for_unpartitioned_variable(tf, expect_error):
    with tf.variable_scope("scope0"):
        tf.get_variable("plain", [4])
    with tf.variable_scope("scope0", reuse=True):
        expect_error(
            lambda: tf.get_variable("plain", [4], partitioner=tf.fixed_size_partitioner(2))
        )


def case_no_partitioner_but_partitioned_exists(tf, expect_error):
    with tf.variable_scope("scope0"):
        tf.get_variable("name0", [4], partitioner=tf.fixed_size_partitioner(2))
    with tf.variable_scope("scope0"):
        expect_error(lambda: tf.get_variable("name0", [4]))


def case_partitioner_returns_non_sequence(tf, expect_error):
    expect_error(lambda: tf.get_variable("w", [4, 4], partitioner=lambda shape, dtype: 2))


def case_partitioner_returns_wrong_length(tf, expect_error):
    expect_error(lambda: tf.get_variable("w", [4, 4], partitioner=_const_partitioner([2])))


def case_partitioner_returns_zero(tf, expect_error):
    expect_error(lambda: tf.get_variable("w", [4, 4], partitioner=_const_partitioner([0, 1])))


def case_partitioner_two_axes(tf, expect_error):
    expect_error(lambda: tf.get_variable("w", [4, 4], partitioner=_const_partitioner([2, 2])))


def case_partitioner_called_with_keywords(tf):
    seen = []

    def partitioner(**kwargs):
        seen.append({k: str(v) for k, v in sorted(kwargs.items())})
        return [2, 1]

    tf.get_variable("w", [4, 3], dtype=tf.float64, partitioner=partitioner)
    print(seen)


def case_partitioner_all_ones(tf):
    _shards(tf.get_variable("w", [4, 3], partitioner=_const_partitioner([1, 1])))


def case_partitioned_unknown_shape_error(tf, expect_error):
    part = tf.fixed_size_partitioner(2)
    expect_error(lambda: tf.get_variable("w", [None, 3], partitioner=part))


def case_partitioned_save_slice_info(tf):
    v = tf.get_variable("w", [5, 2], partitioner=tf.fixed_size_partitioner(2))
    for shard in v:
        info = shard._save_slice_info
        print(info.full_name, info.full_shape, info.var_offset, info.var_shape)


def case_variable_axis_size_partitioner(tf):
    part = tf.variable_axis_size_partitioner(max_shard_bytes=100)
    print(part(shape=tf.TensorShape([10, 8]), dtype=tf.float32))
    part = tf.variable_axis_size_partitioner(max_shard_bytes=100, max_shards=2)
    print(part(shape=tf.TensorShape([10, 8]), dtype=tf.float32))
    part = tf.variable_axis_size_partitioner(max_shard_bytes=1 << 20)
    print(part(shape=tf.TensorShape([10, 8]), dtype=tf.float32))
    part = tf.variable_axis_size_partitioner(max_shard_bytes=64, axis=1)
    print(part(shape=tf.TensorShape([4, 8]), dtype=tf.float64))


def case_min_max_variable_partitioner(tf):
    part = tf.min_max_variable_partitioner(max_partitions=8, min_slice_size=64)
    print(part(shape=tf.TensorShape([10, 8]), dtype=tf.float32))
    part = tf.min_max_variable_partitioner(max_partitions=3, min_slice_size=64)
    print(part(shape=tf.TensorShape([10, 8]), dtype=tf.float32))
    part = tf.min_max_variable_partitioner()
    print(part(shape=tf.TensorShape([10, 8]), dtype=tf.float32))


def case_fixed_size_partitioner_direct(tf):
    part = tf.fixed_size_partitioner(4)
    print(part(shape=tf.TensorShape([10, 3]), dtype=tf.float32))
    print(tf.fixed_size_partitioner(4, axis=1)(shape=tf.TensorShape([2, 3]), dtype=tf.float32))


def case_partitioned_variable_via_scope(tf):
    with tf.variable_scope("s", partitioner=tf.fixed_size_partitioner(2)):
        v = tf.get_variable("w", [4])
        s = tf.get_variable("scalar", [])
    _shards(v)
    print(s.name)


def case_partitioned_assign_ops(tf, show, expect_error):
    v = tf.get_variable(
        "p", [5, 2], initializer=tf.zeros_initializer(), partitioner=tf.fixed_size_partitioner(2)
    )
    value = tf.constant([[float(i), float(-i)] for i in range(5)])
    assigns = v.assign(value)
    adds = v.assign_add(value)
    subs = v.assign_sub(value)
    print([a.name for a in assigns], [a.name for a in adds], [s.name for s in subs])
    expect_error(lambda: v.assign(value, read_value=False))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(assigns)
        sess.run(adds)
        show(sess.run(v.as_tensor()))
        sess.run(subs)
        show(sess.run(v.as_tensor()))
        sess.run(v.assign([tf.ones([3, 2]), tf.ones([2, 2]) * 2.0]))
        show(sess.run(v.as_tensor()))
