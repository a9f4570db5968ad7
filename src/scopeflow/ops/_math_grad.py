"""Torch autograd functions for the math ops whose TF gradient differs from torch's.

TF's gradient functions (``math_grad.py``) are the reference; torch's built-in backward is used
wherever it already agrees. Where it does not:

* ``Maximum``/``Minimum``: TF sends the whole gradient to ``x`` where ``x >= y`` (``x <= y`` for
  minimum) and none to ``y``; torch splits ties 50/50.
* ``Pow``: TF's ``dz/dy = z * log(x)`` only where ``x > 0`` (0 elsewhere, also for negative
  ``x`` where torch gives NaN), and ``dz/dx = y * x**(y-1)`` everywhere (NaN at ``x = y = 0``
  where torch gives 0).
* ``Relu6``: TF's ``Relu6Grad`` passes the gradient only where ``0 < y < 6`` (none at either
  bound); torch's ``clamp`` passes it at both bounds. ``hardtanh``'s backward has TF's rule.
* ``SoftmaxCrossEntropyWithLogits``: TF's fused kernel gives ``softmax(logits) - labels`` as the
  logits' gradient (and ``-log_softmax(logits)`` as the labels'), which is the derivative only
  when each label row sums to 1; torch would differentiate the formula exactly.
* ``Selu``: TF's ``SeluGrad`` picks the branch from the *output* (``y < 0``), so ``x = 0`` gets
  ``scale``; torch's backward picks it from ``x <= 0`` and gives ``scale * alpha`` there.

Each kernel uses the plain torch function unless a gradient is being recorded.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch


def unbroadcast(grad: torch.Tensor, shape: torch.Size) -> torch.Tensor:
    """Sums ``grad`` down to ``shape`` (the reverse of NumPy broadcasting)."""
    if grad.shape == shape:
        return grad
    extra = grad.dim() - len(shape)
    if extra:
        grad = grad.sum(dim=tuple(range(extra)))
    dims = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if dims:
        grad = grad.sum(dim=dims, keepdim=True)
    return grad


class _SelectGrad(torch.autograd.Function):
    """``maximum``/``minimum`` with TF's tie rule: ``x`` gets the gradient where ``mask(x, y)``."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, y: torch.Tensor, is_max: bool) -> torch.Tensor:
        ctx.save_for_backward(x, y)
        ctx.is_max = is_max
        return torch.maximum(x, y) if is_max else torch.minimum(x, y)

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[Any, ...]:
        x, y = ctx.saved_tensors
        xmask = torch.ge(x, y) if ctx.is_max else torch.le(x, y)
        zero = torch.zeros((), dtype=grad.dtype, device=grad.device)
        gx = (
            unbroadcast(torch.where(xmask, grad, zero), x.shape)
            if ctx.needs_input_grad[0]
            else None
        )
        gy = (
            unbroadcast(torch.where(xmask, zero, grad), y.shape)
            if ctx.needs_input_grad[1]
            else None
        )
        return gx, gy, None


class _PowGrad(torch.autograd.Function):
    """``x ** y`` with TF's gradients (see the module docstring)."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        z = torch.pow(x, y)
        ctx.save_for_backward(x, y, z)
        return z

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[Any, ...]:
        x, y, z = ctx.saved_tensors
        gx = gy = None
        if ctx.needs_input_grad[0]:
            gx = unbroadcast(grad * y * torch.pow(x, y - 1), x.shape)
        if ctx.needs_input_grad[1]:
            mask = x != 0 if x.is_complex() else x > 0
            safe_x = torch.where(mask, x, torch.ones_like(x))
            log_x = torch.where(mask, torch.log(safe_x), torch.zeros_like(x))
            gy = unbroadcast(grad * z * log_x, y.shape)
        return gx, gy


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class _SeluGrad(torch.autograd.Function):
    """``selu`` with TF's gradient (branch chosen by the output's sign)."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor) -> torch.Tensor:
        y = torch.selu(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> torch.Tensor:
        (y,) = ctx.saved_tensors
        return torch.where(y < 0, grad * (y + _SELU_SCALE * _SELU_ALPHA), grad * _SELU_SCALE)


class _SoftmaxXentGrad(torch.autograd.Function):
    """``-sum(labels * log_softmax(logits), axis)`` with TF's fused-kernel gradients.

    The backward recomputes ``log_softmax`` from the saved inputs, so it is itself
    differentiable (``tf.gradients`` of a gradient).
    """

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, z: torch.Tensor, axis: int) -> torch.Tensor:
        ctx.save_for_backward(x, z)
        ctx.axis = axis
        return _xent_value(x, z, axis)

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[Any, ...]:
        x, z = ctx.saved_tensors
        axis = ctx.axis
        lsm = torch.log_softmax(x, axis)
        g = grad.unsqueeze(axis)
        gx = g * (torch.exp(lsm) - z) if ctx.needs_input_grad[0] else None
        gz = -g * lsm if ctx.needs_input_grad[1] else None
        return gx, gz, None


def _xent_value(x: torch.Tensor, z: torch.Tensor, axis: int) -> torch.Tensor:
    if x.dtype in (torch.float16, torch.bfloat16):
        return -(z.float() * torch.log_softmax(x.float(), axis)).sum(axis).to(x.dtype)
    return -(z * torch.log_softmax(x, axis)).sum(axis)


def softmax_xent(x: torch.Tensor, z: torch.Tensor, axis: int) -> torch.Tensor:
    """Softmax cross-entropy of logits ``x`` and labels ``z`` along ``axis``, TF's gradients."""
    if _recording(x, z):
        return _SoftmaxXentGrad.apply(x, z, axis)  # type: ignore[no-any-return]
    return _xent_value(x, z, axis)


def _recording(*xs: torch.Tensor) -> bool:
    return torch.is_grad_enabled() and any(x.requires_grad for x in xs)


def maximum(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """``torch.maximum`` with TF's gradient."""
    if _recording(x, y):
        return _SelectGrad.apply(x, y, True)  # type: ignore[no-any-return]
    return torch.maximum(x, y)


def minimum(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """``torch.minimum`` with TF's gradient."""
    if _recording(x, y):
        return _SelectGrad.apply(x, y, False)  # type: ignore[no-any-return]
    return torch.minimum(x, y)


def pow(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """``torch.pow`` with TF's gradient."""
    if _recording(x, y):
        return _PowGrad.apply(x, y)  # type: ignore[no-any-return]
    return torch.pow(x, y)


def relu6(x: torch.Tensor) -> torch.Tensor:
    """``min(max(x, 0), 6)`` with TF's gradient (none at the bounds)."""
    if x.is_floating_point() or x.is_complex():
        return torch.nn.functional.hardtanh(x, 0.0, 6.0)
    return torch.clamp(x, 0, 6)


def selu(x: torch.Tensor) -> torch.Tensor:
    """``torch.selu`` with TF's gradient."""
    if _recording(x):
        return _SeluGrad.apply(x)  # type: ignore[no-any-return]
    return torch.selu(x)


__all__ = ["maximum", "minimum", "pow", "relu6", "selu", "softmax_xent", "unbroadcast"]
