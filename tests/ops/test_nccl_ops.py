"""``tensorflow.python.ops.nccl_ops`` in one process (NVlabs/stylegan's ``tflib.Optimizer``)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.ops import nccl_ops
from scopeflow.run import _modules

A = np.array([[1.0, -2.0], [3.0, 0.5]], np.float32)
B = np.array([[0.5, 4.0], [-1.0, 2.0]], np.float32)


@pytest.mark.parametrize(
    ("fn", "want"),
    [
        pytest.param(nccl_ops.all_sum, A + B, id="sum"),
        pytest.param(nccl_ops.all_prod, A * B, id="prod"),
        pytest.param(nccl_ops.all_min, np.minimum(A, B), id="min"),
        pytest.param(nccl_ops.all_max, np.maximum(A, B), id="max"),
    ],
)
def test_all_reduce_gives_every_input_the_reduction(fn, want) -> None:
    outs = fn([tf.constant(A), tf.constant(B)])
    assert len(outs) == 2
    assert [t.shape.as_list() for t in outs] == [[2, 2], [2, 2]]
    with tf.Session() as sess:
        for got in sess.run(outs):
            np.testing.assert_allclose(got, want)


def test_all_sum_gradient_flows_to_every_input() -> None:
    a = tf.constant(A)
    b = tf.constant(B)
    outs = nccl_ops.all_sum([a, b])
    grads = tf.gradients(tf.add_n(outs), [a, b])
    with tf.Session() as sess:
        for got in sess.run(grads):
            np.testing.assert_allclose(got, np.full([2, 2], 2.0))


def test_empty_list_refused_with_tf_message() -> None:
    with pytest.raises(ValueError, match="Must pass >0 tensors to all reduce operations"):
        nccl_ops.all_sum([])


def test_module_paths() -> None:
    assert _modules.import_tf_module("tensorflow.python.ops.nccl_ops").all_sum is nccl_ops.all_sum
    assert _modules.import_tf_module("tensorflow.contrib.nccl").all_sum is nccl_ops.all_sum
