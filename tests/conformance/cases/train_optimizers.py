"""tf.train optimizers: slot names/shapes/order, global_variables() order, train-op names and
variable/slot values after several steps on dense and sparse (embedding_lookup) gradients."""

import numpy as np


def _model(tf, sparse):
    x = tf.constant(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4))
    with tf.variable_scope("dense"):
        w = tf.get_variable(
            "kernel", initializer=np.linspace(-0.5, 0.6, 12, dtype=np.float32).reshape(4, 3)
        )
        b = tf.get_variable("bias", initializer=np.array([0.1, -0.2, 0.3], np.float32))
    if sparse:
        emb = tf.get_variable(
            "emb", initializer=np.linspace(-1, 1, 24, dtype=np.float32).reshape(6, 4)
        )
        ids = tf.constant([[1, 3], [3, 0], [5, 1]])
        x = x + tf.reduce_sum(tf.nn.embedding_lookup(emb, ids), axis=1)
    y = tf.tanh(tf.matmul(x, w) + b)
    return tf.reduce_mean(tf.square(y - 0.25))


def _train(tf, show, make_opt, sparse=False, steps=3, global_step=True):
    loss = _model(tf, sparse)
    gs = tf.train.get_or_create_global_step() if global_step else None
    opt = make_opt(tf, gs)
    train = opt.minimize(loss, global_step=gs)
    print(train.name, train.type)
    print([(v.name, v.shape.as_list()) for v in tf.global_variables()])
    print(opt.get_slot_names(), [v.name for v in opt.variables()])
    for name in opt.get_slot_names():
        print(
            name,
            [
                s.name if s is not None else None
                for s in (opt.get_slot(v, name) for v in tf.trainable_variables())
            ],
        )
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(train)
        for v in tf.global_variables():
            print(v.op.name)
            show(sess.run(v))


_OPTIMIZERS = {
    "gd": lambda tf, gs: tf.train.GradientDescentOptimizer(0.3),
    "momentum": lambda tf, gs: tf.train.MomentumOptimizer(0.1, 0.9),
    "nesterov": lambda tf, gs: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    "adam": lambda tf, gs: tf.train.AdamOptimizer(0.05),
    "adagrad": lambda tf, gs: tf.train.AdagradOptimizer(0.2),
    "adagrad_da": lambda tf, gs: tf.train.AdagradDAOptimizer(0.2, gs),
    "adagrad_da_l1l2": lambda tf, gs: tf.train.AdagradDAOptimizer(
        0.2, gs, l1_regularization_strength=0.01, l2_regularization_strength=0.02
    ),
    "adadelta": lambda tf, gs: tf.train.AdadeltaOptimizer(1.0),
    "rmsprop": lambda tf, gs: tf.train.RMSPropOptimizer(0.01),
    "rmsprop_momentum_centered": lambda tf, gs: tf.train.RMSPropOptimizer(
        0.01, momentum=0.5, centered=True
    ),
    "ftrl": lambda tf, gs: tf.train.FtrlOptimizer(0.3),
    "ftrl_l1_l2_power": lambda tf, gs: tf.train.FtrlOptimizer(
        0.3,
        learning_rate_power=-0.7,
        l1_regularization_strength=0.001,
        l2_regularization_strength=0.01,
    ),
    "ftrl_shrinkage": lambda tf, gs: tf.train.FtrlOptimizer(
        0.3, l1_regularization_strength=0.001, l2_shrinkage_regularization_strength=0.05
    ),
    "proximal_gd": lambda tf, gs: tf.train.ProximalGradientDescentOptimizer(
        0.3, l1_regularization_strength=0.01, l2_regularization_strength=0.1
    ),
    "proximal_adagrad": lambda tf, gs: tf.train.ProximalAdagradOptimizer(
        0.3, l1_regularization_strength=0.01, l2_regularization_strength=0.1
    ),
}


def _make_case(make_opt, sparse):
    def case(tf, show):
        _train(tf, show, make_opt, sparse=sparse)

    return case


for _name, _make in _OPTIMIZERS.items():
    for _sparse in (False, True):
        _case = _make_case(_make, _sparse)
        _case.__name__ = f"case_{_name}_{'sparse' if _sparse else 'dense'}"
        globals()[_case.__name__] = _case


def case_adam_no_global_step_custom_name(tf, show):
    _train(tf, show, lambda tf, gs: tf.train.AdamOptimizer(0.01, name="MyAdam"), global_step=False)


def case_two_optimizers_share_variables(tf, show):
    loss = _model(tf, False)
    a = tf.train.AdamOptimizer(0.01).minimize(loss)
    b = tf.train.AdamOptimizer(0.01).minimize(loss)
    m = tf.train.MomentumOptimizer(0.01, 0.9).minimize(loss)
    print(a.name, b.name, m.name)
    print([v.name for v in tf.global_variables()])
    print([op.name for op in tf.get_collection(tf.GraphKeys.TRAIN_OP)])


def case_compute_apply_gradients(tf, show):
    loss = _model(tf, True)
    opt = tf.train.GradientDescentOptimizer(0.1)
    gvs = opt.compute_gradients(loss)
    for g, v in gvs:
        print(v.op.name, isinstance(g, tf.IndexedSlices), g.dtype.name)
    clipped = [
        (tf.clip_by_value(g, -0.01, 0.01) if not isinstance(g, tf.IndexedSlices) else g, v)
        for g, v in gvs
    ]
    train = opt.apply_gradients(clipped)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        show(*sess.run(tf.trainable_variables()))


def case_var_list_and_none_gradient(tf, show):
    loss = _model(tf, False)
    other = tf.Variable(1.0, name="other")
    opt = tf.train.AdamOptimizer(0.1)
    gvs = opt.compute_gradients(loss, var_list=[tf.trainable_variables()[0], other])
    print([(g is None, v.op.name) for g, v in gvs])
    opt.apply_gradients(gvs)
    print([v.name for v in opt.variables()])
    print(opt.get_slot(other, "m"))


def case_errors(tf, show, expect_error):
    loss = _model(tf, False)
    other = tf.Variable(1.0, name="other")
    opt = tf.train.GradientDescentOptimizer(0.1)
    expect_error(lambda: opt.minimize(loss, var_list=[other]))
    expect_error(lambda: opt.apply_gradients([]))
    expect_error(lambda: opt.apply_gradients([(None, other)]))
    expect_error(lambda: opt.compute_gradients(loss, var_list=[]))
    expect_error(lambda: opt.compute_gradients(tf.constant(1)))
    expect_error(lambda: tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.0))
    expect_error(lambda: tf.train.FtrlOptimizer(0.1, learning_rate_power=0.5))


def case_callable_learning_rate_and_tensor_hyperparams(tf, show):
    lr = tf.placeholder(tf.float32, [], name="lr")
    loss = _model(tf, False)
    train = tf.train.MomentumOptimizer(lr, tf.constant(0.5)).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, {lr: 0.1})
        sess.run(train, {lr: 0.3})
        show(*sess.run(tf.trainable_variables()))


def _print_ops(tf, start):
    for op in tf.get_default_graph().get_operations()[start:]:
        if op.name.startswith("gradients"):
            continue
        ins = [t.name for t in op.inputs if not t.name.startswith("gradients")]
        print(op.name, op.type, ins, sorted(c.name for c in op.control_inputs))


def case_graph_ops_adam_momentum_rmsprop(tf, show):
    loss = _model(tf, False)
    gs = tf.train.get_or_create_global_step()
    for make in (
        lambda: tf.train.AdamOptimizer(0.01),
        lambda: tf.train.MomentumOptimizer(0.01, 0.9),
        lambda: tf.train.RMSPropOptimizer(0.01, centered=True),
        lambda: tf.train.GradientDescentOptimizer(0.1),
    ):
        start = len(tf.get_default_graph().get_operations())
        make().minimize(loss, global_step=gs)
        _print_ops(tf, start)


def case_graph_ops_sparse_adam_gd(tf, show):
    loss = _model(tf, True)
    for make in (
        lambda: tf.train.AdamOptimizer(0.01),
        lambda: tf.train.GradientDescentOptimizer(0.1),
    ):
        start = len(tf.get_default_graph().get_operations())
        make().minimize(loss, var_list=[v for v in tf.trainable_variables() if v.op.name == "emb"])
        print(
            [
                op.name
                for op in tf.get_default_graph().get_operations()[start:]
                if op.type in ("Assign", "AssignSub", "ScatterAdd", "ScatterSub", "VariableV2")
            ]
        )


def case_gate_graph_grad_loss_and_options(tf, show):
    loss = _model(tf, True)
    opt = tf.train.MomentumOptimizer(0.1, 0.9)
    gvs = opt.compute_gradients(
        loss,
        gate_gradients=tf.train.Optimizer.GATE_GRAPH,
        aggregation_method=tf.AggregationMethod.ADD_N,
        colocate_gradients_with_ops=True,
        grad_loss=tf.constant(2.0),
    )
    print([(isinstance(g, tf.IndexedSlices), v.op.name) for g, v in gvs])
    train = opt.apply_gradients(gvs, name="apply")
    print(train.name, train.type)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        show(*sess.run(tf.trainable_variables()))
    expect = tf.train.Optimizer.GATE_NONE, tf.train.Optimizer.GATE_OP
    print(expect)


def case_partitioned_variable_slots_checkpoint(tf, show):
    import tempfile

    with tf.variable_scope("p", partitioner=tf.fixed_size_partitioner(2)):
        w = tf.get_variable("w", [6, 2], initializer=tf.ones_initializer())
    loss = tf.reduce_sum(tf.square(tf.nn.embedding_lookup(w, [0, 3, 5]) - 0.5))
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
    print([(v.name, v.shape.as_list()) for v in tf.global_variables()])
    saver = tf.train.Saver()
    with tf.Session() as sess, tempfile.TemporaryDirectory() as d:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        path = saver.save(sess, d + "/ckpt", write_meta_graph=False)
        print(tf.train.list_variables(path))
        show(tf.train.load_variable(path, "p/w/Adam"), tf.train.load_variable(path, "p/w"))
