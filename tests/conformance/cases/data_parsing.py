"""tf.train.Example protos, tf.parse_example / parse_single_example, tf.decode_raw, tf.read_file."""

import tempfile
from pathlib import Path


def _example(tf, **feats):
    def feature(v):
        if isinstance(v[0], float):
            return tf.train.Feature(float_list=tf.train.FloatList(value=v))
        if isinstance(v[0], int):
            return tf.train.Feature(int64_list=tf.train.Int64List(value=v))
        return tf.train.Feature(bytes_list=tf.train.BytesList(value=v))

    return tf.train.Example(
        features=tf.train.Features(feature={k: feature(v) for k, v in feats.items()})
    )


def _show_parsed(show, out):
    for k in sorted(out):
        v = out[k]
        if hasattr(v, "indices"):
            show(k, v.indices, v.values, v.dense_shape)
        else:
            show(k, v)


def case_example_proto_bytes(tf, show):
    ex = _example(tf, a=[1.0, 2.5], b=[5, -6, 7], c=[b"x", b"yz"])
    show(ex.SerializeToString(deterministic=True).hex())
    show(type(ex).DESCRIPTOR.full_name, tf.train.Feature.DESCRIPTOR.full_name)
    seq = tf.train.SequenceExample()
    seq.context.feature["len"].int64_list.value.append(3)
    for i in range(2):
        seq.feature_lists.feature_list["tok"].feature.add().int64_list.value.append(i)
    show(seq.SerializeToString(deterministic=True).hex())
    back = tf.train.Example.FromString(ex.SerializeToString())
    show(list(back.features.feature["b"].int64_list.value), back == ex)
    show(str(_example(tf, a=[1.0])))


def case_parse_single_example(tf, show):
    s = tf.placeholder(tf.string, [])
    spec = {
        "a": tf.FixedLenFeature([2], tf.float32),
        "b": tf.VarLenFeature(tf.int64),
        "c": tf.FixedLenFeature([], tf.string, default_value="dflt"),
        "d": tf.FixedLenSequenceFeature([], tf.int64, allow_missing=True),
        "e": tf.FixedLenFeature([2, 2], tf.int64, default_value=[[7, 7], [7, 8]]),
    }
    out = tf.parse_single_example(s, spec)
    for k in sorted(out):
        print(k, out[k])
    ex = _example(tf, a=[1.0, 2.0], b=[5, 6, 7], d=[1, 2, 3], e=[1, 2, 3, 4])
    with tf.Session() as sess:
        _show_parsed(show, sess.run(out, {s: ex.SerializeToString()}))
        _show_parsed(show, sess.run(out, {s: _example(tf, a=[3.0, 4.0]).SerializeToString()}))


def case_parse_example_batch(tf, show):
    b = tf.placeholder(tf.string, [None])
    spec = {
        "a": tf.FixedLenFeature([2], tf.float32),
        "b": tf.VarLenFeature(tf.int64),
        "s": tf.VarLenFeature(tf.string),
        "d": tf.FixedLenSequenceFeature([2], tf.float32, allow_missing=True, default_value=-1.0),
        "n": tf.io.FixedLenFeature([], tf.int64, default_value=0),
    }
    out = tf.parse_example(b, spec, name="batch")
    for k in sorted(out):
        print(k, out[k])
    exs = [
        _example(tf, a=[1.0, 2.0], b=[5, 6, 7], s=[b"p"], d=[1.0, 2.0, 3.0, 4.0], n=[9]),
        _example(tf, a=[3.0, 4.0], s=[b"q", b"r"]),
        _example(tf, a=[5.0, 6.0], b=[8], d=[5.0, 6.0]),
    ]
    with tf.Session() as sess:
        _show_parsed(show, sess.run(out, {b: [e.SerializeToString() for e in exs]}))
        _show_parsed(show, sess.run(out, {b: []}))
    fixed = tf.io.parse_example(tf.constant([exs[0].SerializeToString()]), {"a": spec["a"]})
    print(fixed["a"])


def case_parse_errors(tf, show, expect_error):
    s = tf.placeholder(tf.string, [])
    out = tf.parse_single_example(s, {"a": tf.FixedLenFeature([2], tf.float32)})
    with tf.Session() as sess:
        expect_error(lambda: sess.run(out, {s: _example(tf, b=[1]).SerializeToString()}))
        expect_error(lambda: sess.run(out, {s: _example(tf, a=[1.0]).SerializeToString()}))
        expect_error(lambda: sess.run(out, {s: _example(tf, a=[1, 2]).SerializeToString()}))
    expect_error(lambda: tf.parse_single_example(s, {}))
    scalar_default = {"e": tf.FixedLenFeature([2, 2], tf.int64, default_value=7)}
    expect_error(lambda: tf.parse_single_example(s, scalar_default), message=False)
    expect_error(lambda: tf.parse_single_example(s, {"x": tf.FixedLenFeature([2], tf.int32)}))


def case_decode_raw(tf, show, expect_error):
    d = tf.decode_raw(tf.constant([b"\x01\x00\x02\x00", b"\x03\x00\x04\x01"]), tf.int16)
    d2 = tf.decode_raw(tf.constant(b"\x00\x01\x00\x02"), tf.uint16, little_endian=False)
    f = tf.io.decode_raw(tf.constant(b"\x00\x00\x80\x3f"), tf.float32)
    print(d, d2, f)
    bad = tf.decode_raw(tf.constant([b"abc", b"ab"]), tf.int16)
    uneven = tf.decode_raw(tf.constant([b"abcd", b"ab"]), tf.int16)
    with tf.Session() as sess:
        show(*sess.run([d, d2, f]))
        expect_error(lambda: sess.run(bad))
        expect_error(lambda: sess.run(uneven))


def case_read_file(tf, show, expect_error):
    with tempfile.TemporaryDirectory() as d:
        path = str(Path(d) / "f.bin")
        Path(path).write_bytes(b"\x00abc\n")
        r = tf.read_file(path)
        name = tf.placeholder(tf.string, [])
        r2 = tf.io.read_file(name)
        print(r, r2)
        with tf.Session() as sess:
            show(sess.run(r))
            expect_error(lambda: sess.run(r2, {name: "missing_file.txt"}))


def case_parse_example_single_feature(tf, show):
    b = tf.placeholder(tf.string, [None])
    out = tf.parse_example(b, {"y": tf.FixedLenFeature([], tf.int64)})
    one = tf.parse_single_example(b[0], {"y": tf.FixedLenFeature([], tf.int64)})
    ex = _example(tf, y=[3])
    with tf.Session() as sess:
        show(sess.run([out, one], {b: [ex.SerializeToString()] * 2}))
