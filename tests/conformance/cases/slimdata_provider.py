"""slim's data pipeline (issue 7): a tiny TFRecord of ``tf.train.Example``s read back with
``slim.dataset.Dataset`` + ``DatasetDataProvider`` + ``TFExampleDecoder`` (shuffle=False, one
reader, so the order is the file's), and the decoders' item handlers on single examples.

JPEG pixels are Pillow's decode in scopeflow (may differ from TF's libjpeg by a few levels, see
``image_codec_ops``): for the JPEG record only shape, dtype and a coarse mean are compared; PNG
and raw pixels are compared exactly.
"""

import shutil
import struct
import tempfile
import zlib
from pathlib import Path

import numpy as np

JPEG = Path(__file__).resolve().parents[2] / "data" / "golden" / "image.jpg"


def _pixels(h, w, seed):
    return ((np.arange(h * w * 3).reshape(h, w, 3) * (7 + seed) + seed * 31) % 256).astype(np.uint8)


def _png(pixels):
    """PNG bytes written here (not by either framework's encoder), so record offsets agree."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    h, w, _ = pixels.shape
    rows = b"".join(b"\x00" + pixels[y].tobytes() for y in range(h))
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _example(tf, encoded, fmt, label, boxes):
    feature = {
        "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(value=[encoded])),
        "image/format": tf.train.Feature(bytes_list=tf.train.BytesList(value=[fmt])),
        "image/class/label": tf.train.Feature(int64_list=tf.train.Int64List(value=[label])),
    }
    for i, side in enumerate(("ymin", "xmin", "ymax", "xmax")):
        feature[f"image/object/bbox/{side}"] = tf.train.Feature(
            float_list=tf.train.FloatList(value=[b[i] for b in boxes])
        )
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


def _write_records(tf, path):
    records = [
        _example(tf, _png(_pixels(4, 5, 1)), b"png", 3, [(0.1, 0.2, 0.5, 0.6)]),
        _example(tf, JPEG.read_bytes(), b"jpeg", 7, [(0.0, 0.0, 1.0, 1.0), (0.25, 0.5, 0.75, 1.0)]),
        _example(tf, _png(_pixels(3, 2, 2)), b"png", 1, []),
    ]
    with tf.python_io.TFRecordWriter(str(path)) as writer:
        for record in records:
            writer.write(record)


def _decoder(tf):
    slim = tf.contrib.slim
    keys_to_features = {
        "image/encoded": tf.FixedLenFeature((), tf.string, default_value=""),
        "image/format": tf.FixedLenFeature((), tf.string, default_value="png"),
        "image/class/label": tf.FixedLenFeature(
            [], tf.int64, default_value=tf.zeros([], dtype=tf.int64)
        ),
        "image/object/bbox/ymin": tf.VarLenFeature(dtype=tf.float32),
        "image/object/bbox/xmin": tf.VarLenFeature(dtype=tf.float32),
        "image/object/bbox/ymax": tf.VarLenFeature(dtype=tf.float32),
        "image/object/bbox/xmax": tf.VarLenFeature(dtype=tf.float32),
    }
    items_to_handlers = {
        "image": slim.tfexample_decoder.Image("image/encoded", "image/format"),
        "label": slim.tfexample_decoder.Tensor("image/class/label"),
        "object/bbox": slim.tfexample_decoder.BoundingBox(
            ["ymin", "xmin", "ymax", "xmax"], "image/object/bbox/"
        ),
        "format": slim.tfexample_decoder.Tensor("image/format"),
    }
    return slim.tfexample_decoder.TFExampleDecoder(keys_to_features, items_to_handlers)


def case_dataset_data_provider(tf, show):
    slim = tf.contrib.slim
    tmp = Path(tempfile.mkdtemp())
    try:
        path = tmp / "tiny.tfrecord"
        _write_records(tf, path)
        dataset = slim.dataset.Dataset(
            data_sources=[str(path)],
            reader=tf.TFRecordReader,
            decoder=_decoder(tf),
            num_samples=3,
            items_to_descriptions={"image": "an image", "label": "its class"},
            num_classes=10,
        )
        show(dataset.num_samples, dataset.num_classes, sorted(dataset.items_to_descriptions))
        provider = slim.dataset_data_provider.DatasetDataProvider(
            dataset, num_readers=1, shuffle=False, common_queue_capacity=8, common_queue_min=2
        )
        show(sorted(provider.list_items()), provider.num_samples())
        image, label, bbox, fmt, key = provider.get(
            ["image", "label", "object/bbox", "format", "record_key"]
        )
        for t in (image, label, bbox, fmt, key):
            show(t.name, t.dtype.name, t.shape.as_list() if t.shape.ndims is not None else None)
        runners = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
        show([qr.name for qr in runners], [len(qr.enqueue_ops) for qr in runners])
        show([s.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)])
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            with slim.queues.QueueRunners(sess):
                for _ in range(3):
                    img, lab, box, f, k = sess.run([image, label, bbox, fmt, key])
                    show(k.decode().rsplit(":", 1)[-1], f, lab, box, img.shape, img.dtype.name)
                    if f == b"png":
                        show(img)
                    else:
                        show(round(float(img.mean()) / 8))
    finally:
        shutil.rmtree(tmp)


def case_single_pass_and_parallel_read(tf, show):
    slim = tf.contrib.slim
    tmp = Path(tempfile.mkdtemp())
    try:
        paths = []
        for i in range(2):
            path = tmp / f"part-{i}.tfrecord"
            with tf.python_io.TFRecordWriter(str(path)) as writer:
                for j in range(3):
                    writer.write(f"record-{i}-{j}".encode())
            paths.append(path)
        show(len(slim.parallel_reader.get_data_files(str(tmp / "part-*.tfrecord"))))
        key, value = slim.parallel_reader.single_pass_read(
            [str(p) for p in paths], reader_class=tf.TFRecordReader
        )
        show(key.name, value.name)
        values = []
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            with slim.queues.QueueRunners(sess):
                try:
                    while True:
                        values.append(sess.run(value))
                except tf.errors.OutOfRangeError:
                    pass
        show(values)
        with tf.Graph().as_default():
            key, value = slim.parallel_reader.parallel_read(
                [str(p) for p in paths],
                tf.TFRecordReader,
                num_readers=2,
                shuffle=True,
                capacity=16,
                min_after_dequeue=2,
                seed=3,
                scope="reading",
            )
            show(key.name, value.name)
            show([s.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)])
            runners = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
            show([qr.name for qr in runners], [len(qr.enqueue_ops) for qr in runners])
        try:
            slim.parallel_reader.get_data_files(str(tmp / "missing-*"))
        except ValueError as e:
            show(str(e).startswith("No data files found in"))
    finally:
        shutil.rmtree(tmp)


def case_item_handlers(tf, show):
    ted = tf.contrib.slim.tfexample_decoder
    raw = _pixels(2, 3, 4)
    example = tf.train.Example(
        features=tf.train.Features(
            feature={
                "image/encoded": tf.train.Feature(
                    bytes_list=tf.train.BytesList(value=[raw.tobytes()])
                ),
                "image/format": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"RAW"])),
                "labels": tf.train.Feature(int64_list=tf.train.Int64List(value=[1, 2, 3, 4])),
                "dims": tf.train.Feature(int64_list=tf.train.Int64List(value=[2, 2])),
                "indices": tf.train.Feature(int64_list=tf.train.Int64List(value=[0, 2])),
                "values": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5, 1.5])),
                "word": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"dog"])),
                "empty": tf.train.Feature(int64_list=tf.train.Int64List(value=[])),
            }
        )
    ).SerializeToString()
    serialized = tf.placeholder(tf.string, [], name="serialized")
    table = tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(
            tf.constant(["cat", "dog"]), tf.constant([0, 1], dtype=tf.int64)
        ),
        -1,
    )
    keys_to_features = {
        "image/encoded": tf.FixedLenFeature((), tf.string),
        "image/format": tf.FixedLenFeature((), tf.string),
        "labels": tf.VarLenFeature(tf.int64),
        "dims": tf.VarLenFeature(tf.int64),
        "indices": tf.VarLenFeature(tf.int64),
        "values": tf.VarLenFeature(tf.float32),
        "word": tf.FixedLenFeature((), tf.string),
        "empty": tf.VarLenFeature(tf.int64),
    }
    items = {
        "image": ted.Image(shape=[2, 3, 3]),
        "labels": ted.Tensor("labels", shape_keys="dims"),
        "labels_fixed": ted.Tensor("labels", shape=[4, 1]),
        "sparse": ted.SparseTensor(shape=[5], densify=True, default_value=-1.0),
        "word_id": ted.LookupTensor("word", table),
        "backup": ted.BackupHandler(ted.Tensor("empty"), ted.Tensor("labels")),
        "callback": ted.ItemHandlerCallback(
            ["labels"], lambda d: tf.sparse_reduce_sum(d["labels"])
        ),
    }
    decoder = ted.TFExampleDecoder(keys_to_features, items)
    show(sorted(decoder.list_items()))
    names = sorted(items)
    outs = decoder.decode(serialized, names)
    for n, t in zip(names, outs, strict=True):
        show(n, t.name, t.dtype.name, t.shape.as_list() if t.shape.ndims is not None else None)
    with tf.Session() as sess:
        sess.run(tf.tables_initializer())
        for n, v in zip(names, sess.run(outs, {serialized: example}), strict=True):
            show(n, v)


def case_prefetch_queue(tf, show):
    slim = tf.contrib.slim
    counter = tf.Variable(tf.constant(0, dtype=tf.int64)).count_up_to(3)
    batch = tf.train.batch([counter, tf.constant([1.5, 2.5])], batch_size=1, num_threads=1)
    queue = slim.prefetch_queue.prefetch_queue(batch, capacity=4)
    values = queue.dequeue()
    show([v.name for v in values], [v.shape.as_list() for v in values])
    named = slim.prefetch_queue.prefetch_queue({"b": batch[1], "a": batch[0]}, name="named")
    out = named.dequeue()
    show(sorted(out), out["a"].name, out["b"].name)
    show([s.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)])
    runners = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
    show([qr.name for qr in runners])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with slim.queues.QueueRunners(sess):
            show(sess.run(values))
            try:
                with slim.queues.QueueRunners(sess):
                    pass
            except slim.queues.NestedQueueRunnerError as e:
                show(str(e))
