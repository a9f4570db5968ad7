"""Import builders for the ``tf.nn`` ops added with the TF 1.15 API fill-in (``LRN``).

Same contract as ``_builders``: ``builder(inputs, attrs, name)`` with ``name`` ending in ``/``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.ops import lrn_ops

APIB_BUILDERS: dict[str, Any] = {
    "LRN": lambda i, a, n: lrn_ops.local_response_normalization(
        i[0],
        depth_radius=a.get("depth_radius", 5),
        bias=a.get("bias", 1.0),
        alpha=a.get("alpha", 1.0),
        beta=a.get("beta", 0.5),
        name=n,
    ),
}

__all__ = ["APIB_BUILDERS"]
