"""tf.io.serialize_tensor / parse_tensor (TF's TensorProto bytes), write_file and
decode_compressed (ZLIB, GZIP): names, shapes, values, errors."""

import gzip
import tempfile
import zlib
from pathlib import Path


def case_serialize_parse(tf, show):
    a = tf.io.serialize_tensor(tf.constant([[1.0, 2.0]]))
    b = tf.serialize_tensor(tf.constant(["x", "yz"]), name="st")
    c = tf.io.serialize_tensor(tf.constant(7))
    e = tf.io.serialize_tensor(tf.zeros([0, 2], tf.int64))
    h = tf.io.serialize_tensor(tf.constant([True, False]))
    p = tf.io.parse_tensor(a, tf.float32)
    print(
        a.name,
        a.shape,
        b.name,
        p.name,
        p.shape,
        sorted(a.op.node_def.attr),
        sorted(p.op.node_def.attr),
    )
    with tf.Session() as sess:
        show(sess.run([a, b, c, e, h]))
        show(sess.run([p, tf.parse_tensor(b, tf.string), tf.io.parse_tensor(e, tf.int64)]))


def case_serialize_parse_errors(tf, expect_error):
    a = tf.io.serialize_tensor(tf.constant([1.0]))
    with tf.Session() as sess:
        expect_error(lambda: sess.run(tf.io.parse_tensor(a, tf.int32)))


def case_write_file(tf, show):
    d = tempfile.mkdtemp()
    path = str(Path(d) / "sub" / "f.txt")
    w = tf.io.write_file(path, "hello")
    print(type(w).__name__, w.name, w.type, [i.name for i in w.inputs], len(w.outputs))
    with tf.Session() as sess:
        sess.run(w)
        print(Path(path).read_text())
        sess.run(tf.write_file(path, tf.constant("again")))
        show(sess.run(tf.read_file(path)))


def case_decode_compressed(tf, show, expect_error):
    dc = tf.io.decode_compressed(tf.constant([zlib.compress(b"abc"), zlib.compress(b"")]), "ZLIB")
    dg = tf.io.decode_compressed(gzip.compress(b"xyz"), compression_type="GZIP")
    dn = tf.decode_compressed("raw")
    print(dc.name, dc.shape, dg.shape, dn.name, sorted(dc.op.node_def.attr))
    with tf.Session() as sess:
        show(sess.run([dc, dg, dn]))
        expect_error(lambda: sess.run(tf.io.decode_compressed("garbage", "ZLIB")))
