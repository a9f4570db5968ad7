"""slim's private ``_inner_flatten`` (tf-slim's layers_test calls it) and ``dtypes.float32_ref``.

Expected values follow TF 1.15's layers.py docstring and its PartialFlattenTest: the dense result
keeps the outer dimensions and multiplies the inner ones (statically when known); a
``SparseTensor`` is reshaped with ``sparse_reshape``; a rank below ``new_rank`` fails.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow._core import dtypes
from scopeflow.contrib.layers._more_layers import _inner_flatten


def test_dense_inner_flatten_static_and_values() -> None:
    with tf.Graph().as_default():
        x = tf.random_uniform([1, 2, 3, 4, 5, 6], seed=1)
        y = _inner_flatten(x, 4, output_collections="outs")
        assert y.get_shape().as_list() == [1, 2, 3, 120]
        assert y.aliases == ["InnerFlatten"]
        assert tf.get_collection("outs") == [y]
        p = tf.placeholder(tf.float32, [None, 3, None])
        assert _inner_flatten(p, 2).get_shape().as_list() == [None, None]
        with tf.Session() as sess:
            xv, yv = sess.run([x, y])
        np.testing.assert_array_equal(yv, xv.reshape(1, 2, 3, 120))


def test_dense_inner_flatten_rank_assertion() -> None:
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float32)
        y = _inner_flatten(p, 4)
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="rank"):
            sess.run(y, {p: np.zeros([2, 3])})


def test_sparse_inner_flatten() -> None:
    with tf.Graph().as_default():
        sp = tf.SparseTensor([[0, 1, 2], [1, 0, 1]], [1.0, 2.0], [2, 2, 3])
        y = _inner_flatten(sp, 2)
        with tf.Session() as sess:
            v = sess.run(y)
        np.testing.assert_array_equal(v.indices, [[0, 5], [1, 1]])
        np.testing.assert_array_equal(v.dense_shape, [2, 6])
        with pytest.raises(ValueError, match="rank less than new_rank"):
            _inner_flatten(sp, 4)


def test_ref_dtype_names() -> None:
    assert dtypes.float32_ref is dtypes.float32._as_ref
    assert dtypes.float32_ref.base_dtype is dtypes.float32
    assert dtypes.int64_ref.name == "int64_ref"
