"""``tf.signal`` / ``tf.spectral`` FFTs: ``fft``/``ifft`` (1-3D), ``rfft``/``irfft`` (1-3D).

As TF: ``fft``, ``ifft``, ``fft2d``, ... are the single ops ``FFT``, ``IFFT``, ``FFT2D``, ...
(attr ``Tcomplex``; complex64 or complex128 input, the transform over the innermost 1, 2 or 3
dimensions). ``rfft*`` and ``irfft*`` are TF's Python wrappers around ``RFFT*``/``IRFFT*`` (attrs
``Treal``, ``Tcomplex``): under their name scope an ``fft_length`` int32 constant (inferred from
the static shape when not given: the inner dimensions for ``rfft``, ``2 * (n - 1)`` for the last
one of ``irfft``), and a ``Pad`` when the statically known input is shorter than ``fft_length``
(``irfft``: than ``fft_length // 2 + 1`` on the last dimension); the kernels crop or zero-pad
the inner dimensions to ``fft_length`` as TF's do. Gradients come from torch autograd through
the kernels (TF registers the adjoint transforms; the values agree).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _check_allowed, _scope, name_scope
from scopeflow.ops._op_builder import make_op
from scopeflow.ops._shape_inference import node_error
from scopeflow.ops.array_ops import concat, stack, zeros, zeros_like
from scopeflow.ops.array_ops import rank as rank_op
from scopeflow.ops.array_ops import shape as shape_op
from scopeflow.ops.math_ops import maximum
from scopeflow.ops.shape_ops import pad

_COMPLEX = (dtypes.complex64, dtypes.complex128)
_REAL = (dtypes.float32, dtypes.float64)


def _rank_check(x: Tensor, rank: int, scope: str, op_type: str, attrs: dict[str, Any],
                inputs: list[Tensor]) -> None:  # fmt: skip
    nd = x._shape.ndims
    if nd is not None and nd < rank:
        raise node_error(f"Shape must be at least rank {rank} but is rank {nd}", scope, op_type,
                         attrs, inputs)  # fmt: skip


def _complex_fft(op_type: str, rank: int, input: Any, name: str | None) -> Tensor:
    scope = _scope(name, op_type)
    x = convert_to_tensor(input, name=scope + "input/")
    _check_allowed(x, _COMPLEX, "input")
    dt = x._dtype.base_dtype
    attrs = {"Tcomplex": dt}
    _rank_check(x, rank, scope, op_type, attrs, [x])
    return make_op(op_type, (x,), attrs, scope, dt, x._shape)


def fft(input: Any, name: str | None = None) -> Tensor:
    """The 1-D discrete Fourier transform over the innermost dimension (op ``FFT``).

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.signal.fft(tf.complex([1.0, 0.0], [0.0, 0.0]))
    >>> y.name, tf.Session().run(y).tolist()
    ('FFT:0', [(1+0j), (1+0j)])
    """
    return _complex_fft("FFT", 1, input, name)


def ifft(input: Any, name: str | None = None) -> Tensor:
    """The inverse 1-D DFT over the innermost dimension (op ``IFFT``, scaled by ``1/n``)."""
    return _complex_fft("IFFT", 1, input, name)


def fft2d(input: Any, name: str | None = None) -> Tensor:
    """The 2-D DFT over the innermost 2 dimensions (op ``FFT2D``)."""
    return _complex_fft("FFT2D", 2, input, name)


def ifft2d(input: Any, name: str | None = None) -> Tensor:
    """The inverse 2-D DFT over the innermost 2 dimensions (op ``IFFT2D``)."""
    return _complex_fft("IFFT2D", 2, input, name)


def fft3d(input: Any, name: str | None = None) -> Tensor:
    """The 3-D DFT over the innermost 3 dimensions (op ``FFT3D``)."""
    return _complex_fft("FFT3D", 3, input, name)


def ifft3d(input: Any, name: str | None = None) -> Tensor:
    """The inverse 3-D DFT over the innermost 3 dimensions (op ``IFFT3D``)."""
    return _complex_fft("IFFT3D", 3, input, name)


def _dims(rank: int) -> tuple[int, ...]:
    return tuple(range(-rank, 0))


def _complex_kernel(op: Operation, session: Any, fn: Any, rank: int) -> Any:
    return lambda x: fn(x, dim=_dims(rank))


for _t, _r, _fn in (
    ("FFT", 1, torch.fft.fftn),
    ("IFFT", 1, torch.fft.ifftn),
    ("FFT2D", 2, torch.fft.fftn),
    ("IFFT2D", 2, torch.fft.ifftn),
    ("FFT3D", 3, torch.fft.fftn),
    ("IFFT3D", 3, torch.fft.ifftn),
):
    register_kernel(_t)(partial(_complex_kernel, fn=_fn, rank=_r))


def _inner_static(x: Tensor, rank: int) -> list[int | None] | None:
    if x._shape.ndims is None:
        return None
    return x._shape.as_list()[-rank:]


def _fft_length_values(fl: Tensor) -> list[int] | None:
    val = fl._const
    return None if val is None else [int(v) for v in np.asarray(val).reshape(-1)]


def _maybe_pad(x: Tensor, rank: int, fl: Tensor, fl_vals: list[int] | None,
               inner: list[int | None] | None, inverse: bool) -> Tensor:  # fmt: skip
    """TF's ``_maybe_pad_for_rfft``: zero-pads the inner dims of ``x`` up to ``fft_length``."""
    nd = x._shape.ndims
    if nd is not None and 0 in x._shape.as_list():
        return x
    if fl_vals is not None and inner is not None and all(d is not None for d in inner):
        want = list(fl_vals)
        if inverse and want:
            want[-1] = want[-1] // 2 + 1
        pads = [max(w - int(d), 0) for w, d in zip(want, inner, strict=False)]  # type: ignore[arg-type]
        if any(p > 0 for p in pads):
            outer = [[0, 0]] * max(int(nd) - len(want), 0)  # type: ignore[arg-type]
            return pad(x, outer + [[0, p] for p in pads])
        return x
    in_rank = rank_op(x)
    in_fft_shape = shape_op(x)[-rank:]
    outer_dims = maximum(0, in_rank - rank)
    outer_pads = zeros(stack([outer_dims]), fl.dtype)
    if inverse:
        fl = concat([fl[:-1], fl[-1:] // 2 + 1], 0)
    fft_pads = maximum(0, fl - in_fft_shape)
    paddings = concat([outer_pads, fft_pads], 0)
    paddings = stack([zeros_like(paddings), paddings], axis=1)
    return pad(x, paddings)


def _real_fft(op_type: str, rank: int, inverse: bool, input_tensor: Any, fft_length: Any,
              name: str | None) -> Tensor:  # fmt: skip
    scope = _scope(name, op_type.lower())
    with name_scope(scope):
        x = convert_to_tensor(input_tensor, preferred_dtype=_COMPLEX[0] if inverse else _REAL[0])
        dt = x._dtype.base_dtype
        if inverse and dt not in _COMPLEX:
            raise ValueError(f"IRFFT requires tf.complex64 or tf.complex128 inputs, got: {x}")
        if not inverse and dt not in _REAL:
            raise ValueError(f"RFFT requires tf.float32 or tf.float64 inputs, got: {x}")
        nd = x._shape.ndims
        if nd is not None and nd < rank:
            raise ValueError(f"Shape {x._shape} must have rank at least {rank}")
        inner = _inner_static(x, rank)
        if fft_length is None:
            if inner is not None and all(d is not None for d in inner):
                known = [int(d) for d in inner]  # type: ignore[arg-type]
                if inverse:
                    known[-1] = max(0, 2 * (known[-1] - 1))
                fl = convert_to_tensor(np.asarray(known, np.int32), name="fft_length")
            elif inverse:
                parts = [shape_op(x)[i] for i in range(-rank, 0)]
                parts[-1] = maximum(0, 2 * (parts[-1] - 1))
                fl = stack(parts)
            else:
                fl = shape_op(x)[-rank:]
        else:
            fl = convert_to_tensor(fft_length, dtype=dtypes.int32, name="fft_length")
        fl_vals = _fft_length_values(fl)
        x = _maybe_pad(x, rank, fl, fl_vals, inner, inverse)
    real_dt = dt.real_dtype if inverse else dt
    cplx_dt = dt if inverse else (dtypes.complex64 if dt == dtypes.float32 else dtypes.complex128)
    attrs = {"Tcomplex": cplx_dt, "Treal": real_dt}
    inputs = [x, fl]
    fs = fl._shape
    if fs.ndims is not None and fs.ndims != 1:
        raise node_error(f"Shape must be rank 1 but is rank {fs.ndims}", scope, op_type, attrs,
                         inputs)  # fmt: skip
    n_lengths = fs.as_list()[0] if fs.ndims == 1 else None
    if n_lengths is not None and n_lengths != rank:
        raise node_error(f"Dimension must be {rank} but is {n_lengths}", scope, op_type,
                         attrs, inputs)  # fmt: skip
    _rank_check(x, rank, scope, op_type, attrs, inputs)
    if x._shape.ndims is None:
        out_shape = TensorShape(None)
    else:
        dims = x._shape.as_list()
        new: list[int | None] = [None] * rank if fl_vals is None else list(fl_vals)
        if fl_vals is not None and not inverse:
            new[-1] = fl_vals[-1] // 2 + 1
        out_shape = TensorShape(dims[: len(dims) - rank] + new)
    out_dt = real_dt if inverse else cplx_dt
    return make_op(op_type, inputs, attrs, scope, out_dt, out_shape)


def rfft(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """The 1-D DFT of a real signal's innermost dimension, ``fft_length // 2 + 1`` bins.

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.signal.rfft(tf.ones([4]))
    >>> y.name, y.shape.as_list(), tf.Session().run(y).real.tolist()
    ('rfft:0', [3], [4.0, 0.0, 0.0])
    """
    return _real_fft("RFFT", 1, False, input_tensor, fft_length, name)


def irfft(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """The inverse of ``rfft``: a real signal of length ``fft_length`` (op ``IRFFT``)."""
    return _real_fft("IRFFT", 1, True, input_tensor, fft_length, name)


def rfft2d(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """The 2-D DFT of a real signal's innermost 2 dimensions (op ``RFFT2D``)."""
    return _real_fft("RFFT2D", 2, False, input_tensor, fft_length, name)


def irfft2d(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """The inverse of ``rfft2d`` (op ``IRFFT2D``)."""
    return _real_fft("IRFFT2D", 2, True, input_tensor, fft_length, name)


def rfft3d(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """The 3-D DFT of a real signal's innermost 3 dimensions (op ``RFFT3D``)."""
    return _real_fft("RFFT3D", 3, False, input_tensor, fft_length, name)


def irfft3d(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """The inverse of ``rfft3d`` (op ``IRFFT3D``)."""
    return _real_fft("IRFFT3D", 3, True, input_tensor, fft_length, name)


def _real_kernel(op: Operation, session: Any, rank: int, inverse: bool) -> Any:
    def kernel(x: torch.Tensor, fl: torch.Tensor) -> torch.Tensor:
        lengths = [int(v) for v in fl.reshape(-1).tolist()]
        for i, n in enumerate(lengths):
            if n < 0:
                raise InvalidArgumentError(None, op, f"fft_length[{i}] must >= 0, but got: {n}")
        dims = _dims(rank)
        if inverse:
            return torch.fft.irfftn(x, s=lengths, dim=dims)
        return torch.fft.rfftn(x, s=lengths, dim=dims)

    return kernel


for _t, _r, _inv in (
    ("RFFT", 1, False),
    ("IRFFT", 1, True),
    ("RFFT2D", 2, False),
    ("IRFFT2D", 2, True),
    ("RFFT3D", 3, False),
    ("IRFFT3D", 3, True),
):
    register_kernel(_t)(partial(_real_kernel, rank=_r, inverse=_inv))

__all__ = [
    "fft",
    "fft2d",
    "fft3d",
    "ifft",
    "ifft2d",
    "ifft3d",
    "irfft",
    "irfft2d",
    "irfft3d",
    "rfft",
    "rfft2d",
    "rfft3d",
]
