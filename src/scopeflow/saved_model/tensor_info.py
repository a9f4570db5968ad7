"""``tf.saved_model.utils``: ``TensorInfo`` protos for tensors, and tensors back from them.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.graph.graph import get_default_graph
from scopeflow.graph_io.tensor_proto import shape_proto
from scopeflow.ops.sparse_ops import SparseTensor


def _shape_proto(tensor: Any) -> Any:
    shape = tensor.get_shape()
    return shape_proto(None if shape.ndims is None else shape.as_list())


def build_tensor_info(tensor: Any) -> Any:
    """A ``TensorInfo`` proto (name, dtype, shape) for a Tensor or SparseTensor.

    A SparseTensor is described by the names of its three component tensors (``coo_sparse``).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 3], name="x")
    >>> info = build_tensor_info(x)
    >>> print(info.name, info.dtype == tf.float32.as_datatype_enum, info.tensor_shape.dim[1].size)
    x:0 True 3
    """
    from scopeflow.protos import meta_graph_pb2  # noqa: PLC0415  (protobuf is lazy)

    info = meta_graph_pb2.TensorInfo(
        dtype=tensor.dtype.base_dtype.as_datatype_enum, tensor_shape=_shape_proto(tensor)
    )
    if isinstance(tensor, SparseTensor):
        info.coo_sparse.values_tensor_name = tensor.values.name
        info.coo_sparse.indices_tensor_name = tensor.indices.name
        info.coo_sparse.dense_shape_tensor_name = tensor.dense_shape.name
    else:
        info.name = tensor.name
    return info


def build_tensor_info_from_op(op: Any) -> Any:
    """A ``TensorInfo`` naming an op (``DT_INVALID``, unknown shape): how TF records init ops."""
    from scopeflow.protos import meta_graph_pb2  # noqa: PLC0415

    return meta_graph_pb2.TensorInfo(dtype=0, tensor_shape=shape_proto(None), name=op.name)


def prepend_name_scope(name: str, import_scope: str | None) -> str:
    """``name`` under ``import_scope`` (``^`` of a control input kept in front), as TF's."""
    if not import_scope:
        return name
    if name.startswith("^"):
        return f"^{import_scope}/{name[1:]}"
    return f"{import_scope}/{name}"


def get_tensor_from_tensor_info(
    tensor_info: Any, graph: Any = None, import_scope: str | None = None
) -> Any:
    """The Tensor (or SparseTensor) of ``graph`` that ``tensor_info`` describes.

    Raises:
        KeyError: no such tensor in ``graph``.
        ValueError: ``tensor_info`` has no (supported) encoding.

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [2], name="x")
    >>> get_tensor_from_tensor_info(build_tensor_info(x)).name
    'x:0'
    """
    graph = graph or get_default_graph()

    def get(name: str) -> Any:
        return graph.get_tensor_by_name(prepend_name_scope(name, import_scope))

    encoding = tensor_info.WhichOneof("encoding")
    if encoding == "name":
        return get(tensor_info.name)
    if encoding == "coo_sparse":
        sp = tensor_info.coo_sparse
        return SparseTensor(
            get(sp.indices_tensor_name), get(sp.values_tensor_name), get(sp.dense_shape_tensor_name)
        )
    raise ValueError(
        f"Invalid TensorInfo.encoding: {encoding}. Expected `coo_sparse` or `name` for a dense "
        "tensor."
    )


def get_element_from_tensor_info(
    tensor_info: Any, graph: Any = None, import_scope: str | None = None
) -> Any:
    """The op or tensor of ``graph`` named by ``tensor_info`` (KeyError if none)."""
    graph = graph or get_default_graph()
    return graph.as_graph_element(prepend_name_scope(tensor_info.name, import_scope))


__all__ = [
    "build_tensor_info",
    "build_tensor_info_from_op",
    "get_element_from_tensor_info",
    "get_tensor_from_tensor_info",
    "prepend_name_scope",
]
