"""slim.metrics (tf.contrib.metrics' streaming metrics), slim.learning's train op and Supervisor
training loop, and slim.evaluation on the checkpoint it wrote, against TF 1.15's contrib code
(tf_slim under the TF oracle): variable and op names, update semantics (values after each
update), the loss after a few training steps, and the evaluated metrics.
"""

import tempfile
from pathlib import Path

import numpy as np


def _run_updates(tf, show, values, updates, feeds, decimals=5):
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for feed in feeds:
            for v in sess.run(updates, feed):
                show(v, decimals=decimals)
            for v in sess.run(values):
                show(v, decimals=decimals)


def case_streaming_basic_names_and_updates(tf, show):
    m = tf.contrib.slim.metrics
    p = tf.placeholder(tf.float32, [4])
    lab = tf.placeholder(tf.float32, [4])
    w = tf.placeholder(tf.float32, [4])
    pairs = [
        m.streaming_accuracy(tf.round(p), lab),
        m.streaming_mean(p, weights=w),
        m.streaming_precision(tf.round(p), lab),
        m.streaming_recall(tf.round(p), lab, name="rec"),
        m.streaming_mean_absolute_error(p, lab),
        m.streaming_root_mean_squared_error(p, lab, weights=w),
        m.streaming_auc(p, lab, num_thresholds=5),
        m.streaming_percentage_less(p, 0.5),
        m.streaming_true_positives(tf.round(p), lab),
        m.streaming_false_positive_rate(tf.round(p), lab),
        m.streaming_false_negative_rate(tf.round(p), lab),
    ]
    print([v.op.name for v in tf.local_variables()])
    print([(a.op.name, b.op.name) for a, b in pairs])
    feeds = [
        {p: [0.1, 0.8, 0.6, 0.3], lab: [0, 1, 0, 1], w: [1, 2, 0.5, 1]},
        {p: [0.9, 0.2, 0.7, 0.4], lab: [1, 0, 1, 1], w: [0, 1, 1, 3]},
    ]
    _run_updates(tf, show, [a for a, _ in pairs], [b for _, b in pairs], feeds)


def case_streaming_thresholds_and_topk(tf, show):
    m = tf.contrib.slim.metrics
    p = tf.placeholder(tf.float32, [5])
    lab = tf.placeholder(tf.int64, [5])
    logits = tf.placeholder(tf.float32, [3, 4])
    cls = tf.placeholder(tf.int64, [3])
    th = [0.25, 0.5, 0.75]
    pairs = [
        m.streaming_true_positives_at_thresholds(p, lab, th),
        m.streaming_false_negatives_at_thresholds(p, lab, th),
        m.streaming_false_positive_rate_at_thresholds(p, lab, th),
        m.streaming_false_negative_rate_at_thresholds(p, lab, th, name="fnr"),
        m.streaming_precision_at_thresholds(p, lab, th),
        m.streaming_recall_at_k(logits, cls, 2),
        m.streaming_sparse_recall_at_k(logits, tf.expand_dims(cls, 1), 2),
        m.streaming_sparse_precision_at_k(logits, tf.expand_dims(cls, 1), 1),
        m.streaming_mean_iou(tf.argmax(logits, 1), cls, 4),
    ]
    print([v.op.name for v in tf.local_variables()])
    print([(a.op.name, b.op.name) for a, b in pairs])
    rs = np.random.RandomState(3)
    feeds = [
        {p: rs.uniform(size=5), lab: rs.randint(0, 2, 5), logits: rs.randn(3, 4),
         cls: rs.randint(0, 4, 3)}
        for _ in range(2)
    ]  # fmt: skip
    _run_updates(tf, show, [a for a, _ in pairs], [b for _, b in pairs], feeds)


def case_streaming_covariance_pearson_cosine(tf, show):
    m = tf.contrib.slim.metrics
    p = tf.placeholder(tf.float32, [3, 2])
    lab = tf.placeholder(tf.float32, [3, 2])
    pairs = [
        m.streaming_covariance(p, lab),
        m.streaming_pearson_correlation(p, lab, weights=tf.constant([[1.0, 2.0]] * 3)),
        m.streaming_mean_cosine_distance(tf.nn.l2_normalize(p, 1), tf.nn.l2_normalize(lab, 1), 1),
    ]
    print([v.op.name for v in tf.local_variables()])
    print([(a.op.name, b.op.name) for a, b in pairs])
    rs = np.random.RandomState(5)
    feeds = [{p: rs.randn(3, 2), lab: rs.randn(3, 2)} for _ in range(3)]
    _run_updates(tf, show, [a for a, _ in pairs], [b for _, b in pairs], feeds)


def case_aggregate_metrics(tf, show, expect_error):
    m = tf.contrib.slim.metrics
    x = tf.constant([1.0, 2.0, 4.0])
    names_to_values, names_to_updates = m.aggregate_metric_map(
        {"mean": m.streaming_mean(x), "mse": m.streaming_mean_squared_error(x, x * 0.5)}
    )
    print(sorted((k, v.op.name) for k, v in names_to_values.items()))
    print(sorted((k, v.op.name) for k, v in names_to_updates.items()))
    values, updates = m.aggregate_metrics(m.streaming_mean(x, name="a"), m.streaming_mean(-x))
    print([v.op.name for v in values], [u.op.name for u in updates])
    expect_error(m.aggregate_metrics)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        sess.run([names_to_updates, updates])
        for v in sess.run([names_to_values["mean"], names_to_values["mse"], *values]):
            show(v)


def _tiny_model(tf):
    slim = tf.contrib.slim
    rs = np.random.RandomState(0)
    x = tf.constant(rs.randn(16, 4).astype(np.float32))
    y = tf.constant(rs.randint(0, 3, 16).astype(np.int64))
    net = slim.fully_connected(
        x, 5, scope="fc1", normalizer_fn=slim.batch_norm,
        weights_initializer=tf.constant_initializer(rs.uniform(-1, 1, (4, 5))),
    )  # fmt: skip
    logits = slim.fully_connected(
        net, 3, activation_fn=None, scope="fc2",
        weights_initializer=tf.constant_initializer(rs.uniform(-1, 1, (5, 3))),
    )  # fmt: skip
    return logits, y


def case_create_train_op_names(tf, show):
    slim = tf.contrib.slim
    logits, y = _tiny_model(tf)
    loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
    opt = tf.train.MomentumOptimizer(0.1, 0.9)
    train_op = slim.learning.create_train_op(
        loss, opt, clip_gradient_norm=0.5, summarize_gradients=True,
        gradient_multipliers={"fc2/weights": 2.0},
    )  # fmt: skip
    print(train_op.name, train_op.op.type, [t.name for t in tf.get_collection("train_op")])
    print([v.op.name for v in tf.global_variables()])
    print(sorted(s.op.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)))
    ops = [o.name for o in tf.get_default_graph().get_operations()]
    print([n for n in ops if n.startswith(("multiply_grads", "train_op"))])
    # one clip_by_norm scope per gradient (their inner ops follow TF's clip_ops version)
    print(sorted({"/".join(n.split("/")[:2]) for n in ops if n.startswith("clip_grads")}))
    print([n for n in ops if "update_barrier" in n])


def case_learning_train_then_evaluate_once(tf, show):
    slim = tf.contrib.slim
    logdir = tempfile.mkdtemp()
    with tf.Graph().as_default():
        logits, y = _tiny_model(tf)
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        tf.summary.scalar("loss", loss)
        train_op = slim.learning.create_train_op(loss, tf.train.GradientDescentOptimizer(0.5))
        final_loss = slim.learning.train(
            train_op, logdir, number_of_steps=6, save_summaries_secs=0, save_interval_secs=0
        )
        show(final_loss)
    checkpoint = tf.train.latest_checkpoint(logdir)
    print(Path(checkpoint).name)
    print(sorted(name for name, _ in tf.train.list_variables(checkpoint)))
    show(tf.train.load_variable(checkpoint, "fc2/weights"))
    show(tf.train.load_variable(checkpoint, "fc1/BatchNorm/moving_mean"))
    with tf.Graph().as_default():
        logits, y = _tiny_model(tf)
        tf.train.get_or_create_global_step()
        predictions = tf.argmax(logits, 1)
        names_to_values, names_to_updates = slim.metrics.aggregate_metric_map({
            "accuracy": slim.metrics.streaming_accuracy(predictions, y),
            "recall_at_2": slim.metrics.streaming_recall_at_k(logits, y, 2),
        })  # fmt: skip
        for name, value in names_to_values.items():
            tf.summary.scalar(name, value)
        eval_dir = tempfile.mkdtemp()
        result = slim.evaluation.evaluate_once(
            "", checkpoint, eval_dir, num_evals=3,
            eval_op=list(names_to_updates.values()),
            final_op=[names_to_values["accuracy"], names_to_values["recall_at_2"]],
        )  # fmt: skip
        for v in result:
            show(v)
        events = [f for f in Path(eval_dir).iterdir() if f.name.startswith("events.out")]
        tags = []
        for event in tf.train.summary_iterator(str(events[0])):
            tags.extend((event.step, v.tag, round(v.simple_value, 5)) for v in event.summary.value)
        print(sorted(tags))


def case_learning_train_errors(tf, show, expect_error):
    slim = tf.contrib.slim
    logits, y = _tiny_model(tf)
    loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
    train_op = slim.learning.create_train_op(loss, tf.train.GradientDescentOptimizer(0.5))
    expect_error(lambda: slim.learning.train(None, "/tmp/x"))
    expect_error(lambda: slim.learning.train(train_op, None, summary_op=tf.constant("")))
    expect_error(lambda: slim.learning.train(train_op, None, number_of_steps=0))
    expect_error(lambda: slim.learning.multiply_gradients((), {"a": 1.0}))
    expect_error(lambda: slim.learning.multiply_gradients([], {}))


def case_curve_points_recall_precision_kappa(tf, show, expect_error):
    m = tf.contrib.slim.metrics
    p = tf.placeholder(tf.float32, [6])
    lab = tf.placeholder(tf.int64, [6])
    pred_idx = tf.placeholder(tf.int64, [6])
    pairs = [
        m.streaming_curve_points(lab, p, num_thresholds=5),
        m.streaming_curve_points(lab, p, num_thresholds=4, curve="PR", name="pr"),
        m.recall_at_precision(lab, p, 0.6, num_thresholds=7),
        m.recall_at_precision(lab, p, 0.9, num_thresholds=7, strict_mode=True, name="strict"),
        m.precision_at_recall(lab, p, 0.5, num_thresholds=7),
        m.cohen_kappa(lab, pred_idx, 3),
        m.cohen_kappa(lab, pred_idx, 3, weights=tf.constant([1.0, 2, 1, 1, 0.5, 1]), name="wk"),
    ]
    print([v.op.name for v in tf.local_variables()])
    print([(a.op.name, b.name) for a, b in pairs])
    expect_error(lambda: m.streaming_curve_points(lab, p, curve="XY"))
    expect_error(lambda: m.recall_at_precision(lab, p, 1.5))
    expect_error(lambda: m.cohen_kappa(lab, pred_idx, 1))
    rs = np.random.RandomState(8)
    feeds = [
        {p: rs.uniform(size=6), lab: rs.randint(0, 2, 6), pred_idx: rs.randint(0, 3, 6)}
        for _ in range(2)
    ]
    values = [a for a, _ in pairs]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for feed in feeds:
            sess.run([b for _, b in pairs], feed)
            for v in sess.run(values):
                show(v, decimals=5)


def case_evaluation_loop_and_checkpoint_polling(tf, show, expect_error):
    slim = tf.contrib.slim
    logdir = tempfile.mkdtemp()
    print(slim.evaluation.wait_for_new_checkpoint(logdir, timeout=0.2))
    with tf.Graph().as_default():
        logits, y = _tiny_model(tf)
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        train_op = slim.learning.create_train_op(loss, tf.train.AdamOptimizer(0.05))
        # no checkpoint/summary threads: their first save races with the final one (in TF too)
        show(slim.learning.train(train_op, logdir, number_of_steps=3, log_every_n_steps=0,
                                 save_summaries_secs=0, save_interval_secs=0))  # fmt: skip
    found = list(slim.evaluation.checkpoints_iterator(logdir, timeout=0.2))
    print([Path(p).name for p in found])
    with tf.Graph().as_default():
        logits, y = _tiny_model(tf)
        tf.train.get_or_create_global_step()
        mean_loss, update = slim.metrics.streaming_mean(
            tf.losses.sparse_softmax_cross_entropy(y, logits)
        )
        result = slim.evaluation.evaluation_loop(
            "", logdir, tempfile.mkdtemp(), num_evals=2, eval_op=update, final_op=mean_loss,
            summary_op=None, eval_interval_secs=0, max_number_of_evaluations=1,
            variables_to_restore=slim.get_variables_to_restore(),
        )  # fmt: skip
        show(result)
        # restoring without global_step leaves it uninitialized: TF's readiness error
        expect_error(lambda: slim.evaluation.evaluate_once(
            "", found[0], tempfile.mkdtemp(), eval_op=update, final_op=mean_loss,
            variables_to_restore=slim.get_variables_to_restore(exclude=["global_step"]),
        ))  # fmt: skip


def _first_error_line(fn):
    try:
        fn()
    except Exception as e:
        print(type(e).__name__, str(e).splitlines()[0][:40])
    else:
        print("no error")


def case_metric_input_checks(tf, show):
    m = tf.contrib.slim.metrics
    out_of_range = tf.constant([1, -1, 1, -1], shape=(1, 4), dtype=tf.float32)
    _first_error_line(
        lambda: m.streaming_auc(out_of_range, tf.constant([0, 1, 1, 0], shape=(1, 4)))
    )
    _first_error_line(
        lambda: m.streaming_mean_iou(tf.ones([10]), tf.ones([10]), 2, weights=tf.zeros([9]))
    )
    labels = tf.SparseTensorValue(
        np.array([[0], [1], [2]], np.int64), np.array([2, 7, 8], np.int64), np.array([10], np.int64)
    )
    _first_error_line(
        lambda: m.streaming_sparse_precision_at_top_k(
            tf.constant([9, 4, 6, 2, 0], tf.int64), labels
        )
    )
    value, update = m.streaming_auc(tf.constant([0.2, 0.9, 0.4]), tf.constant([0, 1, 1]))
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        sess.run(update)
        show(sess.run(value))


def case_sparse_average_precision_at_top_k(tf, show):
    m = tf.contrib.slim.metrics
    top_k = tf.placeholder(tf.int64, [2, 3])
    labels = tf.placeholder(tf.int64, [2, 2])
    pairs = [
        m.streaming_sparse_average_precision_at_top_k(top_k, labels),
        m.streaming_sparse_average_precision_at_top_k(
            top_k, labels, weights=tf.constant([0.5, 2.0], tf.float64), name="w"
        ),
    ]
    print([v.op.name for v in tf.local_variables()])
    print([(a.op.name, b.op.name) for a, b in pairs])
    feeds = [
        {top_k: [[3, 1, 0], [2, 4, 1]], labels: [[1, 0], [4, 5]]},
        {top_k: [[0, 1, 2], [5, 3, 4]], labels: [[2, 2], [0, 3]]},
    ]
    _run_updates(tf, show, [a for a, _ in pairs], [b for _, b in pairs], feeds)


def case_precision_recall_at_equal_thresholds(tf, show, expect_error):
    m = tf.contrib.slim.metrics
    p = tf.placeholder(tf.float32, [6])
    lab = tf.placeholder(tf.bool, [6])
    data, update = m.precision_recall_at_equal_thresholds(lab, p, num_thresholds=5)
    weighted, w_update = m.precision_recall_at_equal_thresholds(
        lab, p, weights=tf.constant([1.0, 0.5, 2.0, 1.0, 0.0, 1.0]), num_thresholds=4, name="w"
    )
    print([v.op.name for v in tf.local_variables()], update.name, data._fields)
    print([t.op.name for t in data])
    expect_error(lambda: m.precision_recall_at_equal_thresholds(tf.constant([1, 0]), p))
    rs = np.random.RandomState(11)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for _ in range(2):
            sess.run([update, w_update], {p: rs.uniform(size=6), lab: rs.uniform(size=6) > 0.5})
            for v in sess.run([*data, *weighted]):
                show(v, decimals=5)


def case_contrib_training_train_and_evaluate_repeatedly(tf, show):
    training = tf.contrib.training
    logdir = tempfile.mkdtemp()
    with tf.Graph().as_default():
        logits, y = _tiny_model(tf)
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        train_op = training.create_train_op(
            loss, tf.train.GradientDescentOptimizer(0.3), summarize_gradients=True,
            transform_grads_fn=training.clip_gradient_norms_fn(0.2),
        )  # fmt: skip
        print(sorted(s.op.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)))
        grads = [(tf.constant([1.0, 2.0]), tf.get_variable("v", [2]))]
        print([g.op.name for g, _ in training.multiply_gradients(grads, {"v": 3.0})])
        final = training.train(
            train_op, logdir, hooks=[tf.train.StopAtStepHook(num_steps=4)],
            save_checkpoint_secs=3600, save_summaries_steps=None,
        )  # fmt: skip
        show(final)
    with tf.Graph().as_default():
        logits, y = _tiny_model(tf)
        tf.train.get_or_create_global_step()
        value, update = tf.contrib.metrics.streaming_pearson_correlation(
            tf.reduce_max(logits, 1), tf.cast(y, tf.float32)
        )
        tf.summary.scalar("pearson", value)
        eval_dir = tempfile.mkdtemp()
        result = training.evaluate_repeatedly(
            logdir, eval_ops=update, final_ops={"r": value},
            hooks=[training.StopAfterNEvalsHook(2), training.SummaryAtEndHook(eval_dir)],
            max_number_of_evaluations=1, eval_interval_secs=0, timeout=5,
        )  # fmt: skip
        show(result["r"])
        print([Path(p).name for p in training.checkpoints_iterator(logdir, timeout=0.2)])
