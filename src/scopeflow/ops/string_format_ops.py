"""``tf.strings.format`` (op ``StringFormat``) and ``tf.strings.unsorted_segment_join``.

As TF 1.15: ``format`` fills each ``placeholder`` of ``template`` with a tensor summarized as
``tf.print`` does (``summarize`` entries at each end of every dimension, ``-1`` for all; strings
quoted), into a scalar string; ``unsorted_segment_join`` (op ``UnsortedSegmentJoin``) joins the
strings of ``inputs`` with equal ``segment_ids`` (in input order, ``separator`` between them) into
``[num_segments] + inputs.shape[segment_ids.rank:]`` strings; an id outside
``[0, num_segments)`` is TF's run-time ``InvalidArgumentError``.

Differences from TensorFlow: the placeholder-count ``ValueError`` has TF 1.15's wording (TF 2
rewrote it).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph._torch_dtypes import to_numpy
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _check_allowed, _scope
from scopeflow.ops._op_builder import make_op
from scopeflow.ops.logging_ops import summarize_v2


def format(template: str, inputs: Any, placeholder: str = "{}", summarize: int = 3,
           name: str | None = None) -> Tensor:  # fmt: skip
    """A scalar string: ``template`` with each ``placeholder`` replaced by a tensor's summary.

    >>> import scopeflow.compat.v1 as tf
    >>> s = tf.strings.format("x={} y={}", [tf.constant([1, 2]), tf.constant(2.5)])
    >>> s.name, tf.Session().run(s)
    ('StringFormat:0', b'x=[1 2] y=2.5')
    """
    if isinstance(inputs, Tensor):
        inputs = [inputs]
    count = template.count(placeholder)
    if count != len(inputs):
        raise ValueError(
            f"{count} placeholder(s) in template does not match {len(inputs)} tensor(s) "
            "provided as input"
        )
    scope = _scope(name, "StringFormat")
    ts = [convert_to_tensor(x, name=f"{scope}inputs_{i}/") for i, x in enumerate(inputs)]
    attrs = {
        "T": tuple(t._dtype.base_dtype for t in ts),
        "placeholder": placeholder,
        "summarize": int(summarize),
        "template": template,
    }
    return make_op("StringFormat", ts, attrs, scope, dtypes.string, TensorShape([]))


@register_kernel("StringFormat")
def _string_format_kernel(op: Operation, session: Any) -> Any:
    pieces = op._attrs["template"].split(op._attrs["placeholder"])
    summ = op._attrs["summarize"]

    def kernel(*vals: Any) -> Any:
        out = [pieces[0]]
        for v, piece in zip(vals, pieces[1:], strict=True):
            out.append(summarize_v2(to_numpy(v), summ))
            out.append(piece)
        return np.array("".join(out).encode(), dtype=object)

    return kernel


def unsorted_segment_join(inputs: Any, segment_ids: Any, num_segments: Any, separator: str = "",
                          name: str | None = None) -> Tensor:  # fmt: skip
    """Joins the strings of ``inputs`` that share a segment id (op ``UnsortedSegmentJoin``).

    >>> import scopeflow.compat.v1 as tf
    >>> j = tf.strings.unsorted_segment_join(["a", "b", "c"], [1, 0, 1], 2, separator="+")
    >>> tf.Session().run(j).tolist()
    [b'b', b'a+c']
    """
    scope = _scope(name, "UnsortedSegmentJoin")
    x = convert_to_tensor(inputs, dtype=dtypes.string, name=scope + "inputs/")
    ids = convert_to_tensor(segment_ids, name=scope + "segment_ids/")
    _check_allowed(ids, (dtypes.int32, dtypes.int64), "segment_ids")
    num = convert_to_tensor(num_segments, name=scope + "num_segments/")
    _check_allowed(num, (dtypes.int32, dtypes.int64), "num_segments")
    n_val = num._const
    head: list[int | None] = [None if n_val is None else int(np.asarray(n_val))]
    if x._shape.ndims is None or ids._shape.ndims is None:
        out = TensorShape(None)
    else:
        out = TensorShape(head + x._shape.as_list()[ids._shape.ndims :])
    attrs = {
        "Tindices": ids._dtype.base_dtype,
        "Tnumsegments": num._dtype.base_dtype,
        "separator": separator,
    }
    return make_op("UnsortedSegmentJoin", (x, ids, num), attrs, scope, dtypes.string, out)


def _as_bytes(v: Any) -> bytes:
    return v if isinstance(v, bytes) else str(v).encode()


@register_kernel("UnsortedSegmentJoin")
def _unsorted_segment_join_kernel(op: Operation, session: Any) -> Any:
    sep = op._attrs["separator"].encode()

    def kernel(x: Any, ids: Any, num: Any) -> Any:
        arr = np.asarray(to_numpy(x), dtype=object)
        seg = np.asarray(to_numpy(ids)).astype(np.int64)
        n = int(np.asarray(to_numpy(num)))
        if arr.shape[: seg.ndim] != seg.shape:
            raise InvalidArgumentError(
                None, op, "segment_ids.shape = "
                f"[{','.join(map(str, seg.shape))}] does not match data.shape = "
                f"[{','.join(map(str, arr.shape))}]"
            )  # fmt: skip
        inner = arr.shape[seg.ndim :]
        width = int(np.prod(inner, dtype=np.int64))
        rows = arr.reshape(-1, width)
        parts: list[list[Any]] = [[] for _ in range(n)]
        for i, s in enumerate(seg.reshape(-1).tolist()):
            if not 0 <= s < n:
                raise InvalidArgumentError(
                    None, op, "segment_ids are not allowed to exceed num_segments or to have "
                    "negative values."
                )  # fmt: skip
            parts[s].append(rows[i])
        out = np.empty((n, width), dtype=object)
        for s in range(n):
            for k in range(width):
                out[s, k] = sep.join(_as_bytes(r[k]) for r in parts[s])
        return out.reshape((n, *inner))

    return kernel


__all__ = ["format", "unsorted_segment_join"]
