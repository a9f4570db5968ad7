"""Fixes found running the "s2s" group of users' codebases (tests/acceptance/user_code_s2s.py):
each case is the smallest program showing what the real code needed.

Private TF modules are reached as the real code imports them: under scopeflow through the
``scopeflow run`` module table, under TensorFlow from TF itself.
"""

import importlib

import numpy as np


def _private(tf, name, tf_name=None):
    if tf.__name__.startswith("scopeflow"):
        from scopeflow.run import _modules

        return _modules.import_tf_module(name)
    return importlib.import_module(tf_name or name)


def case_defun_bahdanau_sum(tf, show):
    # google/seq2seq decoders/attention.py: a Defun'd attention score, called on each decoder step.
    function = _private(tf, "tensorflow.python.framework.function")

    @function.Defun(tf.float32, tf.float32, tf.float32, func_name="att_sum", noinline=True)
    def att_sum(v_att, keys, query):
        return tf.reduce_sum(v_att * tf.tanh(keys + tf.expand_dims(query, 1)), [2])

    rng = np.random.RandomState(0)
    v = tf.Variable(rng.randn(4).astype(np.float32), name="v_att")
    keys = tf.constant(rng.randn(2, 3, 4).astype(np.float32))
    query = tf.constant(rng.randn(2, 4).astype(np.float32))
    with tf.name_scope("attention"):
        s1 = att_sum(v, keys, query)
        s2 = att_sum(v, keys, 2.0 * query)
    print(s1.name, s1.shape, s1.dtype.name)
    print(s2.name, s2.shape)
    grads = tf.gradients(tf.reduce_sum(s1 * s2), [v, query])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(s1), decimals=4)
        show(sess.run(grads), decimals=3)


def case_defun_dtype_conversion(tf, show):
    # Defun's arguments are converted to the declared dtypes (Python floats and lists here).
    function = _private(tf, "tensorflow.python.framework.function")

    @function.Defun(tf.float32, tf.float32, func_name="att_sum_dot")
    def att_sum_dot(keys, query):
        return tf.reduce_sum(keys * tf.expand_dims(query, 1), [2])

    out = att_sum_dot([[[1.0, 2.0], [3.0, 4.0]]], [[0.5, -1.0]])
    print(out.name, out.shape)
    with tf.Session() as sess:
        show(sess.run(out))


def case_tensor_util_constant_value(tf, show):
    # seq2seq's vendored dynamic_decode: the batch size from constant_value(convert_to_tensor).
    tensor_util = _private(tf, "tensorflow.python.framework.tensor_util")
    x = tf.zeros([3, 4])
    print(tensor_util.constant_value(tf.constant([1, 2])))
    print(tensor_util.constant_value(tf.shape(x)))
    print(tensor_util.constant_value(tf.placeholder(tf.int32, [2])))
    print(tensor_util.constant_value(7))


def case_bernoulli_and_categorical_sample(tf, show):
    # seq2seq's helper.py imports contrib.distributions' bernoulli/categorical for its
    # scheduled-sampling helpers (TF 2.21 keeps the same classes in python.ops.distributions).
    bern = _private(
        tf,
        "tensorflow.contrib.distributions.python.ops.bernoulli",
        "tensorflow.python.ops.distributions.bernoulli",
    )
    cat = _private(
        tf,
        "tensorflow.contrib.distributions.python.ops.categorical",
        "tensorflow.python.ops.distributions.categorical",
    )
    tf.set_random_seed(7)
    b = bern.Bernoulli(probs=[0.1, 0.5, 0.9, 0.3])
    c = cat.Categorical(logits=[[0.0, 1.0, 2.0], [3.0, 0.0, -1.0]])
    sb = b.sample(seed=3)
    sc = c.sample(seed=4)
    sc5 = c.sample([5], seed=5)
    print(b.dtype.name, c.dtype.name, sb.dtype.name, sc.dtype.name)
    with tf.Session() as sess:
        show(sess.run(b.logits), decimals=5)
        show(sess.run(c.probs), decimals=5)
        show(sess.run([sb, sc, sc5]))


def case_keras_regularizers(tf, show):
    # tensorpack's models/regularize.py: l2_regularizer(x) is tf.keras.regularizers.l2(x * 0.5)
    w = tf.constant(np.array([[1.0, -2.0], [0.5, 3.0]], np.float32))
    r1 = tf.keras.regularizers.l1(0.1)(w)
    r2 = tf.keras.regularizers.l2(0.25)(w)
    r12 = tf.keras.regularizers.l1_l2(l1=0.1, l2=0.2)(w)
    with tf.Session() as sess:
        show(sess.run([r1, r2, r12]), decimals=5)


def case_tensor_spec(tf, show):
    # tensorpack's ModelDesc.inputs() returns TensorSpecs; its trainers make placeholders of them.
    spec = tf.TensorSpec((None, 28, 28), tf.float32, "input")
    print(spec.shape, spec.dtype.name, spec.name)
    print(spec == tf.TensorSpec([None, 28, 28], "float32", "input"), spec == tf.TensorSpec([1]))
    x = tf.placeholder(spec.dtype, spec.shape, spec.name)
    print(x.name, x.shape, spec.is_compatible_with(x), spec.is_compatible_with(tf.zeros([2, 28])))
    from_t = tf.TensorSpec.from_tensor(x)
    print(from_t.shape, from_t.name)


def case_tensor_takes_attributes(tf, show):
    # tensorpack's layers attach their variables to the output tensor (ret.variables = ...).
    x = tf.constant([1.0, 2.0])
    y = tf.identity(x, name="out")
    y.variables = {"W": "kernel"}
    print(y.variables, hasattr(x, "variables"), y.name)
