"""Gradients computed straight into the shared all-reduce buffer (``torchrun``, 2 processes).

``hvd.DistributedOptimizer(Adam)`` trains a 2-layer dense net twice from the same start: as it
runs now (each kernel's gradient is computed by its ``MatMul`` backward into its slot of the
shared-memory buffer, so the all-reduce copies nothing of it) and with that path switched off
(``_gradient_producer`` finds nothing: every gradient is copied in). The losses and the trained
variables must be the same bits, and the first must really have used the slots: after the first
run (no reducer exists before it) both kernel gradients of every run are views of the shared
buffer on process 0, and on process 1 the first layer's kernel gradient only (process 1 takes a
slot only for values mostly of chunk 0, those process 0 reads; the second kernel lies in chunk
1: a fresh tensor, read where it is by process 1's own reduction). Prints ``rank N ok``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

import scopeflow.compat.v1 as tf
from scopeflow.distributed import _collective_ops as cops
from scopeflow.distributed import _horovod as hvd
from scopeflow.distributed import _shm_allreduce as shm

torch.set_num_threads(1)
hvd.init()
assert hvd.size() == 2
in_slots = [0]
allreduce = shm.ShmAllreduce.allreduce


def counted(self: Any, xs: list[torch.Tensor], *args: Any, **kwargs: Any) -> Any:
    # (the whole shared file is one storage: a slot of either process is a view of it)
    base = self._results[0].untyped_storage().data_ptr()
    in_slots[0] += sum(x.untyped_storage().data_ptr() == base for x in xs)
    return allreduce(self, xs, *args, **kwargs)


shm.ShmAllreduce.allreduce = counted  # type: ignore[method-assign]
STEPS = 6


def train() -> tuple[list[Any], list[Any]]:
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(1)
        x = tf.placeholder(tf.float32, [8, 16])
        y = tf.placeholder(tf.int64, [8])
        h = tf.layers.dense(x, 32, tf.nn.relu)
        logits = tf.layers.dense(h, 4)
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        )
        step = hvd.DistributedOptimizer(tf.train.AdamOptimizer(1e-2)).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(hvd.broadcast_global_variables(0))
            rng = np.random.RandomState(hvd.rank())
            losses = []
            for _ in range(STEPS):
                feed = {x: rng.randn(8, 16), y: rng.randint(0, 4, 8)}
                losses.append(sess.run([loss, step], feed)[0])
            return losses, sess.run(tf.trainable_variables())


losses, weights = train()
# process 0: both kernels; process 1: the first (16 x 32, 512 of the 676 values, 338 in chunk 0)
assert in_slots[0] == (2 if hvd.rank() == 0 else 1) * (STEPS - 1), in_slots
in_slots[0] = 0
cops._gradient_producer = lambda *args: None  # type: ignore[assignment]
copied_losses, copied_weights = train()
assert in_slots[0] == 0, in_slots
assert [float(v) for v in losses] == [float(v) for v in copied_losses], (losses, copied_losses)
for a, b in zip(weights, copied_weights, strict=True):
    assert a.tobytes() == b.tobytes()
print(f"rank {hvd.rank()} ok", flush=True)
hvd.shutdown()
