"""A feed of a tensor computed inside a control-flow body is refused (found running stylegan)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.errors import UnsupportedError


@pytest.fixture(autouse=True)
def _fresh_graph() -> Iterator[None]:
    with tf.Graph().as_default():  # the expected names assume nothing else in the graph
        yield


def test_feed_inside_cond_branch_is_refused() -> None:
    """TF would use the fed value (the branch sub-plan would ignore it): refused, naming it."""
    p = tf.placeholder(tf.bool, [], name="p")
    c = tf.cond(p, lambda: tf.random_uniform([], 1, 6, dtype=tf.int32), lambda: tf.constant(6))
    inner = next(o for o in tf.get_default_graph().get_operations() if o.type == "RandomUniformInt")
    with (
        tf.Session() as sess,
        pytest.raises(UnsupportedError, match=r"feeding cond/random_uniform:0, a tensor computed"),
    ):
        sess.run(c, {p: True, inner.outputs[0]: 1})


def test_feed_inside_while_body_is_refused() -> None:
    seen = []

    def body(i: tf.Tensor) -> tf.Tensor:
        step = tf.identity(tf.constant(1), name="step")
        seen.append(step)
        return i + step

    out = tf.while_loop(lambda i: i < 3, body, [tf.constant(0)])
    with tf.Session() as sess, pytest.raises(UnsupportedError, match="control-flow body"):
        sess.run(out, {seen[0]: 2})


def test_feeds_outside_bodies_still_work() -> None:
    x = tf.placeholder(tf.float32, [], name="x")
    y = x * 2.0
    c = tf.cond(x > 0, lambda: y + 1.0, lambda: y - 1.0)
    with tf.Session() as sess:
        assert sess.run(c, {x: 1.0}) == 3.0
        assert sess.run(c, {y: np.float32(-4.0), x: 1.0}) == -3.0
