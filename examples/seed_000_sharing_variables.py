"""Seed 000: "共享变量" (sharing variables), a Chinese tutorial on variable_scope and get_variable.

Each code fragment of the tutorial runs in its own fresh graph, in the tutorial's order. Typos in
the tutorial that TensorFlow would reject are fixed the way TF requires: ``tf.get_variables`` ->
``tf.get_variable``, ``stripes=`` -> ``strides=``, ``resue``/``resure`` -> ``reuse``,
``variabels_dict`` -> ``variables_dict``, ``relue1`` -> ``relu1``, the missing comma and closing
parenthesis, and the dictionary key ``"conv1_weigths"`` -> ``"conv1_weights"`` (the variable's
*name* ``"conv1_weigths"`` is legal in TF and is kept). Inputs are ``[1, 64, 64, 32]`` NHWC images.
Bare ``assert``s are kept, and what they check is printed too.
"""

# The seed's code is kept as written (== True, % formatting, nested with, return None).
# ruff: noqa: E712, PLR1711, RET501, SIM117, UP031

import scopeflow.compat.v1 as tf


def fragment(title):
    tf.reset_default_graph()
    print("## " + title)


def first_line(error):
    return str(error).split(" Originally defined at:")[0]


def run_shapes(*tensors):
    config = tf.ConfigProto()
    config.gpu_options.allow_growth = True
    with tf.Session(config=config) as sess:
        sess.run(tf.global_variables_initializer())
        return [out.shape for out in sess.run(list(tensors))]


# --- 问题: passing a dictionary of tf.Variable objects around -------------------------------
fragment("variables_dict")
image1 = tf.random_normal([1, 64, 64, 32])
image2 = tf.random_normal([1, 64, 64, 32])

variables_dict = {
    "conv1_weights": tf.Variable(tf.random_normal([5, 5, 32, 32]), name="conv1_weigths"),
    "conv1_biases": tf.Variable(tf.zeros([32]), name="conv1_biases"),
    "conv2_weights": tf.Variable(tf.random_normal([5, 5, 32, 32]), name="conv2_weights"),
    "conv2_biases": tf.Variable(tf.zeros([32]), name="conv2_biases"),
}


def my_image_filter(input_images, variables_dict):
    conv1 = tf.nn.conv2d(
        input_images, variables_dict["conv1_weights"], strides=[1, 1, 1, 1], padding="SAME"
    )
    relu1 = tf.nn.relu(conv1 + variables_dict["conv1_biases"])

    conv2 = tf.nn.conv2d(
        relu1, variables_dict["conv2_weights"], strides=[1, 1, 1, 1], padding="SAME"
    )
    return tf.nn.relu(conv2 + variables_dict["conv2_biases"])


result1 = my_image_filter(image1, variables_dict)
result2 = my_image_filter(image2, variables_dict)
print(result1.name, result2.name)
for v in tf.trainable_variables():
    print(v)
print(run_shapes(result1, result2))


# --- Variable Scope 例子: conv_relu with tf.get_variable ----------------------------------
fragment("conv_relu")
image1 = tf.random_normal([1, 64, 64, 32])
image2 = tf.random_normal([1, 64, 64, 32])


def conv_relu(input, kernel_shape, bias_shape):
    weights = tf.get_variable("weights", kernel_shape, initializer=tf.random_normal_initializer())

    biases = tf.get_variable("biases", bias_shape, initializer=tf.constant_initializer(0.0))

    conv = tf.nn.conv2d(input, weights, strides=[1, 1, 1, 1], padding="SAME")

    return tf.nn.relu(conv + biases)


def my_image_filter(input_image):
    with tf.variable_scope("conv1"):
        relu1 = conv_relu(input_image, [5, 5, 32, 32], [32])

    with tf.variable_scope("conv2"):
        return conv_relu(relu1, [5, 5, 32, 32], [32])


result1 = my_image_filter(image1)
print(result1.name)
try:
    result2 = my_image_filter(image2)
except ValueError as e:
    print("ValueError:", first_line(e))
for v in tf.trainable_variables():
    print(v)

# 通过 scope.reuse_variables() 来重用变量
with tf.variable_scope("image_filters") as scope:
    result1 = my_image_filter(image1)
    scope.reuse_variables()
    result2 = my_image_filter(image2)
print(result1.name, result2.name)
print([v.name for v in tf.trainable_variables("image_filters")])
print(run_shapes(result1, result2))


# --- 理解 tf.get_variable(): a new variable gets the scope's prefix ------------------------
fragment("foo/v")
with tf.variable_scope("foo"):
    v = tf.get_variable("v", [1])
print(v.name)
assert v.name == "foo/v:0"

# with reuse == True the variable must already exist
try:
    with tf.variable_scope("foo", reuse=True):
        tf.get_variable("u", [1])
except ValueError as e:
    print("ValueError:", first_line(e))


# --- tf.variable_scope 的基础: nested scopes concatenate ----------------------------------
fragment("foo/bar/v")
with tf.variable_scope("foo"):
    with tf.variable_scope("bar"):
        v = tf.get_variable("v", [1])
print(v.name)
assert v.name == "foo/bar/v:0"


# --- reuse_variables() ------------------------------------------------------------------
fragment("reuse_variables")
with tf.variable_scope("foo"):
    v = tf.get_variable("v", [1])
    tf.get_variable_scope().reuse_variables()
    v1 = tf.get_variable("v", [1])
print(v1.name, v1 is v)
assert v1 is v


# --- reuse cannot be set back to False, and is inherited --------------------------------
fragment("reuse is inherited")
with tf.variable_scope("root"):
    # 刚开始，reuse是关闭状态
    print(tf.get_variable_scope().name, tf.get_variable_scope().reuse)
    assert tf.get_variable_scope().reuse == False
    with tf.variable_scope("foo"):
        print(tf.get_variable_scope().name, tf.get_variable_scope().reuse)
        assert tf.get_variable_scope().reuse == False
    with tf.variable_scope("foo", reuse=True):
        print(tf.get_variable_scope().name, tf.get_variable_scope().reuse)
        assert tf.get_variable_scope().reuse == True
        with tf.variable_scope("bar"):
            # resue具有继承行为
            print(tf.get_variable_scope().name, tf.get_variable_scope().reuse)
            assert tf.get_variable_scope().reuse == True
    print(tf.get_variable_scope().name, tf.get_variable_scope().reuse)
    assert tf.get_variable_scope().reuse == False


# --- 捕捉variable scope: passing a VariableScope object -----------------------------------
fragment("captured scope")
with tf.variable_scope("foo") as foo_scope:
    v = tf.get_variable("v", [1])
with tf.variable_scope(foo_scope):
    w = tf.get_variable("w", [1])
with tf.variable_scope(foo_scope, reuse=True):
    v1 = tf.get_variable("v", [1])
    w1 = tf.get_variable("w", [1])
print(v.name, w.name, v1.name, w1.name, v1 is v, w1 is w)
assert v1 is v
assert w1 is w
for v in tf.global_variables():
    print(v)
