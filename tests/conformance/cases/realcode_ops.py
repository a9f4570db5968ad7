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


_POINTS = [
    [1.0, 0.1, 0.0], [0.9, 0.0, 0.2], [0.0, 1.0, 0.1], [0.1, 0.8, 0.0], [0.0, 0.1, 1.0],
    [0.2, 0.0, 0.9], [1.1, 0.2, 0.1], [0.0, 0.9, 0.3], [0.3, 0.1, 1.2], [1.0, 1.0, 0.0],
]  # fmt: skip


def _kmeans_run(tf, steps, **kwargs):
    x = tf.placeholder(tf.float32, [None, 3])
    graph = tf.contrib.factorization.KMeans(inputs=x, num_clusters=3, **kwargs).training_graph()
    # TF 1.15 returns (all_scores, cluster_idx, scores, initialized, clusters_var, init, train);
    # TF 2's clustering_ops (the oracle) the same without clusters_var
    all_scores, cluster_idx, scores, initialized = graph[:4]
    init_op, train_op = graph[-2:]
    print(len(all_scores), len(cluster_idx), initialized.dtype.name)
    print(sorted(v.op.name for v in tf.global_variables()))
    feed = {x: _POINTS}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer(), feed_dict=feed)
        sess.run(init_op, feed_dict=feed)
        print(sess.run(initialized))
        for _ in range(steps):
            _, d, idx = sess.run([train_op, tf.reduce_mean(scores[0]), cluster_idx[0]], feed)
            print(round(float(d), 5), idx.tolist())
        print(sess.run(all_scores[0], feed).round(5))


def case_kmeans_cosine_mini_batch(tf):
    # kmeans.py's configuration: cosine distance, mini-batch, random initial rows (seeded)
    # One step: in a mini-batch step, nothing orders the read of the counts variable before
    # its scatter_add update, and TF's own later steps depend on its executor's schedule.
    tf.set_random_seed(0)
    _kmeans_run(tf, 1, distance_metric="cosine", use_mini_batch=True)


def case_kmeans_euclidean_full_batch(tf):
    tf.set_random_seed(1)
    _kmeans_run(tf, 3)


def case_kmeans_mini_batch_steps_per_iteration(tf):
    tf.set_random_seed(2)
    _kmeans_run(tf, 1, distance_metric="cosine", use_mini_batch=True,
                mini_batch_steps_per_iteration=2)  # fmt: skip


def case_kmeans_given_initial_clusters(tf):
    _kmeans_run(tf, 2, initial_clusters=[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
