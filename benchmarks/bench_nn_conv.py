"""Seed image filter benchmark: two ``conv2d(5x5x32x32, SAME) + bias + relu`` on 64x64x32 NHWC.

Run with the project venv for scopeflow, or with a TensorFlow venv and ``--tf`` for the oracle::

    .venv/bin/python benchmarks/bench_nn_conv.py
    .tf-oracle/bin/python benchmarks/bench_nn_conv.py --tf

Prints, per batch size (1 and 8), the best-of-N time of one ``Session.run`` of the filter and of
one bare conv2d kernel call. The machine is shared: compare minima of interleaved runs.

Recorded (2 shared cores, torch 2.13 vs tensorflow-cpu 2.21, best of 3 interleaved runs, ms)::

    batch  conv kernel: scopeflow  TF*     filter Session.run: scopeflow  TF
    1                   0.45       0.55                        1.58       1.03
    8                   3.19       3.43                        8.93       6.84

    * TF's conv2d alone through a Session (TF has no separately callable kernel).

The conv kernel (a channels-last view into oneDNN, no copies) beats TF's. The filter's gap is
mostly glibc malloc: each 4 MB activation is a fresh ``mmap`` (page faults and kernel zeroing on
first touch, about 1 ms per tensor at batch 8; TF's BFC allocator reuses memory). With
``MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824`` (or the equivalent
``mallopt`` calls at start-up) the same run gives 1.00 ms (batch 1) and 7.5 ms (batch 8), on par
with TF. The rest is TF's grappler fusing Conv2D + bias add + Relu into one ``_FusedConv2D``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

USE_TF = "--tf" in sys.argv
if USE_TF:
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
else:
    import scopeflow.compat.v1 as tf


def best_ms(fn: Callable[[], Any], n: int, reps: int = 15) -> float:
    for _ in range(3):
        fn()
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t0) / n)
    return best * 1e3


def build(batch: int) -> tuple[Any, Any, Any]:
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [batch, 64, 64, 32])

    def conv_relu(inp: Any, kernel_shape: list[int], bias_shape: list[int]) -> Any:
        init = tf.random_normal_initializer(stddev=0.05, seed=1)
        weights = tf.get_variable("weights", kernel_shape, initializer=init)
        biases = tf.get_variable("biases", bias_shape, initializer=tf.constant_initializer(0.1))
        return tf.nn.relu(tf.nn.conv2d(inp, weights, strides=[1, 1, 1, 1], padding="SAME") + biases)

    with tf.variable_scope("conv1"):
        relu1 = conv_relu(x, [5, 5, 32, 32], [32])
    with tf.variable_scope("conv2"):
        y = conv_relu(relu1, [5, 5, 32, 32], [32])
    conv_only = tf.nn.conv2d(x, tf.ones([5, 5, 32, 32]), [1, 1, 1, 1], "SAME")
    return x, y, conv_only


def run(batch: int) -> None:
    x, y, conv_only = build(batch)
    data = np.random.RandomState(0).rand(batch, 64, 64, 32).astype(np.float32)
    n = 20 if batch == 1 else 5
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        filt = best_ms(lambda: sess.run(y, {x: data}), n)
        if USE_TF:
            kern = best_ms(lambda: sess.run(conv_only, {x: data}), n)
        else:
            import torch

            from scopeflow.graph.op_registry import get_kernel

            k = get_kernel("Conv2D").factory(conv_only.op, None)
            xt, wt = torch.from_numpy(data), torch.ones(5, 5, 32, 32)
            with torch.no_grad():
                kern = best_ms(lambda: k(xt, wt), n)
    name = "tensorflow" if USE_TF else "scopeflow"
    print(f"{name} batch={batch}: conv kernel {kern:.2f} ms, filter Session.run {filt:.2f} ms")


def main() -> None:
    for batch in (1, 8):
        run(batch)


if __name__ == "__main__":
    main()
