"""``tf.image.decode_jpeg/png/image`` and ``encode_jpeg/png``, with Pillow as the codec.

Decoding gives ``uint8`` ``[height, width, channels]`` arrays (``channels=0``: the file's own
count; 1 gray, 3 RGB, 4 RGBA). PNG decoding without a channel conversion is lossless, so the
values equal TF's.

Differences from TensorFlow:
    JPEG decoding is Pillow's libjpeg: pixels may differ from TF's by a few levels (at most 4
    on the recorded fixture). Converting RGB to gray (``channels=1``) uses Pillow's ITU-R 601
    weights; TF's libpng/libjpeg conversion can differ by one level.
    Encoded bytes are Pillow's (valid files, decoded to the same pixels for PNG; JPEG is
    lossy and its bytes differ from TF's). ``decode_png(dtype=tf.uint16)``, JPEG ``ratio`` other
    than 1, ``try_recover_truncated`` and the ``encode_jpeg`` density/XMP options raise
    ``UnsupportedError``. ``decode_image`` handles JPEG, PNG, GIF (first frame when
    ``expand_animations=False``, else all frames) and BMP.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from scopeflow import errors
from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph._torch_dtypes import to_numpy, to_torch
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation
from scopeflow.ops import math_ops, string_ops
from scopeflow.ops._op_builder import SCALAR, make_op

_MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def _decode_op(
    op_type: str,
    contents: Any,
    channels: int,
    name: str | None,
    out_dtype: dtypes.DType = dtypes.uint8,
    **attrs: Any,
) -> Any:
    # DecodeJpeg with channels=4 fails at run time, as TF's kernel does ("JPEG does not support
    # 4 channels"): slim's Image handler builds that branch for PNGs and never runs it.
    if channels not in (0, 1, 2, 3, 4) or (op_type == "DecodeJpeg" and channels == 2):
        raise ValueError(f"channels must be 0, 1 or 3 (4 for PNG); got {channels}")
    c = convert_to_tensor(contents, dtype=dtypes.string, name="contents")
    shape = TensorShape([None, None, channels or None])
    if op_type == "DecodeImage":
        shape = TensorShape(None)
    attrs["channels"] = int(channels)
    return make_op(op_type, [c], attrs, name or op_type, out_dtype, shape)


def decode_jpeg(
    contents: Any,
    channels: int = 0,
    ratio: int = 1,
    fancy_upscaling: bool = True,
    try_recover_truncated: bool = False,
    acceptable_fraction: float = 1,
    dct_method: str = "",
    name: str | None = None,
) -> Any:
    """A JPEG file's pixels as ``uint8 [height, width, channels]`` (``tf.image.decode_jpeg``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.image.decode_jpeg(tf.constant(b""), channels=3).shape)
    (?, ?, 3)
    """
    if ratio != 1 or try_recover_truncated or not fancy_upscaling:
        raise errors.UnsupportedError(
            "decode_jpeg with ratio != 1, try_recover_truncated or fancy_upscaling=False"
        )
    if dct_method not in ("", "INTEGER_ACCURATE"):
        raise errors.UnsupportedError(f"decode_jpeg(dct_method={dct_method!r})")
    return _decode_op("DecodeJpeg", contents, channels, name)


def decode_png(
    contents: Any, channels: int = 0, dtype: Any = dtypes.uint8, name: str | None = None
) -> Any:
    """A PNG file's pixels as ``uint8 [height, width, channels]`` (``tf.image.decode_png``)."""
    if dtypes.as_dtype(dtype).base_dtype != dtypes.uint8:
        raise errors.UnsupportedError(f"decode_png(dtype={dtypes.as_dtype(dtype).name})")
    return _decode_op("DecodePng", contents, channels, name)


def decode_image(
    contents: Any,
    channels: int | None = None,
    dtype: Any = dtypes.uint8,
    name: str | None = None,
    expand_animations: bool = True,
) -> Any:
    """Any supported image file's pixels (``tf.image.decode_image``); static shape unknown.

    ``dtype`` ``uint16`` or ``float32`` rescales the 8-bit pixels as TF's kernel does
    (``v * 257``, ``v / 255``).
    """
    dt = dtypes.as_dtype(dtype).base_dtype
    if dt not in (dtypes.uint8, dtypes.uint16, dtypes.float32):
        raise errors.UnsupportedError(f"decode_image(dtype={dt.name})")
    with name_scope(name, "decode_image"):
        return _decode_op(
            "DecodeImage",
            contents,
            channels or 0,
            None,
            out_dtype=dt,
            expand_animations=expand_animations,
            dtype=dt,
        )


def is_jpeg(contents: Any, name: str | None = None) -> Any:
    r"""Whether ``contents`` starts with JPEG's magic bytes ``\xff\xd8\xff`` (``tf.io.is_jpeg``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.image.is_jpeg(tf.constant(b"\xff\xd8\xff\xe0")).name)
    is_jpeg/Equal:0
    """
    with name_scope(name, "is_jpeg"):
        substr = string_ops.substr(contents, 0, 3)
        return math_ops.equal(substr, b"\xff\xd8\xff", name=name)


def _to_mode(img: Any, channels: int) -> Any:
    if channels == 0:
        if img.mode in ("L", "RGB", "RGBA", "LA"):
            return img
        if img.mode == "P":
            return img.convert("RGBA" if "transparency" in img.info else "RGB")
        return img.convert("RGB")
    return img.convert(_MODES[channels])


@register_kernel("DecodeJpeg")
@register_kernel("DecodePng")
@register_kernel("DecodeImage")
def _decode_kernel(op: Operation, session: Any) -> Any:
    from PIL import Image, ImageSequence  # noqa: PLC0415

    channels = op._attrs["channels"]
    kind = op._type
    expand = op._attrs.get("expand_animations", False)
    out = op._attrs.get("dtype", dtypes.uint8)

    def kernel(contents: Any) -> Any:
        data = np.asarray(to_numpy(contents), dtype=object).item()
        try:
            img = Image.open(io.BytesIO(bytes(data)))
            fmt = img.format
            want = {"DecodeJpeg": ("JPEG",), "DecodePng": ("PNG",)}.get(kind)
            if want is not None and fmt not in want:
                raise errors.InvalidArgumentError(
                    None, op, f"Expected image ({'JPEG' if kind == 'DecodeJpeg' else 'PNG'}, "
                    "GIF, BMP, WEBP) got unknown format starting with "
                    f"'{bytes(data)[:16]!r}'"
                )  # fmt: skip
            if fmt == "JPEG" and channels == 4:
                raise errors.InvalidArgumentError(None, op, "JPEG does not support 4 channels")
            if kind == "DecodeImage" and fmt == "GIF" and expand:
                frames = [np.asarray(_to_mode(f.convert("RGB"), channels or 3))
                          for f in ImageSequence.Iterator(img)]  # fmt: skip
                arr = np.stack(frames)
            else:
                arr = np.asarray(_to_mode(img, channels))
        except errors.OpError:
            raise
        except Exception as e:
            raise errors.InvalidArgumentError(
                None, op, f"Unknown image file format. One of JPEG, PNG, GIF, BMP required. ({e})"
            ) from None
        if arr.ndim == 2:
            arr = arr[:, :, None]
        arr = np.ascontiguousarray(arr, dtype=np.uint8)
        if out == dtypes.uint16:  # TF's DecodeImageV2 scales 8-bit images to the full range
            return to_torch(arr.astype(np.uint16) * np.uint16(257), out)
        if out == dtypes.float32:
            return to_torch(arr.astype(np.float32) / np.float32(255), out)
        return to_torch(arr, dtypes.uint8)

    return kernel


def _encode_op(op_type: str, image: Any, name: str | None, **attrs: Any) -> Any:
    x = convert_to_tensor(image, name="image")
    if x.dtype.base_dtype != dtypes.uint8:
        raise TypeError(
            f"Value passed to parameter 'image' has DataType {x.dtype.base_dtype.name} not in "
            "list of allowed values: uint8"
        )
    if x.shape.ndims not in (3, None):
        raise ValueError(f"Shape must be rank 3 but is rank {x.shape.ndims}")
    return make_op(op_type, [x], attrs, name or op_type, dtypes.string, SCALAR)


def encode_png(image: Any, compression: int = -1, name: str | None = None) -> Any:
    """A ``uint8 [height, width, channels]`` image as PNG bytes (``tf.image.encode_png``)."""
    return _encode_op("EncodePng", image, name, compression=int(compression))


def encode_jpeg(
    image: Any,
    format: str = "",
    quality: int = 95,
    progressive: bool = False,
    optimize_size: bool = False,
    chroma_downsampling: bool = True,
    density_unit: str = "in",
    x_density: int = 300,
    y_density: int = 300,
    xmp_metadata: str = "",
    name: str | None = None,
) -> Any:
    """A ``uint8`` image as JPEG bytes (``tf.image.encode_jpeg``); see the module note."""
    if xmp_metadata or format not in ("", "grayscale", "rgb"):
        raise errors.UnsupportedError("encode_jpeg with xmp_metadata or a format other than ''")
    return _encode_op(
        "EncodeJpeg",
        image,
        name,
        quality=int(quality),
        progressive=bool(progressive),
        optimize_size=bool(optimize_size),
        chroma_downsampling=bool(chroma_downsampling),
        dpi=(int(x_density), int(y_density)),
    )


@register_kernel("EncodePng")
@register_kernel("EncodeJpeg")
def _encode_kernel(op: Operation, session: Any) -> Any:
    from PIL import Image  # noqa: PLC0415

    a = op._attrs

    def kernel(image: Any) -> Any:
        arr = np.asarray(to_numpy(image), dtype=np.uint8)
        c = arr.shape[2]
        if c not in _MODES or (op._type == "EncodeJpeg" and c not in (1, 3)):
            raise errors.InvalidArgumentError(
                None, op, f"image must have 1, 3 or 4 channels, got {c}"
            )
        img = Image.fromarray(arr[:, :, 0] if c == 1 else arr, _MODES[c])
        buf = io.BytesIO()
        if op._type == "EncodePng":
            level = a["compression"]
            img.save(buf, "PNG", compress_level=6 if level < 0 else level)
        else:
            img.save(
                buf,
                "JPEG",
                quality=a["quality"],
                progressive=a["progressive"],
                optimize=a["optimize_size"],
                subsampling=2 if a["chroma_downsampling"] else 0,
                dpi=a["dpi"],
            )
        return to_torch(np.asarray(buf.getvalue(), dtype=object), dtypes.string)

    return kernel


__all__ = ["decode_image", "decode_jpeg", "decode_png", "encode_jpeg", "encode_png", "is_jpeg"]
