"""``tf.strings.split`` (TF1 form: a ``SparseTensor`` from op ``StringSplitV2``).

As TF 1.15's ``tf.strings.split(input, sep=None, maxsplit=-1, result_type="SparseTensor")``:
inside a ``StringSplit`` name scope an op ``StringSplitV2`` splits each string of a vector like
Python's ``bytes.split(sep, maxsplit)`` (``sep=None``: runs of whitespace, empty tokens
dropped); the result has dense shape ``[len(input), max tokens]``. ``source`` is the older name
of ``input``.

Differences from TensorFlow: ``result_type="RaggedTensor"`` and inputs of rank other than 1
(TF splits them through ragged tensors) raise ``UnsupportedError``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops._math_common import _scope
from scopeflow.ops.sparse_ops import SparseTensor
from scopeflow.ops.string_ops import _split_op


def split(input: Any = None, sep: Any = None, maxsplit: int = -1,
          result_type: str = "SparseTensor", source: Any = None,
          name: str | None = None) -> SparseTensor:  # fmt: skip
    """Splits each string of a vector at ``sep`` (``tf.strings.split``, TF1 signature).

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.strings.split(["a,,b", "c"], sep=",")
    >>> print(sp.indices.name, tf.Session().run(sp.values))
    StringSplit/StringSplitV2:0 [b'a' b'' b'b' b'c']
    """
    if input is not None and source is not None:
        raise ValueError("Cannot specify both 'input' and 'source'.")
    if input is None:
        input = source
    if result_type != "SparseTensor":
        raise UnsupportedError(f"tf.strings.split(result_type={result_type!r})")
    scope = _scope(name, "StringSplit")
    with get_default_graph().name_scope(scope):
        x = convert_to_tensor(input, dtype=dtypes.string)
        if x._shape.ndims not in (None, 1):
            raise UnsupportedError(f"tf.strings.split of a rank-{x._shape.ndims} input")
        d = convert_to_tensor("" if sep is None else sep, dtype=dtypes.string)
        return _split_op("StringSplitV2", (x, d), {"maxsplit": int(maxsplit)}, "StringSplitV2")


__all__ = ["split"]
