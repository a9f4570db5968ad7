"""Run under torchrun: gradients published while the backward pass runs give the same bits.

``hvd.DistributedOptimizer(Adam)`` trains one MLP twice from the same start, in two graphs:
as it runs by default (the all-reduce observes the backward pass and publishes each gradient
into shared memory as soon as autograd has computed it), and with that observer switched
off (every gradient copied in by the all-reduce itself). Checks that the first run really
published every gradient early (from its second step on: the first reduction sets the
layout up), that the variables and the fetched averaged gradients of the two runs are equal
bit for bit after every step, and that they are the average of the processes' own
gradients. Then, directly: an input published early but changed in place afterwards, or
replaced by another tensor, is published again by the reduction (stale values would give a
wrong sum).
"""

import numpy as np
import torch
import torch.distributed as dist

import scopeflow.compat.v1 as tf
from scopeflow.distributed import _collective_ops as cops
from scopeflow.distributed import _horovod as hvd
from scopeflow.distributed import _process
from scopeflow.distributed._shm_allreduce import ShmAllreduce

hvd.init()
flags: list[list[bool] | None] = []
allreduce = ShmAllreduce.allreduce


def spy(self, *args, **kwargs):
    flags.append(kwargs.get("published"))
    return allreduce(self, *args, **kwargs)


ShmAllreduce.allreduce = spy  # type: ignore[method-assign]
early = cops._early


def train(publish_early: bool) -> list:
    cops._early = early if publish_early else (lambda pending, i, pre: lambda g: None)
    rng = np.random.RandomState(hvd.rank())
    history = []
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(1)
        x = tf.placeholder(tf.float32, [16, 40])
        y = tf.placeholder(tf.int32, [16])
        h = tf.layers.dense(x, 64, activation=tf.nn.relu, name="h1")
        h = tf.layers.dense(h, 33, activation=tf.nn.relu, name="h2")
        logits = tf.layers.dense(h, 5, name="logits")
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        )
        opt = hvd.DistributedOptimizer(tf.train.AdamOptimizer(0.01))
        grads_and_vars = opt.compute_gradients(loss)
        own = tf.gradients(loss, [v for _, v in grads_and_vars])
        with tf.control_dependencies(own):  # computed before the update when fetched
            train_op = opt.apply_gradients(grads_and_vars)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(hvd.broadcast_global_variables(0))
            for step in range(6):
                feed = {x: rng.randn(16, 40).astype(np.float32), y: rng.randint(0, 5, 16)}
                if step == 4:  # a run that fetches: copies of the results, still early-published
                    _, avg, mine = sess.run([train_op, [g for g, _ in grads_and_vars], own], feed)
                    history.append(("grads", avg, mine))
                else:
                    sess.run(train_op, feed)
                history.append(("vars", sess.run([v for _, v in grads_and_vars])))
    cops._early = early
    return history


flags.clear()
with_early = train(True)
early_flags = list(flags)
flags.clear()
without = train(False)
assert all(f is not None and not any(f) for f in flags), flags
assert early_flags[0] is not None, early_flags
assert not any(early_flags[0]), early_flags  # no layout yet
assert all(f is not None and all(f) for f in early_flags[1:]), early_flags
for a, b in zip(with_early, without, strict=True):
    for u, v in zip(a[1], b[1], strict=True):
        assert np.array_equal(u, v), f"{a[0]} differ with early publishing"
for _, avg, mine in (e for e in with_early if e[0] == "grads"):
    for g, m in zip(avg, mine, strict=True):
        everyone = [None] * hvd.size()
        dist.all_gather_object(everyone, m)
        assert np.array_equal(g, (everyone[0] + everyone[1]) * np.float32(0.5)), "not the average"

# Stale early publications are not used.
info = _process.info()
pending = cops._Pending()
shapes = [(7, 3), (11,), (5, 2)]
xs = [torch.full(s, float(10 * info.rank + k)) for k, s in enumerate(shapes)]
first = cops._shm_reduce_group(xs, "Sum", 1.0, 1.0, info, pending)  # sets the layout up
for case in ("changed", "replaced", "kept"):
    xs = [torch.full(s, float(10 * info.rank + k)) for k, s in enumerate(shapes)]
    for k in range(len(xs)):
        cops._early(pending, k, 1.0)(xs[k])
    assert len(pending.early) == len(xs)
    if case == "changed":
        xs[1].add_(100.0)  # after it was published: the version moved on
    elif case == "replaced":
        xs[2] = xs[2] + 1000.0
    got = cops._shm_reduce_group(xs, "Sum", 1.0, 1.0, info, pending)
    want = [torch.full(s, float(10 + 2 * k)) for k, s in enumerate(shapes)]
    if case == "changed":
        want[1] += 200.0
    elif case == "replaced":
        want[2] += 2000.0
    for gv, wv in zip(got, want, strict=True):
        assert torch.equal(gv, wv), (case, gv, wv)
    assert not pending.early
dist.barrier()
print(f"rank {hvd.rank()} ok", flush=True)
hvd.shutdown()
