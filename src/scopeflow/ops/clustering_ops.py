"""``NearestNeighbors``: each point's ``k`` nearest centers by squared Euclidean distance.

TF 1.15's op from ``contrib/factorization`` (``gen_clustering_ops.nearest_neighbors``): inputs
``points`` ``[n, d]`` and ``centers`` ``[m, d]`` float32 and ``k`` int64; outputs the int64
indices ``[n, min(k, m)]`` and float32 distances. As in TF's kernel, a distance is computed as
``2 * (|p|^2 / 2 + (|c|^2 / 2 - <p, c>))`` (not clamped at 0) and ties keep the lower center
index. ``KmeansPlusPlusInitialization`` and ``KMC2ChainInitialization`` (C++ samplers on TF's
``SimplePhilox``) are not built: ``tf.contrib.factorization.KMeans`` rejects those initial
cluster methods.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _check_allowed, _scope
from scopeflow.ops._op_builder import UNKNOWN, make_multi_op


def nearest_neighbors(points: Any, centers: Any, k: Any, name: str | None = None
                      ) -> tuple[Tensor, Tensor]:  # fmt: skip
    """The indices and squared distances of each point's ``k`` nearest centers.

    >>> import scopeflow.compat.v1 as tf
    >>> idx, dist = nearest_neighbors([[0.0, 0.0], [3.0, 1.0]], [[1.0, 0.0], [3.0, 0.0]], 1)
    >>> print(tf.Session().run([idx, dist]))
    [array([[0],
           [1]]), array([[1.],
           [1.]], dtype=float32)]
    """
    scope = _scope(name, "NearestNeighbors")
    p = convert_to_tensor(points, dtypes.float32, name=scope + "points/")
    c = convert_to_tensor(centers, dtypes.float32, name=scope + "centers/")
    kt = convert_to_tensor(k, dtypes.int64, name=scope + "k/")
    for t, arg in ((p, "points"), (c, "centers")):
        _check_allowed(t, (dtypes.float32,), arg)
    _check_allowed(kt, (dtypes.int64,), "k")
    op = make_multi_op("NearestNeighbors", (p, c, kt), {}, scope,
                       (dtypes.int64, dtypes.float32), (UNKNOWN, UNKNOWN))  # fmt: skip
    return op._outputs[0], op._outputs[1]


@register_kernel("NearestNeighbors")
def _nearest_neighbors_kernel(op: Operation, session: Any) -> Any:
    def kernel(
        points: torch.Tensor, centers: torch.Tensor, k: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        if points.dim() != 2:
            raise InvalidArgumentError(None, op, "Input points should be a matrix.")
        if centers.dim() != 2:
            raise InvalidArgumentError(None, op, "Input centers should be a matrix.")
        if k.dim() != 0:
            raise InvalidArgumentError(None, op, "Input k should be a scalar.")
        if points.shape[0] == 0:
            raise InvalidArgumentError(None, op, "Expected points.rows() > 0.")
        if points.shape[1] != centers.shape[1]:
            raise InvalidArgumentError(
                None,
                op,
                "Expected point_dimensions == center_dimensions: "
                f"{points.shape[1]} vs {centers.shape[1]}.",
            )
        kv = int(k)
        if kv < 0:
            raise InvalidArgumentError(None, op, "Expected k >= 0.")
        kv = min(kv, centers.shape[0])
        partial = 0.5 * (centers * centers).sum(1) - points @ centers.T
        # stable sort: equal partial distances keep the lower center index (TF's order)
        values, indices = torch.sort(partial, dim=1, stable=True)
        half_norm = 0.5 * (points * points).sum(1, keepdim=True)
        distances = 2.0 * (half_norm + values[:, :kv])
        return indices[:, :kv].to(torch.int64), distances

    return kernel


__all__ = ["nearest_neighbors"]
