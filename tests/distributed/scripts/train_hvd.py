"""A TF1 training script written for Horovod (run unchanged by ``scopeflow run``).

Usage: ``train_hvd.py OUT_DIR [STEPS]``. Each step trains on this process's share of a global
batch of 16 rows (all of it in a group of one), so N processes average the gradients of what
one process computes on the combined batch. Writes ``OUT_DIR/rank<r>.json`` with the losses
and final weights; only rank 0 writes a checkpoint (``OUT_DIR/rank0/model-*``), as Horovod
scripts do.
"""

import json
import sys
from pathlib import Path

import horovod.tensorflow as hvd
import numpy as np
import tensorflow as tf

out_dir = Path(sys.argv[1])
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
hvd.init()
tf.set_random_seed(100 + hvd.rank())  # different initial values: the broadcast must fix them

GLOBAL_BATCH = 16
x = tf.placeholder(tf.float32, [None, 6], name="x")
ids = tf.placeholder(tf.int32, [None], name="ids")
y = tf.placeholder(tf.int32, [None], name="y")
emb = tf.get_variable("emb", [10, 6])
h = x + tf.nn.embedding_lookup(emb, ids)
h = tf.layers.dense(h, 12, activation=tf.nn.relu, name="hidden")
logits = tf.layers.dense(h, 4, name="logits")
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
global_step = tf.train.get_or_create_global_step()
opt = hvd.DistributedOptimizer(tf.train.AdamOptimizer(0.05))
train_op = opt.minimize(loss, global_step=global_step)
mean_loss = hvd.allreduce(loss)
gathered = hvd.allgather(tf.fill([hvd.rank() + 1], hvd.rank()))
bcast = hvd.broadcast_global_variables(0)
saver = tf.train.Saver()

rng = np.random.RandomState(0)
share = GLOBAL_BATCH // hvd.size()
lo, hi = hvd.rank() * share, (hvd.rank() + 1) * share
losses, mean_losses = [], []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(bcast)
    for _ in range(steps):
        xs = rng.randn(GLOBAL_BATCH, 6).astype(np.float32)
        idx = rng.randint(0, 10, GLOBAL_BATCH)
        ys = rng.randint(0, 4, GLOBAL_BATCH)
        feed = {x: xs[lo:hi], ids: idx[lo:hi], y: ys[lo:hi]}
        _, step_loss, ml = sess.run([train_op, loss, mean_loss], feed)
        losses.append(float(step_loss))
        mean_losses.append(float(ml))
    if hvd.rank() == 0:
        ckpt_dir = out_dir / f"rank{hvd.rank()}"
        ckpt_dir.mkdir(parents=True, exist_ok=True)
        saver.save(sess, str(ckpt_dir / "model"), global_step=global_step, write_meta_graph=False)
    weights = {v.op.name: sess.run(v).tolist() for v in tf.trainable_variables()}
    result = {
        "rank": hvd.rank(),
        "size": hvd.size(),
        "local_rank": hvd.local_rank(),
        "local_size": hvd.local_size(),
        "losses": losses,
        "mean_losses": mean_losses,
        "gathered": sess.run(gathered).tolist(),
        "weights": weights,
    }
(out_dir / f"rank{hvd.rank()}.json").write_text(json.dumps(result), encoding="utf-8")
