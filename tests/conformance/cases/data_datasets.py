"""tf.data in TF1 graph mode: element order, static shapes and types, iterators, end of data."""

import tempfile
from pathlib import Path

import numpy as np


def _drain(tf, sess, nxt, show, limit=50, feed=None):
    for _ in range(limit):
        try:
            show(sess.run(nxt, feed))
        except tf.errors.OutOfRangeError as e:
            print(type(e).__name__)
            return


def case_slices_map_filter_batch(tf, show):
    ds = tf.data.Dataset.from_tensor_slices(([1.0, 2.0, 3.0, 4.0, 5.0], [1, 2, 3, 4, 5]))
    print(ds.output_types, ds.output_shapes)
    ds = ds.map(lambda x, y: (x * 2.0, y + 1), num_parallel_calls=2)
    ds = ds.filter(lambda x, y: y > 2).batch(2)
    print(ds.output_types, ds.output_shapes)
    it = tf.data.make_one_shot_iterator(ds)
    nxt = it.get_next()
    print(nxt)
    with tf.Session() as sess:
        _drain(tf, sess, nxt, show)
        _drain(tf, sess, nxt, show)


def case_dict_elements_and_drop_remainder(tf, show):
    ds = tf.data.Dataset.from_tensor_slices(
        {
            "a": np.arange(10, dtype=np.float32).reshape(5, 2),
            "b": np.array([b"p", b"q", b"r", b"s", b"t"]),
        }
    )
    ds = ds.batch(2, drop_remainder=True)
    print(tf.data.get_output_types(ds), tf.data.get_output_shapes(ds))
    nxt = ds.make_one_shot_iterator().get_next()
    print(sorted(nxt.items()))
    with tf.Session() as sess:
        _drain(tf, sess, nxt, show)


def case_range_repeat_take_skip_unbatch(tf, show):
    ds = tf.data.Dataset.range(2, 11, 3).repeat(2).skip(1).take(4)
    nxt = ds.make_one_shot_iterator().get_next()
    print(ds.output_types, ds.output_shapes, nxt)
    ub = tf.data.Dataset.from_tensors([[1, 2], [3, 4]]).unbatch()
    n2 = ub.make_one_shot_iterator().get_next()
    print(ub.output_shapes)
    with tf.Session() as sess:
        _drain(tf, sess, nxt, show)
        _drain(tf, sess, n2, show)


def case_zip_concatenate_flat_map(tf, show):
    a = tf.data.Dataset.range(3)
    b = tf.data.Dataset.from_tensor_slices(tf.constant([[1.0], [2.0], [3.0], [4.0]]))
    z = tf.data.Dataset.zip((a, b))
    c = tf.data.Dataset.range(2).concatenate(tf.data.Dataset.range(5, 7))
    f = tf.data.Dataset.range(3).flat_map(lambda x: tf.data.Dataset.from_tensors(x).repeat(x))
    print(z.output_types, z.output_shapes, c.output_shapes, f.output_shapes)
    with tf.Session() as sess:
        for ds in (z, c, f):
            _drain(tf, sess, ds.make_one_shot_iterator().get_next(), show)


def case_initializable_with_placeholder(tf, show, expect_error):
    p = tf.placeholder(tf.int64, [None])
    scale = tf.placeholder(tf.int64, [])
    ds = tf.data.Dataset.from_tensor_slices(p).map(lambda x: x * scale)
    it = ds.make_initializable_iterator()
    nxt = it.get_next()
    print(nxt, it.initializer.type)
    with tf.Session() as sess:
        expect_error(lambda: sess.run(nxt))
        sess.run(it.initializer, {p: [1, 2, 3], scale: 10})
        _drain(tf, sess, nxt, show)
        sess.run(it.initializer, {p: [7], scale: 2})
        _drain(tf, sess, nxt, show)


def case_reinitializable_from_structure(tf, show):
    train = tf.data.Dataset.range(4).batch(2)
    val = tf.data.Dataset.range(10, 13).batch(2)
    it = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
    nxt = it.get_next()
    tinit, vinit = it.make_initializer(train), it.make_initializer(val)
    print(nxt, it.output_shapes)
    with tf.Session() as sess:
        sess.run(tinit)
        _drain(tf, sess, nxt, show)
        sess.run(vinit)
        _drain(tf, sess, nxt, show)


def case_from_generator(tf, show):
    def gen():
        for i in range(3):
            yield i, [float(i)] * i

    ds = tf.data.Dataset.from_generator(
        gen, (tf.int64, tf.float32), (tf.TensorShape([]), tf.TensorShape([None]))
    )
    nxt = ds.make_one_shot_iterator().get_next()
    print(ds.output_shapes)
    with tf.Session() as sess:
        _drain(tf, sess, nxt, show)


def case_batch_shape_mismatch(tf, show, expect_error):
    ds = tf.data.Dataset.range(1, 4).map(lambda x: tf.fill([x], x)).batch(2)
    nxt = ds.make_one_shot_iterator().get_next()
    print(ds.output_shapes)
    with tf.Session() as sess:
        # TF's message names the two shapes in a run-dependent order: only the class is compared
        expect_error(lambda: sess.run(nxt), message=False)


def case_shuffle_is_a_permutation(tf, show):
    ds = tf.data.Dataset.range(10).shuffle(4, seed=3).batch(10)
    nxt = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        show(sorted(sess.run(nxt).tolist()))


def case_file_datasets(tf, show, expect_error):
    with tempfile.TemporaryDirectory() as d:
        rec = str(Path(d) / "r.tfrecord")
        with tf.python_io.TFRecordWriter(rec) as w:
            for i in range(5):
                ex = tf.train.Example(features=tf.train.Features(feature={
                    "x": tf.train.Feature(float_list=tf.train.FloatList(value=[i, i + 0.5])),
                    "y": tf.train.Feature(int64_list=tf.train.Int64List(value=[i])),
                }))  # fmt: skip
                w.write(ex.SerializeToString())
        txt = Path(d) / "t.txt"
        txt.write_bytes(b"one\ntwo\r\n\nthree")
        raw = Path(d) / "f.bin"
        raw.write_bytes(b"HHabcdefF")
        spec = {"x": tf.FixedLenFeature([2], tf.float32), "y": tf.FixedLenFeature([], tf.int64)}
        names = tf.placeholder(tf.string, [None])
        ds = tf.data.TFRecordDataset(names).map(lambda s: tf.parse_single_example(s, spec)).batch(2)
        print(ds.output_types, ds.output_shapes)
        it = ds.make_initializable_iterator()
        nxt = it.get_next()
        lines = tf.data.TextLineDataset(str(txt)).make_one_shot_iterator().get_next()
        fixed = tf.data.FixedLengthRecordDataset(str(raw), 3, header_bytes=2, footer_bytes=1)
        fx = fixed.make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            sess.run(it.initializer, {names: [rec, rec]})
            _drain(tf, sess, nxt, show)
            _drain(tf, sess, lines, show)
            _drain(tf, sess, fx, show)
            sess.run(it.initializer, {names: [str(Path(d) / "missing.tfrecord")]})
            expect_error(lambda: sess.run(nxt), message=False)
            raw.write_bytes(b"HHabcdefgF")
            bad = fixed.make_one_shot_iterator().get_next()
            expect_error(lambda: sess.run(bad), message=False)


def case_interleave_and_padded_batch(tf, show):
    ds = tf.data.Dataset.range(1, 5).interleave(
        lambda x: tf.data.Dataset.from_tensors(x).repeat(x), cycle_length=2, block_length=2
    )
    print(ds.output_shapes)
    pb = tf.data.Dataset.range(1, 6).map(lambda x: tf.fill([x], x)).padded_batch(2, [None])
    nums = tf.data.Dataset.range(1, 4).map(lambda x: tf.fill([x], tf.cast(x, tf.float32)))
    words = tf.data.Dataset.from_tensor_slices(tf.constant(["a", "b", "c"]))
    pb2 = tf.data.Dataset.zip((nums, words)).padded_batch(
        2, ([4], []), padding_values=(-1.0, "pad"), drop_remainder=True
    )
    print(pb.output_shapes, pb2.output_shapes, pb2.output_types)
    with tf.Session() as sess:
        for d in (ds, pb, pb2):
            _drain(tf, sess, d.make_one_shot_iterator().get_next(), show)
