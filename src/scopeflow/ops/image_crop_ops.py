"""``tf.image.crop_and_resize`` (TF's ``CropAndResize`` op and sampling formula).

Box ``(y1, x1, y2, x2)`` in normalized coordinates samples row ``y`` of a ``crop_height``-high
crop at ``in_y = y1 * (H - 1) + y * (y2 - y1) * (H - 1) / (crop_height - 1)`` (the box centre if
``crop_height == 1``), columns likewise; samples outside ``[0, H - 1]`` give
``extrapolation_value``. ``bilinear`` interpolates the four neighbours as TF does (top/bottom
rows first lerped in x); ``nearest`` rounds half away from zero. The output is float32 and is
differentiable in ``image`` and ``boxes`` (torch autograd).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._math_common import _scope
from scopeflow.ops._op_builder import make_op


def crop_and_resize(image: Any, boxes: Any, box_ind: Any = None, crop_size: Any = None,
                    method: str = "bilinear", extrapolation_value: float = 0.0,
                    name: str | None = None, box_indices: Any = None) -> Tensor:  # fmt: skip
    """Crops ``boxes`` out of ``image[box_ind]`` and resizes them to ``crop_size`` (float32).

    Raises:
        ValueError: ``method`` is neither ``bilinear`` nor ``nearest``; bad static ranks.
    """
    if box_indices is not None:
        if box_ind is not None:
            raise ValueError("Cannot specify both 'box_ind' and 'box_indices'.")
        box_ind = box_indices
    if box_ind is None or crop_size is None:
        raise TypeError("crop_and_resize() missing required arguments 'box_ind' / 'crop_size'")
    if method not in ("bilinear", "nearest"):
        raise ValueError(
            f"Value for attr 'method' of \"{method}\" is not in the list of allowed values: "
            '"bilinear", "nearest"'
        )
    scope = _scope(name, "CropAndResize")
    img = convert_to_tensor(image, name=scope + "image/")
    bx = convert_to_tensor(boxes, dtype=dtypes.float32, name=scope + "boxes/")
    bi = convert_to_tensor(box_ind, dtype=dtypes.int32, name=scope + "box_ind/")
    cs = convert_to_tensor(crop_size, dtype=dtypes.int32, name=scope + "crop_size/")
    n = bx._shape.as_list()[0] if bx._shape.dims is not None else None
    ch = cw = None
    if cs._const is not None:
        ch, cw = (int(v) for v in cs._const)
    c = img._shape.as_list()[3] if img._shape.dims is not None else None
    if img._shape.dims is not None and len(img._shape.dims) != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {len(img._shape.dims)} for 'image'.")
    return make_op(
        "CropAndResize",
        (img, bx, bi, cs),
        {"T": img._dtype.base_dtype, "method": method,
         "extrapolation_value": float(extrapolation_value)},
        scope,
        dtypes.float32,
        TensorShape([n, ch, cw, c]),
    )  # fmt: skip


def _coords(lo: torch.Tensor, hi: torch.Tensor, size: int, extent: int) -> torch.Tensor:
    """Sample positions ``[N, size]`` along one axis for boxes ``[lo, hi]`` (TF's formula)."""
    if size > 1:
        steps = torch.arange(size, dtype=lo.dtype)
        scale = (hi - lo) * (extent - 1) / (size - 1)
        return lo.unsqueeze(1) * (extent - 1) + steps * scale.unsqueeze(1)
    return (0.5 * (lo + hi) * (extent - 1)).unsqueeze(1)


def crop(img: torch.Tensor, boxes: torch.Tensor, ch: int, cw: int, method: str,
         extrap: float) -> torch.Tensor:  # fmt: skip
    """The crops of ``img[N, H, W, C]`` (one image per box), in ``img``'s float dtype."""
    h, w = img.shape[1], img.shape[2]
    ys = _coords(boxes[:, 0], boxes[:, 2], ch, h)  # [N, ch]
    xs = _coords(boxes[:, 1], boxes[:, 3], cw, w)  # [N, cw]
    valid = ((ys >= 0) & (ys <= h - 1)).unsqueeze(2) & ((xs >= 0) & (xs <= w - 1)).unsqueeze(1)
    nidx = torch.arange(img.shape[0]).view(-1, 1, 1)

    def take(yi: torch.Tensor, xi: torch.Tensor) -> torch.Tensor:
        yy = yi.clamp(0, h - 1).long().unsqueeze(2)
        xx = xi.clamp(0, w - 1).long().unsqueeze(1)
        return img[nidx, yy, xx]  # [N, ch, cw, C]

    if method == "nearest":
        ry = torch.where(ys >= 0, torch.floor(ys + 0.5), torch.ceil(ys - 0.5))
        rx = torch.where(xs >= 0, torch.floor(xs + 0.5), torch.ceil(xs - 0.5))
        out = take(ry, rx)
    else:
        top, left = torch.floor(ys), torch.floor(xs)
        bottom, right = torch.ceil(ys), torch.ceil(xs)
        y_lerp = (ys - top).unsqueeze(2).unsqueeze(3)
        x_lerp = (xs - left).unsqueeze(1).unsqueeze(3)
        tl, tr = take(top, left), take(top, right)
        bl, br = take(bottom, left), take(bottom, right)
        t = tl + (tr - tl) * x_lerp
        bt = bl + (br - bl) * x_lerp
        out = t + (bt - t) * y_lerp
    return torch.where(valid.unsqueeze(3), out, torch.full((), extrap, dtype=img.dtype))


@register_kernel("CropAndResize")
def _crop_kernel(op: Any, session: Any) -> Any:
    method = op._attrs["method"]
    extrap = op._attrs["extrapolation_value"]

    def kernel(image: torch.Tensor, boxes: torch.Tensor, box_ind: torch.Tensor,
               crop_size: torch.Tensor) -> torch.Tensor:  # fmt: skip
        b = image.shape[0]
        ch, cw = (int(v) for v in crop_size.tolist())
        if ch <= 0 or cw <= 0:
            raise InvalidArgumentError(None, None, "crop dimensions must be positive")
        bad = (box_ind < 0) | (box_ind >= b)
        if bool(bad.any()):
            raise InvalidArgumentError(None, None, f"box_index has values outside [0, {b})")
        img = image.to(torch.float32)[box_ind.long()]
        return crop(img, boxes, ch, cw, method, extrap)

    return kernel


__all__ = ["crop_and_resize"]
