"""TF's check ops: ``tf.assert_equal``, ``tf.assert_less_equal``, ``tf.assert_rank``, ... .

Each builds, under a name scope named after the function, ``x`` and ``y`` (``<scope>/x``,
``<scope>/y``), the comparison, ``All`` over every axis and a ``tf.Assert`` whose data are TF's:
``[message,] 'Condition x <= y did not hold element-wise:', 'x (<name>) = ', x, 'y (<name>) = ',
y``. When both values are known at graph construction and the condition fails, TF raises
``InvalidArgumentError`` right away with those lines; so does this module.

Differences from TensorFlow: the returned op is always the ``Assert`` op; when a data tensor is
neither string nor int32 TF wraps it in a ``cond`` (``<scope>/Assert/AssertGuard``) and returns
its ``Merge``. Running either one checks the condition and fails with TF's message.

The rank checks (``assert_rank``, ``assert_rank_at_least``, ``assert_rank_in``) return a
``NoOp`` named ``static_checks_determined_all_ok`` and raise TF's ``ValueError`` at construction
when both ranks are known; ``assert_type``/``assert_integer`` raise ``TypeError``,
``assert_scalar``/``assert_same_float_dtype`` ``ValueError``, as TF does. Messages follow the
TF oracle the conformance topic ``ops_x_check_ops2`` is recorded from, where a ``message`` is
prefixed as ``"<message>.  "``; TF 1.15's exact prefix formatting was not checked against a
1.15 build.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.dtypes import as_dtype
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops import array_ops, control_flow_ops, math_ops, state_ops
from scopeflow.ops.logging_ops import Assert
from scopeflow.ops.reduction_ops import reduce_all
from scopeflow.ops.slicing_ops import strided_slice
from scopeflow.ops.sparse_ops import SparseTensor

# The op types whose values TF's ``tensor_util.constant_value`` knows at graph-build time
# (``ZerosLike``/``OnesLike``: TF builds a ``Const`` for a fully defined shape). scopeflow folds
# more (``Reshape``, arithmetic...); an assert TF only checks when it runs must not fail while
# the graph is built (``streaming_dynamic_auc``'s label checks on reshaped constants).
_TF_CONSTANT_VALUE_OPS = frozenset({
    "Const", "Shape", "Size", "Rank", "Range", "Cast", "Concat", "ConcatV2", "Pack", "Unpack",
    "Fill", "Equal", "NotEqual", "StopGradient", "Identity", "ZerosLike", "OnesLike",
})  # fmt: skip


def _tf_constant(t: Tensor, depth: int = 0) -> bool:
    op = t._op
    if op._type not in _TF_CONSTANT_VALUE_OPS or depth > 100:
        return False
    if op._type in ("Const", "Shape", "Size", "Rank", "ZerosLike", "OnesLike"):
        return True
    return all(_tf_constant(i, depth + 1) for i in op._inputs)


def _static(t: Tensor) -> Any:
    """``t``'s value where TF's ``constant_value`` knows it, else None."""
    if t._const is None or not _tf_constant(t):
        return None
    return t._const


def _binary_assert(sym: str, opname: str, test: Callable[..., Tensor], static: Callable[..., Any],
                   x: Any, y: Any, data: Any, summarize: int | None, message: str | None,
                   name: str | None) -> Operation:  # fmt: skip
    g = get_default_graph()
    with g.name_scope(name or opname):
        xt = convert_to_tensor(x, name="x")
        yt = convert_to_tensor(y, name="y")
        if data is None:
            data = [
                f"Condition x {sym} y did not hold element-wise:",
                f"x ({xt.name}) = ",
                xt,
                f"y ({yt.name}) = ",
                yt,
            ]
        if message is not None:
            data = [message, *list(data)]
        condition = reduce_all(test(xt, yt))
        xs, ys = _static(xt), _static(yt)
        if xs is not None and ys is not None and not np.all(static(xs, ys)):
            lines = [str(_static(d)) if isinstance(d, Tensor) else str(d) for d in data]
            raise InvalidArgumentError(None, None, "\n".join(lines))
        return Assert(condition, data, summarize=summarize)


def _binary(sym: str, opname: str, test: Callable[..., Tensor], static: Callable[..., Any]) -> Any:
    def assertion(x: Any, y: Any, data: Any = None, summarize: int | None = None,
                  message: str | None = None, name: str | None = None) -> Operation:  # fmt: skip
        return _binary_assert(sym, opname, test, static, x, y, data, summarize, message, name)

    assertion.__name__ = assertion.__qualname__ = opname
    assertion.__doc__ = (
        f"An op that fails when ``x {sym} y`` does not hold element-wise (``tf.{opname}``).\n\n"
        "Raises ``InvalidArgumentError`` at construction when both values are constant and "
        "the condition fails."
    )
    return assertion


assert_equal = _binary("==", "assert_equal", math_ops.equal, np.equal)
assert_none_equal = _binary("!=", "assert_none_equal", math_ops.not_equal, np.not_equal)
assert_less = _binary("<", "assert_less", math_ops.less, np.less)
assert_less_equal = _binary("<=", "assert_less_equal", math_ops.less_equal, np.less_equal)
assert_greater = _binary(">", "assert_greater", math_ops.greater, np.greater)
assert_greater_equal = _binary(
    ">=", "assert_greater_equal", math_ops.greater_equal, np.greater_equal
)


def _sign(sym: str, opname: str, check: Any, zero_first: bool) -> Any:
    def assertion(x: Any, data: Any = None, summarize: int | None = None,
                  message: str | None = None, name: str | None = None) -> Operation:  # fmt: skip
        g = get_default_graph()
        with g.name_scope(name or opname):
            xt = convert_to_tensor(x, name="x")
            if data is None:
                data = [
                    message or "",
                    f"Condition x {sym} 0 did not hold element-wise:",
                    f"x ({xt.name}) = ",
                    xt,
                ]
            zero = convert_to_tensor(0, dtype=xt._dtype.base_dtype)
            a, b = (zero, xt) if zero_first else (xt, zero)
            return check(a, b, data=data, summarize=summarize)

    assertion.__name__ = assertion.__qualname__ = opname
    assertion.__doc__ = f"An op that fails unless ``x {sym} 0`` element-wise (``tf.{opname}``)."
    return assertion


assert_positive = _sign(">", "assert_positive", assert_less, zero_first=True)
assert_negative = _sign("<", "assert_negative", assert_less, zero_first=False)
assert_non_negative = _sign(">=", "assert_non_negative", assert_less_equal, zero_first=True)
assert_non_positive = _sign("<=", "assert_non_positive", assert_less_equal, zero_first=False)


def _message_prefix(message: str | None) -> str:
    return f"{message}.  " if message else ""


def assert_proper_iterable(values: Any) -> None:
    """Raises ``TypeError`` unless ``values`` is a proper iterable (``tf.assert_proper_iterable``).

    Tensors, arrays, bytes and str are refused.
    """
    if isinstance(values, (Tensor, np.ndarray, bytes, str)):
        raise TypeError(
            f'Expected argument "values" to be a "proper" iterable.  Found: {type(values)}'
        )
    if not hasattr(values, "__iter__"):
        raise TypeError(f'Expected argument "values" to be iterable.  Found: {type(values)}')


def assert_near(x: Any, y: Any, rtol: Any = None, atol: Any = None, data: Any = None,
                summarize: int | None = None, message: str | None = None,
                name: str | None = None) -> Operation:  # fmt: skip
    """An op that fails unless ``|x - y| < atol + rtol * |y|`` element-wise (``tf.assert_near``).

    ``rtol`` and ``atol`` default to ``10 * eps`` of ``x``'s (real) dtype.
    """
    prefix = _message_prefix(message)
    g = get_default_graph()
    with g.name_scope(name or "assert_near"):
        xt = convert_to_tensor(x, name="x")
        yt = convert_to_tensor(y, name="y", dtype=xt._dtype)
        dtype = xt._dtype.base_dtype
        if dtype.is_complex:
            dtype = dtype.real_dtype
        eps = np.finfo(dtype.as_numpy_dtype).eps
        rt = convert_to_tensor(10 * eps if rtol is None else rtol, name="rtol", dtype=dtype)
        at = convert_to_tensor(10 * eps if atol is None else atol, name="atol", dtype=dtype)
        if data is None:
            data = [
                prefix,
                f"x and y not equal to tolerance rtol = {rt}, atol = {at}",
                f"x ({xt.name}) = ",
                xt,
                f"y ({yt.name}) = ",
                yt,
            ]
        tol = math_ops.add(at, math_ops.multiply(rt, math_ops.abs(yt)))
        diff = math_ops.abs(math_ops.subtract(xt, yt))
        condition = reduce_all(math_ops.less(diff, tol))
        return Assert(condition, data, summarize=summarize)


def _rank_assert(kind: str, x: Any, ranks: list[Any], data: Any, summarize: int | None,
                 message: str | None, name: str | None, opname: str,
                 static_ok: Callable[[int, tuple[int, ...]], bool],
                 dynamic: Callable[[Tensor, list[Tensor]], Tensor],
                 as_tuple: bool) -> Operation:  # fmt: skip
    g = get_default_graph()
    with g.name_scope(name or opname):
        sparse = isinstance(x, SparseTensor)
        xt = x if sparse else convert_to_tensor(x, name="x")
        x_name = "" if sparse else xt.name
        rank_ts = [convert_to_tensor(r, name="rank") for r in ranks]
        prefix = _message_prefix(message)
        if data is None:
            shape = math_ops.cast(x.dense_shape, dtypes.int32) if sparse else array_ops.shape(xt)
            data = [prefix, f"Tensor {x_name} must have rank{kind}", *rank_ts]
            data += ["Received shape: ", shape]
        for r in rank_ts:
            assert_type(r, "int32")
        statics = [_static(r) for r in rank_ts]
        if all(s is not None for s in statics):
            for s in statics:
                if np.ndim(s) != 0:
                    raise ValueError("Rank must be a scalar.")
            x_rank = xt.get_shape().ndims
            if x_rank is not None:
                given = tuple(int(s) for s in statics)
                if not static_ok(x_rank, given):
                    shown = str(given) if as_tuple else str(given[0])
                    raise ValueError(
                        f"{prefix}Tensor {x_name} must have rank{kind} {shown}.  "
                        f"Received rank {x_rank}, shape {xt.get_shape()}"
                    )
                return state_ops.no_op(name="static_checks_determined_all_ok")
        x_rank_t = array_ops.size(x.dense_shape) if sparse else array_ops.rank(xt)
        condition = dynamic(x_rank_t, rank_ts)
        for r, s in zip(rank_ts, statics, strict=True):
            if s is None:
                check = assert_rank(r, 0, data=["Rank must be a scalar. Received rank: ", r])
                condition = control_flow_ops.with_dependencies([check], condition)
        return Assert(condition, data, summarize=summarize)


def assert_rank(x: Any, rank: Any, data: Any = None, summarize: int | None = None,
                message: str | None = None, name: str | None = None) -> Operation:  # fmt: skip
    """An op that fails unless ``x`` has rank ``rank`` (``tf.assert_rank``).

    A ``NoOp`` when both ranks are known; ``ValueError`` at construction when they differ.
    """
    return _rank_assert("", x, [rank], data, summarize, message, name, "assert_rank",
                        lambda a, g: a == g[0], lambda a, r: math_ops.equal(a, r[0]),
                        as_tuple=False)  # fmt: skip


def assert_rank_at_least(
    x: Any,
    rank: Any,
    data: Any = None,
    summarize: int | None = None,
    message: str | None = None,
    name: str | None = None,
) -> Operation:
    """An op that fails unless ``x`` has rank ``rank`` or more (``tf.assert_rank_at_least``)."""
    if isinstance(x, SparseTensor):  # TF converts it (and fails) here, unlike assert_rank
        x = convert_to_tensor(x)
    return _rank_assert(" at least", x, [rank], data, summarize, message, name,
                        "assert_rank_at_least", lambda a, g: a >= g[0],
                        lambda a, r: math_ops.greater_equal(a, r[0]), as_tuple=False)  # fmt: skip


def _rank_in(actual: Tensor, given: list[Tensor]) -> Tensor:
    result = math_ops.equal(given[0], actual)
    for r in given[1:]:
        result = math_ops.logical_or(result, math_ops.equal(r, actual))
    return result


def assert_rank_in(x: Any, ranks: Any, data: Any = None, summarize: int | None = None,
                   message: str | None = None, name: str | None = None) -> Operation:  # fmt: skip
    """An op that fails unless the rank of ``x`` is one of ``ranks`` (``tf.assert_rank_in``)."""
    ranks = list(ranks)
    if not ranks:
        raise ValueError("Rank list should contain at least one element.")
    return _rank_assert(" in", x, ranks, data, summarize, message, name, "assert_rank_in",
                        lambda a, g: a in g, _rank_in, as_tuple=True)  # fmt: skip


def assert_integer(x: Any, message: str | None = None, name: str | None = None) -> Operation:
    """A ``NoOp``; ``TypeError`` at construction unless ``x`` is integer (``tf.assert_integer``)."""
    with get_default_graph().name_scope(name or "assert_integer"):
        xt = convert_to_tensor(x, name="x")
        if not xt._dtype.is_integer:
            raise TypeError(
                f'{_message_prefix(message)}Expected "x" to be integer type.  Found: {xt.name} '
                f"of dtype {xt._dtype}"
            )
        return state_ops.no_op("statically_determined_was_integer")


def assert_type(tensor: Any, tf_type: Any, message: str | None = None,
                name: str | None = None) -> Operation:  # fmt: skip
    """A ``NoOp``; ``TypeError`` unless ``tensor`` has dtype ``tf_type`` (``tf.assert_type``)."""
    tf_type = as_dtype(tf_type)
    with get_default_graph().name_scope(name or "assert_type"):
        sparse = isinstance(tensor, SparseTensor)
        t = tensor if sparse else convert_to_tensor(tensor, name="tensor")
        if t.dtype != tf_type:
            shown = "tensor" if sparse else t.name
            raise TypeError(
                f"{_message_prefix(message)}{shown} must be of type {tf_type!r}; got {t.dtype!r}"
            )
        return state_ops.no_op("statically_determined_correct_type")


def assert_scalar(tensor: Any, name: str | None = None, message: str | None = None) -> Tensor:
    """``tensor`` as a tensor; ``ValueError`` unless its static rank is 0 (``tf.assert_scalar``)."""
    g = get_default_graph()
    with g.name_scope(name or "assert_scalar") as scope:
        t = convert_to_tensor(tensor, name=scope)
        shape = t.get_shape()
        if shape.ndims != 0:
            raise ValueError(
                f"{_message_prefix(message)}Expected scalar shape for {t.name}, saw shape: {shape}."
            )
        return t


def assert_same_float_dtype(tensors: Any = None, dtype: Any = None) -> Any:
    """The common floating dtype of ``tensors`` and ``dtype`` (``tf.assert_same_float_dtype``).

    float32 when neither is given; ``ValueError`` when they differ or are not floating.
    """
    if tensors:
        expected = dtype
        first = None
        for item in tensors:
            if item is None:
                continue
            item_type = item.dtype.base_dtype
            if not expected:
                expected = item_type
                first = item.name if hasattr(item, "name") else str(item)
            elif expected != item_type:
                shown = item.name if hasattr(item, "name") else str(item)
                raise ValueError(
                    f"{shown}, type={item_type}, must be of the same type ({expected})"
                    f"{f' as {first}' if first else ''}."
                )
        dtype = expected
    if not dtype:
        return dtypes.float32
    if not dtype.is_floating:
        raise ValueError(f"Expected floating point type, got {dtype}.")
    return dtype


_NUMERIC = frozenset(
    [
        "float16",
        "float32",
        "float64",
        "bfloat16",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "qint8",
        "qint16",
        "qint32",
        "quint8",
        "quint16",
        "complex64",
        "complex128",
    ]
)


def is_numeric_tensor(tensor: Any) -> bool:
    """Whether ``tensor`` is a ``Tensor`` of a numeric dtype (``tf.is_numeric_tensor``)."""
    return isinstance(tensor, Tensor) and tensor._dtype.name in _NUMERIC


def _monotonic(x: Any, compare: Callable[..., Tensor], opname: str, name: str | None) -> Tensor:
    with get_default_graph().name_scope(name or opname):
        flat = array_ops.reshape(convert_to_tensor(x), [-1])
        if not is_numeric_tensor(flat):
            raise TypeError(f"Expected x to be numeric, instead found: {flat}")
        short = math_ops.less(array_ops.size(flat), 2)
        n = math_ops.subtract(array_ops.shape(flat), 1)
        diff = control_flow_ops.cond(
            short,
            lambda: convert_to_tensor([], dtype="bool"),
            lambda: compare(
                strided_slice(flat, [1], math_ops.add([1], n)), strided_slice(flat, [0], n)
            ),
        )
        return reduce_all(diff)


def is_non_decreasing(x: Any, name: str | None = None) -> Tensor:
    """Whether ``x`` (flattened) never decreases (``tf.is_non_decreasing``)."""
    return _monotonic(x, math_ops.greater_equal, "is_non_decreasing", name)


def is_strictly_increasing(x: Any, name: str | None = None) -> Tensor:
    """Whether ``x`` (flattened) strictly increases (``tf.is_strictly_increasing``)."""
    return _monotonic(x, math_ops.greater, "is_strictly_increasing", name)


__all__ = [
    "assert_equal",
    "assert_integer",
    "assert_near",
    "assert_proper_iterable",
    "assert_rank",
    "assert_rank_at_least",
    "assert_rank_in",
    "assert_same_float_dtype",
    "assert_scalar",
    "assert_type",
    "is_non_decreasing",
    "is_numeric_tensor",
    "is_strictly_increasing",
    "assert_greater",
    "assert_greater_equal",
    "assert_less",
    "assert_less_equal",
    "assert_negative",
    "assert_non_negative",
    "assert_non_positive",
    "assert_none_equal",
    "assert_positive",
]
