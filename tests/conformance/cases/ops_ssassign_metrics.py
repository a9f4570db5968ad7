"""tf.contrib.metrics' metrics that keep every value (built on sliced variable assignment):
``streaming_concat`` (variable names and shapes, the concatenation and the array's growth after
each update, ``max_size``, another axis, strings, errors), ``streaming_dynamic_auc`` (ROC/PR,
weights, label checks) and ``auc_with_confidence_intervals`` (weights, ``alpha``, the logit
transformation, updates skipped when the weights sum below 1). The oracle runs tf_slim's copy of
TF 1.15's contrib metric code.
"""


def _names(tf):
    print([(v.name, v.shape) for v in tf.local_variables()])
    print([v.name for v in tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)])


def case_streaming_concat(tf, show):
    m = tf.contrib.slim.metrics
    values = tf.placeholder(tf.int32, [None])
    value, update = m.streaming_concat(values, metrics_collections=["m"],
                                       updates_collections=["u"])  # fmt: skip
    print(value.name, update.name, value.shape, update.shape)
    print([t.name for t in tf.get_collection("m")], [t.name for t in tf.get_collection("u")])
    _names(tf)
    array = tf.local_variables()[0]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        show(sess.run(value))
        for feed in ([0, 1, 2], [3], [4, 5, 6, 7], [], [8, 9], list(range(10, 23))):
            show(sess.run(update, {values: feed}))
            show(sess.run(value), sess.run(array).shape)
        sess.run(tf.local_variables_initializer())
        show(sess.run(value))


def case_streaming_concat_axis_and_max_size(tf, show):
    m = tf.contrib.slim.metrics
    values = tf.placeholder(tf.float32, [2, None])
    value, update = m.streaming_concat(values, axis=1, max_size=5, name="cat")
    print(value.name, update.name, value.shape)
    _names(tf)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for feed in ([[1, 2], [3, 4]], [[5, 6, 7], [8, 9, 10]], [[11], [12]]):
            show(sess.run(update, {values: feed}))
            show(sess.run(value))


def case_streaming_concat_strings_and_2d(tf, show):
    m = tf.contrib.slim.metrics
    s = tf.placeholder(tf.string, [None])
    x = tf.placeholder(tf.float64, [None, 3])
    sv, su = m.streaming_concat(s)
    xv, xu = m.streaming_concat(x, axis=-2)
    print(sv.name, xv.name, xv.shape)
    _names(tf)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for a, b in ((["a", "b"], [[1, 2, 3]]), (["c"], [[4, 5, 6], [7, 8, 9]])):
            sess.run([su, xu], {s: a, x: b})
            show(sess.run([sv, xv]))


def case_streaming_concat_errors(tf, expect_error):
    m = tf.contrib.slim.metrics
    expect_error(lambda: m.streaming_concat(tf.placeholder(tf.float32)))
    expect_error(lambda: m.streaming_concat(tf.placeholder(tf.float32, [3]), axis=1))
    expect_error(lambda: m.streaming_concat(tf.placeholder(tf.float32, [3]), axis=-2))
    expect_error(lambda: m.streaming_concat(tf.placeholder(tf.float32, [3, None])))


def _auc_steps(tf, show, auc, update, feeds, labels, preds, weights=None):
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for feed in feeds:
            fd = {labels: feed[0], preds: feed[1]}
            if weights is not None:
                fd[weights] = feed[2]
            sess.run(update, fd)
            show(sess.run(auc, fd), decimals=5)


_FEEDS = [
    ([0, 1, 1, 0], [0.1, 0.8, 0.4, 0.35], [1.0, 2.0, 0.5, 1.0]),
    ([1, 0, 0], [0.9, 0.4, 0.4], [1.0, 1.0, 3.0]),
    ([1, 1], [0.2, 0.4], [0.0, 1.0]),
]


def case_dynamic_auc(tf, show):
    m = tf.contrib.slim.metrics
    labels = tf.placeholder(tf.int32, [None])
    preds = tf.placeholder(tf.float32, [None])
    w = tf.placeholder(tf.float32, [None])
    roc, roc_up = m.streaming_dynamic_auc(labels, preds, metrics_collections=["m"],
                                          updates_collections=["u"])  # fmt: skip
    pr, pr_up = m.streaming_dynamic_auc(labels, preds, curve="PR", weights=w, name="pr")
    print(roc.name, roc_up.name, roc.dtype, pr.name, pr_up.name)
    print([t.name for t in tf.get_collection("m")], [t.name for t in tf.get_collection("u")])
    _names(tf)
    _auc_steps(tf, show, [roc, pr], [roc_up, pr_up], _FEEDS, labels, preds, w)


def case_dynamic_auc_degenerate_and_errors(tf, show, expect_error):
    m = tf.contrib.slim.metrics
    labels = tf.placeholder(tf.int64, [None])
    preds = tf.placeholder(tf.float64, [None])
    auc, up = m.streaming_dynamic_auc(labels, preds)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        fd = {labels: [1, 1], preds: [0.3, 0.6]}
        show(sess.run(auc, fd))
        sess.run(up, fd)
        show(sess.run(auc, fd))
        expect_error(lambda: sess.run(up, {labels: [2, 0], preds: [0.3, 0.6]}))
        expect_error(lambda: sess.run(up, {labels: [-1, 0], preds: [0.3, 0.6]}))
    expect_error(lambda: m.streaming_dynamic_auc(labels, preds, curve="XX"))
    expect_error(lambda: m.streaming_dynamic_auc(tf.zeros([3]), tf.zeros([4])))


def case_auc_with_confidence_intervals(tf, show):
    m = tf.contrib.slim.metrics
    labels = tf.placeholder(tf.int32, [None])
    preds = tf.placeholder(tf.float32, [None])
    w = tf.placeholder(tf.float32, [None])
    auc, up = m.auc_with_confidence_intervals(labels, preds, metrics_collections=["m"],
                                              updates_collections=["u"])  # fmt: skip
    wauc, wup = m.auc_with_confidence_intervals(labels, preds, weights=w, alpha=0.9,
                                                logit_transformation=False, name="wci")  # fmt: skip
    print(type(auc).__name__, auc.auc.name, auc.lower.name, up.name, wauc.upper.name, wup.name)
    print(auc.auc.dtype, wauc.auc.dtype)
    print(len(tf.get_collection("m")), [t.name for t in tf.get_collection("u")])
    _names(tf)
    _auc_steps(tf, show, [auc, wauc], [up, wup], _FEEDS, labels, preds, w)


def case_auc_with_confidence_intervals_edges(tf, show, expect_error):
    m = tf.contrib.slim.metrics
    labels = tf.placeholder(tf.int64, [None])
    preds = tf.placeholder(tf.float32, [None])
    w = tf.placeholder(tf.float32, [None])
    auc, up = m.auc_with_confidence_intervals(labels, preds, weights=w)
    feeds = [
        ([1, 1, 1], [0.1, 0.5, 0.7], [1.0, 1.0, 1.0]),
        ([0, 1], [0.2, 0.6], [0.3, 0.3]),
        ([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8], [1.0, 1.0, 1.0, 1.0]),
    ]
    _auc_steps(tf, show, auc, up, feeds, labels, preds, w)
    expect_error(lambda: m.auc_with_confidence_intervals(labels, preds, alpha=1.0))
    fd = {labels: [3, 0], preds: [0.1, 0.2], w: [1.0, 1.0]}
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        expect_error(lambda: sess.run(up, fd))
        expect_error(lambda: sess.run(auc, fd))
