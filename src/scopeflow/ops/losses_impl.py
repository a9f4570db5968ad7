"""``tf.losses.get_regularization_loss(es)``: the ``REGULARIZATION_LOSSES`` collection.

``add_n`` lives in ``matmul_ops`` (re-exported here for existing importers).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops.constant_op import constant
from scopeflow.ops.matmul_ops import add_n


def get_regularization_losses(scope: str | None = None) -> list[Any]:
    """The regularization losses (filtered by ``re.match(scope, name)``)."""
    return get_default_graph().get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope: str | None = None, name: str = "total_regularization_loss"
                            ) -> Tensor:  # fmt: skip
    """The sum of the regularization losses, or ``0.0`` if there are none."""
    losses = get_regularization_losses(scope)
    if losses:
        return add_n(losses, name=name)
    return constant(0.0)


__all__ = ["add_n", "get_regularization_loss", "get_regularization_losses"]
