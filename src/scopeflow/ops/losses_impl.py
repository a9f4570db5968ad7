"""``tf.losses.get_regularization_loss(es)``: the ``REGULARIZATION_LOSSES`` collection.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import math_ops
from scopeflow.ops._op_builder import make_op
from scopeflow.ops.constant_op import constant


def get_regularization_losses(scope: str | None = None) -> list[Any]:
    """The regularization losses (filtered by ``re.match(scope, name)``)."""
    return get_default_graph().get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def add_n(inputs: list[Any], name: str | None = None) -> Tensor:
    """Sums a list of tensors of the same shape and dtype (``tf.add_n``, op ``AddN``)."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype and shape")
    scope = math_ops._scope(name, "AddN")
    ts = [convert_to_tensor(x, name=f"{scope}inputs_{i}/") for i, x in enumerate(inputs)]
    if len(ts) == 1:
        from scopeflow.ops.array_ops import identity  # noqa: PLC0415

        return identity(ts[0], name=scope)
    shape = ts[0]._shape
    for t in ts[1:]:
        if t._dtype.base_dtype != ts[0]._dtype.base_dtype:
            raise TypeError(
                "Tensors in list passed to 'inputs' of 'AddN' Op have types "
                f"[{', '.join(x._dtype.base_dtype.name for x in ts)}] that don't all match."
            )
        shape = shape.merge_with(t._shape)
    return make_op("AddN", ts, {"N": len(ts), "T": ts[0]._dtype.base_dtype}, scope,
                   ts[0]._dtype.base_dtype, shape)  # fmt: skip


def get_regularization_loss(scope: str | None = None, name: str = "total_regularization_loss"
                            ) -> Tensor:  # fmt: skip
    """The sum of the regularization losses, or ``0.0`` if there are none."""
    losses = get_regularization_losses(scope)
    if losses:
        return add_n(losses, name=name)
    return constant(0.0)


@register_kernel("AddN")
def _add_n_kernel(op: Any, session: Any) -> Any:
    def add_all(*xs: Any) -> Any:
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out

    return add_all


__all__ = ["add_n", "get_regularization_loss", "get_regularization_losses"]
