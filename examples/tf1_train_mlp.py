"""A small TF1 training program, unchanged but for the import line.

Builds a 3-layer MLP with ``variable_scope``/``get_variable`` (default Glorot initializers under
``tf.set_random_seed``), trains it with ``tf.gradients`` and plain SGD through ``tf.assign_sub``,
saves and restores it with ``tf.train.Saver``. Under scopeflow it prints what TensorFlow 1.x prints:
the same variables, the same initial weights (TF's exact random numbers) and the same losses.

(Without the ``control_dependencies`` below, TF itself races: an in-place ``assign_sub`` may run
before TF has finished back-propagating through that weight, so its losses depend on its
scheduler. scopeflow always computes all gradients first.)
"""

import tempfile
from pathlib import Path

import numpy as np

import scopeflow.compat.v1 as tf

tf.set_random_seed(1234)
rng = np.random.RandomState(0)
x_data = rng.randn(256, 20).astype(np.float32)
y_data = np.argmax(x_data @ rng.randn(20, 3).astype(np.float32), axis=1).astype(np.int32)

x = tf.placeholder(tf.float32, [None, 20], name="x")
y = tf.placeholder(tf.int32, [None], name="y")


def dense(inputs, units, activation=None):
    with tf.variable_scope(None, default_name="dense"):
        kernel = tf.get_variable("kernel", [inputs.get_shape()[-1].value, units])
        bias = tf.get_variable("bias", [units], initializer=tf.zeros_initializer())
        out = tf.nn.bias_add(tf.matmul(inputs, kernel), bias)
        return activation(out) if activation else out


with tf.variable_scope("mlp"):
    h = dense(x, 32, tf.nn.relu)
    h = dense(h, 32, tf.tanh)
    logits = dense(h, 3)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
correct = tf.equal(tf.argmax(logits, 1, output_type=tf.int32), y)
accuracy = tf.reduce_mean(tf.to_float(correct))
params = tf.trainable_variables()
grads = tf.gradients(loss, params)
# Update only after every gradient is computed: the updates write the variables in place.
with tf.control_dependencies(grads):
    train_op = tf.group(*[tf.assign_sub(p, 0.5 * g) for p, g in zip(params, grads, strict=True)])

for v in params:
    print(v)
print(logits.name, loss.name, train_op.name)
feed = {x: x_data, y: y_data}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    kernel0 = sess.run(params[0])
    print("initial kernel[0, :4]", np.round(kernel0[0, :4], 5).tolist())
    for step in range(30):
        _, value = sess.run([train_op, loss], feed)
        if step % 5 == 0:
            print(f"step {step:2d} loss {value:.4f}")
    print(f"accuracy {sess.run(accuracy, feed):.3f}")
    with tempfile.TemporaryDirectory() as tmp:
        saver = tf.train.Saver(max_to_keep=1)
        prefix = saver.save(
            sess, str(Path(tmp) / "model.ckpt"), global_step=30, write_meta_graph=False
        )
        print("saved", Path(prefix).name, sorted(n for n, _ in tf.train.list_variables(tmp)))
        with tf.Session() as sess2:
            saver.restore(sess2, tf.train.latest_checkpoint(tmp))
            print(f"restored loss {sess2.run(loss, feed):.4f}")
