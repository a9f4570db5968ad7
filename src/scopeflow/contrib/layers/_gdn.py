"""TF 1.15's ``tf.contrib.layers.GDN`` / ``gdn``: generalized divisive normalization.

``y[i] = x[i] / sqrt(beta[i] + sum_j gamma[j, i] * x[j] ** 2)`` over channels (IGDN multiplies
instead of dividing), Ballé, Laparra and Simoncelli (arXiv:1511.06281, 1611.01704). ``beta`` and
``gamma`` are stored reparameterized as their square roots plus a small pedestal (variables
``reparam_beta`` and ``reparam_gamma``), bounded below by a ``Maximum`` op named
``GDNLowerBound`` whose gradient (registered under that name, as TF 1.15 registers it) passes
the incoming gradient where the input is above the bound or the gradient pushes it upwards.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.layers._base import Layer
from scopeflow.layers._input_spec import InputSpec
from scopeflow.ops.array_ops import ones, reshape, shape
from scopeflow.ops.constant_op import constant
from scopeflow.ops.conv_ops import convolution
from scopeflow.ops.gradient_registry import RegisterGradient
from scopeflow.ops.linalg_ops import eye
from scopeflow.ops.math_ops import cast, greater_equal, less, logical_or, maximum
from scopeflow.ops.nn_ops import bias_add
from scopeflow.ops.shape_ops import expand_dims, squeeze
from scopeflow.ops.unary_ops import sqrt, square


class GDN(Layer):
    """Generalized divisive normalization layer (``tf.contrib.layers.GDN``).

    Args:
        inverse: compute IGDN (multiply by the norm pool) instead of GDN.
        beta_min: lower bound of ``beta``.
        gamma_init: ``gamma`` starts as this multiple of the identity matrix.
        reparam_offset: offset of the square-root reparameterization of ``beta`` and ``gamma``.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        activity_regularizer, trainable, name: as for every ``tf.layers.Layer``.

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.contrib.layers.GDN()(tf.zeros([2, 5, 3]))
    >>> print(y.shape, [v.op.name for v in tf.global_variables()])
    (2, 5, 3) ['gdn/reparam_beta', 'gdn/reparam_gamma']
    """

    def __init__(
        self,
        inverse: bool = False,
        beta_min: float = 1e-6,
        gamma_init: float = 0.1,
        reparam_offset: float = 2**-18,
        data_format: str = "channels_last",
        activity_regularizer: Any = None,
        trainable: bool = True,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            trainable=trainable, name=name, activity_regularizer=activity_regularizer, **kwargs
        )
        self.inverse = inverse
        self._beta_min = beta_min
        self._gamma_init = gamma_init
        self._reparam_offset = reparam_offset
        self.data_format = data_format
        self._channel_axis()  # an unknown data_format fails here, before any op is made
        self.input_spec = InputSpec(min_ndim=3, max_ndim=5)

    def _channel_axis(self) -> int:
        axes = {"channels_first": 1, "channels_last": -1}
        if self.data_format not in axes:
            raise ValueError(f"Unsupported `data_format` for GDN layer: {self.data_format}.")
        return axes[self.data_format]

    @staticmethod
    def _lower_bound(inputs: Any, bound: Any, name: str | None = None) -> Tensor:
        """``maximum(inputs, bound)`` whose gradient is ``_lower_bound_grad``."""
        with name_scope(name, "GDNLowerBound", [inputs, bound]) as scope:
            inputs = convert_to_tensor(inputs, name="inputs")
            bound = convert_to_tensor(bound, name="bound")
            with get_default_graph().gradient_override_map({"Maximum": "GDNLowerBound"}):
                return maximum(inputs, bound, name=scope)

    @staticmethod
    def _lower_bound_grad(op: Operation, grad: Any) -> list[Any]:
        """Passes ``grad`` where the input is at or above the bound or ``grad`` is negative."""
        inputs, bound = op.inputs[0], op.inputs[1]
        pass_through = logical_or(greater_equal(inputs, bound), less(grad, 0))
        return [cast(pass_through, grad.dtype) * grad, None]

    def build(self, input_shape: Any) -> None:
        channel_axis = self._channel_axis()
        input_shape = TensorShape(input_shape)
        num_channels = input_shape.dims[channel_axis].value  # type: ignore[index]
        if num_channels is None:
            raise ValueError("The channel dimension of the inputs to `GDN` must be defined.")
        self._input_rank = input_shape.ndims
        self.input_spec = InputSpec(ndim=input_shape.ndims, axes={channel_axis: num_channels})
        offset = self._reparam_offset
        pedestal = constant(offset**2, dtype=self.dtype)
        beta_bound = constant((self._beta_min + offset**2) ** 0.5, dtype=self.dtype)
        gamma_bound = constant(offset, dtype=self.dtype)

        def beta_initializer(shape: Any, dtype: Any = None, partition_info: Any = None) -> Any:
            del partition_info
            pedestal = constant(offset**2, dtype=self.dtype)
            return sqrt(ones(shape, dtype=dtype) + pedestal)

        def gamma_initializer(shape: Any, dtype: Any = None, partition_info: Any = None) -> Any:
            del partition_info
            if len(shape) != 2 or shape[0] != shape[1]:
                raise ValueError(f"GDN's gamma must be a square matrix, got shape {shape}")
            identity = eye(shape[0], dtype=dtype)
            pedestal = constant(offset**2, dtype=self.dtype)
            return sqrt(self._gamma_init * identity + pedestal)

        beta = self.add_weight(
            "reparam_beta",
            shape=[num_channels],
            initializer=beta_initializer,
            dtype=self.dtype,
            trainable=True,
        )
        self.beta = square(self._lower_bound(beta, beta_bound)) - pedestal
        gamma = self.add_weight(
            "reparam_gamma",
            shape=[num_channels, num_channels],
            initializer=gamma_initializer,
            dtype=self.dtype,
            trainable=True,
        )
        self.gamma = square(self._lower_bound(gamma, gamma_bound)) - pedestal
        self.built = True

    def call(self, inputs: Any) -> Tensor:
        inputs = convert_to_tensor(inputs, dtype=self.dtype)
        ndim = self._input_rank
        gamma = reshape(self.gamma, (ndim - 2) * [1] + self.gamma.get_shape().as_list())
        if self.data_format == "channels_first":
            norm_pool = convolution(
                square(inputs), gamma, "VALID", data_format="NC" + "DHW"[-(ndim - 2) :]
            )
            if ndim == 3:
                norm_pool = expand_dims(norm_pool, 2)
                norm_pool = bias_add(norm_pool, self.beta, data_format="NCHW")
                norm_pool = squeeze(norm_pool, [2])
            elif ndim == 5:
                pool_shape = shape(norm_pool)
                # TF 1.15 adds [-1] elementwise to the shape tensor (it meant concatenation);
                # kept, so rank-5 channels_first fails as it does in TF 1.15.
                norm_pool = reshape(norm_pool, pool_shape[:3] + [-1])  # noqa: RUF005
                norm_pool = bias_add(norm_pool, self.beta, data_format="NCHW")
                norm_pool = reshape(norm_pool, pool_shape)
            else:
                norm_pool = bias_add(norm_pool, self.beta, data_format="NCHW")
        else:
            norm_pool = convolution(square(inputs), gamma, "VALID")
            norm_pool = bias_add(norm_pool, self.beta, data_format="NHWC")
        norm_pool = sqrt(norm_pool)
        outputs = inputs * norm_pool if self.inverse else inputs / norm_pool
        outputs.set_shape(inputs.get_shape())
        return outputs

    def compute_output_shape(self, input_shape: Any) -> TensorShape:
        channel_axis = self._channel_axis()
        input_shape = TensorShape(input_shape)
        if input_shape.ndims is None or not 3 <= input_shape.ndims <= 5:
            raise ValueError("`input_shape` must be of rank 3 to 5, inclusive.")
        if input_shape.dims[channel_axis].value is None:  # type: ignore[index]
            raise ValueError("The channel dimension of `input_shape` must be defined.")
        return input_shape


RegisterGradient("GDNLowerBound")(GDN._lower_bound_grad)


def gdn(
    inputs: Any,
    inverse: bool = False,
    beta_min: float = 1e-6,
    gamma_init: float = 0.1,
    reparam_offset: float = 2**-18,
    data_format: str = "channels_last",
    activity_regularizer: Any = None,
    trainable: bool = True,
    name: str | None = None,
    reuse: Any = None,
) -> Tensor:
    """Functional interface of ``GDN`` (``tf.contrib.layers.gdn``).

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.contrib.layers.gdn(tf.ones([1, 2, 2, 3]), inverse=True)
    >>> print(y.name, y.shape)
    gdn/mul:0 (1, 2, 2, 3)
    """
    layer = GDN(
        inverse=inverse,
        beta_min=beta_min,
        gamma_init=gamma_init,
        reparam_offset=reparam_offset,
        data_format=data_format,
        activity_regularizer=activity_regularizer,
        trainable=trainable,
        name=name,
        dtype=dtypes.as_dtype(inputs.dtype).base_dtype,
        _scope=name,
        _reuse=reuse,
    )
    return layer.apply(inputs)


__all__ = ["GDN", "gdn"]
