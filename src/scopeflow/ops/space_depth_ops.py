"""``tf.depth_to_space`` and ``tf.space_to_depth`` (NHWC), TF's ``DepthToSpace``/``SpaceToDepth``.

Differences from TensorFlow: only ``data_format="NHWC"`` (TF's CPU kernels support nothing else
either); other formats raise ``UnsupportedError``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._math_common import _scope, dt_enum, node_desc, shape_list
from scopeflow.ops._op_builder import UNKNOWN, make_op


def _build(op_type: str, input: Any, block_size: int, data_format: str, name: str | None
           ) -> Tensor:  # fmt: skip
    if data_format != "NHWC":
        raise UnsupportedError(f"{op_type} with data_format={data_format!r}", "Use NHWC.")
    scope = _scope(name, op_type)
    x = convert_to_tensor(input, name=scope + "input/")
    b = int(block_size)
    dt = x._dtype.base_dtype
    desc = node_desc(scope, op_type, f'T={dt_enum(dt)}, block_size={b}, data_format="NHWC"', [x])
    if b < 2:
        raise ValueError(f"Value for attr 'block_size' of {b} must be at least minimum 2")
    out = UNKNOWN
    if x._shape.dims is not None:
        dims = x._shape.as_list()
        if len(dims) != 4:
            raise ValueError(f"Shape must be rank 4 but is rank {len(dims)} for {desc} with "
                             f"input shapes: {shape_list(x)}.")  # fmt: skip
        n, h, w, c = dims
        if op_type == "DepthToSpace":
            if c is not None and c % (b * b):
                raise ValueError(f"Dimension size must be evenly divisible by {b * b} but is {c} "
                                 f"for {desc} with input shapes: {shape_list(x)}.")  # fmt: skip
            out = TensorShape([n, None if h is None else h * b, None if w is None else w * b,
                               None if c is None else c // (b * b)])  # fmt: skip
        else:
            for d in (h, w):
                if d is not None and d % b:
                    raise ValueError(f"Dimension size must be evenly divisible by {b} but is {d} "
                                     f"for {desc} with input shapes: {shape_list(x)}.")  # fmt: skip
            out = TensorShape([n, None if h is None else h // b, None if w is None else w // b,
                               None if c is None else c * b * b])  # fmt: skip
    return make_op(op_type, (x,), {"T": dt, "block_size": b, "data_format": "NHWC"}, scope, dt, out)


def depth_to_space(input: Any, block_size: int, name: str | None = None,
                   data_format: str = "NHWC") -> Tensor:  # fmt: skip
    """Moves ``block_size**2`` channel blocks into spatial blocks (``tf.depth_to_space``)."""
    return _build("DepthToSpace", input, block_size, data_format, name)


def space_to_depth(input: Any, block_size: int, name: str | None = None,
                   data_format: str = "NHWC") -> Tensor:  # fmt: skip
    """Moves spatial ``block_size`` blocks into channels (``tf.space_to_depth``)."""
    return _build("SpaceToDepth", input, block_size, data_format, name)


@register_kernel("DepthToSpace")
def _d2s_kernel(op: Any, session: Any) -> Any:
    b = op._attrs["block_size"]

    def kernel(x: torch.Tensor) -> torch.Tensor:
        n, h, w, c = x.shape
        y = x.reshape(n, h, w, b, b, c // (b * b)).permute(0, 1, 3, 2, 4, 5)
        return y.reshape(n, h * b, w * b, c // (b * b))

    return kernel


@register_kernel("SpaceToDepth")
def _s2d_kernel(op: Any, session: Any) -> Any:
    b = op._attrs["block_size"]

    def kernel(x: torch.Tensor) -> torch.Tensor:
        n, h, w, c = x.shape
        y = x.reshape(n, h // b, b, w // b, b, c).permute(0, 1, 3, 2, 4, 5)
        return y.reshape(n, h // b, w // b, c * b * b)

    return kernel


__all__ = ["depth_to_space", "space_to_depth"]
