"""Clipping: ``clip_by_value``, ``clip_by_norm``, ``global_norm``, ``clip_by_global_norm``.

Each is TF's composite of ops under TF's name scope, so names and gradients match TF:
``clip_by_value`` is ``Minimum`` then ``Maximum`` (the gradient passes where
``min <= t <= max``), ``global_norm`` sums ``L2Loss``es.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import math_ops, reduction_ops, unary_ops
from scopeflow.ops._math_common import _scope, name_scope
from scopeflow.ops._op_builder import make_op
from scopeflow.ops.constant_op import constant
from scopeflow.ops.sparse_ops import IndexedSlices


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any,
                  name: str | None = None) -> Tensor:  # fmt: skip
    """Clips ``t`` to ``[clip_value_min, clip_value_max]`` (``tf.clip_by_value``).

    Raises:
        ValueError: the bounds would broadcast ``t`` to a larger shape.
    """
    scope = _scope(name, "clip_by_value")
    with name_scope(scope):
        values = convert_to_tensor(t, name="t")
        t_min = math_ops.minimum(values, clip_value_max)
        values._shape.assert_is_compatible_with(t_min._shape)
        t_max = math_ops.maximum(t_min, clip_value_min, name=scope)
        values._shape.assert_is_compatible_with(t_max._shape)
    return t_max


def _clip_by_value_op(t: Tensor, lo: Tensor, hi: Tensor, name: str) -> Tensor:
    """TF's raw ``ClipByValue`` op (used by ``saturate_cast``)."""
    scope = _scope(name, "ClipByValue")
    return make_op("ClipByValue", (t, lo, hi), {"T": t._dtype.base_dtype}, scope,
                   t._dtype.base_dtype, t._shape)  # fmt: skip


register_kernel("ClipByValue")(lambda op, s: lambda t, lo, hi: torch.clamp(t, lo, hi))  # noqa: PLW0108


def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """Rescales ``t`` so its L2 norm over ``axes`` is at most ``clip_norm``.

    ``tf.clip_by_norm``: TF's composite, named ``clip_by_norm``.
    """
    from scopeflow.ops import array_ops  # noqa: PLC0415
    from scopeflow.ops.gather_scatter_ops import where  # type: ignore[import-not-found]  # noqa: PLC0415

    scope = _scope(name, "clip_by_norm")
    with name_scope(scope):
        values = convert_to_tensor(t, name="t")
        # A plain bool: np.isscalar's TypeGuard would narrow clip_norm to numpy's scalar union.
        is_scalar = bool(np.isscalar(clip_norm))
        if is_scalar:
            clip_norm = max(clip_norm, 0)
        else:
            clip_norm = math_ops.cast(math_ops.maximum(clip_norm, 0), dtype=values._dtype)
        l2sum = reduction_ops.reduce_sum(values * values, axes, keepdims=True)
        pred = l2sum > 0
        l2sum_safe = where(pred, l2sum, array_ops.ones_like(l2sum))
        l2norm = where(pred, unary_ops.sqrt(l2sum_safe), l2sum)
        intermediate = values * clip_norm
        values._shape.assert_is_compatible_with(intermediate._shape)
        return array_ops.identity(intermediate / math_ops.maximum(l2norm, clip_norm), name=scope)


def _rows(t: Any) -> Any:
    return t.values if isinstance(t, IndexedSlices) else t


def _check_list(t_list: Any) -> list[Any]:
    if not isinstance(t_list, Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    return list(t_list)


def global_norm(t_list: Any, name: str | None = None) -> Tensor:
    """``sqrt(sum(l2norm(t)**2 for t in t_list))``, skipping ``None`` (``tf.global_norm``)."""
    from scopeflow.ops import array_ops  # noqa: PLC0415
    from scopeflow.ops.nn_loss_ops import l2_loss  # type: ignore[import-not-found]  # noqa: PLC0415

    t_list = _check_list(t_list)
    scope = _scope(name, "global_norm")
    with name_scope(scope):
        # TF takes an IndexedSlices' rows as they are (repeated indices are not summed first).
        values = [None if t is None else convert_to_tensor(_rows(t), name=f"t_{i}")
                  for i, t in enumerate(t_list)]  # fmt: skip
        half_squared = [l2_loss(v) for v in values if v is not None]
        half_squared_norm = reduction_ops.reduce_sum(array_ops.stack(half_squared))
        two = constant(2.0, dtype=half_squared_norm._dtype)
        return unary_ops.sqrt(half_squared_norm * two, name="global_norm")


def clip_by_global_norm(t_list: Any, clip_norm: Any, use_norm: Any = None,
                        name: str | None = None) -> tuple[list[Any], Tensor]:  # fmt: skip
    """Scales every tensor by ``clip_norm / max(global_norm, clip_norm)``.

    Returns ``(list_clipped, global_norm)``; ``None`` entries stay ``None``.
    """
    from scopeflow.ops import array_ops  # noqa: PLC0415

    t_list = _check_list(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list, name)
    scope = _scope(name, "clip_by_global_norm")
    with name_scope(scope):
        one = constant(1.0, dtype=use_norm._dtype)
        scale_for_finite = clip_norm * math_ops.minimum(1.0 / use_norm, one / clip_norm)
        scale = scale_for_finite + (use_norm - use_norm)
        values = [None if t is None else convert_to_tensor(_rows(t), name=f"t_{i}")
                  for i, t in enumerate(t_list)]  # fmt: skip
        clipped: list[Any] = []
        for i, (t, v) in enumerate(zip(t_list, values, strict=True)):
            if v is None:
                clipped.append(None)
                continue
            out: Any = array_ops.identity(v * math_ops.cast(scale, v._dtype), name=f"{scope}_{i}")
            if isinstance(t, IndexedSlices):  # TF keeps the gradient sparse
                out = IndexedSlices(out, t.indices, t.dense_shape)
            clipped.append(out)
    return clipped, use_norm


__all__ = ["clip_by_global_norm", "clip_by_norm", "clip_by_value", "global_norm"]
