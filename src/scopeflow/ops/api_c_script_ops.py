"""``tf.py_function``: a Python function on eager-style tensors as a graph op (``EagerPyFunc``).

As TF 1.15: the op is ``EagerPyFunc`` (attrs ``token``, ``is_async``, ``Tin``, ``Tout``; its
outputs have unknown static shape) named ``name`` or ``EagerPyFunc``. At run time the function
receives one ``EagerValue`` per input: an object with ``.numpy()``, ``.shape``, ``.dtype`` and
array behaviour (arithmetic, comparisons, indexing, ``np.asarray``). Arithmetic on these values
runs on torch, so a value computed from the inputs carries a gradient back through the op, as
TF's tape gradient of ``EagerPyFunc`` does. Returned values are converted to the declared
``Tout`` (a value of another dtype is an error, as TF's ``convert_to_tensor``), and Python
exceptions become ``OpError``s as for ``tf.py_func``.

Differences from TensorFlow: inside the function TF runs eagerly, so ``tf.*`` ops can be called
on the inputs; here only the values' own methods and operators (and NumPy on ``.numpy()``) are
available. Mixed-dtype arithmetic between two inputs follows torch's promotion instead of TF's
error.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import torch

from scopeflow import errors
from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph._torch_dtypes import tf_dtype, to_numpy, to_torch, torch_dtype
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation
from scopeflow.ops.script_ops import _EXC_MAP

_tokens = itertools.count()


def _raw(other: Any, like: torch.Tensor) -> Any:
    if isinstance(other, EagerValue):
        return other._value
    if isinstance(other, torch.Tensor):
        return other
    return torch.as_tensor(np.asarray(other), dtype=like.dtype, device=like.device)


def _wrap(value: Any) -> Any:
    return EagerValue(value, tf_dtype(value.dtype)) if isinstance(value, torch.Tensor) else value


def _binary(fn: Any, reverse: bool = False) -> Any:
    def method(self: EagerValue, other: Any) -> Any:
        a, b = self._value, _raw(other, self._value)
        return _wrap(fn(b, a) if reverse else fn(a, b))

    return method


def _unary(fn: Any) -> Any:
    def method(self: EagerValue) -> Any:
        return _wrap(fn(self._value))

    return method


class EagerValue:
    """An input of a ``py_function``: a concrete tensor value with TF's eager-tensor surface."""

    __array_priority__ = 100

    def __init__(self, value: Any, dtype: dtypes.DType) -> None:
        self._value = value
        self._dtype = dtype

    @property
    def dtype(self) -> dtypes.DType:
        """The value's ``DType``."""
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        """The value's (fully known) shape."""
        return TensorShape(list(np.shape(to_numpy(self._value))) if not isinstance(
            self._value, torch.Tensor) else list(self._value.shape))  # fmt: skip

    @property
    def ndim(self) -> int:
        """The value's rank."""
        return len(self.shape)

    def numpy(self) -> Any:
        """The value as a NumPy array (a copy; strings are ``bytes`` objects)."""
        if isinstance(self._value, torch.Tensor):
            return to_numpy(self._value.detach())
        return to_numpy(self._value)

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        arr = self.numpy()
        return arr if dtype is None else arr.astype(dtype)

    def __len__(self) -> int:
        if not self.shape.dims:
            raise TypeError("len() of unsized object")
        return int(self.shape[0])

    def __getitem__(self, key: Any) -> Any:
        if isinstance(self._value, torch.Tensor):
            return _wrap(self._value[key])
        return self.numpy()[key]

    def __iter__(self) -> Any:
        return (self[i] for i in range(len(self)))

    def __float__(self) -> float:
        return float(self.numpy())

    def __int__(self) -> int:
        return int(self.numpy())

    def __index__(self) -> int:
        return int(self.numpy())

    def __bool__(self) -> bool:
        return bool(self.numpy())

    def __repr__(self) -> str:
        return f"tf.Tensor({self.numpy()}, shape={self.shape}, dtype={self._dtype.name})"

    __add__ = _binary(torch.add)
    __radd__ = _binary(torch.add, reverse=True)
    __sub__ = _binary(torch.sub)
    __rsub__ = _binary(torch.sub, reverse=True)
    __mul__ = _binary(torch.mul)
    __rmul__ = _binary(torch.mul, reverse=True)
    __truediv__ = _binary(torch.true_divide)
    __rtruediv__ = _binary(torch.true_divide, reverse=True)
    __floordiv__ = _binary(torch.floor_divide)
    __rfloordiv__ = _binary(torch.floor_divide, reverse=True)
    __mod__ = _binary(torch.remainder)
    __rmod__ = _binary(torch.remainder, reverse=True)
    __pow__ = _binary(torch.pow)
    __rpow__ = _binary(torch.pow, reverse=True)
    __matmul__ = _binary(torch.matmul)
    __rmatmul__ = _binary(torch.matmul, reverse=True)
    __lt__ = _binary(torch.lt)
    __le__ = _binary(torch.le)
    __gt__ = _binary(torch.gt)
    __ge__ = _binary(torch.ge)
    __and__ = _binary(torch.logical_and)
    __or__ = _binary(torch.logical_or)
    __neg__ = _unary(torch.neg)
    __abs__ = _unary(torch.abs)
    __invert__ = _unary(torch.logical_not)
    __hash__ = None  # type: ignore[assignment]


def py_function(func: Any, inp: Any, Tout: Any, name: str | None = None) -> Any:
    """Wraps ``func(*eager_inputs)`` as an ``EagerPyFunc`` op (``tf.py_function``).

    Returns:
        One tensor if ``Tout`` is a single dtype, a list if it is a list or tuple (the op itself
        if that list is empty).

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.py_function(lambda a: a * 2, [tf.constant([1.0, 2.0])], tf.float32)
    >>> print(y.name, y.op.type, y.shape)
    EagerPyFunc:0 EagerPyFunc <unknown>
    """
    if not callable(func):
        raise ValueError(
            f"Expected func to be callable. Received func={func} of type {type(func)}."
        )
    is_list = isinstance(Tout, (list, tuple))
    touts = [dtypes.as_dtype(t).base_dtype for t in (Tout if is_list else [Tout])]
    inputs = [convert_to_tensor(x) for x in (inp or [])]
    g = get_default_graph()
    token = f"pyfunc_{next(_tokens)}"
    with g.name_scope(name or "EagerPyFunc") as scope:
        pass
    op = g._create_op(
        "EagerPyFunc",
        inputs,
        {"token": token, "is_async": False, "Tin": tuple(t._dtype.base_dtype for t in inputs),
         "Tout": tuple(touts), "_func": func},
        scope,
        touts,
        [TensorShape(None)] * len(touts),
    )  # fmt: skip
    if not is_list:
        return op._outputs[0]
    if not touts:
        return op
    return list(op._outputs)


def _to_output(value: Any, dt: dtypes.DType, op: Operation) -> Any:
    if isinstance(value, EagerValue):
        if value.dtype.base_dtype != dt:
            raise errors.InvalidArgumentError(
                None, op, f"TypeError: Cannot convert provided value to EagerTensor. Provided "
                f"value: {value.numpy()} Requested dtype: {dt.name}"
            )  # fmt: skip
        return value._value
    if dt == dtypes.string:
        return to_torch(np.asarray(value, dtype=object), dt)
    arr = np.asarray(value)
    if arr.dtype.kind in "OSU" or (arr.dtype.kind == "f" and not (dt.is_floating or dt.is_complex)):
        raise errors.InvalidArgumentError(
            None, op, f"TypeError: Cannot convert {value!r} to EagerTensor of dtype {dt.name}"
        )
    return torch.as_tensor(arr.astype(dt.as_numpy_dtype), dtype=torch_dtype(dt))


def _eager_py_func_kernel(op: Operation, session: Any) -> Any:
    func = op._attrs["_func"]
    touts = op._attrs["Tout"]
    tins = op._attrs["Tin"]
    n = len(touts)

    def kernel(*vals: Any) -> Any:
        args = [EagerValue(v, dt) for v, dt in zip(vals, tins, strict=True)]
        try:
            ret = func(*args)
        except errors.OpError:
            raise
        except Exception as e:
            kind: type[errors.OpError] = errors.UnknownError
            for exc_type, err in _EXC_MAP:
                if isinstance(e, exc_type):
                    kind = err
                    break
            raise kind(None, op, f"{type(e).__name__}: {e}") from e
        if n == 0:
            return None
        rets = list(ret) if isinstance(ret, (list, tuple)) and n > 1 else [ret]
        if len(rets) != n:
            raise errors.InvalidArgumentError(
                None, op, f"ValueError: Expected {n} outputs, got {len(rets)}"
            )
        outs = [_to_output(r, dt, op) for r, dt in zip(rets, touts, strict=True)]
        return outs[0] if n == 1 else tuple(outs)

    return kernel


register_kernel("EagerPyFunc", stateful=True)(_eager_py_func_kernel)

__all__ = ["EagerValue", "py_function"]
