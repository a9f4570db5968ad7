# ruff: noqa: UP031, PTH118, PTH119, PTH208  (written as TF1 scripts were: %-formatting, os.path)
"""A TF1 training script in the usual style: flags, tf.data, MonitoredTrainingSession, hooks.

Run unmodified by ``scopeflow run`` (tests/train/test_monitored_script.py) and by TensorFlow
(tools/record_monitored_script.py records its output). Prints only deterministic text.
"""

import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()
tf.disable_resource_variables()
tf.disable_v2_behavior()

flags = tf.app.flags
flags.DEFINE_string("model_dir", None, "checkpoint directory")
flags.DEFINE_integer("steps", 12, "training steps per run")
FLAGS = flags.FLAGS


class PrintingHook(tf.train.SessionRunHook):
    """Prints the loss every 4th step and counts the callbacks."""

    def __init__(self, loss):
        self._loss = loss
        self.calls = {}

    def _count(self, name):
        self.calls[name] = self.calls.get(name, 0) + 1

    def begin(self):
        self._count("begin")
        self._step = tf.train.get_global_step()

    def after_create_session(self, session, coord):
        self._count("after_create_session")
        print("session created at step", session.run(self._step))

    def before_run(self, run_context):
        self._count("before_run")
        return tf.train.SessionRunArgs({"loss": self._loss, "step": self._step})

    def after_run(self, run_context, run_values):
        self._count("after_run")
        if run_values.results["step"] % 4 == 0:
            print("step %d loss %.4f" % (run_values.results["step"], run_values.results["loss"]))

    def end(self, session):
        self._count("end")
        print("end at step", session.run(self._step), sorted(self.calls.items()))


def model():
    rng = np.random.RandomState(0)
    xs = rng.randn(64, 3).astype(np.float32)
    ys = xs.dot(np.array([[1.0], [-2.0], [0.5]], np.float32)) + 0.3
    data = tf.data.Dataset.from_tensor_slices((xs, ys)).repeat().batch(16)
    x, y = tf.data.make_one_shot_iterator(data).get_next()
    step = tf.train.get_or_create_global_step()
    pred = tf.layers.dense(x, 1, kernel_initializer=tf.zeros_initializer())
    loss = tf.losses.mean_squared_error(y, pred)
    tf.summary.scalar("loss", loss)
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    return step, loss, train_op


def train(run):
    with tf.Graph().as_default():
        step, loss, train_op = model()
        hooks = [
            tf.train.StopAtStepHook(num_steps=FLAGS.steps),
            tf.train.NanTensorHook(loss),
            tf.train.LoggingTensorHook(
                {"loss": loss, "step": step},
                every_n_iter=5,
                formatter=lambda v: "logged step %d" % v["step"],
            ),
            PrintingHook(loss),
        ]
        with tf.train.MonitoredTrainingSession(
            checkpoint_dir=FLAGS.model_dir,
            hooks=hooks,
            save_checkpoint_steps=5,
            save_summaries_steps=4,
            log_step_count_steps=6,
        ) as sess:
            while not sess.should_stop():
                sess.run(train_op)
        print("run", run, "latest", os.path.basename(tf.train.latest_checkpoint(FLAGS.model_dir)))


def main(_):
    tf.logging.set_verbosity(tf.logging.INFO)
    train(1)
    train(2)
    print(sorted(n for n in os.listdir(FLAGS.model_dir) if not n.startswith("events")))
    events = [n for n in os.listdir(FLAGS.model_dir) if n.startswith("events")]
    # TF's global-step read races with the training op, so the steps summaries are stamped
    # with vary from run to run there: print the tags only
    tags = set()
    for name in events:
        for e in tf.train.summary_iterator(os.path.join(FLAGS.model_dir, name)):
            tags.update(v.tag for v in e.summary.value)
    print(sorted(tags))
    reader = tf.train.load_checkpoint(FLAGS.model_dir)
    print(reader.get_tensor("global_step"), np.round(reader.get_tensor("dense/kernel").ravel(), 3))


if __name__ == "__main__":
    tf.app.run()
