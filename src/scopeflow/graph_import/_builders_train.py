"""Builders for the op types of TF-written *training* graphs (``model.ckpt.meta``).

TF's gradient ops (``ReluGrad``, ``BiasAddGrad``, ``Conv2DBackpropFilter``, ``MaxPoolGrad``,
``FusedBatchNormGradV3``, ``BroadcastGradientArgs``...), the losses' raw ops, and the optimizers'
fused update ops (``ApplyGradientDescent``/``ApplyMomentum``/``ApplyAdam``/``ApplyRMSProp`` and
their ``SparseApply*`` forms, with the node's ``use_locking``/``use_nesterov``), ``AssignAdd``,
``AssignSub`` and ``StridedSliceAssign`` (a sliced variable write, ``v[a:b].assign(x)``). Same
contract as ``_builders``: ``builder(inputs, attrs, name)``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.ops import (
    api_c_nn_ops,  # noqa: F401  (registers the Conv2DBackpropFilter kernel)
    gradients_impl,
    nn_loss_ops,
    slicing_ops,
    stack_ops,
    state_scatter_ops,
    tf_gradient_ops,
    training_ops,
)
from scopeflow.ops._op_builder import make_multi_op

del state_scatter_ops  # imported for its kernels (Scatter*)

Builder = Callable[[list[Any], dict[str, Any], str], Any]


def _apply(fn: Callable[..., Any], *flags: str) -> Builder:
    def build(i: list[Any], a: dict[str, Any], n: str) -> Any:
        kw = {f: bool(a.get(f, False)) for f in ("use_locking", *flags)}
        return fn(*i, name=n, **kw)

    return build


def _assign_update(op_type: str) -> Builder:
    def build(i: list[Any], a: dict[str, Any], n: str) -> Any:
        ref, value = i
        dt = ref._dtype.base_dtype
        attrs = {"T": dt, "use_locking": bool(a.get("use_locking", False))}
        return make_multi_op(op_type, (ref, value), attrs, n, (ref._dtype,), (ref._shape,))

    return build


def _elementwise(op_type: str) -> Builder:
    return lambda i, a, n: tf_gradient_ops.elementwise_grad(op_type, i[0], i[1], n)


def _sparse_xent(i: list[Any], a: dict[str, Any], n: str) -> Any:
    x, z = i
    dt = x._dtype.base_dtype
    s = x._shape
    loss = z._shape if s.ndims is None else s[:-1]
    attrs = {"T": dt, "Tlabels": z._dtype.base_dtype}
    return make_multi_op("SparseSoftmaxCrossEntropyWithLogits", (x, z), attrs, n, (dt, dt),
                         (loss, s))  # fmt: skip


def _scatter(op_type: str) -> Builder:
    """``Scatter*(ref, indices, updates)`` on a variable's ref output (as the kernel reads it)."""

    def build(i: list[Any], a: dict[str, Any], n: str) -> Any:
        ref, idx, upd = i
        if not ref._dtype._is_ref_dtype or ref._op._type != "VariableV2":
            raise TypeError(f"'{op_type}' needs a variable's ref as input 'ref'")
        dt = ref._dtype.base_dtype
        attrs = {"T": dt, "Tindices": idx._dtype.base_dtype,
                 "use_locking": bool(a.get("use_locking", False))}  # fmt: skip
        return make_multi_op(op_type, (ref, idx, upd), attrs, n, (ref._dtype,), (ref._shape,))

    return build


def _strided_slice_assign(i: list[Any], a: dict[str, Any], n: str) -> Any:
    """``StridedSliceAssign(ref, begin, end, strides, value)`` on a variable's ref output."""
    if not i[0]._dtype._is_ref_dtype or i[0]._op._type != "VariableV2":
        raise TypeError("'StridedSliceAssign' needs a variable's ref as input 'ref'")
    return slicing_ops.strided_slice_assign(
        i[0], i[1], i[2], i[3], i[4], begin_mask=a.get("begin_mask", 0),
        end_mask=a.get("end_mask", 0), ellipsis_mask=a.get("ellipsis_mask", 0),
        new_axis_mask=a.get("new_axis_mask", 0), shrink_axis_mask=a.get("shrink_axis_mask", 0),
        name=n,
    )  # fmt: skip


def _stitch(op_type: str) -> Builder:
    def build(i: list[Any], a: dict[str, Any], n: str) -> Any:
        k = len(i) // 2
        return tf_gradient_ops.dynamic_stitch(i[:k], i[k:], n, op_type)

    return build


def _declared_shape(a: dict[str, Any]) -> TensorShape | None:
    shapes = a.get("_output_shapes")
    if isinstance(shapes, list) and shapes and isinstance(shapes[0], TensorShape):
        return shapes[0]
    return None


def _ta_grad(i: list[Any], a: dict[str, Any], n: str) -> Any:
    handle, flow = i
    attrs = {"source": str(a.get("source", ""))}
    out_dtypes = (dtypes.resource, dtypes.float32)
    shapes = (TensorShape([2]), TensorShape([]))
    return make_multi_op("TensorArrayGradV3", (handle, flow), attrs, n, out_dtypes, shapes)


def _fused_bn_grad(op_type: str) -> Builder:
    return lambda i, a, n: tf_gradient_ops.fused_batch_norm_grad(op_type, i, a, n)


def _adagrad(i: list[Any], a: dict[str, Any], n: str) -> Any:
    var, accum, lr, grad = i
    return training_ops.apply_adagrad(
        var, accum, lr, grad, use_locking=bool(a.get("use_locking", False)),
        update_slots=bool(a.get("update_slots", True)), name=n,
    )  # fmt: skip


def _sparse_adagrad(i: list[Any], a: dict[str, Any], n: str) -> Any:
    var, accum, lr, grad, indices = i
    return training_ops.sparse_apply_adagrad(
        var, accum, lr, grad, indices, use_locking=bool(a.get("use_locking", False)),
        update_slots=bool(a.get("update_slots", True)), name=n,
    )  # fmt: skip


TRAIN_BUILDERS: dict[str, Builder] = {
    **{op: _elementwise(op) for op in tf_gradient_ops._ELEMENTWISE},
    "LeakyReluGrad": lambda i, a, n: tf_gradient_ops.leaky_relu_grad(
        i[0], i[1], float(a.get("alpha", 0.2)), n
    ),
    "BiasAddGrad": lambda i, a, n: tf_gradient_ops.bias_add_grad(
        i[0], str(a.get("data_format", "NHWC")), n
    ),
    "BroadcastGradientArgs": lambda i, a, n: tf_gradient_ops.broadcast_gradient_args(i[0], i[1], n),
    "Conv2DBackpropFilter": lambda i, a, n: tf_gradient_ops.conv2d_backprop_filter(
        i[0], i[1], i[2], a, n
    ),
    "MaxPoolGrad": lambda i, a, n: tf_gradient_ops.pool_grad("MaxPoolGrad", i, a, n),
    "AvgPoolGrad": lambda i, a, n: tf_gradient_ops.pool_grad("AvgPoolGrad", i, a, n),
    **{
        op: _fused_bn_grad(op)
        for op in ("FusedBatchNormGrad", "FusedBatchNormGradV2", "FusedBatchNormGradV3")
    },
    "SoftmaxCrossEntropyWithLogits": lambda i, a, n: tf_gradient_ops.softmax_xent_with_logits(
        i[0], i[1], n
    ),
    "SparseSoftmaxCrossEntropyWithLogits": _sparse_xent,
    "L2Loss": lambda i, a, n: nn_loss_ops.l2_loss(i[0], name=n),
    "InvertPermutation": lambda i, a, n: tf_gradient_ops.invert_permutation(i[0], n),
    "ConcatOffset": lambda i, a, n: tf_gradient_ops.concat_offset(i[0], i[1:], n),
    "ControlTrigger": lambda i, a, n: tf_gradient_ops.control_trigger(n),
    "AssignAdd": _assign_update("AssignAdd"),
    "AssignSub": _assign_update("AssignSub"),
    "ApplyGradientDescent": _apply(training_ops.apply_gradient_descent),
    "ApplyMomentum": _apply(training_ops.apply_momentum, "use_nesterov"),
    "SparseApplyMomentum": _apply(training_ops.sparse_apply_momentum, "use_nesterov"),
    "ApplyAdam": _apply(training_ops.apply_adam, "use_nesterov"),
    "ApplyRMSProp": _apply(training_ops.apply_rms_prop),
    "SparseApplyRMSProp": _apply(training_ops.sparse_apply_rms_prop),
    "ApplyAdagrad": _adagrad,
    "SparseApplyAdagrad": _sparse_adagrad,
    "ApplyAdadelta": _apply(training_ops.apply_adadelta),
    "ApplyCenteredRMSProp": _apply(training_ops.apply_centered_rms_prop),
    "ApplyProximalAdagrad": _apply(training_ops.apply_proximal_adagrad),
    "ApplyFtrl": _apply(training_ops.apply_ftrl, "multiply_linear_by_lr"),
    "ApplyFtrlV2": _apply(training_ops.apply_ftrl_v2, "multiply_linear_by_lr"),
    **{
        f"Scatter{k}": _scatter(f"Scatter{k}")
        for k in ("Update", "Add", "Sub", "Mul", "Div", "Max", "Min")
    },
    "StridedSliceAssign": _strided_slice_assign,
    "DynamicStitch": _stitch("DynamicStitch"),
    "ParallelDynamicStitch": _stitch("ParallelDynamicStitch"),
    "SymbolicGradient": gradients_impl.symbolic_gradient_from_attrs,
    "StackV2": lambda i, a, n: stack_ops.stack(
        i[0], a["elem_type"], str(a.get("stack_name", "")), n
    ),
    "StackPushV2": lambda i, a, n: stack_ops.stack_push(
        i[0], i[1], bool(a.get("swap_memory", False)), n
    ),
    "StackPopV2": lambda i, a, n: stack_ops.stack_pop(i[0], a["elem_type"], _declared_shape(a), n),
    "StackCloseV2": lambda i, a, n: stack_ops.stack_close(i[0], n),
    "TensorArrayGradV3": _ta_grad,
}

__all__ = ["TRAIN_BUILDERS"]
