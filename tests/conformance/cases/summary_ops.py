"""tf.summary (TF1): op names, tags, collections and the Summary protos the ops produce."""

import importlib.util
from pathlib import Path

import numpy as np

_spec = importlib.util.spec_from_file_location(
    "_summary_proto_text", Path(__file__).with_name("_summary_proto_text.py")
)
_helper = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_helper)
summary_text = _helper.summary_text


def _ops(tf):
    for op in tf.get_default_graph().get_operations():
        print(op.name, op.type, [t.name for t in op.inputs])


def _run(tf, t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


def case_scalar_names_and_tags(tf):
    a = tf.summary.scalar("loss", tf.constant(1.5))
    b = tf.summary.scalar("loss", tf.constant(2.5))
    with tf.name_scope("outer"):
        c = tf.summary.scalar("loss", tf.constant(3.0))
        d = tf.summary.scalar("acc", tf.constant(0.25), family="eval")
    e = tf.summary.scalar("bad name!", tf.constant(1.0), collections=["mine"])
    print([t.name for t in (a, b, c, d, e)])
    print([t.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES)])
    print([t.name for t in tf.get_collection("mine")])
    _ops(tf)
    for t in (a, b, c, d, e):
        print(summary_text(tf, _run(tf, t)))


def case_scalar_dtypes(tf):
    x = tf.placeholder(tf.float64, [])
    s1 = tf.summary.scalar("f64", x)
    s2 = tf.summary.scalar("i32", tf.constant(7))
    s3 = tf.summary.scalar("f16", tf.constant(0.1, tf.float16))
    print(summary_text(tf, _run(tf, s1, {x: 1.0 / 3.0})))
    print(summary_text(tf, _run(tf, s2)))
    print(summary_text(tf, _run(tf, s3)))


def case_scalar_shape_error(tf, expect_error):
    s = tf.summary.scalar("v", tf.placeholder(tf.float32))
    with tf.Session() as sess:
        expect_error(lambda: sess.run(s, {"Placeholder:0": [1.0, 2.0]}), message=False)


def case_histogram_values(tf):
    x = tf.placeholder(tf.float32, [None])
    h = tf.summary.histogram("weights", x)
    print(h.name)
    _ops(tf)
    rng = np.random.RandomState(0)
    for vals in (
        [1.0, 2.0, 3.0, 2.5],
        [0.0, 0.0, -1.5, 1e-13, -1e-13, 7.0],
        rng.randn(50).astype(np.float32) * 3,
        [],
        [1e25, -1e25],
    ):
        print(summary_text(tf, _run(tf, h, {x: vals})))


def case_histogram_large(tf):
    x = tf.placeholder(tf.float32, [None])
    h = tf.summary.histogram("big", x)
    rng = np.random.RandomState(3)
    vals = (rng.randn(20000) * 10.0 ** rng.uniform(-3, 3, 20000)).astype(np.float32)
    print(summary_text(tf, _run(tf, h, {x: vals})))


def case_histogram_int_and_family(tf):
    h = tf.summary.histogram("counts", tf.constant([1, 1, 2, 40, -3]), family="fam")
    print(h.name)
    print(summary_text(tf, _run(tf, h)))


def case_histogram_nan_error(tf, expect_error):
    x = tf.placeholder(tf.float32, [None])
    h = tf.summary.histogram("h", x)
    with tf.Session() as sess:
        expect_error(lambda: sess.run(h, {x: [1.0, float("nan")]}))
        expect_error(lambda: sess.run(h, {x: [float("inf")]}))


def case_image_uint8(tf):
    img = np.arange(2 * 3 * 4 * 3, dtype=np.uint8).reshape(2, 3, 4, 3) * 2
    s = tf.summary.image("pic", tf.constant(img))
    s1 = tf.summary.image("one", tf.constant(img[..., :1]), max_outputs=1)
    print(s.name, s1.name)
    _ops(tf)
    print(summary_text(tf, _run(tf, s)))
    print(summary_text(tf, _run(tf, s1)))


def case_image_float_scaling(tf):
    x = tf.placeholder(tf.float32, [None, 2, 3, None])
    s = tf.summary.image("f", x, max_outputs=4)
    pos = np.linspace(0.0, 2.0, 2 * 2 * 3 * 3).reshape(2, 2, 3, 3).astype(np.float32)
    mixed = np.linspace(-1.0, 0.5, 2 * 3 * 4).reshape(1, 2, 3, 4).astype(np.float32)
    bad = np.ones((1, 2, 3, 3), np.float32)
    bad[0, 0, 1, 2] = np.nan
    bad[0, 1, 0, 0] = np.inf
    zero = np.zeros((1, 2, 3, 1), np.float32)
    for v in (pos, mixed, bad, zero):
        print(summary_text(tf, _run(tf, s, {x: v})))


def case_image_shape_error(tf, expect_error):
    x = tf.placeholder(tf.float32)
    s = tf.summary.image("i", x)
    with tf.Session() as sess:
        expect_error(lambda: sess.run(s, {x: np.zeros((1, 2, 2, 2), np.float32)}))


def case_audio(tf):
    t = np.linspace(-1.2, 1.2, 2 * 30).reshape(2, 30).astype(np.float32)
    s = tf.summary.audio("voice", tf.constant(t), 16000)
    stereo = np.stack([t, -t], axis=-1)
    s2 = tf.summary.audio("stereo", tf.constant(stereo), 8000.5, max_outputs=1)
    print(s.name, s2.name)
    _ops(tf)
    print(summary_text(tf, _run(tf, s)))
    print(summary_text(tf, _run(tf, s2)))


def case_text_and_tensor_summary(tf):
    t = tf.summary.text("note", tf.constant(["hello", "world"]))
    ts = tf.summary.tensor_summary("vec", tf.constant([[1.5, 2.0], [3.0, 4.0]]))
    ti = tf.summary.tensor_summary(
        "ints", tf.constant([1, 2, 3]), summary_description="desc", display_name="Ints"
    )
    print(t.name, ts.name, ti.name)
    _ops(tf)
    print(summary_text(tf, _run(tf, t)))
    print(summary_text(tf, _run(tf, ts)))
    print(summary_text(tf, _run(tf, ti)))


def case_merge_and_merge_all(tf):
    print(tf.summary.merge_all())
    a = tf.summary.scalar("a", tf.constant(1.0))
    b = tf.summary.histogram("b", tf.constant([1.0, 2.0]))
    c = tf.summary.scalar("c", tf.constant(3.0), collections=["other"])
    m = tf.summary.merge_all()
    m2 = tf.summary.merge([a, c], name="pair")
    mo = tf.summary.merge_all(key="other")
    print(m.name, m2.name, mo.name, m.op.type)
    print([t.name for t in m.op.inputs])
    print(summary_text(tf, _run(tf, m)))
    print(summary_text(tf, _run(tf, m2)))
    del b


def case_merge_duplicate_tag_error(tf, expect_error):
    a = tf.summary.scalar("a", tf.constant(1.0))
    m = tf.summary.merge([a, a])
    with tf.Session() as sess:
        expect_error(lambda: sess.run(m))


def case_summary_proto_classes(tf):
    s = tf.Summary(value=[tf.Summary.Value(tag="x", simple_value=2.0)])
    e = tf.Event(wall_time=1.0, step=3, summary=s)
    print(type(s).DESCRIPTOR.full_name, type(e).DESCRIPTOR.full_name)
    print(tf.SessionLog.START, tf.SessionLog.STOP, tf.SessionLog.CHECKPOINT)
    print(e.SerializeToString())
    print(tf.summary.Summary is tf.Summary, tf.summary.Event is tf.Event)
    print(tf.HistogramProto.DESCRIPTOR.full_name, tf.SummaryMetadata.DESCRIPTOR.full_name)


def case_serialized_bytes_identical(tf):
    x = tf.placeholder(tf.float32, [None])
    tf.summary.scalar("s", tf.reduce_sum(x))
    tf.summary.histogram("h", x)
    tf.summary.tensor_summary("t", x)
    m = tf.summary.merge_all()
    out = _run(tf, m, {x: [0.5, -2.0, 3.25, 1e-3]})
    print(type(out).__name__, out)


def case_image_other_dtypes(tf):
    for dt in (tf.float64, tf.float16):
        x = tf.placeholder(dt, [1, 2, 2, 4])
        s = tf.summary.image("img_" + dt.name, x)
        vals = np.array([0.0, 0.25, 0.5, 1.0] * 4, np.float64).reshape(1, 2, 2, 4)
        print(summary_text(tf, _run(tf, s, {x: vals * (3 if dt == tf.float64 else -1)})))


def case_image_rounding_by_dtype(tf):
    rng = np.random.RandomState(7)
    vals = rng.uniform(-3.0, 7.0, (1, 4, 5, 3))
    for dt in (tf.float64, tf.float32, tf.float16):
        x = tf.placeholder(dt, [1, 4, 5, 3])
        s = tf.summary.image("r_" + dt.name, x)
        print(summary_text(tf, _run(tf, s, {x: vals})))
