"""``Operation.get_attr`` returns what TF's does: bytes, DType, TensorShapeProto, TensorProto."""

import numpy as np


def _show(op, key):
    value = op.get_attr(key)
    if isinstance(value, (list, bytes, bool, int, float)) or value is None:
        print(key, type(value).__name__, repr(value))
    elif type(value).__name__ in ("TensorShapeProto", "TensorProto"):
        print(key, type(value).__name__, str(value).replace("\n", " "))
    else:
        print(key, type(value).__name__, value)


def case_conv_attrs(tf, expect_error):
    x = tf.placeholder(tf.float32, [None, 4, 4, 3], name="x")
    c = tf.nn.conv2d(x, tf.ones([3, 3, 3, 2]), [1, 1, 1, 1], "SAME")
    for key in ("padding", "data_format", "strides", "T", "dilations", "explicit_paddings"):
        _show(c.op, key)
    expect_error(lambda: c.op.get_attr("no_such_attr"))


def case_placeholder_shape_round_trips_through_tensor_shape(tf, expect_error):
    x = tf.placeholder(tf.float32, [None, 4, 3], name="x")
    _show(x.op, "shape")
    _show(x.op, "dtype")
    print(tf.TensorShape(x.op.get_attr("shape")).as_list())
    u = tf.placeholder(tf.int32, None, name="u")
    print(tf.TensorShape(u.op.get_attr("shape")).ndims)


def case_const_value_is_a_tensor_proto(tf, expect_error):
    for value in ([1.5, 2.0], [[1, 2], [3, 4]], ["a", "bc"], np.float64(0.25)):
        c = tf.constant(value)
        proto = c.op.get_attr("value")
        print(type(proto).__name__, tf.make_ndarray(proto).tolist(), c.op.get_attr("dtype").name)
    filled = tf.constant(7.0, shape=[2, 3])
    print(tf.make_ndarray(filled.op.get_attr("value")).tolist())


def case_float_attrs_are_float32_rounded(tf, expect_error):
    x = tf.placeholder(tf.float32, [2], name="x")
    _show(tf.nn.leaky_relu(x, 0.2).op, "alpha")
    _show(tf.clip_by_norm(x, 1.0).op.inputs[0].op.inputs[0].op, "T")


def case_string_list_and_bool_attrs(tf, expect_error):
    x = tf.placeholder(tf.float32, [2], name="x")
    a = tf.Assert(tf.reduce_all(x > 0), [tf.constant(3)], name="check")
    _show(a, "summarize")
    p = tf.Print(x, [x], message="x is ")
    _show(p.op, "message")
    _show(p.op, "U")
    v = tf.Variable(tf.zeros([2]), name="v")
    _show(v.op, "container")
    _show(v.initializer, "use_locking")
    _show(v.initializer, "validate_shape")
    cast = tf.cast(x, tf.int32)
    _show(cast.op, "SrcT")
    _show(cast.op, "DstT")
