"""RandomShuffleQueue (TF's seeded order), PaddingFIFOQueue, PriorityQueue, close and cancel.

Blocking is made deterministic: a blocked thread is released by an enqueue/close issued after
the main thread saw the queue unchanged, and every join has a timeout. Error messages name the
queue's resource (``'_<n>_<op name>'``, a process-wide counter in TF); ``_err`` prints ``<n>``
as ``N`` so the cases do not depend on how many queues ran before them.
"""

import re
import threading
import time


def _message(exc):
    # TF 2's message starts "Graph execution error:" and ends with the kernel's message line
    # followed by "[[{{node ...}}]]"; keep the kernel's line only
    lines = [ln for ln in str(getattr(exc, "message", exc)).splitlines() if ln.strip()]
    for i, ln in enumerate(lines):
        if ln.strip().startswith("[[") and i > 0:
            return re.sub(r"'_\d+_", "'_N_", lines[i - 1])
    return re.sub(r"'_\d+_", "'_N_", lines[-1] if lines else "")


def _err(fn):
    try:
        fn()
    except Exception as exc:
        print("ERROR", type(exc).__name__, _message(exc))
    else:
        print("NO ERROR")


def case_random_shuffle_queue_graph_seed(tf, show):
    tf.set_random_seed(3)
    with tf.name_scope("sc"):
        q = tf.RandomShuffleQueue(10, 2, [tf.int32], shapes=[[]])
    print(q.name, q.dtypes, q.shapes, q.names)
    e = q.enqueue_many([list(range(10))])
    d = q.dequeue()
    dm = q.dequeue_many(3)
    du = q.dequeue_up_to(4)
    c = q.close()
    ic = q.is_closed()
    print(e.name, d, dm, du, c.name, ic, q.size())
    print(dm.op.inputs[1].op.name)
    with tf.Session() as sess:
        sess.run(e)
        show(sess.run(d), sess.run(dm), sess.run(ic))
        sess.run(c)
        show(sess.run(du), sess.run(du), sess.run(ic))
        _err(lambda: sess.run(du))
        _err(lambda: sess.run(e))


def case_random_shuffle_queue_op_seeds(tf, show):
    # an op seed without a graph seed, two queues (graph seed: the per-graph counter)
    q1 = tf.RandomShuffleQueue(20, 0, tf.int64, shapes=[[2]], seed=7)
    tf.set_random_seed(11)
    q2 = tf.RandomShuffleQueue(20, 0, [tf.float32, tf.string], shapes=[[], []])
    q3 = tf.RandomShuffleQueue(20, 0, [tf.float32, tf.string], shapes=[[], []])
    rows = [[i, 10 * i] for i in range(12)]
    with tf.Session() as sess:
        sess.run(q1.enqueue_many([rows]))
        show(sess.run(q1.dequeue_many(12)))
        vals = ([0.5 * i for i in range(9)], [f"s{i}" for i in range(9)])
        sess.run(q2.enqueue_many(vals))
        sess.run(q3.enqueue_many(vals))
        show(sess.run(q2.dequeue_many(5)), sess.run(q3.dequeue_many(5)))
        for _ in range(4):
            show(sess.run(q2.dequeue()))


def case_random_shuffle_queue_min_after_dequeue_blocks(tf, show):
    tf.set_random_seed(1)
    q = tf.RandomShuffleQueue(10, 2, tf.int32, shapes=[[]])
    x = tf.placeholder(tf.int32, [None])
    enq = q.enqueue_many([x])
    deq = q.dequeue()
    size = q.size()
    with tf.Session() as sess:
        sess.run(enq, {x: [0, 1, 2]})
        show(sess.run(deq), sess.run(size))
        got = []
        t = threading.Thread(target=lambda: got.append(sess.run(deq)))
        t.start()
        time.sleep(0.3)  # the dequeue waits: only min_after_dequeue elements remain
        show(sess.run(size), got)
        sess.run(enq, {x: [3]})
        t.join(10)
        show(t.is_alive(), got, sess.run(size))
        sess.run(q.close())
        show(sess.run(deq), sess.run(deq))
        _err(lambda: sess.run(deq))


def case_random_shuffle_queue_dequeue_many_restores(tf, show):
    tf.set_random_seed(2)
    q = tf.RandomShuffleQueue(10, 3, tf.int32, shapes=[[]])
    with tf.Session() as sess:
        sess.run(q.enqueue_many([[10, 11, 12, 13, 14]]))
        dm = q.dequeue_many(4)
        got = []
        errs = []

        def take():
            try:
                got.append(sess.run(dm))
            except Exception as exc:
                errs.append(type(exc).__name__)

        t = threading.Thread(target=take)
        t.start()
        time.sleep(0.3)  # two taken, two more wanted: the thread waits
        show(sess.run(q.size()))
        sess.run(q.close())
        t.join(10)
        show(t.is_alive(), got, errs, sess.run(q.size()))
        show(sess.run(q.dequeue_up_to(10)))


def case_padding_fifo_queue(tf, show):
    p = tf.PaddingFIFOQueue(5, [tf.int32, tf.string], shapes=[[None], []])
    pe = p.enqueue([[1, 2, 3], "a"])
    pe2 = p.enqueue([[4], "bb"])
    pdm = p.dequeue_many(2)
    pc = p.close()
    pd = p.dequeue()
    pu = p.dequeue_up_to(3)
    print(pdm, pd, pu, p.shapes)
    with tf.Session() as sess:
        sess.run(pe)
        sess.run(pe2)
        show(sess.run(pdm))
        sess.run(pe)
        sess.run(pe2)
        sess.run(pe2)
        show(sess.run(pd))
        sess.run(pc)
        show(sess.run(pu))
        _err(lambda: sess.run(pdm))
        _err(lambda: sess.run(pe))
        _err(lambda: sess.run(pd))
    m = tf.PaddingFIFOQueue(4, tf.float32, shapes=[[None, 2]])
    with tf.Session() as sess:
        sess.run(m.enqueue_many([[[[1.0, 2.0]], [[3.0, 4.0]]]]))
        sess.run(m.enqueue([[[5.0, 6.0], [7.0, 8.0], [9.0, 10.0]]]))
        show(sess.run(m.dequeue_many(3)))


def case_priority_queue(tf, show):
    pr = tf.PriorityQueue(5, [tf.string, tf.int32], shapes=[[], [2]])
    pre = pr.enqueue_many([[3, 1, 2], ["c", "a", "b"], [[3, 3], [1, 1], [2, 2]]])
    prd = pr.dequeue_many(2)
    prc = pr.close()
    pru = pr.dequeue_up_to(3)
    print(prd, pru, pr.dtypes, pr.shapes)
    with tf.Session() as sess:
        sess.run(pre)
        show(sess.run(prd))
        sess.run(pr.enqueue([0, "z", [0, 0]]))
        sess.run(pr.enqueue([7, "q", [7, 7]]))
        sess.run(prc)
        show(sess.run(pru))
        _err(lambda: sess.run(pru))
        show(sess.run(pr.size()))


def case_queue_names_and_dicts(tf, show):
    q = tf.FIFOQueue(4, [tf.int32, tf.float32], shapes=[[], [2]], names=["a", "b"], name="nq")
    e = q.enqueue({"a": 1, "b": [1.0, 2.0]})
    d = q.dequeue()
    dm = q.dequeue_many(1)
    print(q.names, e.name, sorted(d), d["a"], dm["b"])
    with tf.Session() as sess:
        sess.run(e)
        sess.run(e)
        show(sess.run(d), sess.run(dm))
    try:
        q.enqueue([1, [1.0, 2.0]])
    except ValueError as exc:
        print("ValueError", exc)
    try:
        tf.FIFOQueue(2, tf.int32, shapes=[[None]])
    except ValueError as exc:
        print("ValueError", exc)
    try:
        tf.RandomShuffleQueue(2, 2, tf.int32)
    except Exception as exc:
        print(type(exc).__name__)
    u = tf.FIFOQueue(3, tf.int32)
    with tf.Session() as sess:
        sess.run(u.enqueue([[1, 2]]))
        _err(lambda: sess.run(u.dequeue_many(1)))
        show(sess.run(u.dequeue()))


def case_close_cancels_pending_enqueue(tf, show):
    q = tf.FIFOQueue(1, tf.int32, shapes=[[]])
    x = tf.placeholder(tf.int32, [])
    enq = q.enqueue(x)
    with tf.Session() as sess:
        sess.run(enq, {x: 1})
        errs = []

        def blocked():
            try:
                sess.run(enq, {x: 2})
            except Exception as exc:
                errs.append((type(exc).__name__, _message(exc)))

        t = threading.Thread(target=blocked)
        t.start()
        time.sleep(0.3)
        show(errs, sess.run(q.size()))
        sess.run(q.close(cancel_pending_enqueues=True))
        t.join(10)
        show(t.is_alive(), errs, sess.run(q.size()), sess.run(q.dequeue()))


def case_enqueue_shape_checked_at_run_time(tf, show):
    q = tf.FIFOQueue(3, tf.float32, shapes=[[2]])
    x = tf.placeholder(tf.float32)
    e = q.enqueue(x)
    with tf.Session() as sess:
        _err(lambda: sess.run(e, {x: [1.0, 2.0, 3.0]}))
        sess.run(e, {x: [1.0, 2.0]})
        show(sess.run(q.size()))


def case_session_close_cancels_blocked_dequeue(tf, show):
    q = tf.FIFOQueue(2, tf.int32, shapes=[[]])
    deq = q.dequeue()
    sess = tf.Session()
    sess.run(q.enqueue(1))
    show(sess.run(deq))
    errs = []

    def blocked():
        try:
            sess.run(deq)
        except Exception as exc:
            errs.append(type(exc).__name__)

    t = threading.Thread(target=blocked)
    t.start()
    time.sleep(0.3)
    sess.close()
    t.join(10)
    show(t.is_alive(), errs)


def case_queue_from_list(tf, show):
    q1 = tf.FIFOQueue(5, [tf.int32, tf.float32], shapes=[[2], []])
    q2 = tf.FIFOQueue(5, [tf.int32, tf.float32], shapes=[[2], []], name="other")
    q3 = tf.RandomShuffleQueue(5, 0, [tf.int32, tf.float32], seed=1)
    i = tf.placeholder(tf.int32, [])
    q = tf.QueueBase.from_list(i, [q1, q2, q3])
    r = tf.QueueBase.from_list(1, [q1, q2])
    print(q.name, q.shapes, q.dtypes, q.queue_ref, r.shapes)
    e = q.enqueue(([1, 2], 3.0))
    d = q.dequeue()
    s = q.size()
    print(e.name, d, s, r.dequeue_many(1))
    with tf.Session() as sess:
        sess.run(e, {i: 0})
        sess.run(e, {i: 0})
        sess.run(e, {i: 1})
        show(sess.run([q1.size(), q2.size()]), sess.run(s, {i: 0}))
        show(sess.run(d, {i: 1}), sess.run(s, {i: 1}), sess.run(s, {i: 2}))
    for bad in ([q1, tf.FIFOQueue(2, tf.int32)], (q1, q2), []):
        try:
            tf.QueueBase.from_list(0, bad)
        except TypeError as exc:
            print("TypeError", exc)
