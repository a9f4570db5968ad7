"""Elementwise binary arithmetic, division, comparisons, logical ops, casts and the operators.

Names follow TF: ``x + y`` is an ``AddV2`` op named ``add``, its converted operands ``add/y``;
``x * y`` is ``Mul`` named ``mul``; ``x / y`` is ``RealDiv`` named ``truediv``. TF does no
implicit promotion: mixing dtypes raises ``TypeError`` with TF's message. Integer division
follows TF: ``floordiv`` rounds toward -inf, ``truncatediv`` toward zero, and an integer division
by zero is an ``InvalidArgumentError`` (``Integer division by zero``) at run time.

The helpers ``_scope``, ``_convert_pair``, ``_check_allowed`` and ``allowed`` are shared by the
other op families. Unary math is in ``unary_ops``, reductions in ``reduction_ops``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow.errors import InternalError, InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import (
    declare_thread_invariant,
    register_inplace_kernel,
    register_kernel,
)
from scopeflow.graph.tensor import Tensor, register_operator
from scopeflow.ops import _math_grad
from scopeflow.ops._math_common import (  # noqa: F401  (re-exported for other families)
    _check_allowed,
    _convert_input,
    _convert_pair,
    _scope,
    allowed,
    binary_op,
    check_fixed,
    dt_enum,
    name_scope,
    node_desc,
    shape_list,
)
from scopeflow.ops._op_builder import broadcast_static_shape, make_op
from scopeflow.ops.unary_ops import abs, negative, unary


def _binary(op_type: str, default_name: str, types: str,
            out_bool: bool = False) -> Callable[..., Tensor]:  # fmt: skip
    allowed_types = allowed(types)

    def op(x: Any, y: Any, name: str | None = None) -> Tensor:
        return binary_op(op_type, _scope(name, default_name), x, y, allowed_types,
                         dtypes.bool if out_bool else None)  # fmt: skip

    op.__name__ = default_name
    op.__doc__ = f"Elementwise ``{op_type}`` with broadcasting (TF's ``tf.{default_name}``)."
    return op


add = _binary("AddV2", "Add", "AddV2")
subtract = _binary("Sub", "Sub", "Sub")
multiply = _binary("Mul", "Mul", "Mul")
real_div = _binary("RealDiv", "RealDiv", "FloorDiv")
realdiv = real_div
div_no_nan = _binary("DivNoNan", "div_no_nan", "FloorDiv")
div_no_nan.__doc__ = """``x / y``, or 0 where ``y`` is 0 (op ``DivNoNan``, ``tf.div_no_nan``).

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.div_no_nan([1.0, 2.0], [0.0, 4.0])))
    [0.  0.5]
    """
floor_div = _binary("FloorDiv", "floordiv", "FloorDiv")
floormod = _binary("FloorMod", "FloorMod", "FloorMod")
truncatediv = _binary("TruncateDiv", "TruncateDiv", "FloorDiv")
truncatemod = _binary("TruncateMod", "TruncateMod", "TruncateMod")
squared_difference = _binary("SquaredDifference", "SquaredDifference", "SquaredDifference")
less = _binary("Less", "Less", "Less", out_bool=True)
less_equal = _binary("LessEqual", "LessEqual", "Less", out_bool=True)
greater = _binary("Greater", "Greater", "Less", out_bool=True)
greater_equal = _binary("GreaterEqual", "GreaterEqual", "Less", out_bool=True)
_maximum = _binary("Maximum", "Maximum", "Maximum")
_minimum = _binary("Minimum", "Minimum", "Maximum")
mul = multiply
sub = subtract


def maximum(x: Any, y: Any, name: str | None = None) -> Tensor:
    """Elementwise max (``tf.maximum``, op ``Maximum``); the gradient of a tie goes to ``x``."""
    return _maximum(x, y, name=name)


def minimum(x: Any, y: Any, name: str | None = None) -> Tensor:
    """Elementwise min (``tf.minimum``, op ``Minimum``); the gradient of a tie goes to ``x``."""
    return _minimum(x, y, name=name)


def _comparison(op_type: str) -> Callable[..., Tensor]:
    def op(x: Any, y: Any, name: str | None = None) -> Tensor:
        scope = _scope(name, op_type)
        x, y = _convert_pair(x, y, op_type, scope)
        desc = node_desc(scope, op_type, f"T={dt_enum(x._dtype.base_dtype)}, "
                         "incompatible_shape_error=true", [x, y])  # fmt: skip
        shape = broadcast_static_shape(x._shape, y._shape, desc)
        return make_op(op_type, (x, y), {"T": x._dtype.base_dtype,
                       "incompatible_shape_error": True}, scope, dtypes.bool, shape)  # fmt: skip

    op.__name__ = op_type.lower()
    op.__doc__ = f"Elementwise ``{op_type}`` of any dtype, with broadcasting."
    return op


equal = _comparison("Equal")
not_equal = _comparison("NotEqual")


def pow(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x ** y`` elementwise (``tf.pow``, op ``Pow``), with TF's gradient at ``x <= 0``."""
    scope = _scope(name, "Pow")
    with name_scope(scope):
        return binary_op("Pow", scope, x, y, allowed("Pow"))


def floordiv(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x // y`` rounding toward -inf (``tf.floordiv``, op ``FloorDiv``)."""
    scope = _scope(name, "floordiv")
    with name_scope(scope):
        return floor_div(x, y, name=scope)


mod = floormod


def _logical(op_type: str) -> Callable[..., Tensor]:
    def op(x: Any, y: Any, name: str | None = None) -> Tensor:
        scope = _scope(name, op_type)
        x = convert_to_tensor(x, name=scope + "x/")
        check_fixed(x, dtypes.bool, "x", op_type)
        y = convert_to_tensor(y, name=scope + "y/")
        check_fixed(y, dtypes.bool, "y", op_type)
        desc = node_desc(scope, op_type, "", [x, y])
        shape = broadcast_static_shape(x._shape, y._shape, desc)
        return make_op(op_type, (x, y), {}, scope, dtypes.bool, shape)

    op.__name__ = op_type
    op.__doc__ = f"Elementwise ``{op_type}`` of bool tensors, with broadcasting."
    return op


logical_and = _logical("LogicalAnd")
logical_or = _logical("LogicalOr")


_TRUEDIV_TABLE = {
    dtypes.uint8: dtypes.float32, dtypes.int8: dtypes.float32, dtypes.uint16: dtypes.float32,
    dtypes.int16: dtypes.float32, dtypes.uint32: dtypes.float64, dtypes.int32: dtypes.float64,
    dtypes.uint64: dtypes.float64, dtypes.int64: dtypes.float64, dtypes.bfloat16: None,
    dtypes.float16: None, dtypes.float32: None, dtypes.float64: None, dtypes.complex64: None,
    dtypes.complex128: None,
}  # fmt: skip


def _same_dtype_pair(scope: str, x: Any, y: Any, y_dtype_forced: bool) -> tuple[Tensor, Tensor]:
    x = convert_to_tensor(x, name=scope + "x/")
    dt = x._dtype.base_dtype
    if y_dtype_forced:
        try:
            y = convert_to_tensor(y, dtype=dt, name=scope + "y/")
        except ValueError as e:
            raise ValueError(f"y: {e}") from None
    else:
        y = convert_to_tensor(y, preferred_dtype=dt, name=scope + "y/")
    if y._dtype.base_dtype != dt:
        raise TypeError(
            f"`x` and `y` must have the same dtype, got {dt!r} != {y._dtype.base_dtype!r}."
        )
    return x, y


def truediv(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x / y`` with Python 3 semantics: integers are cast to float (int8/16 -> f32, else f64)."""
    scope = _scope(name, "truediv")
    with name_scope(scope):
        x, y = _same_dtype_pair(scope, x, y, False)
        dt = x._dtype.base_dtype
        if dt not in _TRUEDIV_TABLE:
            keys = ", ".join(repr(k) for k in _TRUEDIV_TABLE)
            raise TypeError(f"Invalid dtype {dt!r} in __truediv__. Expected one of {{{keys}}}.")
        target = _TRUEDIV_TABLE[dt]
        if target is not None:
            x = cast(x, target)
            y = cast(y, target)
        return real_div(x, y, name=scope)


def divide(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.divide``: ``x / y`` via ``truediv``."""
    if name is not None:
        return truediv(x, y, name=name)
    if not isinstance(x, Tensor):
        x = convert_to_tensor(x, dtype=y._dtype.base_dtype if isinstance(y, Tensor) else None)
    return truediv(x, y, name="truediv")


def div(x: Any, y: Any, name: str | None = None) -> Tensor:
    """TF1 ``tf.div``: Python 2 division (``FloorDiv`` for integers, ``RealDiv`` for floats)."""
    scope = _scope(name, "div")
    with name_scope(scope):
        x, y = _same_dtype_pair(scope, x, y, True)
        if x._dtype.is_floating or x._dtype.is_complex:
            return real_div(x, y, name=scope)
        return floor_div(x, y, name=scope)


def logical_not(x: Any, name: str | None = None) -> Tensor:
    """Elementwise NOT of a bool tensor (``tf.logical_not``)."""
    scope = _scope(name, "LogicalNot")
    t = convert_to_tensor(x, name=scope + "x/")
    check_fixed(t, dtypes.bool, "x", "LogicalNot")
    return make_op("LogicalNot", (t,), {}, scope, dtypes.bool, t._shape)


def logical_xor(x: Any, y: Any, name: str = "LogicalXor") -> Tensor:
    """``(x | y) & ~(x & y)`` (``tf.math.logical_xor``), built from TF's three ops."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


def cast(x: Any, dtype: Any, name: str | None = None) -> Tensor:
    """Casts ``x`` to ``dtype`` (``tf.cast``, op ``Cast``); returns ``x`` if it already matches."""
    dt = dtypes.as_dtype(dtype).base_dtype
    if isinstance(x, Tensor) and x._dtype.base_dtype == dt:
        return x
    scope = _scope(name, "Cast")
    x = convert_to_tensor(x, name=scope + "x/")
    if x._dtype.base_dtype == dt:
        return x
    t = make_op("Cast", (x,), {"SrcT": x._dtype.base_dtype, "DstT": dt, "Truncate": False},
                scope, dt, x._shape)  # fmt: skip
    if x._const is not None and dt.is_numpy_compatible and dt != dtypes.string:
        val = np.asarray(x._const)
        t._const = (val.real if val.dtype.kind == "c" and not dt.is_complex else val).astype(
            dt.as_numpy_dtype
        )
    elif x._partial_shape is not None and dt in (dtypes.int32, dtypes.int64):
        t._partial_shape = x._partial_shape  # TF's shape inference reads shapes through Cast
    return t


def to_float(x: Any, name: str = "ToFloat") -> Tensor:
    """``cast(x, float32)`` (TF1 ``tf.to_float``)."""
    return cast(x, dtypes.float32, name=name)


def to_double(x: Any, name: str = "ToDouble") -> Tensor:
    """``cast(x, float64)`` (TF1 ``tf.to_double``)."""
    return cast(x, dtypes.float64, name=name)


def to_int32(x: Any, name: str = "ToInt32") -> Tensor:
    """``cast(x, int32)`` (TF1 ``tf.to_int32``)."""
    return cast(x, dtypes.int32, name=name)


def to_int64(x: Any, name: str = "ToInt64") -> Tensor:
    """``cast(x, int64)`` (TF1 ``tf.to_int64``)."""
    return cast(x, dtypes.int64, name=name)


def to_bfloat16(x: Any, name: str = "ToBFloat16") -> Tensor:
    """``cast(x, bfloat16)`` (TF1 ``tf.to_bfloat16``)."""
    return cast(x, dtypes.bfloat16, name=name)


def saturate_cast(value: Any, dtype: Any, name: str | None = None) -> Tensor:
    """Casts with clamping to the target range (``tf.dtypes.saturate_cast``).

    Differences from TensorFlow: complex inputs raise ``UnsupportedError``.
    """
    from scopeflow.errors import UnsupportedError  # noqa: PLC0415
    from scopeflow.ops.clip_ops import _clip_by_value_op  # noqa: PLC0415

    scope = _scope(name, "saturate_cast")
    with name_scope(scope):
        value = convert_to_tensor(value, name="value")
        dt = dtypes.as_dtype(dtype).base_dtype
        in_dt = value._dtype.base_dtype
        if in_dt.is_complex or dt.is_complex:
            raise UnsupportedError("saturate_cast of complex values")
        np_dt = in_dt.as_numpy_dtype
        try:
            promoted = np.promote_types(np_dt, dt.as_numpy_dtype)
        except TypeError:
            promoted = np.dtype(float)
        lo = np_dt(np.maximum(in_dt.min, dt.min))
        if np.array([lo, dt.min], dtype=promoted)[0] < np.array([lo, dt.min], dtype=promoted)[1]:
            lo = np.nextafter(lo, np_dt(0), dtype=np_dt)
        hi = np_dt(np.minimum(float(in_dt.max), float(dt.max)))
        if np.array([hi, dt.max], dtype=promoted)[0] > np.array([hi, dt.max], dtype=promoted)[1]:
            hi = np.nextafter(hi, np_dt(0), dtype=np_dt)
        value = _clip_by_value_op(value, convert_to_tensor(lo, dtype=in_dt),
                                  convert_to_tensor(hi, dtype=in_dt), "clamp")  # fmt: skip
        return cast(value, dt, name=scope)


# --- kernels -------------------------------------------------------------------------------------


def _simple(fn: Any) -> Any:
    return lambda op, session: fn


def _int_zero_check(fn: Callable[..., Any]) -> Callable[..., Any]:
    def kernel(a: Any, b: Any) -> Any:
        if not bool(b.all()):
            raise InvalidArgumentError(None, None, "Integer division by zero")
        return fn(a, b)

    return kernel


def _floor_mod_float(a: Any, b: Any) -> Any:
    r = torch.fmod(a, b)
    return torch.where((r != 0) & ((b < 0) != (r < 0)), r + b, r)


register_kernel("AddV2")(_simple(torch.add))
register_kernel("Sub")(_simple(torch.sub))
register_kernel("Mul")(_simple(torch.mul))
declare_thread_invariant("AddV2", "Mul")  # elementwise (``interop``)
register_kernel("Maximum")(_simple(_math_grad.maximum))
register_kernel("Minimum")(_simple(_math_grad.minimum))
register_kernel("Less")(_simple(torch.lt))
register_kernel("LessEqual")(_simple(torch.le))
register_kernel("Greater")(_simple(torch.gt))
register_kernel("GreaterEqual")(_simple(torch.ge))


def _inplace_binary(method: Any, commutative: bool, float_only: bool = False,
                    out_fn: Any = None) -> Any:  # fmt: skip
    """An in-place variant factory: ``method(dst, other)`` (e.g. ``torch.Tensor.add_``).

    ``out_fn(a, b, out=b)`` writes a non-commutative op into its second input (an ``out=`` that
    is exactly an input is allowed for torch's elementwise kernels: the same bits as out of place).
    """

    def factory(op: Any, session: Any, index: int) -> Any:
        dt = op._attrs["T"]
        if dt == dtypes.string or (float_only and not (dt.is_floating or dt.is_complex)):
            return None
        if index == 0:
            return method
        if commutative:  # a + b and a * b are the same bits as b + a and b * a
            return lambda a, b: method(b, a)
        if out_fn is not None:
            return lambda a, b: out_fn(a, b, out=b)
        return None

    return factory


register_inplace_kernel("AddV2")(_inplace_binary(torch.Tensor.add_, commutative=True))
register_inplace_kernel("Sub")(
    _inplace_binary(torch.Tensor.sub_, commutative=False, out_fn=torch.sub)
)
register_inplace_kernel("Mul")(_inplace_binary(torch.Tensor.mul_, commutative=True))
register_inplace_kernel("RealDiv")(
    _inplace_binary(torch.Tensor.div_, commutative=False, float_only=True, out_fn=torch.div)
)


def _equality(fn: Any, np_fn: Any) -> Any:
    def factory(op: Any, session: Any) -> Any:
        if op._attrs["T"] == dtypes.string:
            return lambda a, b: torch.from_numpy(np.asarray(np_fn(a, b), dtype=np.bool_))
        return fn

    return factory


register_kernel("Equal")(_equality(torch.eq, np.equal))
register_kernel("NotEqual")(_equality(torch.ne, np.not_equal))
register_kernel("LogicalAnd")(_simple(torch.logical_and))
register_kernel("LogicalOr")(_simple(torch.logical_or))
register_kernel("LogicalNot")(_simple(torch.logical_not))
register_kernel("SquaredDifference")(_simple(lambda a, b: (a - b) * (a - b).conj()))


@register_kernel("RealDiv")
def _real_div_kernel(op: Any, session: Any) -> Any:
    if op._attrs["T"].is_integer:
        return _int_zero_check(lambda a, b: torch.div(a, b, rounding_mode="trunc"))
    return torch.true_divide


@register_kernel("DivNoNan")
def _div_no_nan_kernel(op: Any, session: Any) -> Any:
    def kernel(a: Any, b: Any) -> Any:
        zero = b == 0
        return torch.where(zero, torch.zeros((), dtype=a.dtype), a / torch.where(zero, 1, b))

    return kernel


@register_kernel("FloorDiv")
def _floordiv_kernel(op: Any, session: Any) -> Any:
    if op._attrs["T"].is_integer:
        return _int_zero_check(lambda a, b: torch.div(a, b, rounding_mode="floor"))
    return lambda a, b: torch.floor(a / b)


@register_kernel("FloorMod")
def _floormod_kernel(op: Any, session: Any) -> Any:
    if op._attrs["T"].is_integer:
        return _int_zero_check(torch.remainder)
    return _floor_mod_float


@register_kernel("TruncateDiv")
def _truncatediv_kernel(op: Any, session: Any) -> Any:
    if op._attrs["T"].is_integer:

        def kernel(a: Any, b: Any) -> Any:
            if not bool(b.all()):  # TF's own (odd) error for this op
                raise InternalError(None, None, "Unexpected error in binary operator (only "
                                    "integer div and mod should have errors)")  # fmt: skip
            return torch.div(a, b, rounding_mode="trunc")

        return kernel
    return lambda a, b: torch.trunc(a / b)


@register_kernel("TruncateMod")
def _truncatemod_kernel(op: Any, session: Any) -> Any:
    if op._attrs["T"].is_integer:
        return _int_zero_check(torch.fmod)
    return torch.fmod


@register_kernel("Pow")
def _pow_kernel(op: Any, session: Any) -> Any:
    if op._attrs["T"].is_integer:

        def int_pow(a: Any, b: Any) -> Any:
            if bool((b < 0).any()):
                raise InvalidArgumentError(
                    None, None, "Integers to negative integer powers are not allowed"
                )
            return torch.pow(a, b)

        return int_pow
    return _math_grad.pow


@register_kernel("Cast")
def _cast_kernel(op: Any, session: Any) -> Any:
    from scopeflow.graph._torch_dtypes import torch_dtype  # noqa: PLC0415

    dst = torch_dtype(op._attrs["DstT"])
    if op._attrs["SrcT"].is_complex and not dst.is_complex:
        return lambda x: x.real.to(dst)
    # Float -> int truncates toward zero in both TF and torch.
    return lambda x: x.to(dst)


# --- Tensor operator overloads -------------------------------------------------------------------


def _r(fn: Callable[..., Tensor], default: str) -> Callable[[Any, Any], Tensor]:
    return lambda y, x: fn(x, y, name=default)


def _r_truediv(y: Any, x: Any) -> Tensor:
    scope = _scope(None, "truediv")
    with name_scope(scope):
        x = convert_to_tensor(x, dtype=convert_to_tensor(y)._dtype.base_dtype, name="x")
        return truediv(x, y, name=scope)


register_operator("__add__", lambda x, y: add(x, y, name="add"))
register_operator("__radd__", _r(add, "add"))
register_operator("__sub__", lambda x, y: subtract(x, y, name="sub"))
register_operator("__rsub__", _r(subtract, "sub"))
register_operator("__mul__", lambda x, y: multiply(x, y, name="mul"))
register_operator("__rmul__", _r(multiply, "mul"))
register_operator("__truediv__", lambda x, y: truediv(x, y))  # noqa: PLW0108
register_operator("__rtruediv__", _r_truediv)
register_operator("__floordiv__", lambda x, y: floor_div(x, y, name="floordiv"))
register_operator("__rfloordiv__", _r(floor_div, "floordiv"))
register_operator("__mod__", lambda x, y: floormod(x, y, name="mod"))
register_operator("__rmod__", _r(floormod, "mod"))
register_operator("__pow__", lambda x, y: binary_op("Pow", _scope(None, "pow"), x, y,
                                                    allowed("Pow")))  # fmt: skip
register_operator("__rpow__", lambda y, x: binary_op("Pow", _scope(None, "pow"), x, y,
                                                     allowed("Pow")))  # fmt: skip
register_operator("__lt__", lambda x, y: less(x, y))  # noqa: PLW0108
register_operator("__le__", lambda x, y: less_equal(x, y))  # noqa: PLW0108
register_operator("__gt__", lambda x, y: greater(x, y))  # noqa: PLW0108
register_operator("__ge__", lambda x, y: greater_equal(x, y))  # noqa: PLW0108
register_operator("__and__", lambda x, y: logical_and(x, y, name="and"))
register_operator("__rand__", _r(logical_and, "and"))
register_operator("__or__", lambda x, y: logical_or(x, y, name="or"))
register_operator("__ror__", _r(logical_or, "or"))
register_operator("__xor__", lambda x, y: logical_xor(x, y, name="xor"))
register_operator("__rxor__", _r(logical_xor, "xor"))
register_operator("__invert__", lambda x: logical_not(x))  # noqa: PLW0108

neg = negative
_unary = unary

__all__ = [
    "abs",
    "add",
    "cast",
    "div",
    "div_no_nan",
    "divide",
    "equal",
    "floor_div",
    "floordiv",
    "floormod",
    "greater",
    "greater_equal",
    "less",
    "less_equal",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "maximum",
    "minimum",
    "mod",
    "mul",
    "multiply",
    "neg",
    "negative",
    "not_equal",
    "pow",
    "real_div",
    "realdiv",
    "saturate_cast",
    "squared_difference",
    "sub",
    "subtract",
    "to_bfloat16",
    "to_double",
    "to_float",
    "to_int32",
    "to_int64",
    "truediv",
    "truncatediv",
    "truncatemod",
]
