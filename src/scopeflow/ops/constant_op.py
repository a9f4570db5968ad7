"""``tf.constant`` and the conversion of Python/NumPy values to ``Const`` ops.

Dtype inference follows TF: Python ints are int32 (int64 if out of range), floats float32,
NumPy values keep their dtype; a list is inferred as NumPy's array of it, with float64 -> float32
and int64 -> int32 when lossless (so NumPy scalars in a list do too); a list shorter than
``shape`` is padded with its last element.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import Dimension, TensorShape, as_shape
from scopeflow.graph._torch_dtypes import to_torch
from scopeflow.graph.conversion import set_default_conversion
from scopeflow.graph.op_registry import declare_thread_invariant, register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._op_builder import make_op

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


def _infer_dtype(value: Any) -> dtypes.DType:
    if isinstance(value, np.ndarray | np.generic):
        if value.dtype.kind in "SUO":
            return dtypes.string
        return dtypes.as_dtype(value.dtype)
    if isinstance(value, bool):
        return dtypes.bool
    if isinstance(value, int):
        return dtypes.int32 if _INT32_MIN <= value <= _INT32_MAX else dtypes.int64
    if isinstance(value, float):
        return dtypes.float32
    if isinstance(value, complex):
        return dtypes.complex128
    if isinstance(value, (str, bytes)):
        return dtypes.string
    if isinstance(value, (list, tuple)):
        kinds: set[dtypes.DType] = set()
        _collect(value, kinds)
        if not kinds:
            return dtypes.float32
        if dtypes.string in kinds:
            if len(kinds) > 1:
                raise TypeError(
                    f"Failed to convert elements of {value} to Tensor. Consider casting "
                    "elements to a supported type."
                )
            return dtypes.string
        inferred = _numpy_list_dtype(value)
        if inferred is not None:
            return inferred
        for dt in (dtypes.complex128, dtypes.float32, dtypes.float64, dtypes.int64, dtypes.int32):
            if dt in kinds:
                if dt is dtypes.int32 and dtypes.int64 in kinds:
                    return dtypes.int64
                return dt
        return dtypes.bool
    raise TypeError(
        f"Failed to convert elements of {value} to Tensor. Consider casting elements to a "
        "supported type. See https://www.tensorflow.org/api_docs/python/tf/dtypes for supported "
        "TF dtypes."
    )


def _numpy_list_dtype(value: Any) -> dtypes.DType | None:
    """TF's ``make_tensor_proto`` dtype for a (nested) list.

    NumPy's dtype for ``np.array(value)``, then float64 -> float32 and int64 -> int32 when no
    value changes: ``[np.int64(3)]`` is int32 and ``[np.float64(1.5)]`` float32 as in TF (NumPy
    scalars keep their dtype only outside a list). None for what NumPy cannot make a dense
    numeric array of.
    """
    try:
        array = np.array(value)
    except (ValueError, TypeError):
        return None
    if array.dtype.kind not in "biufc":
        return None
    if array.dtype == np.float64:
        return dtypes.float32
    if array.dtype == np.int64:
        fits = array.size == 0 or (array.min() >= _INT32_MIN and array.max() <= _INT32_MAX)
        return dtypes.int32 if fits else dtypes.int64
    return dtypes.as_dtype(array.dtype)


def _collect(value: Any, kinds: set[dtypes.DType]) -> None:
    for v in value:
        if isinstance(v, (list, tuple)):
            _collect(v, kinds)
        elif isinstance(v, Tensor):
            raise TypeError(f"List of Tensors when single Tensor expected: {value}")
        else:
            kinds.add(_infer_dtype(v))


def _check_convertible(value: Any, dtype: dtypes.DType) -> None:
    """TF's ``Expected int32, but got 1.5 of type 'float'.`` checks for Python values."""
    if isinstance(value, (list, tuple)):
        for v in value:
            _check_convertible(v, dtype)
        return
    if isinstance(value, np.ndarray | np.generic):
        return
    if dtype.is_integer and isinstance(value, float):
        raise TypeError(f"Expected {dtype.name}, but got {value} of type 'float'.")
    if dtype == dtypes.bool and not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"Expected bool, but got {value!r} of type '{type(value).__name__}'.")
    if (dtype.is_integer or dtype.is_floating) and isinstance(value, (str, bytes)):
        raise TypeError(
            f"Expected {dtype.name}, but got {value!r} of type '{type(value).__name__}'."
        )
    if dtype == dtypes.string and isinstance(value, (int, float)) and not isinstance(value, bool):
        raise TypeError(f"Expected string, but got {value} of type '{type(value).__name__}'.")
    if dtype.is_integer and isinstance(value, int) and not isinstance(value, bool):
        info = np.iinfo(dtype.as_numpy_dtype)
        if not info.min <= value <= info.max:
            raise ValueError(
                f"Can't convert Python int {value} to {dtype.name} tensor: out of range"
            )


def to_numpy_value(value: Any, dtype: Any = None) -> tuple[np.ndarray, dtypes.DType]:
    """A value as (numpy array, TF dtype), with TF's inference and checks."""
    if value is None:  # make_tensor_proto's check (tf.convert_to_tensor(None), tf.cast(None))
        raise ValueError("None values not supported.")
    if dtype is None:
        dt = _infer_dtype(value)
    else:
        dt = dtypes.as_dtype(dtype).base_dtype
        _check_convertible(value, dt)
    if dt == dtypes.string:
        arr = np.asarray(value, dtype=object)
        flat = [v.encode() if isinstance(v, str) else v for v in arr.reshape(-1)]
        arr = np.array(flat, dtype=object).reshape(arr.shape)
        return arr, dt
    if not dt.is_numpy_compatible:
        raise TypeError(f"Cannot create a constant of dtype {dt.name}.")
    if isinstance(value, (np.ndarray, np.generic)) and dtype is not None:
        # TF's make_tensor_proto casts NumPy values to the requested dtype (``astype``, so
        # ``np.array([2.5])`` as int32 is 2): ``tf.reshape(x, np.array([], np.float32))`` works.
        return np.asarray(value).astype(dt.as_numpy_dtype), dt
    try:
        arr = np.asarray(value, dtype=dt.as_numpy_dtype)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(
            f"Failed to convert elements of {value} to Tensor. Consider casting elements to a "
            "supported type. See https://www.tensorflow.org/api_docs/python/tf/dtypes for "
            "supported TF dtypes."
        ) from None
    return arr, dt


def _fit_shape(arr: np.ndarray, shape: Any, verify_shape: bool) -> np.ndarray:
    dims = as_shape(shape).as_list()
    if any(d is None for d in dims):
        raise ValueError(f"Shape {shape} must be fully defined for a constant.")
    shape_l = [d for d in dims if d is not None]  # all of them (checked above); narrows the type
    size = int(np.prod(shape_l, dtype=np.int64))
    if verify_shape and tuple(arr.shape) != tuple(shape_l):
        raise TypeError(f"Expected Tensor's shape: {tuple(shape_l)}, but got {tuple(arr.shape)}.")
    if size == 0:
        return np.empty(shape_l, dtype=arr.dtype)
    if arr.size > size:
        raise ValueError(f"Too many elements provided. Takes at most {size}, but got {arr.size}.")
    if arr.size == size:
        return arr.reshape(shape_l)
    flat = arr.reshape(-1)
    if flat.size == 0:
        return np.zeros(shape_l, dtype=arr.dtype)
    out = np.empty(size, dtype=arr.dtype)
    out[: flat.size] = flat
    out[flat.size :] = flat[-1]
    return out.reshape(shape_l)


def constant(
    value: Any,
    dtype: Any = None,
    shape: Any = None,
    name: str = "Const",
    verify_shape: bool = False,
) -> Tensor:
    """Creates a constant tensor (TF1 ``tf.constant``).

    >>> import scopeflow.compat.v1 as tf
    >>> c = tf.constant([1, 2, 3])
    >>> print(c.name, c.dtype.name, c.shape)
    Const:0 int32 (3,)
    """
    if shape is not None and not isinstance(value, np.ndarray | np.generic | Tensor):
        empty = _empty_constant(value, dtype, shape)
        if empty is not None:
            return _const_from_array(empty[0], empty[1], name)
    arr, dt = to_numpy_value(value, dtype)
    given = arr
    if shape is not None:
        arr = _fit_shape(arr, shape, verify_shape)
    t = _const_from_array(arr, dt, name)
    if given.size != arr.size and given.size:
        # TF's TensorProto keeps the values as given (a broadcast scalar stays one value); the
        # GraphDef export (scopeflow.graph_io) writes these
        t._op._attrs["_proto_values"] = given.reshape(-1)
    return t


def _empty_constant(value: Any, dtype: Any, shape: Any) -> tuple[np.ndarray, dtypes.DType] | None:
    """TF's rule for a Python ``value`` and a ``shape`` with no elements, else None.

    TF (``make_tensor_proto``) never reads the elements then: any value converts, to ``dtype``
    (float32 when no dtype is given, whatever the value), so ``constant(0.5, tf.int32,
    shape=[0, 3])`` succeeds. Only ``None`` and, for strings, non-string elements still fail.
    """
    known = as_shape(shape).as_list()
    if any(d is None for d in known):
        return None
    dims = [int(d) for d in known if d is not None]
    if int(np.prod(dims, dtype=np.int64)) != 0:
        return None
    if value is None:
        raise ValueError("None values not supported.")
    dt = dtypes.float32 if dtype is None else dtypes.as_dtype(dtype).base_dtype
    if dt == dtypes.string:
        flat = _flatten(value) if isinstance(value, (list, tuple)) else [value]
        if not all(isinstance(v, (str, bytes, bytearray)) for v in flat):
            raise TypeError(
                f"Failed to convert elements of {value} to Tensor. Consider casting elements to "
                "a supported type. See https://www.tensorflow.org/api_docs/python/tf/dtypes for "
                "supported TF dtypes."
            )
        return np.empty(dims, dtype=object), dt
    if not dt.is_numpy_compatible:
        return None
    return np.empty(dims, dtype=dt.as_numpy_dtype), dt


def _const_from_array(arr: np.ndarray, dt: dtypes.DType, name: str | None) -> Tensor:
    t = make_op(
        "Const", (), {"value": arr, "dtype": dt}, name or "Const", dt, TensorShape(arr.shape)
    )
    if arr.size <= 4096:
        t._const = arr
    return t


def _shape_as_tensor(value: TensorShape | Dimension, dtype: Any, name: str | None) -> Tensor:
    """TF's conversion functions for ``TensorShape`` and ``Dimension`` (``constant_op.py``).

    A fully known shape (a known dimension) becomes an int32 constant named ``shape_as_tensor``
    (int64 when a dimension needs it, or when ``dtype`` asks). The dtype errors carry TF 2's
    wording (TF 1.15's said only "Cannot convert a TensorShape to dtype: ...").
    """
    if isinstance(value, Dimension):
        if value.value is None:
            raise ValueError(f"Cannot convert an unknown Dimension to a Tensor: {value}")
        dims: int | list[int] = value.value
        big = 0
    else:
        if not value.is_fully_defined():
            raise ValueError(f"Cannot convert a partially known TensorShape {value} to a Tensor.")
        dims = [int(d or 0) for d in value.as_list()]  # fully defined: no None
        big = next((d for d in dims if d >= 2**31), 0)
    if dtype is not None:
        dt = dtypes.as_dtype(dtype).base_dtype
        if dt not in (dtypes.int32, dtypes.int64):
            raise TypeError(
                f"Cannot convert TensorShape {value} to dtype <dtype: {dt.name!r}>. Allowed "
                "dtypes are tf.int32 and tf.int64."
            )
        if dt == dtypes.int32 and big:
            raise ValueError(
                f"Cannot convert TensorShape {value} to dtype int32; a dimension is too large. "
                "Consider using tf.int64."
            )
    else:
        dt = dtypes.int64 if big else dtypes.int32
    return _const_from_array(np.asarray(dims, dt.as_numpy_dtype), dt, name or "shape_as_tensor")


def _default_conversion(value: Any, dtype: Any = None, name: str | None = None) -> Tensor:
    if isinstance(value, TensorShape | Dimension):
        return _shape_as_tensor(value, dtype, name)
    if isinstance(value, (list, tuple)) and any(isinstance(v, Tensor) for v in _flatten(value)):
        from scopeflow.ops.array_ops import stack  # noqa: PLC0415  (auto-packing, as TF)

        return stack(value, name=name or "packed")
    arr, dt = to_numpy_value(value, dtype)
    return _const_from_array(arr, dt, name or "Const")


def _flatten(value: Any) -> list[Any]:
    out = []
    for v in value:
        if isinstance(v, (list, tuple)):
            out.extend(_flatten(v))
        else:
            out.append(v)
    return out


set_default_conversion(_default_conversion)


declare_thread_invariant("Const")  # (``interop``)


@register_kernel("Const", aliases_input=True)
def _const_kernel(op: Any, session: Any) -> Any:
    value = to_torch(op._attrs["value"], op._attrs["dtype"])
    if isinstance(value, torch.Tensor):
        value = value.clone()
    return lambda: value


__all__ = ["constant", "to_numpy_value"]
