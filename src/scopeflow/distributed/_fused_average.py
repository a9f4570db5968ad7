"""The average of two processes' values in one pass: ``b = (a + b) * 0.5``, rounded as torch's ops.

The shared-memory all-reduce of two processes averages each process's chunk as
``torch.add(a, b, out=b)`` and then ``b.mul_(0.5)``: two passes over memory (8.4 MB each for
the MLP of the benchmarks), and torch has no op that adds and halves with the sum rounded
first (``lerp`` rounds ``b - a``; ``a*0.5 + b*0.5`` differs for subnormal halves and where
``a + b`` overflows). This module compiles that one loop with the machine's C compiler the
first time it is needed (``scopeflow._native``), with IEEE semantics (no fast-math, no
contraction): every element is ``float(a + b)`` times ``0.5`` in the tensors' precision, the
same bits as the two torch ops (tested, subnormals, infinities and NaNs included). Where no
compiler is found or anything fails, ``average_into`` returns False and the caller keeps the
two torch ops.

Must not import ``scopeflow.compat``, ``scopeflow.cli`` or ``scopeflow.run``.
"""

from __future__ import annotations

import ctypes
from typing import Any

import torch

from scopeflow._native import compiled_library

# ``first`` names the operand that comes first in the sum (the all-reduce adds in rank order;
# the sum is commutative, the order is kept anyway). ``restrict``: ``a`` and ``b`` never overlap,
# so the compiler vectorizes the loop without run-time alias checks.
_SOURCE = """
#include <stddef.h>
#define AVG(name, T, half, lhs, rhs) \\
  void name(const T *restrict a, T *restrict b, size_t n) { \\
    for (size_t i = 0; i < n; i++) b[i] = (lhs + rhs) * (T)half; \\
  }
AVG(sf_avg_f32_a_first, float, 0.5f, a[i], b[i])
AVG(sf_avg_f32_b_first, float, 0.5f, b[i], a[i])
AVG(sf_avg_f64_a_first, double, 0.5, a[i], b[i])
AVG(sf_avg_f64_b_first, double, 0.5, b[i], a[i])
#define AVG3(name, T, half) \\
  void name(const T *restrict a, const T *restrict b, T *restrict c, size_t n) { \\
    for (size_t i = 0; i < n; i++) c[i] = (a[i] + b[i]) * (T)half; \\
  }
AVG3(sf_avg3_f32, float, 0.5f)
AVG3(sf_avg3_f64, double, 0.5)
"""
_NAMES = {torch.float32: "f32", torch.float64: "f64"}
_ARGS = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
_FUNCTIONS = {f"sf_avg_{d}_{o}": (None, _ARGS) for d in _NAMES.values()
              for o in ("a_first", "b_first")}  # fmt: skip
_FUNCTIONS.update({f"sf_avg3_{d}": (None, [ctypes.c_void_p, *_ARGS]) for d in _NAMES.values()})


def _load() -> Any:
    return compiled_library("average", _SOURCE, _FUNCTIONS)


def average_into(a: torch.Tensor, b: torch.Tensor, a_first: bool) -> bool:
    """Sets ``b`` to ``(a + b) * 0.5`` (``(b + a) * 0.5`` unless ``a_first``) in one pass.

    For contiguous CPU tensors of float32 or float64 with the same dtype and number of values
    that do not overlap. Returns False, changing nothing, where it cannot (other tensors, or
    no compiled loop on this machine).
    """
    name = _NAMES.get(a.dtype)
    if (
        name is None
        or b.dtype != a.dtype
        or a.numel() != b.numel()
        or a.device.type != "cpu"
        or b.device.type != "cpu"
        or not a.is_contiguous()
        or not b.is_contiguous()
    ):
        return False
    lib = _load()
    if lib is None:
        return False
    n = a.numel()
    if n:
        fn = getattr(lib, f"sf_avg_{name}_{'a_first' if a_first else 'b_first'}")
        fn(a.data_ptr(), b.data_ptr(), n)
    return True


def average3_into(a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) -> bool:
    """Sets ``c`` to ``(a + b) * 0.5`` in one pass (``c`` overlapping neither ``a`` nor ``b``).

    The same conditions and the same bits as ``average_into``; returns False, changing
    nothing, where it cannot.
    """
    name = _NAMES.get(a.dtype)
    ts = (a, b, c)
    if (
        name is None
        or any(t.dtype != a.dtype or t.numel() != a.numel() for t in ts)
        or any(t.device.type != "cpu" or not t.is_contiguous() for t in ts)
    ):
        return False
    lib = _load()
    if lib is None:
        return False
    n = a.numel()
    if n:
        getattr(lib, f"sf_avg3_{name}")(a.data_ptr(), b.data_ptr(), c.data_ptr(), n)
    return True


def available() -> bool:
    """Whether the one-pass loop could be compiled and loaded here."""
    return _load() is not None


__all__ = ["available", "average3_into", "average_into"]
