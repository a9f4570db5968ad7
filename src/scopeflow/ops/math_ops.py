"""Elementwise arithmetic, comparisons, matmul, casts and the Tensor operator overloads.

Names follow TF: ``x + y`` is an ``AddV2`` op named ``add``, its converted operands ``add/y``;
``x * y`` is ``Mul`` named ``mul``; ``x / y`` is ``RealDiv`` named ``truediv``. TF does no
implicit promotion: mixing dtypes raises ``TypeError`` with TF's message.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor, register_operator
from scopeflow.ops._op_builder import broadcast_static_shape, make_op

_NUMERIC = (
    dtypes.bfloat16, dtypes.float16, dtypes.float32, dtypes.float64, dtypes.uint8, dtypes.int8,
    dtypes.uint16, dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint32, dtypes.uint64,
    dtypes.complex64, dtypes.complex128,
)  # fmt: skip
_REAL = tuple(d for d in _NUMERIC if not d.is_complex)
_FLOAT = (dtypes.bfloat16, dtypes.float16, dtypes.float32, dtypes.float64)
_FLOAT_COMPLEX = (*_FLOAT, dtypes.complex64, dtypes.complex128)


def _scope(name: str | None, default: str) -> str:
    """A fresh op name (TF: the ``name_scope(name, default)`` around the op) ending in ``/``."""
    g = get_default_graph()
    if name and name[-1] == "/":
        return name
    return g.unique_name(name or default) + "/"


def _check_allowed(t: Tensor, allowed: tuple[dtypes.DType, ...], param: str) -> None:
    if t._dtype.base_dtype not in allowed:
        names = ", ".join(d.name for d in allowed)
        raise TypeError(
            f"Value passed to parameter '{param}' has DataType {t._dtype.base_dtype.name} not in "
            f"list of allowed values: {names}"
        )


def _convert_pair(x: Any, y: Any, op_type: str, scope: str) -> tuple[Tensor, Tensor]:
    """TF's op_def_library input conversion: the first tensor fixes ``T`` for both inputs."""
    x_is_t = isinstance(x, Tensor) or hasattr(x, "_as_tensor")
    y_is_t = isinstance(y, Tensor) or hasattr(y, "_as_tensor")
    if x_is_t or not y_is_t:
        x = convert_to_tensor(x, name=scope + "x/")
        dt = x._dtype.base_dtype
        y = _convert_input(y, dt, "y", op_type, scope, "x")
    else:
        y = convert_to_tensor(y, name=scope + "y/")
        dt = y._dtype.base_dtype
        x = _convert_input(x, dt, "x", op_type, scope, "y")
    return x, y


def _convert_input(v: Any, dt: dtypes.DType, param: str, op_type: str, scope: str,
                   other: str) -> Tensor:  # fmt: skip
    if isinstance(v, Tensor) or hasattr(v, "_as_tensor"):
        t = convert_to_tensor(v)
        if t._dtype.base_dtype != dt:
            raise TypeError(
                f"Input '{param}' of '{op_type}' Op has type {t._dtype.base_dtype.name} that does "
                f"not match type {dt.name} of argument '{other}'."
            )
        return t
    try:
        return convert_to_tensor(v, dtype=dt, name=scope + param + "/")
    except (TypeError, ValueError) as e:
        raise TypeError(
            f"Expected {dt.name} passed to parameter '{param}' of op '{op_type}', got {v!r} of "
            f"type '{type(v).__name__}' instead. Error: {e}"
        ) from None


def _binary(op_type: str, default_name: str, allowed: tuple[dtypes.DType, ...],
            out_bool: bool = False) -> Callable[..., Tensor]:  # fmt: skip
    def op(x: Any, y: Any, name: str | None = None) -> Tensor:
        scope = _scope(name, default_name)
        x, y = _convert_pair(x, y, op_type, scope)
        _check_allowed(x, allowed, "x")
        desc = (
            f"'{{{{node {scope[:-1]}}}}} = {op_type}[T=DT_{x._dtype.base_dtype.name.upper()}]"
            f"({x._op.name}, {y._op.name})'"
        )
        shape = broadcast_static_shape(x._shape, y._shape, desc)
        out_dt = dtypes.bool if out_bool else x._dtype.base_dtype
        return make_op(op_type, (x, y), {"T": x._dtype.base_dtype}, scope, out_dt, shape)

    op.__name__ = default_name
    op.__doc__ = f"Elementwise ``{op_type}`` with broadcasting (TF's ``tf.{default_name}``)."
    return op


add = _binary("AddV2", "add", (*_NUMERIC, dtypes.string))
subtract = _binary("Sub", "sub", _NUMERIC)
multiply = _binary("Mul", "mul", _NUMERIC)
real_div = _binary("RealDiv", "truediv", _NUMERIC)
floordiv = _binary("FloorDiv", "floordiv", _NUMERIC)
floormod = _binary("FloorMod", "floormod", _REAL)
pow = _binary("Pow", "pow", _FLOAT_COMPLEX + (dtypes.int32, dtypes.int64))  # noqa: A001
maximum = _binary("Maximum", "Maximum", _REAL)
minimum = _binary("Minimum", "Minimum", _REAL)
squared_difference = _binary("SquaredDifference", "SquaredDifference", _NUMERIC)
less = _binary("Less", "Less", _REAL, out_bool=True)
less_equal = _binary("LessEqual", "LessEqual", _REAL, out_bool=True)
greater = _binary("Greater", "Greater", _REAL, out_bool=True)
greater_equal = _binary("GreaterEqual", "GreaterEqual", _REAL, out_bool=True)
equal = _binary("Equal", "Equal", (*_NUMERIC, dtypes.bool, dtypes.string), out_bool=True)
not_equal = _binary("NotEqual", "NotEqual", (*_NUMERIC, dtypes.bool, dtypes.string),
                    out_bool=True)  # fmt: skip
logical_and = _binary("LogicalAnd", "LogicalAnd", (dtypes.bool,))
logical_or = _binary("LogicalOr", "LogicalOr", (dtypes.bool,))
mul = multiply
sub = subtract


def truediv(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x / y`` with TF's rules: integers are cast to float (int8/16 -> f32, int32/64 -> f64)."""
    scope = _scope(name, "truediv")
    x, y = _convert_pair(x, y, "RealDiv", scope)
    dt = x._dtype.base_dtype
    target = {
        dtypes.int8: dtypes.float32, dtypes.uint8: dtypes.float32,
        dtypes.int16: dtypes.float32, dtypes.uint16: dtypes.float32,
        dtypes.int32: dtypes.float64, dtypes.int64: dtypes.float64,
    }.get(dt)  # fmt: skip
    if target is not None:
        x = cast(x, target)
        y = cast(y, target)
    return real_div(x, y, name=scope)


def divide(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.divide``: ``x / y`` via ``truediv``."""
    return truediv(x, y, name=name or "truediv")


def div(x: Any, y: Any, name: str | None = None) -> Tensor:
    """TF1 ``tf.div``: Python-2 division (floor for integers, real for floats)."""
    scope = _scope(name, "div")
    x, y = _convert_pair(x, y, "Div", scope)
    if x._dtype.is_integer:
        return floordiv(x, y, name=scope)
    return real_div(x, y, name=scope)


def _unary(op_type: str, default_name: str, allowed: tuple[dtypes.DType, ...]) -> Callable[..., Tensor]:
    def op(x: Any, name: str | None = None) -> Tensor:
        scope = _scope(name, default_name)
        x = convert_to_tensor(x, name=scope + "x/")
        _check_allowed(x, allowed, "x")
        return make_op(op_type, (x,), {"T": x._dtype.base_dtype}, scope, x._dtype.base_dtype,
                       x._shape)  # fmt: skip

    op.__name__ = default_name
    op.__doc__ = f"Elementwise ``{op_type}`` (TF's ``tf.{default_name}``)."
    return op


negative = _unary("Neg", "Neg", _NUMERIC)
abs = _unary("Abs", "Abs", _REAL)  # noqa: A001
logical_not = _unary("LogicalNot", "LogicalNot", (dtypes.bool,))


def cast(x: Any, dtype: Any, name: str | None = None) -> Tensor:
    """Casts ``x`` to ``dtype`` (a no-op returning ``x`` when the dtype already matches)."""
    dt = dtypes.as_dtype(dtype).base_dtype
    if isinstance(x, Tensor) and x._dtype.base_dtype == dt:
        return x
    scope = _scope(name, "Cast")
    x = convert_to_tensor(x, name=scope + "x/")
    if x._dtype.base_dtype == dt:
        return x
    return make_op("Cast", (x,), {"SrcT": x._dtype.base_dtype, "DstT": dt, "Truncate": False},
                   scope, dt, x._shape)  # fmt: skip


# --- kernels -------------------------------------------------------------------------------------


def _simple(fn: Any) -> Any:
    return lambda op, session: fn


register_kernel("AddV2")(_simple(torch.add))
register_kernel("Sub")(_simple(torch.sub))
register_kernel("Mul")(_simple(torch.mul))
register_kernel("RealDiv")(_simple(torch.true_divide))
register_kernel("Maximum")(_simple(torch.maximum))
register_kernel("Minimum")(_simple(torch.minimum))
register_kernel("Less")(_simple(torch.lt))
register_kernel("LessEqual")(_simple(torch.le))
register_kernel("Greater")(_simple(torch.gt))
register_kernel("GreaterEqual")(_simple(torch.ge))
register_kernel("Equal")(_simple(torch.eq))
register_kernel("NotEqual")(_simple(torch.ne))
register_kernel("LogicalAnd")(_simple(torch.logical_and))
register_kernel("LogicalOr")(_simple(torch.logical_or))
register_kernel("LogicalNot")(_simple(torch.logical_not))
register_kernel("Neg")(_simple(torch.neg))
register_kernel("Abs")(_simple(torch.abs))
register_kernel("SquaredDifference")(_simple(lambda a, b: (a - b) * (a - b).conj()))


@register_kernel("FloorDiv")
def _floordiv_kernel(op: Any, session: Any) -> Any:
    if op._attrs["T"].is_integer:
        return lambda a, b: torch.div(a, b, rounding_mode="floor")
    return lambda a, b: torch.floor(a / b)


@register_kernel("FloorMod")
def _floormod_kernel(op: Any, session: Any) -> Any:
    return torch.remainder


@register_kernel("Pow")
def _pow_kernel(op: Any, session: Any) -> Any:
    return torch.pow


@register_kernel("Cast")
def _cast_kernel(op: Any, session: Any) -> Any:
    from scopeflow.graph._torch_dtypes import torch_dtype  # noqa: PLC0415

    dst = torch_dtype(op._attrs["DstT"])
    src = op._attrs["SrcT"]
    if dst.is_floating_point or dst.is_complex or dst == torch.bool or not (
        src.is_floating or src.is_complex
    ):
        return lambda x: x.to(dst)
    # TF truncates float -> int toward zero, like torch; NaN/inf are undefined in both.
    return lambda x: x.to(dst)


# --- Tensor operator overloads -------------------------------------------------------------------


def _r(fn: Callable[..., Tensor], default: str) -> Callable[[Any, Any], Tensor]:
    return lambda y, x: fn(x, y, name=default)


register_operator("__add__", lambda x, y: add(x, y, name="add"))
register_operator("__radd__", _r(add, "add"))
register_operator("__sub__", lambda x, y: subtract(x, y, name="sub"))
register_operator("__rsub__", _r(subtract, "sub"))
register_operator("__mul__", lambda x, y: multiply(x, y, name="mul"))
register_operator("__rmul__", _r(multiply, "mul"))
register_operator("__truediv__", lambda x, y: truediv(x, y, name="truediv"))
register_operator("__rtruediv__", _r(truediv, "truediv"))
register_operator("__floordiv__", lambda x, y: floordiv(x, y, name="floordiv"))
register_operator("__rfloordiv__", _r(floordiv, "floordiv"))
register_operator("__mod__", lambda x, y: floormod(x, y, name="mod"))
register_operator("__rmod__", _r(floormod, "mod"))
register_operator("__pow__", lambda x, y: pow(x, y, name="pow"))
register_operator("__rpow__", _r(pow, "pow"))
register_operator("__lt__", lambda x, y: less(x, y))
register_operator("__le__", lambda x, y: less_equal(x, y))
register_operator("__gt__", lambda x, y: greater(x, y))
register_operator("__ge__", lambda x, y: greater_equal(x, y))
register_operator("__and__", lambda x, y: logical_and(x, y, name="and"))
register_operator("__rand__", _r(logical_and, "and"))
register_operator("__or__", lambda x, y: logical_or(x, y, name="or"))
register_operator("__ror__", _r(logical_or, "or"))
register_operator("__invert__", lambda x: logical_not(x))
register_operator("__neg__", lambda x: negative(x))
register_operator("__abs__", lambda x: abs(x))

__all__ = [
    "abs",
    "add",
    "cast",
    "div",
    "divide",
    "equal",
    "floordiv",
    "floormod",
    "greater",
    "greater_equal",
    "less",
    "less_equal",
    "logical_and",
    "logical_not",
    "logical_or",
    "maximum",
    "minimum",
    "mul",
    "multiply",
    "negative",
    "not_equal",
    "pow",
    "real_div",
    "squared_difference",
    "sub",
    "subtract",
    "truediv",
]
