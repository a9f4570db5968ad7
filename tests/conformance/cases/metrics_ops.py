"""tf.metrics (TF1): local variable names and collections, (value, update_op) names, and the
values after several update steps."""

import numpy as np


def _vars(tf):
    print([v.name for v in tf.local_variables()])
    print([v.name for v in tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)])
    print(len(tf.global_variables()), len(tf.trainable_variables()))


def _steps(tf, show, value, update, feeds):
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for feed in feeds:
            show(sess.run(update, feed))
        show(sess.run(value))


def case_accuracy(tf, show):
    labels = tf.placeholder(tf.int64, [None])
    preds = tf.placeholder(tf.int32, [None])
    w = tf.placeholder(tf.float32, [None])
    acc, up = tf.metrics.accuracy(labels, preds, weights=w)
    acc2, up2 = tf.metrics.accuracy(
        labels, preds, metrics_collections=["m"], updates_collections=["u"], name="acc2"
    )
    print(acc.name, up.name, acc2.name, up2.name)
    print([t.name for t in tf.get_collection("m")], [t.name for t in tf.get_collection("u")])
    _vars(tf)
    feeds = [
        {labels: [1, 2, 3], preds: [1, 0, 3], w: [1.0, 1.0, 0.5]},
        {labels: [0, 0], preds: [0, 1], w: [2.0, 1.0]},
        {labels: [5], preds: [5], w: [0.0]},
    ]
    _steps(tf, show, acc, up, feeds)


def case_mean_and_mean_tensor(tf, show):
    x = tf.placeholder(tf.float32, [2, 3])
    w = tf.placeholder(tf.float32, [2, 1])
    m, mu = tf.metrics.mean(x, weights=w)
    t, tu = tf.metrics.mean_tensor(x, name="mt")
    print(m.name, mu.name, t.name, tu.name, t.shape)
    _vars(tf)
    feeds = [
        {x: [[1, 2, 3], [4, 5, 6]], w: [[1.0], [0.0]]},
        {x: [[0, 0, 9], [1, 1, 1]], w: [[0.5], [2.0]]},
    ]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        show(sess.run(m))
        for f in feeds:
            show(sess.run([mu, tu], f))
        show(sess.run([m, t]))


def case_regression_errors(tf, show):
    labels = tf.placeholder(tf.float32, [None, 1])
    preds = tf.placeholder(tf.float32, [None])
    mae = tf.metrics.mean_absolute_error(labels, preds)
    mse = tf.metrics.mean_squared_error(labels, preds)
    rmse = tf.metrics.root_mean_squared_error(labels, preds)
    print([(a.name, b.name) for a, b in (mae, mse, rmse)])
    _vars(tf)
    feeds = [{labels: [[1.0], [2.0]], preds: [1.5, 0.0]}, {labels: [[3.0]], preds: [3.25]}]
    _steps(tf, show, [mae[0], mse[0], rmse[0]], [mae[1], mse[1], rmse[1]], feeds)


def case_counts_precision_recall(tf, show):
    labels = tf.placeholder(tf.bool, [None])
    preds = tf.placeholder(tf.bool, [None])
    w = tf.placeholder(tf.float32, [None])
    ms = [
        tf.metrics.true_positives(labels, preds),
        tf.metrics.false_positives(labels, preds, weights=w),
        tf.metrics.true_negatives(labels, preds),
        tf.metrics.false_negatives(labels, preds),
        tf.metrics.precision(labels, preds, weights=w),
        tf.metrics.recall(labels, preds),
    ]
    print([(a.name, b.name) for a, b in ms])
    _vars(tf)
    feeds = [
        {labels: [True, False, True, False], preds: [True, True, False, False], w: [1, 2, 3, 4]},
        {labels: [True, True], preds: [True, True], w: [0.5, 0.5]},
    ]
    _steps(tf, show, [m[0] for m in ms], [m[1] for m in ms], feeds)


def case_at_thresholds(tf, show):
    labels = tf.placeholder(tf.int32, [None])
    preds = tf.placeholder(tf.float32, [None])
    th = [0.0, 0.3, 0.5, 0.9]
    ms = [
        tf.metrics.true_positives_at_thresholds(labels, preds, th),
        tf.metrics.false_positives_at_thresholds(labels, preds, th),
        tf.metrics.true_negatives_at_thresholds(labels, preds, th),
        tf.metrics.false_negatives_at_thresholds(labels, preds, th),
        tf.metrics.precision_at_thresholds(labels, preds, th),
        tf.metrics.recall_at_thresholds(labels, preds, th, weights=[1.0, 2.0, 1.0, 1.0]),
    ]
    print([(a.name, b.name) for a, b in ms])
    _vars(tf)
    feeds = [
        {labels: [1, 0, 1, 1], preds: [0.95, 0.4, 0.3, 0.6]},
        {labels: [0, 0, 1, 0], preds: [0.1, 0.92, 0.5, 0.0]},
    ]
    _steps(tf, show, [m[0] for m in ms], [m[1] for m in ms], feeds)


def case_auc(tf, show):
    labels = tf.placeholder(tf.int64, [None])
    preds = tf.placeholder(tf.float32, [None])
    ms = [
        tf.metrics.auc(labels, preds),
        tf.metrics.auc(labels, preds, curve="PR", num_thresholds=50),
        tf.metrics.auc(labels, preds, curve="PR", summation_method="careful_interpolation"),
        tf.metrics.auc(labels, preds, summation_method="minoring", num_thresholds=10),
        tf.metrics.auc(labels, preds, summation_method="majoring", thresholds=[0.25, 0.5, 0.75]),
        tf.metrics.auc(labels, preds, weights=[[1.0], [2.0], [0.5], [1.0], [1.0], [3.0]]),
    ]
    print([(a.name, b.name) for a, b in ms])
    print([v.name for v in tf.local_variables()][:8])
    rng = np.random.RandomState(1)
    feeds = [
        {labels: rng.randint(0, 2, 6), preds: rng.rand(6).astype(np.float32)} for _ in range(3)
    ]
    _steps(tf, show, [m[0] for m in ms], [m[1] for m in ms], feeds)


def case_auc_bad_curve(tf, expect_error):
    labels, preds = tf.constant([1]), tf.constant([0.5])
    expect_error(lambda: tf.metrics.auc(labels, preds, curve="XY"))
    expect_error(lambda: tf.metrics.auc(labels, preds, summation_method="nope"))


def case_precision_recall_at_k(tf, show):
    labels = tf.placeholder(tf.int64, [None])
    labels2 = tf.placeholder(tf.int64, [None, 2])
    logits = tf.placeholder(tf.float32, [None, 5])
    ms = [
        tf.metrics.precision_at_k(labels, logits, k=2),
        tf.metrics.recall_at_k(labels, logits, k=2),
        tf.metrics.precision_at_k(labels2, logits, k=3),
        tf.metrics.recall_at_k(labels2, logits, k=3),
        tf.metrics.precision_at_k(labels, logits, k=2, class_id=1),
        tf.metrics.recall_at_k(labels, logits, k=1, class_id=3),
        tf.metrics.precision_at_k(labels, logits, k=1, weights=[1.0, 2.0, 0.5]),
    ]
    print([(a.name, b.name) for a, b in ms])
    _vars(tf)
    feeds = [
        {
            labels: [1, 3, 0],
            labels2: [[1, 4], [3, 3], [0, 2]],
            logits: [
                [0.1, 0.5, 0.2, 0.9, 0.0],
                [0.3, 0.1, 0.2, 0.8, 0.7],
                [0.9, 0.2, 0.3, 0.1, 0.0],
            ],
        },
        {
            labels: [4, 1, 1],
            labels2: [[2, 1], [0, 0], [4, 3]],
            logits: [
                [0.0, 0.5, 0.2, 0.1, 0.3],
                [0.3, 0.9, 0.2, 0.4, 0.7],
                [0.9, 0.1, 0.3, 0.2, 0.8],
            ],
        },
    ]
    _steps(tf, show, [m[0] for m in ms], [m[1] for m in ms], feeds)


def case_mean_iou_and_per_class_accuracy(tf, show):
    labels = tf.placeholder(tf.int32, [None, 2])
    preds = tf.placeholder(tf.int64, [None, 2])
    iou, iou_up = tf.metrics.mean_iou(labels, preds, num_classes=3)
    pca, pca_up = tf.metrics.mean_per_class_accuracy(labels, preds, num_classes=3)
    w = tf.constant([[1.0, 0.5], [0.0, 2.0]])
    w_iou = tf.metrics.mean_iou(labels, preds, num_classes=3, weights=w)
    print(iou.name, iou_up.name, pca.name, pca_up.name, w_iou[0].name)
    _vars(tf)
    feeds = [
        {labels: [[0, 1], [2, 2]], preds: [[0, 2], [2, 1]]},
        {labels: [[1, 1], [0, 2]], preds: [[1, 0], [0, 2]]},
    ]
    _steps(tf, show, [iou, pca, w_iou[0]], [iou_up, pca_up, w_iou[1]], feeds)


def case_cosine_relative_percentage(tf, show):
    labels = tf.placeholder(tf.float32, [None, 2])
    preds = tf.placeholder(tf.float32, [None, 2])
    norm = tf.placeholder(tf.float32, [None, 2])
    ms = [
        tf.metrics.mean_cosine_distance(labels, preds, dim=1),
        tf.metrics.mean_relative_error(labels, preds, normalizer=norm),
        tf.metrics.percentage_below(preds, 0.5, weights=tf.constant([[1.0, 3.0]])),
    ]
    print([(a.name, b.name) for a, b in ms])
    _vars(tf)
    feeds = [
        {labels: [[1.0, 0.0], [0.6, 0.8]], preds: [[0.8, 0.6], [0.6, 0.8]], norm: [[2, 0], [1, 4]]},
        {labels: [[0.0, 1.0]], preds: [[1.0, 0.0]], norm: [[0.5, 0.5]]},
    ]
    _steps(tf, show, [m[0] for m in ms], [m[1] for m in ms], feeds)


def case_sensitivity_specificity(tf, show):
    labels = tf.placeholder(tf.int32, [None])
    preds = tf.placeholder(tf.float32, [None])
    ms = [
        tf.metrics.sensitivity_at_specificity(labels, preds, 0.7),
        tf.metrics.specificity_at_sensitivity(labels, preds, 0.4, num_thresholds=20),
        tf.metrics.sensitivity_at_specificity(labels, preds, 0.2, weights=tf.ones([6]) * 2),
    ]
    print([(a.name, b.name) for a, b in ms])
    rng = np.random.RandomState(5)
    feeds = [
        {labels: rng.randint(0, 2, 6), preds: rng.rand(6).astype(np.float32)} for _ in range(3)
    ]
    _steps(tf, show, [m[0] for m in ms], [m[1] for m in ms], feeds)


def case_range_errors(tf, expect_error):
    labels, preds = tf.constant([1]), tf.constant([0.5])
    expect_error(lambda: tf.metrics.sensitivity_at_specificity(labels, preds, 1.5))
    expect_error(lambda: tf.metrics.specificity_at_sensitivity(labels, preds, -0.1))


def case_average_precision_at_k(tf, show):
    labels = tf.placeholder(tf.int64, [None])
    labels2 = tf.placeholder(tf.int64, [None, 3])
    logits = tf.placeholder(tf.float32, [None, 5])
    ms = [
        tf.metrics.average_precision_at_k(labels, logits, k=2),
        tf.metrics.average_precision_at_k(labels2, logits, k=3),
        tf.metrics.sparse_average_precision_at_k(labels2, logits, 4, weights=[1.0, 0.5, 2.0]),
        tf.metrics.sparse_precision_at_k(labels, logits, k=1),
    ]
    print([(a.name, b.name) for a, b in ms])
    _vars(tf)
    feeds = [
        {
            labels: [1, 3, 7],
            labels2: [[1, 4, 4], [3, 9, 0], [0, 2, 1]],
            logits: [
                [0.1, 0.5, 0.2, 0.9, 0.0],
                [0.3, 0.1, 0.2, 0.8, 0.7],
                [0.9, 0.2, 0.3, 0.1, 0.0],
            ],
        },
        {
            labels: [4, 1, 1],
            labels2: [[2, 1, 0], [0, 0, 0], [4, 3, 1]],
            logits: [
                [0.0, 0.5, 0.2, 0.1, 0.3],
                [0.3, 0.9, 0.2, 0.4, 0.7],
                [0.9, 0.1, 0.3, 0.2, 0.8],
            ],
        },
    ]
    _steps(tf, show, [m[0] for m in ms], [m[1] for m in ms], feeds)


def case_unknown_ranks(tf, show):
    labels = tf.placeholder(tf.float32)
    preds = tf.placeholder(tf.float32)
    w = tf.placeholder(tf.float32)
    mse = tf.metrics.mean_squared_error(labels, preds, weights=w)
    acc = tf.metrics.accuracy(labels, preds)
    print(mse[0].name, mse[1].name, acc[1].name, mse[1].shape)
    feeds = [
        {labels: [[1.0], [2.0]], preds: [1.5, 2.0], w: [[1.0], [3.0]]},
        {labels: [3.0, 1.0], preds: [[3.0], [0.0]], w: 2.0},
        {labels: [[0.0, 1.0]], preds: [[0.0, 0.0]], w: [[1.0, 0.5]]},
    ]
    _steps(tf, show, [mse[0], acc[0]], [mse[1], acc[1]], feeds)


def case_weights_not_broadcastable_at_run_time(tf, show, expect_error):
    labels = tf.placeholder(tf.float32)
    preds = tf.placeholder(tf.float32)
    w = tf.placeholder(tf.float32, [None, None])
    mse = tf.metrics.mean_squared_error(labels, preds, weights=w)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        feed = {labels: [[0.0, 1.0]], preds: [[0.0, 0.0]]}
        show(sess.run(mse[1], {**feed, w: [[1.0, 0.5]]}))
        expect_error(lambda: sess.run(mse[1], {**feed, w: [[1.0], [2.0]]}), message=False)
        show(sess.run(mse[0]))


def case_weights_not_broadcastable(tf, expect_error):
    labels = tf.constant([[1.0, 2.0]])
    preds = tf.constant([[1.0, 0.0]])
    expect_error(lambda: tf.metrics.mean_squared_error(labels, preds, weights=tf.ones([3, 2])))
    expect_error(lambda: tf.metrics.mean(tf.ones([2, 3]), weights=tf.ones([2, 3, 4, 5])))


def case_mean_iou_out_of_range(tf, show, expect_error):
    labels = tf.placeholder(tf.int32, [None])
    preds = tf.placeholder(tf.int32, [None])
    iou, up = tf.metrics.mean_iou(labels, preds, num_classes=3)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        show(sess.run(up, {labels: [0, 2], preds: [1, 2]}))
        expect_error(lambda: sess.run(up, {labels: [0, 3], preds: [1, 2]}), message=False)
        expect_error(lambda: sess.run(up, {labels: [0, 1], preds: [-1, 2]}), message=False)
        show(sess.run(iou))


def case_mean_per_class_accuracy_out_of_range(tf, show, expect_error):
    labels = tf.placeholder(tf.int64, [None])
    preds = tf.placeholder(tf.int64, [None])
    acc, up = tf.metrics.mean_per_class_accuracy(labels, preds, num_classes=3)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        show(sess.run(up, {labels: [0, 2], preds: [1, 2]}))
        expect_error(lambda: sess.run(up, {labels: [0, 3], preds: [1, 2]}))
        show(sess.run(acc))


def case_at_k_sparse_labels(tf, show):
    sp = tf.sparse_placeholder(tf.int64)
    logits = tf.placeholder(tf.float32, [None, 5])
    ms = [
        tf.metrics.precision_at_k(sp, logits, k=2),
        tf.metrics.recall_at_k(sp, logits, k=3),
        tf.metrics.recall_at_k(sp, logits, k=2, class_id=4),
        tf.metrics.average_precision_at_k(sp, logits, k=3),
    ]
    print([(a.name, b.name) for a, b in ms])
    _vars(tf)
    value = tf.SparseTensorValue(
        indices=[[0, 0], [0, 1], [1, 0], [2, 0], [2, 1], [2, 2]],
        values=[1, 4, 3, 0, 2, 2],
        dense_shape=[3, 3],
    )
    value2 = tf.SparseTensorValue(
        indices=[[0, 0], [1, 0], [1, 1]], values=[4, 9, 1], dense_shape=[3, 2]
    )
    logits_v = [[0.1, 0.5, 0.2, 0.9, 0.0], [0.3, 0.1, 0.2, 0.8, 0.7], [0.9, 0.2, 0.3, 0.1, 0.0]]
    feeds = [{sp: value, logits: logits_v}, {sp: value2, logits: logits_v}]
    _steps(tf, show, [m[0] for m in ms], [m[1] for m in ms], feeds)
