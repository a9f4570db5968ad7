"""``tf.nn.with_space_to_batch``: run a stride-1 op as a dilated one through space-to-batch.

A dilated window op (pooling, convolution) with ``dilation_rate`` ``r`` equals the same op,
undilated and ``VALID``, run on ``SpaceToBatchND(input, r, paddings)`` and mapped back by
``BatchToSpaceND(result, r, crops)``. ``paddings`` turn ``SAME`` into ``VALID`` (the dilated
window's extra size ``(filter - 1) * r``, the odd element at the end as in ``conv2d``) and round
each spatial size up to a multiple of ``r``; ``crops`` remove that rounding. The graph holds TF
1.15's ops and names: ``dilation_rate``, ``stack`` (the ``SAME`` base paddings),
``required_space_to_batch_paddings/...``, ``SpaceToBatchND``, the op, ``BatchToSpaceND``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.tensor import Tensor
from scopeflow.ops.array_ops import concat, shape, stack
from scopeflow.ops.space_batch_ops import (
    batch_to_space_nd,
    required_space_to_batch_paddings,
    space_to_batch_nd,
)

_Op = Callable[[Tensor, int, str], Tensor]


def _known(t: Any) -> np.ndarray | None:
    value = t._const if isinstance(t, Tensor) else np.asarray(t)
    return None if value is None else np.asarray(value)


def _base_paddings(filter_shape: Any, num_spatial_dims: int, rate: Any) -> Any:
    """``[[start, end]] * dims`` that make a ``SAME`` dilated window ``VALID`` (extra at end)."""
    extra = (filter_shape[:num_spatial_dims] - 1) * rate
    start = extra // 2
    end = extra - start
    return stack([[start[i], end[i]] for i in range(num_spatial_dims)])


def _adjust(orig: Any, fill_value: int, spatial_dims: list[int]) -> Any:
    """``orig`` (one row a spatial dim) spread over dims ``1..max(spatial_dims)``, gaps filled.

    Rows for the dimensions between 1 and the last spatial dim that are not spatial (the
    channels of an ``NC...`` layout) hold ``fill_value``.
    """
    fill_dims = orig.get_shape().as_list()[1:] if isinstance(orig, Tensor) else list(orig.shape[1:])
    dtype = orig.dtype.as_numpy_dtype if isinstance(orig, Tensor) else orig.dtype
    const = _known(orig)
    source = const if const is not None else orig
    parts: list[Any] = []
    previous = 0
    i = 0
    while i < len(spatial_dims):
        first = i
        if spatial_dims[i] > 1:
            gap = spatial_dims[i] - 1 - previous
            parts.append(np.full([gap, *fill_dims], fill_value, dtype=dtype))
        while i + 1 < len(spatial_dims) and spatial_dims[i + 1] == spatial_dims[i] + 1:
            i += 1
        parts.append(source[first : i + 1])
        previous = spatial_dims[i]
        i += 1
    if const is not None:
        return np.concatenate(parts)
    return concat(parts, 0)


def with_space_to_batch(
    input: Any,
    dilation_rate: Any,
    padding: str,
    op: _Op,
    filter_shape: Any = None,
    spatial_dims: Sequence[int] | None = None,
    data_format: str | None = None,
) -> Tensor:
    """``op(input, num_spatial_dims, padding)`` computed with dilation ``dilation_rate``.

    Args:
        input: the tensor, ``[batch, spatial..., channels]`` (or ``NC...`` with ``data_format``).
        dilation_rate: one positive int a spatial dimension.
        padding: ``"SAME"`` (needs ``filter_shape``) or ``"VALID"``.
        op: ``op(converted_input, num_spatial_dims, padding)``; called with ``"VALID"`` on the
            space-to-batch input when a rate is above 1, else with ``padding`` on ``input``.
        filter_shape: the window's spatial shape first (a conv filter's shape works).
        spatial_dims: the input's spatial dimensions, increasing (default: after the batch, or
            after the channels for ``NC...``).
        data_format: only whether it starts with ``"NC"`` matters.

    Returns:
        The op's result mapped back by ``BatchToSpaceND``.

    >>> import scopeflow.compat.v1 as tf
    >>> def op(x, num_spatial_dims, padding):
    ...     return tf.nn.max_pool(x, [1, 2, 2, 1], [1, 1, 1, 1], padding)
    >>> y = tf.nn.with_space_to_batch(tf.zeros([1, 6, 6, 2]), [2, 2], "SAME", op, [2, 2])
    >>> print(y.name, y.shape)
    BatchToSpaceND:0 (1, 6, 6, 2)
    """
    input = convert_to_tensor(input, name="input")
    input_shape = input.get_shape()
    rate = convert_to_tensor(dilation_rate, dtypes.int32, name="dilation_rate")
    if rate.get_shape().ndims != 1:
        raise ValueError("rate must be rank 1")
    if not rate.get_shape().is_fully_defined():
        raise ValueError("rate must have known shape")
    num_spatial_dims = int(rate.get_shape().as_list()[0])  # type: ignore[arg-type]
    channels_first = data_format is not None and data_format.startswith("NC")
    if spatial_dims is None:
        start = 2 if channels_first else 1
        spatial_dims = range(start, start + num_spatial_dims)
    given = list(spatial_dims)
    dims = sorted({int(d) for d in given})
    if dims != given or any(d < 1 for d in dims):
        raise ValueError(
            "spatial_dims must be a montonically increasing sequence of positive integers"
        )
    rank_needed = dims[-1] if channels_first else dims[-1] + 1
    if input_shape.ndims is not None and input_shape.ndims < rank_needed:
        raise ValueError(f"input tensor must have rank {rank_needed} at least")
    const_rate = _known(rate)
    rate_value: Any = rate
    if const_rate is not None:
        rate_value = const_rate
        if np.any(const_rate < 1):
            raise ValueError("dilation_rate must be positive")
        if np.all(const_rate == 1):
            return op(input, num_spatial_dims, padding)
    if padding == "SAME":
        if filter_shape is None:
            raise ValueError("filter_shape must be specified for SAME padding")
        filter_t = convert_to_tensor(filter_shape, name="filter_shape")
        const_filter = _known(filter_t)
        if const_filter is None:
            base = _base_paddings(filter_t, num_spatial_dims, rate_value)
        else:
            base = _base_paddings(const_filter, num_spatial_dims, rate_value)
    elif padding == "VALID":
        base = np.zeros([num_spatial_dims, 2], np.int32)
    else:
        raise ValueError(f"Invalid padding method {padding!r}")
    spatial: Any = None
    if input_shape.ndims is not None:
        listed = input_shape.as_list()
        spatial = [listed[i] for i in dims]
    if spatial is None or None in spatial:
        dynamic = shape(input)
        spatial = stack([dynamic[i] for i in dims])
    paddings, crops = required_space_to_batch_paddings(
        input_shape=spatial, base_paddings=base, block_shape=rate
    )
    block = _adjust(rate, 1, dims)
    paddings = _adjust(paddings, 0, dims)
    crops = _adjust(crops, 0, dims)
    converted = space_to_batch_nd(input=input, block_shape=block, paddings=paddings)
    result = op(converted, num_spatial_dims, "VALID")
    return batch_to_space_nd(input=result, block_shape=block, crops=crops)


__all__ = ["with_space_to_batch"]
