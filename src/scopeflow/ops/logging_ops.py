"""``tf.Print`` and ``tf.print``: printing tensor values when the graph runs.

``tf.Print(input_, data, message)`` is an identity op (``Print``) that writes ``message`` and each
tensor of ``data`` summarized as TF 1.x does (``[[1 2][3...]...]``, first ``summarize``
elements) to stderr, for the first ``first_n`` runs. ``tf.print(*inputs)`` returns a
``PrintV2`` op (it runs only when fetched or used as a control dependency) that prints TF 2's
format (numpy-like, first and last ``summarize`` elements per dimension) to ``output_stream``:
``sys.stderr`` (default), ``sys.stdout`` or ``"file://<path>"`` (appended). Floats print as TF's
``LegacyPrecision`` (``%.6g`` if it round-trips in float32, else ``%.9g``; 15/17 digits for
float64). Streams are looked up when the op runs, so redirections of ``sys.stdout`` apply.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import pprint
import sys
from pathlib import Path
from typing import Any

import numpy as np

from scopeflow.errors import UnsupportedError
from scopeflow.graph._torch_dtypes import to_numpy
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops import nest


def _fmt_float(x: float, digits: int, np_type: Any) -> str:
    if np.isnan(x):
        return "nan"
    if np.isinf(x):
        return "inf" if x > 0 else "-inf"
    s = f"{x:.{digits}g}"
    if np_type(float(s)) == np_type(x):
        return s
    return f"{x:.{digits + 3 if digits == 6 else digits + 2}g}"


def _element(v: Any, kind: str, v2: bool) -> str:
    if kind == "f4":
        return _fmt_float(float(v), 6, np.float32)
    if kind == "f8":
        return _fmt_float(float(v), 15, np.float64)
    if kind == "b":
        return "1" if v else "0"
    if kind == "s":
        b = v if isinstance(v, bytes) else str(v).encode()
        text = b.decode("utf-8", "backslashreplace").encode("unicode_escape").decode("ascii")
        text = text.replace('"', '\\"')
        return f'"{text}"' if v2 else _c_escape(b)
    return str(v)


def _kind(arr: Any) -> str:
    if arr.dtype == object or arr.dtype.char in "SU":
        return "s"
    if arr.dtype == np.bool_:
        return "b"
    if arr.dtype.kind == "f":
        return "f8" if arr.dtype == np.float64 else "f4"
    return "i"


def summarize_v1(value: Any, summarize: int) -> str:
    """TF 1.x ``Tensor::SummarizeValue`` (``tf.Print``)."""
    arr = np.asarray(value)
    kind = _kind(arr)
    flat = arr.reshape(-1)
    n = flat.size
    limit = n if summarize < 0 else min(summarize, n)
    out: list[str] = []
    if arr.ndim == 0:
        out.extend(_element(flat[i], kind, False) for i in range(limit))
        return "".join(out)
    shape = arr.shape
    idx = 0

    def one_dim(d: int) -> None:
        nonlocal idx
        if idx >= limit:
            return
        if d == len(shape) - 1:
            for i in range(shape[d]):
                if idx >= limit:
                    if d != 0:
                        out.append("...")
                    return
                if i > 0:
                    out.append(" ")
                out.append(_element(flat[idx], kind, False))
                idx += 1
            return
        for _ in range(shape[d]):
            flag = False
            if idx < limit:
                out.append("[")
                flag = True
            one_dim(d + 1)
            if idx < limit or flag:
                out.append("]")

    one_dim(0)
    if n > limit:
        out.append("...")
    return "".join(out)


def summarize_v2(value: Any, summarize: int) -> str:
    """TF 2's ``SummarizeValue(print_v2=true)`` (``tf.print``)."""
    arr = np.asarray(value)
    kind = _kind(arr)
    flat = arr.reshape(-1)
    n = flat.size
    limit = n if summarize < 0 else min(summarize, n)
    if arr.ndim == 0:
        return "".join(_element(flat[i], kind, True) for i in range(limit))
    shape = arr.shape
    nd = len(shape)
    out: list[str] = []

    def spacing(d: int) -> None:
        if d == nd - 1:
            out.append(" ")
            return
        out.append("\n" * (nd - d - 1) + " " * (d + 1))

    def one_dim(d: int, start: int) -> None:
        if d == nd:
            out.append(_element(flat[start], kind, True))
            return
        out.append("[")
        count = shape[d]
        start_of_end = max(limit, count - limit)
        per = int(np.prod(shape[d + 1 :], dtype=np.int64))
        for i in range(min(limit, count)):
            if i > 0:
                spacing(d)
            one_dim(d + 1, start + per * i)
        if count > 2 * limit:
            spacing(d)
            out.append("...")
        for i in range(start_of_end, count):
            spacing(d)
            one_dim(d + 1, start + per * i)
        out.append("]")

    one_dim(0, 0)
    return "".join(out)


# --- tf.Print -----------------------------------------------------------------------------------


def Print(input_: Any, data: Any, message: str | None = None, first_n: int | None = None,
          summarize: int | None = None, name: str | None = None) -> Tensor:  # fmt: skip
    """``input_``, printing ``message`` and the values of ``data`` to stderr when evaluated.

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.constant([1.0, 2.0])
    >>> print(tf.Print(x, [x], "x: ").name)
    Print:0
    """
    g = get_default_graph()
    with g.name_scope(name or "Print") as scope:
        x = convert_to_tensor(input_, name="input")
        ts = [convert_to_tensor(d, name=f"data_{i}") for i, d in enumerate(data or [])]
    base = x._dtype.base_dtype
    attrs = {
        "T": base,
        "U": tuple(t._dtype.base_dtype for t in ts),
        "message": message or "",
        "first_n": -1 if first_n is None else int(first_n),
        "summarize": 3 if summarize is None else int(summarize),
    }
    return g._create_op("Print", (x, *ts), attrs, scope, (base,), (x._shape,))._outputs[0]


@register_kernel("Print", stateful=True, aliases_input=True)
def _print_kernel(op: Operation, session: Any) -> Any:
    msg = op._attrs["message"]
    first_n = op._attrs["first_n"]
    summ = op._attrs["summarize"]
    counter = session._op_state_for(op, lambda: [0])

    def kernel(x: Any, *data: Any) -> Any:
        if first_n >= 0:
            if counter[0] >= first_n:
                return x
            counter[0] += 1
        text = msg + "".join(f"[{summarize_v1(to_numpy(d), summ)}]" for d in data)
        sys.stderr.write(text + "\n")
        return x

    return kernel


# --- tf.print -----------------------------------------------------------------------------------


def _stream_name(stream: Any) -> str:
    if stream is sys.stderr:
        return "stderr"
    if stream is sys.stdout:
        return "stdout"
    if isinstance(stream, str) and stream.startswith("file://"):
        return stream
    raise UnsupportedError(f"tf.print(output_stream={stream!r})",
                           "Use sys.stdout, sys.stderr or 'file://<path>'.")  # fmt: skip


def _placeholder_for(template: str) -> str:
    ph = "{}"
    k = 0
    while ph in template:
        ph = "{" + "_" * (k + 1) + "}"
        k += 1
    return ph


def print_v2(*inputs: Any, **kwargs: Any) -> Operation:
    r"""``tf.print``: an op that prints ``inputs`` (tensors and Python values) when run.

    Keyword arguments: ``output_stream``, ``summarize`` (3; -1 prints everything), ``sep``
    (``" "``), ``end`` (``"\\n"``), ``name``.
    """
    output_stream = kwargs.pop("output_stream", sys.stderr)
    summarize = kwargs.pop("summarize", 3)
    sep = kwargs.pop("sep", " ")
    end = kwargs.pop("end", "\n")
    name = kwargs.pop("name", None)
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments for tf.print: {kwargs}")
    stream = _stream_name(output_stream)

    def is_t(x: Any) -> bool:
        return isinstance(x, Tensor) or hasattr(x, "_as_tensor")

    free = nest.map_structure(lambda x: "" if is_t(x) else x, list(inputs))
    ph = _placeholder_for(" ".join(pprint.pformat(x) for x in free))
    templates: list[str] = []
    tensors: list[Tensor] = []
    for inp in inputs:
        parts = []
        for x in nest.flatten(inp):
            if is_t(x):
                parts.append(ph)
                tensors.append(convert_to_tensor(x))
            else:
                parts.append(x)
        if isinstance(inp, str):
            templates.append(inp)
        else:
            templates.append(pprint.pformat(nest.pack_sequence_as(inp, parts)))
    template = sep.join(templates).replace("'" + ph + "'", ph)
    g = get_default_graph()
    g.unique_name("StringFormat")
    attrs = {
        "template": template,
        "placeholder": ph,
        "summarize": -1 if summarize is None else int(summarize),
        "output_stream": stream,
        "end": end,
    }
    return g._create_op("PrintV2", tensors, attrs, name or "PrintV2", (), ())


@register_kernel("PrintV2", stateful=True)
def _print_v2_kernel(op: Operation, session: Any) -> Any:
    a = op._attrs
    pieces = a["template"].split(a["placeholder"])
    summ, stream, end = a["summarize"], a["output_stream"], a["end"]
    if summ is not None and summ < -1:
        summ = 3

    def kernel(*vals: Any) -> None:
        out = [pieces[0]]
        for v, piece in zip(vals, pieces[1:], strict=True):
            out.append(summarize_v2(to_numpy(v), summ))
            out.append(piece)
        text = "".join(out) + end
        if stream == "stderr":
            sys.stderr.write(text)
        elif stream == "stdout":
            sys.stdout.write(text)
        else:
            with Path(stream[len("file://") :]).open("a", encoding="utf-8") as f:
                f.write(text)

    return kernel


# --- tf.Assert ----------------------------------------------------------------------------------


def Assert(condition: Any, data: Any, summarize: int | None = None,
           name: str | None = None) -> Operation:  # fmt: skip
    """An op that raises ``InvalidArgumentError`` when ``condition`` is false (``tf.Assert``).

    The message is ``assertion failed: `` followed by each ``data`` entry in brackets, as TF
    formats it (strings verbatim, tensors summarized to ``summarize`` entries).

    >>> import scopeflow.compat.v1 as tf
    >>> op = tf.Assert(tf.constant(True), ["never shown"])
    >>> print(op.name, op.type)
    Assert/Assert Assert
    """
    from scopeflow._core import dtypes  # noqa: PLC0415

    g = get_default_graph()
    with g.name_scope(name or "Assert"):
        cond = convert_to_tensor(condition, name="condition")
        if cond._dtype.base_dtype != dtypes.bool:
            raise TypeError(
                f"Input 'condition' of 'Assert' Op has type {cond._dtype.base_dtype.name} that "
                "does not match expected type of bool."
            )
        # TF converts the data once (``convert_n_to_tensor``: Consts for Python values) before
        # its ``_assert`` call converts them again as ``Assert/data_i``.
        for d in data or []:
            convert_to_tensor(d)
        with g.name_scope("Assert") as inner:
            ts = [convert_to_tensor(d, name=f"data_{i}") for i, d in enumerate(data or [])]
            attrs = {
                "T": tuple(t._dtype.base_dtype for t in ts),
                "summarize": 3 if summarize is None else int(summarize),
            }
            return g._create_op("Assert", (cond, *ts), attrs, inner, (), ())


_C_ESCAPES = {10: "\\n", 13: "\\r", 9: "\\t", 34: '\\"', 39: "\\'", 92: "\\\\"}


def _c_escape(v: Any) -> str:
    """A string datum as TF's Assert kernel prints it (``absl::Utf8SafeCEscape``)."""
    b = v if isinstance(v, bytes) else str(v).encode()
    out = bytearray()
    for c in b:
        esc = _C_ESCAPES.get(c)
        if esc is None and (c < 32 or c == 127):
            esc = f"\\{c:03o}"
        out += esc.encode() if esc is not None else bytes([c])
    return out.decode("utf-8", "backslashreplace")


@register_kernel("Assert", stateful=True)
def _assert_kernel(op: Operation, session: Any) -> Any:
    from scopeflow.errors import InvalidArgumentError  # noqa: PLC0415

    summ = op._attrs["summarize"]

    def fmt(d: Any) -> str:
        arr = to_numpy(d)
        if isinstance(arr, (bytes, str)):
            return _c_escape(arr)
        if arr.dtype.kind in "SO" and arr.ndim == 0:
            return _c_escape(arr.item())
        return summarize_v1(arr, summ)

    def kernel(cond: Any, *data: Any) -> None:
        if not bool(cond):
            text = "assertion failed: " + " ".join(f"[{fmt(d)}]" for d in data)
            raise InvalidArgumentError(None, op, text)

    return kernel


__all__ = ["Assert", "Print", "print_v2", "summarize_v1", "summarize_v2"]
