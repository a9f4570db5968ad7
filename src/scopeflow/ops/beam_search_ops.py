"""TF's ``GatherTree`` op (``tf.contrib.seq2seq.gather_tree``): beam-search backtracking.

For each batch entry and beam, walks ``parent_ids`` back from the entry's last step
(``min(max_time, max_sequence_lengths[b]) - 1``), collecting ``step_ids``; positions past the
length are ``end_token``, and everything after the first ``end_token`` becomes ``end_token``
(TF's kernel, which also repairs broken trees this way).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor


def gather_tree(step_ids: Any, parent_ids: Any, max_sequence_lengths: Any, end_token: Any,
                name: str | None = None) -> Tensor:  # fmt: skip
    """Full beams from per-step ids and parent pointers (op ``GatherTree``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.seq2seq import gather_tree
    >>> ids = tf.constant([[[2, 3]], [[4, 5]], [[6, 7]]])
    >>> parents = tf.constant([[[0, 0]], [[1, 0]], [[1, 0]]])
    >>> with tf.Session() as sess:
    ...     print(sess.run(gather_tree(ids, parents, [3], 9))[:, 0].tolist())
    [[2, 3], [5, 4], [6, 7]]
    """
    g = get_default_graph()
    with g.name_scope(name or "GatherTree"):
        s = convert_to_tensor(step_ids, name="step_ids")
        p = convert_to_tensor(parent_ids, dtype=s.dtype, name="parent_ids")
        m = convert_to_tensor(max_sequence_lengths, name="max_sequence_lengths")
        e = convert_to_tensor(end_token, dtype=s.dtype, name="end_token")
    s.shape.with_rank(3)
    p.shape.with_rank(3).assert_is_compatible_with(s.shape)
    m.shape.with_rank(1)
    e.shape.with_rank(0)
    op = g._create_op("GatherTree", (s, p, m, e), {"T": s.dtype.base_dtype}, name or "GatherTree",
                      (s.dtype.base_dtype,), (s.shape,))  # fmt: skip
    return op._outputs[0]


@register_kernel("GatherTree")
def _gather_tree_kernel(op: Operation, session: Any) -> Any:
    def kernel(step_ids: Any, parent_ids: Any, lengths: Any, end_token: Any) -> Any:
        ids = step_ids.cpu().numpy()
        par = parent_ids.cpu().numpy()
        lens = lengths.cpu().numpy()
        end = int(end_token)
        max_time, batch, beam_width = ids.shape
        out = np.full_like(ids, end)
        for b in range(batch):
            n = min(max_time, int(lens[b]))
            if n <= 0:
                continue
            for k in range(beam_width):
                out[n - 1, b, k] = ids[n - 1, b, k]
                parent = par[n - 1, b, k]
                for level in range(n - 2, -1, -1):
                    if parent < 0 or parent > beam_width:
                        where = f"(batch, time, beam) == ({b}, {level}, {k})"
                        raise InvalidArgumentError(
                            None, op, f"Saw invalid parent id {parent} at {where}"
                        )
                    out[level, b, k] = ids[level, b, parent]
                    parent = par[level, b, parent]
                finished = False
                for t in range(n):
                    if finished:
                        out[t, b, k] = end
                    elif out[t, b, k] == end:
                        finished = True
        return torch.from_numpy(out)

    return kernel


__all__ = ["gather_tree"]
