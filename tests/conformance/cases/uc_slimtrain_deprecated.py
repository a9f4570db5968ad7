"""``tf.contrib.deprecated``: TF 1.x's TF 0.12 summary functions (``tf.scalar_summary`` ...),
as TF-Slim's Feb 2017 ``train_image_classifier.py``/``model_deploy.py`` call them: op names from
``name_scope(name, "<Op>Summary")``, tags used as given, collections, ``merge_summary``'s op
named ``name`` inside its scope, and the serialized values.
"""


def _summary_values(tf, serialized):
    s = tf.Summary()
    s.ParseFromString(serialized)
    return [(v.tag, v.WhichOneof("value")) for v in s.value]


def case_names_tags_and_collections(tf, show):
    dep = tf.contrib.deprecated
    x = tf.constant([1.0, 2.0, 4.0])
    with tf.name_scope("clone_0"):
        a = dep.scalar_summary("losses/clone_0/loss", tf.reduce_mean(x))
        b = dep.scalar_summary("learning_rate", 0.5, name="learning_rate")
        c = dep.histogram_summary("activations/fc", x)
        d = dep.histogram_summary("w", x, collections=["mine"], name="hist")
        e = dep.scalar_summary(["t1", "t2"], x[:2])
    img = dep.image_summary("image", tf.zeros([2, 3, 3, 1]), max_images=1)
    for t in (a, b, c, d, e, img):
        show([t.name, t.op.type, [i.name for i in t.op.inputs]])
    show([t.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES)])
    show([t.name for t in tf.get_collection("mine")])
    m = dep.merge_summary([a, b, c, e], name="summary_op")
    m2 = dep.merge_summary([a, d])
    m3 = dep.merge_all_summaries()
    for t in (m, m2, m3):
        show([t.name, t.op.type, len(t.op.inputs)])
    show(dep.merge_all_summaries(key="none") is None)
    with tf.Session() as sess:
        out = sess.run([m, m2, img])
    for serialized in out:
        show(_summary_values(tf, serialized))


def case_scalar_values(tf, show):
    dep = tf.contrib.deprecated
    s = dep.scalar_summary(["a", "b"], tf.constant([1.5, -2.0]))
    with tf.Session() as sess:
        summary = tf.Summary()
        summary.ParseFromString(sess.run(s))
    show([(v.tag, v.simple_value) for v in summary.value])


def case_scalar_summary_rejects_mismatched_tags(tf, show, expect_error):
    dep = tf.contrib.deprecated
    s = dep.scalar_summary(tf.constant(["a", "b"]), tf.constant([1.0, 2.0, 3.0]))
    with tf.Session() as sess:
        expect_error(lambda: sess.run(s))
