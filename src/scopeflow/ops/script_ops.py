"""``tf.py_func`` / ``tf.numpy_function``: Python functions on NumPy values as graph ops.

The op (``PyFunc``, or ``PyFuncStateless`` for ``stateful=False``) calls the function at run time
with the inputs as NumPy arrays; its outputs have unknown static shape. As TF: a returned list or
tuple is several outputs, each must have exactly the declared dtype (no casting), and a Python
exception becomes an ``OpError`` (``ValueError``/``TypeError`` -> ``InvalidArgumentError``,
``StopIteration`` -> ``OutOfRangeError``, ``MemoryError`` -> ``ResourceExhaustedError``,
``NotImplementedError`` -> ``UnimplementedError``, others -> ``UnknownError``) whose message is
``"<ExceptionType>: <message>"``. No gradient flows through these ops.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from scopeflow import errors
from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph._torch_dtypes import to_numpy, to_torch
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation

_tokens = itertools.count()
_C_NAMES = {"float32": "float", "float64": "double", "float16": "half"}
_EXC_MAP: tuple[tuple[type[BaseException], type[errors.OpError]], ...] = (
    (ValueError, errors.InvalidArgumentError),
    (TypeError, errors.InvalidArgumentError),
    (StopIteration, errors.OutOfRangeError),
    (MemoryError, errors.ResourceExhaustedError),
    (NotImplementedError, errors.UnimplementedError),
)


def _c_name(dt: Any) -> str:
    return _C_NAMES.get(dt.name, dt.name)


def py_func(func: Any, inp: Any, Tout: Any, stateful: bool = True,
            name: str | None = None) -> Any:  # fmt: skip
    """Wraps ``func(*numpy_inputs)`` as an op (``tf.py_func``).

    Returns:
        One tensor if ``Tout`` is a single dtype, a list if it is a list or tuple (the op itself
        if that list is empty).

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.py_func(lambda a: a * 2, [tf.constant([1.0, 2.0])], tf.float32)
    >>> print(y.name, y.shape)
    PyFunc:0 <unknown>
    """
    if not callable(func):
        raise TypeError(f"Expected func to be callable, got func of type {type(func)}")
    is_list = isinstance(Tout, (list, tuple))
    touts = [dtypes.as_dtype(t).base_dtype for t in (Tout if is_list else [Tout])]
    op_type = "PyFunc" if stateful else "PyFuncStateless"
    g = get_default_graph()
    token = f"pyfunc_{next(_tokens)}"
    with g.name_scope(name or op_type) as scope:
        inputs = [convert_to_tensor(x, name=f"input_{i}") for i, x in enumerate(inp or [])]
    op = g._create_op(
        op_type,
        inputs,
        {"token": token, "Tin": tuple(t._dtype.base_dtype for t in inputs), "Tout": tuple(touts),
         "_func": func},
        scope,
        touts,
        [TensorShape(None)] * len(touts),
    )  # fmt: skip
    if not is_list:
        return op._outputs[0]
    if not touts:
        return op
    return list(op._outputs)


def numpy_function(func: Any, inp: Any, Tout: Any, stateful: bool = True,
                   name: str | None = None) -> Any:  # fmt: skip
    """``tf.numpy_function``: the same op as ``py_func``."""
    return py_func(func, inp, Tout, stateful=stateful, name=name)


def _to_np_output(value: Any) -> Any:
    result = np.asarray(value, order="C")
    if result.dtype.char == "S" and result is not value:
        return np.asarray(value, order="C", dtype=object)
    if result.dtype.char == "U":
        enc = np.vectorize(lambda x: x.encode("utf8"), otypes=[object])(result)
        return np.asarray(enc, order="C", dtype=object)
    return result


def _matches(arr: Any, dt: dtypes.DType) -> bool:
    if dt == dtypes.string:
        return bool(arr.dtype == object or arr.dtype.char == "S")
    return bool(arr.dtype == np.dtype(dt.as_numpy_dtype))


def _np_name(arr: Any) -> str:
    if arr.dtype == object or arr.dtype.char == "S":
        return "string"
    try:
        return _c_name(dtypes.as_dtype(arr.dtype))
    except (TypeError, KeyError, ValueError):
        return str(arr.dtype)


def _py_func_kernel(op: Operation, session: Any) -> Any:
    func = op._attrs["_func"]
    token = op._attrs["token"]
    touts = op._attrs["Tout"]
    n = len(touts)

    def kernel(*vals: Any) -> Any:
        args = [to_numpy(v) for v in vals]
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
        rets = list(ret) if isinstance(ret, (list, tuple)) else ([] if ret is None and n == 0
                                                                   else [ret])  # fmt: skip
        if len(rets) != n:
            raise errors.InvalidArgumentError(
                None, op, f"{token} returns {len(rets)} values, but expects to see {n} values."
            )
        outs = []
        for i, (r, dt) in enumerate(zip(rets, touts, strict=True)):
            arr = _to_np_output(r)
            if not _matches(arr, dt):
                raise errors.InvalidArgumentError(
                    None, op, f"{i}-th value returned by {token} is {_np_name(arr)}, but expects "
                    f"{_c_name(dt)}"
                )  # fmt: skip
            outs.append(to_torch(arr, dt))
        if n == 1:
            return outs[0]
        return tuple(outs) if n else None

    return kernel


register_kernel("PyFunc", stateful=True)(_py_func_kernel)
register_kernel("PyFuncStateless")(_py_func_kernel)

__all__ = ["numpy_function", "py_func"]
