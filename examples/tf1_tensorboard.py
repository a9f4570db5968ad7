"""A TF1 training script with TensorBoard summaries and metrics, unchanged but for the import.

Trains a small seeded MLP with ``tf.gradients`` + ``assign_sub``, writes ``merge_all()`` summaries
(loss, accuracy, weight histograms) and a hand-made evaluation ``tf.Summary`` through
``tf.summary.FileWriter`` (with the graph), tracks ``tf.metrics.accuracy``/``mean`` over the
batches, then reads the event file back with ``tf.train.summary_iterator``. Under scopeflow it
prints what TensorFlow 1.x prints.
"""

import re
import tempfile
from pathlib import Path

import numpy as np

import scopeflow.compat.v1 as tf

tf.set_random_seed(42)
rng = np.random.RandomState(0)
x_data = rng.randn(128, 8).astype(np.float32)
y_data = (x_data[:, 0] + x_data[:, 1] > 0).astype(np.int64)

x = tf.placeholder(tf.float32, [None, 8], name="x")
y = tf.placeholder(tf.int64, [None], name="y")
with tf.variable_scope("hidden"):
    w1 = tf.get_variable("kernel", [8, 16])
    b1 = tf.get_variable("bias", [16], initializer=tf.zeros_initializer())
with tf.variable_scope("logits"):
    w2 = tf.get_variable("kernel", [16, 2])
h = tf.nn.relu(tf.matmul(x, w1) + b1)
logits = tf.matmul(h, w2)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
predictions = tf.argmax(logits, 1)
params = [w1, b1, w2]
grads = tf.gradients(loss, params)
with tf.control_dependencies(grads):
    train_op = tf.group(*[tf.assign_sub(p, 0.5 * g) for p, g in zip(params, grads, strict=True)])

with tf.name_scope("train"):
    tf.summary.scalar("loss", loss)
    tf.summary.scalar(
        "batch_accuracy", tf.reduce_mean(tf.cast(tf.equal(predictions, y), tf.float32))
    )
tf.summary.histogram("hidden/kernel", w1)
tf.summary.histogram("logits/kernel", w2, family="weights")
merged = tf.summary.merge_all()
acc, acc_update = tf.metrics.accuracy(labels=y, predictions=predictions)
mean_loss, mean_loss_update = tf.metrics.mean(loss)
print("summaries:", [t.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES)], merged.name)
print("metric variables:", [v.name for v in tf.local_variables()])

with tempfile.TemporaryDirectory() as logdir:
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        writer = tf.summary.FileWriter(logdir, sess.graph)
        for step in range(4):
            batch = slice(32 * step, 32 * (step + 1))
            feed = {x: x_data[batch], y: y_data[batch]}
            # summaries first: fetched with train_op, TF may read the weights before or after
            # the update (no dependency orders them)
            summary, _, _ = sess.run([merged, acc_update, mean_loss_update], feed)
            sess.run(train_op, feed)
            writer.add_summary(summary, global_step=step)
        accuracy, avg_loss = sess.run([acc, mean_loss])
        print(f"streaming accuracy {accuracy:.4f}, mean loss {avg_loss:.4f}")
        evaluation = tf.Summary(
            value=[tf.Summary.Value(tag="eval/accuracy", simple_value=accuracy)]
        )
        writer.add_summary(evaluation, global_step=4)
        writer.close()
    (event_file,) = Path(logdir).iterdir()
    print(
        "file name ok:", bool(re.fullmatch(r"events\.out\.tfevents\.\d{10}\..+", event_file.name))
    )
    for event in tf.train.summary_iterator(str(event_file)):
        kind = event.WhichOneof("what")
        if kind != "summary":
            print(event.step, kind)
            continue
        for value in event.summary.value:
            if value.HasField("histo"):
                histo = value.histo
                print(
                    event.step,
                    value.tag,
                    "histo",
                    int(histo.num),
                    f"{histo.min:.4f} {histo.max:.4f} {histo.sum:.4f}",
                    len(histo.bucket),
                )
            else:
                print(event.step, value.tag, f"{value.simple_value:.4f}")
