"""Queue threads never hang: closing a session, a queue or a coordinator releases every waiter.

Every thread join has a timeout and the test asserts the thread ended.
"""

from __future__ import annotations

import threading
import time

import pytest

import scopeflow.compat.v1 as tf
from scopeflow.ops._philox import SingleSample, philox_scalar


def _blocked(target, *args) -> tuple[threading.Thread, list]:
    errs: list = []

    def run() -> None:
        try:
            target(*args)
        except Exception as e:
            errs.append(type(e).__name__)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    time.sleep(0.2)
    return t, errs


def test_session_close_releases_blocked_enqueue_and_dequeue() -> None:
    q = tf.RandomShuffleQueue(2, 1, tf.int32, shapes=[[]], seed=1)
    enq = q.enqueue(tf.constant(1))
    deq = q.dequeue()
    sess = tf.Session()
    sess.run(enq)
    sess.run(enq)
    t1, e1 = _blocked(sess.run, enq)  # full
    p = tf.PaddingFIFOQueue(2, tf.int32, shapes=[[None]])
    t2, e2 = _blocked(sess.run, p.dequeue_many(2))  # empty
    assert t1.is_alive()
    assert t2.is_alive()
    sess.close()
    t1.join(5)
    t2.join(5)
    assert not t1.is_alive()
    assert not t2.is_alive()
    assert e1 == ["CancelledError"]
    assert e2 == ["CancelledError"]
    del deq


# without a coordinator a runner thread re-raises its CancelledError, as TF's does
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_queue_runners_without_coordinator_end_when_session_closes() -> None:
    data = tf.train.range_input_producer(1000, shuffle=False, capacity=4)
    b = tf.train.batch([data.dequeue()], 3, capacity=5)
    sess = tf.Session()
    threads = tf.train.start_queue_runners(sess)
    assert sess.run(b).tolist() == [0, 1, 2]
    time.sleep(0.2)  # both runners are now blocked on full queues
    sess.close()
    for t in threads:
        t.join(5)
    assert not any(t.is_alive() for t in threads)


def test_coordinator_stop_closes_queues_and_joins() -> None:
    x, y = tf.train.slice_input_producer([tf.range(100), tf.range(100) * 2], shuffle=False)
    b = tf.train.shuffle_batch([x, y], 5, capacity=20, min_after_dequeue=10, num_threads=3)
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        xs, ys = sess.run(b)
        assert (ys == 2 * xs).all()
        assert len(set(xs.tolist())) == 5
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=5)
    assert not any(t.is_alive() for t in threads)


def test_close_without_cancel_fails_pending_enqueue_with_closed_message() -> None:
    q = tf.FIFOQueue(1, tf.int32, shapes=[[]])
    enq = q.enqueue(7)
    with tf.Session() as sess:
        sess.run(enq)
        t, errs = _blocked(sess.run, enq)
        sess.run(q.close())
        t.join(5)
        assert not t.is_alive()
        assert errs == ["CancelledError"]
        assert sess.run(q.dequeue()) == 7
        with pytest.raises(tf.errors.OutOfRangeError, match="is closed and has insufficient"):
            sess.run(q.dequeue())


def test_dequeue_many_larger_than_capacity_takes_elements_as_they_come() -> None:
    # TF's queues hand elements to a waiting dequeue_many one by one, so n > capacity works
    q = tf.FIFOQueue(2, tf.int32, shapes=[[]])
    x = tf.placeholder(tf.int32, [])
    enq = q.enqueue(x)
    deq = q.dequeue_many(5)
    with tf.Session() as sess:
        got: list = []
        t = threading.Thread(target=lambda: got.append(sess.run(deq)), daemon=True)
        t.start()
        producer = threading.Thread(
            target=lambda: [sess.run(enq, {x: i}) for i in range(5)], daemon=True
        )
        producer.start()
        t.join(5)
        producer.join(5)
        assert not t.is_alive()
        assert not producer.is_alive()
        assert got[0].tolist() == [0, 1, 2, 3, 4]


def test_single_sample_is_philox_word_by_word() -> None:
    g = SingleSample(7, 9)
    words = [g() for _ in range(1030)]  # crosses the 256-block refill
    want = [w for i in range(258) for w in philox_scalar(7, (9 << 64) + i)]
    assert words == want[:1030]
