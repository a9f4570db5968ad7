"""``tf.image.sample_distorted_bounding_box`` (TF's ``SampleDistortedBoundingBoxV2`` kernel).

The kernel is TF's CPU kernel (``sample_distorted_bounding_box_op.cc``) step for step: each
run reserves ``max_attempts`` Philox blocks from the op's generator (``ReserveSamples32(4 *
max_attempts)``) and draws from them one 32-bit word at a time (``SimplePhilox``): per
attempt an aspect ratio ``RandFloat() * (hi - lo) + lo``, a height in ``[min, max]``
(``Uniform``, TF's rejection sampling), then the ``y`` and ``x`` offsets; the float32
arithmetic, ``lrintf`` rounding and overlap test are TF's. With ``seed``/``seed2`` set, the
boxes are TF's own.

As in TF 1.15, ``tf.image.sample_distorted_bounding_box`` passes ``seed``/``seed2`` straight
to the op (the graph seed is not used: no seed means a random one), while
``sample_distorted_bounding_box_v2`` derives them with ``get_seed(seed)`` when ``seed`` is
non-zero.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._math_common import _scope, name_scope
from scopeflow.ops._op_builder import make_multi_op
from scopeflow.ops._philox import SingleSample
from scopeflow.ops._tf_random import new_state
from scopeflow.ops.random_ops import get_seed

_F32 = np.float32


class SampleDistortedBoundingBoxV2(NamedTuple):
    """The op's outputs, as TF's generated wrapper returns them."""

    begin: Tensor
    size: Tensor
    bboxes: Tensor


_U32 = 0xFFFFFFFF


class _SimplePhilox:
    """TF's ``SimplePhilox`` over the blocks of one reservation, a word at a time."""

    def __init__(self, key: int, counter: int) -> None:
        self.rand32 = SingleSample.at(key, counter)

    def rand_float(self) -> np.float32:
        """``Uint32ToFloat``: 23 mantissa bits as a float in ``[0, 1)``."""
        bits = np.array([(self.rand32() & 0x7FFFFF) | 0x3F800000], dtype=np.uint32)
        return _F32(bits.view(np.float32)[0] - _F32(1.0))

    def uniform(self, n: int) -> int:
        """``ExactUniformInt<uint32>``: ``[0, n)`` by rejecting the low ``2**32 % n`` words."""
        if n == 0:
            self.rand32()
            return 0
        if n & (n - 1) == 0:
            return self.rand32() & (n - 1)
        rem = (_U32 % n) + 1
        while True:
            rnd = self.rand32()
            if rnd >= rem:
                return rnd % n


def _lrintf(x: np.float32) -> int:
    return int(np.rint(x))


def _area(r: tuple[int, int, int, int]) -> np.float32:
    x0, y0, x1, y1 = r
    return _F32((x1 - x0) * (y1 - y0))


def _intersect(a: tuple[int, int, int, int], b: tuple[int, int, int, int]
               ) -> tuple[int, int, int, int]:  # fmt: skip
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    if x0 > x1 or y0 > y1:
        return (0, 0, 0, 0)
    return (x0, y0, x1, y1)


def _covers(crop: tuple[int, int, int, int], minimum: np.float32,
            boxes: list[tuple[int, int, int, int]]) -> bool:  # fmt: skip
    if _area(crop) < _F32(1.0):
        return False
    for box in boxes:
        object_area = _area(box)
        if object_area < _F32(1.0):
            continue
        if _F32(_area(_intersect(crop, box)) / object_area) >= minimum:
            return True
    return False


def _random_crop(width: int, height: int, min_rel: np.float32, max_rel: np.float32,
                 aspect: np.float32, rng: _SimplePhilox
                 ) -> tuple[int, int, int, int] | None:  # fmt: skip
    """TF's ``GenerateRandomCrop`` (float32 arithmetic, ``lrintf`` rounding)."""
    if max_rel <= 0.0 or aspect <= 0.0 or width <= 0 or height <= 0 or min_rel > max_rel:
        return None
    min_area = _F32(_F32(min_rel * _F32(width)) * _F32(height))
    max_area = _F32(_F32(max_rel * _F32(width)) * _F32(height))
    h = _lrintf(np.sqrt(_F32(min_area / aspect)))
    max_h = _lrintf(np.sqrt(_F32(max_area / aspect)))
    if _lrintf(_F32(_F32(max_h) * aspect)) > width:
        k_eps = float(_F32(0.0000001))
        max_h = int((width + 0.5 - k_eps) / float(aspect))
        if _lrintf(_F32(_F32(max_h) * aspect)) > width:
            max_h -= 1
    max_h = min(max_h, height)
    h = min(h, max_h)
    if h < max_h:
        h += rng.uniform(max_h - h + 1)
    w = _lrintf(_F32(_F32(h) * aspect))
    area = _F32(w * h)
    if area < min_area:
        h += 1
        w = _lrintf(_F32(_F32(h) * aspect))
        area = _F32(w * h)
    if area > max_area:
        h -= 1
        w = _lrintf(_F32(_F32(h) * aspect))
        area = _F32(w * h)
    if area < min_area or area > max_area or w > width or h > height or w <= 0 or h <= 0:
        return None
    y = rng.uniform(height - h) if h < height else 0
    x = rng.uniform(width - w) if w < width else 0
    return (x, y, x + w, y + h)


def _sample(rng: _SimplePhilox, height: int, width: int, boxes: np.ndarray, covered: float,
            attrs: dict[str, Any]) -> tuple[list[int], list[int], list[float]]:  # fmt: skip
    rects = []
    for b in boxes.reshape(-1, 4).astype(np.float32):
        for v in b:
            if not (v >= 0.0 and v <= 1.0):
                raise InvalidArgumentError(
                    None, None, f"All bounding box coordinates must be in [0.0, 1.0]: {v:g}"
                )
        rects.append((int(b[1] * _F32(width)), int(b[0] * _F32(height)),
                      int(b[3] * _F32(width)), int(b[2] * _F32(height))))  # fmt: skip
    image_rect = (0, 0, width, height)
    if not rects:
        if not attrs["use_image_if_no_bounding_boxes"]:
            raise InvalidArgumentError(
                None,
                None,
                "No bounding boxes provided as input. One must enable "
                "use_image_if_no_bounding_boxes if you wish to not provide any bounding boxes.",
            )
        rects.append(image_rect)
    lo_area, hi_area = (_F32(v) for v in attrs["area_range"])
    lo_ar, hi_ar = (_F32(v) for v in attrs["aspect_ratio_range"])
    crop = None
    for _ in range(attrs["max_attempts"]):
        aspect = _F32(_F32(rng.rand_float() * _F32(hi_ar - lo_ar)) + lo_ar)
        c = _random_crop(width, height, lo_area, hi_area, aspect, rng)
        if c is not None and _covers(c, _F32(covered), rects):
            crop = c
            break
    x0, y0, x1, y1 = crop if crop is not None else image_rect
    bbox = [float(_F32(y0) / _F32(height)), float(_F32(x0) / _F32(width)),
            float(_F32(y1) / _F32(height)), float(_F32(x1) / _F32(width))]  # fmt: skip
    return [y0, x0, 0], [y1 - y0, x1 - x0, -1], bbox


def _check_attrs(aspect_ratio_range: Any, area_range: Any, max_attempts: Any
                 ) -> tuple[list[float], list[float], int]:  # fmt: skip
    ar = [0.75, 1.33] if aspect_ratio_range is None else [float(v) for v in aspect_ratio_range]
    area = [0.05, 1.0] if area_range is None else [float(v) for v in area_range]
    attempts = 100 if max_attempts is None else int(max_attempts)
    if len(ar) != 2:
        raise InvalidArgumentError(None, None, "Aspect ratio range field must specify 2 dimensions")
    if not (ar[0] > 0 and ar[1] > 0):
        raise InvalidArgumentError(
            None, None, f"Aspect ratio range must be non-negative: [{ar[0]:g}, {ar[1]:g}]"
        )
    if len(area) != 2:
        raise InvalidArgumentError(None, None, "Area range field must specify 2 dimensions")
    if not (area[0] > 0 and area[1] > 0):
        raise InvalidArgumentError(
            None, None, f"Area range must be non-negative: [{area[0]:g}, {area[1]:g}]"
        )
    if not (area[0] <= 1 and area[1] <= 1):
        raise InvalidArgumentError(
            None, None, f"Area range must be less then or equal to 1.0: [{area[0]:g}, {area[1]:g}]"
        )
    if attempts <= 0:
        raise InvalidArgumentError(None, None, f"Max attempts must be non-negative: {attempts}")
    return ar, area, attempts


def _build(image_size: Any, bounding_boxes: Any, seed1: int, seed2: int, min_object_covered: Any,
           aspect_ratio_range: Any, area_range: Any, max_attempts: Any,
           use_image_if_no_bounding_boxes: Any, name: str | None
           ) -> SampleDistortedBoundingBoxV2:  # fmt: skip
    ar, area, attempts = _check_attrs(aspect_ratio_range, area_range, max_attempts)
    scope = _scope(name, "sample_distorted_bounding_box")
    with name_scope(scope):
        op_scope = _scope(name, "SampleDistortedBoundingBoxV2")
        size = convert_to_tensor(image_size, name=op_scope + "image_size/")
        if not size._dtype.base_dtype.is_integer:
            raise TypeError(
                f"Value passed to parameter 'image_size' has DataType {size._dtype.name} not in "
                "list of allowed values: uint8, int8, int16, int32, int64"
            )
        boxes = convert_to_tensor(bounding_boxes, dtype=dtypes.float32,
                                  name=op_scope + "bounding_boxes/")  # fmt: skip
        covered = convert_to_tensor(min_object_covered, dtype=dtypes.float32,
                                    name=op_scope + "min_object_covered/")  # fmt: skip
        if size._shape.ndims is not None and size._shape.ndims != 1:
            raise ValueError(f"Shape must be rank 1 but is rank {size._shape.ndims}")
        if boxes._shape.ndims is not None and boxes._shape.ndims != 3:
            raise ValueError(f"Shape must be rank 3 but is rank {boxes._shape.ndims}")
        attrs = {
            "T": size._dtype.base_dtype,
            "seed": int(seed1 or 0),
            "seed2": int(seed2 or 0),
            "aspect_ratio_range": ar,
            "area_range": area,
            "max_attempts": attempts,
            "use_image_if_no_bounding_boxes": bool(use_image_if_no_bounding_boxes),
        }
        dt = size._dtype.base_dtype
        op = make_multi_op("SampleDistortedBoundingBoxV2", (size, boxes, covered), attrs,
                           op_scope, (dt, dt, dtypes.float32),
                           (TensorShape([3]), TensorShape([3]), TensorShape([1, 1, 4]))
                           )  # fmt: skip
        return SampleDistortedBoundingBoxV2(*op.outputs)


def sample_distorted_bounding_box(image_size: Any, bounding_boxes: Any, seed: int | None = None,
                                  seed2: int | None = None, min_object_covered: Any = 0.1,
                                  aspect_ratio_range: Any = None, area_range: Any = None,
                                  max_attempts: Any = None,
                                  use_image_if_no_bounding_boxes: Any = None,
                                  name: str | None = None
                                  ) -> SampleDistortedBoundingBoxV2:  # fmt: skip
    """A random crop ``(begin, size, bboxes)`` covering part of ``bounding_boxes`` (TF 1.x).

    ``seed``/``seed2`` go to the op unchanged, as in TF 1.15 (the graph seed is not used).
    """
    return _build(image_size, bounding_boxes, seed or 0, seed2 or 0, min_object_covered,
                  aspect_ratio_range, area_range, max_attempts,
                  use_image_if_no_bounding_boxes, name)  # fmt: skip


def sample_distorted_bounding_box_v2(image_size: Any, bounding_boxes: Any, seed: int = 0,
                                     min_object_covered: Any = 0.1,
                                     aspect_ratio_range: Any = None, area_range: Any = None,
                                     max_attempts: Any = None,
                                     use_image_if_no_bounding_boxes: Any = None,
                                     name: str | None = None
                                  ) -> SampleDistortedBoundingBoxV2:  # fmt: skip
    """As ``sample_distorted_bounding_box``; a non-zero ``seed`` goes through ``get_seed``."""
    seed1, seed2 = get_seed(seed) if seed else (0, 0)
    return _build(image_size, bounding_boxes, seed1 or 0, seed2 or 0, min_object_covered,
                  aspect_ratio_range, area_range, max_attempts,
                  use_image_if_no_bounding_boxes, name)  # fmt: skip


@register_kernel("SampleDistortedBoundingBoxV2")
def _sample_kernel(op: Any, session: Any) -> Callable[..., Any]:
    state = session._op_state_for(op, lambda: new_state(op._attrs))
    attrs = op._attrs

    def kernel(size: Any, boxes: Any, covered: Any) -> Any:
        if size.dim() != 1 or size.shape[0] != 3:
            raise InvalidArgumentError(
                None, op, f"image_size must contain 3 elements[{','.join(map(str, size.shape))}]"
            )
        if boxes.dim() != 3:
            raise InvalidArgumentError(
                None, op, "input boxes must be 3-dimensional [batch, num_boxes, coords]: "
                f"[{','.join(map(str, boxes.shape))}]"
            )  # fmt: skip
        if boxes.shape[-1] != 4:
            raise InvalidArgumentError(
                None, op, "bounding boxes must have shape [4] or [*, 4], got "
                f"[{','.join(map(str, boxes.shape))}]"
            )  # fmt: skip
        cov = float(covered)
        if cov < 0:
            raise InvalidArgumentError(
                None, op, f"Min object covered must be non-negative: {cov:g}"
            )
        height, width = int(size[0]), int(size[1])
        rng = _SimplePhilox(state.key, state.reserve(attrs["max_attempts"]))
        begin, sz, bbox = _sample(rng, height, width, boxes.numpy(), cov, attrs)
        return (torch.tensor(begin, dtype=size.dtype), torch.tensor(sz, dtype=size.dtype),
                torch.tensor(bbox, dtype=torch.float32).reshape(1, 1, 4))  # fmt: skip

    return kernel


# --- draw_bounding_boxes -------------------------------------------------------------------------

# TF's DefaultColorTable: yellow, blue, red, lime, purple, olive, maroon, navy, aqua, fuchsia.
_DEFAULT_COLORS: list[list[float]] = [
    [1, 1, 0, 1], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1], [0.5, 0, 0.5, 1],
    [0.5, 0.5, 0, 1], [0.5, 0, 0, 1], [0, 0, 0.5, 1], [0, 1, 1, 1], [1, 0, 1, 1],
]  # fmt: skip


def draw_bounding_boxes(images: Any, boxes: Any, name: str | None = None, colors: Any = None
                        ) -> Tensor:  # fmt: skip
    """Draws each box's one-pixel outline on a float batch (``tf.image.draw_bounding_boxes``).

    Boxes are ``[y_min, x_min, y_max, x_max]`` in ``[0, 1]`` scaled by ``size - 1``; box ``i``
    takes colour ``i % len(colors)`` (TF's default table: yellow, blue, red, ...).
    """
    from scopeflow.ops._op_builder import make_op  # noqa: PLC0415

    op_type = "DrawBoundingBoxes" if colors is None else "DrawBoundingBoxesV2"
    scope = _scope(name, op_type)
    x = convert_to_tensor(images, name=scope + "images/")
    if x._dtype.base_dtype not in (dtypes.float32, dtypes.float16):
        raise TypeError(
            f"Value passed to parameter 'images' has DataType {x._dtype.base_dtype.name} not in "
            "list of allowed values: float32, half"
        )
    b = convert_to_tensor(boxes, dtype=dtypes.float32, name=scope + "boxes/")
    if x._shape.ndims is not None and x._shape.ndims != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {x._shape.ndims}")
    if b._shape.ndims is not None and b._shape.ndims != 3:
        raise ValueError(f"Shape must be rank 3 but is rank {b._shape.ndims}")
    ins = [x, b]
    if colors is not None:
        ins.append(convert_to_tensor(colors, dtype=dtypes.float32, name=scope + "colors/"))
    return make_op(op_type, ins, {"T": x._dtype.base_dtype}, scope, x._dtype.base_dtype,
                   x._shape)  # fmt: skip


def _draw(images: torch.Tensor, boxes: np.ndarray, table: list[list[float]]) -> torch.Tensor:
    out = images.clone()
    _, height, width, depth = images.shape
    for bi in range(images.shape[0]):
        for k, box in enumerate(boxes[bi].astype(np.float32)):
            color = torch.tensor(table[k % len(table)][:depth], dtype=images.dtype)
            r0 = int(box[0] * _F32(height - 1))
            r1 = int(box[2] * _F32(height - 1))
            c0 = int(box[1] * _F32(width - 1))
            c1 = int(box[3] * _F32(width - 1))
            if r0 > r1 or c0 > c1 or r0 >= height or r1 < 0 or c0 >= width or c1 < 0:
                continue  # TF logs a warning and skips inverted or outside boxes
            r0c, r1c, c0c, c1c = max(r0, 0), min(r1, height - 1), max(c0, 0), min(c1, width - 1)
            if r0 >= 0:
                out[bi, r0, c0c : c1c + 1] = color
            if r1 < height:
                out[bi, r1, c0c : c1c + 1] = color
            if c0 >= 0:
                out[bi, r0c : r1c + 1, c0] = color
            if c1 < width:
                out[bi, r0c : r1c + 1, c1] = color
    return out


def _draw_kernel(op: Any, session: Any) -> Callable[..., Any]:
    def kernel(images: Any, boxes: Any, colors: Any = None) -> Any:
        if images.dim() != 4:
            raise InvalidArgumentError(None, op, "The rank of the images should be 4")
        if boxes.dim() != 3:
            raise InvalidArgumentError(None, op, "The rank of the boxes tensor should be 3")
        if images.shape[0] != boxes.shape[0]:
            raise InvalidArgumentError(None, op, "The batch sizes should be the same")
        depth = images.shape[3]
        if depth not in (1, 3, 4):
            raise InvalidArgumentError(
                None, op, "Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)"
            )
        if boxes.shape[2] != 4:
            raise InvalidArgumentError(
                None, op, "The size of the third dimension of the box must be 4. Received: "
                f"{boxes.shape[2]}",
            )  # fmt: skip
        table: list[list[float]] = []
        if colors is not None:
            if colors.dim() != 2:
                raise InvalidArgumentError(None, op, "colors must be a 2-D matrix")
            if colors.shape[1] < depth:
                raise InvalidArgumentError(
                    None, op, "colors must have equal or more channels than the image provided: "
                    f"[{','.join(map(str, colors.shape))}]",
                )  # fmt: skip
            table = colors.float().tolist()
        if not table:
            table = [[float(v) for v in c] for c in _DEFAULT_COLORS]
            if depth == 1:
                for c in table:
                    c[0] = 1
        return _draw(images, boxes.numpy(), table)

    return kernel


register_kernel("DrawBoundingBoxes")(_draw_kernel)
register_kernel("DrawBoundingBoxesV2")(_draw_kernel)


__all__ = [
    "draw_bounding_boxes",
    "sample_distorted_bounding_box",
    "sample_distorted_bounding_box_v2",
]
