"""Torch autograd functions for the math ops whose TF gradient differs from torch's.

TF's gradient functions (``math_grad.py``) are the reference; torch's built-in backward is used
wherever it already agrees. Where it does not:

* ``Maximum``/``Minimum``: TF sends the whole gradient to ``x`` where ``x >= y`` (``x <= y`` for
  minimum) and none to ``y``; torch splits ties 50/50.
* ``Pow``: TF's ``dz/dy = z * log(x)`` only where ``x > 0`` (0 elsewhere, also for negative
  ``x`` where torch gives NaN), and ``dz/dx = y * x**(y-1)`` everywhere (NaN at ``x = y = 0``
  where torch gives 0).

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


__all__ = ["maximum", "minimum", "pow", "unbroadcast"]
