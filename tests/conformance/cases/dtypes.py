"""DType objects: names, reprs, ref dtypes, conversions and predicates."""

import numpy as np

NAMES = ["float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64"]
NAMES += ["uint8", "uint16", "bool", "string", "complex64", "complex128"]


def case_dtype_str_repr_name(tf):
    for name in NAMES:
        d = getattr(tf, name)
        print(str(d), repr(d), d.name)


def case_dtype_aliases(tf):
    print(tf.float32 is tf.as_dtype("float32"), tf.double == tf.float64, tf.half == tf.float16)
    print(tf.as_dtype(np.float32), tf.as_dtype(np.dtype("int64")), tf.as_dtype(float))
    print(tf.as_dtype(bool), tf.as_dtype(tf.int8), tf.as_dtype(np.bool_))


def case_dtype_as_dtype_error(tf, expect_error):
    expect_error(lambda: tf.as_dtype("floaty"), message=False)


def case_ref_dtypes(tf):
    v = tf.Variable(1.0)
    d = v.dtype
    print(d, repr(d), d.name, d.is_floating, d.base_dtype, d.real_dtype)
    print(d == tf.float32, d.base_dtype == tf.float32, d._is_ref_dtype)
    print(tf.float32._as_ref, tf.float32._as_ref.base_dtype is tf.float32)


def case_dtype_predicates(tf):
    for d in [tf.float32, tf.int32, tf.uint8, tf.bool, tf.complex64, tf.string]:
        print(d.name, d.is_floating, d.is_integer, d.is_unsigned, d.is_complex, d.is_bool)


def case_dtype_sizes_and_numpy(tf):
    for d in [tf.float16, tf.float32, tf.float64]:
        print(d.name, d.size, d.as_numpy_dtype.__name__, float(d.min), float(d.max))
    for d in [tf.int8, tf.int64, tf.uint8]:
        print(d.name, d.size, d.as_numpy_dtype.__name__, int(d.min), int(d.max))
    print(tf.bool.size, tf.bool.as_numpy_dtype.__name__)


def case_dtype_min_of_bool(tf, expect_error):
    expect_error(lambda: tf.bool.min)


def case_as_dtype_python_int(tf, expect_error):
    expect_error(lambda: tf.as_dtype(int))


def case_dtype_compatibility(tf):
    print(tf.float32.is_compatible_with(tf.float32), tf.float32.is_compatible_with(tf.float64))
    v = tf.Variable(1.0)
    print(v.dtype.is_compatible_with(tf.float32), tf.float32.is_compatible_with(v.dtype))


def case_dtype_hash_and_dict(tf):
    d = {tf.float32: "f", tf.int32: "i"}
    print(d[tf.as_dtype("float32")], d[tf.as_dtype(np.int32)])


def case_dtype_enum_values(tf):
    print(tf.float32.as_datatype_enum, tf.int32.as_datatype_enum, tf.float64.as_datatype_enum)
    print(tf.int64.as_datatype_enum, tf.bool.as_datatype_enum, tf.string.as_datatype_enum)


def case_cast_values(tf, show):
    a = tf.constant([1.7, -1.7, 0.0])
    with tf.Session() as sess:
        show(sess.run([tf.cast(a, tf.int32), tf.cast(a, tf.bool), tf.to_int64(a)]))


def case_tensor_dtypes_from_ops(tf):
    i = tf.constant([1, 2])
    print(tf.cast(i, tf.float16).dtype, tf.reduce_mean(i).dtype, tf.shape(i).dtype)
    print(tf.size(i).dtype, tf.argmax(tf.constant([1.0, 2.0])).dtype, tf.equal(i, i).dtype)
