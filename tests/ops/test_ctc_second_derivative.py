"""A second derivative through ``ctc_loss`` raises TF's ``LookupError``, as TF's
``PreventGradient`` does (TF raises it while building; scopeflow when the gradient runs)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf

# TF 1.15 / 2.21's text: ``"Gradient explicitly disabled. Reason: %s" % op.get_attr("message")``.
TF_MESSAGE = (
    'Gradient explicitly disabled. Reason: b"Currently there is no way to take the second  '
    "derivative of ctc_loss due to the fused implementation's interaction  with "
    'tf.gradients()"'
)


def test_first_derivative_runs_and_second_raises_tfs_error() -> None:
    with tf.Graph().as_default():
        x = tf.constant(np.random.RandomState(0).randn(5, 2, 4).astype(np.float32))
        labels = tf.SparseTensor([[0, 0], [1, 0]], [1, 2], [2, 1])
        loss = tf.reduce_sum(tf.nn.ctc_loss(labels, x, [5, 5]))
        (g,) = tf.gradients(loss, x)
        (g2,) = tf.gradients(tf.reduce_sum(g * g), x)
        with tf.Session() as sess:
            # CTC's gradient sums to zero over the classes of each frame (softmax minus targets).
            np.testing.assert_allclose(sess.run(g).sum(axis=-1), 0.0, atol=1e-5)
            with pytest.raises(LookupError) as info:
                sess.run(g2)
    assert str(info.value) == TF_MESSAGE
