"""Ops fixed on the way to slim's data pipeline (issue 7): ``is_jpeg``, ``decode_image(dtype)``,
``tf.case(exclusive=True)``, ``decode_jpeg(channels=4)`` on a PNG, a tensor ``default_value`` in
``parse_example``, ``SparseTensor.eval``, ``sparse_reshape``'s static shape, and a batch whose
enqueue reads an empty queue next to an exhausted ``count_up_to`` (OutOfRange, no hang)."""

import struct
import zlib

import numpy as np


def _png(pixels):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    h, w, _ = pixels.shape
    color = {3: 2, 4: 6}[pixels.shape[2]]
    rows = b"".join(b"\x00" + pixels[y].tobytes() for y in range(h))
    header = struct.pack(">IIBBBBB", w, h, 8, color, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


PIXELS = (np.arange(2 * 3 * 4).reshape(2, 3, 4) * 11 % 256).astype(np.uint8)


def case_is_jpeg(tf, show):
    s = tf.placeholder(tf.string, [])
    a = tf.image.is_jpeg(s)
    b = tf.io.is_jpeg(s, name="named")
    show(a.name, b.name, a.dtype.name, a.shape.as_list())
    with tf.Session() as sess:
        for data in (b"\xff\xd8\xff\xe0rest", _png(PIXELS[:, :, :3]), b"\xff\xd8", b""):
            show(sess.run(a, {s: data}))


def case_decode_image_dtypes(tf, show):
    data = tf.constant(_png(PIXELS[:, :, :3]))
    outs = [tf.image.decode_image(data, dtype=dt) for dt in (tf.uint8, tf.uint16, tf.float32)]
    show([(o.name, o.dtype.name) for o in outs])
    with tf.Session() as sess:
        for v in sess.run(outs):
            show(v)


def case_decode_jpeg_four_channels_of_png(tf, show, expect_error):
    png = tf.constant(_png(PIXELS))
    four = tf.image.decode_jpeg(png, channels=4)
    show(four.shape.as_list())
    with tf.Session() as sess:
        show(sess.run(tf.image.decode_png(png, channels=4)))
        jpeg = tf.image.encode_jpeg(tf.constant(PIXELS[:, :, :3]))
        expect_error(lambda: sess.run(tf.image.decode_jpeg(jpeg, channels=4)))


def case_case_exclusive(tf, show, expect_error):
    x = tf.placeholder(tf.int32, [])
    r = tf.case(
        [(tf.equal(x, 1), lambda: tf.constant(10)), (tf.equal(x, 2), lambda: tf.constant(20))],
        default=lambda: tf.constant(0),
        exclusive=True,
    )
    names = [o.name for o in tf.get_default_graph().get_operations()]
    show(r.name, [n for n in names if n.startswith("case/") and "/cond" not in n][:6])
    y = tf.placeholder(tf.int32, [])
    overlapping = tf.case(
        [(tf.equal(y, 1), lambda: tf.constant(10)), (tf.greater(y, 0), lambda: tf.constant(20))],
        default=lambda: tf.constant(0),
        exclusive=True,
    )
    with tf.Session() as sess:
        show([sess.run(r, {x: v}) for v in (1, 2, 5)])
        show(sess.run(overlapping, {y: 3}))
        expect_error(lambda: sess.run(overlapping, {y: 1}))


def case_parse_tensor_default(tf, show):
    example = tf.train.Example(
        features=tf.train.Features(
            feature={"other": tf.train.Feature(int64_list=tf.train.Int64List(value=[1]))}
        )
    ).SerializeToString()
    s = tf.placeholder(tf.string, [])
    parsed = tf.parse_single_example(
        s,
        {
            "label": tf.FixedLenFeature([], tf.int64, default_value=tf.zeros([], dtype=tf.int64)),
            "vec": tf.FixedLenFeature([2], tf.float32, default_value=tf.ones([2])),
            "other": tf.VarLenFeature(tf.int64),
        },
    )
    with tf.Session() as sess:
        show(sess.run(parsed["label"], {s: example}), sess.run(parsed["vec"], {s: example}))
        show(parsed["other"].eval(session=sess, feed_dict={s: example}))
        with sess.as_default():
            show(parsed["other"].eval(feed_dict={s: example}))


def case_sparse_reshape_static_shape(tf, show):
    s = tf.placeholder(tf.string, [])
    sp = tf.parse_single_example(s, {"a": tf.VarLenFeature(tf.int64)})["a"]
    r = tf.sparse.reshape(sp, [4, 1])
    show(sp.shape.as_list(), r.shape.as_list(), tf.sparse_tensor_to_dense(r).shape.as_list())
    known = tf.sparse.reshape(tf.SparseTensor([[0]], [1], [4]), [-1, 2])
    show(known.shape.as_list(), tf.sparse_tensor_to_dense(known).shape.as_list())


def case_batch_of_dequeue_and_exhausted_counter(tf, show, expect_error):
    q = tf.FIFOQueue(capacity=4, dtypes=[tf.int32], shapes=[[]])
    counter = tf.Variable(tf.constant(0, dtype=tf.int64)).count_up_to(2)
    batch = tf.train.batch([q.dequeue(), counter], batch_size=2, num_threads=1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(q.enqueue_many([[5, 6]]))
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord=coord)
        show(sess.run(batch))
        expect_error(lambda: sess.run(batch))
        coord.request_stop()
        coord.join(threads)


def _sequence_example(tf):
    def floats(values):
        return tf.train.Feature(float_list=tf.train.FloatList(value=values))

    return tf.train.SequenceExample(
        context=tf.train.Features(
            feature={
                "v": tf.train.Feature(int64_list=tf.train.Int64List(value=[4, 5])),
                "s": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"ctx"])),
            }
        ),
        feature_lists=tf.train.FeatureLists(
            feature_list={
                "fl": tf.train.FeatureList(feature=[floats([1, 2]), floats([3, 4])]),
                "vl": tf.train.FeatureList(feature=[floats([1]), floats([]), floats([7, 8, 9])]),
            }
        ),
    ).SerializeToString()


def case_parse_single_sequence_example(tf, show, expect_error):
    s = tf.placeholder(tf.string, [])
    context, lists = tf.parse_single_sequence_example(
        s,
        {
            "s": tf.FixedLenFeature([], tf.string, default_value=""),
            "d": tf.FixedLenFeature([2], tf.int64, default_value=[7, 8]),
            "v": tf.VarLenFeature(tf.int64),
        },
        {
            "fl": tf.FixedLenSequenceFeature([2], tf.float32),
            "vl": tf.VarLenFeature(tf.float32),
            "none": tf.FixedLenSequenceFeature([], tf.int64, allow_missing=True),
        },
    )
    flat = {**{f"c_{k}": v for k, v in context.items()}, **{f"f_{k}": v for k, v in lists.items()}}
    for k in sorted(flat):
        v = flat[k]
        parts = [v.indices, v.values, v.dense_shape] if hasattr(v, "indices") else [v]
        show(k, [(p.name, p.dtype.name, p.shape.as_list()) for p in parts])
    with tf.Session() as sess:
        got = sess.run(flat, {s: _sequence_example(tf)})
        for k in sorted(got):
            show(k, got[k])
        _, required = tf.parse_single_sequence_example(
            s, sequence_features={"missing": tf.FixedLenSequenceFeature([], tf.int64)}
        )
        expect_error(lambda: sess.run(required, {s: _sequence_example(tf)}))


def case_shape_of_sparse_tensor(tf, show):
    sp = tf.SparseTensor([[0, 1]], [1.0], [3, 4])
    a = tf.shape(sp)
    b = tf.shape(sp, out_type=tf.int64, name="named")
    show(a.name, a.dtype.name, b.name, b.dtype.name)
    with tf.Session() as sess:
        show(sess.run([a, b]))


def case_sequence_example_decoder(tf, show):
    ted = tf.contrib.slim.tfexample_decoder
    decoder = ted.TFSequenceExampleDecoder(
        {"s": tf.FixedLenFeature([], tf.string, default_value="")},
        {
            "fl": tf.FixedLenSequenceFeature([2], tf.float32),
            "vl": tf.VarLenFeature(tf.float32),
        },
        {
            "s": ted.Tensor("s"),
            "fl": ted.Tensor("fl"),
            "num": ted.NumBoxesSequence(["vl"], check_consistency=False),
            "points": ted.KeypointsSequence(["vl", "vl"], prefix=""),
        },
    )
    names = ["s", "fl", "num", "points"]
    s = tf.placeholder(tf.string, [])
    outs = decoder.decode(s, names)
    for n, t in zip(names, outs, strict=True):
        show(n, t.name, t.dtype.name, t.shape.as_list() if t.shape.ndims is not None else None)
    with tf.Session() as sess:
        for n, v in zip(names, sess.run(outs, {s: _sequence_example(tf)}), strict=True):
            show(n, v)


def case_image_handler_variants(tf, show):
    ted = tf.contrib.slim.tfexample_decoder
    a, b = PIXELS[:, :, :3], PIXELS[::-1, :, 1:]
    raw = np.arange(12, dtype=np.float32).reshape(2, 2, 3)

    def bytes_feature(values):
        return tf.train.Feature(bytes_list=tf.train.BytesList(value=values))

    example = tf.train.Example(
        features=tf.train.Features(
            feature={
                "pngs": bytes_feature([_png(a), _png(np.ascontiguousarray(b))]),
                "png_format": bytes_feature([b"png"]),
                "raw": bytes_feature([raw.tobytes()]),
                "raw_format": bytes_feature([b"raw"]),
            }
        )
    ).SerializeToString()
    decoder = ted.TFExampleDecoder(
        {
            "pngs": tf.VarLenFeature(tf.string),
            "png_format": tf.FixedLenFeature((), tf.string),
            "raw": tf.FixedLenFeature((), tf.string),
            "raw_format": tf.FixedLenFeature((), tf.string),
        },
        {
            "raw": ted.Image("raw", "raw_format", shape=[2, 2, 3], dtype=tf.float32),
        },
    )
    s = tf.placeholder(tf.string, [])
    # a repeated image reads a dense vector of encoded images
    parsed_decoder = ted.TFExampleDecoder(
        {
            "pngs": tf.FixedLenFeature([2], tf.string),
            "png_format": tf.FixedLenFeature((), tf.string),
        },
        {
            "repeated": ted.Image("pngs", "png_format", repeated=True),
            "wide": ted.Image("pngs", "png_format", repeated=True, dtype=tf.uint16),
        },
    )
    repeated, wide = parsed_decoder.decode(s, ["repeated", "wide"])
    [raw_image] = decoder.decode(s, ["raw"])
    for t in (repeated, wide, raw_image):
        show(t.name, t.dtype.name, t.shape.as_list() if t.shape.ndims is not None else None)
    with tf.Session() as sess:
        for v in sess.run([repeated, wide, raw_image], {s: example}):
            show(v)
