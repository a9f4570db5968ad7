"""``tf.layers.BatchNormalization`` / ``tf.layers.batch_normalization``, fused and unfused.

As TF 2.21's ``tf.compat.v1.layers`` (TF 1.15's API, Keras's v1 batch norm):

* variables ``gamma`` (ones), ``beta`` (zeros), ``moving_mean`` (zeros), ``moving_variance``
  (ones), the moving ones non-trainable, created in that order;
* ``fused=None`` means fused for 4-D and 5-D inputs normalized over the channel axis
  (``FusedBatchNormV3``), else ``tf.nn.moments`` + ``tf.nn.batch_normalization``;
* training (a Python bool or a bool tensor, which builds ``cond``s) adds ``AssignMovingAvg`` ops
  ``moving -= (moving - batch) * (1 - momentum)`` to the layer's ``updates`` and to
  ``UPDATE_OPS``. The fused path updates the moving variance with the unbiased (Bessel-corrected,
  ``n / (n - 1)``) batch variance that ``FusedBatchNormV3`` returns, the unfused path with the
  biased one -- TF's behaviour;
* ``virtual_batch_size`` (ghost batches, unfused) and ``adjustment`` as TF.

* ``renorm`` (batch renormalization: ``moving_stddev``, ``renorm_mean``, ``renorm_stddev``,
  ``renorm_clipping``, ``renorm_momentum``; unfused, as TF).

``training=None`` means Keras's graph-level learning phase (``keras_learning_phase``, a bool
placeholder with default False), as in TF.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import as_shape
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.layers._base import (
    InputSpec,
    Layer,
    constant_value,
    learning_phase,
    smart_cond,
)
from scopeflow.layers._initializers import get as get_initializer
from scopeflow.ops import array_ops
from scopeflow.ops.activation_ops import relu
from scopeflow.ops.constant_op import constant
from scopeflow.ops.gradients_impl import stop_gradient
from scopeflow.ops.init_ops import ones_initializer, zeros_initializer
from scopeflow.ops.math_ops import cast, maximum, minimum
from scopeflow.ops.normalization_ops import batch_normalization as nn_batch_normalization
from scopeflow.ops.normalization_ops import fused_batch_norm, moments
from scopeflow.ops.reduction_ops import reduce_mean
from scopeflow.ops.state_ops import assign, assign_sub
from scopeflow.ops.unary_ops import sqrt

_ZEROS = zeros_initializer()
_ONES = ones_initializer()


class BatchNormalization(Layer):
    """Batch normalization layer (``tf.layers.BatchNormalization``).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    >>> print(tf.layers.BatchNormalization()(x, training=True).name)
    batch_normalization/FusedBatchNormV3:0
    >>> [op.name for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)]
    ['batch_normalization/AssignMovingAvg', 'batch_normalization/AssignMovingAvg_1']
    """

    def __init__(
        self,
        axis: Any = -1,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = _ZEROS,
        gamma_initializer: Any = _ONES,
        moving_mean_initializer: Any = _ZEROS,
        moving_variance_initializer: Any = _ONES,
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        renorm: bool = False,
        renorm_clipping: Any = None,
        renorm_momentum: float = 0.99,
        fused: bool | None = None,
        trainable: bool = True,
        virtual_batch_size: int | None = None,
        adjustment: Any = None,
        name: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, trainable=trainable, **kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis: Any = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(
                "Expected an int or a list/tuple of ints for the argument 'axis', but "
                f"received: {axis!r}"
            )
        if renorm:
            renorm_clipping = renorm_clipping or {}
            keys = ["rmax", "rmin", "dmax"]
            if set(renorm_clipping) - set(keys):
                raise ValueError(
                    "Received invalid keys for `renorm_clipping` argument: "
                    f"{renorm_clipping}. Supported values: {keys}."
                )
        self.momentum = momentum
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = get_initializer(beta_initializer)
        self.gamma_initializer = get_initializer(gamma_initializer)
        self.moving_mean_initializer = get_initializer(moving_mean_initializer)
        self.moving_variance_initializer = get_initializer(moving_variance_initializer)
        self.beta_regularizer = beta_regularizer
        self.gamma_regularizer = gamma_regularizer
        self.beta_constraint = beta_constraint
        self.gamma_constraint = gamma_constraint
        self.renorm = renorm
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.virtual_batch_size = virtual_batch_size
        self.adjustment = adjustment
        self.fused = True if fused is None else fused
        self.supports_masking = True

    # --- build ----------------------------------------------------------------------------------

    def _fused_can_be_used(self) -> bool:
        axis = [self.axis] if isinstance(self.axis, int) else self.axis
        return not (
            self.renorm
            or len(axis) > 1
            or axis[0] not in (-4, -3, -1, 1, 3, 4)
            or self.virtual_batch_size is not None
            or self.adjustment is not None
            or self.dtype not in ("float16", "bfloat16", "float32", None)
        )

    @property
    def _param_dtype(self) -> dtypes.DType:
        dt = self._dtype
        if dt is None or dt in (dtypes.float16, dtypes.bfloat16):
            return dtypes.float32
        return dt

    def build(self, input_shape: Any) -> None:
        """Validates ``axis``, chooses fused or not, creates the four variables."""
        input_shape = as_shape(input_shape)
        rank = input_shape.ndims
        if rank is None:
            raise ValueError(f"Input has undefined rank. Received: input_shape={input_shape}.")
        axes = [self.axis] if isinstance(self.axis, int) else list(self.axis)
        for i, x in enumerate(axes):
            if not -rank <= x < rank:
                raise ValueError(
                    f"Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank "
                    f"(with inputs.rank={rank}). Received: axis={tuple(axes)}"
                )
            axes[i] = x % rank
        if len(axes) != len(set(axes)):
            raise ValueError(f"Duplicate axis: {axes}")
        self.axis = axes
        vbs = self.virtual_batch_size
        if vbs is not None:
            if vbs <= 0:
                raise ValueError(
                    "`virtual_batch_size` must be a positive integer that divides the true "
                    f"batch size of the input tensor. Received: virtual_batch_size={vbs}"
                )
            if 0 in self.axis:
                raise ValueError(
                    "When using `virtual_batch_size`, the batch dimension must be 0 and thus "
                    f"axis cannot include 0. Received axis={self.axis}"
                )
            if self.adjustment is not None:
                raise ValueError("When using `virtual_batch_size`, adjustment cannot be specified")
        if self.fused in (None, True):
            self.fused = rank in (4, 5) and self._fused_can_be_used()
        self._data_format: str | None = None
        if self.fused:
            if self.axis == [1] and rank == 4:
                self._data_format = "NCHW"
            elif self.axis == [1] and rank == 5:
                self._data_format = "NCDHW"
            elif self.axis == [3] and rank == 4:
                self._data_format = "NHWC"
            elif self.axis == [4] and rank == 5:
                self._data_format = "NDHWC"
            elif rank == 5:
                self.fused = False
            elif rank == 4:
                raise ValueError(
                    "Unsupported axis. The use of `fused=True` is only possible with `axis=1` "
                    f"or `axis=3` for 4D input tensors. Received: axis={tuple(self.axis)}"
                )
        dims = input_shape.as_list()
        axis_to_dim = {x: dims[x] for x in self.axis}
        for dim in axis_to_dim.values():
            if dim is None:
                raise ValueError(
                    f"Input has undefined `axis` dimension. Received input with shape "
                    f"{tuple(input_shape)} and axis={tuple(self.axis)}"
                )
        self.input_spec = InputSpec(ndim=rank, axes=axis_to_dim)
        if len(axis_to_dim) == 1 and vbs is None:
            param_shape: list[Any] = [next(iter(axis_to_dim.values()))]
        else:
            param_shape = [axis_to_dim.get(i, 1) for i in range(rank)]
            if vbs is not None:
                param_shape.insert(1, 1)
                self.axis = [x + 1 for x in self.axis]
        self._param_shape = param_shape
        pdt = self._param_dtype
        self.gamma = (
            self.add_weight(
                name="gamma",
                shape=param_shape,
                dtype=pdt,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                trainable=True,
            )
            if self.scale
            else None
        )
        self.beta = (
            self.add_weight(
                name="beta",
                shape=param_shape,
                dtype=pdt,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                trainable=True,
            )
            if self.center
            else None
        )
        scope = self._scope
        partitioner = scope.partitioner if scope is not None else None
        if partitioner is not None:
            scope.set_partitioner(None)  # type: ignore[union-attr]
        try:
            self.moving_mean = self.add_weight(
                name="moving_mean",
                shape=param_shape,
                dtype=pdt,
                initializer=self.moving_mean_initializer,
                trainable=False,
            )
            self.moving_variance = self.add_weight(
                name="moving_variance",
                shape=param_shape,
                dtype=pdt,
                initializer=self.moving_variance_initializer,
                trainable=False,
            )
            if self.renorm:
                # Renorm tracks the moving stddev (and its own mean and stddev for the
                # corrections), created in TF's order after the moving variance.
                def stddev_initializer(*args: Any, **kwargs: Any) -> Any:
                    return sqrt(self.moving_variance_initializer(*args, **kwargs))

                self.moving_stddev = self.add_weight(
                    name="moving_stddev",
                    shape=param_shape,
                    dtype=pdt,
                    initializer=stddev_initializer,
                    trainable=False,
                )
                self.renorm_mean = self.add_weight(
                    name="renorm_mean",
                    shape=param_shape,
                    dtype=pdt,
                    initializer=self.moving_mean_initializer,
                    trainable=False,
                )
                self.renorm_stddev = self.add_weight(
                    name="renorm_stddev",
                    shape=param_shape,
                    dtype=pdt,
                    initializer=stddev_initializer,
                    trainable=False,
                )
        finally:
            if partitioner is not None:
                scope.set_partitioner(partitioner)  # type: ignore[union-attr]
        self.built = True

    # --- updates --------------------------------------------------------------------------------

    def _assign_moving_average(self, variable: Any, value: Any, momentum: Any) -> Any:
        g = get_default_graph()
        with g.name_scope("AssignMovingAvg") as scope:
            if isinstance(momentum, (int, float)):
                decay = convert_to_tensor(1.0 - momentum, name="decay")
            else:
                decay = 1.0 - momentum
            if decay.dtype.base_dtype != variable.dtype.base_dtype:
                decay = cast(decay, variable.dtype.base_dtype)
            delta = (variable - cast(value, variable.dtype.base_dtype)) * decay
            return assign_sub(variable, delta, name=scope)

    def _renorm_correction_and_moments(self, mean: Any, variance: Any, training: Any) -> Any:
        """Batch renormalization's ``r``, ``d`` and the renorm variables' updates (TF's)."""
        stddev = sqrt(variance + self.epsilon)
        renorm_mean = self.renorm_mean
        renorm_stddev = maximum(self.renorm_stddev, sqrt(self.epsilon))
        r = stddev / renorm_stddev
        d = (mean - renorm_mean) / renorm_stddev
        with get_default_graph().control_dependencies([r, d]):
            mean = array_ops.identity(mean)
            stddev = array_ops.identity(stddev)
        clip = self.renorm_clipping
        rmin, rmax, dmax = (clip.get(key) for key in ("rmin", "rmax", "dmax"))
        if rmin is not None:
            r = maximum(r, rmin)
        if rmax is not None:
            r = minimum(r, rmax)
        if dmax is not None:
            d = maximum(d, -dmax)
            d = minimum(d, dmax)
        r = smart_cond(training, lambda: r, lambda: array_ops.ones_like(r))
        d = smart_cond(training, lambda: d, lambda: array_ops.zeros_like(d))

        def update(var: Any, value: Any) -> Any:
            value = array_ops.identity(value)
            return smart_cond(
                training,
                lambda: self._assign_moving_average(var, value, self.renorm_momentum),
                lambda: array_ops.identity(var),
            )

        update_mean = update(self.renorm_mean, mean)
        update_stddev = update(self.renorm_stddev, stddev)
        with get_default_graph().control_dependencies([update_mean, update_stddev]):
            out_mean = array_ops.identity(mean)
            out_variance = array_ops.identity(variance)
        return r, d, out_mean, out_variance

    # --- call -----------------------------------------------------------------------------------

    def call(self, inputs: Any, training: Any = False) -> Any:
        """Normalizes ``inputs`` with batch (training) or moving (inference) statistics."""
        if training is None:
            training = learning_phase()
        if isinstance(training, int) and not isinstance(training, bool):
            training = bool(training)
        training_value = constant_value(training)
        undo: Any = None
        if self.virtual_batch_size is not None:
            shape_t = array_ops.shape(inputs)
            original = array_ops.concat([constant([-1]), shape_t[1:]], axis=0)
            expanded = array_ops.concat(
                [constant([self.virtual_batch_size, -1]), original[1:]], axis=0
            )
            inputs = array_ops.reshape(inputs, expanded)

            def undo(outputs: Any) -> Any:
                return array_ops.reshape(outputs, original)

        if self.fused:
            return self._fused_call(inputs, training, training_value)
        return self._unfused_call(inputs, training, training_value, undo)

    def _fused_call(self, inputs: Any, training: Any, training_value: bool | None) -> Any:
        pdt = self._param_dtype
        beta = self.beta if self.center else constant(0.0, dtype=pdt, shape=self._param_shape)
        gamma = self.gamma if self.scale else constant(1.0, dtype=pdt, shape=self._param_shape)

        def fused_training() -> Any:
            return fused_batch_norm(
                inputs,
                gamma,
                beta,
                mean=self.moving_mean,
                variance=self.moving_variance,
                epsilon=self.epsilon,
                is_training=True,
                data_format=self._data_format or "NHWC",
            )

        def fused_inference() -> Any:
            return fused_batch_norm(
                inputs,
                gamma,
                beta,
                mean=self.moving_mean,
                variance=self.moving_variance,
                epsilon=self.epsilon,
                is_training=False,
                data_format=self._data_format or "NHWC",
            )

        output, mean, variance = smart_cond(training, fused_training, fused_inference)
        if training_value or training_value is None:
            if training_value is None:
                momentum: Any = smart_cond(training, lambda: self.momentum, lambda: 1.0)
            else:
                momentum = convert_to_tensor(self.momentum)
            self.add_update(lambda: self._assign_moving_average(self.moving_mean, mean, momentum))
            self.add_update(
                lambda: self._assign_moving_average(self.moving_variance, variance, momentum)
            )
        return output

    def _unfused_call(
        self, inputs: Any, training: Any, training_value: bool | None, undo: Any
    ) -> Any:
        inputs_dtype = inputs.dtype.base_dtype
        if inputs_dtype in (dtypes.float16, dtypes.bfloat16):
            inputs = cast(inputs, dtypes.float32)
        input_shape = inputs.shape
        ndims = input_shape.ndims
        reduction_axes = [i for i in range(ndims) if i not in self.axis]
        if self.virtual_batch_size is not None:
            del reduction_axes[1]
        broadcast_shape = [1] * ndims
        broadcast_shape[self.axis[0]] = input_shape.as_list()[self.axis[0]]

        def _broadcast(v: Any) -> Any:
            if (
                v is not None
                and v.shape.ndims != ndims
                and reduction_axes != list(range(ndims - 1))
            ):
                return array_ops.reshape(v, broadcast_shape)
            return v

        scale, offset = _broadcast(self.gamma), _broadcast(self.beta)

        def _compose(scale: Any, offset: Any, then_scale: Any, then_offset: Any) -> Any:
            if then_scale is not None:
                scale = scale * then_scale
                offset = offset * then_scale
            if then_offset is not None:
                offset = offset + then_offset
            return scale, offset

        if training_value is False:
            mean, variance = self.moving_mean, self.moving_variance
        else:
            if self.adjustment:
                adj_scale, adj_bias = self.adjustment(array_ops.shape(inputs))
                adj_scale = smart_cond(
                    training, lambda: adj_scale, lambda: array_ops.ones_like(adj_scale)
                )
                adj_bias = smart_cond(
                    training, lambda: adj_bias, lambda: array_ops.zeros_like(adj_bias)
                )
                scale, offset = _compose(adj_scale, adj_bias, scale, offset)
            keep_dims = self.virtual_batch_size is not None or len(self.axis) > 1
            batch_mean, batch_var = moments(
                cast(inputs, self._param_dtype), reduction_axes, keep_dims=keep_dims
            )
            moving_mean, moving_variance = self.moving_mean, self.moving_variance
            mean = smart_cond(training, lambda: batch_mean, lambda: convert_to_tensor(moving_mean))
            variance = smart_cond(
                training, lambda: batch_var, lambda: convert_to_tensor(moving_variance)
            )
            if self.virtual_batch_size is not None:
                new_mean = reduce_mean(mean, axis=1, keepdims=True)
                new_variance = reduce_mean(variance, axis=1, keepdims=True)
            else:
                new_mean, new_variance = mean, variance
            if self.renorm:
                r, d, new_mean, new_variance = self._renorm_correction_and_moments(
                    new_mean, new_variance, training
                )
                r = _broadcast(stop_gradient(r, name="renorm_r"))
                d = _broadcast(stop_gradient(d, name="renorm_d"))
                scale, offset = _compose(r, d, scale, offset)

            def mean_update() -> Any:
                return smart_cond(
                    training,
                    lambda: self._assign_moving_average(self.moving_mean, new_mean, self.momentum),
                    lambda: self.moving_mean,
                )

            def true_branch_renorm() -> Any:
                # TF applies epsilon inside the moving stddev, as in the training path.
                moving_stddev = self._assign_moving_average(
                    self.moving_stddev, sqrt(new_variance + self.epsilon), self.momentum
                )
                with get_default_graph().name_scope("AssignNewValue") as scope:
                    value = relu(moving_stddev * moving_stddev - self.epsilon)
                    return assign(self.moving_variance, value, name=scope)

            def variance_update() -> Any:
                return smart_cond(
                    training,
                    true_branch_renorm
                    if self.renorm
                    else lambda: self._assign_moving_average(
                        self.moving_variance, new_variance, self.momentum
                    ),
                    lambda: self.moving_variance,
                )

            self.add_update(mean_update)
            self.add_update(variance_update)
        dt = inputs.dtype.base_dtype
        mean = cast(mean, dt)
        variance = cast(variance, dt)
        if offset is not None:
            offset = cast(offset, dt)
        if scale is not None:
            scale = cast(scale, dt)
        outputs = nn_batch_normalization(
            inputs, _broadcast(mean), _broadcast(variance), offset, scale, self.epsilon
        )
        if inputs_dtype in (dtypes.float16, dtypes.bfloat16):
            outputs = cast(outputs, inputs_dtype)
        outputs.set_shape(input_shape)
        if undo is not None:
            outputs = undo(outputs)
        return outputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The input shape."""
        return input_shape


def batch_normalization(
    inputs: Any,
    axis: Any = -1,
    momentum: float = 0.99,
    epsilon: float = 1e-3,
    center: bool = True,
    scale: bool = True,
    beta_initializer: Any = _ZEROS,
    gamma_initializer: Any = _ONES,
    moving_mean_initializer: Any = _ZEROS,
    moving_variance_initializer: Any = _ONES,
    beta_regularizer: Any = None,
    gamma_regularizer: Any = None,
    beta_constraint: Any = None,
    gamma_constraint: Any = None,
    training: Any = False,
    trainable: bool = True,
    name: Any = None,
    reuse: Any = None,
    renorm: bool = False,
    renorm_clipping: Any = None,
    renorm_momentum: float = 0.99,
    fused: bool | None = None,
    virtual_batch_size: int | None = None,
    adjustment: Any = None,
) -> Any:
    """Functional form of ``BatchNormalization`` (``tf.layers.batch_normalization``).

    The moving statistics are updated by the ops in ``tf.GraphKeys.UPDATE_OPS``; run them with
    the train op, as in TF.

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 3])
    >>> print(tf.layers.batch_normalization(x, training=True).name)
    batch_normalization/batchnorm/add_1:0
    """
    layer = BatchNormalization(
        axis=axis,
        momentum=momentum,
        epsilon=epsilon,
        center=center,
        scale=scale,
        beta_initializer=beta_initializer,
        gamma_initializer=gamma_initializer,
        moving_mean_initializer=moving_mean_initializer,
        moving_variance_initializer=moving_variance_initializer,
        beta_regularizer=beta_regularizer,
        gamma_regularizer=gamma_regularizer,
        beta_constraint=beta_constraint,
        gamma_constraint=gamma_constraint,
        renorm=renorm,
        renorm_clipping=renorm_clipping,
        renorm_momentum=renorm_momentum,
        fused=fused,
        trainable=trainable,
        virtual_batch_size=virtual_batch_size,
        adjustment=adjustment,
        name=name,
        _reuse=reuse,
        _scope=name,
    )
    return layer(inputs, training=training)


__all__ = ["BatchNormalization", "batch_normalization"]
