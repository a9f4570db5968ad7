"""String ops of TF1 input signatures: ``tf.strings.*`` / TF1's ``tf.string_to_number`` ...

``StringLength``, ``StringToNumber``, ``AsString``, ``Substr``, ``StringJoin``, ``RegexReplace``,
``DecodeBase64``/``EncodeBase64`` and ``StringSplit``/``StringSplitV2`` with TF's semantics on
NumPy object arrays of ``bytes`` (how scopeflow holds string tensors at run time). Error texts
are TF's.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph._torch_dtypes import to_numpy, to_torch
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _scope
from scopeflow.ops._op_builder import make_multi_op, make_op
from scopeflow.ops.sparse_ops import SparseTensor

_VEC = TensorShape([None])
_len = len  # ``substr`` has an argument named ``len``


def _strings(x: Any) -> np.ndarray:
    arr = np.asarray(to_numpy(x), dtype=object)
    return np.vectorize(lambda s: s.encode() if isinstance(s, str) else bytes(s), otypes=[object])(
        arr
    ) if arr.size else arr  # fmt: skip


def _str_input(x: Any, name: str) -> Tensor:
    return convert_to_tensor(x, dtype=dtypes.string, name=name)


# --- length / conversions ---------------------------------------------------------------------


def string_length(input: Any, name: str | None = None, unit: str = "BYTE") -> Tensor:
    r"""The length of each string in bytes or UTF-8 characters (``tf.strings.length``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.strings.length(["ab", "\u00e9"], unit="UTF8_CHAR")))
    [2 1]
    """
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise ValueError(f"Value for attr 'unit' of {unit!r} is not in the list of allowed values")
    scope = _scope(name, "StringLength")
    x = _str_input(input, scope + "input/")
    return make_op("StringLength", (x,), {"unit": unit}, scope, dtypes.int32, x._shape)


@register_kernel("StringLength")
def _length_kernel(op: Operation, session: Any) -> Any:
    utf8 = op._attrs["unit"] == "UTF8_CHAR"

    def kernel(x: Any) -> Any:
        arr = _strings(x)
        fn = (lambda s: len(s.decode("utf-8", errors="replace"))) if utf8 else len
        out = np.vectorize(fn, otypes=[np.int32])(arr) if arr.size else np.zeros(arr.shape)
        return torch.from_numpy(np.asarray(out, dtype=np.int32))

    return kernel


_NUMERIC = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)


def string_to_number(string_tensor: Any, out_type: Any = dtypes.float32,
                     name: str | None = None) -> Tensor:  # fmt: skip
    """Parses each string as a number of ``out_type`` (``tf.strings.to_number``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.string_to_number([" 1.5", "-2e1"])))
    [  1.5 -20. ]
    """
    dt = dtypes.as_dtype(out_type).base_dtype
    if dt not in _NUMERIC:
        raise TypeError(f"Value passed to parameter 'out_type' has DataType {dt.name} not in "
                        "list of allowed values: float32, float64, int32, int64")  # fmt: skip
    scope = _scope(name, "StringToNumber")
    x = _str_input(string_tensor, scope + "string_tensor/")
    return make_op("StringToNumber", (x,), {"out_type": dt}, scope, dt, x._shape)


_INT_RE = re.compile(rb"\s*[+-]?\d+\s*")


def _parse_number(s: bytes, dt: dtypes.DType) -> Any:
    text = s.strip()
    if dt in (dtypes.int32, dtypes.int64):
        if not _INT_RE.fullmatch(s):
            raise ValueError(s)
        v = int(text)
        bits = 31 if dt == dtypes.int32 else 63
        if not -(1 << bits) <= v < (1 << bits):
            raise ValueError(s)
        return v
    low = text.lower().lstrip(b"+-")
    if low in (b"inf", b"infinity", b"nan") or re.fullmatch(
        rb"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text
    ):
        return float(text)
    raise ValueError(s)


@register_kernel("StringToNumber")
def _to_number_kernel(op: Operation, session: Any) -> Any:
    dt = op._attrs["out_type"]

    def kernel(x: Any) -> Any:
        arr = _strings(x)
        out = np.empty(arr.shape, dtype=dt.as_numpy_dtype)
        for idx, s in np.ndenumerate(arr):
            try:
                out[idx] = _parse_number(s, dt)
            except (ValueError, OverflowError):
                raise InvalidArgumentError(
                    None, op, f"StringToNumberOp could not correctly convert string: "
                    f"{s.decode(errors='replace')}"
                ) from None  # fmt: skip
        return to_torch(out, dt)

    return kernel


def as_string(input: Any, precision: int = -1, scientific: bool = False,
              shortest: bool = False, width: int = -1, fill: str = "",
              name: str | None = None) -> Tensor:  # fmt: skip
    """Each element formatted as a string (``tf.strings.as_string``, printf rules as TF's).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.as_string([1.5, 2.0], precision=2)))
    [b'1.50' b'2.00']
    """
    scope = _scope(name, "AsString")
    x = convert_to_tensor(input, name=scope + "input/")
    if len(fill) > 1:
        raise ValueError(f"Fill string must be one or fewer characters: {fill}")
    if scientific and shortest:
        raise ValueError("Cannot select both scientific and shortest notation")
    attrs = {"T": x._dtype.base_dtype, "precision": int(precision), "scientific": bool(scientific),
             "shortest": bool(shortest), "width": int(width), "fill": fill}  # fmt: skip
    return make_op("AsString", (x,), attrs, scope, dtypes.string, x._shape)


@register_kernel("AsString")
def _as_string_kernel(op: Operation, session: Any) -> Any:
    a = op._attrs
    dt = a["T"]
    spec = "%"
    if a["fill"]:
        spec += a["fill"]
    if a["width"] > -1:
        spec += str(a["width"])
    if dt.is_floating or dt.is_complex:
        if a["precision"] > -1:
            spec += f".{a['precision']}"
        spec += "e" if a["scientific"] else "g" if a["shortest"] else "f"
    elif dt == dtypes.bool:
        spec = None  # type: ignore[assignment]
    else:
        spec += "d"

    def fmt(v: Any) -> bytes:
        if spec is None:
            return b"true" if v else b"false"
        if dt.is_complex:
            return f"({spec % v.real},{spec % v.imag})".encode()
        return (spec % v).encode()

    def kernel(x: Any) -> Any:
        arr = np.asarray(to_numpy(x))
        out = np.empty(arr.shape, dtype=object)
        for idx, v in np.ndenumerate(arr):
            out[idx] = fmt(v)
        return out

    return kernel


# --- substr / join / regex / base64 -----------------------------------------------------------


def substr(input: Any, pos: Any, len: Any, name: str | None = None,
           unit: str = "BYTE") -> Tensor:  # fmt: skip
    """``input[pos:pos + len]`` per element (``tf.strings.substr``; negative ``pos`` from end).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.substr(["hello", "world"], 1, 3)))
    [b'ell' b'orl']
    """
    scope = _scope(name, "Substr")
    x = _str_input(input, scope + "input/")
    p = convert_to_tensor(pos, preferred_dtype=dtypes.int32, name=scope + "pos/")
    n = convert_to_tensor(len, dtype=p._dtype.base_dtype, name=scope + "len/")
    attrs = {"T": p._dtype.base_dtype, "unit": unit}
    return make_op("Substr", (x, p, n), attrs, scope, dtypes.string, x._shape)


@register_kernel("Substr")
def _substr_kernel(op: Operation, session: Any) -> Any:
    utf8 = op._attrs["unit"] == "UTF8_CHAR"

    def kernel(x: Any, pos: torch.Tensor, length: torch.Tensor) -> Any:
        arr = _strings(x)
        p, n = np.asarray(to_numpy(pos)), np.asarray(to_numpy(length))
        arr_b, p_b, n_b = np.broadcast_arrays(arr, p, n)
        out = np.empty(arr_b.shape, dtype=object)
        for idx, s in np.ndenumerate(arr_b):
            seq: Any = s.decode("utf-8", errors="replace") if utf8 else s
            start, size = int(p_b[idx]), int(n_b[idx])
            total = _len(seq)
            if start < 0:
                start += total
            if not 0 <= start <= total:
                raise InvalidArgumentError(
                    None, op, f"pos {int(p_b[idx])} out of range for string b'"
                    f"{s.decode(errors='replace')}' at index {list(idx) if idx else 0}"
                )  # fmt: skip
            piece = seq[start : start + max(size, 0)]
            out[idx] = piece.encode() if utf8 else piece
        return out

    return kernel


def string_join(inputs: Any, separator: str = "", name: str | None = None) -> Tensor:
    """Element-wise concatenation with ``separator`` (``tf.strings.join``, scalars broadcast).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.string_join([["a", "b"], "x"], separator="-")))
    [b'a-x' b'b-x']
    """
    scope = _scope(name, "StringJoin")
    ts = [_str_input(t, scope + f"inputs_{k}/") for k, t in enumerate(inputs)]
    shape = next((t._shape for t in ts if t._shape.ndims != 0), TensorShape([]))
    attrs = {"N": len(ts), "separator": separator}
    return make_op("StringJoin", tuple(ts), attrs, scope, dtypes.string, shape)


@register_kernel("StringJoin")
def _join_kernel(op: Operation, session: Any) -> Any:
    sep = op._attrs["separator"].encode()

    def kernel(*xs: Any) -> Any:
        arrs = [_strings(x) for x in xs]
        shapes = {a.shape for a in arrs if a.ndim}
        if len(shapes) > 1:
            raise InvalidArgumentError(None, op, "Input shapes do not match: "
                                       + " vs. ".join(str(list(s)) for s in shapes))  # fmt: skip
        bs = np.broadcast_arrays(*arrs)
        out = np.empty(bs[0].shape, dtype=object)
        for idx in np.ndindex(*bs[0].shape):
            out[idx] = sep.join(b[idx] for b in bs)
        return out

    return kernel


def regex_replace(input: Any, pattern: Any, rewrite: Any, replace_global: bool = True,
                  name: str | None = None) -> Tensor:  # fmt: skip
    r"""Replaces matches of ``pattern`` with ``rewrite`` (``tf.strings.regex_replace``).

    ``rewrite`` uses RE2's ``\1`` group references (``\0`` is the whole match).

    Differences from TensorFlow: patterns are compiled by Python's ``re``, not RE2; the common
    syntax agrees, RE2-only syntax (POSIX classes such as ``[[:alpha:]]``, ``\pN``) raises
    ``InvalidArgumentError``, and Python-only syntax (backreferences, lookaround) that RE2 rejects
    is accepted.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.regex_replace(["a1b22"], "[0-9]+", "#")))
    [b'a#b#']
    """
    if isinstance(pattern, (str, bytes)) and isinstance(rewrite, (str, bytes)):
        # TF: Python-string pattern and rewrite make a ``StaticRegexReplace`` (compiled once)
        scope = _scope(name, "StaticRegexReplace")
        x = _str_input(input, scope + "input/")
        attrs = {"pattern": _text(pattern), "rewrite": _text(rewrite),
                 "replace_global": bool(replace_global)}  # fmt: skip
        return make_op("StaticRegexReplace", (x,), attrs, scope, dtypes.string, x._shape)
    scope = _scope(name, "RegexReplace")
    x = _str_input(input, scope + "input/")
    p = _str_input(pattern, scope + "pattern/")
    r = _str_input(rewrite, scope + "rewrite/")
    return make_op("RegexReplace", (x, p, r), {"replace_global": bool(replace_global)}, scope,
                   dtypes.string, x._shape)  # fmt: skip


def _text(v: str | bytes) -> str:
    return v.decode() if isinstance(v, bytes) else v


def _re2_rewrite(rewrite: bytes) -> Any:
    def repl(m: re.Match[bytes]) -> bytes:
        out = []
        k = 0
        while k < len(rewrite):
            c = rewrite[k : k + 1]
            if c == b"\\" and k + 1 < len(rewrite):
                nxt = rewrite[k + 1 : k + 2]
                if nxt.isdigit():
                    out.append(m.group(int(nxt)) or b"")
                else:
                    out.append(nxt)
                k += 2
                continue
            out.append(c)
            k += 1
        return b"".join(out)

    return repl


def _compile(op: Operation, pat: bytes) -> re.Pattern[bytes]:
    try:
        return re.compile(pat)
    except re.error as e:
        raise InvalidArgumentError(
            None, op, f"Invalid pattern: {pat.decode(errors='replace')}, error: {e}"
        ) from None


def _replace(arr: np.ndarray, rx: re.Pattern[bytes], repl: Any, count: int) -> np.ndarray:
    out = np.empty(arr.shape, dtype=object)
    for idx, s in np.ndenumerate(arr):
        out[idx] = rx.sub(repl, s, count=count)
    return out


@register_kernel("RegexReplace")
def _regex_kernel(op: Operation, session: Any) -> Any:
    count = 0 if op._attrs["replace_global"] else 1

    def kernel(x: Any, pattern: Any, rewrite: Any) -> Any:
        rx = _compile(op, bytes(_strings(pattern).item()))
        repl = _re2_rewrite(bytes(_strings(rewrite).item()))
        return _replace(_strings(x), rx, repl, count)

    return kernel


@register_kernel("StaticRegexReplace")
def _static_regex_kernel(op: Operation, session: Any) -> Any:
    a = op._attrs
    count = 0 if a["replace_global"] else 1
    rx = _compile(op, a["pattern"].encode())
    repl = _re2_rewrite(a["rewrite"].encode())
    return lambda x: _replace(_strings(x), rx, repl, count)


def decode_base64(input: Any, name: str | None = None) -> Tensor:
    """Decodes web-safe base64 (``-``/``_``; padding optional) (``tf.io.decode_base64``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.decode_base64("aGk")))
    b'hi'
    """
    scope = _scope(name, "DecodeBase64")
    x = _str_input(input, scope + "input/")
    return make_op("DecodeBase64", (x,), {}, scope, dtypes.string, x._shape)


def encode_base64(input: Any, pad: bool = False, name: str | None = None) -> Tensor:
    """Encodes as web-safe base64 (``tf.io.encode_base64``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.encode_base64("hi")))
    b'aGk'
    """
    scope = _scope(name, "EncodeBase64")
    x = _str_input(input, scope + "input/")
    return make_op("EncodeBase64", (x,), {"pad": bool(pad)}, scope, dtypes.string, x._shape)


@register_kernel("DecodeBase64")
def _b64decode_kernel(op: Operation, session: Any) -> Any:
    def kernel(x: Any) -> Any:
        arr = _strings(x)
        out = np.empty(arr.shape, dtype=object)
        for idx, s in np.ndenumerate(arr):
            body = s.rstrip(b"=")
            if len(body) % 4 == 1 or re.search(rb"[^A-Za-z0-9_-]", body):
                raise InvalidArgumentError(None, op, f"Invalid character found in base64: "
                                           f"{s.decode(errors='replace')}")  # fmt: skip
            try:
                out[idx] = base64.urlsafe_b64decode(body + b"=" * (-len(body) % 4))
            except binascii.Error as e:
                raise InvalidArgumentError(None, op, f"Invalid base64: {e}") from None
        return out

    return kernel


@register_kernel("EncodeBase64")
def _b64encode_kernel(op: Operation, session: Any) -> Any:
    pad = op._attrs["pad"]

    def kernel(x: Any) -> Any:
        arr = _strings(x)
        out = np.empty(arr.shape, dtype=object)
        for idx, s in np.ndenumerate(arr):
            enc = base64.urlsafe_b64encode(s)
            out[idx] = enc if pad else enc.rstrip(b"=")
        return out

    return kernel


# --- split -------------------------------------------------------------------------------------


def _split_op(op_type: str, ins: tuple[Tensor, ...], attrs: dict[str, Any], scope: str | None
              ) -> SparseTensor:  # fmt: skip
    op = make_multi_op(op_type, ins, attrs, scope, (dtypes.int64, dtypes.string, dtypes.int64),
                       (TensorShape([None, 2]), _VEC, TensorShape([2])))  # fmt: skip
    return SparseTensor(op._outputs[0], op._outputs[1], op._outputs[2])


def string_split(
    source: Any,
    sep: Any = None,
    skip_empty: bool = True,
    delimiter: Any = None,
    result_type: str = "SparseTensor",
    name: str | None = None,
) -> SparseTensor:
    """Splits each string of a vector at any of ``sep``'s characters (``tf.string_split``).

    ``delimiter`` is TF's older name of ``sep`` (default ``" "``); an empty ``sep`` splits into
    single bytes. The result is a ``SparseTensor`` of shape ``[len(source), max tokens]`` (op
    ``StringSplit``).

    Raises:
        UnsupportedError: ``result_type="RaggedTensor"`` (scopeflow has no ragged tensors).

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.string_split(["a b", "c"])
    >>> print(tf.Session().run(sp.values))
    [b'a' b'b' b'c']
    """
    if sep is not None and delimiter is not None:
        raise ValueError("Cannot specify both 'sep' and 'delimiter'.")
    if result_type != "SparseTensor":
        from scopeflow.errors import UnsupportedError  # noqa: PLC0415

        raise UnsupportedError(f"string_split(result_type={result_type!r})")
    d_value = " " if sep is None and delimiter is None else (sep if sep is not None else delimiter)
    with get_default_graph().name_scope(name or "StringSplit"):
        x = convert_to_tensor(source, dtype=dtypes.string)
        if x._shape.ndims not in (None, 1):
            raise ValueError(f"Shape must be rank 1 but is rank {x._shape.ndims}")
        d = convert_to_tensor(d_value, dtype=dtypes.string)
        return _split_op("StringSplit", (x, d), {"skip_empty": bool(skip_empty)}, None)


def string_split_v2(source: Any, sep: Any = None, maxsplit: int = -1,
                    name: str | None = None) -> SparseTensor:  # fmt: skip
    """Splits like Python's ``bytes.split(sep, maxsplit)`` (``tf.strings.split``, TF1 form).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(string_split_v2(["a,,b"], sep=",").values))
    [b'a' b'' b'b']
    """
    scope = _scope(name, "StringSplit")
    x = _str_input(source, scope + "input/")
    d = _str_input("" if sep is None else sep, scope + "sep/")
    return _split_op("StringSplitV2", (x, d), {"maxsplit": int(maxsplit)}, scope)


def _sparse(rows: list[list[bytes]]) -> tuple[Any, Any, Any]:
    idx = [[r, c] for r, toks in enumerate(rows) for c in range(len(toks))]
    vals = np.empty(len(idx), dtype=object)
    vals[:] = [t for toks in rows for t in toks]
    width = max((len(t) for t in rows), default=0)
    return (
        torch.tensor(idx, dtype=torch.int64).reshape(-1, 2),
        vals,
        torch.tensor([len(rows), width], dtype=torch.int64),
    )


@register_kernel("StringSplit")
def _split_kernel(op: Operation, session: Any) -> Any:
    skip = op._attrs["skip_empty"]

    def kernel(x: Any, delim: Any) -> Any:
        arr = _strings(x)
        if arr.ndim != 1:
            raise InvalidArgumentError(None, op, f"input must be a vector, got shape: "
                                       f"{list(arr.shape)}")  # fmt: skip
        d = bytes(_strings(delim).item())
        rows = []
        for s in arr:
            if not s:
                toks = []  # TF: an empty string has no tokens, even with skip_empty=False
            elif not d:
                toks = [s[k : k + 1] for k in range(len(s))]
            else:
                toks = re.split(b"[" + re.escape(d) + b"]", s)
            if skip:
                toks = [t for t in toks if t]
            rows.append(toks)
        return _sparse(rows)

    return kernel


@register_kernel("StringSplitV2")
def _split_v2_kernel(op: Operation, session: Any) -> Any:
    maxsplit = op._attrs["maxsplit"]

    def kernel(x: Any, sep: Any) -> Any:
        arr = _strings(x)
        if arr.ndim != 1:
            raise InvalidArgumentError(None, op, f"input must be a vector, got shape: "
                                       f"{list(arr.shape)}")  # fmt: skip
        d = bytes(_strings(sep).item())
        rows = [s.split(d or None, maxsplit) for s in arr]
        return _sparse(rows)

    return kernel


__all__ = [
    "as_string",
    "decode_base64",
    "encode_base64",
    "regex_replace",
    "string_join",
    "string_length",
    "string_split",
    "string_split_v2",
    "string_to_number",
    "substr",
]
