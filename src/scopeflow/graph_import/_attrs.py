"""``AttrValue`` protos as the Python values scopeflow's op wrappers take.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import UnsupportedError
from scopeflow.graph_io.tensor_proto import tensor_value


def shape_value(proto: Any) -> TensorShape:
    """A ``TensorShapeProto`` as a ``TensorShape`` (``-1`` dims unknown)."""
    if proto.unknown_rank:
        return TensorShape(None)
    return TensorShape([None if d.size < 0 else d.size for d in proto.dim])


def attr_value(av: Any, where: str) -> Any:
    """The Python value of one ``AttrValue`` (strings decoded as UTF-8 when they are text)."""
    kind = av.WhichOneof("value")
    if kind == "type":
        return _dtype(av.type, where)
    if kind == "shape":
        return shape_value(av.shape)
    if kind == "tensor":
        return tensor_value(av.tensor, where)
    if kind == "s":
        try:
            return av.s.decode()
        except UnicodeDecodeError:
            return av.s
    if kind in ("i", "f", "b"):
        return getattr(av, kind)
    if kind == "list":
        lst = av.list
        for field in ("s", "i", "f", "b", "type", "shape", "tensor"):
            values = getattr(lst, field)
            if len(values):
                if field == "type":
                    return [_dtype(v, where) for v in values]
                if field == "shape":
                    return [shape_value(v) for v in values]
                if field == "tensor":
                    return [tensor_value(v, where) for v in values]
                if field == "s":
                    return [v.decode(errors="replace") for v in values]
                return list(values)
        return []
    if kind is None:
        return None
    raise UnsupportedError(f"the attr kind {kind!r} ({where})")


def _dtype(enum: int, where: str) -> dtypes.DType:
    try:
        return dtypes.as_dtype(enum)
    except (TypeError, ValueError, KeyError):
        raise ValueError(f"Invalid dtype enum {enum} in {where}") from None


__all__ = ["attr_value", "shape_value"]
