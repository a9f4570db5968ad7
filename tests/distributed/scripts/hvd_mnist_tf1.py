"""Horovod's TF1 MNIST example, made deterministic so 2 processes equal 1 (run unchanged).

The same APIs as Horovod's ``examples/tensorflow_mnist.py`` of 2018 (``tf.contrib.layers``
convolutions, ``tf.contrib.learn.datasets.mnist.read_data_sets``, ``hvd.DistributedOptimizer``,
``BroadcastGlobalVariablesHook``, ``StopAtStepHook``, ``LoggingTensorHook``,
``MonitoredTrainingSession`` saving checkpoints on rank 0 only), with what makes the example's
runs incomparable taken out: no dropout, no learning rate scaled by ``hvd.size()``, and each
process trains on its share of one global batch (every process reads the same batches:
``read_data_sets(seed=...)``). Writes ``OUT_DIR/rank<r>.npz`` (final weights and losses).

Usage: ``hvd_mnist_tf1.py DATA_DIR OUT_DIR STEPS``.
"""

import sys

import horovod.tensorflow as hvd
import numpy as np
import tensorflow as tf

layers = tf.contrib.layers
learn = tf.contrib.learn

GLOBAL_BATCH = 32


def conv_model(feature, target):
    target = tf.one_hot(tf.cast(target, tf.int32), 10, 1, 0)
    feature = tf.reshape(feature, [-1, 28, 28, 1])
    with tf.variable_scope("conv_layer1"):
        h = layers.conv2d(feature, 8, kernel_size=[5, 5], activation_fn=tf.nn.relu)
        h = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    with tf.variable_scope("conv_layer2"):
        h = layers.conv2d(h, 16, kernel_size=[5, 5], activation_fn=tf.nn.relu)
        h = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
        h = tf.reshape(h, [-1, 7 * 7 * 16])
    h = layers.fully_connected(h, 64, activation_fn=tf.nn.relu)
    logits = layers.fully_connected(h, 10, activation_fn=None)
    return tf.losses.softmax_cross_entropy(target, logits)


class SaveAtEnd(tf.train.SessionRunHook):
    """Keeps every step's loss and writes the final weights of this process."""

    def __init__(self, loss, path):
        self.loss, self.path, self.losses = loss, path, []

    def before_run(self, run_context):
        return tf.train.SessionRunArgs(self.loss)

    def after_run(self, run_context, run_values):
        self.losses.append(run_values.results)

    def end(self, session):
        weights = session.run({v.op.name: v for v in tf.trainable_variables()})
        np.savez(self.path, losses=np.array(self.losses), **weights)


def main(_):
    data_dir, out_dir, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    hvd.init()
    tf.set_random_seed(7 + hvd.rank())  # different initial values: the broadcast must fix them
    mnist = learn.datasets.mnist.read_data_sets(data_dir, seed=5)
    with tf.name_scope("input"):
        image = tf.placeholder(tf.float32, [None, 784], name="image")
        label = tf.placeholder(tf.float32, [None], name="label")
    loss = conv_model(image, label)
    opt = hvd.DistributedOptimizer(tf.train.RMSPropOptimizer(0.001))
    global_step = tf.contrib.framework.get_or_create_global_step()
    train_op = opt.minimize(loss, global_step=global_step)
    hooks = [
        hvd.BroadcastGlobalVariablesHook(0),
        tf.train.StopAtStepHook(last_step=steps),
        tf.train.LoggingTensorHook(tensors={"step": global_step, "loss": loss}, every_n_iter=5),
        SaveAtEnd(loss, f"{out_dir}/rank{hvd.rank()}.npz"),
    ]
    checkpoint_dir = f"{out_dir}/checkpoints" if hvd.rank() == 0 else None
    share = GLOBAL_BATCH // hvd.size()
    rows = slice(hvd.rank() * share, (hvd.rank() + 1) * share)
    with tf.train.MonitoredTrainingSession(checkpoint_dir=checkpoint_dir, hooks=hooks) as sess:
        while not sess.should_stop():
            image_, label_ = mnist.train.next_batch(GLOBAL_BATCH)
            sess.run(train_op, feed_dict={image: image_[rows], label: label_[rows]})


if __name__ == "__main__":
    tf.app.run()
