"""Run under torchrun: averaged gradients fetched by the user stay as they were fetched.

``hvd.DistributedOptimizer(Adam)`` trains a small MLP for 8 steps, alternating a run that
fetches the averaged gradients (one directly, one through ``tf.identity``) with the train op and
a run of the train op alone. In the second kind of run the all-reduce's results are views of
its shared output buffer (checked: the optimizer's updates are their only readers); in the
first, the fetched ones must be copies. Checks that every fetched array still holds the values
it had when ``Session.run`` returned it (after all later steps) and that those values are the
average of the processes' own gradients of that step, bit for bit (on 2 processes).
"""

import numpy as np
import torch
import torch.distributed as dist

import scopeflow.compat.v1 as tf
from scopeflow.distributed import _collective_ops as cops
from scopeflow.distributed import _horovod as hvd

hvd.init()
seen: list[list[bool] | None] = []
reduce_group = cops._shm_reduce_group


def spy(*args, **kwargs):
    seen.append(args[6] if len(args) > 6 else kwargs.get("views"))
    return reduce_group(*args, **kwargs)


cops._shm_reduce_group = spy
rng = np.random.RandomState(hvd.rank())
x = tf.placeholder(tf.float32, [8, 5])
y = tf.placeholder(tf.int32, [8])
h = tf.layers.dense(x, 16, activation=tf.nn.relu, name="hidden")
logits = tf.layers.dense(h, 3, name="logits")
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
opt = hvd.DistributedOptimizer(tf.train.AdamOptimizer(0.1))
grads_and_vars = opt.compute_gradients(loss)
averaged = [g for g, _ in grads_and_vars]
own = tf.gradients(loss, [v for _, v in grads_and_vars])  # this process's, not averaged
with tf.control_dependencies(own):  # computed before the update when fetched
    train_op = opt.apply_gradients(grads_and_vars)
fetched_grads = [averaged[0], tf.identity(averaged[2])]
fetched_own = [own[0], own[2]]
history = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(hvd.broadcast_global_variables(0))
    for step in range(8):
        feed = {x: rng.randn(8, 5).astype(np.float32), y: rng.randint(0, 3, 8)}
        if step % 2 == 0:
            _, got, mine = sess.run([train_op, fetched_grads, fetched_own], feed)
            history.append((got, [g.copy() for g in got], mine))
        else:
            sess.run(train_op, feed)
# The training runs returned views for every gradient; the fetching runs copied the fetched
# ones (and only those: index 0 directly, index 2 through tf.identity).
assert seen[1::2] == [[True] * len(averaged)] * 4, seen
for v in seen[::2]:
    assert v is not None, seen
    assert [k for k, local in enumerate(v) if not local] == [0, 2], seen
for got, copies, mine in history:
    for g, c in zip(got, copies, strict=True):
        assert np.array_equal(g, c), "a fetched gradient changed after Session.run returned it"
    for g, m in zip(got, mine, strict=True):
        everyone = [None] * hvd.size()
        dist.all_gather_object(everyone, m)
        total = everyone[0]
        for e in everyone[1:]:
            total = total + e
        if hvd.size() == 2:
            assert np.array_equal(g, total * np.float32(0.5)), "not the average"
        else:
            np.testing.assert_allclose(g, total / hvd.size(), rtol=1e-6)
torch.distributed.barrier()
print(f"rank {hvd.rank()} ok", flush=True)
hvd.shutdown()
