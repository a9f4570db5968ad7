"""tf.py_function (EagerPyFunc: names, attrs, eager-style arguments, values, gradients, errors),
tf.DeviceSpec (TF1's mutable DeviceSpecV1) and tf.container."""

import numpy as np


def case_py_function_graph(tf, show):
    x = tf.constant([1.0, 2.0])
    y = tf.py_function(lambda a: a * a, [x], tf.float32)
    print(y.name, y.op.type, y.shape, y.dtype, y.op.get_attr("Tout"), y.op.get_attr("Tin"))
    print(y.op.get_attr("is_async"), y.op.get_attr("token")[:7])
    y2 = tf.py_function(lambda a, b: (a + b, a), [x, x], [tf.float32, tf.float32], name="foo")
    print([t.name for t in y2])
    y3 = tf.py_function(lambda a: None, [x], [])
    print(y3.name, y3.type, len(y3.outputs))
    with tf.name_scope("sc"):
        y4 = tf.py_function(lambda a: a, [x], [tf.float32])
    print(type(y4).__name__, y4[0].name)
    with tf.Session() as sess:
        show(sess.run(y), sess.run(y2), sess.run(y4))
        sess.run(y3)


def case_py_function_eager_arguments(tf, show):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    i = tf.constant([3, 4], dtype=tf.int64)
    seen = []

    def f(a, b):
        seen.append(
            (
                type(a.numpy()).__name__,
                a.numpy().dtype.name,
                tuple(a.shape.as_list()),
                a.dtype.name,
                b.dtype.name,
                len(a),
                float(a[1][0]),
                int(b[1]),
            )
        )
        r = (2.0 * a - 1.0) / 2.0 + a**2 - a[0]
        return r, np.asarray(b) * 2, np.sum(a.numpy()), b + 1

    outs = tf.py_function(f, [x, i], [tf.float32, tf.int64, tf.float32, tf.int64])
    with tf.Session() as sess:
        show(sess.run(outs))
    print(seen)


def case_py_function_gradient(tf, show):
    x = tf.constant([1.0, 2.0, 3.0])
    w = tf.Variable([0.5, -1.0, 2.0], name="w")
    y = tf.py_function(lambda a, b: a * a * b + 3.0 * b, [x, w], tf.float32)
    loss = tf.reduce_sum(y * tf.constant([1.0, 2.0, 3.0]))
    gx, gw = tf.gradients(loss, [x, w])
    print(gx.dtype, gw.dtype)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run([gx, gw]))


def case_py_function_errors(tf, expect_error):
    x = tf.constant([1.0, 2.0])
    expect_error(lambda: tf.py_function(3, [x], tf.float32))

    def boom(a):
        raise ValueError("bad value")

    bad = tf.py_function(boom, [x], tf.float32)
    wrong_dtype = tf.py_function(lambda a: np.array([1, 2], np.int32), [x], [tf.float32])
    wrong_count = tf.py_function(lambda a: a, [x], [tf.float32, tf.float32])
    with tf.Session() as sess:
        expect_error(lambda: sess.run(bad))
        expect_error(lambda: sess.run(wrong_dtype), message=False)
        expect_error(lambda: sess.run(wrong_count), message=False)


def case_device_spec(tf, show):
    d = tf.DeviceSpec(job="ps", replica=0, task=1, device_type="gpu", device_index=2)
    print(
        type(d).__name__,
        d.to_string(),
        repr(d),
        d.job,
        d.replica,
        d.task,
        d.device_type,
        d.device_index,
    )
    for s in [
        "/job:worker/replica:1/task:3/device:CPU:*",
        "/gpu:1",
        "/job:a/cpu:0",
        "",
        "gpu",
        "/job:a/job:b",
        "/device:TPU:3",
        "/replica:2",
        "CPU:1",
    ]:
        e = tf.DeviceSpec.from_string(s)
        print(repr(s), e.to_string(), e.device_type, e.device_index, e.job)
    f = tf.DeviceSpec()
    print(f.parse_from_string("/task:4/device:GPU:0") is f, f.to_string())
    f.merge_from(tf.DeviceSpec(job="w", device_type="CPU"))
    print(f.to_string())
    f.job = "zz"
    f.task = "7"
    f.device_type = "cpu"
    f.device_index = None
    print(f.to_string(), f.task)
    f.parse_from_string("/job:q")
    print(f.to_string())
    print(
        d == tf.DeviceSpec.from_string(d.to_string()),
        d != f,
        hash(d) == hash(tf.DeviceSpec.from_string(d.to_string())),
    )
    print(d.replace(job="x").to_string(), d.make_merged_spec(tf.DeviceSpec(task=9)).to_string())
    print(tf.DeviceSpec(device_index=3).to_string(), tf.DeviceSpec(device_type="Cpu").to_string())
    with tf.device(tf.DeviceSpec(job="ps", task=0)):
        print(tf.constant(1).device)


def case_device_spec_errors(tf, expect_error):
    for bad in ["/foo:1", "/device:GPU:x", "/task:x", "/gpu:0/cpu:0", "/device:GPU:0/cpu:1"]:
        expect_error(lambda bad=bad: tf.DeviceSpec.from_string(bad))


def case_container(tf, show):
    with tf.container("ctr") as c:
        print(c)
        v = tf.Variable(1.0, name="v")
        q = tf.FIFOQueue(2, tf.float32)
        r = tf.WholeFileReader()
        k = tf.constant(1.0)
    print(
        v.op.get_attr("container"),
        q.queue_ref.op.get_attr("container"),
        r.reader_ref.op.get_attr("container"),
        k.op.get_attr("dtype"),
    )
    print(tf.Variable(2.0).op.get_attr("container"))
    with tf.container("a"):
        with tf.container("b"):
            w = tf.Variable(1.0)
        w2 = tf.get_variable("gv", [])
        with tf.container(""):
            w3 = tf.Variable(1.0)
    print(w.op.get_attr("container"), w2.op.get_attr("container"), w3.op.get_attr("container"))
    with tf.container("a"):
        v2 = tf.Variable(5.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run([v, v2]))
