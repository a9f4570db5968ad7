"""The mapping between TF ``DType``s and torch dtypes, and value conversion helpers.

Must not import ``scopeflow.ops`` or any layer above ``graph``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow.errors import UnsupportedError

_TF_TO_TORCH: dict[int, torch.dtype] = {
    dtypes.float16.as_datatype_enum: torch.float16,
    dtypes.bfloat16.as_datatype_enum: torch.bfloat16,
    dtypes.float32.as_datatype_enum: torch.float32,
    dtypes.float64.as_datatype_enum: torch.float64,
    dtypes.int8.as_datatype_enum: torch.int8,
    dtypes.int16.as_datatype_enum: torch.int16,
    dtypes.int32.as_datatype_enum: torch.int32,
    dtypes.int64.as_datatype_enum: torch.int64,
    dtypes.uint8.as_datatype_enum: torch.uint8,
    dtypes.uint16.as_datatype_enum: torch.uint16,
    dtypes.uint32.as_datatype_enum: torch.uint32,
    dtypes.uint64.as_datatype_enum: torch.uint64,
    dtypes.bool.as_datatype_enum: torch.bool,
    dtypes.complex64.as_datatype_enum: torch.complex64,
    dtypes.complex128.as_datatype_enum: torch.complex128,
}
_TORCH_TO_TF = {v: dtypes.as_dtype(k) for k, v in _TF_TO_TORCH.items()}


def torch_dtype(dtype: dtypes.DType) -> torch.dtype:
    """The torch dtype for a TF dtype. Raises ``UnsupportedError`` for string/quantized types."""
    try:
        return _TF_TO_TORCH[dtype.base_dtype.as_datatype_enum]
    except KeyError:
        raise UnsupportedError(f"dtype {dtype.base_dtype.name} in torch kernels") from None


def tf_dtype(tdtype: torch.dtype) -> dtypes.DType:
    """The TF dtype of a torch dtype."""
    return _TORCH_TO_TF[tdtype]


def to_torch(value: Any, dtype: dtypes.DType) -> Any:
    """A numpy/python value as a torch tensor of ``dtype`` (strings stay numpy object arrays)."""
    if dtype.base_dtype == dtypes.string:
        return np.asarray(value, dtype=object)
    if isinstance(value, torch.Tensor):
        return value
    np_dtype = dtype.base_dtype.as_numpy_dtype
    arr = np.asarray(value, dtype=np_dtype)
    if dtype.base_dtype == dtypes.bfloat16:
        return torch.from_numpy(arr.view(np.uint16).copy()).view(torch.bfloat16)
    if not arr.flags.writeable or not arr.flags.c_contiguous:
        arr = np.ascontiguousarray(arr).copy()
    return torch.from_numpy(arr)


def to_numpy(value: Any) -> Any:
    """A kernel output as the numpy value ``Session.run`` returns (scalars as numpy scalars)."""
    if isinstance(value, torch.Tensor):
        if value.requires_grad:
            value = value.detach()
        if value.device.type != "cpu":  # a fetch from a GPU: the one copy back to the host
            value = value.cpu()
        if value.dtype == torch.bfloat16:
            import ml_dtypes  # noqa: PLC0415

            arr = value.view(torch.uint16).numpy().view(ml_dtypes.bfloat16)
        else:
            arr = value.numpy()
    else:
        arr = np.asarray(value)
    if arr.ndim == 0:
        return arr[()]
    return arr


__all__ = ["tf_dtype", "to_numpy", "to_torch", "torch_dtype"]
