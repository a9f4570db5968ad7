"""More TF1 string ops: case mapping, strip, full regex match and ``tf.reduce_join``.

``tf.strings.lower``/``upper``/``strip``, ``regex_full_match``, ``tf.reduce_join``.

``lower``/``upper`` with ``encoding=""`` change ASCII letters only (TF's default); with
``"utf-8"`` they use Unicode case mapping. ``strip`` removes leading and trailing ASCII
whitespace. ``reduce_join`` joins along ``axis`` in TF's order: the last listed axis varies
slowest; ``axis=None`` reduces every axis (last first), giving a row-major join.

Differences from TensorFlow: regular expressions are compiled by Python's ``re``, not RE2 (see
``string_ops.regex_replace``).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _scope
from scopeflow.ops._op_builder import constant_value, make_op
from scopeflow.ops.constant_op import constant
from scopeflow.ops.string_ops import _compile, _str_input, _strings


def _map(arr: np.ndarray, fn: Any) -> np.ndarray:
    out = np.empty(arr.shape, dtype=object)
    for idx, s in np.ndenumerate(arr):
        out[idx] = fn(s)
    return out


def _case_op(op_type: str, input: Any, encoding: str, name: str | None) -> Tensor:
    if encoding not in ("", "utf-8"):
        raise ValueError(f"Value for attr 'encoding' of {encoding!r} is not in the list of "
                         "allowed values: '', 'utf-8'")  # fmt: skip
    scope = _scope(name, op_type)
    x = _str_input(input, scope + "input/")
    return make_op(op_type, (x,), {"encoding": encoding}, scope, dtypes.string, x._shape)


def lower(input: Any, encoding: str = "", name: str | None = None) -> Tensor:
    """Lower-cases each string (``tf.strings.lower``, op ``StringLower``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.strings.lower(["AbC"])))
    [b'abc']
    """
    return _case_op("StringLower", input, encoding, name)


def upper(input: Any, encoding: str = "", name: str | None = None) -> Tensor:
    """Upper-cases each string (``tf.strings.upper``, op ``StringUpper``)."""
    return _case_op("StringUpper", input, encoding, name)


def _case_kernel(upper_case: bool) -> Any:
    def factory(op: Operation, session: Any) -> Any:
        utf8 = op._attrs["encoding"] == "utf-8"

        def fn(s: bytes) -> bytes:
            if utf8:
                t = s.decode("utf-8", errors="replace")
                return (t.upper() if upper_case else t.lower()).encode()
            return s.upper() if upper_case else s.lower()  # bytes: ASCII letters only

        return lambda x: _map(_strings(x), fn)

    return factory


register_kernel("StringLower")(_case_kernel(False))
register_kernel("StringUpper")(_case_kernel(True))


def strip(input: Any, name: str | None = None) -> Tensor:
    """Strips leading and trailing ASCII whitespace (``tf.strings.strip``, ``StringStrip``)."""
    scope = _scope(name, "StringStrip")
    x = _str_input(input, scope + "input/")
    return make_op("StringStrip", (x,), {}, scope, dtypes.string, x._shape)


register_kernel("StringStrip")(lambda op, s: lambda x: _map(_strings(x), bytes.strip))


def regex_full_match(input: Any, pattern: Any, name: str | None = None) -> Tensor:
    """Whether each string matches ``pattern`` entirely (``tf.strings.regex_full_match``).

    A Python-string pattern makes a ``StaticRegexFullMatch`` op, a tensor a ``RegexFullMatch``.
    """
    if isinstance(pattern, (str, bytes)):
        scope = _scope(name, "StaticRegexFullMatch")
        x = _str_input(input, scope + "input/")
        pat = pattern.decode() if isinstance(pattern, bytes) else pattern
        return make_op("StaticRegexFullMatch", (x,), {"pattern": pat}, scope, dtypes.bool,
                       x._shape)  # fmt: skip
    scope = _scope(name, "RegexFullMatch")
    x = _str_input(input, scope + "input/")
    p = _str_input(pattern, scope + "pattern/")
    return make_op("RegexFullMatch", (x, p), {}, scope, dtypes.bool, x._shape)


def _full_match(arr: np.ndarray, rx: re.Pattern[bytes]) -> np.ndarray:
    out = np.zeros(arr.shape, dtype=bool)
    for idx, s in np.ndenumerate(arr):
        out[idx] = rx.fullmatch(s) is not None
    return out


@register_kernel("StaticRegexFullMatch")
def _static_full_match_kernel(op: Operation, session: Any) -> Any:
    rx = _compile(op, op._attrs["pattern"].encode())
    return lambda x: _full_match(_strings(x), rx)


@register_kernel("RegexFullMatch")
def _full_match_kernel(op: Operation, session: Any) -> Any:
    def kernel(x: Any, pattern: Any) -> Any:
        return _full_match(_strings(x), _compile(op, bytes(_strings(pattern).item())))

    return kernel


def _lookup(new_name: str, new_value: Any, old_name: str, old_value: Any) -> Any:
    if old_value is not None:
        if new_value is not None:
            raise ValueError(f"Cannot specify both '{old_name}' and '{new_name}'.")
        return old_value
    return new_value


def reduce_join(inputs: Any, axis: Any = None, keep_dims: Any = None, separator: str = "",
                name: str | None = None, reduction_indices: Any = None,
                keepdims: Any = None) -> Tensor:  # fmt: skip
    """Joins strings along ``axis`` (``tf.reduce_join``, op ``ReduceJoin``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.reduce_join([["a", "b"], ["c", "d"]], 0, separator="-")))
    [b'a-c' b'b-d']
    """
    keepdims = _lookup("keepdims", keepdims, "keep_dims", keep_dims)
    axis = _lookup("axis", axis, "reduction_indices", reduction_indices)
    keep = bool(keepdims)
    with name_scope(None, "ReduceJoin", [inputs, axis]):
        x = convert_to_tensor(inputs, dtype=dtypes.string)
        rank = x._shape.ndims
        if axis is None:
            if rank is None:
                from scopeflow.errors import UnsupportedError  # noqa: PLC0415

                raise UnsupportedError("reduce_join with axis=None of an input of unknown rank")
            axis_t = constant(np.arange(rank - 1, -1, -1, dtype=np.int32))
        else:
            axis_t = None
        scope = _scope(name, "ReduceJoin")
        if axis_t is None:
            axis_t = convert_to_tensor(axis, dtype=dtypes.int32, name=scope + "reduction_indices/")
        out_shape = TensorShape(None)
        axes = constant_value(axis_t)
        if rank is not None and axes is not None:
            red = {int(a) % rank if rank else int(a) for a in np.asarray(axes).reshape(-1)}
            dims = x._shape.as_list()
            kept = [1 if i in red else d for i, d in enumerate(dims)] if keep else [
                d for i, d in enumerate(dims) if i not in red
            ]  # fmt: skip
            out_shape = TensorShape(kept)
        attrs = {"keep_dims": keep, "separator": separator}
        return make_op("ReduceJoin", (x, axis_t), attrs, scope, dtypes.string, out_shape)


@register_kernel("ReduceJoin")
def _reduce_join_kernel(op: Operation, session: Any) -> Any:
    keep = op._attrs["keep_dims"]
    sep = op._attrs["separator"].encode()

    def kernel(x: Any, axis: Any) -> Any:
        arr = _strings(x)
        rank = arr.ndim
        listed = [int(a) + rank if int(a) < 0 else int(a) for a in np.asarray(axis).reshape(-1)]
        kept = [i for i in range(rank) if i not in listed]
        moved = np.transpose(arr, kept + listed[::-1]) if rank else arr
        kshape = [arr.shape[i] for i in kept]
        flat = moved.reshape((*kshape, -1)) if rank else moved.reshape(1)
        out = np.empty(kshape, dtype=object)
        for idx in np.ndindex(*kshape):
            out[idx] = sep.join(flat[idx])
        if keep:
            out = out.reshape([1 if i in listed else arr.shape[i] for i in range(rank)])
        return out

    return kernel


string_strip = strip

__all__ = [
    "lower",
    "reduce_join",
    "regex_full_match",
    "string_strip",
    "strip",
    "upper",
]
