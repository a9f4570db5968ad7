"""``tf.RegisterGradient`` / ``tf.NotDifferentiable`` with ``Graph.gradient_override_map``:
guided backprop's Relu override, a Python gradient for ``tf.py_func``, the straight-through
estimator (``{"Round": "Identity"}``), multi-output and multi-input gradient functions, an
unregistered override (TF's ``LookupError``), duplicate registration (``KeyError``), the gradient
op names, optimizers using the registered gradient, plus ``tf.init_scope``, ``tf.op_scope``,
``tf.assert_variables_initialized``, ``tf.initialize_all_tables``, ``tf.version`` and the
top-level aliases (``tf.OpError``, ``tf.make_tensor_proto``).

The registry is process-wide (in TF too): each case registers fresh names."""

import itertools

import numpy as np

_ids = itertools.count()


def _fresh(prefix):
    return f"ApiB{prefix}{next(_ids)}"


def case_guided_relu(tf, show):
    name = _fresh("GuidedRelu")

    @tf.RegisterGradient(name)
    def _guided(op, grad):
        return tf.where(grad > 0.0, grad * tf.cast(op.outputs[0] > 0.0, grad.dtype),
                        tf.zeros_like(grad))  # fmt: skip

    g = tf.get_default_graph()
    x = tf.constant([[-1.0, 2.0, 3.0, -4.0]])
    with g.gradient_override_map({"Relu": name}):
        y = tf.nn.relu(x, name="guided")
    plain = tf.nn.relu(x, name="plain")
    w = tf.constant([[1.0, -1.0, 2.0, 2.0]])
    (gx,) = tf.gradients(y * w, x)
    (gp,) = tf.gradients(plain * w, x)
    print(y.op.get_attr("_gradient_op_type") == name.encode())
    print(gx.dtype.name, gx.shape.as_list())
    with tf.Session() as sess:
        show(sess.run([gx, gp]))


def case_py_func_gradient(tf, show):
    name = _fresh("Square")

    @tf.RegisterGradient(name)
    def _square_grad(op, grad):
        return grad * 2.0 * op.inputs[0]

    g = tf.get_default_graph()
    a = tf.constant([1.0, 2.0, 3.0])
    with g.gradient_override_map({"PyFunc": name}):
        b = tf.py_func(lambda v: v * v, [a], tf.float32)
    b.set_shape([3])
    (ga,) = tf.gradients(tf.reduce_sum(b * b), a)
    (none,) = tf.gradients(tf.py_func(lambda v: v * v, [a], tf.float32), a)
    print(none)
    with tf.Session() as sess:
        show(sess.run(ga))


def case_straight_through_round(tf, show):
    g = tf.get_default_graph()
    x = tf.constant([0.2, 0.7, 1.6])
    with g.gradient_override_map({"Round": "Identity", "Sign": "Identity"}):
        r = tf.round(x * 1.5)
        s = tf.sign(x - 0.5)
    (gr,) = tf.gradients(r * 3.0 + s * tf.constant([1.0, 2.0, 4.0]), x)
    with tf.Session() as sess:
        show(sess.run([r, s, gr]))


def case_override_chain_and_second_use(tf, show):
    name = _fresh("Double")

    @tf.RegisterGradient(name)
    def _double(op, grad):
        return grad * 2.0

    g = tf.get_default_graph()
    x = tf.constant([1.0, -2.0])
    with g.gradient_override_map({"Tanh": name}):
        h1 = tf.tanh(x)
        h2 = tf.tanh(h1 * 3.0)
    y = tf.reduce_sum(h2 * h2)
    (g1,) = tf.gradients(y, x)
    (g2,) = tf.gradients(h1, x)
    with tf.Session() as sess:
        show(sess.run([y, g1, g2]))


def case_multi_input_gradient(tf, show):
    name = _fresh("MulGrad")

    @tf.RegisterGradient(name)
    def _mul(op, grad):
        return [grad * 10.0, None]

    g = tf.get_default_graph()
    a = tf.constant([1.0, 2.0])
    b = tf.constant([3.0, 4.0])
    with g.gradient_override_map({"Mul": name}):
        c = a * b
    ga, gb = tf.gradients(c, [a, b])
    print(gb)
    with tf.Session() as sess:
        show(sess.run(ga))


def case_optimizer_uses_registered_gradient(tf, show):
    name = _fresh("Neg")

    @tf.RegisterGradient(name)
    def _neg(op, grad):
        return -grad

    g = tf.get_default_graph()
    v = tf.get_variable("v", initializer=np.array([1.0, 2.0], np.float32))
    with g.gradient_override_map({"Identity": name}):
        y = tf.identity(v * 1.0)
    loss = tf.reduce_sum(y * y)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        show(sess.run(v))


def case_not_differentiable(tf, show):
    name = _fresh("Cut")
    tf.NotDifferentiable(name)
    g = tf.get_default_graph()
    x = tf.constant([1.0, 2.0])
    with g.gradient_override_map({"Square": name}):
        y = tf.square(x)
    print(tf.gradients(y + x, x)[0] is not None)
    print(tf.gradients(y, x))
    with tf.Session() as sess:
        show(sess.run(tf.gradients(y + x, x)))
    other = _fresh("Cut")
    tf.no_gradient(other)
    print(tf.NoGradient is not None)


def case_unregistered_override_raises(tf, expect_error):
    g = tf.get_default_graph()
    x = tf.constant([1.0, 2.0])
    with g.gradient_override_map({"Exp": _fresh("Nowhere")}):
        y = tf.exp(x, name="myexp")
    expect_error(lambda: tf.gradients(y, x))


def case_registration_errors(tf, expect_error):
    name = _fresh("Twice")
    tf.RegisterGradient(name)(lambda op, grad: grad)

    def again():
        try:
            tf.RegisterGradient(name)(lambda op, grad: grad)
        except KeyError as e:
            msg = str(e.args[0])
            print(type(e).__name__, msg[: msg.index("(Previous")])
            raise

    expect_error(again, message=False)
    expect_error(lambda: tf.RegisterGradient(3))
    expect_error(lambda: tf.NotDifferentiable(3))


def case_wrong_number_of_gradients(tf):
    name = _fresh("Wrong")

    @tf.RegisterGradient(name)
    def _wrong(op, grad):
        return [grad, grad]

    g = tf.get_default_graph()
    x = tf.constant([1.0, 2.0])
    with g.gradient_override_map({"Exp": name}):
        y = tf.exp(x, name="e")
    try:
        tf.gradients(y, x)
    except ValueError as e:
        print("ValueError", str(e).split(" generated")[0])


def case_grad_op_names(tf):
    name = _fresh("Named")

    @tf.RegisterGradient(name)
    def _named(op, grad):
        return tf.multiply(grad, 3.0, name="scaled")

    g = tf.get_default_graph()
    x = tf.constant([1.0, 2.0])
    with g.gradient_override_map({"Sigmoid": name}):
        y = tf.sigmoid(x, name="sig")
    tf.gradients(y, x)
    names = [op.name for op in g.get_operations()]
    print("gradients/sig_grad/scaled" in names)


def case_init_scope_and_op_scope(tf):
    a = tf.constant(1.0, name="a")
    with tf.name_scope("outer"), tf.control_dependencies([a]):
        with tf.init_scope():
            b = tf.constant(2.0, name="b")
        c = tf.constant(3.0, name="c")
    print(b.name, [op.name for op in b.op.control_inputs])
    print(c.name, [op.name for op in c.op.control_inputs])
    with tf.op_scope([a], None, "defname") as scope:
        print(scope)
    with tf.op_scope([a], "given", "defname") as scope:
        print(scope)


def case_assert_variables_initialized(tf, expect_error):
    print(tf.assert_variables_initialized())
    v = tf.get_variable("v", [2, 3])
    w = tf.Variable(1.0, name="w")
    one = tf.assert_variables_initialized([v])
    both = tf.assert_variables_initialized()
    print(one.op.type, one.name, one.dtype.name, one.shape.as_list(), one.op.inputs[0].name)
    print(both.name, both.shape.as_list())
    with tf.Session() as sess:
        expect_error(lambda: sess.run(both), message=False)
        sess.run(tf.variables_initializer([w]))
        expect_error(lambda: sess.run(one), message=False)
        sess.run(tf.global_variables_initializer())
        print(sess.run(both).tolist(), sess.run(one))


def case_initialize_all_tables(tf):
    init = tf.initialize_all_tables()
    print(init.name, init.type)
    init2 = tf.initialize_all_tables(name="tabs")
    print(init2.name)


def case_version_and_aliases(tf):
    print(tf.version.GRAPH_DEF_VERSION == tf.GRAPH_DEF_VERSION)
    print(tf.GRAPH_DEF_VERSION_MIN_CONSUMER, tf.GRAPH_DEF_VERSION_MIN_PRODUCER)
    print(tf.version.VERSION == tf.VERSION == tf.__version__)
    print(isinstance(tf.version.GIT_VERSION, str), isinstance(tf.version.COMPILER_VERSION, str))
    print(tf.OpError is tf.errors.OpError)
    p = tf.make_tensor_proto(np.array([[1.0, 2.0]], np.float32))
    print(p.dtype, [d.size for d in p.tensor_shape.dim])
    print(tf.make_ndarray(p).tolist() if hasattr(tf, "make_ndarray") else None)
