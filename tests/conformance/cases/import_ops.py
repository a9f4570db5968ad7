"""Ops of real TF1 artifacts (issue 12): non-max suppression V2-V5 and the string ops of input
signatures; names, shapes, values and errors."""

import numpy as np


def _run(tf, show, *tensors, feed=None):
    with tf.Session() as sess:
        show(sess.run(list(tensors), feed_dict=feed))


def _boxes():
    rng = np.random.default_rng(21)
    yx = rng.uniform(0, 0.7, size=(24, 2))
    hw = rng.uniform(0.05, 0.4, size=(24, 2))
    b = np.concatenate([yx, yx + hw], axis=1).astype(np.float32)
    b[3] = b[3][[2, 3, 0, 1]]  # corners given max-first
    b[5] = [0.2, 0.2, 0.2, 0.5]  # an empty box
    b[7] = b[6]  # a duplicate
    s = rng.uniform(0, 1, size=24).astype(np.float32)
    s[9] = s[10]  # a tie
    return b, s


def case_nms_names_and_shapes(tf, show):
    b, s = _boxes()
    boxes, scores = tf.constant(b), tf.constant(s)
    v3 = tf.image.non_max_suppression(boxes, scores, 10)
    v3b = tf.image.non_max_suppression(boxes, scores, 10, 0.3, 0.2, name="nms")
    v5 = tf.image.non_max_suppression_with_scores(boxes, scores, 8, soft_nms_sigma=0.5)
    for t in [v3, v3b, *v5]:
        print(t.name, t.shape, t.dtype.name)
    print(v3.op.type, v5[0].op.type)


def case_nms_v3_values(tf, show):
    b, s = _boxes()
    boxes, scores = tf.constant(b), tf.constant(s)
    outs = [
        tf.image.non_max_suppression(boxes, scores, 30),
        tf.image.non_max_suppression(boxes, scores, 30, iou_threshold=0.1),
        tf.image.non_max_suppression(boxes, scores, 5, iou_threshold=0.6),
        tf.image.non_max_suppression(boxes, scores, 30, 0.5, score_threshold=0.4),
        tf.image.non_max_suppression(boxes, scores, 0),
        tf.image.non_max_suppression(boxes, scores, 30, iou_threshold=1.0),
    ]
    _run(tf, show, *outs)


def case_nms_soft_nms_scores(tf, show):
    b, s = _boxes()
    sel, sc = tf.image.non_max_suppression_with_scores(
        b, s, 15, iou_threshold=0.5, score_threshold=0.1, soft_nms_sigma=0.3
    )
    hard, hsc = tf.image.non_max_suppression_with_scores(b, s, 15, 0.5, 0.1)
    _run(tf, show, sel, sc, hard, hsc)


def case_nms_errors(tf, show, expect_error):
    b, s = _boxes()
    expect_error(lambda: tf.image.non_max_suppression(np.zeros([4, 3], np.float32), s[:4], 2))
    iou = tf.placeholder(tf.float32, [])
    sel = tf.image.non_max_suppression(b, s, 3, iou_threshold=iou)
    expect_error(lambda: tf.Session().run(sel, {iou: 1.5}), message=False)


def case_string_length_and_number(tf, show):
    x = tf.constant(["ab", "\u00e9t\u00e9", ""])
    n = tf.constant([" 1.5", "-2e3", "inf", "7"])
    i = tf.constant(["12", " -3 ", "+4"])
    outs = [
        tf.strings.length(x),
        tf.strings.length(x, unit="UTF8_CHAR"),
        tf.string_to_number(n),
        tf.strings.to_number(n, tf.float64),
        tf.string_to_number(i, tf.int32),
        tf.strings.to_number(i, out_type=tf.int64),
    ]
    for t in outs:
        print(t.name, t.shape, t.dtype.name)
    _run(tf, show, *outs)


def case_string_to_number_errors(tf, show, expect_error):
    for bad, dt in [("1.5", tf.int32), ("abc", tf.float32), ("99999999999", tf.int32)]:
        t = tf.string_to_number(tf.constant([bad]), dt)
        expect_error(lambda t=t: tf.Session().run(t))


def case_as_string(tf, show):
    f = tf.constant([1.5, -0.25, 1234.5678])
    outs = [
        tf.as_string(f),
        tf.as_string(f, precision=2),
        tf.as_string(f, scientific=True),
        tf.as_string(f, shortest=True),
        tf.as_string(f, precision=1, width=9),
        tf.as_string(tf.constant([7, -12]), width=5, fill="0"),
        tf.as_string(tf.constant([True, False])),
        tf.strings.as_string(tf.constant([3], tf.int64)),
    ]
    print(outs[0].name, outs[0].dtype.name)
    _run(tf, show, *outs)


def case_substr_join_regex(tf, show):
    x = tf.constant(["hello", "world", "tf"])
    outs = [
        tf.substr(x, 1, 3),
        tf.substr(x, -2, 2),
        tf.strings.substr(x, tf.constant([0, 1, 0]), tf.constant([2, 10, 1])),
        tf.string_join([x, "!"], separator="-"),
        tf.strings.join([x, x]),
        tf.regex_replace(x, "[lo]+", "#"),
        tf.strings.regex_replace(x, "(l+)", r"<\1>", replace_global=False),
        tf.regex_replace(x, "o", r"\0\0"),
        tf.regex_replace(x, tf.constant("[eo]"), tf.constant("_")),
    ]
    print(outs[0].name, outs[3].name, outs[5].name)
    _run(tf, show, *outs)


def case_substr_out_of_range(tf, show, expect_error):
    t = tf.substr(tf.constant(["abc"]), 5, 1)
    expect_error(lambda: tf.Session().run(t), message=False)


def case_base64(tf, show):
    x = tf.constant([b"hi", b"\xff\xfe data", b""])
    enc = tf.encode_base64(x)
    pad = tf.encode_base64(x, pad=True)
    dec = tf.decode_base64(enc)
    dec_pad = tf.io.decode_base64(pad)
    print(enc.name, dec.name)
    _run(tf, show, enc, pad, dec, dec_pad)


def case_string_split(tf, show):
    x = tf.constant(["a b  c", "", "d,e"])
    for sp in [tf.string_split(x), tf.string_split(x, ", "), tf.string_split(x, skip_empty=False),
               tf.string_split(x, "")]:  # fmt: skip
        print(sp.indices.name, sp.values.shape)
        _run(tf, show, sp.indices, sp.values, sp.dense_shape)
