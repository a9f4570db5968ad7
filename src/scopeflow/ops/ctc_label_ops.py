"""``tf.nn.collapse_repeated`` and ``tf.nn.ctc_unique_labels``: CTC label helpers, as in TF.

Both are composites in TF and here, op for op, so their graphs carry TF's op types and names:

* ``collapse_repeated(labels, seq_length)`` (scope ``collapse_repeated_labels``): each run of
  equal labels within a sequence's length becomes one label, the rows are left-aligned and
  zero-padded to the longest new length, and the new lengths are returned in
  ``seq_length``'s dtype. ``[[A, A, B, B, A], [A, B, C, D, E]] -> [[A, B, A, 0, 0], [A, B, C,
  D, E]]``.
* ``ctc_unique_labels(labels)`` (scope ``ctc_unique_labels``): per row, ``tf.unique``'s values
  zero-padded to the row length (``int64``) and the index of each label among them
  (``int32``), through ``map_fn``.

Differences from TensorFlow: for constant ``labels`` and ``seq_length`` TF's C++ shape
inference evaluates the ``reduce_max`` of the new lengths and gives ``collapse_repeated``'s
first result a known width; here that width stays unknown (``?``). Values are TF's.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.ops.array_ops import concat, ones_like, reshape, shape
from scopeflow.ops.creation_ops import range as _range
from scopeflow.ops.creation_ops import sequence_mask
from scopeflow.ops.functional_ops import map_fn
from scopeflow.ops.gather_scatter_ops import boolean_mask, scatter_nd, unique
from scopeflow.ops.math_ops import cast, logical_and, not_equal
from scopeflow.ops.reduction_ops import reduce_max, reduce_sum
from scopeflow.ops.shape_ops import expand_dims, pad


def _dim(t: Any, i: int) -> Any:
    """``t``'s static dimension ``i`` when known (and non-zero), else its dynamic size (TF's)."""
    return t.shape[i].value or shape(t)[i]


def collapse_repeated(labels: Any, seq_length: Any, name: str | None = None) -> tuple[Any, Any]:
    """Merges repeated labels: ``(collapsed_labels, new_seq_length)``.

    >>> import scopeflow.compat.v1 as tf
    >>> labels, lengths = tf.nn.collapse_repeated([[1, 1, 2, 2, 1], [1, 2, 3, 4, 5]], [5, 4])
    >>> with tf.Session() as sess:
    ...     print(*sess.run([labels, lengths]))
    [[1 2 1 0]
     [1 2 3 4]] [3 4]
    """
    with name_scope(name, "collapse_repeated_labels", [labels, seq_length]):
        labels = convert_to_tensor(labels, name="labels")
        seq_length = convert_to_tensor(seq_length, name="seq_length")
        label_mask = concat(
            [
                ones_like(labels[:, :1], dtypes.bool),
                not_equal(labels[:, 1:], labels[:, :-1]),
            ],
            axis=1,
        )
        seq_mask = sequence_mask(seq_length, maxlen=_dim(labels, 1))
        label_mask = logical_and(label_mask, seq_mask)
        new_seq_len = reduce_sum(cast(label_mask, dtypes.int32), axis=1)
        new_maxlen = reduce_max(new_seq_len)
        idx_mask = sequence_mask(new_seq_len, maxlen=new_maxlen)
        flat_labels = reshape(labels, [-1])
        flat_label_mask = reshape(label_mask, [-1])
        flat_idx_mask = reshape(idx_mask, [-1])
        idx = _range(_dim(flat_idx_mask, 0))
        flat = scatter_nd(
            indices=expand_dims(boolean_mask(idx, flat_idx_mask), axis=1),
            updates=boolean_mask(flat_labels, flat_label_mask),
            shape=shape(flat_idx_mask),
        )
        new_shape = [_dim(labels, 0), new_maxlen]
        return reshape(flat, new_shape), cast(new_seq_len, seq_length.dtype)


def ctc_unique_labels(labels: Any, name: str | None = None) -> Any:
    """Per row, the unique labels (zero-padded, ``int64``) and each label's index among them.

    >>> import scopeflow.compat.v1 as tf
    >>> unique_labels, idx = tf.nn.ctc_unique_labels([[3, 4, 4, 3]])
    >>> with tf.Session() as sess:
    ...     print(*sess.run([unique_labels, idx]))
    [[3 4 0 0]] [[0 1 1 0]]
    """
    with name_scope(name, "ctc_unique_labels", [labels]):
        labels = convert_to_tensor(labels, name="labels")

        def _unique(x: Any) -> list[Any]:
            u = unique(x)
            y = pad(u.y, [[0, _dim(u.idx, 0) - _dim(u.y, 0)]])
            return [cast(y, dtypes.int64), u.idx]

        return map_fn(_unique, labels, dtype=[dtypes.int64, dtypes.int32])


__all__ = ["collapse_repeated", "ctc_unique_labels"]
