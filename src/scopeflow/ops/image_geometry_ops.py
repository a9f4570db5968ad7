"""``tf.image`` geometry: bounding-box crop/pad, central crop, rot90, gradients, variation.

Also crop-or-pad, resize with pad and transpose.

Built as TF 1.15's ``image_ops_impl`` builds them: the same top-level name scopes, nested
``crop_to_bounding_box``/``pad_to_bounding_box`` scopes, ``Slice``/``Pad``/``Squeeze`` ops and
static shapes.

``crop_to_bounding_box``, ``pad_to_bounding_box`` and ``resize_image_with_crop_or_pad`` take
Python integers or int32 scalar tensors and images of unknown height and width (checked as TF
does: at build time, or by run-time ``Assert`` ops); ``central_crop`` takes images of unknown
size and a tensor ``central_fraction``.

Differences from TensorFlow: ``resize_image_with_pad`` needs
Python-integer sizes and a statically known image height and width (otherwise
``UnsupportedError``), so all their checks happen at graph-build time with TF's messages.
``rot90`` builds TF's three-way ``case`` without the exclusivity assertion (its predicates
are exclusive by construction).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import math_ops
from scopeflow.ops._math_common import _scope, name_scope
from scopeflow.ops.array_ops import concat as _concat
from scopeflow.ops.array_ops import reshape, shape, slice, zeros
from scopeflow.ops.image_ops import _assert_at_least_3d
from scopeflow.ops.shape_ops import expand_dims, pad, reverse, squeeze, transpose


def _ints(fn: str, **values: Any) -> list[int]:
    return [_static_int(v, k, fn) for k, v in values.items()]


def _static_int(v: Any, what: str, fn: str) -> int:
    if isinstance(v, (Tensor,)) or not isinstance(v, (int, np.integer)):
        raise UnsupportedError(f"tf.image.{fn} with a tensor {what}",
                               "Pass Python integers.")  # fmt: skip
    return int(v)


def _batched(x: Tensor, fn: str) -> tuple[Tensor, bool]:
    nd = x._shape.ndims
    if nd == 3:
        return expand_dims(x, 0), False
    if nd is None:
        raise UnsupportedError(f"tf.image.{fn} of an image of unknown rank")
    if nd != 4:
        raise ValueError(f"'image' (shape {x._shape}) must have either 3 or 4 dimensions.")
    return x, True


def _hw(x: Tensor, fn: str) -> tuple[int | None, int, int, int | None]:
    b, h, w, d = x._shape.as_list()
    if any(v == 0 for v in (h, w, d)):
        raise ValueError(f"inner 3 dims of 'image.shape' must be > 0: {x._shape[1:]}")
    if h is None or w is None:
        raise UnsupportedError(f"tf.image.{fn} of an image of unknown height or width")
    return b, h, w, d


def _is_dynamic(*values: Any) -> bool:
    return any(isinstance(v, Tensor) for v in values)


def _dims4(x4: Tensor) -> list[Any]:
    """TF's ``_ImageDimensions(image, 4)``: static sizes, else ``Shape``/``unstack`` scalars."""
    from scopeflow.ops.split_ops import unstack  # noqa: PLC0415

    static = x4._shape.as_list()
    if all(v is not None for v in static):
        return static
    dynamic = unstack(shape(x4), 4)
    return [s if s is not None else d for s, d in zip(static, dynamic, strict=True)]


def _asserts(checks: list[tuple[Any, str]]) -> list[Any]:
    """TF's ``_assert``s: ``ValueError`` now for Python conditions, ``Assert`` ops for tensors."""
    from scopeflow.ops.logging_ops import Assert  # noqa: PLC0415

    asserts = []
    for ok, msg in checks:
        if isinstance(ok, Tensor):
            asserts.append(Assert(ok, [msg]))
        elif not ok:
            raise ValueError(msg)
    return asserts


def _check(x4: Tensor, checks: list[tuple[Any, str]]) -> Tensor:
    """``x4`` after the ``_asserts`` of ``checks`` (itself when all were static)."""
    from scopeflow.ops.control_flow_ops import with_dependencies  # noqa: PLC0415

    asserts = _asserts(checks)
    return with_dependencies(asserts, x4) if asserts else x4  # type: ignore[no-any-return]


def _static_or_none(v: Any) -> int | None:
    return None if v is None or isinstance(v, Tensor) else int(v)


def crop_to_bounding_box(image: Any, offset_height: Any, offset_width: Any, target_height: Any,
                         target_width: Any) -> Tensor:  # fmt: skip
    """The ``target_height x target_width`` window at ``(offset_height, offset_width)``.

    Offsets and sizes may be Python integers or int32 scalar tensors (checked by TF's run-time
    ``Assert`` ops).
    """
    fn = "crop_to_bounding_box"
    scope = _scope(None, fn)
    with name_scope(scope):
        x = convert_to_tensor(image, name="image")
        x4, is_batch = _batched(x, fn)
        b, h, w, d = _dims4(x4)
        if any(v == 0 for v in (h, w, d)):
            raise ValueError(f"inner 3 dims of 'image.shape' must be > 0: {x4._shape[1:]}")
        oh, ow, th, tw = offset_height, offset_width, target_height, target_width
        x4 = _check(x4, [(ow >= 0, "offset_width must be >= 0."),
                       (oh >= 0, "offset_height must be >= 0."),
                       (tw > 0, "target_width must be > 0."),
                       (th > 0, "target_height must be > 0."),
                       (w >= tw + ow, "width must be >= target + offset."),
                       (h >= th + oh, "height must be >= target + offset.")])  # fmt: skip
        if _is_dynamic(oh, ow, th, tw):
            from scopeflow.ops.array_ops import stack  # noqa: PLC0415

            sh = shape(x4)
            cropped = slice(x4, stack([0, oh, ow, 0]), stack([sh[0], th, tw, sh[3]]))
        else:
            cropped = slice(x4, [0, oh, ow, 0], [-1, th, tw, -1])
        cropped.set_shape(TensorShape([_static_or_none(v) for v in (b, th, tw, d)]))
        if not is_batch:
            return squeeze(cropped, axis=[0])
        return cropped


def pad_to_bounding_box(image: Any, offset_height: Any, offset_width: Any, target_height: Any,
                        target_width: Any) -> Tensor:  # fmt: skip
    """Zero-pads to ``target_height x target_width`` with the image at the offsets.

    Offsets and sizes may be Python integers or int32 scalar tensors (then negative paddings
    are reported by TF's run-time ``Assert`` ops).
    """
    fn = "pad_to_bounding_box"
    scope = _scope(None, fn)
    with name_scope(scope):
        x = convert_to_tensor(image, name="image")
        x4, is_batch = _batched(x, fn)
        b, h, w, d = _dims4(x4)
        if any(v == 0 for v in (h, w, d)):
            raise ValueError(f"inner 3 dims of 'image.shape' must be > 0: {x4._shape[1:]}")
        oh, ow, th, tw = offset_height, offset_width, target_height, target_width
        after_w, after_h = tw - ow - w, th - oh - h
        x4 = _check(x4, [(oh >= 0, "offset_height must be >= 0"),
                       (ow >= 0, "offset_width must be >= 0"),
                       (after_w >= 0, "width must be <= target - offset"),
                       (after_h >= 0, "height must be <= target - offset")])  # fmt: skip
        if _is_dynamic(oh, ow, after_h, after_w):
            from scopeflow.ops.array_ops import stack  # noqa: PLC0415

            paddings: Any = reshape(stack([0, 0, oh, after_h, ow, after_w, 0, 0]), [4, 2])
        else:
            paddings = [[0, 0], [oh, after_h], [ow, after_w], [0, 0]]
        padded = pad(x4, paddings)
        padded.set_shape(TensorShape([_static_or_none(v) for v in (b, th, tw, d)]))
        if not is_batch:
            return squeeze(padded, axis=[0])
        return padded


def resize_image_with_crop_or_pad(image: Any, target_height: Any, target_width: Any) -> Tensor:
    """Centre-crops and/or zero-pads to ``target_height x target_width`` (TF's offsets).

    Targets may be Python integers or int32 scalar tensors, and the image's height and width
    unknown (e.g. a decoded JPEG); TF's run-time ``Assert`` ops check what is not static.
    """
    from scopeflow.ops.control_flow_ops import with_dependencies  # noqa: PLC0415

    fn = "resize_image_with_crop_or_pad"
    th, tw = target_height, target_width
    scope = _scope(None, fn)
    with name_scope(scope):
        x = convert_to_tensor(image, name="image")
        x4, is_batch = _batched(x, fn)
        asserts = _asserts([(tw > 0, "target_width must be > 0."),
                            (th > 0, "target_height must be > 0.")])  # fmt: skip
        x4 = with_dependencies(asserts, x4)
        if isinstance(th, Tensor):
            th = with_dependencies(asserts, th)
        if isinstance(tw, Tensor):
            tw = with_dependencies(asserts, tw)
        _, h, w, _ = _dims4(x4)
        if any(v == 0 for v in (h, w)):
            raise ValueError(f"inner 3 dims of 'image.shape' must be > 0: {x4._shape[1:]}")

        def max_(a: Any, b: Any) -> Any:
            return math_ops.maximum(a, b) if _is_dynamic(a, b) else max(a, b)

        def min_(a: Any, b: Any) -> Any:
            return math_ops.minimum(a, b) if _is_dynamic(a, b) else min(a, b)

        width_diff, height_diff = tw - w, th - h
        cropped = crop_to_bounding_box(x4, max_(-height_diff // 2, 0), max_(-width_diff // 2, 0),
                                       min_(th, h), min_(tw, w))  # fmt: skip
        resized = pad_to_bounding_box(cropped, max_(height_diff // 2, 0),
                                      max_(width_diff // 2, 0), th, tw)  # fmt: skip
        _, rh, rw, _ = _dims4(resized)
        checks = []
        for got, want, what in ((rh, th, "height"), (rw, tw, "width")):
            ok = math_ops.equal(got, want) if _is_dynamic(got, want) else got == want
            checks.append((ok, f"resized {what} is not correct."))
        resized = with_dependencies(_asserts(checks), resized)
        if not is_batch:
            return squeeze(resized, axis=[0])
        return resized


resize_with_crop_or_pad = resize_image_with_crop_or_pad


def central_crop(image: Any, central_fraction: Any) -> Tensor:
    """The central ``central_fraction`` of each image side (TF's rounding of the offsets).

    The image's height and width may be unknown and ``central_fraction`` a float tensor; the
    offsets are then computed in the graph in float64, as TF does.
    """
    from scopeflow.ops.array_ops import stack  # noqa: PLC0415

    scope = _scope(None, "central_crop")
    with name_scope(scope):
        x = convert_to_tensor(image, name="image")
        frac: float | None = None
        if isinstance(central_fraction, Tensor):
            known = central_fraction._const  # TF: tensor_util.constant_value
            frac = None if known is None else float(known)
        else:
            frac = float(central_fraction)
        if frac is not None:
            if frac <= 0.0 or frac > 1.0:
                raise ValueError("central_fraction must be within (0, 1]")
            if frac == 1.0:
                return x
        else:
            # TF's check (``> 0 or <= 1``, which always holds) as its run-time Assert.
            ok = math_ops.logical_or(central_fraction > 0.0, central_fraction <= 1.0)
            x = _check(x, [(ok, "central_fraction must be within (0, 1]")])
        _assert_at_least_3d(x)
        rank = x._shape.ndims
        if rank not in (3, 4):
            raise ValueError(
                f"`image` should either be a Tensor with rank = 3 or rank = 4. Had rank = {rank}."
            )
        dims = x._shape.as_list()
        axes = (0, 1) if rank == 3 else (1, 2)

        def start(idx: int) -> tuple[Any, Any, bool]:
            size: Any = dims[idx]
            if size is not None and frac is not None:
                return size, int((float(size) - float(size) * frac) / 2), False
            if size is None:
                size = shape(x)[idx]
            sd = math_ops.cast(size, dtypes.float64)
            cf = math_ops.cast(central_fraction, dtypes.float64)
            return size, math_ops.cast((sd - sd * cf) / 2, dtypes.int32), True

        h, hs, dyn_h = start(axes[0])
        w, ws, dyn_w = start(axes[1])
        hsz, wsz = h - hs * 2, w - ws * 2
        if rank == 3:
            if _is_dynamic(hs, ws, hsz, wsz):
                out = slice(x, stack([hs, ws, 0]), stack([hsz, wsz, -1]))
            else:
                out = slice(x, [hs, ws, 0], [hsz, wsz, -1])
            out.set_shape(TensorShape([None if dyn_h else hsz, None if dyn_w else wsz, dims[2]]))
        else:
            if _is_dynamic(hs, ws, hsz, wsz):
                out = slice(x, stack([0, hs, ws, 0]), stack([-1, hsz, wsz, -1]))
            else:
                out = slice(x, [0, hs, ws, 0], [-1, hsz, wsz, -1])
            out.set_shape(
                TensorShape([dims[0], None if dyn_h else hsz, None if dyn_w else wsz, dims[3]])
            )
        return out


def resize_image_with_pad(image: Any, target_height: Any, target_width: Any, method: Any = 0,
                          align_corners: bool = False) -> Tensor:  # fmt: skip
    """Resizes keeping the aspect ratio, then zero-pads to the target (TF's float32 math)."""
    from scopeflow.ops.image_resize_ops import resize_images  # noqa: PLC0415

    fn = "resize_image_with_pad"
    th, tw = (
        _static_int(target_height, "target_height", fn),
        _static_int(target_width, "target_width", fn),
    )
    scope = _scope(None, fn)
    with name_scope(scope):
        x = convert_to_tensor(image, name="image")
        x4, is_batch = _batched(x, fn)
        _, h, w, _ = _hw(x4, fn)
        if tw <= 0:
            raise ValueError("target_width must be > 0.")
        if th <= 0:
            raise ValueError("target_height must be > 0.")
        f32 = np.float32
        ratio = max(f32(w) / f32(tw), f32(h) / f32(th))
        rh_f, rw_f = f32(h) / ratio, f32(w) / ratio
        rh, rw = int(np.floor(rh_f)), int(np.floor(rw_f))
        ph = max(0, int(np.floor((f32(th) - rh_f) / f32(2))))
        pw = max(0, int(np.floor((f32(tw) - rw_f) / f32(2))))
        resized = resize_images(x4, [rh, rw], method, align_corners=align_corners)
        padded = pad_to_bounding_box(resized, ph, pw, th, tw)
        if not is_batch:
            return squeeze(padded, axis=[0])
        return padded


def transpose_image(image: Any, name: str | None = None) -> Tensor:
    """Swaps height and width (``tf.image.transpose_image``)."""
    scope = _scope(name, "transpose")
    with name_scope(scope):
        x = convert_to_tensor(image, name="image")
        _assert_at_least_3d(x)
        nd = x._shape.ndims
        if nd == 3:
            return transpose(x, [1, 0, 2], name=name or "transpose")
        if nd == 4:
            return transpose(x, [0, 2, 1, 3], name=name or "transpose")
        if nd is None:
            raise UnsupportedError("tf.image.transpose_image of an image of unknown rank")
        raise ValueError(f"'image' (shape {x._shape}) must have either 3 or 4 dimensions.")


def rot90(image: Any, k: Any = 1, name: str | None = None) -> Tensor:
    """Rotates by ``k`` quarter turns counter-clockwise (TF's ``case`` on ``k % 4``)."""
    from scopeflow.ops.control_flow_ops import case  # noqa: PLC0415

    scope = _scope(name, "rot90")
    with name_scope(scope):
        x = convert_to_tensor(image, name="image")
        _assert_at_least_3d(x)
        kt = convert_to_tensor(k, dtype=dtypes.int32, name="k")
        if kt._shape.ndims is not None and kt._shape.ndims != 0:
            raise ValueError(f"Shape {kt._shape} must have rank 0")
        kt = math_ops.mod(kt, 4)
        nd = x._shape.ndims
        if nd is None:
            raise UnsupportedError("tf.image.rot90 of an image of unknown rank")
        if nd not in (3, 4):
            raise ValueError(f"'image' (shape {x._shape}) must have either 3 or 4 dimensions.")
        o = nd - 3  # the height axis
        perm = [0, 2, 1, 3] if nd == 4 else [1, 0, 2]
        cases = [
            (math_ops.equal(kt, 1), lambda: transpose(reverse(x, [o + 1]), perm)),
            (math_ops.equal(kt, 2), lambda: reverse(x, [o, o + 1])),
            (math_ops.equal(kt, 3), lambda: reverse(transpose(x, perm), [o + 1])),
        ]
        result: Tensor = case(cases, default=lambda: x, exclusive=False, name=scope)
        dims = x._shape.as_list()
        if nd == 3:
            result.set_shape(TensorShape([None, None, dims[2]]))
        else:
            result.set_shape(TensorShape([dims[0], None, None, dims[3]]))
        return result


def total_variation(images: Any, name: str | None = None) -> Tensor:
    """Sum of absolute differences of neighbouring pixels (per image for a 4-D batch)."""
    from scopeflow.ops.reduction_ops import reduce_sum  # noqa: PLC0415
    from scopeflow.ops.unary_ops import abs as abs_  # noqa: PLC0415

    scope = _scope(name, "total_variation")
    with name_scope(scope):
        x = convert_to_tensor(images)
        nd = x._shape.ndims
        if nd == 3:
            d1 = x[1:, :, :] - x[:-1, :, :]
            d2 = x[:, 1:, :] - x[:, :-1, :]
            axis = None
        elif nd == 4:
            d1 = x[:, 1:, :, :] - x[:, :-1, :, :]
            d2 = x[:, :, 1:, :] - x[:, :, :-1, :]
            axis = [1, 2, 3]
        else:
            raise ValueError("'images' must be either 3 or 4-dimensional.")
        return reduce_sum(abs_(d1), axis=axis) + reduce_sum(abs_(d2), axis=axis)  # type: ignore[no-any-return]


def image_gradients(image: Any) -> tuple[Tensor, Tensor]:
    """``(dy, dx)`` forward differences of a 4-D batch, zero in the last row/column."""
    from scopeflow.ops.array_ops import stack  # noqa: PLC0415
    from scopeflow.ops.split_ops import unstack  # noqa: PLC0415

    x = convert_to_tensor(image)
    if x._shape.ndims != 4:
        raise ValueError(
            f"image_gradients expects a 4D tensor [batch_size, h, w, d], not {x._shape}."
        )
    image_shape = shape(x)
    batch, height, width, depth = unstack(image_shape)
    dy = x[:, 1:, :, :] - x[:, :-1, :, :]
    dx = x[:, :, 1:, :] - x[:, :, :-1, :]
    dy = _concat([dy, zeros(stack([batch, 1, width, depth]), x._dtype.base_dtype)], 1)
    dy = reshape(dy, image_shape)
    dx = _concat([dx, zeros(stack([batch, height, 1, depth]), x._dtype.base_dtype)], 2)
    dx = reshape(dx, image_shape)
    return dy, dx


def sobel_edges(image: Any) -> Tensor:
    """Sobel ``(dy, dx)`` responses ``[batch, h, w, d, 2]`` with reflect padding (TF's graph)."""
    from scopeflow.ops.constant_op import constant  # noqa: PLC0415
    from scopeflow.ops.conv_ops import depthwise_conv2d  # noqa: PLC0415
    from scopeflow.ops.shape_ops import tile  # noqa: PLC0415

    x = convert_to_tensor(image)
    static = x._shape
    image_shape = shape(x)
    k = np.asarray([[[-1, -2, -1], [0, 0, 0], [1, 2, 1]], [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]])
    k = np.expand_dims(np.transpose(k, (1, 2, 0)), -2)
    kernels = tile(constant(k, dtype=x._dtype.base_dtype), [1, 1, image_shape[-1], 1],
                   name="sobel_filters")  # fmt: skip
    padded = pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
    out = depthwise_conv2d(padded, kernels, [1, 1, 1, 1], "VALID")
    out = reshape(out, shape=_concat([image_shape, [2]], 0))
    out.set_shape(static.concatenate([2]))
    return out


__all__ = [
    "central_crop",
    "crop_to_bounding_box",
    "image_gradients",
    "pad_to_bounding_box",
    "resize_image_with_crop_or_pad",
    "resize_image_with_pad",
    "resize_with_crop_or_pad",
    "rot90",
    "sobel_edges",
    "total_variation",
    "transpose_image",
]
