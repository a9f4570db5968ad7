"""Benchmark ``scopeflow.torch.to_module``: module forward+backward against ``Session.run``.

Two workloads, each one gradient evaluation of the same graph:

* ``mlp``: ``tf.layers.dense`` MLP, 784 -> 4 x ``--width`` (relu) -> 10, softmax
  cross-entropy, batch ``--batch`` (the MLP of the training issue at the default sizes);
* ``chain``: 200 small elementwise ops on a ``[64, 16]`` tensor and one ``[16, 16]`` variable
  (a graph of many small ops, where per-op dispatch dominates);
* ``norm``: 12 blocks of matmul + layer-norm-style reductions (``reduce_mean`` over the last
  axis, centring, variance, ``rsqrt``, scale) + ``tanh`` on ``[64, 32]``: ~130 small ops, 24
  reductions (each reduction split the compiled graph before the reduction kernels read their
  constant axes statically).

Rows: ``Session.run([loss, tf.gradients(loss, vars)])`` with feeds; the module's
``loss = m(x, y); loss.backward()``; with ``--compile`` also ``torch.compile(m)``. Each number
is the median over ``--repeats`` timed calls after warm-up. Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_bridge.py [--compile] [--workloads chain,norm]
        [--torch-threads 1]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

import scopeflow.compat.v1 as tf
import scopeflow.torch as sft


def _mlp(width: int, batch: int) -> tuple[Any, ...]:
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(0)
        x = tf.placeholder(tf.float32, [None, 784], name="x")
        y = tf.placeholder(tf.int32, [None], name="y")
        h = x
        for _ in range(4):
            h = tf.layers.dense(h, width, activation=tf.nn.relu)
        logits = tf.layers.dense(h, 10)
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
    rng = np.random.RandomState(0)
    feeds = (rng.randn(batch, 784).astype(np.float32), rng.randint(0, 10, batch).astype(np.int32))
    return g, [x, y], loss, feeds


def _chain() -> tuple[Any, ...]:
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [64, 16], name="x")
        w = tf.get_variable("w", [16, 16])
        h = tf.matmul(x, w)
        for i in range(50):
            h = tf.tanh(h * 0.9 + 0.01 * i) - 0.1 * h
        loss = tf.reduce_mean(tf.square(h))
    feeds = (np.random.RandomState(0).randn(64, 16).astype(np.float32),)
    return g, [x], loss, feeds


def _norm_chain() -> tuple[Any, ...]:
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(0)
        x = tf.placeholder(tf.float32, [64, 32], name="x")
        h = x
        for i in range(12):
            w = tf.get_variable(f"w{i}", [32, 32])
            gamma = tf.get_variable(f"gamma{i}", [32], initializer=tf.ones_initializer())
            h = tf.matmul(h, w)
            mean = tf.reduce_mean(h, axis=-1, keepdims=True)
            c = h - mean
            var = tf.reduce_mean(tf.square(c), axis=-1, keepdims=True)
            h = tf.tanh(c * tf.rsqrt(var + 1e-5) * gamma)
        loss = tf.reduce_mean(tf.square(h))
    feeds = (np.random.RandomState(0).randn(64, 32).astype(np.float32),)
    return g, [x], loss, feeds


def _median_ms(fn: Callable[[], Any], repeats: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def _bench(name: str, built: tuple[Any, ...], repeats: int, compile_: bool) -> None:
    g, inputs, loss, feeds = built
    with g.as_default():
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        grads = tf.gradients(loss, tf.trainable_variables())
        fetch = [loss, grads]
        feed = dict(zip(inputs, feeds, strict=True))
        m = sft.to_module(loss, inputs, session=sess)
    tfeeds = [torch.from_numpy(f) for f in feeds]

    def module_step(mod: Any = m) -> None:
        for p in m.parameters():
            p.grad = None
        mod(*tfeeds).backward()

    rows = [
        ("Session.run(loss + tf.gradients)", _median_ms(lambda: sess.run(fetch, feed), repeats)),
        ("module forward + backward", _median_ms(module_step, repeats)),
    ]
    if compile_:
        cm = torch.compile(m)
        t0 = time.perf_counter()
        module_step(cm)
        print(f"  ({name}: torch.compile first call {time.perf_counter() - t0:.1f} s)")
        ms = _median_ms(lambda: module_step(cm), repeats)
        rows.append(("torch.compile(module) fwd + bwd", ms))
        explained = torch._dynamo.explain(m)(*tfeeds)
        print(f"  ({name}: torch._dynamo.explain: {explained.graph_count} graph(s), "
              f"{explained.graph_break_count} graph break(s))")  # fmt: skip
    base = rows[0][1]
    for label, ms in rows:
        print(f"| {name} | {label} | {ms:.3f} ms | {ms / base:.2f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--width", type=int, default=1024)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--compile", action="store_true", help="also time torch.compile(module)")
    ap.add_argument("--workloads", default="mlp,chain,norm", help="comma-separated subset")
    ap.add_argument("--torch-threads", type=int, default=None, help="torch.set_num_threads")
    args = ap.parse_args()
    if args.torch_threads:
        torch.set_num_threads(args.torch_threads)
    chosen = set(args.workloads.split(","))
    print("| workload | row | median | ratio to Session.run |")
    print("|---|---|---|---|")
    if "mlp" in chosen:
        _bench(f"mlp 4x{args.width} b{args.batch}", _mlp(args.width, args.batch), args.repeats,
               args.compile)  # fmt: skip
    if "chain" in chosen:
        _bench("chain 200 small ops", _chain(), args.repeats * 5, args.compile)
    if "norm" in chosen:
        _bench("norm 12 blocks, 24 reductions", _norm_chain(), args.repeats * 5, args.compile)


if __name__ == "__main__":
    main()
