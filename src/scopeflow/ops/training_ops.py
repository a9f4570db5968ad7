"""TF's fused optimizer update ops: ``ApplyGradientDescent``, ``ApplyAdam``, ``SparseApplyFtrl`` ...

Each ``Apply*`` op updates a variable and its slot variables IN PLACE with TF's update rule
(TF1 ref semantics, as ``Assign`` does) and outputs the variable. The ``SparseApply*`` variants
update only the rows ``indices`` of the variable and its slots with the rows ``grad``; rows are
processed in order, so repeated indices apply repeated updates as TF's CPU kernels do.

The kernels address the variable and its slots by name (``ref_inputs``) and run torch's in-place
ops, computing the scalar coefficients once per step in the variable's precision as TF does
(Adam's ``lr * sqrt(1 - beta2_power) / (1 - beta1_power)`` is a float32 value for a float32
variable). ``use_locking`` is accepted and recorded; a session runs one step at a time.

Differences from TensorFlow: the results equal TF's within float32 rounding (torch's fused
``lerp_``/``addcdiv_`` and fused Adam kernel round once where Eigen rounds twice).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.graph.variables import Variable
from scopeflow.ops._math_common import _check_allowed, _convert_input
from scopeflow.ops._op_builder import make_op, ref_variable_name
from scopeflow.ops.math_ops import _scope

_INDEX_TYPES = (dtypes.int32, dtypes.int64)
_FLOAT_TYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)

# --- update rules: each mutates its tensor arguments in place -----------------------------------
# Scalars arrive as NumPy scalars of the variable's precision, so scalar arithmetic rounds as TF's.


def _gd(var: Any, alpha: Any, delta: Any) -> None:
    var.sub_(delta * alpha)


def _proximal_step(var: Any, prox: Any, lr: Any, l1: Any, l2: Any) -> None:
    if l1 > 0:
        shrunk = torch.clamp_min(prox.abs() - lr * l1, 0)
        var.copy_(torch.sign(prox) * shrunk / (1 + lr * l2))
    else:
        var.copy_(prox / (1 + lr * l2))


def _proximal_gd(var: Any, alpha: Any, l1: Any, l2: Any, delta: Any) -> None:
    _proximal_step(var, var - delta * alpha, alpha, l1, l2)


def _momentum(var: Any, accum: Any, lr: Any, grad: Any, momentum: Any, nesterov: bool) -> None:
    accum.mul_(momentum).add_(grad)
    if nesterov:
        var.sub_(grad * lr + accum * momentum * lr)
    else:
        var.sub_(accum * lr)


def _adam(
    var: Any,
    m: Any,
    v: Any,
    b1p: Any,
    b2p: Any,
    lr: Any,
    b1: Any,
    b2: Any,
    eps: Any,
    grad: Any,
    nesterov: bool,
) -> None:
    one = type(lr)(1)
    alpha = lr * np.sqrt(one - b2p) / (one - b1p)
    if not nesterov and _fusable(var, m, v, grad, b1, b2):
        # The fused kernel walks raw memory: a gradient in another layout (a conv kernel's
        # gradient arrives as a permuted view) must be made contiguous like the slots.
        grad = grad.contiguous()
        # torch's fused Adam with its bias corrections at exactly 1 (a huge step count makes
        # beta**step underflow to 0) is TF's rule with TF's step size ``alpha``: one pass.
        torch._fused_adam_(
            [var],
            [grad],
            [m],
            [v],
            [],
            [_NO_BIAS_CORRECTION_STEP],
            lr=float(alpha),
            beta1=float(b1),
            beta2=float(b2),
            weight_decay=0.0,
            eps=float(eps),
            amsgrad=False,
            maximize=False,
        )
        # The fused kernel does not bump ``var``'s version counter as other in-place ops do;
        # kernels that cache a layout of a variable (``conv_ops``' filters) rely on it.
        torch.autograd.graph.increment_version(var)
        return
    m.lerp_(grad, float(one - b1))
    v.lerp_(grad * grad, float(one - b2))
    denom = v.sqrt().add_(eps)
    if nesterov:
        var.sub_((grad * (one - b1) + m * b1) * alpha / denom)
    else:
        var.addcdiv_(m, denom, value=-float(alpha))


_NO_BIAS_CORRECTION_STEP = torch.tensor(1e9)
_FUSED_DTYPES = (torch.float32, torch.float64)


def _fusable(var: Any, m: Any, v: Any, grad: Any, b1: Any, b2: Any) -> bool:
    return (
        var.dtype in _FUSED_DTYPES
        and m.dtype == v.dtype == grad.dtype == var.dtype
        and var.device.type == "cpu"
        and grad.shape == var.shape
        and var.is_contiguous()
        and m.is_contiguous()
        and v.is_contiguous()
        and 0 <= b1 < 1
        and 0 <= b2 < 1
        and float(b1) ** 1e9 == 0.0
        and float(b2) ** 1e9 == 0.0
    )


def _adagrad(var: Any, accum: Any, lr: Any, grad: Any, update_slots: bool) -> None:
    if update_slots:
        accum.addcmul_(grad, grad)
    var.sub_(grad * lr * accum.rsqrt())


def _proximal_adagrad(var: Any, accum: Any, lr: Any, l1: Any, l2: Any, grad: Any) -> None:
    accum.addcmul_(grad, grad)
    rate = accum.rsqrt() * lr
    _proximal_step(var, var - grad * rate, rate, l1, l2)


def _adagrad_da(
    var: Any, gacc: Any, gsq: Any, grad: Any, lr: Any, l1: Any, l2: Any, step: Any
) -> None:
    gacc.add_(grad)
    gsq.addcmul_(grad, grad)
    denom = gsq.sqrt() + l2 * step * lr
    if l1 > 0:
        num = torch.sign(-gacc) * torch.clamp_min(gacc.abs() - l1 * step, 0)
        var.copy_(num * lr / denom)
    else:
        var.copy_(-gacc * lr / denom)


def _adadelta(
    var: Any, accum: Any, accum_update: Any, lr: Any, rho: Any, eps: Any, grad: Any
) -> None:
    one = type(lr)(1)
    accum.mul_(rho).add_(grad * grad * (one - rho))
    update = (accum_update + eps).sqrt() * (accum + eps).rsqrt() * grad
    var.sub_(update * lr)
    accum_update.mul_(rho).add_(update * update * (one - rho))


def _rmsprop(
    var: Any, ms: Any, mom: Any, lr: Any, rho: Any, momentum: Any, eps: Any, grad: Any
) -> None:
    ms.lerp_(grad * grad, float(type(lr)(1) - rho))
    mom.mul_(momentum).add_(grad * lr / (ms + eps).sqrt())
    var.sub_(mom)


def _centered_rmsprop(
    var: Any, mg: Any, ms: Any, mom: Any, lr: Any, rho: Any, momentum: Any, eps: Any, grad: Any
) -> None:
    w = float(type(lr)(1) - rho)
    ms.lerp_(grad * grad, w)
    mg.lerp_(grad, w)
    denom = ms - mg * mg + eps
    mom.mul_(momentum).add_(grad * lr / denom.sqrt())
    var.sub_(mom)


def _ftrl(
    var: Any,
    accum: Any,
    linear: Any,
    grad: Any,
    lr: Any,
    l1: Any,
    l2: Any,
    l2_shrinkage: Any,
    lr_power: Any,
) -> None:
    shrink_grad = grad if l2_shrinkage is None else grad + 2 * l2_shrinkage * var
    new_accum = accum + grad * grad
    if lr_power == -0.5:
        sigma = (new_accum.sqrt() - accum.sqrt()) / lr
        y = new_accum.sqrt() / lr + 2 * l2
    else:
        sigma = (new_accum.pow(-lr_power) - accum.pow(-lr_power)) / lr
        y = new_accum.pow(-lr_power) / lr + 2 * l2
    linear.add_(shrink_grad - sigma * var)
    x = torch.sign(linear) * l1 - linear
    var.copy_(torch.where(linear.abs() > l1, x / y, torch.zeros_like(var)))
    accum.copy_(new_accum)


# --- op table -----------------------------------------------------------------------------------


class _Spec:
    """One op: its slot inputs, scalar inputs (TF's argument names) and update rule."""

    def __init__(
        self,
        op_type: str,
        slots: Sequence[str],
        before: Sequence[str],
        after: Sequence[str],
        rule: Callable[..., None],
        grad_name: str = "grad",
        flag: str | None = None,
    ) -> None:
        self.op_type = op_type
        self.slots = tuple(slots)
        self.before = tuple(before)  # scalars before the gradient
        self.after = tuple(after)  # scalars after the gradient
        self.rule = rule
        self.grad_name = grad_name
        self.flag = flag  # a bool attr passed to the rule (use_nesterov, update_slots)


def _shrink(rule: Callable[..., None]) -> Callable[..., None]:
    def ftrl_v1(
        var: Any, accum: Any, linear: Any, grad: Any, lr: Any, l1: Any, l2: Any, lr_power: Any
    ) -> None:
        rule(var, accum, linear, grad, lr, l1, l2, None, lr_power)

    return ftrl_v1


_SPECS: dict[str, _Spec] = {
    s.op_type: s
    for s in (
        _Spec("ApplyGradientDescent", (), ("alpha",), (), _gd, grad_name="delta"),
        _Spec(
            "ApplyProximalGradientDescent",
            (),
            ("alpha", "l1", "l2"),
            (),
            _proximal_gd,
            grad_name="delta",
        ),
        _Spec("ApplyMomentum", ("accum",), ("lr",), ("momentum",), _momentum, flag="use_nesterov"),
        _Spec(
            "ApplyAdam",
            ("m", "v"),
            ("beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon"),
            (),
            _adam,
            flag="use_nesterov",
        ),
        _Spec("ApplyAdagrad", ("accum",), ("lr",), (), _adagrad, flag="update_slots"),
        _Spec("ApplyProximalAdagrad", ("accum",), ("lr", "l1", "l2"), (), _proximal_adagrad),
        _Spec(
            "ApplyAdagradDA",
            ("gradient_accumulator", "gradient_squared_accumulator"),
            (),
            ("lr", "l1", "l2", "global_step"),
            _adagrad_da,
        ),
        _Spec("ApplyAdadelta", ("accum", "accum_update"), ("lr", "rho", "epsilon"), (), _adadelta),
        _Spec("ApplyRMSProp", ("ms", "mom"), ("lr", "rho", "momentum", "epsilon"), (), _rmsprop),
        _Spec(
            "ApplyCenteredRMSProp",
            ("mg", "ms", "mom"),
            ("lr", "rho", "momentum", "epsilon"),
            (),
            _centered_rmsprop,
        ),
        _Spec("ApplyFtrl", ("accum", "linear"), (), ("lr", "l1", "l2", "lr_power"), _shrink(_ftrl)),
        _Spec(
            "ApplyFtrlV2",
            ("accum", "linear"),
            (),
            ("lr", "l1", "l2", "l2_shrinkage", "lr_power"),
            _ftrl,
        ),
    )
}


def _rule_args(
    spec: _Spec,
    tensors: list[Any],
    before: list[Any],
    grad: Any,
    after: list[Any],
    flag: bool | None,
) -> list[Any]:
    """The rule's positional arguments in TF's input order."""
    args = [*tensors, *before, grad, *after]
    if flag is not None:
        args.append(flag)
    return args


def _scalar(t: Any, np_type: Any) -> Any:
    return np_type(t.item()) if isinstance(t, torch.Tensor) else np_type(t)


_NP_SCALAR = {
    torch.float32: np.float32,
    torch.float64: np.float64,
    torch.float16: np.float32,
    torch.bfloat16: np.float32,
}


def _make_kernel(spec: _Spec, sparse: bool) -> Callable[[Operation, Any], Any]:
    n_vars = 1 + len(spec.slots)
    n_before, n_after = len(spec.before), len(spec.after)

    def factory(op: Operation, session: Any) -> Any:
        names = [ref_variable_name(op._inputs[i]) for i in range(n_vars)]
        flag = bool(op._attrs.get(spec.flag, spec.flag == "update_slots")) if spec.flag else None

        def kernel(*vals: Any) -> Any:
            tensors = [session._read_variable(n, op) for n in names]
            st = _NP_SCALAR.get(tensors[0].dtype, np.float64)
            pos = n_vars
            before = [_scalar(v, st) for v in vals[pos : pos + n_before]]
            pos += n_before
            grad = vals[pos]
            pos += 1
            indices = None
            if sparse:
                indices = vals[pos]
                pos += 1
            after = [_scalar(v, st) for v in vals[pos : pos + n_after]]
            with torch.no_grad():
                if not sparse:
                    spec.rule(*_rule_args(spec, tensors, before, grad, after, flag))
                else:
                    _sparse_update(op, spec, tensors, before, grad, indices, after, flag)
            return tensors[0]

        return kernel

    return factory


def _sparse_update(
    op: Operation,
    spec: _Spec,
    tensors: list[Any],
    before: list[Any],
    grad: Any,
    indices: Any,
    after: list[Any],
    flag: bool | None,
) -> None:
    idx = indices.reshape(-1).long()
    first = tensors[0].shape[0]
    if idx.numel():
        bad = ((idx < 0) | (idx >= first)).nonzero()
        if len(bad):
            k = int(bad[0])
            raise InvalidArgumentError(
                None, op, f"Index {int(idx[k])} at offset {k} in indices is out of range"
            )
    grad = grad.reshape(idx.shape[0], *tensors[0].shape[1:])
    # Repeated indices update the same row several times in order: process runs of unique rows.
    groups = (
        [idx]
        if torch.unique(idx).numel() == idx.numel()
        else [idx[i : i + 1] for i in range(idx.numel())]
    )
    offset = 0
    for rows in groups:
        n = rows.numel()
        g = grad[offset : offset + n]
        offset += n
        parts = [t.index_select(0, rows) for t in tensors]
        spec.rule(*_rule_args(spec, parts, before, g, after, flag))
        for t, p in zip(tensors, parts, strict=True):
            t.index_copy_(0, rows, p)


for _spec in _SPECS.values():
    _refs = tuple(range(1 + len(_spec.slots)))
    register_kernel(_spec.op_type, stateful=True, aliases_input=True, ref_inputs=_refs)(
        _make_kernel(_spec, sparse=False)
    )
    if _spec.op_type != "ApplyGradientDescent":
        register_kernel(
            "Sparse" + _spec.op_type, stateful=True, aliases_input=True, ref_inputs=_refs
        )(_make_kernel(_spec, sparse=True))

#: The update ops. Each reads its gradient and scalar inputs during its run and keeps no
#: reference to them (the shared-memory all-reduce hands such readers views of reused memory).
UPDATE_OP_TYPES = frozenset(
    [s.op_type for s in _SPECS.values()]
    + ["Sparse" + s.op_type for s in _SPECS.values() if s.op_type != "ApplyGradientDescent"]
)


# --- graph-building wrappers --------------------------------------------------------------------


def _ref_of(v: Any, op_type: str, param: str) -> Tensor:
    if isinstance(v, Variable):
        return v._variable  # type: ignore[no-any-return]
    if isinstance(v, Tensor) and v._dtype._is_ref_dtype:
        return v
    raise TypeError(
        f"'{op_type}' Op requires that input '{param}' be a mutable tensor (e.g.: a tf.Variable)"
    )


def _build(
    op_type: str,
    var: Any,
    slots: Sequence[Any],
    before: Sequence[Any],
    grad: Any,
    after: Sequence[Any],
    indices: Any = None,
    name: str | None = None,
    **attrs: Any,
) -> Tensor:
    sparse = indices is not None
    full_type = ("Sparse" if sparse else "") + op_type
    spec = _SPECS[op_type]
    scope = _scope(name, full_type)
    v = _ref_of(var, full_type, "var")
    dt = v._dtype.base_dtype
    if dt not in _FLOAT_TYPES:
        raise TypeError(
            f"Value passed to parameter 'var' has DataType {dt.name} not in list of "
            f"allowed values: float16, bfloat16, float32, float64"
        )
    ins: list[Tensor] = [v]
    for s, pname in zip(slots, spec.slots, strict=True):
        ins.append(_ref_of(s, full_type, pname))
    step_type = dtypes.int64
    for x, pname in zip(before, spec.before, strict=True):
        ins.append(_convert_input(x, dt, pname, full_type, scope, "var"))
    ins.append(_convert_input(grad, dt, spec.grad_name, full_type, scope, "var"))
    if sparse:
        idx = convert_to_tensor(indices, name=scope + "indices/")
        _check_allowed(idx, _INDEX_TYPES, "indices")
        ins.append(idx)
    for x, pname in zip(after, spec.after, strict=True):
        t_dt = step_type if pname == "global_step" else dt
        ins.append(_convert_input(x, t_dt, pname, full_type, scope, "var"))
    for t in ins[1 : 1 + len(slots)]:
        if not v._shape.is_compatible_with(t._shape):
            raise ValueError(
                f"Shapes must be equal rank, but are {v._shape} and {t._shape} for "
                f"'{scope[:-1]}' (op: '{full_type}')"
            )
    op_attrs: dict[str, Any] = {"T": dt, **attrs}
    if sparse:
        op_attrs["Tindices"] = ins[len(slots) + len(before) + 2]._dtype.base_dtype
    return make_op(full_type, ins, op_attrs, scope, v._dtype, v._shape)


def apply_gradient_descent(
    var: Any, alpha: Any, delta: Any, use_locking: bool = False, name: str | None = None
) -> Tensor:
    """``var -= alpha * delta`` (TF's ``ApplyGradientDescent``)."""
    return _build(
        "ApplyGradientDescent", var, (), (alpha,), delta, (), name=name, use_locking=use_locking
    )


def apply_proximal_gradient_descent(
    var: Any,
    alpha: Any,
    l1: Any,
    l2: Any,
    delta: Any,
    use_locking: bool = False,
    name: str | None = None,
) -> Tensor:
    """FOBOS with a fixed learning rate (TF's ``ApplyProximalGradientDescent``)."""
    return _build(
        "ApplyProximalGradientDescent",
        var,
        (),
        (alpha, l1, l2),
        delta,
        (),
        name=name,
        use_locking=use_locking,
    )


def sparse_apply_proximal_gradient_descent(
    var: Any,
    alpha: Any,
    l1: Any,
    l2: Any,
    grad: Any,
    indices: Any,
    use_locking: bool = False,
    name: str | None = None,
) -> Tensor:
    """Rows ``indices`` of ``ApplyProximalGradientDescent``."""
    return _build(
        "ApplyProximalGradientDescent",
        var,
        (),
        (alpha, l1, l2),
        grad,
        (),
        indices,
        name,
        use_locking=use_locking,
    )


def apply_momentum(
    var: Any,
    accum: Any,
    lr: Any,
    grad: Any,
    momentum: Any,
    use_locking: bool = False,
    use_nesterov: bool = False,
    name: str | None = None,
) -> Tensor:
    """``accum = accum * momentum + grad; var -= lr * accum`` (TF's ``ApplyMomentum``)."""
    return _build(
        "ApplyMomentum",
        var,
        (accum,),
        (lr,),
        grad,
        (momentum,),
        name=name,
        use_locking=use_locking,
        use_nesterov=use_nesterov,
    )


def sparse_apply_momentum(
    var: Any,
    accum: Any,
    lr: Any,
    grad: Any,
    indices: Any,
    momentum: Any,
    use_locking: bool = False,
    use_nesterov: bool = False,
    name: str | None = None,
) -> Tensor:
    """Rows ``indices`` of ``ApplyMomentum``."""
    return _build(
        "ApplyMomentum",
        var,
        (accum,),
        (lr,),
        grad,
        (momentum,),
        indices,
        name,
        use_locking=use_locking,
        use_nesterov=use_nesterov,
    )


def apply_adam(
    var: Any,
    m: Any,
    v: Any,
    beta1_power: Any,
    beta2_power: Any,
    lr: Any,
    beta1: Any,
    beta2: Any,
    epsilon: Any,
    grad: Any,
    use_locking: bool = False,
    use_nesterov: bool = False,
    name: str | None = None,
) -> Tensor:
    """Adam with TF's bias-corrected step size and epsilon-hat (TF's ``ApplyAdam``).

    ``lr_t = lr * sqrt(1 - beta2_power) / (1 - beta1_power)``; ``m += (g - m) * (1 - beta1)``;
    ``v += (g * g - v) * (1 - beta2)``; ``var -= lr_t * m / (sqrt(v) + epsilon)``.
    """
    return _build(
        "ApplyAdam",
        var,
        (m, v),
        (beta1_power, beta2_power, lr, beta1, beta2, epsilon),
        grad,
        (),
        name=name,
        use_locking=use_locking,
        use_nesterov=use_nesterov,
    )


def apply_adagrad(
    var: Any,
    accum: Any,
    lr: Any,
    grad: Any,
    use_locking: bool = False,
    update_slots: bool = True,
    name: str | None = None,
) -> Tensor:
    """``accum += grad**2; var -= lr * grad / sqrt(accum)`` (TF's ``ApplyAdagrad``)."""
    return _build(
        "ApplyAdagrad",
        var,
        (accum,),
        (lr,),
        grad,
        (),
        name=name,
        use_locking=use_locking,
        update_slots=update_slots,
    )


def sparse_apply_adagrad(
    var: Any,
    accum: Any,
    lr: Any,
    grad: Any,
    indices: Any,
    use_locking: bool = False,
    update_slots: bool = True,
    name: str | None = None,
) -> Tensor:
    """Rows ``indices`` of ``ApplyAdagrad``."""
    return _build(
        "ApplyAdagrad",
        var,
        (accum,),
        (lr,),
        grad,
        (),
        indices,
        name,
        use_locking=use_locking,
        update_slots=update_slots,
    )


def apply_proximal_adagrad(
    var: Any,
    accum: Any,
    lr: Any,
    l1: Any,
    l2: Any,
    grad: Any,
    use_locking: bool = False,
    name: str | None = None,
) -> Tensor:
    """Adagrad with FOBOS shrinkage (TF's ``ApplyProximalAdagrad``)."""
    return _build(
        "ApplyProximalAdagrad",
        var,
        (accum,),
        (lr, l1, l2),
        grad,
        (),
        name=name,
        use_locking=use_locking,
    )


def sparse_apply_proximal_adagrad(
    var: Any,
    accum: Any,
    lr: Any,
    l1: Any,
    l2: Any,
    grad: Any,
    indices: Any,
    use_locking: bool = False,
    name: str | None = None,
) -> Tensor:
    """Rows ``indices`` of ``ApplyProximalAdagrad``."""
    return _build(
        "ApplyProximalAdagrad",
        var,
        (accum,),
        (lr, l1, l2),
        grad,
        (),
        indices,
        name,
        use_locking=use_locking,
    )


def apply_adagrad_da(
    var: Any,
    gradient_accumulator: Any,
    gradient_squared_accumulator: Any,
    grad: Any,
    lr: Any,
    l1: Any,
    l2: Any,
    global_step: Any,
    use_locking: bool = False,
    name: str | None = None,
) -> Tensor:
    """Adagrad dual averaging (TF's ``ApplyAdagradDA``)."""
    return _build(
        "ApplyAdagradDA",
        var,
        (gradient_accumulator, gradient_squared_accumulator),
        (),
        grad,
        (lr, l1, l2, global_step),
        name=name,
        use_locking=use_locking,
    )


def sparse_apply_adagrad_da(
    var: Any,
    gradient_accumulator: Any,
    gradient_squared_accumulator: Any,
    grad: Any,
    indices: Any,
    lr: Any,
    l1: Any,
    l2: Any,
    global_step: Any,
    use_locking: bool = False,
    name: str | None = None,
) -> Tensor:
    """Rows ``indices`` of ``ApplyAdagradDA``."""
    return _build(
        "ApplyAdagradDA",
        var,
        (gradient_accumulator, gradient_squared_accumulator),
        (),
        grad,
        (lr, l1, l2, global_step),
        indices,
        name,
        use_locking=use_locking,
    )


def apply_adadelta(
    var: Any,
    accum: Any,
    accum_update: Any,
    lr: Any,
    rho: Any,
    epsilon: Any,
    grad: Any,
    use_locking: bool = False,
    name: str | None = None,
) -> Tensor:
    """Adadelta (TF's ``ApplyAdadelta``)."""
    return _build(
        "ApplyAdadelta",
        var,
        (accum, accum_update),
        (lr, rho, epsilon),
        grad,
        (),
        name=name,
        use_locking=use_locking,
    )


def sparse_apply_adadelta(
    var: Any,
    accum: Any,
    accum_update: Any,
    lr: Any,
    rho: Any,
    epsilon: Any,
    grad: Any,
    indices: Any,
    use_locking: bool = False,
    name: str | None = None,
) -> Tensor:
    """Rows ``indices`` of ``ApplyAdadelta``."""
    return _build(
        "ApplyAdadelta",
        var,
        (accum, accum_update),
        (lr, rho, epsilon),
        grad,
        (),
        indices,
        name,
        use_locking=use_locking,
    )


def apply_rms_prop(
    var: Any,
    ms: Any,
    mom: Any,
    lr: Any,
    rho: Any,
    momentum: Any,
    epsilon: Any,
    grad: Any,
    use_locking: bool = False,
    name: str | None = None,
) -> Tensor:
    """RMSProp with momentum (TF's ``ApplyRMSProp``)."""
    return _build(
        "ApplyRMSProp",
        var,
        (ms, mom),
        (lr, rho, momentum, epsilon),
        grad,
        (),
        name=name,
        use_locking=use_locking,
    )


def sparse_apply_rms_prop(
    var: Any,
    ms: Any,
    mom: Any,
    lr: Any,
    rho: Any,
    momentum: Any,
    epsilon: Any,
    grad: Any,
    indices: Any,
    use_locking: bool = False,
    name: str | None = None,
) -> Tensor:
    """Rows ``indices`` of ``ApplyRMSProp``."""
    return _build(
        "ApplyRMSProp",
        var,
        (ms, mom),
        (lr, rho, momentum, epsilon),
        grad,
        (),
        indices,
        name,
        use_locking=use_locking,
    )


def apply_centered_rms_prop(
    var: Any,
    mg: Any,
    ms: Any,
    mom: Any,
    lr: Any,
    rho: Any,
    momentum: Any,
    epsilon: Any,
    grad: Any,
    use_locking: bool = False,
    name: str | None = None,
) -> Tensor:
    """Centered RMSProp (TF's ``ApplyCenteredRMSProp``)."""
    return _build(
        "ApplyCenteredRMSProp",
        var,
        (mg, ms, mom),
        (lr, rho, momentum, epsilon),
        grad,
        (),
        name=name,
        use_locking=use_locking,
    )


def sparse_apply_centered_rms_prop(
    var: Any,
    mg: Any,
    ms: Any,
    mom: Any,
    lr: Any,
    rho: Any,
    momentum: Any,
    epsilon: Any,
    grad: Any,
    indices: Any,
    use_locking: bool = False,
    name: str | None = None,
) -> Tensor:
    """Rows ``indices`` of ``ApplyCenteredRMSProp``."""
    return _build(
        "ApplyCenteredRMSProp",
        var,
        (mg, ms, mom),
        (lr, rho, momentum, epsilon),
        grad,
        (),
        indices,
        name,
        use_locking=use_locking,
    )


def apply_ftrl(
    var: Any,
    accum: Any,
    linear: Any,
    grad: Any,
    lr: Any,
    l1: Any,
    l2: Any,
    lr_power: Any,
    use_locking: bool = False,
    multiply_linear_by_lr: bool = False,
    name: str | None = None,
) -> Tensor:
    """FTRL-proximal (TF's ``ApplyFtrl``)."""
    _check_linear_by_lr(multiply_linear_by_lr)
    return _build(
        "ApplyFtrl",
        var,
        (accum, linear),
        (),
        grad,
        (lr, l1, l2, lr_power),
        name=name,
        use_locking=use_locking,
    )


def sparse_apply_ftrl(
    var: Any,
    accum: Any,
    linear: Any,
    grad: Any,
    indices: Any,
    lr: Any,
    l1: Any,
    l2: Any,
    lr_power: Any,
    use_locking: bool = False,
    multiply_linear_by_lr: bool = False,
    name: str | None = None,
) -> Tensor:
    """Rows ``indices`` of ``ApplyFtrl``."""
    _check_linear_by_lr(multiply_linear_by_lr)
    return _build(
        "ApplyFtrl",
        var,
        (accum, linear),
        (),
        grad,
        (lr, l1, l2, lr_power),
        indices,
        name,
        use_locking=use_locking,
    )


def apply_ftrl_v2(
    var: Any,
    accum: Any,
    linear: Any,
    grad: Any,
    lr: Any,
    l1: Any,
    l2: Any,
    l2_shrinkage: Any,
    lr_power: Any,
    use_locking: bool = False,
    multiply_linear_by_lr: bool = False,
    name: str | None = None,
) -> Tensor:
    """FTRL-proximal with L2 shrinkage (TF's ``ApplyFtrlV2``)."""
    _check_linear_by_lr(multiply_linear_by_lr)
    return _build(
        "ApplyFtrlV2",
        var,
        (accum, linear),
        (),
        grad,
        (lr, l1, l2, l2_shrinkage, lr_power),
        name=name,
        use_locking=use_locking,
    )


def sparse_apply_ftrl_v2(
    var: Any,
    accum: Any,
    linear: Any,
    grad: Any,
    indices: Any,
    lr: Any,
    l1: Any,
    l2: Any,
    l2_shrinkage: Any,
    lr_power: Any,
    use_locking: bool = False,
    multiply_linear_by_lr: bool = False,
    name: str | None = None,
) -> Tensor:
    """Rows ``indices`` of ``ApplyFtrlV2``."""
    _check_linear_by_lr(multiply_linear_by_lr)
    return _build(
        "ApplyFtrlV2",
        var,
        (accum, linear),
        (),
        grad,
        (lr, l1, l2, l2_shrinkage, lr_power),
        indices,
        name,
        use_locking=use_locking,
    )


def _check_linear_by_lr(flag: bool) -> None:
    if flag:
        from scopeflow.errors import UnsupportedError  # noqa: PLC0415

        raise UnsupportedError("Ftrl's multiply_linear_by_lr=True (a TF 2.x attribute)")


__all__ = [
    "UPDATE_OP_TYPES",
    "apply_adadelta",
    "apply_adagrad",
    "apply_adagrad_da",
    "apply_adam",
    "apply_centered_rms_prop",
    "apply_ftrl",
    "apply_ftrl_v2",
    "apply_gradient_descent",
    "apply_momentum",
    "apply_proximal_adagrad",
    "apply_proximal_gradient_descent",
    "apply_rms_prop",
    "sparse_apply_adadelta",
    "sparse_apply_adagrad",
    "sparse_apply_adagrad_da",
    "sparse_apply_centered_rms_prop",
    "sparse_apply_ftrl",
    "sparse_apply_ftrl_v2",
    "sparse_apply_momentum",
    "sparse_apply_proximal_adagrad",
    "sparse_apply_proximal_gradient_descent",
    "sparse_apply_rms_prop",
]
