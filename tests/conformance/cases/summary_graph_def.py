"""Graph.as_graph_def: the GraphDef TensorBoard's graph tab shows (nodes, inputs, attributes).

TF 2's ``_has_manual_control_dependencies`` attribute is left out of the comparison. Constants
print their exact TensorProto bytes.
"""


def _nodes(gd):
    for n in gd.node:
        attrs = []
        for key in sorted(n.attr):
            if key == "_has_manual_control_dependencies":  # TF 2 only
                continue
            v = n.attr[key]
            kind = v.WhichOneof("value")
            if kind == "tensor":
                text = f"tensor({v.tensor.SerializeToString()!r})"
            elif kind == "list":
                text = f"list({v.list.SerializeToString()!r})"
            else:
                text = repr(getattr(v, kind))
            attrs.append(f"{key}={text}")
        print(n.name, n.op, list(n.input), repr(n.device), " ".join(attrs))


def case_simple_model_graph_def(tf):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.variable_scope("dense"):
        w = tf.get_variable("kernel", [3, 2], initializer=tf.zeros_initializer())
        b = tf.get_variable("bias", [2], initializer=tf.constant_initializer(0.5))
    y = tf.nn.relu(tf.matmul(x, w) + b, name="y")
    loss = tf.reduce_mean(tf.square(y), name="loss")
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("kernel", w)
    merged = tf.summary.merge_all()
    gd = tf.get_default_graph().as_graph_def()
    print(gd.versions.producer > 0, len(gd.node), merged.name)
    _nodes(gd)


def case_variable_colocation(tf):
    tf.Variable(tf.zeros([2]), name="a")
    tf.Variable(lambda: tf.ones([2]), name="b")
    with tf.variable_scope("s", partitioner=tf.fixed_size_partitioner(2)):
        tf.get_variable("c", [4, 2], initializer=tf.constant_initializer(3.0))
    tf.get_local_variable("d", [1], initializer=tf.zeros_initializer())
    with tf.variable_scope("Initializer"):
        tf.get_variable("e", [2], initializer=tf.ones_initializer())
    _nodes(tf.get_default_graph().as_graph_def())


def case_constants_and_control_inputs(tf):
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]], name="a")
    a2 = tf.constant([[1.0, 2.0], [3.0, 4.0]], name="a2")
    s = tf.constant(7, name="s")
    t = tf.constant(["x", "yz"], name="t")
    with tf.control_dependencies([a2]):
        c = tf.identity(s, name="c")
    with tf.device("/cpu:0"):
        d = tf.add(s, c, name="d")
    tf.constant(1.5, shape=[2, 3], name="fill_scalar")
    tf.constant([1, 2], shape=[4], name="fill_last")
    tf.zeros([2, 2], tf.int64, name="z")
    tf.ones([3], name="o")
    tf.constant(2.0, shape=[1], name="one_elem")
    tf.constant([[1.0, 2.0]], shape=[2], name="reshaped")
    print(d.name)
    _nodes(tf.get_default_graph().as_graph_def())
    del t, a


def case_output_shapes(tf):
    x = tf.placeholder(tf.int32, [2, None], name="x")
    y = tf.reshape(x, [-1], name="y")
    s, i = tf.unique(tf.constant([3, 1, 3]), name="u")
    print(y.name, s.name, i.name)
    _nodes(tf.get_default_graph().as_graph_def(add_shapes=True))


def case_devices(tf):
    for i, spec in enumerate(("/cpu:0", "/device:GPU:1", "/job:worker/task:3/cpu:0", "/gpu:*")):
        with tf.device(spec):
            tf.constant(1.0, name=f"c{i}")
    with tf.device("/job:ps/replica:0/task:1/device:CPU:0"):
        tf.constant(2.0, name="ps_const")
    with tf.device("/cpu:0"):
        tf.constant(3.0, name="cpu_const")
    for n in tf.get_default_graph().as_graph_def().node:
        print(n.name, repr(n.device))
