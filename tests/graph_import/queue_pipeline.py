"""A TF1 queue input pipeline shared by ``test_queue_meta.py`` and ``record_tf_queue_meta.py``.

``build(tf)`` makes the graph; ``run(tf)`` runs it in the default graph, finding its tensors by
name, so it runs the same way on the graph built in Python and on one imported from a meta
graph: queue runners started through the ``queue_runners`` collection, three training steps,
then the string producer drained until its epoch limit ends it (``OutOfRangeError``).
"""

from __future__ import annotations

from typing import Any


def build(tf: Any) -> None:
    index = tf.train.range_input_producer(7, shuffle=False, name="ranges").dequeue()
    batch = tf.train.batch([tf.cast(index, tf.float32) * 2.0], batch_size=3, name="batch")
    w = tf.Variable(1.0, name="w")
    loss = tf.reduce_mean(tf.square(batch * w - 3.0), name="loss")
    tf.train.GradientDescentOptimizer(0.01).minimize(loss, name="train")
    names = tf.train.string_input_producer(
        ["a", "bb", "ccc"], num_epochs=2, shuffle=False, name="names"
    )
    tf.identity(names.dequeue(), name="next_name")
    pair = tf.train.slice_input_producer(
        [tf.constant([1, 2, 3]), tf.constant([10.0, 20.0, 30.0])], shuffle=False, name="pairs"
    )
    tf.add(tf.cast(pair[0], tf.float32), pair[1], name="pair_sum")


def run(tf: Any) -> dict[str, Any]:
    g = tf.get_default_graph()
    out: dict[str, Any] = {
        "queue_runners": sorted(qr.name for qr in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS))
    }
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        train = g.get_operation_by_name("train")
        loss = g.get_tensor_by_name("loss:0")
        batch = g.get_tensor_by_name("batch:0")
        steps = []
        for _ in range(3):
            b, l_, _ = sess.run([batch, loss, train])
            steps.append([b.tolist(), round(float(l_), 5)])
        out["steps"] = steps
        out["w"] = round(float(sess.run(g.get_tensor_by_name("w:0"))), 5)
        out["pairs"] = [float(sess.run(g.get_tensor_by_name("pair_sum:0"))) for _ in range(4)]
        names = []
        try:
            while True:
                names.append(sess.run(g.get_tensor_by_name("next_name:0")).decode())
        except tf.errors.OutOfRangeError:
            names.append("OutOfRange")
        out["names"] = names
        coord.request_stop()
        coord.join(threads)
    return out


def queue_runner_text(meta: Any) -> list[str]:
    """The ``queue_runners`` collection's ``QueueRunnerDef``s as sorted text lines."""
    from google.protobuf import text_format

    raw = meta.collection_def["queue_runners"].bytes_list.value
    defs = []
    for data in raw:
        qr_def = _queue_runner_def(meta)
        qr_def.ParseFromString(data)
        defs.append(text_format.MessageToString(qr_def, as_one_line=True))
    return sorted(defs)


def _queue_runner_def(meta: Any) -> Any:
    module = type(meta).__module__ or ""
    if module.startswith("tensorflow"):
        from tensorflow.core.protobuf import queue_runner_pb2
    else:
        from scopeflow.protos import queue_runner_pb2  # type: ignore[no-redef]
    return queue_runner_pb2.QueueRunnerDef()
