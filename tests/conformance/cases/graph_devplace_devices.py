"""Device placement as TF records it in the graph: ``op.device`` and the GraphDef's fields.

Nested ``tf.device`` scopes (strings, ``DeviceSpec``, ``''``, ``None``), device functions,
``tf.train.replica_device_setter`` configurations, ``colocate_with`` (devices and ``_class``
groups), ``Operation._set_device``, variables' devices and TF's errors for bad device strings.
"""


def _ops(tf, names=None):
    for op in tf.get_default_graph().get_operations():
        if names is None or op.name in names:
            print(op.name, op.type, repr(op.device))


def _graph_def(tf):
    for n in tf.get_default_graph().as_graph_def().node:
        groups = list(n.attr["_class"].list.s) if "_class" in n.attr else []
        print(n.name, repr(n.device), groups)


def case_nested_strings(tf):
    with tf.device("/job:ps"):
        tf.constant(1.0, name="a")
        with tf.device("/task:1"):
            tf.constant(1.0, name="b")
            with tf.device("/gpu:0"):
                tf.constant(1.0, name="c")
                with tf.device("/job:worker/cpu:1"):
                    tf.constant(1.0, name="d")
        with tf.device("cpu:0"):
            tf.constant(1.0, name="e")
        with tf.device(""):
            tf.constant(1.0, name="f")
            with tf.device("/device:GPU:2"):
                tf.constant(1.0, name="g")
        with tf.device(None):
            tf.constant(1.0, name="h")
            with tf.device("/replica:3"):
                tf.constant(1.0, name="i")
    with tf.device("/cpu:*"):
        tf.constant(1.0, name="j")
    with tf.device("/job:w/replica:1/task:2/device:GPU:3"):
        tf.constant(1.0, name="k")
    with tf.device("/gpu:1"), tf.device("/device:cpu:*"):
        tf.constant(1.0, name="l")
    _ops(tf)
    _graph_def(tf)


def case_device_spec_objects(tf):
    spec = tf.DeviceSpec(job="ps", task=1, device_type="GPU")
    with tf.device(spec):
        tf.constant(1.0, name="a")
        spec.task = 5  # the scope took a snapshot
        tf.constant(1.0, name="b")
        with tf.device(tf.DeviceSpec(device_index=2)):
            tf.constant(1.0, name="c")
    with tf.device(tf.DeviceSpec()):
        tf.constant(1.0, name="d")
    _ops(tf)


def case_device_in_device_empty(tf):
    with tf.device("/cpu:0"):
        with tf.device(""):
            a = tf.constant(1.0, name="a")
        v = tf.Variable(1.0, name="v")
    print(repr(a.device), repr(v.device), repr(v.op.device), repr(v.initializer.device))
    print(repr(v.initial_value.device), repr(v.value().device))


def case_device_functions(tf):
    seen = []

    def fn(op):
        seen.append((op.name, op.type, op.device))
        return f"cpu:{len(seen)}"

    def by_type(op):
        return "/gpu:0" if op.type == "MatMul" else "/cpu:0"

    def spec_fn(op):
        return tf.DeviceSpec(job="fn", task=len(op.name))

    with tf.device(fn):
        tf.constant(1.0, name="a")
        with tf.device("/job:inner"):
            tf.constant(1.0, name="b")
    with tf.device("/job:outer/task:7"), tf.device(fn):
        tf.constant(1.0, name="c")
    with tf.device(by_type):
        x = tf.constant([[1.0]], name="x")
        tf.matmul(x, x, name="mm")
    with tf.device(spec_fn):
        tf.constant(1.0, name="spec")
    with tf.device(fn), tf.device(None):
        tf.constant(1.0, name="none_inside_fn")
    with tf.device(None), tf.device(fn):
        tf.constant(1.0, name="fn_inside_none")
    print(seen)
    _ops(tf)
    _graph_def(tf)


def case_device_function_results(tf, expect_error):
    with tf.device(lambda op: b"/job:bytes"):
        a = tf.constant(1.0, name="a")
    with tf.device(lambda op: ""):
        b = tf.constant(1.0, name="b")
    with tf.device("/job:ps"), tf.device(lambda op: "/device:GPU:1"):
        c = tf.constant(1.0, name="c")
    print(repr(a.device), repr(b.device), repr(c.device))

    def returns_none():
        with tf.device(lambda op: None):
            tf.constant(1.0, name="none")

    expect_error(returns_none)


def case_variables_under_device_function(tf):
    calls = []

    def fn(op):
        calls.append(op.type)
        return f"/cpu:{len(calls) - 1}"

    with tf.device(fn):
        a = tf.get_variable("a", [2])
        b = tf.get_variable("b", [], initializer=tf.zeros_initializer())
        c = tf.Variable(tf.constant(3.0, name="c_init"), name="c")
        d = tf.get_variable("d", initializer=tf.constant(4.0, name="d_init"))
        with tf.device("/cpu:99"):
            e = tf.get_variable("e", [])
    print(calls)
    for v in (a, b, c, d, e):
        print(
            v.op.name,
            repr(v.device),
            repr(v.initial_value.device),
            repr(v.initializer.device),
            repr(v.value().device),
            v.op.colocation_groups(),
            v.initial_value.op.colocation_groups(),
            v.initializer.colocation_groups(),
        )
    _graph_def(tf)


def case_replica_device_setter_default(tf):
    with tf.device(tf.train.replica_device_setter(ps_tasks=2)):
        a = tf.Variable(1.0, name="a")
        b = tf.get_variable("b", [2])
        c = tf.Variable(2.0, name="c")
        with tf.device("/cpu:12"):
            d = tf.Variable(3.0, name="d")
        with tf.device("/job:other/task:9"):
            e = tf.Variable(3.0, name="e")
        y = a * c + tf.reduce_sum(b)
        with tf.device("/gpu:1"):
            z = tf.identity(y, name="z")
    for v in (a, b, c, d, e):
        print(
            v.op.name,
            repr(v.device),
            repr(v.initializer.device),
            repr(v.value().device),
            repr(v.initial_value.device),
        )
    print(repr(y.device), repr(z.device))
    _graph_def(tf)


def case_replica_device_setter_configs(tf):
    cluster = {"ps": ["ps0:2222", "ps1:2222", "ps2:2222"], "worker": ["w0:2222"]}
    configs = [
        {"cluster": cluster},
        {"cluster": tf.train.ClusterSpec(cluster)},
        {"cluster": tf.train.ClusterSpec(cluster).as_cluster_def()},
        {"cluster": {"worker": ["w0:2222"]}},
        {"ps_tasks": 0},
        {
            "ps_tasks": 2,
            "ps_device": "/job:ps/device:GPU:0",
            "worker_device": "/job:worker/task:3/gpu:0",
        },
        {"ps_tasks": 2, "ps_device": "", "worker_device": ""},
        {"ps_tasks": 2, "ps_device": "/task:4"},
        {"ps_tasks": 2, "merge_devices": False},
        {"ps_tasks": 3, "ps_ops": ["Const"]},
        {"ps_tasks": 2, "ps_strategy": lambda op: 7},
        {"cluster": {"param": ["p:1", "p:2"]}, "ps_device": "/job:param"},
    ]
    for i, kwargs in enumerate(configs):
        with tf.Graph().as_default():
            setter = tf.train.replica_device_setter(**kwargs)
            print(i, setter is None)
            with tf.device(setter):
                v1 = tf.Variable(1.0, name="v1")
                v2 = tf.Variable(1.0, name="v2")
                with tf.device("/job:ps/cpu:3"):
                    v3 = tf.Variable(1.0, name="v3")
                with tf.device("/job:worker"):
                    v4 = tf.Variable(1.0, name="v4")
                k = tf.constant(1.0, name="k")
                with tf.device("/cpu:5"):
                    k2 = tf.constant(1.0, name="k2")
            print(" ", [repr(t.device) for t in (v1, v2, v3, v4, k, k2)])


def case_replica_device_setter_errors(tf, expect_error):
    expect_error(lambda: tf.train.replica_device_setter(ps_tasks=1, ps_strategy=3))
    expect_error(lambda: tf.train.replica_device_setter(cluster=["ps0:1"]))


def case_colocate_with(tf, expect_error):
    with tf.device("/job:ps/task:1/cpu:0"):
        a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    with tf.device("/gpu:3"):
        with tf.colocate_with(a):
            c = tf.add(a, b, name="c")
            with tf.device("/job:inner"):
                d = tf.identity(c, name="d")
            with tf.colocate_with(b):
                e = tf.identity(b, name="e")
            with tf.colocate_with(b, ignore_existing=True):
                f = tf.identity(b, name="f")
            with tf.colocate_with(None, ignore_existing=True):
                g = tf.identity(b, name="g")
        h = tf.identity(b, name="h")
        with tf.colocate_with(b):
            i = tf.identity(b, name="i")
            with tf.device("/cpu:1"):
                j = tf.identity(b, name="j")
    for t in (a, b, c, d, e, f, g, h, i, j):
        print(t.op.name, repr(t.device), t.op.colocation_groups())
    v = tf.Variable(1.0, name="v")
    with tf.colocate_with(v):
        w = tf.identity(v, name="w")
    print(w.op.colocation_groups(), repr(w.device))
    _graph_def(tf)
    expect_error(lambda: tf.colocate_with(None).__enter__())


def case_set_device(tf):
    a = tf.constant(1.0, name="a")
    b = tf.constant(1.0, name="b")
    c = tf.constant(1.0, name="c")
    a.op._set_device("/gpu:1")
    b.op._set_device(tf.DeviceSpec(job="x", device_type="CPU", device_index=0))
    with tf.device("/job:ps"):
        c.op._set_device("/task:2")
    print(repr(a.device), repr(b.device), repr(c.device))
    print(repr(a.op.node_def.device), repr(b.op.node_def.device))
    _graph_def(tf)


def case_device_stack_nesting(tf, expect_error):
    g = tf.get_default_graph()
    outer = g.device("/cpu:0")
    inner = g.device("/cpu:1")
    outer.__enter__()
    inner.__enter__()
    expect_error(lambda: outer.__exit__(None, None, None))


def case_bad_device_strings(tf, expect_error):
    for bad in ["/foo:1", "/gpu:x", "/gpu:0/cpu:0", "/job:a/bad", "/device:GPU:y"]:

        def enter(bad=bad):
            with tf.device(bad):
                tf.constant(1.0)

        expect_error(enter)


def case_cluster_spec(tf, expect_error):
    c = tf.train.ClusterSpec({"worker": ["w0:1", "w1:1"], "ps": {0: "p0:1", 3: "p3:1"}})
    print(c.jobs, c.num_tasks("ps"), c.task_indices("ps"), c.task_address("ps", 3))
    print(c.job_tasks("ps"), c.as_dict())
    print(repr(c), bool(c), bool(tf.train.ClusterSpec({})))
    print(str(c.as_cluster_def()).replace("\n", " | "))
    d = tf.train.ClusterSpec(c.as_cluster_def())
    print(d.as_dict(), d == c.as_dict(), tf.train.ClusterSpec(c) == c.as_dict(), c != {})
    expect_error(lambda: c.num_tasks("nope"))
    expect_error(lambda: c.task_address("ps", 1))
    expect_error(lambda: tf.train.ClusterSpec({"w": "host:1"}))
    expect_error(lambda: tf.train.ClusterSpec("w"))
    expect_error(lambda: tf.train.ClusterSpec({"w": [3]}))
    print(tf.resource_variables_enabled())
