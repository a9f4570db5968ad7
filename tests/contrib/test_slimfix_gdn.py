"""``tf.contrib.layers.gdn`` with ``data_format="channels_first"``.

TF's CPU kernels reject NCHW convolutions, so the oracle cannot record this path (conformance
topic ``slimfix_contrib`` covers channels_last); tf-slim's own GDNTest.testChannelsFirst runs it
only on a GPU. Here the channels-first result must equal the channels-last one on the transposed
input, for ranks 3 and 4. Rank 5 fails as in TF 1.15, whose reshape adds ``[-1]`` to the
shape tensor (``shape[:3] + [-1]`` is an elementwise sum of tensors, not a list concatenation).
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf


@pytest.mark.parametrize("ndim", [3, 4])
@pytest.mark.parametrize("inverse", [False, True])
def test_gdn_channels_first_matches_channels_last(ndim: int, inverse: bool) -> None:
    x = np.random.RandomState(ndim).uniform(size=(2, 3, 4, 2, 3)[:ndim]).astype(np.float32)
    to_last = (0, *range(2, ndim), 1)
    with tf.Graph().as_default():
        first = tf.contrib.layers.gdn(tf.constant(x), inverse=inverse, gamma_init=0.3,
                                      data_format="channels_first")  # fmt: skip
        last = tf.contrib.layers.gdn(tf.constant(x.transpose(to_last)), inverse=inverse,
                                     gamma_init=0.3)  # fmt: skip
        assert first.shape.as_list() == list(x.shape)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            a, b = sess.run([first, last])
    np.testing.assert_allclose(a.transpose(to_last), b, rtol=1e-6)
    norm = np.sqrt(1 + 0.3 * x**2)
    np.testing.assert_allclose(a, x * norm if inverse else x / norm, rtol=1e-5)


def test_gdn_channels_first_rank5_fails_as_tf() -> None:
    x = tf.zeros([2, 3, 4, 2, 3])
    with pytest.raises(ValueError, match="Cannot reshape a tensor with 144 elements"):
        tf.contrib.layers.gdn(x, data_format="channels_first")
