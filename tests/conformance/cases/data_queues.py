"""tf.FIFOQueue: names, shapes, FIFO order, blocking producer thread, close semantics."""

import threading


def case_fifo_queue_basics(tf, show, expect_error):
    q = tf.FIFOQueue(3, [tf.float32, tf.int32], shapes=[[2], []])
    e = q.enqueue(([1.0, 2.0], 3))
    em = q.enqueue_many(([[3.0, 4.0], [5.0, 6.0]], [7, 8]))
    d = q.dequeue()
    dm = q.dequeue_many(2)
    du = q.dequeue_up_to(5)
    c = q.close()
    s = q.size()
    print(e.name, em.name, d, dm, du, c.name, s)
    with tf.Session() as sess:
        sess.run(e)
        sess.run(em)
        show(sess.run(s))
        show(sess.run(d))
        show(sess.run(dm))
        sess.run(e)
        sess.run(c)
        show(sess.run(du))
        expect_error(lambda: sess.run(d))
        expect_error(lambda: sess.run(e))


def case_fifo_queue_producer_thread(tf, show):
    q = tf.queue.FIFOQueue(2, tf.int64, shapes=[[]])
    x = tf.placeholder(tf.int64, [])
    enq = q.enqueue(x)
    deq = q.dequeue()
    close = q.close()
    with tf.Session() as sess:

        def produce():
            for i in range(6):
                sess.run(enq, {x: i})
            sess.run(close)

        t = threading.Thread(target=produce)
        t.start()
        got = []
        try:
            while True:
                got.append(int(sess.run(deq)))
        except tf.errors.OutOfRangeError:
            pass
        t.join()
        show(got)


def case_queue_runner_and_coordinator(tf, show):
    data = tf.constant([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12]], tf.int64)
    q = tf.FIFOQueue(4, tf.int64, shapes=[2])
    it_q = tf.FIFOQueue(10, tf.int32, shapes=[])
    idx = it_q.dequeue()
    enq = q.enqueue(tf.gather(data, idx))
    tf.train.add_queue_runner(tf.train.QueueRunner(q, [enq]))
    batch = q.dequeue_many(2)
    with tf.Session() as sess:
        sess.run(it_q.enqueue_many([list(range(6))]))
        sess.run(it_q.close())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        got = []
        try:
            while not coord.should_stop():
                got.append(sess.run(batch).tolist())
        except tf.errors.OutOfRangeError:
            print("done")
        finally:
            coord.request_stop()
        coord.join(threads)
        show(got, coord.should_stop(), len(tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)))


def case_coordinator_records_first_error(tf, show, expect_error):
    coord = tf.train.Coordinator()
    with coord.stop_on_exception():
        raise ValueError("first")
    coord.request_stop(RuntimeError("second"))
    show(coord.should_stop())
    expect_error(coord.join)
    clean = tf.train.Coordinator()
    clean.request_stop(tf.errors.OutOfRangeError(None, None, "end"))
    clean.join()
    show(clean.joined)


def case_train_batch(tf, show):
    # Each batch reads its own source queue: two batch runners sharing one source would race
    # for its elements (in TF as here), and the recorded order would be luck.
    q = tf.FIFOQueue(10, [tf.float32, tf.int32], shapes=[[2], []])
    q2 = tf.FIFOQueue(10, tf.float32, shapes=[[2]])
    x, y = q.dequeue()
    b = tf.train.batch([x, y], 2)
    d = tf.train.batch({"a": q2.dequeue()}, 2, allow_smaller_final_batch=True)
    print(b, d)
    rows = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0], [9.0, 10.0]]
    with tf.Session() as sess:
        sess.run(q.enqueue_many((rows[:4], [1, 2, 3, 4])))
        sess.run(q.close())
        sess.run(q2.enqueue_many([rows]))
        sess.run(q2.close())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        show(sess.run(b))
        show(sess.run(b))
        show(sess.run(d))
        show(sess.run(d))
        show(sess.run(d))
        coord.request_stop()
        coord.join(threads)
