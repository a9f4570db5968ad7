"""tf.train queue input: producers, shuffle_batch, batch_join, dynamic_pad, enqueue_many.

Deterministic by construction: a consumer reads a ``RandomShuffleQueue`` only after its queue
runner closed it (all input enqueued), and results of several racing enqueue threads are
printed sorted. Every wait has a timeout.
"""

import time


def _wait_closed(sess, queue_is_closed, seconds=20.0):
    end = time.time() + seconds
    while not sess.run(queue_is_closed) and time.time() < end:
        time.sleep(0.01)
    return bool(sess.run(queue_is_closed))


def _ops(tf, start):
    return [op.name for op in tf.get_default_graph().get_operations()[start:]]


def _drain(tf, sess, fetch, limit=50):
    got = []
    try:
        for _ in range(limit):
            got.append(sess.run(fetch))
    except tf.errors.OutOfRangeError:
        got.append("OutOfRange")
    return got


def case_string_input_producer_epochs(tf, show):
    tf.set_random_seed(5)
    fq = tf.train.string_input_producer(["a", "b", "c", "d"], num_epochs=2, seed=1)
    name = fq.dequeue()
    print(fq.name, _ops(tf, 0))
    print(tf.get_collection(tf.GraphKeys.SUMMARIES), tf.local_variables())
    print([qr.queue.name for qr in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)])
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        show(_drain(tf, sess, name))
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=10)


def case_range_and_slice_input_producer(tf, show):
    r = tf.train.range_input_producer(3, num_epochs=2, shuffle=False, capacity=8)
    a, b = tf.train.slice_input_producer(
        [tf.constant([1, 2, 3]), tf.constant([[4.0], [5.0], [6.0]])], num_epochs=1, shuffle=False
    )
    print(r.name, a, b)
    rd = r.dequeue()
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        show(_drain(tf, sess, rd))
        show(_drain(tf, sess, [a, b]))
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=10)


def case_limit_epochs(tf, show, expect_error):
    x = tf.train.limit_epochs(tf.constant([1, 2]), 2)
    print(x, tf.local_variables())
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        show(sess.run(x), sess.run(x))
        expect_error(lambda: sess.run(x))


def case_shuffle_batch_seeded(tf, show):
    tf.set_random_seed(7)
    vals = tf.constant(list(range(12)))
    sq = tf.constant([[i, -i] for i in range(12)])
    x, y = tf.train.slice_input_producer([vals, sq], num_epochs=1, seed=3)
    start = len(tf.get_default_graph().get_operations())
    b = tf.train.shuffle_batch([x, y], 4, capacity=20, min_after_dequeue=5, seed=9,
                               allow_smaller_final_batch=True)  # fmt: skip
    print(b, _ops(tf, start))
    print(tf.get_collection(tf.GraphKeys.SUMMARIES))
    rsq = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)[-1].queue
    closed = rsq.is_closed()
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        show(_wait_closed(sess, closed))
        show(_drain(tf, sess, b))
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=10)


def case_shuffle_batch_join_and_enqueue_many(tf, show):
    tf.set_random_seed(4)
    q1 = tf.FIFOQueue(10, tf.int32, shapes=[[2]])
    q2 = tf.FIFOQueue(10, tf.int32, shapes=[[2]])
    b = tf.train.shuffle_batch_join(
        [[q1.dequeue_many(2)], [q2.dequeue_many(2)]], 3, capacity=10, min_after_dequeue=2,
        enqueue_many=True, seed=1,
    )  # fmt: skip
    print(b, [qr.queue.name for qr in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)])
    rsq = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)[-1].queue
    closed = rsq.is_closed()
    with tf.Session() as sess:
        # q2 stays empty: its thread stops at once, so one thread fills the shuffle queue
        # and the insertion order (hence the picks) is deterministic
        sess.run(q1.enqueue_many([[[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6]]]))
        sess.run([q1.close(), q2.close()])
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        show(_wait_closed(sess, closed), sess.run(rsq.size()))
        show(_drain(tf, sess, b))
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=10)


def case_batch_dynamic_pad_and_threads(tf, show):
    src = tf.PaddingFIFOQueue(10, [tf.int32, tf.string], shapes=[[None], []])
    v, s = src.dequeue()
    b = tf.train.batch([v, s], 2, dynamic_pad=True, allow_smaller_final_batch=True)
    src2 = tf.FIFOQueue(10, tf.int32, shapes=[[]])
    t = tf.train.batch([src2.dequeue()], 3, num_threads=2, capacity=6)
    d = tf.train.batch({"k": tf.constant([[1, 2], [3, 4], [5, 6]])}, 4, enqueue_many=True)
    print(b, t, d)
    print([(qr.queue.name, len(qr.enqueue_ops)) for qr in tf.get_collection("queue_runners")])
    with tf.Session() as sess:
        sess.run(src.enqueue([[1, 2, 3], "x"]))
        sess.run(src.enqueue([[4], "y"]))
        sess.run(src.enqueue([[5, 6], "z"]))
        sess.run(src.close())
        sess.run(src2.enqueue_many([list(range(6))]))
        sess.run(src2.close())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        show(sess.run(b))
        show(sess.run(b))
        show(sorted(sess.run(t).tolist() + sess.run(t).tolist()))
        show(sess.run(d))
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=10)


def case_maybe_batch_and_batch_join(tf, show):
    src = tf.FIFOQueue(10, tf.int32, shapes=[[]])
    x = src.dequeue()
    mb = tf.train.maybe_batch([x], tf.equal(x % 2, 0), 2)
    j = tf.train.batch_join([[tf.constant(1)], [tf.constant(1)]], 2)
    print(mb, j)
    with tf.Session() as sess:
        sess.run(src.enqueue_many([list(range(8))]))
        sess.run(src.close())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        show(sess.run(mb), sess.run(mb), sess.run(j))
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=10)


def case_slice_input_producer_strings(tf, show):
    names = tf.constant(["a.jpg", "b.jpg", "c.jpg"])
    labels = tf.constant([0, 1, 2])
    n, lab = tf.train.slice_input_producer([names, labels], num_epochs=1, shuffle=False)
    print(n, lab, tf.gather(names, [[2, 0]]))
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        show(_drain(tf, sess, [n, lab]))
        show(sess.run(tf.gather(names, [[2, 0]])))
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=10)
