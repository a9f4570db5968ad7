"""tf.layers behaviour that the TF recordings (tests/conformance/cases/layers_*.py) do not cover:
call cost in ops, conv3d_transpose gradients in float64, unsupported arguments, Keras-name helpers.
"""

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.errors import UnsupportedError
from scopeflow.graph.op_registry import get_kernel
from scopeflow.layers._activations import get_activation
from scopeflow.layers._base import to_snake_case
from scopeflow.layers._initializers import get


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()


@pytest.mark.parametrize(
    ("cls", "expected"),
    [
        pytest.param("Conv2DTranspose", "conv2d_transpose", id="conv2d_transpose"),
        pytest.param("BatchNormalization", "batch_normalization", id="batch_normalization"),
        pytest.param("MaxPooling3D", "max_pooling3d", id="max_pooling3d"),
        pytest.param("SeparableConv1D", "separable_conv1d", id="separable_conv1d"),
        pytest.param("Dense", "dense", id="dense"),
    ],
)
def test_to_snake_case_gives_tf_layer_names(cls, expected):
    assert to_snake_case(cls) == expected


def test_second_call_of_a_built_layer_creates_only_its_ops():
    layer = tf.layers.Dense(4)
    x = tf.placeholder(tf.float32, [None, 3])
    layer(x)
    before = len(tf.get_default_graph().get_operations())
    layer(x)
    added = [op.name for op in tf.get_default_graph().get_operations()[before:]]
    assert added == ["dense/MatMul_1", "dense/BiasAdd_1"]


def test_use_resource_is_unsupported():
    class Res(tf.layers.Layer):
        def build(self, input_shape):
            self.add_weight("w", [1], use_resource=True)

    with pytest.raises(UnsupportedError, match="use_resource"):
        Res()(tf.zeros([1, 1]))


def test_initializer_and_activation_lookup():
    assert type(get("he_uniform")).__name__ == "VarianceScaling"
    assert get_activation("linear") is None
    assert get_activation(tf.nn.relu) is tf.nn.relu
    with pytest.raises(ValueError, match="Unknown initializer: 'nope'"):
        get("nope")
    with pytest.raises(ValueError, match="Unknown activation function: 'nope'"):
        get_activation("nope")


def test_dense_string_activation_and_initializer():
    y = tf.layers.dense(tf.zeros([2, 3]), 2, activation="tanh", kernel_initializer="ones")
    assert y.name == "dense/Tanh:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(tf.global_variables()[0]), np.ones([3, 2]))


def test_conv3d_transpose_kernel_gradcheck():
    y = tf.nn.conv3d_transpose(
        tf.placeholder(tf.float64, [1, 2, 2, 2, 2]),
        tf.placeholder(tf.float64, [2, 2, 2, 3, 2]),
        [1, 3, 4, 3, 3],
        [1, 1, 2, 1, 1],
        padding="VALID",
    )
    assert y.shape.as_list() == [1, 3, 4, 3, 3]
    fn = get_kernel(y.op.type).factory(y.op, None)
    sizes = torch.tensor([1, 3, 4, 3, 3])
    g = torch.Generator().manual_seed(0)
    w = torch.randn(2, 2, 2, 3, 2, dtype=torch.float64, generator=g, requires_grad=True)
    x = torch.randn(1, 2, 2, 2, 2, dtype=torch.float64, generator=g, requires_grad=True)
    assert torch.autograd.gradcheck(lambda w, x: fn(sizes, w, x), (w, x))


def test_compute_output_shape():
    assert tf.layers.Dense(5).compute_output_shape([None, 3]).as_list() == [None, 5]
    conv = tf.layers.Conv2D(4, 3, strides=2, padding="same")
    assert conv.compute_output_shape([None, 7, 7, 2]).as_list() == [None, 4, 4, 4]
    pool = tf.layers.MaxPooling1D(2, 2)
    assert pool.compute_output_shape([None, 9, 3]).as_list() == [None, 4, 3]
