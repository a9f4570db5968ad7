"""``tensorflow.python.framework.function.Defun``: a Python function declared as a graph function.

TF 1.x adds the function's body to the graph's function library and calls it through one op of
type ``func_name`` (named ``func_name`` or ``name``, uniquified); the call's outputs have unknown
static shapes. Here the body is built inline, under that op's name as a scope, and each output
passes through an ``Identity`` op with the call op's name (``.../att_sum_dot:0``) and an unknown
static shape, so names, shapes and values seen from outside are TF's; gradients come from the
inlined ops.

Differences from TensorFlow: the graph has the body's ops (``<name>/Mul`` ...) instead of a
function-library entry and a call op (GraphDef export shows them inline); the body sees the
arguments' static shapes (TF traces it on unknown shapes). Without ``func_name`` TF names the
function ``<python name>_<hash of its definition>``; here it is the Python name.
``grad_func``/``python_grad_func``/``shape_func``/``out_names`` and functions with several
outputs are not supported (raise ``UnsupportedError``).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._math_common import _scope
from scopeflow.ops._op_builder import make_op

# Keyword arguments of TF's Defun that only tune execution (no effect on values or names).
_HINTS = ("noinline", "compiled", "separate_compiled_gradients")


class _DefinedFunction:
    """What ``Defun(...)(func)`` returns: calling it adds the function's ops to the graph."""

    def __init__(self, func: Callable[..., Any], input_types: tuple[Any, ...], name: str) -> None:
        self._func = func
        self._input_types = tuple(dtypes.as_dtype(t) for t in input_types)
        self.name = name
        functools.update_wrapper(self, func)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        name = kwargs.pop("name", None)
        if kwargs:
            msg = f"Defun function call: unsupported arguments {sorted(kwargs)}"
            raise UnsupportedError(msg)
        if len(args) != len(self._input_types):
            msg = (
                f"Function {self.name} expects {len(self._input_types)} arguments, got {len(args)}"
            )
            raise ValueError(msg)
        inputs = [
            convert_to_tensor(a, dtype=t) for a, t in zip(args, self._input_types, strict=True)
        ]
        scope = _scope(name, self.name)
        with get_default_graph().name_scope(scope):
            result = self._func(*inputs)
        if result is None:
            return None
        if isinstance(result, (list, tuple)):
            msg = "Defun functions returning several outputs"
            raise UnsupportedError(msg)
        return _output(convert_to_tensor(result), scope)


def _output(t: Tensor, scope: str) -> Tensor:
    """The call's output: ``t`` with an unknown static shape, named like TF's call op."""
    dtype = t._dtype.base_dtype
    return make_op("Identity", (t,), {"T": dtype}, scope, dtype, TensorShape(None))


def Defun(*input_types: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], _DefinedFunction]:
    """TF 1.x's ``function.Defun``: declares a graph function taking ``input_types``."""
    func_name = kwargs.pop("func_name", None)
    for hint in _HINTS:
        kwargs.pop(hint, None)
    if kwargs:
        msg = f"Defun: unsupported arguments {sorted(kwargs)}"
        raise UnsupportedError(msg)

    def decorate(func: Callable[..., Any]) -> _DefinedFunction:
        return _DefinedFunction(func, input_types, func_name or func.__name__)

    return decorate


__all__ = ["Defun"]
