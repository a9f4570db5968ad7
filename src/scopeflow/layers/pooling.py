"""Pooling ``tf.layers``: average and max pooling in 1, 2 and 3 dimensions.

As TF 2.21's ``tf.compat.v1.layers``: 1-D pooling is ``ExpandDims``, a 2-D ``MaxPool``/``AvgPool``
and ``Squeeze``; 2-D and 3-D pooling are one ``MaxPool``/``AvgPool``/``MaxPool3D``/``AvgPool3D`` op
(3-D ``channels_first`` inputs are transposed to channels-last and back, as TF does).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.tensor_shape import TensorShape, as_shape
from scopeflow.layers._base import InputSpec, Layer
from scopeflow.layers.convolutional import conv_output_length, normalize_tuple
from scopeflow.layers.core import _normalize_data_format
from scopeflow.ops import pooling_ops
from scopeflow.ops.shape_ops import expand_dims, squeeze, transpose


def _normalize_pool_padding(value: Any) -> str:
    padding = str(value).lower()
    if padding not in {"valid", "same"}:
        raise ValueError(
            "The `padding` argument must be a list/tuple or one of "
            f'"valid", "same" (or "causal", only for `Conv1D). Received: {padding}'
        )
    return padding


class _Pooling(Layer):
    _rank = 2
    _mode = "max"

    def __init__(
        self,
        pool_size: Any,
        strides: Any,
        padding: str = "valid",
        data_format: str = "channels_last",
        name: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, **kwargs)
        if data_format is None:
            data_format = "channels_last"
        if strides is None:
            strides = pool_size
        self.pool_size = normalize_tuple(pool_size, self._rank, "pool_size")
        self.strides = normalize_tuple(strides, self._rank, "strides", allow_zero=True)
        self.padding = _normalize_pool_padding(padding)
        self.data_format = _normalize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self._rank + 2)

    def call(self, inputs: Any) -> Any:
        """The pooling op (with TF's ``ExpandDims``/``Squeeze`` or transposes around it)."""
        first = self.data_format == "channels_first"
        padding = self.padding.upper()
        if self._rank == 1:
            axis = 3 if first else 2
            x = expand_dims(inputs, axis)
            ksize = [1, 1, *self.pool_size, 1] if first else [1, *self.pool_size, 1, 1]
            strides = [1, 1, *self.strides, 1] if first else [1, *self.strides, 1, 1]
            fn = pooling_ops.max_pool if self._mode == "max" else pooling_ops.avg_pool
            y = fn(x, ksize, strides, padding, data_format="NCHW" if first else "NHWC")
            return squeeze(y, axis)
        if self._rank == 2:
            ksize = [1, 1, *self.pool_size] if first else [1, *self.pool_size, 1]
            strides = [1, 1, *self.strides] if first else [1, *self.strides, 1]
            fn = pooling_ops.max_pool if self._mode == "max" else pooling_ops.avg_pool
            return fn(inputs, ksize, strides, padding, data_format="NCHW" if first else "NHWC")
        ksize = [1, *self.pool_size, 1]
        strides = [1, *self.strides, 1]
        x = transpose(inputs, (0, 2, 3, 4, 1)) if first else inputs
        fn3 = pooling_ops.max_pool3d if self._mode == "max" else pooling_ops.avg_pool3d
        y = fn3(x, ksize, strides, padding, data_format="NDHWC")
        return transpose(y, (0, 4, 1, 2, 3)) if first else y

    def compute_output_shape(self, input_shape: Any) -> TensorShape:
        """Keras's ``conv_output_length`` per pooled axis."""
        dims = as_shape(input_shape).as_list()
        first = self.data_format == "channels_first"
        axes = range(2, self._rank + 2) if first else range(1, self._rank + 1)
        for i, ax in enumerate(axes):
            dims[ax] = conv_output_length(
                dims[ax], self.pool_size[i], self.padding, self.strides[i]
            )
        return TensorShape(dims)


class AveragePooling1D(_Pooling):
    """Average pooling over one spatial axis (``tf.layers.AveragePooling1D``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.AveragePooling1D(2, 2)(tf.placeholder(tf.float32, [None, 10, 3])))
    Tensor("average_pooling1d/Squeeze:0", shape=(?, 5, 3), dtype=float32)
    """

    _rank, _mode = 1, "avg"


class MaxPooling1D(_Pooling):
    """Max pooling over one spatial axis (``tf.layers.MaxPooling1D``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.MaxPooling1D(2, 2)(tf.placeholder(tf.float32, [None, 10, 3])))
    Tensor("max_pooling1d/Squeeze:0", shape=(?, 5, 3), dtype=float32)
    """

    _rank, _mode = 1, "max"


class AveragePooling2D(_Pooling):
    """Average pooling over two spatial axes (``tf.layers.AveragePooling2D``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.AveragePooling2D(2, 2)(tf.placeholder(tf.float32, [None, 8, 8, 3])))
    Tensor("average_pooling2d/AvgPool:0", shape=(?, 4, 4, 3), dtype=float32)
    """

    _rank, _mode = 2, "avg"


class MaxPooling2D(_Pooling):
    """Max pooling over two spatial axes (``tf.layers.MaxPooling2D``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.MaxPooling2D(2, 2)(tf.placeholder(tf.float32, [None, 8, 8, 3])))
    Tensor("max_pooling2d/MaxPool:0", shape=(?, 4, 4, 3), dtype=float32)
    """

    _rank, _mode = 2, "max"


class AveragePooling3D(_Pooling):
    """Average pooling over three spatial axes (``tf.layers.AveragePooling3D``).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 4, 4, 4, 3])
    >>> print(tf.layers.AveragePooling3D(2, 2)(x))
    Tensor("average_pooling3d/AvgPool3D:0", shape=(?, 2, 2, 2, 3), dtype=float32)
    """

    _rank, _mode = 3, "avg"


class MaxPooling3D(_Pooling):
    """Max pooling over three spatial axes (``tf.layers.MaxPooling3D``).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 4, 4, 4, 3])
    >>> print(tf.layers.MaxPooling3D(2, 2)(x))
    Tensor("max_pooling3d/MaxPool3D:0", shape=(?, 2, 2, 2, 3), dtype=float32)
    """

    _rank, _mode = 3, "max"


def average_pooling1d(
    inputs: Any,
    pool_size: Any,
    strides: Any,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: Any = None,
) -> Any:
    """Functional form of ``AveragePooling1D`` (``tf.layers.average_pooling1d``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.average_pooling1d(tf.zeros([2, 10, 3]), 2, 2).shape)
    (2, 5, 3)
    """
    return AveragePooling1D(
        pool_size, strides, padding=padding, data_format=data_format, name=name
    )(inputs)


def max_pooling1d(
    inputs: Any,
    pool_size: Any,
    strides: Any,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: Any = None,
) -> Any:
    """Functional form of ``MaxPooling1D`` (``tf.layers.max_pooling1d``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.max_pooling1d(tf.zeros([2, 10, 3]), 2, 2).shape)
    (2, 5, 3)
    """
    return MaxPooling1D(pool_size, strides, padding=padding, data_format=data_format, name=name)(
        inputs
    )


def average_pooling2d(
    inputs: Any,
    pool_size: Any,
    strides: Any,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: Any = None,
) -> Any:
    """Functional form of ``AveragePooling2D`` (``tf.layers.average_pooling2d``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.average_pooling2d(tf.zeros([2, 8, 8, 3]), 2, 2).shape)
    (2, 4, 4, 3)
    """
    return AveragePooling2D(
        pool_size, strides, padding=padding, data_format=data_format, name=name
    )(inputs)


def max_pooling2d(
    inputs: Any,
    pool_size: Any,
    strides: Any,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: Any = None,
) -> Any:
    """Functional form of ``MaxPooling2D`` (``tf.layers.max_pooling2d``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.max_pooling2d(tf.zeros([2, 8, 8, 3]), 2, 2).name)
    max_pooling2d/MaxPool:0
    """
    return MaxPooling2D(pool_size, strides, padding=padding, data_format=data_format, name=name)(
        inputs
    )


def average_pooling3d(
    inputs: Any,
    pool_size: Any,
    strides: Any,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: Any = None,
) -> Any:
    """Functional form of ``AveragePooling3D`` (``tf.layers.average_pooling3d``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.average_pooling3d(tf.zeros([1, 4, 4, 4, 3]), 2, 2).shape)
    (1, 2, 2, 2, 3)
    """
    return AveragePooling3D(
        pool_size, strides, padding=padding, data_format=data_format, name=name
    )(inputs)


def max_pooling3d(
    inputs: Any,
    pool_size: Any,
    strides: Any,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: Any = None,
) -> Any:
    """Functional form of ``MaxPooling3D`` (``tf.layers.max_pooling3d``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.max_pooling3d(tf.zeros([1, 4, 4, 4, 3]), 2, 2).shape)
    (1, 2, 2, 2, 3)
    """
    return MaxPooling3D(pool_size, strides, padding=padding, data_format=data_format, name=name)(
        inputs
    )


__all__ = [
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
    "average_pooling1d",
    "average_pooling2d",
    "average_pooling3d",
    "max_pooling1d",
    "max_pooling2d",
    "max_pooling3d",
]
