"""``tf.decode_csv`` / ``tf.io.decode_csv``: CSV records to typed columns (op ``DecodeCSV``).

As TF 1.15: each ``record_defaults[i]`` is a constant ``DecodeCSV/record_defaults_<i>`` (a
one-element tensor, or an empty one for a required column) whose dtype is the column's
(``int32``, ``int64``, ``float32``, ``float64``, ``string``); every output has the shape of
``records``. The kernel follows TF's parser: a field starting with ``"`` (when
``use_quote_delim``) is quoted, ``""`` inside it is one quote, and it must end with a quote
followed by the delimiter or the record's end; an unquoted field may not contain a quote; a
trailing delimiter adds an empty last field. An empty field or one equal to ``na_value`` takes
the default (an error for a required column); numbers are parsed as TF's ``safe_strto*``
(surrounding whitespace allowed, base 10 integers with range checks). ``select_cols`` keeps
only those (increasing) columns. Errors are TF's ``InvalidArgumentError`` texts.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph._torch_dtypes import to_torch
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _scope, name_scope
from scopeflow.ops._op_builder import make_multi_op
from scopeflow.ops.string_ops import _strings

_TYPES = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64, dtypes.string)
_C = {"int32": "int32", "int64": "int64", "float32": "float", "float64": "double"}


def decode_csv(records: Any, record_defaults: Any, field_delim: str = ",",
               use_quote_delim: bool = True, name: str | None = None, na_value: str = "",
               select_cols: Any = None) -> list[Tensor]:  # fmt: skip
    """Parses CSV ``records`` into one tensor per column (``tf.decode_csv``).

    >>> import scopeflow.compat.v1 as tf
    >>> a, b = tf.decode_csv(["1,x", "2,"], [[0], ["d"]])
    >>> print(a.name, tf.Session().run(b))
    DecodeCSV:0 [b'x' b'd']
    """
    if select_cols is not None:
        select_cols = [int(c) for c in select_cols]
        if any(select_cols[i] >= select_cols[i + 1] for i in range(len(select_cols) - 1)):
            raise ValueError("select_cols is not strictly increasing.")
        if select_cols and select_cols[0] < 0:
            raise ValueError("select_cols contains negative values.")
        if len(select_cols) != len(record_defaults):
            raise ValueError("Length of select_cols and record_defaults do not match.")
    scope = _scope(name, "DecodeCSV")
    recs = convert_to_tensor(records, dtype=dtypes.string)
    defaults = []
    with name_scope(scope):
        for i, d in enumerate(record_defaults):
            t = convert_to_tensor(d, name=f"record_defaults_{i}")
            if t._dtype.base_dtype not in _TYPES:
                raise TypeError(f"Value passed to parameter 'record_defaults' has DataType "
                                f"{t._dtype.base_dtype.name} not in list of allowed values: "
                                f"float32, float64, int32, int64, string")  # fmt: skip
            defaults.append(t)
    out_types = tuple(t._dtype.base_dtype for t in defaults)
    attrs = {"OUT_TYPE": out_types, "field_delim": field_delim,
             "use_quote_delim": bool(use_quote_delim), "na_value": na_value,
             "select_cols": list(select_cols or [])}  # fmt: skip
    if len(field_delim) != 1:
        raise ValueError("field_delim should be only 1 char")
    op = make_multi_op("DecodeCSV", (recs, *defaults), attrs, scope, out_types,
                       [recs._shape] * len(defaults))  # fmt: skip
    return list(op.outputs)


def _split_fields(op: Operation, rec: bytes, delim: int, quote: bool, r: int) -> list[bytes]:
    fields: list[bytes] = []
    i, n = 0, len(rec)
    if n == 0:
        return [b""]
    while i < n:
        if quote and rec[i] == ord('"'):
            buf = bytearray()
            i += 1
            while True:
                if i >= n:
                    raise InvalidArgumentError(
                        None, op, "Quoted field has to end with quote followed by delim or end"
                    )  # fmt: skip
                c = rec[i]
                if c == ord('"'):
                    if i + 1 < n and rec[i + 1] == ord('"'):
                        buf.append(c)
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(c)
                i += 1
            if i < n and rec[i] != delim:
                raise InvalidArgumentError(
                    None, op, "Quote inside a string has to be escaped by another quote"
                )  # fmt: skip
            fields.append(bytes(buf))
        else:
            j = rec.find(bytes([delim]), i)
            j = n if j < 0 else j
            field = rec[i:j]
            if quote and (b'"' in field or b"\n" in field or b"\r" in field):
                raise InvalidArgumentError(
                    None, op, "Unquoted fields cannot have quotes/CRLFs inside"
                )
            fields.append(field)
            i = j
        if i < n:  # at a delimiter
            i += 1
            if i == n:
                fields.append(b"")
    return fields


def _parse(op: Operation, s: bytes, dt: dtypes.DType, col: int, r: int) -> Any:
    text = s.strip()
    try:
        if dt.is_integer:
            if not text or not (text.lstrip(b"+-").isdigit()):
                raise ValueError
            v = int(text)
            bits = 31 if dt == dtypes.int32 else 63
            if not -(2**bits) <= v < 2**bits:
                raise ValueError
            return v
        f = float(text)
        if dt == dtypes.float32 and abs(f) > float(np.finfo(np.float32).max) and np.isfinite(f):
            raise ValueError
        return f
    except ValueError:
        raise InvalidArgumentError(
            None, op, f"Field {col} in record {r} is not a valid {_C[dt.name]}: "
            f"{s.decode('utf-8', 'replace')}"
        ) from None  # fmt: skip


@register_kernel("DecodeCSV")
def _decode_csv_kernel(op: Operation, session: Any) -> Any:
    a = op._attrs
    types = a["OUT_TYPE"]
    delim = ord(a["field_delim"])
    quote = a["use_quote_delim"]
    na = a["na_value"].encode() if isinstance(a["na_value"], str) else a["na_value"]
    select = a["select_cols"]

    def kernel(records: Any, *defaults: Any) -> Any:
        recs = _strings(records)
        flat = recs.reshape(-1)
        dflt = []
        for i, (d, dt) in enumerate(zip(defaults, types, strict=True)):
            arr = _strings(d) if dt == dtypes.string else np.asarray(d.cpu().numpy())
            if arr.size > 1:
                raise InvalidArgumentError(
                    None, op, f"record_defaults[{i}] must be a single value."
                )  # fmt: skip
            dflt.append(arr.reshape(-1))
        cols: list[list[Any]] = [[] for _ in types]
        for r, rec in enumerate(flat):
            fields = _split_fields(op, bytes(rec), delim, quote, r)
            if select:
                if len(fields) <= select[-1]:
                    found = sum(c < len(fields) for c in select)
                    raise InvalidArgumentError(
                        None, op, f"Expect {len(select)} fields but have {found} in record {r}"
                    )
                fields = [fields[c] for c in select]
            elif len(fields) != len(types):
                raise InvalidArgumentError(
                    None, op, f"Expect {len(types)} fields but have {len(fields)} in record {r}"
                )
            for c, (f, dt) in enumerate(zip(fields, types, strict=True)):
                if not f or f == na:
                    if dflt[c].size == 0:
                        raise InvalidArgumentError(
                            None, op, f"Field {c} is required but missing in record {r}!"
                        )
                    cols[c].append(dflt[c][0])
                elif dt == dtypes.string:
                    cols[c].append(f)
                else:
                    cols[c].append(_parse(op, f, dt, c, r))
        outs = []
        for c, dt in enumerate(types):
            if dt == dtypes.string:
                arr = np.empty(len(flat), dtype=object)
                arr[:] = cols[c]
            else:
                arr = np.asarray(cols[c], dtype=dt.as_numpy_dtype)
            outs.append(to_torch(arr.reshape(recs.shape), dt))
        return tuple(outs) if len(outs) > 1 else outs[0]

    return kernel


__all__ = ["decode_csv"]
