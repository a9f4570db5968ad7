"""Queue readers: TFRecordReader, TextLineReader, FixedLengthRecordReader, WholeFileReader.

Files are written to a temporary directory; keys are printed with that directory removed.
"""

import tempfile
from pathlib import Path


def _files(tf, d):
    with tf.python_io.TFRecordWriter(str(Path(d) / "a.tfr")) as w:
        for r in [b"x", b"yy", b"zzz"]:
            w.write(r)
    opts = tf.python_io.TFRecordOptions(tf.python_io.TFRecordCompressionType.GZIP)
    with tf.python_io.TFRecordWriter(str(Path(d) / "g.tfr"), options=opts) as w:
        for r in [b"gzip-1", b"gzip-22"]:
            w.write(r)
    (Path(d) / "t.txt").write_bytes(b"header\nl1\nl2\r\nl3")
    (Path(d) / "f.bin").write_bytes(b"HHabcdefF")


def _strip(d, v):
    if isinstance(v, tuple):
        return tuple(_strip(d, x) for x in v)
    if hasattr(v, "tolist"):
        return [_strip(d, x) for x in v.tolist()]
    return v.replace(d.encode() + b"/", b"") if isinstance(v, bytes) else v


def case_readers_read_and_read_up_to(tf, show):
    d = tempfile.mkdtemp()
    _files(tf, d)
    q = tf.FIFOQueue(10, tf.string, shapes=[[]])
    r1 = tf.TFRecordReader()
    r2 = tf.TextLineReader(skip_header_lines=1)
    r3 = tf.FixedLengthRecordReader(3, header_bytes=2, footer_bytes=1)
    r4 = tf.WholeFileReader(name="whole")
    r5 = tf.TFRecordReader(options=tf.python_io.TFRecordOptions("GZIP"))
    print(r1.reader_ref, r2.reader_ref, r3.reader_ref, r4.reader_ref, r1.supports_serialize)
    k1, k2, k3, k4, k5 = r1.read(q), r2.read(q), r3.read(q), r4.read(q), r5.read(q)
    ku = r1.read_up_to(q, 2)
    print(k1, ku, r1.num_records_produced(), r1.num_work_units_completed(), r1.reset().name)
    names = ["a.tfr", "a.tfr", "t.txt", "t.txt", "f.bin", "g.tfr", "a.tfr"]
    with tf.Session() as sess:
        sess.run(q.enqueue_many([[str(Path(d) / n) for n in names]]))
        sess.run(q.close())
        show([_strip(d, tuple(sess.run(k1))) for _ in range(3)])
        show(_strip(d, tuple(sess.run(ku))), _strip(d, tuple(sess.run(ku))))
        show(sess.run([r1.num_records_produced(), r1.num_work_units_completed()]))
        show([_strip(d, tuple(sess.run(k2))) for _ in range(4)])
        show([_strip(d, tuple(sess.run(k3))) for _ in range(2)])
        show([_strip(d, tuple(sess.run(k5))) for _ in range(2)])
        key, value = sess.run(k4)
        show(_strip(d, key), len(value))
        try:
            sess.run(k4)
        except tf.errors.OutOfRangeError:
            print("OutOfRangeError")
        sess.run(r1.reset())
        show(sess.run([r1.num_records_produced(), r1.num_work_units_completed()]))


def case_reader_with_string_input_producer(tf, show):
    d = tempfile.mkdtemp()
    _files(tf, d)
    fq = tf.train.string_input_producer([str(Path(d) / "t.txt")], num_epochs=2, shuffle=False)
    _, value = tf.TextLineReader().read(fq)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        got = []
        try:
            for _ in range(10):
                got.append(_strip(d, sess.run(value)))
        except tf.errors.OutOfRangeError:
            got.append("end")
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=10)
        show(got)


def case_match_filenames_once_and_matching_files(tf, show):
    d = tempfile.mkdtemp()
    for n in ("b.txt", "a.txt", "c.dat"):
        (Path(d) / n).write_bytes(b"x")
    m = tf.train.match_filenames_once(str(Path(d) / "*.txt"))
    m2 = tf.io.matching_files([str(Path(d) / "*.txt"), str(Path(d) / "*.dat")])
    m3 = tf.matching_files(str(Path(d) / "none*"))
    print(m, m2, m3, tf.local_variables())
    print([op.name for op in tf.get_default_graph().get_operations()])
    fq = tf.train.string_input_producer(m, shuffle=False, num_epochs=1)
    name = fq.dequeue()
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        show(_strip(d, sess.run(m)), _strip(d, sess.run(m2)), sess.run(m3))
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        got = []
        try:
            for _ in range(5):
                got.append(_strip(d, sess.run(name)))
        except tf.errors.OutOfRangeError:
            got.append("end")
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=10)
        show(got)
