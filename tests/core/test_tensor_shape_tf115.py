"""TensorShape/Dimension facts of TF 1.15 that TF 2 changed (found running NVlabs/stylegan)."""

from __future__ import annotations

import pytest

import scopeflow.compat.v1 as tf
from scopeflow._core.tensor_shape import Dimension, TensorShape


def test_bool_dimension_is_its_int_value() -> None:
    """TF 1.15's ``Dimension`` stores ``int(value)``: ``True`` is 1 (stylegan's noise inputs are
    ``get_variable(shape=[1, use_noise, 4, 4])`` with ``use_noise=True``)."""
    d = Dimension(True)
    assert d.value == 1
    assert type(d.value) is int
    assert TensorShape([1, True, 4]).as_list() == [1, 1, 4]
    v = tf.get_variable("noise0", shape=[1, True, 4, 4], initializer=tf.zeros_initializer())
    assert v.shape.as_list() == [1, 1, 4, 4]


def test_float_dimension_still_refused() -> None:
    with pytest.raises(TypeError, match="Dimension value must be integer"):
        Dimension(2.0)
