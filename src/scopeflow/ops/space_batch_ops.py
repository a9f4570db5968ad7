"""Space-to-batch rearrangements and image patches.

``SpaceToBatchND``, ``BatchToSpaceND``, ``required_space_to_batch_paddings`` and
``ExtractImagePatches``.

``SpaceToBatchND(input, block_shape, paddings)`` zero-pads the ``M`` spatial dims after the
batch and moves ``block_shape`` blocks of them into the batch (batch index ``(i_1..i_M, b)``,
block position major); ``BatchToSpaceND`` is its inverse followed by cropping.
``ExtractImagePatches`` gathers ``ksizes`` patches (with ``rates`` dilation, TF's ``SAME``
padding) into the depth, ordered (row, column, channel). Kernels are torch reshapes and
``unfold``, so gradients flow to the input.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _check_allowed, _scope, name_scope
from scopeflow.ops._op_builder import UNKNOWN, make_op
from scopeflow.ops._shape_inference import node_error
from scopeflow.ops.array_ops import stack, zeros

_INDEX = (dtypes.int32, dtypes.int64)


def _const(t: Tensor) -> np.ndarray | None:
    return None if t._const is None else np.asarray(t._const).astype(np.int64)


def _space_batch(op_type: str, input: Any, block_shape: Any, pads: Any, pad_arg: str,
                 name: str | None) -> Tensor:  # fmt: skip
    scope = _scope(name, op_type)
    x = convert_to_tensor(input, name=scope + "input/")
    b = convert_to_tensor(block_shape, name=scope + "block_shape/", preferred_dtype=dtypes.int32)
    p = convert_to_tensor(pads, name=scope + pad_arg + "/", preferred_dtype=dtypes.int32)
    _check_allowed(b, _INDEX, "block_shape")
    _check_allowed(p, _INDEX, pad_arg)
    tp = "Tpaddings" if pad_arg == "paddings" else "Tcrops"
    attrs = {"T": x._dtype.base_dtype, "Tblock_shape": b._dtype.base_dtype, tp: p._dtype.base_dtype}
    bv, pv = _const(b), _const(p)
    out = UNKNOWN
    if x._shape.ndims is not None and bv is not None and pv is not None:
        dims = x._shape.as_list()
        m = bv.size
        pv = pv.reshape(m, 2)
        prod = int(np.prod(bv))
        new = list(dims)
        for i in range(m):
            d = dims[1 + i]
            if d is None:
                continue
            if op_type == "SpaceToBatchND":
                full = d + int(pv[i, 0]) + int(pv[i, 1])
                if full % int(bv[i]):
                    err = node_error(
                        f"Dimension size must be evenly divisible by {int(bv[i])} but is {full}",
                        scope, op_type, attrs, (x, b, p),
                    )  # fmt: skip
                    rows = "".join("[" + " ".join(str(int(v)) for v in row) + "]" for row in pv)
                    blocks = " ".join(str(int(v)) for v in bv)
                    raise ValueError(
                        f"{str(err)[:-1]} and with computed input tensors: input[1] = <{blocks}>, "
                        f"input[2] = <{rows}>."
                    )
                new[1 + i] = full // int(bv[i])
            else:
                new[1 + i] = d * int(bv[i]) - int(pv[i, 0]) - int(pv[i, 1])
        if dims[0] is not None:
            new[0] = dims[0] * prod if op_type == "SpaceToBatchND" else dims[0] // prod
        out = TensorShape(new)
    elif x._shape.ndims is not None:
        # unknown block or paddings: the dims after the block dims keep their sizes (TF's rule)
        dims = x._shape.as_list()
        nblock = b._shape.as_list()[0] if b._shape.ndims == 1 else None
        out = TensorShape([None] * x._shape.ndims if nblock is None else
                          [None] * (1 + nblock) + dims[1 + nblock :])  # fmt: skip
    return make_op(op_type, (x, b, p), attrs, scope, x._dtype.base_dtype, out)


def space_to_batch_nd(input: Any, block_shape: Any, paddings: Any,
                      name: str | None = None) -> Tensor:  # fmt: skip
    """Moves ``block_shape`` blocks of the padded spatial dims into the batch (``SpaceToBatchND``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.space_to_batch_nd(tf.zeros([1, 4, 4, 3]), [2, 2], [[0, 0], [0, 0]]).shape)
    (4, 2, 2, 3)
    """
    return _space_batch("SpaceToBatchND", input, block_shape, paddings, "paddings", name)


def batch_to_space_nd(input: Any, block_shape: Any, crops: Any, name: str | None = None) -> Tensor:
    """The inverse of ``space_to_batch_nd``, then ``crops`` (op ``BatchToSpaceND``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.batch_to_space_nd(tf.zeros([4, 2, 2, 3]), [2, 2], [[0, 0], [0, 1]]).shape)
    (1, 4, 3, 3)
    """
    return _space_batch("BatchToSpaceND", input, block_shape, crops, "crops", name)


def space_to_batch(input: Any, paddings: Any, block_size: Any = None, name: str | None = None,
                   block_shape: Any = None) -> Tensor:  # fmt: skip
    """4-D ``space_to_batch_nd`` with a square ``block_size`` (TF1 ``tf.space_to_batch``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.space_to_batch(tf.zeros([1, 4, 4, 1]), [[0, 0], [0, 0]], 2).shape)
    (4, 2, 2, 1)
    """
    size = block_size if block_size is not None else block_shape
    out = space_to_batch_nd(input, np.array([size, size], np.int64), paddings, name=name)
    out._shape = out._shape.with_rank(4)
    return out


def batch_to_space(input: Any, crops: Any, block_size: Any, name: str | None = None,
                   block_shape: Any = None) -> Tensor:  # fmt: skip
    """4-D ``batch_to_space_nd`` with a square ``block_size`` (TF1 ``tf.batch_to_space``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.batch_to_space(tf.zeros([4, 2, 2, 1]), [[0, 0], [0, 0]], 2).shape)
    (1, 4, 4, 1)
    """
    size = block_size if block_size is not None else block_shape
    return batch_to_space_nd(input, np.array([size, size], np.int64), crops, name=name)


@register_kernel("SpaceToBatchND")
def _space_to_batch_kernel(op: Operation, session: Any) -> Any:
    def kernel(x: torch.Tensor, block: torch.Tensor, pads: torch.Tensor) -> torch.Tensor:
        bs = [int(v) for v in block.reshape(-1)]
        m = len(bs)
        pv = [int(v) for v in pads.reshape(-1)]
        if any(v < 0 for v in pv) or any(v < 1 for v in bs):
            raise InvalidArgumentError(None, op, "Negative paddings or block sizes are invalid")
        pad_arg: list[int] = []
        for i in reversed(range(m)):
            pad_arg += [pv[2 * i], pv[2 * i + 1]]
        rest = x.dim() - 1 - m
        y = F.pad(x, [0, 0] * rest + pad_arg) if any(pv) else x
        n = y.shape[0]
        shp: list[int] = [n]
        for i in range(m):
            d = y.shape[1 + i]
            if d % bs[i]:
                raise InvalidArgumentError(
                    None, op, f"padded_shape[{i}]={d} is not divisible by block_shape[{i}]={bs[i]}"
                )  # fmt: skip
            shp += [d // bs[i], bs[i]]
        tail = list(y.shape[1 + m :])
        y = y.reshape(*shp, *tail)
        perm = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)]
        perm += list(range(1 + 2 * m, 1 + 2 * m + len(tail)))
        y = y.permute(*perm)
        return y.reshape(n * int(np.prod(bs)), *[shp[1 + 2 * i] for i in range(m)], *tail)

    return kernel


@register_kernel("BatchToSpaceND")
def _batch_to_space_kernel(op: Operation, session: Any) -> Any:
    def kernel(x: torch.Tensor, block: torch.Tensor, crops: torch.Tensor) -> torch.Tensor:
        bs = [int(v) for v in block.reshape(-1)]
        m = len(bs)
        cv = [int(v) for v in crops.reshape(-1)]
        prod = int(np.prod(bs))
        if x.shape[0] % prod:
            raise InvalidArgumentError(
                None, op, f"Input batch dimension ({x.shape[0]}) is not divisible by product of "
                f"block sizes ({prod})"
            )  # fmt: skip
        n = x.shape[0] // prod
        sp = list(x.shape[1 : 1 + m])
        tail = list(x.shape[1 + m :])
        y = x.reshape(*bs, n, *sp, *tail)
        perm = [m]
        for i in range(m):
            perm += [m + 1 + i, i]
        perm += list(range(1 + 2 * m, 1 + 2 * m + len(tail)))
        y = y.permute(*perm).reshape(n, *[sp[i] * bs[i] for i in range(m)], *tail)
        idx: list[slice] = [slice(None)]
        for i in range(m):
            idx.append(slice(cv[2 * i], sp[i] * bs[i] - cv[2 * i + 1]))
        return y[tuple(idx)]

    return kernel


def required_space_to_batch_paddings(input_shape: Any, block_shape: Any, base_paddings: Any = None,
                                     name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """The paddings and crops that make ``input_shape`` divisible by ``block_shape``.

    >>> import scopeflow.compat.v1 as tf
    >>> p, c = tf.required_space_to_batch_paddings([5, 7], [2, 3])
    >>> print(tf.Session().run(p).tolist(), tf.Session().run(c).tolist())
    [[0, 1], [0, 2]] [[0, 1], [0, 2]]
    """
    scope = _scope(name, "required_space_to_batch_paddings")
    with name_scope(scope):
        shp = convert_to_tensor(input_shape, dtype=dtypes.int32, name="input_shape")
        blk = convert_to_tensor(block_shape, dtype=dtypes.int32, name="block_shape")
        if blk._shape.ndims != 1 or not blk._shape.is_fully_defined():
            raise ValueError(f"Shape {blk._shape} is not fully defined")
        m = int(blk._shape.as_list()[0])  # type: ignore[arg-type]  # fully defined above
        if m == 0:
            return zeros([0, 2], dtypes.int32), zeros([0, 2], dtypes.int32)
        if base_paddings is not None:
            base = convert_to_tensor(base_paddings, dtype=dtypes.int32, name="base_paddings")
        else:
            base = zeros([m, 2], dtypes.int32)
        cb, cs, cp = _const(blk), _const(shp), _const(base)
        if cb is None or cs is None or cp is None:
            pad_start: Any = base[:, 0]
            orig_end: Any = base[:, 1]
            full = shp + pad_start + orig_end
            extra: Any = (blk - full % blk) % blk
            end: Any = orig_end + extra
            b_s: Any = blk
        else:
            pad_start, orig_end, b_s = cp[:, 0], cp[:, 1], cb
            extra = (b_s - (cs + pad_start + orig_end) % b_s) % b_s
            end = orig_end + extra
        paddings = stack([[_i32(pad_start[i]), _i32(end[i])] for i in range(m)], name="paddings")
        crops = stack([[_i32(0), _i32(extra[i])] for i in range(m)], name="crops")
        del b_s
        return paddings, crops


def _i32(v: Any) -> Any:
    return v if isinstance(v, Tensor) else np.int32(v)


# --- ExtractImagePatches --------------------------------------------------------------------------


def _four(v: Any, arg: str) -> list[int]:
    out = [int(x) for x in v]
    if len(out) != 4 or out[0] != 1 or out[3] != 1:
        raise ValueError(
            f"{arg} must be a list of 4 ints with 1 in the first and last position, got {out}"
        )
    return out


def _out_size(d: int | None, k: int, s: int, r: int, padding: str) -> int | None:
    if d is None:
        return None
    eff = (k - 1) * r + 1
    return (d - eff + s) // s if padding == "VALID" else (d + s - 1) // s


def extract_image_patches(images: Any, ksizes: Any = None, strides: Any = None, rates: Any = None,
                          padding: Any = None, name: str | None = None,
                          sizes: Any = None) -> Tensor:  # fmt: skip
    """``ksizes`` patches of NHWC ``images`` stacked into the depth (op ``ExtractImagePatches``).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.zeros([1, 4, 4, 2])
    >>> print(tf.extract_image_patches(x, [1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID").shape)
    (1, 2, 2, 8)
    """
    k = _four(ksizes if ksizes is not None else sizes, "ksizes")
    s = _four(strides, "strides")
    r = _four(rates, "rates")
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"padding must be SAME or VALID, got {padding!r}")
    scope = _scope(name, "ExtractImagePatches")
    x = convert_to_tensor(images, name=scope + "images/")
    attrs = {"T": x._dtype.base_dtype, "ksizes": k, "strides": s, "rates": r, "padding": padding}
    out = UNKNOWN
    if x._shape.ndims is not None:
        if x._shape.ndims != 4:
            raise node_error(f"Shape must be rank 4 but is rank {x._shape.ndims}", scope,
                             "ExtractImagePatches", attrs, (x,))  # fmt: skip
        n, h, w, c = x._shape.as_list()
        out = TensorShape([n, _out_size(h, k[1], s[1], r[1], padding),
                           _out_size(w, k[2], s[2], r[2], padding),
                           None if c is None else c * k[1] * k[2]])  # fmt: skip
    return make_op("ExtractImagePatches", (x,), attrs, scope, x._dtype.base_dtype, out)


@register_kernel("ExtractImagePatches")
def _extract_patches_kernel(op: Operation, session: Any) -> Any:
    a = op._attrs
    k, s, r, padding = a["ksizes"], a["strides"], a["rates"], a["padding"]

    def kernel(x: torch.Tensor) -> torch.Tensor:
        n, h, w, c = x.shape
        oh = _out_size(h, k[1], s[1], r[1], padding)
        ow = _out_size(w, k[2], s[2], r[2], padding)
        assert oh is not None
        assert ow is not None
        y = x.permute(0, 3, 1, 2)
        if padding == "SAME":
            ph = max((oh - 1) * s[1] + (k[1] - 1) * r[1] + 1 - h, 0)
            pw = max((ow - 1) * s[2] + (k[2] - 1) * r[2] + 1 - w, 0)
            y = F.pad(y, [pw // 2, pw - pw // 2, ph // 2, ph - ph // 2])
        if not y.is_floating_point():
            raise InvalidArgumentError(None, op, f"ExtractImagePatches of {x.dtype} is unsupported")
        cols = F.unfold(y, (k[1], k[2]), dilation=(r[1], r[2]), stride=(s[1], s[2]))
        cols = cols.reshape(n, c, k[1] * k[2], oh, ow).permute(0, 3, 4, 2, 1)
        return cols.reshape(n, oh, ow, k[1] * k[2] * c)

    return kernel


def extract_volume_patches(input: Any, ksizes: Any, strides: Any, padding: Any,
                           name: str | None = None) -> Tensor:  # fmt: skip
    """``ksizes`` patches of NDHWC ``input`` stacked into the depth (op ``ExtractVolumePatches``).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.zeros([1, 4, 4, 4, 1])
    >>> k = [1, 2, 2, 2, 1]
    >>> print(tf.extract_volume_patches(x, k, k, "VALID").shape)
    (1, 2, 2, 2, 8)
    """
    k = [int(v) for v in ksizes]
    s = [int(v) for v in strides]
    for arg, v in (("ksizes", k), ("strides", s)):
        if len(v) != 5 or v[0] != 1 or v[4] != 1:
            raise ValueError(
                f"{arg} must be a list of 5 ints with 1 in the first and last position, got {v}"
            )
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"padding must be SAME or VALID, got {padding!r}")
    scope = _scope(name, "ExtractVolumePatches")
    x = convert_to_tensor(input, name=scope + "input/")
    attrs = {"T": x._dtype.base_dtype, "ksizes": k, "strides": s, "padding": padding}
    out = UNKNOWN
    if x._shape.ndims is not None:
        if x._shape.ndims != 5:
            raise node_error(f"Shape must be rank 5 but is rank {x._shape.ndims}", scope,
                             "ExtractVolumePatches", attrs, (x,))  # fmt: skip
        n, d, h, w, c = x._shape.as_list()
        out = TensorShape([n, *(_out_size(v, k[i + 1], s[i + 1], 1, padding)
                                for i, v in enumerate((d, h, w))),
                           None if c is None else c * k[1] * k[2] * k[3]])  # fmt: skip
    return make_op("ExtractVolumePatches", (x,), attrs, scope, x._dtype.base_dtype, out)


@register_kernel("ExtractVolumePatches")
def _extract_volume_kernel(op: Operation, session: Any) -> Any:
    a = op._attrs
    k, s, padding = a["ksizes"], a["strides"], a["padding"]

    def kernel(x: torch.Tensor) -> torch.Tensor:
        y = x
        if padding == "SAME":
            pads: list[int] = [0, 0]  # channels (F.pad lists the last dim first)
            for i in (3, 2, 1):
                size = x.shape[i]
                o = (size + s[i] - 1) // s[i]
                total = max((o - 1) * s[i] + k[i] - size, 0)
                pads += [total // 2, total - total // 2]
            y = F.pad(x, pads)
        for i in (1, 2, 3):
            y = y.unfold(i, k[i], s[i])
        n, p, r, q, c = y.shape[:5]
        y = y.permute(0, 1, 2, 3, 5, 6, 7, 4)
        return y.reshape(n, p, r, q, k[1] * k[2] * k[3] * c)

    return kernel


__all__ = [
    "batch_to_space",
    "batch_to_space_nd",
    "extract_image_patches",
    "extract_volume_patches",
    "required_space_to_batch_paddings",
    "space_to_batch",
    "space_to_batch_nd",
]
